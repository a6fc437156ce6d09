#!/usr/bin/env bash
# Development helper: builds both .wasm files into a private folder ($1) for
#   SCALING_DYNAMICS_WASM_DIR=$1 SCALING_DYNAMICS_SKIP_PACK=1 npx vitest run test/<file>
# so that several people can build and test at once without touching build/ or dist/.
set -euo pipefail
out="${1:?usage: scripts/dev-wasm.sh OUTPUT_DIR}"
mkdir -p "$out"
cd "$(dirname "$0")/.."
npx asc assembly/index.ts --config asconfig.json --target simd --outFile "$out/solver.simd.wasm" --textFile "$out/solver.simd.wat"
npx asc assembly/index.ts --config asconfig.json --target scalar --outFile "$out/solver.wasm" --textFile "$out/solver.wat"
