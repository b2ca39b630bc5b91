#!/usr/bin/env bash
# Installs (Debian) and starts a local PostgreSQL, with a `portail` superuser role for the tests.
# Prints the DATABASE_URL to use. Idempotent.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "Installation de PostgreSQL (Debian)…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 || { echo "PostgreSQL ne répond pas sur 127.0.0.1:5432." >&2; exit 1; }
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='portail'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE portail LOGIN SUPERUSER PASSWORD 'portail'\"" >&2
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='portail'\"" | grep -q 1 \
  || su postgres -c "createdb -O portail portail" >&2
echo "postgres://portail:portail@127.0.0.1:5432/portail"
