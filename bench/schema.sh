#!/usr/bin/env bash
# A pg_dump-style schema of ~4,000 lines (tables, functions, triggers, views, indexes) loaded with psql and with
# runbook, alternating, into fresh databases.   bench/schema.sh   (ROUNDS=5 for more rounds, TABLES=n for size)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sql=$out/schema.sql
awk -v tables="${TABLES:-100}" -f "$root/bench/gen_schema.awk" >"$sql"
runbook_for "$out/schema.runbook" "$sql"
echo "file: $sql ($(wc -l <"$sql") lines); load before: $(load_avg)"
fp() { psql -X -q -A -t -d "$1" -c "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'public'"; }
pw=(); rw=(); pc=(); rc=()
for ((r = 1; r <= rounds; r++)); do
  db=bench_schema_$$_${r}_p; create_db "$db"
  measure "$out/schema_psql.log" psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$db" -f "$sql"
  pw+=("$wall_ms"); pc+=("$cpu_ms"); pfp=$(fp "$db"); drop_db "$db"
  db=bench_schema_$$_${r}_r; create_db "$db"
  measure "$out/schema_runbook.log" "$runbook" run "$out/schema.runbook" --db "$(uri_for "$db")" --yes
  rw+=("$wall_ms"); rc+=("$cpu_ms"); rfp=$(fp "$db"); drop_db "$db"
  [[ $pfp == "$rfp" ]] || die "runbook created other objects than psql: $pfp vs $rfp"
  printf 'round %d: psql %6d ms %5d ms CPU   runbook %6d ms %5d ms CPU   (load %s)\n' "$r" "${pw[-1]}" "${pc[-1]}" \
    "${rw[-1]}" "${rc[-1]}" "$(load_avg)"
done
report schema "$(printf '%s\n' "${pw[@]}" | median)" "$(printf '%s\n' "${rw[@]}" | median)"
echo "CPU median: psql $(printf '%s\n' "${pc[@]}" | median) ms   runbook $(printf '%s\n' "${rc[@]}" | median) ms"
