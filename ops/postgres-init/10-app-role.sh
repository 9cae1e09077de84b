#!/bin/sh
# Run once by the postgres image on a fresh volume: the role the app connects as. It owns nothing; db-grant
# (docker-compose.yml) gives it what ops/lib/roles.sql lists after the owner applied the schema.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="$VALUELEDGER_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE valueledger_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'valueledger_app') \gexec
SQL
