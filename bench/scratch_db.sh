# Sourced (not run) by the bench scripts that work in one scratch database, $db, beside background jobs
# (pgbench): creates it, and on exit stops the jobs and drops it. q runs a query there; wait_for polls one until
# it returns t (no fixed sleeps as synchronisation). Needs $db and a die function.
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
psql_admin -c "CREATE DATABASE $db" >/dev/null
q() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

wait_for() {
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ $(q "$1") == t ]] && return 0
    sleep 0.05
  done
  die "timed out waiting for: $1"
}
