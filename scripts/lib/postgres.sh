# Sourced by scripts/test-server.sh and scripts/bench.sh: Debian's PostgreSQL
# cluster and a throwaway role + database per run.
#   pg_start_cluster   start the newest cluster if it is down (sets PG_VERSION, PG_PORT)
#   pg_make_database   create role and database (sets PG_DB, PG_URL)
#   pg_drop_database   drop them again (safe to call twice)

pg_as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

pg_start_cluster() {
  command -v pg_lsclusters >/dev/null || { echo "PostgreSQL is not installed: run scripts/install-deps.sh --test" >&2; exit 1; }
  local line
  line=$(pg_lsclusters --no-header | sort -k1,1n | tail -1)
  [[ -n "$line" ]] || { echo "no PostgreSQL cluster found (pg_lsclusters is empty)" >&2; exit 1; }
  read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ <<<"$line"
  if [[ "$PG_STATUS" != online* ]]; then
    echo "==> starting PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
    if [[ $(id -u) -eq 0 ]]; then pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
    else sudo pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start; fi
  fi
  export PG_VERSION PG_PORT
}

pg_make_database() {
  PG_DB="cara_test_$$_$(date +%s)"
  local pw
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  pg_as_postgres psql -q -p "$PG_PORT" -v ON_ERROR_STOP=1 -d postgres \
    -c "CREATE ROLE $PG_DB LOGIN PASSWORD '$pw'" \
    -c "CREATE DATABASE $PG_DB OWNER $PG_DB" >/dev/null
  PG_URL="postgres://$PG_DB:$pw@127.0.0.1:$PG_PORT/$PG_DB?sslmode=disable"
  export PG_DB PG_URL
}

pg_drop_database() {
  [[ -n "${PG_DB:-}" ]] || return 0
  pg_as_postgres psql -q -p "$PG_PORT" -d postgres \
    -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS $PG_DB" >/dev/null || echo "warning: could not drop database $PG_DB" >&2
  PG_DB=""
}
