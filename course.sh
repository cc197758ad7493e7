#!/usr/bin/env bash
# One entry point for learners, instructors and CI.
#   ./course.sh open   set up (first time) and open the course in JupyterLab
#   ./course.sh test   set up (first time) and run the full test suite
#   ./course.sh setup  only set up
set -euo pipefail
cd "$(dirname "$0")"
VENV=${COURSE_VENV:-.venv}
PORT=${COURSE_PORT:-8888}

say() { printf '\033[1m%s\033[0m\n' "$*"; }

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "This course needs Python 3.11 or newer (python3 --version says: $(python3 --version 2>&1))." >&2
  exit 1
}

ensure_venv() {
  [ -x "$VENV/bin/python" ] && return 0
  local py
  py=$(find_python)
  if ! "$py" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    # Debian and Ubuntu ship venv separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "Installing python3-venv (Debian package)..."
      apt-get update -qq && apt-get install -y -qq "$(basename "$py")-venv" || apt-get install -y -qq python3-venv
    elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
      say "Installing python3-venv with sudo..."
      sudo apt-get update -qq && sudo apt-get install -y -qq python3-venv
    else
      echo "Could not create a virtual environment: install your system's python3-venv package and run this again." >&2
      exit 1
    fi
    "$py" -m venv "$VENV"
  fi
}

install_deps() {
  ensure_venv
  local stamp="$VENV/.installed" want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing the course and its dependencies into $VENV (first time: about two minutes)..."
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e '.[dev]'
    echo "$want" >"$stamp"
  fi
  # JupyterLab settings shipped with the course (no news pop-up, no update checks).
  mkdir -p "$VENV/share/jupyter/lab/settings"
  cp jupyter/overrides.json "$VENV/share/jupyter/lab/settings/overrides.json"
}

workspace() {
  # Learners work on a copy of release/ (and the study tools), so their work never dirties
  # the repository and a `git pull` never overwrites it. New files are copied in; existing kept.
  mkdir -p workspace
  for dir in release/*/ study/; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    mkdir -p "workspace/$name"
    for f in "$dir"*; do
      [ -e "workspace/$name/$(basename "$f")" ] || cp "$f" "workspace/$name/"
    done
  done
}

case "${1:-open}" in
  setup)
    install_deps
    ;;
  open)
    install_deps
    workspace
    say "Opening the course at http://localhost:$PORT/lab (Ctrl+C to stop)."
    extra=()
    [ "$(id -u)" = 0 ] && extra+=(--allow-root)  # e.g. a container; JupyterLab refuses root otherwise
    exec "$VENV/bin/jupyter" lab --ServerApp.root_dir="$PWD/workspace" --port="$PORT" --ServerApp.ip=127.0.0.1 "${extra[@]}" "${@:2}"
    ;;
  test)
    install_deps
    tools/system-deps.sh
    export PATH="$PWD/$VENV/bin:$PWD/$VENV/node_modules/.bin:$PATH"
    "$VENV/bin/ruff" check --no-cache .
    "$VENV/bin/ruff" format --no-cache --check .
    # Everything is installed now, so a test that finds a tool missing fails instead of skipping
    # (COURSE_REQUIRE_ALL=0 ./course.sh test to let such tests skip).
    export COURSE_REQUIRE_ALL=${COURSE_REQUIRE_ALL:-1}
    exec "$VENV/bin/python" -m pytest "${@:2}"
    ;;
  *)
    echo "usage: ./course.sh [open|test|setup]" >&2
    exit 2
    ;;
esac
