#!/usr/bin/env bash
# Start-up: `runbook run` of a one-statement runbook (journal present, phase not yet applied) against
# `psql -c 'select 1'`, alternating.   bench/startup.sh   (ROUNDS=n, default 9)
ROUNDS=${ROUNDS:-9}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
db=bench_startup_$$; create_db "$db"
uri=$(uri_for "$db")
rb() { printf 'runbook "tiny" {\n  phase "one %s" {\n    sql $$ select 1 $$\n  }\n}\n' "$1" >"$out/tiny.runbook"; }
rb warm; "$runbook" run "$out/tiny.runbook" --db "$uri" --yes >/dev/null   # creates the journal (and the CDS archive)
echo "load before: $(load_avg)"
pw=(); rw=()
for ((r = 1; r <= rounds; r++)); do
  measure "$out/startup_psql.log" psql -X -q -d "$db" -c 'select 1'
  pw+=("$wall_ms")
  rb "$r"
  measure "$out/startup_runbook.log" "$runbook" run "$out/tiny.runbook" --db "$uri" --yes
  rw+=("$wall_ms")
  printf 'round %d: psql %5d ms   runbook %5d ms %4d MB   (load %s)\n' "$r" "${pw[-1]}" "${rw[-1]}" "$rss_mb" "$(load_avg)"
done
pm=$(printf '%s\n' "${pw[@]}" | median); rm_=$(printf '%s\n' "${rw[@]}" | median)
report startup "$pm" "$rm_"
awk -v p="$pm" -v r="$rm_" 'BEGIN { printf "difference: %.0f ms (target: within 250 ms)\n", r - p }'
