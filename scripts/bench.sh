#!/usr/bin/env bash
# Regenerates bench/RESULTS.md (and chart.svg, results.json) from scratch: set-up,
# package build, examples, then every contender on every workload in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh >&2
bash scripts/build.sh >&2
tsc -p examples/tsconfig.json
node bench/run.mjs "$@"
