// Test helpers: the API from source (src/core.ts) initialised with the built .wasm files
// (npm test builds first), and error-measuring utilities.
import { readFileSync } from 'node:fs';
import { init } from '../src/core.js';

export * from '../src/core.js';

/** The engines every cross-engine test runs. */
export const ENGINES = ['wasm-simd', 'wasm', 'js'] as const;

/**
 * Folder of the two .wasm builds: build/ (npm test builds it), or SCALING_DYNAMICS_WASM_DIR for a
 * private build (see CONTRIBUTING notes in README "Design notes").
 */
const wasmDirectory = process.env.SCALING_DYNAMICS_WASM_DIR
  ? new URL(`file://${process.env.SCALING_DYNAMICS_WASM_DIR.replace(/\/?$/, '/')}`)
  : new URL('../build/', import.meta.url);

/** Instantiates both builds (idempotent). */
export async function initEngines() {
  return init({
    simd: readFileSync(new URL('solver.simd.wasm', wasmDirectory)),
    scalar: readFileSync(new URL('solver.wasm', wasmDirectory)),
  });
}

/** Largest |a - b| / |b| over two arrays (b = 0 compares absolutely). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const error = b[i] === 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / Math.abs(b[i]);
    worst = Math.max(worst, Number.isNaN(error) ? Infinity : error);
  }
  return worst;
}
