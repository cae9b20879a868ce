#!/bin/sh
# Creates or upgrades Temporal's persistence and visibility schemas on MySQL 8 (run by the
# temporal-schema service of docker-compose.temporal.yml in temporalio/admin-tools). Every step is
# safe to repeat: an existing database is kept and only missing schema versions are applied.
set -eu
: "${SQL_HOST:?SQL_HOST is required}"
: "${SQL_USER:?SQL_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
SQL_PORT=${SQL_PORT:-3306}
SCHEMA_DIR=/etc/temporal/schema/mysql/v8

until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  echo "waiting for MySQL at $SQL_HOST:$SQL_PORT"
  sleep 2
done

# SQL_PASSWORD reaches temporal-sql-tool through the environment, never the command line.
sql() { temporal-sql-tool --plugin mysql8 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" --db "$db" "$@"; }

for db in temporal temporal_visibility; do
  case $db in
    temporal) versions=$SCHEMA_DIR/temporal/versioned ;;
    *) versions=$SCHEMA_DIR/visibility/versioned ;;
  esac
  sql create
  sql setup-schema -v 0.0
  sql update-schema -d "$versions"
  echo "schema of $db is up to date"
done
