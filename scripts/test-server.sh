#!/usr/bin/env bash
# cara-server tests on a real PostgreSQL: starts Debian's cluster, makes a
# throwaway role and database for this run, runs the server, storage and
# binary tests with DATABASE_URL set (CARA_REQUIRE_PG=1: a test that needs
# PostgreSQL fails instead of skipping), then each fuzz target briefly, and
# drops the database and role at exit, whatever happened.
#
#   scripts/test-server.sh               everything
#   FUZZTIME=200000x scripts/test-server.sh  longer fuzz runs (default: a
#                                        few seconds' worth of runs each)
#   scripts/test-server.sh -race         extra flags go to `go test`
#
# Needs Debian's postgresql package (scripts/install-deps.sh --test) and root
# (or sudo) to act as the postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
source scripts/lib/postgres.sh

pg_start_cluster
pg_make_database
trap pg_drop_database EXIT
export DATABASE_URL=$PG_URL CARA_REQUIRE_PG=1

mkdir -p frontend/dist
echo "==> go test (server, storage, binary) on PostgreSQL ${PG_VERSION} database ${PG_DB}"
go test -count=1 "$@" ./cmd/cara-server/... ./internal/server/... ./internal/storetimeout/... ./internal/postgres/... ./internal/practice/... ./internal/bolt/...

# Budgets are counts of runs, not durations: a duration races Go's fuzz
# coordinator (golang/go#75804, fixed in Go 1.27), which can fail a clean
# run with a bare "context deadline exceeded" on a busy machine. Each count
# is a few seconds here; FUZZTIME (a count like 50000x, or a duration) overrides.
fuzz_budget() {
  case "$1" in
    FuzzAuthInputs) echo 5000x ;; # every run signs up and in: bcrypt-bound
    *) echo 15000x ;;
  esac
}
for target in $(go test -list '^Fuzz' ./internal/server/ | grep '^Fuzz'); do
  budget=${FUZZTIME:-$(fuzz_budget "$target")}
  echo "==> fuzz $target for $budget"
  go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" ./internal/server/
done
echo "test-server: all passed"
