#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded build).
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation de Chromium (Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "ATTENTION : /usr/bin/chromium absent ; les tests navigateur seront ignorés (échec en CI)." >&2
fi
