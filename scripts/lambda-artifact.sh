#!/usr/bin/env bash
# Assembles examples/.aws-artifact/: the compiled example handler plus the packed
# durable-checkpoint package and @aws-sdk/client-lambda in node_modules, ready for
# `sam deploy --template-file examples/template.yaml`. Not bundled: the package loads
# its .wasm from its own directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/examples/.aws-artifact"
rm -rf "$out" && mkdir -p "$out"
cd "$root"
tarball="$(npm pack --silent --pack-destination "$out" 2>/dev/null | tail -n 1)"
cp examples/dist/lambda-handler.js examples/dist/order-workflow.js examples/dist/durable.js "$out/"
cd "$out"
printf '{ "name": "order-workflow-function", "private": true }\n' > package.json
npm install --silent --no-audit --no-fund --omit=dev "./$tarball" "@aws-sdk/client-lambda@^3.940.0" >/dev/null 2>&1
rm -f "$tarball"
node -e 'const h = require("./lambda-handler.js"); if (typeof h.handler !== "function") process.exit(1)'
echo "lambda-artifact: $out ($(du -sk . | cut -f1) KiB)"
