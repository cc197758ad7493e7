#!/usr/bin/env bash
# Debian packages and npm tools the full test suite needs (browser, database, hub proxy).
# Installs only what is missing; needs root or sudo. Without either it says what to
# install and exits 0: the tests that need a missing tool skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."

read_list() { grep -v '^\s*#' "$1" | grep -v '^\s*$' || true; }

missing=()
for pkg in $(read_list tools/debian-packages.txt); do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$SUDO" = none ] || ! command -v apt-get >/dev/null; then
    echo "Not installing Debian packages (${missing[*]}): no root, sudo or apt-get. Tests that need them will skip." >&2
  else
    echo "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# npm tools go into .venv/node_modules so nothing global changes.
npm_pkgs=$(read_list tools/npm-packages.txt)
if [ -n "$npm_pkgs" ] && command -v npm >/dev/null; then
  for pkg in $npm_pkgs; do
    name=${pkg%@*}
    [ -d ".venv/node_modules/$name" ] || npm install --silent --no-audit --no-fund --prefix .venv "$pkg" >/dev/null
  done
fi
