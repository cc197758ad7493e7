#!/usr/bin/env bash
# One entry point for learners, instructors and CI.
#   ./course.sh open   set up (first time) and open the course in JupyterLab
#   ./course.sh test   set up (first time) and run the full test suite
#   ./course.sh setup [--dev]  only set up (--dev: with the instructor and test tools)
#   ./course.sh upgrade  re-lock with the newest allowed versions, install, run the fast tests
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

# Python packages come from the committed locks (requirements/*.txt, with hashes), installed
# by uv; the course itself is installed on top without dependencies. runtime.txt is what a
# learner needs; dev.txt adds the instructor and test tools (a superset at the same versions).
install_deps() {
  local kind=$1 lock="requirements/$1.txt" stamp="$VENV/.installed-$1" want
  ensure_venv
  want=$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ "$kind" = runtime ] && [ -f "$VENV/.installed-dev" ] &&
    [ "$(cat "$VENV/.installed-dev")" = "$(cat requirements/dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)" ]; then
    want=done  # the dev set is installed and current, and holds the runtime set
  fi
  if [ "$want" != done ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; }; then
    say "Installing the course and its locked dependencies ($lock) into $VENV..."
    if [ ! -x "$VENV/bin/uv" ]; then
      # --isolated: uv reads no pip configuration either, so both installers see the same index.
      "$VENV/bin/python" -m pip install --isolated --quiet --disable-pip-version-check --require-hashes -r requirements/bootstrap.txt
    fi
    # --compile-bytecode: grading kernels run in a read-only jail that cannot write .pyc files, so
    # without it every kernel would compile pandas, moto and the rest from source again.
    "$VENV/bin/uv" pip install --quiet --compile-bytecode --python "$VENV/bin/python" --require-hashes --excludes requirements/excludes.txt -r "$lock"
    "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e .
    "$VENV/bin/python" -m compileall -q course tools >/dev/null
    echo "$want" >"$stamp"
    INSTALLED_DEPS="installed from $lock"
    say "Installed."
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
    if [ "${2:-}" = --dev ]; then install_deps dev; else install_deps runtime; fi
    ;;
  upgrade)
    # A deliberate step: see what the newest allowed versions break before learners do.
    install_deps dev
    "$VENV/bin/python" -m tools.lock --upgrade
    install_deps dev
    say "Running the fast tests against the upgraded set (docs/maintenance.md)..."
    export PATH="$PWD/$VENV/bin:$PATH"
    exec "$VENV/bin/python" -m pytest -m "not slow and not browser" -p no:cacheprovider "${@:2}"
    ;;
  open)
    install_deps runtime
    workspace
    say "Opening the course at http://localhost:$PORT/lab (Ctrl+C to stop)."
    extra=()
    [ "$(id -u)" = 0 ] && extra+=(--allow-root)  # e.g. a container; JupyterLab refuses root otherwise
    exec "$VENV/bin/jupyter" lab --ServerApp.root_dir="$PWD/workspace" --port="$PORT" --ServerApp.ip=127.0.0.1 "${extra[@]}" "${@:2}"
    ;;
  test)
    # How long the set-up took is printed again at the end of the run (tests/conftest.py), so a
    # first run on a new machine shows where its time went. The Debian packages and npm tools
    # install alongside the Python packages (different folders; both mostly wait on downloads).
    start=$SECONDS
    ensure_venv
    system_log=$(mktemp)
    (
      t=$SECONDS
      tools/system-deps.sh
      echo "system-deps: $((SECONDS - t)) s"
    ) >"$system_log" 2>&1 &
    system_pid=$!
    # If the Python install fails, let apt finish rather than leave dpkg half done.
    trap 'wait "$system_pid" 2>/dev/null; cat "$system_log"; rm -f "$system_log"' EXIT
    install_deps dev
    python_s=$((SECONDS - start))
    system_rc=0
    wait "$system_pid" || system_rc=$?
    trap - EXIT
    grep -v '^system-deps: ' "$system_log" || true
    system_s=$(sed -n 's/^system-deps: \([0-9]*\) s$/\1/p' "$system_log")
    debian=$(sed -n 's/^Installing Debian packages: //p' "$system_log")
    rm -f "$system_log"
    if [ "$system_rc" != 0 ]; then
      echo "tools/system-deps.sh failed (exit $system_rc); its output is above." >&2
      exit "$system_rc"
    fi
    export PATH="$PWD/$VENV/bin:$PWD/$VENV/node_modules/.bin:$PATH"
    "$VENV/bin/ruff" check --no-cache .
    "$VENV/bin/ruff" format --no-cache --check .
    export COURSE_SETUP_SUMMARY="set-up and lint before the tests: $((SECONDS - start)) s (Python packages: ${INSTALLED_DEPS:-already installed}, ${python_s} s; Debian packages: ${debian:-already installed}, ${system_s:-?} s, alongside)"
    # Everything is installed now, so a test that finds a tool missing fails instead of skipping
    # (COURSE_REQUIRE_ALL=0 ./course.sh test to let such tests skip).
    export COURSE_REQUIRE_ALL=${COURSE_REQUIRE_ALL:-1}
    # In parallel, one worker per core plus one, since part of the run waits on browsers, servers
    # and kernels starting (2 cores: 679 s with 2 workers, 631 s with 3, 625 s with 4);
    # COURSE_TEST_WORKERS to change it (0 runs in-process). Tests that share a graded class, hub
    # or browser stay on one worker (tests/conftest.py).
    # The slowest tests are listed at the end of every run, so a regression shows.
    exec "$VENV/bin/python" -m pytest -n "${COURSE_TEST_WORKERS:-$(($(getconf _NPROCESSORS_ONLN) + 1))}" --dist loadgroup --durations=15 "${@:2}"
    ;;
  *)
    echo "usage: ./course.sh [open|test|setup [--dev]|upgrade]" >&2
    exit 2
    ;;
esac
