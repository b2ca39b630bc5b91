#!/usr/bin/env bash
# The HTTP load generator of `make bench-load` (Debian's wrk).
set -eu
if command -v wrk >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation de wrk (Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
  echo "wrk absent : installez le paquet Debian « wrk »." >&2
  exit 1
fi
