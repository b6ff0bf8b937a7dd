#!/usr/bin/env bash
# Lints the Dockerfile, the shell scripts and the Prometheus config. hadolint itself is published only as a GitHub binary and on
# PyPI, neither reachable from this project's machines, so the Dockerfile is checked with dockerlinter
# (npm; hadolint-style rules, ShellCheck on every RUN) and the scripts with Debian's shellcheck.
# Usage: scripts/lint-ops.sh   (needs npm and shellcheck; .ci/run installs them)
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.2.2
tool="target/dockerlinter"
command -v shellcheck >/dev/null 2>&1 || { echo "lint: shellcheck not found (apt-get install shellcheck)" >&2; exit 1; }
if [[ ! -f "$tool/node_modules/dockerlinter/bin/dockerfilelinter" ]]; then
  command -v npm >/dev/null 2>&1 || { echo "lint: npm not found (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$tool"
  # --ignore-scripts: its install script downloads a ShellCheck binary; Debian's is used instead
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$tool" "dockerlinter@$version" >/dev/null
fi

# the linter writes its ShellCheck snippets into the working directory: give it a scratch one
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
dockerfile="$PWD/Dockerfile"
linter="$PWD/$tool/node_modules/dockerlinter/bin/dockerfilelinter"
( cd "$scratch" && node "$linter" -f "$dockerfile" -s bash -e ) || { echo "lint: Dockerfile has findings (above)" >&2; exit 1; }
shellcheck -S warning scripts/*.sh .ci/run
# the compose Prometheus config and its alert rules (promtool comes with Debian's prometheus package)
if command -v promtool >/dev/null 2>&1; then
  promtool check config ops/prometheus/prometheus.yml >/dev/null
fi
echo "lint: Dockerfile, scripts and Prometheus config clean"
