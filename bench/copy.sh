#!/usr/bin/env bash
# One SQL file with COPY ... FROM stdin of ROWS rows (default 2,000,000, ~129 MB), loaded with psql and with
# runbook, alternating, into fresh databases: wall-clock time and peak memory (RSS) of each.
#   bench/copy.sh                  # 3 rounds, 2,000,000 rows
#   ROWS=20000000 ROUNDS=1 bench/copy.sh   # ten times larger (~1.3 GB: check `df -h` first)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${ROWS:-2000000}
sql=$out/copy_$rows.sql
if [[ ! -f $sql ]]; then
  {
    echo "create table bench_copy (id bigint, name text, amount numeric(12,2), created timestamptz, note text);"
    echo "copy bench_copy (id, name, amount, created, note) from stdin;"
    awk -v n="$rows" 'BEGIN { for (i = 1; i <= n; i++)
      printf "%d\tuser_%d\t%d.%02d\t2026-%02d-%02d %02d:%02d:00+00\tnote %d\n", i, i % 100000, i % 99991, i % 100,
        i % 12 + 1, i % 28 + 1, i % 24, i % 60, i % 997 }'
    echo '\.'
    echo "create index on bench_copy (id);"
  } >"$sql"
fi
runbook_for "$out/copy_$rows.runbook" "$sql"
echo "file: $sql ($(du -m "$sql" | cut -f1) MB, $rows rows); load before: $(load_avg)"
fp() { psql -X -q -A -t -d "$1" -c "select count(*) || ':' || sum(id) || ':' || sum(amount) from bench_copy"; }
pw=(); pr=(); rw=(); rr=(); pc=(); rc=()
for ((r = 1; r <= rounds; r++)); do
  db=bench_copy_$$_${r}_p; create_db "$db"
  measure "$out/copy_psql.log" psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$db" -f "$sql"
  pw+=("$wall_ms"); pr+=("$rss_mb"); pc+=("$cpu_ms"); pfp=$(fp "$db"); drop_db "$db"
  db=bench_copy_$$_${r}_r; create_db "$db"
  measure "$out/copy_runbook.log" "$runbook" run "$out/copy_$rows.runbook" --db "$(uri_for "$db")" --yes
  rw+=("$wall_ms"); rr+=("$rss_mb"); rc+=("$cpu_ms"); rfp=$(fp "$db"); drop_db "$db"
  [[ $pfp == "$rfp" ]] || die "runbook loaded other data than psql: $pfp vs $rfp"
  printf 'round %d: psql %6d ms %5d MB %5d ms CPU   runbook %6d ms %5d MB %5d ms CPU   (load %s)\n' "$r" "${pw[-1]}" \
    "${pr[-1]}" "${pc[-1]}" "${rw[-1]}" "${rr[-1]}" "${rc[-1]}" "$(load_avg)"
done
report copy "$(printf '%s\n' "${pw[@]}" | median)" "$(printf '%s\n' "${rw[@]}" | median)"
echo "peak RSS median: psql $(printf '%s\n' "${pr[@]}" | median) MB   runbook $(printf '%s\n' "${rr[@]}" | median) MB"
echo "CPU median: psql $(printf '%s\n' "${pc[@]}" | median) ms   runbook $(printf '%s\n' "${rc[@]}" | median) ms"
[[ ${KEEP:-0} == 1 ]] || rm -f "$sql"
