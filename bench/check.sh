#!/usr/bin/env bash
# `runbook check` (parse, resolve, lint) and `runbook plan` (parse and resolve only) of a generated runbook of
# STEPS steps (default 100,000), then of ten times as many: wall time, CPU seconds (user + system) and peak memory.
# No database needed.
#   bench/check.sh        (ROUNDS=n, default 3; TEN=0 skips the ten-times-larger runbook)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
steps=${STEPS:-100000}
sizes=("$steps"); [[ ${TEN:-1} == 1 ]] && sizes+=($((steps * 10)))
echo "load before: $(load_avg)"
for n in "${sizes[@]}"; do
  f=$out/check_$n.runbook
  awk -v steps="$n" -f "$root/bench/gen_runbook.awk" >"$f"
  cw=(); cr=(); pw=(); cc=(); pc=()
  for ((r = 1; r <= rounds; r++)); do
    measure "$out/plan.log" "$runbook" plan "$f"; pw+=("$wall_ms"); pc+=("$cpu_ms")
    /usr/bin/time -f '%M %U %S' -o "$out/check.log.rss" "$runbook" check "$f" >"$out/check.log" 2>&1 || true
    t0=$(date +%s%N); "$runbook" check "$f" >"$out/check.log" 2>&1 || true; t1=$(date +%s%N)
    # check exits non-zero when lint finds something; both runs are timed the same way.
    read -r rss_kb user_s sys_s < <(tail -1 "$out/check.log.rss")
    cw+=($(((t1 - t0) / 1000000))); cr+=($((rss_kb / 1024)))
    cc+=($(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%d", (u + s) * 1000 }'))
    printf '%7d steps, round %d: check %6d ms %6d CPU-ms %5d MB   plan %6d ms %6d CPU-ms   (load %s)\n' "$n" "$r" \
      "${cw[-1]}" "${cc[-1]}" "${cr[-1]}" "${pw[-1]}" "${pc[-1]}" "$(load_avg)"
  done
  printf '%7d steps (%s MB) median: check %s ms %s CPU-ms %s MB   plan %s ms %s CPU-ms\n' "$n" "$(du -m "$f" | cut -f1)" \
    "$(printf '%s\n' "${cw[@]}" | median)" "$(printf '%s\n' "${cc[@]}" | median)" "$(printf '%s\n' "${cr[@]}" | median)" \
    "$(printf '%s\n' "${pw[@]}" | median)" "$(printf '%s\n' "${pc[@]}" | median)"
  tail -3 "$out/check.log"
done
