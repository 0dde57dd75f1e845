#!/usr/bin/env bash
# A backfill of ROWS rows (default 1,000,000) three ways, in the same run: one plain UPDATE with psql, the keyset
# batch (`batch over accounts by id`, ranges sized by their duration, or `size SIZE`) and the old batch form
# (`batch $$ ... limit 10000 $$ until affected == 0`). Each runs on a fresh copy of the table, first alone
# (rows/s), then under pgbench load (CLIENTS clients doing short selects and single-row updates on the same table):
# the clients' worst and p99 latency while the backfill runs. Goals (issue 13): keyset rows/s >= 0.8 x the plain
# UPDATE's; keyset worst latency <= 500 ms.
#
#   bench/keyset.sh
#   ROWS=200000 CLIENTS=2 SIZE=5000 bench/keyset.sh
#
# The backfill's time is the statement's for psql (\timing) and the step's for runbook (first range started to last
# range committed, from the journal); the process wall times (JVM start included) are printed too. psql and the
# keyset batch alternate for ROUNDS rounds alone and LOAD_ROUNDS rounds under load (the machine's load changes; the
# ratios are of the medians, the worst latency is the worst of all rounds); the old form runs once alone, and once
# under load with OLD_LOAD=1 (pgbench must outlast it: with 1,000,000 rows that is some 15 minutes). For the keyset
# batch, `ranges` is how many ranges it ran and `range_ms` its longest range (start to commit, from the journal).
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD; ROWS (1000000); CLIENTS (4);
# SIZE (auto: no `size`); PARALLEL ("2 3"; "" for none); ROUNDS (3); LOAD_ROUNDS (ROUNDS); SKIP_OLD=1 leaves out the old batch form; OLD_LOAD=1
# runs it under load too; RUNBOOK (bin/runbook). Needs bash, awk, psql, pgbench.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out/keyset
rows=${ROWS:-1000000}
clients=${CLIENTS:-4}
size=${SIZE:-auto}
rounds=${ROUNDS:-3}
load_rounds=${LOAD_ROUNDS:-$rounds}
runbook=${RUNBOOK:-$root/bin/runbook}
parallel=${PARALLEL-2 3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

die() { echo "keyset: $*" >&2; exit 1; }
command -v pgbench >/dev/null || die "pgbench not found"
command -v psql >/dev/null || die "psql not found"
[[ -x $runbook ]] || die "$runbook is not executable"
[[ $rows =~ ^[0-9]+$ && $rows -ge 10000 ]] || die "ROWS must be 10000 or more"
[[ $clients =~ ^[0-9]+$ && $clients -ge 1 ]] || die "CLIENTS must be 1 or more"
[[ $size == auto || $size =~ ^[1-9][0-9]*$ ]] || die "SIZE must be auto or a number of keys"
[[ $size == auto ]] && size_clause= old_size=10000 || size_clause="size $size" old_size=$size
for p in $parallel; do [[ $p =~ ^[1-9][0-9]*$ ]] || die "PARALLEL must list numbers of sessions, e.g. \"2 3\""; done

db=keyset_bench_$$
rm -rf "$out" && mkdir -p "$out"
source "$root/bench/scratch_db.sh"
uri="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
now_ms() { echo $(($(date +%s%N) / 1000000)); }

cat >"$out/clients.sql" <<SQL
\set id random(1, $rows)
select abalance from accounts where id = :id;
update accounts set abalance = abalance + 1 where id = :id;
SQL
cat >"$out/keyset.runbook" <<RB
runbook "keyset backfill" {
  phase "backfill" no transaction {
    batch over accounts by id $size_clause \$\$
      update accounts set y = aid where id >= :batch_from and id < :batch_to
    \$\$
  }
}
RB
for p in $parallel; do
  sed "s/by id $size_clause/by id $size_clause parallel $p/" "$out/keyset.runbook" >"$out/par$p.runbook"
done
cat >"$out/old.runbook" <<RB
runbook "old backfill" {
  phase "backfill" no transaction {
    batch \$\$ update accounts set y = aid where id in (select id from accounts where y is null limit $old_size) \$\$
      until affected == 0 max 100000 batches
  }
}
RB

fresh() {
  q "drop table if exists accounts; drop schema if exists runbook cascade;
     create table accounts (id int primary key, aid int not null, abalance int not null default 0, y int);
     insert into accounts (id, aid) select g, g % 100000 from generate_series(1, $rows) g" >/dev/null
  q "vacuum analyze accounts" >/dev/null
}

# backfill TOOL PREFIX: runs it, sets took_ms (the backfill), wall_ms (the process), ranges and range_ms (keyset).
backfill() {
  local tool=$1 prefix=$2 t0 t1
  ranges=- range_ms=-
  t0=$(now_ms)
  case $tool in
    psql)
      psql -X -v ON_ERROR_STOP=1 -d "$db" -c '\timing on' -c "update accounts set y = aid" >"$prefix.log" 2>&1 \
        || die "psql failed: $(cat "$prefix.log")"
      took_ms=$(awk '/^Time:/ { printf "%d", $2 }' "$prefix.log")
      ;;
    keyset | old | par*)
      "$runbook" run "$out/$tool.runbook" --db "$uri" --yes >"$prefix.log" 2>&1 || die "$tool failed: $(cat "$prefix.log")"
      took_ms=$(q "select round(extract(epoch from max(finished) - min(started)) * 1000) from runbook.steps where kind = 'batch'")
      [[ $tool != old ]] && IFS='|' read -r ranges range_ms < <(q "select count(*), round(max(extract(epoch from
        finished - started)) * 1000) from runbook.steps where kind = 'batch'")
      ;;
  esac
  t1=$(now_ms)
  wall_ms=$((t1 - t0))
  [[ $(q "select count(*) from accounts where y is distinct from aid") == 0 ]] || die "$tool left rows without y"
}

rate() { awk -v r="$rows" -v ms="$1" 'BEGIN { printf "%d", (ms > 0 ? r * 1000 / ms : 0) }'; }

tools=(psql keyset)
for p in $parallel; do tools+=("par$p"); done
[[ ${SKIP_OLD:-0} == 1 ]] || tools+=(old)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $rows rows, size $size, $clients pgbench clients"
row() { printf '%-8s %-9s %8s %8s %8s %8s %7s %7s %7s %8s  %s\n' "$@"; }
row tool load took_ms wall_ms rows/s worst_ms p99_ms txns ranges range_ms "load average after"
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
declare -A alone_ms load_ms load_worst
for ((r = 1; r <= rounds; r++)); do
  for tool in "${tools[@]}"; do
    [[ $tool == old && $r -gt 1 ]] && continue
    fresh
    backfill "$tool" "$out/${tool}_alone_$r"
    alone_ms[$tool]+="$took_ms "
    row "$tool" "none/$r" "$took_ms" "$wall_ms" "$(rate "$took_ms")" - - - "$ranges" "$range_ms" "$(loadavg)"
  done
done
for tool in "${tools[@]}"; do
  alone_ms[$tool]=$(tr ' ' '\n' <<<"${alone_ms[$tool]}" | grep . | median)
  row "$tool" median "${alone_ms[$tool]}" - "$(rate "${alone_ms[$tool]}")"
done

# under TOOL ROUND: the backfill under pgbench load; adds its time to load_ms and its worst latency to load_worst.
under() {
  local tool=$1 r=$2 prefix=$out/${1}_load_$2 secs bench_pid start_ms end_ms last n worst p99
  fresh
  # long enough to outlast the backfill under load; only transactions that ended during it are counted
  secs=$((alone_ms[$tool] * 4 / 1000 + 20))
  (cd "$out" && pgbench -n -d "$db" -c "$clients" -j "$clients" -T "$secs" -f clients.sql -l --log-prefix="$prefix" \
    >"$prefix.pgbench" 2>&1) &
  bench_pid=$!
  wait_for "select count(*) >= $clients from pg_stat_activity where application_name = 'pgbench' and datname = '$db' and state = 'active'"
  start_ms=$(now_ms)
  backfill "$tool" "$prefix"
  end_ms=$(now_ms)
  wait "$bench_pid" || die "pgbench failed: $(cat "$prefix.pgbench")"
  # pgbench -l: latency (µs) in column 3, completion time in columns 5 (s) and 6 (µs)
  cat "$prefix".[0-9]* | awk -v s="$start_ms" -v e="$end_ms" '{ t = $5 * 1000 + int($6 / 1000); if (t >= s && t <= e + 1000) print $3 }' \
    | sort -n >"$prefix.latencies"
  last=$(cat "$prefix".[0-9]* | awk '{ t = $5 * 1000 + int($6 / 1000); if (t > m) m = t } END { print m + 0 }')
  [[ $last -ge $end_ms ]] || echo "note: pgbench ended before the $tool backfill did; its latencies cover only part of it"
  n=$(wc -l <"$prefix.latencies")
  worst=$(($(tail -1 "$prefix.latencies") / 1000))
  p99=$(awk -v n="$n" 'NR == int(n * 0.99 + 0.999999) {print; exit}' "$prefix.latencies")
  row "$tool" "pgbench/$r" "$took_ms" "$wall_ms" "$(rate "$took_ms")" "$worst" "$((p99 / 1000))" "$n" "$ranges" \
    "$range_ms" "$(loadavg)"
  load_ms[$tool]+="$took_ms "
  [[ $worst -gt ${load_worst[$tool]:-0} ]] && load_worst[$tool]=$worst
  return 0
}
for ((r = 1; r <= load_rounds; r++)); do
  for tool in "${tools[@]}"; do
    [[ $tool == old && (${OLD_LOAD:-0} != 1 || $r -gt 1) ]] && continue
    under "$tool" "$r"
  done
done
for tool in "${tools[@]}"; do
  [[ -n ${load_ms[$tool]:-} ]] || continue
  load_ms[$tool]=$(tr ' ' '\n' <<<"${load_ms[$tool]}" | grep . | median)
  row "$tool" median "${load_ms[$tool]}" - "$(rate "${load_ms[$tool]}")" "${load_worst[$tool]}"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }'; }
for tool in "${tools[@]}"; do
  [[ $tool == psql || $tool == old ]] && continue
  r_alone=$(ratio "${alone_ms[$tool]}" "${alone_ms[psql]}")
  r_load=$(ratio "${load_ms[$tool]}" "${load_ms[psql]}")
  worst=${load_worst[$tool]}
  echo "$tool rows/s / plain UPDATE rows/s: alone $r_alone, under pgbench $r_load (medians; goal >= 0.8);" \
    "worst pgbench latency $worst ms over $load_rounds rounds (goal <= 500 ms): $([[ $worst -le 500 ]] && echo met || echo NOT met)"
done
