#!/usr/bin/env bash
# One runbook on 200 databases: `runbook fleet run --parallel 8` against 200 separate `runbook run` processes in a
# loop, in the same run of this script, on two sets of fresh databases. Prints both wall times, the ratio (goal:
# fleet <= 0.3 x the loop), the peak RSS of the fleet process and the largest of the loop's processes, and checks that
# every database got every phase exactly once. See bench/README.md.
#
#   bench/fleet.sh                  # 200 databases
#   DATABASES=50 bench/fleet.sh     # fewer
#
# Environment: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD; DATABASES (200);
# PARALLEL (8); RUNBOOK (bin/runbook).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out/fleet
count=${DATABASES:-200}
parallel=${PARALLEL:-8}
runbook=${RUNBOOK:-$root/bin/runbook}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

die() { echo "bench: $*" >&2; exit 1; }
[[ $count =~ ^[1-9][0-9]*$ ]] || die "DATABASES must be a positive whole number, not '$count'"
command -v psql >/dev/null || die "psql not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: it measures peak RSS"
[[ -x $runbook ]] || die "$runbook is not executable"

mkdir -p "$out"
cat >"$out/tenant.runbook" <<'RB'
runbook "bench tenant" {
  phase "create" {
    sql $$ create table accounts (id bigint primary key, email text not null, created timestamptz not null default now()) $$
  }
  phase "seed" {
    sql $$ insert into accounts (id, email) select g, 'user' || g || '@example.com' from generate_series(1, 1000) g $$
    expect affected == 1000
  }
  phase "index" {
    sql $$ create unique index accounts_email on accounts (email) $$
    verify { expect scalar $$ select count(*) from accounts $$ == 1000 }
  }
}
RB

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
name() { printf 'rb_fleetbench_%s_%03d' "$1" "$2"; }
uri() { echo "postgresql://$PGUSER@$PGHOST:$PGPORT/$1"; }

# One psql session for all the CREATE/DROP DATABASE statements (psql sends each on its own, as they must be).
databases() {
  local i
  for ((i = 1; i <= count; i++)); do name fleet "$i"; echo; name loop "$i"; echo; done
}
cleanup() { databases | sed 's/.*/DROP DATABASE IF EXISTS & WITH (FORCE);/' | psql_admin >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "creating 2 x $count databases on $PGHOST:$PGPORT ..."
# Fresh databases, also after an earlier run was stopped.
databases | sed 's/.*/DROP DATABASE IF EXISTS & WITH (FORCE); CREATE DATABASE &;/' | psql_admin >/dev/null 2>&1 \
  || die "cannot create the databases"
: >"$out/targets.txt"
for ((i = 1; i <= count; i++)); do
  echo "tenant_$i $(uri "$(name fleet "$i")")" >>"$out/targets.txt"
done
# Build the jar, and let one untimed `runbook run` record the class-data archive every later process maps.
warm=rb_fleetbench_warmup
psql_admin -c "DROP DATABASE IF EXISTS $warm WITH (FORCE)" -c "CREATE DATABASE $warm" >/dev/null 2>&1
"$runbook" run "$out/tenant.runbook" --db "$(uri $warm)" --yes >/dev/null 2>&1 || die "the warm-up run failed"
psql_admin -c "DROP DATABASE $warm WITH (FORCE)" >/dev/null

now() { date +%s.%N; }

echo "fleet: runbook fleet run --parallel $parallel on $count databases ..."
start=$(now)
/usr/bin/time -f '%M' -o "$out/fleet.rss" "$runbook" fleet run "$out/tenant.runbook" --targets "$out/targets.txt" --parallel "$parallel" --yes \
  >"$out/fleet.log" 2>&1 || die "fleet run failed: see $out/fleet.log"
fleet_s=$(echo "$(now) - $start" | bc)

echo "loop: $count separate runbook run processes ..."
: >"$out/loop.rss"
start=$(now)
for ((i = 1; i <= count; i++)); do
  /usr/bin/time -a -f '%M' -o "$out/loop.rss" "$runbook" run "$out/tenant.runbook" --db "$(uri "$(name loop "$i")")" --yes \
    >>"$out/loop.log" 2>&1 || die "runbook run on $(name loop "$i") failed: see $out/loop.log"
done
loop_s=$(echo "$(now) - $start" | bc)

# Every database: each phase applied exactly once, the data there (one psql session, \connect to each).
for set in fleet loop; do
  for ((i = 1; i <= count; i++)); do
    printf '\\connect %s\n' "$(name "$set" "$i")"
    echo "select current_database() || ' ' || (select string_agg(phase || ':' || n, ',' order by phase) from (select phase, count(*) n from runbook.phases where status = 'applied' group by phase) p) || ' ' || (select count(*) from accounts);"
  done
done | psql -X -q -At -v ON_ERROR_STOP=1 -d postgres >"$out/check.txt" || die "cannot check the databases: see $out/check.txt"
bad=$(grep -cv ' create:1,index:1,seed:1 1000$' "$out/check.txt" || true)
[[ $(wc -l <"$out/check.txt") -eq $((2 * count)) && $bad -eq 0 ]] \
  || die "expected each phase applied once and 1000 rows in every database; see $out/check.txt"

fleet_rss=$(tail -1 "$out/fleet.rss")
loop_rss=$(sort -n "$out/loop.rss" | tail -1)
printf '\n%-44s %10s %14s\n' "" "wall" "peak RSS"
printf '%-44s %9.1fs %11d MB\n' "fleet run --parallel $parallel ($count databases)" "$fleet_s" $((fleet_rss / 1024))
printf '%-44s %9.1fs %11d MB  (largest single process)\n' "$count x runbook run, one after another" "$loop_s" $((loop_rss / 1024))
printf 'fleet / loop = %.2f (goal <= 0.30); every database checked: each phase applied once, 1000 rows\n' "$(echo "$fleet_s / $loop_s" | bc -l)"
