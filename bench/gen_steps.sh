#!/usr/bin/env bash
# Writes a runbook with N sql steps (default 100000) to FILE (default bench/out/steps.runbook), in phases of
# 1000 steps. Each phase creates its own table, then mostly one-statement DML steps (inserts, guarded updates
# and deletes, selects) with some DDL on that table (ADD COLUMN, CREATE INDEX), ~44 bytes a step: the shape of
# the 100,000-step runbook of issue 11. Used by bench/lint_scale.sh; deterministic.
set -euo pipefail
n="${1:-100000}"
out="${2:-$(dirname "$0")/out/steps.runbook}"
mkdir -p "$(dirname "$out")"
awk -v n="$n" 'BEGIN {
  print "runbook \"generated: " n " steps\" {"
  per = 1000
  for (s = 0; s < n; s++) {
    p = int(s / per)
    if (s % per == 0) {
      if (s > 0) { print "    verify { expect 1 == 1 }"; print "  }" }
      print "  phase \"p" p "\" {"
      print "    sql $$ create table t" p " (id int, v int) $$"
      continue
    }
    k = s % 10
    if (k <= 4)      printf "    sql $$ insert into t%d values (%d, %d) $$\n", p, s, k
    else if (k == 5) printf "    sql $$ update t%d set v = v + 1 where id = %d $$\n", p, s - 5
    else if (k == 6) printf "    sql $$ delete from t%d where id = %d $$\n", p, s - 6
    else if (k == 7) printf "    sql $$ select count(*) from t%d $$\n", p
    else if (k == 8) printf "    sql $$ alter table t%d add column c%d int $$\n", p, s
    else             printf "    sql $$ create index on t%d (v) $$\n", p
  }
  print "    verify { expect 1 == 1 }"
  print "  }"
  print "}"
}' > "$out"
echo "$out: $n steps, $(wc -c < "$out") bytes"
