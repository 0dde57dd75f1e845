# Helpers shared by the bench/*.sh scripts (sourced, not run). See bench/README.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out
rounds=${ROUNDS:-3}
runbook=${RUNBOOK:-$root/bin/runbook}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

die() { echo "bench: $*" >&2; exit 1; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, not '$rounds'"
command -v psql >/dev/null || die "psql not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed to measure peak memory"
[[ -x $runbook ]] || die "$runbook is not executable"
mkdir -p "$out"

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
created=()
create_db() { psql_admin -c "CREATE DATABASE \"$1\"" >/dev/null; created+=("$1"); }
drop_db() { psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true; }
cleanup_dbs() { local db; for db in "${created[@]}"; do drop_db "$db"; done; }
trap cleanup_dbs EXIT
trap 'exit 130' INT TERM

uri_for() { printf 'postgresql://%s@%s:%s/%s' "$PGUSER" "$PGHOST" "$PGPORT" "$1"; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure LOG CMD...: runs CMD, output to LOG; sets wall_ms, rss_mb (peak resident set of the process) and cpu_ms
# (its user + system CPU time: steadier than the wall clock on a shared machine).
measure() {
  local log=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$log.rss" "$@" >"$log" 2>&1 || { tail -5 "$log" >&2; die "failed: $*"; }
  t1=$(date +%s%N)
  wall_ms=$(((t1 - t0) / 1000000))
  read -r rss_kb user_s sys_s < <(tail -1 "$log.rss")
  rss_mb=$((rss_kb / 1024))
  cpu_ms=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%d", (u + s) * 1000 }')
}

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# A runbook with one phase that runs one SQL file.
runbook_for() {
  cat >"$1" <<RB
runbook "bench $(basename "$2" .sql)" {
  phase "load" {
    sql file "$(basename "$2")"
  }
}
RB
}

# compare NAME PSQL_MS... -- RUNBOOK_MS...: prints medians and the ratio
report() {
  local name=$1 pm=$2 rm=$3
  awk -v n="$name" -v p="$pm" -v r="$rm" 'BEGIN { printf "%-10s median: psql %8.0f ms   runbook %8.0f ms   ratio %.2f\n", n, p, r, (p > 0 ? r / p : 0) }'
}
