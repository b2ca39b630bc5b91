#!/usr/bin/env bash
# Prints the newest Python interpreter >= 3.12 found on this machine (PATH, then pyenv).
# Exits non-zero with a clear message when there is none.
set -u
candidates=()
for name in python3.14 python3.13 python3.12 python3; do
  command -v "$name" >/dev/null 2>&1 && candidates+=("$(command -v "$name")")
done
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin; do
  for exe in "$dir"/python3.1[2-9]; do
    [ -x "$exe" ] && candidates+=("$exe")
  done
done
best="" best_version=0
for exe in "${candidates[@]}"; do
  version=$("$exe" -c 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])' 2>/dev/null) || continue
  if [ "$version" -ge 312 ] && [ "$version" -gt "$best_version" ]; then
    best="$exe" best_version="$version"
  fi
done
if [ -z "$best" ]; then
  echo "Python >= 3.12 est requis (Django 6) et aucun n'a été trouvé (PATH, pyenv)." >&2
  exit 1
fi
echo "$best"
