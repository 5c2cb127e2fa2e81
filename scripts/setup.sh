#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there:
# the wasm32 target, rustfmt and clippy, wasm-pack, wasm-bindgen-cli at exactly
# Cargo.lock's wasm-bindgen version, and the npm dev dependencies (binaryen gives
# wasm-opt: Debian's binaryen is too old and its output fails to load), and the
# durable execution emulator with cfn-lint (PyPI, in .cache/emulator-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$c"; then
    say "adding $c"
    rustup component add "$c"
  fi
done

if ! command -v wasm-pack >/dev/null 2>&1; then
  say "installing wasm-pack (about 2 minutes)"
  cargo install wasm-pack --locked
fi

[ -f Cargo.lock ] || cargo generate-lockfile
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}; about 4 minutes)"
  # --locked first; its lock file pins crates the registry may no longer carry, so
  # fall back to a fresh resolution of the same version.
  cargo install wasm-bindgen-cli --version "$want" --locked --force ||
    cargo install wasm-bindgen-cli --version "$want" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund
fi
# The durable execution emulator (and cfn-lint for the SAM template), from PyPI,
# in a project-local virtualenv.
venv=.cache/emulator-venv
if [ ! -x "$venv/bin/dex-local-runner" ] || [ ! -x "$venv/bin/cfn-lint" ]; then
  say "installing the durable execution emulator and cfn-lint into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "aws-durable-execution-sdk-python-testing==1.4.0" "cfn-lint>=1,<2"
fi
say "ready"
