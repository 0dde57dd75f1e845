#!/usr/bin/env bash
# How long readers stall while a migration ALTERs their table behind a long open transaction: pgbench readers
# (CLIENTS clients) on a table; a transaction holds ACCESS SHARE on it for BLOCKER seconds; meanwhile an
# ALTER TABLE waits for it, once with plain psql and once as a runbook with default settings (lock_timeout
# 500ms, retries). Prints the readers' worst and p99 latency for each, in the same run. See docs/safety.md.
#
#   bench/lock_wait.sh                  # 1 round each
#   ROUNDS=3 CLIENTS=4 bench/lock_wait.sh
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD; ROUNDS (1); CLIENTS (4);
# BLOCKER (5 seconds); RUNBOOK (bin/runbook). Needs bash, awk, sort, psql and pgbench.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out/lock_wait
rounds=${ROUNDS:-1}
clients=${CLIENTS:-4}
blocker=${BLOCKER:-5}
runbook=${RUNBOOK:-$root/bin/runbook}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
lock_timeout_ms=500 # runbook's default

die() { echo "lock_wait: $*" >&2; exit 1; }
command -v pgbench >/dev/null || die "pgbench not found"
command -v psql >/dev/null || die "psql not found"
[[ -x $runbook ]] || die "$runbook is not executable"
[[ $clients =~ ^[0-9]+$ && $clients -ge 2 ]] || die "CLIENTS must be 2 or more"

db=runbook_lockwait_$$
rm -rf "$out" && mkdir -p "$out"
source "$root/bench/scratch_db.sh"

cat >"$out/readers.sql" <<'SQL'
\set id random(1, 10000)
select v from items where id = :id;
SQL
cat >"$out/alter.runbook" <<'RB'
runbook "lock wait" {
  phase "add column" { sql $$ alter table items add column c int $$ }
}
RB

# One round: $1 = psql | runbook. Prints "worst_ms p99_ms readers_txns alter_blocked".
# The blocker holds ACCESS SHARE until BLOCKER seconds after the readers started, which is once the ALTER
# first queued for its lock (so the JVM's start-up is not part of the scenario).
round() {
  local tool=$1 prefix=$out/$1_$2
  q "drop table if exists items; create table items (id int primary key, v int);
     insert into items select g, g from generate_series(1, 10000) g; analyze items; drop schema if exists runbook cascade" >/dev/null
  psql -X -q -d "$db" -c "begin; select count(*) from items; select pg_sleep(600), 'lockwait-blocker'; commit" >/dev/null 2>&1 &
  local blocker_pid=$!
  wait_for "select exists (select 1 from pg_stat_activity where query like '%lockwait-blocker%' and state = 'active' and pid <> pg_backend_pid())"
  if [[ $tool == psql ]]; then
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "alter table items add column c int" >"$prefix.alter" 2>&1 &
  else
    "$runbook" run "$out/alter.runbook" --db "postgresql://$PGUSER@$PGHOST:$PGPORT/$db" --yes >"$prefix.alter" 2>&1 &
  fi
  local alter_pid=$!
  wait_for "select exists (select 1 from pg_stat_activity where query like 'alter table items%' and wait_event_type = 'Lock')"
  (cd "$out" && pgbench -n -d "$db" -c "$clients" -j "$clients" -T $((blocker + 4)) -f readers.sql -l --log-prefix="$prefix" >"$prefix.pgbench" 2>&1) &
  local bench_pid=$!
  wait_for "select count(*) >= $clients from pg_stat_activity where application_name = 'pgbench' and datname = '$db'"
  sleep "$blocker" # the long transaction's work: the scenario, not synchronisation
  q "select pg_cancel_backend(pid) from pg_stat_activity where query like '%lockwait-blocker%' and pid <> pg_backend_pid()" >/dev/null
  wait "$alter_pid" || die "$tool: the ALTER failed: $(cat "$prefix.alter")"
  wait "$bench_pid" || die "pgbench failed: $(cat "$prefix.pgbench")"
  wait "$blocker_pid" || true
  local blocked=yes
  if [[ $tool == runbook ]]; then
    blocked="yes, $(q "select count(*) from runbook.steps where kind = 'retry'") retries"
  fi
  [[ $(q "select count(*) from information_schema.columns where table_name = 'items' and column_name = 'c'") == 1 ]] \
    || die "$tool: the ALTER did not apply: $(cat "$prefix.alter")"
  # pgbench -l: the third column is each transaction's latency in microseconds
  cat "$prefix".[0-9]* | awk '{print $3}' | sort -n >"$prefix.latencies"
  local n worst p99
  n=$(wc -l <"$prefix.latencies")
  worst=$(tail -1 "$prefix.latencies")
  p99=$(awk -v n="$n" 'NR == int(n * 0.99 + 0.999999) {print; exit}' "$prefix.latencies")
  echo "$((worst / 1000)) $((p99 / 1000)) $n $blocked"
}

printf '%-8s %-6s %10s %10s %10s  %s\n' tool round worst_ms p99_ms readers 'ALTER waited'
worst_runbook=0
for ((r = 1; r <= rounds; r++)); do
  for tool in psql runbook; do
    read -r worst p99 n blocked < <(round "$tool" "$r")
    printf '%-8s %-6s %10s %10s %10s  %s\n' "$tool" "$r" "$worst" "$p99" "$n" "$blocked"
    [[ $tool == runbook && $worst -gt $worst_runbook ]] && worst_runbook=$worst
  done
done
goal=$((lock_timeout_ms + 150))
echo "goal: runbook's worst reader latency <= lock_timeout ($lock_timeout_ms ms) + 150 ms = $goal ms: $([[ $worst_runbook -le $goal ]] && echo met || echo NOT met) ($worst_runbook ms)"
