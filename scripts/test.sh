#!/usr/bin/env bash
# Every test of the project, after any set-up it needs. CI runs exactly this (npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

step "format and lint: rustfmt, clippy (native and wasm32)"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

step "Rust tests, native: unit, ordering, core, virtual-time driver, seed port, properties (1000 cases each)"
PROPTEST_CASES=1000 cargo test --release

step "Rust tests as WebAssembly under Node: ordering, core, timer-driven driver"
wasm-pack test --node

step "package build: wasm-pack (release, wasm-opt) and tsc --strict over js/"
bash scripts/build.sh

step "tsc --strict over examples/ and the README's TypeScript blocks"
node scripts/readme-snippets.mjs
tsc -p examples/tsconfig.json

step "SAM template (cfn-lint, offline) and the deployable artifact it points at"
.cache/emulator-venv/bin/cfn-lint examples/template.yaml
bash scripts/lambda-artifact.sh

step "the demo, small: the order workflow against the local emulator"
node scripts/demo.mjs --items 20 --wait 1

step "install test: npm pack, install into a fresh TypeScript project, compile and run"
bash scripts/install-test.sh

step "JavaScript tests (node:test): the package (tests/js) and end to end against the emulator (tests/e2e)"
node --test --test-concurrency=1 tests/js/ tests/e2e/

step "AWS conformance requirements (suites 1-9) against the emulator: the official SDK and ours side by side; ours must pass whatever the official one passes"
bash scripts/conformance-setup.sh
node scripts/conformance.mjs --check
