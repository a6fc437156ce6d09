// Test helpers: the API from source (src/core.ts) initialised with the built .wasm files
// (npm test builds first), and error-measuring utilities.
import { readFileSync } from 'node:fs';
import { init } from '../src/core.js';

export * from '../src/core.js';

/** The engines every cross-engine test runs. */
export const ENGINES = ['wasm-simd', 'wasm', 'js'] as const;

/** Instantiates both builds from build/ (idempotent). */
export async function initEngines() {
  return init({
    simd: readFileSync(new URL('../build/solver.simd.wasm', import.meta.url)),
    scalar: readFileSync(new URL('../build/solver.wasm', import.meta.url)),
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
