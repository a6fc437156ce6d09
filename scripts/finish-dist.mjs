// Copies the two .wasm builds beside the Node entry and marks the CLI executable.
import { chmodSync, copyFileSync } from 'node:fs';

for (const name of ['solver.wasm', 'solver.simd.wasm']) {
  copyFileSync(new URL(`../build/${name}`, import.meta.url), new URL(`../dist/${name}`, import.meta.url));
}
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
