#!/usr/bin/env bash
# The local ProConnect the tests log in through: Node.js (Debian) and the npm package
# oidc-provider, installed from tests/proconnect/package-lock.json.
set -eu
cd "$(dirname "$0")/../tests/proconnect"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installation de Node.js (Debian)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "ATTENTION : Node.js absent ; les tests ProConnect seront ignorés (échec en CI)." >&2
    exit 0
  fi
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
