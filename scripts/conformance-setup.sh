#!/usr/bin/env bash
# Fetches what the offline conformance harness (scripts/conformance.mjs) needs, into
# .cache/conformance/ (gitignored; never committed):
#   - the wheel of PyPI aws-durable-execution-conformance-tests 1.0.0 (requirement YAMLs
#     under test_requirements/<suite>/<id>.yaml and the runner's validators);
#   - its contents, unzipped into .cache/conformance/pkg.
# Checks that the emulator venv's Python can import the validators (the wheel asks for
# Python >= 3.14; the modules run on the venv's 3.11). Idempotent: skips what is there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/.cache/conformance"
VERSION=1.0.0
WHEEL="$DIR/wheel/aws_durable_execution_conformance_tests-$VERSION-py3-none-any.whl"
PKG="$DIR/pkg"
PY="${CONFORMANCE_PYTHON:-$ROOT/.cache/emulator-venv/bin/python}"

mkdir -p "$DIR/wheel"
if [ -f "$WHEEL" ]; then
  echo "conformance-setup: wheel already there: ${WHEEL#$ROOT/}"
else
  echo "conformance-setup: downloading aws-durable-execution-conformance-tests==$VERSION (wheel only, no dependencies)"
  PIP=pip
  command -v pip >/dev/null 2>&1 || PIP="python3 -m pip"
  $PIP download --no-deps --python-version 3.14 --only-binary=:all: "aws-durable-execution-conformance-tests==$VERSION" -d "$DIR/wheel"
fi

if [ -d "$PKG/aws_durable_execution_conformance_tests/test_requirements" ]; then
  echo "conformance-setup: already unzipped: ${PKG#$ROOT/}"
else
  echo "conformance-setup: unzipping the wheel into ${PKG#$ROOT/}"
  rm -rf "$PKG.tmp" && mkdir -p "$PKG.tmp"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$WHEEL" -d "$PKG.tmp"
  else
    python3 -m zipfile -e "$WHEEL" "$PKG.tmp"
  fi
  rm -rf "$PKG" && mv "$PKG.tmp" "$PKG"
fi

for s in step wait child callback invoke wait_for_condition wait_for_callback; do
  n=$(find "$PKG/aws_durable_execution_conformance_tests/test_requirements/$s" -name '*.yaml' | wc -l)
  echo "conformance-setup: suite $s: $n requirement(s)"
done

if [ ! -x "$PY" ]; then
  echo "conformance-setup: $PY is missing: run scripts/setup.sh first (it installs the emulator venv)" >&2
  exit 1
fi
echo "conformance-setup: checking that $("$PY" --version 2>&1) (${PY#$ROOT/}) imports the runner's validators"
PYTHONPATH="$PKG" "$PY" -c "
from aws_durable_execution_conformance_tests.history import EventHistoryMatcher
from aws_durable_execution_conformance_tests.validate import PollingValidator, _validate_execution_result
from aws_durable_execution_conformance_tests.callback import CallbackSender
import boto3, yaml
print('conformance-setup: validators import: ok')
"
echo "conformance-setup: done; run: node scripts/conformance.mjs [--sdk official|ours] [--suite ...] [--id ...]"
