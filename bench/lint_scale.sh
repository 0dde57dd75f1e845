#!/usr/bin/env bash
# Lint at scale (issue 11): `plan`, `lint` and `check` of a generated runbook of STEPS sql steps (default 100000,
# bench/gen_steps.sh), ROUNDS times (default 3), with wall time, CPU time (user+sys) and peak RSS of each.
# `plan` parses and checks without linting, so check - plan is the lint share. BEFORE_JAR=path/to/runbook.jar
# measures an older build in the same run, alternating with this checkout's jar. The java options are
# bin/runbook's (no class-data archive). Needs bash, awk, GNU time (/usr/bin/time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
steps="${STEPS:-100000}"
rounds="${ROUNDS:-3}"
file="$here/out/steps_$steps.runbook"
"$here/gen_steps.sh" "$steps" "$file" >&2
"$root/bin/runbook" --version >/dev/null  # builds the jar when the sources changed
jars=("after=$root/interpreter/target/runbook.jar")
[ -n "${BEFORE_JAR:-}" ] && jars=("before=$BEFORE_JAR" "${jars[@]}")
out="$here/out/lint_scale.tsv"
: > "$out"
for r in $(seq "$rounds"); do
  for j in "${jars[@]}"; do
    name="${j%%=*}"; jar="${j#*=}"
    for cmd in plan lint check; do
      /usr/bin/time -f "%e %U %S %M" -o "$here/out/time.txt" \
        java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" "$cmd" "$file" >/dev/null 2>&1 || true
      read -r wall user sys rss < "$here/out/time.txt"
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$cmd" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" "$((rss / 1024))" >> "$out"
    done
  done
done
echo "median of $rounds rounds, $steps steps ($(wc -c < "$file") bytes); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %-6s %9s %9s %8s\n' build command wall_s cpu_s rss_MB
for j in "${jars[@]}"; do
  name="${j%%=*}"
  for cmd in plan lint check; do
    awk -F'\t' -v n="$name" -v c="$cmd" '$1==n && $2==c {w[++k]=$3; u[k]=$4; m[k]=$5}
      END { asort(w); asort(u); asort(m); i=int((k+1)/2); printf "%-7s %-6s %9.2f %9.2f %8d\n", n, c, w[i], u[i], m[i] }' "$out"
  done
  awk -F'\t' -v n="$name" '$1==n && $2=="plan" {p[++a]=$4} $1==n && $2=="check" {c[++b]=$4}
    END { asort(p); asort(c); printf "%-7s lint share of check: %.2f s CPU (check - plan)\n", n, c[int((b+1)/2)] - p[int((a+1)/2)] }' "$out"
done
