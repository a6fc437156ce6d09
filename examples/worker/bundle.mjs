// Bundles the Worker for workerd: `node bundle.mjs [entry] [outdir]` writes <outdir>/worker.js
// and copies the package's .wasm files beside it under their own names, keeping
// `import x from './solver.simd.wasm'` as an import (config.capnp declares them as wasm modules).
// `scaling-dynamics` resolves with the `workerd`/`worker` export conditions, as under wrangler.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ entry?: string, outdir?: string, workingDirectory?: string }} [options]
 *   workingDirectory: where `entry`, `outdir` and node_modules are looked up (default: this folder).
 */
export async function bundle({ entry = 'src/index.ts', outdir = 'dist', workingDirectory = fileURLToPath(new URL('.', import.meta.url)) } = {}) {
  await build({
    absWorkingDir: resolve(workingDirectory),
    entryPoints: { worker: entry },
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    conditions: ['workerd', 'worker'],
    loader: { '.wasm': 'copy' },
    assetNames: '[name]',
    logLevel: 'warning',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle({ entry: process.argv[2], outdir: process.argv[3] });
}
