#!/usr/bin/env bash
# The main job: set up what is missing, build the package and the examples, and run
# the order workflow against the local durable execution emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh >&2
bash scripts/build.sh >&2
node scripts/readme-snippets.mjs >&2
tsc -p examples/tsconfig.json
node scripts/demo.mjs "$@"
