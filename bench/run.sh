#!/usr/bin/env bash
# Loads the same generated SQL script with psql and with runbook, alternating, on fresh databases, and compares
# wall-clock times. See bench/README.md.
#
#   bench/run.sh                 # 5 rounds
#   ROUNDS=9 bench/run.sh        # more rounds
#   PSQL_ONLY=1 bench/run.sh     # only the psql half (checks the generated script)
#
# Environment: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD; ROUNDS (5);
# STATEMENTS (20000); RUNBOOK (bin/runbook); PSQL_ONLY (0).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out
rounds=${ROUNDS:-5}
statements=${STATEMENTS:-20000}
runbook=${RUNBOOK:-$root/bin/runbook}
psql_only=${PSQL_ONLY:-0}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

die() { echo "bench: $*" >&2; exit 1; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, not '$rounds'"
[[ $statements =~ ^[1-9][0-9]*$ ]] || die "STATEMENTS must be a positive whole number, not '$statements'"
command -v psql >/dev/null || die "psql not found"
command -v awk >/dev/null || die "awk not found"
if [[ $psql_only != 1 && ! -x $runbook ]]; then
  die "$runbook is not executable (build it first, or run with PSQL_ONLY=1)"
fi

# ---------------------------------------------------------------- generate
mkdir -p "$out"
awk -v total="$statements" -f "$root/bench/gen_sql.awk" >"$out/bench.sql" 2>"$out/gen.log" \
  || die "generating bench.sql failed: $(cat "$out/gen.log")"
cat >"$out/bench.runbook" <<'EOF'
runbook "bench" {
  phase "load" {
    sql file "bench.sql"
  }
}
EOF
echo "generated $out/bench.sql ($(cat "$out/gen.log"), $(wc -c <"$out/bench.sql") bytes) and bench.runbook"

# ---------------------------------------------------------------- helpers
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

created=()
create_db() {
  psql_admin -c "CREATE DATABASE \"$1\"" >/dev/null
  created+=("$1")
}
drop_db() {
  psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
}
cleanup() {
  local db
  for db in "${created[@]}"; do drop_db "$db"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }

# percent-encode for the URI user/host parts
urlencode() {
  local s=$1 i c outs=
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) outs+=$c ;;
      *) outs+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$outs"
}
uri_host=$PGHOST
[[ $uri_host == *:* ]] && uri_host="[$uri_host]"   # IPv6

# Row counts and a content digest, to check both tools loaded the same data.
fingerprint() {
  psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "
    select string_agg(t || '=' || c || ':' || h, ' ' order by t) from (
      select 'accounts' t, count(*) c, md5(coalesce(string_agg(x::text, '|' order by id), '')) h
        from (select id, name, balance, touched, note, tier from bench_accounts) x group by 1
      union all select 'orders', count(*), md5(coalesce(string_agg(x::text, '|' order by id), ''))
        from (select id, account_id, amount, status, shipped_at is null as unshipped from bench_orders) x group by 1
      union all select 'events', count(*), md5(coalesce(string_agg(x::text, '|' order by id), ''))
        from (select id, kind, payload, source from bench_events) x group by 1
      union all select 'notes', count(*), md5(coalesce(string_agg(x::text, '|' order by id), ''))
        from (select id, account_id, body, edited from bench_notes) x group by 1) s"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# ---------------------------------------------------------------- rounds
tag="runbook_bench_$$"
psql_ms=()
runbook_ms=()
for ((r = 1; r <= rounds; r++)); do
  db="${tag}_${r}_psql"
  create_db "$db"
  t0=$(now_ns)
  psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$db" -f "$out/bench.sql" >"$out/psql.log" 2>&1 \
    || die "psql failed in round $r: $(tail -5 "$out/psql.log")"
  t1=$(now_ns)
  psql_ms+=($(((t1 - t0) / 1000000)))
  psql_fp=$(fingerprint "$db" 2>&1) || die "round $r: checking the data psql loaded failed: $psql_fp"
  drop_db "$db"

  if [[ $psql_only == 1 ]]; then
    printf 'round %d: psql %6d ms\n' "$r" "${psql_ms[-1]}"
    continue
  fi

  db="${tag}_${r}_runbook"
  create_db "$db"
  uri="postgresql://$(urlencode "$PGUSER")@$uri_host:$PGPORT/$db"   # password, if any, from PGPASSWORD/.pgpass
  t0=$(now_ns)
  "$runbook" run "$out/bench.runbook" --db "$uri" --yes >"$out/runbook.log" 2>&1 \
    || die "runbook failed in round $r (see $out/runbook.log): $(tail -5 "$out/runbook.log")"
  t1=$(now_ns)
  runbook_ms+=($(((t1 - t0) / 1000000)))
  runbook_fp=$(fingerprint "$db" 2>&1) || true
  drop_db "$db"
  [[ $runbook_fp == "$psql_fp" ]] \
    || die "round $r: runbook loaded different data than psql"$'\n'"  psql:    $psql_fp"$'\n'"  runbook: $runbook_fp"

  printf 'round %d: psql %6d ms   runbook %6d ms\n' "$r" "${psql_ms[-1]}" "${runbook_ms[-1]}"
done

psql_median=$(printf '%s\n' "${psql_ms[@]}" | median)
if [[ $psql_only == 1 ]]; then
  printf 'median:  psql %6d ms   (data: %s)\n' "$psql_median" "$psql_fp"
  exit 0
fi
runbook_median=$(printf '%s\n' "${runbook_ms[@]}" | median)
ratio=$(awk -v a="$runbook_median" -v b="$psql_median" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
printf 'median:  psql %6d ms   runbook %6d ms   ratio runbook/psql %s\n' "$psql_median" "$runbook_median" "$ratio"
