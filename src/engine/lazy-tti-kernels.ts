// The hot loop of the lazy Toeplitz DMFT (spec feature-learning.md §4.2 (v), §4.4; solver
// src/feature-learning/lazy-tti.ts), dispatched on the engine: WebAssembly engines run
// assembly/lazy-tti.ts over one Arena held for the whole solve; the js engine runs the same loop
// below in the same order of operations (two-lane dot products of laneDot, sequential node sums),
// so every engine gives the same bits.
import { laneDot } from '../linalg/row-products.js';
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';

type Block = ReturnType<Arena['allocate']>;

/** The exports of assembly/lazy-tti.ts (exported from assembly/index.ts). */
interface LazyTtiExports extends SolverExports {
  lazyTtiLags(
    responses: number, count: number, lags: number, eigenvalues: number, multiplicity: number, targetPower: number, cumulative: number,
    rzReversed: number, rg: number, p: number, y: number, sums: number, overlap: number, difference: number,
    learningRate: number, inverseSize: number, from: number, to: number,
  ): void;
}

/**
 * Buffers of one solve: `responses` (count x (lags + 1), node-major: h_b(0..lags)), per node
 * `eigenvalues`, `multiplicity`, `targetPower`, `cumulative` (phi_b); per lag `rzReversed`
 * (rzReversed[i] = r_z(lags - i)), `rg`, `p`, `y`, `overlap` (sum_b p_b phi_b(n)), `difference`
 * (sum_b mult_b (h_b(n) - h_b(n - 1))); `sums` = [sum_{m<n} y(m), sum_{m<n} r_g(m)].
 */
export type LazyTtiBuffer = 'responses' | 'eigenvalues' | 'multiplicity' | 'targetPower' | 'cumulative'
  | 'rzReversed' | 'rg' | 'p' | 'y' | 'sums' | 'overlap' | 'difference';

/** State of one solve on one engine. */
export interface LazyTtiState {
  /** A view of `buffer` to fill or read (valid until dispose; nothing is allocated after start). */
  view(buffer: LazyTtiBuffer): Float64Array;
  /** Advances lags from .. to - 1 (from >= 1), see assembly/lazy-tti.ts. */
  advance(from: number, to: number, learningRate: number, inverseSize: number): void;
  /** Releases the engine memory (idempotent). */
  dispose(): void;
}

/** The kernels of one engine. */
export interface LazyTtiKernels {
  /** Allocates zeroed buffers for `count` nodes and lags 0..lags. */
  start(count: number, lags: number): LazyTtiState;
}

function sizes(count: number, lags: number): Record<LazyTtiBuffer, number> {
  const perLag = lags + 1;
  return {
    responses: count * perLag, eigenvalues: count, multiplicity: count, targetPower: count, cumulative: count,
    rzReversed: perLag, rg: perLag, p: perLag, y: perLag, sums: 2, overlap: perLag, difference: perLag,
  };
}

/** The TypeScript loop (the js engine, and the reference the WebAssembly kernel is tested against). */
export function lazyTtiLagsTs(buffers: Record<LazyTtiBuffer, Float64Array>, count: number, lags: number,
  learningRate: number, inverseSize: number, from: number, to: number): void {
  const { responses, eigenvalues, multiplicity, targetPower, cumulative, rzReversed, rg, p, y, sums, overlap, difference } = buffers;
  const stride = lags + 1;
  let ySum = sums[0];
  let rgSum = sums[1];
  for (let n = from; n < to; n++) {
    rzReversed[lags - n] = learningRate * ySum;
    let reaction = 0;
    let overlapSum = 0;
    let differenceSum = 0;
    for (let b = 0; b < count; b++) {
      const row = b * stride;
      const eigenvalue = eigenvalues[b];
      const value = -eigenvalue * laneDot(rzReversed, lags - n, responses, row, n);
      responses[row + n] = value;
      const phi = cumulative[b] + value;
      cumulative[b] = phi;
      const weight = multiplicity[b];
      reaction += weight * eigenvalue * value;
      overlapSum += targetPower[b] * phi;
      differenceSum += weight * (value - responses[row + n - 1]);
    }
    overlap[n] = overlapSum;
    difference[n] = differenceSum;
    const rgValue = -inverseSize * reaction;
    rg[n] = rgValue;
    p[n] = learningRate * rgSum;
    rgSum += rgValue;
    let next = 0;
    for (let m = 1; m <= n; m++) next += p[m] * y[n - m];
    y[n] = next;
    ySum += next;
  }
  sums[0] = ySum;
  sums[1] = rgSum;
}

const typescriptLazyTtiKernels: LazyTtiKernels = {
  start(count, lags) {
    const size = sizes(count, lags);
    const buffers = Object.fromEntries(Object.entries(size).map(([name, length]) => [name, new Float64Array(length)])) as Record<LazyTtiBuffer, Float64Array>;
    return {
      view: (buffer) => buffers[buffer],
      advance: (from, to, learningRate, inverseSize) => lazyTtiLagsTs(buffers, count, lags, learningRate, inverseSize, from, to),
      dispose: () => undefined,
    };
  },
};

function wasmLazyTtiKernels(exports: LazyTtiExports): LazyTtiKernels {
  return {
    start(count, lags) {
      const arena = new Arena(exports);
      const blocks = {} as Record<LazyTtiBuffer, Block>;
      try {
        for (const [name, length] of Object.entries(sizes(count, lags)) as [LazyTtiBuffer, number][]) {
          blocks[name] = arena.allocate(length);
        }
        for (const name of Object.keys(blocks) as LazyTtiBuffer[]) arena.view(blocks[name]).fill(0);
      } catch (error) {
        arena.release();
        throw error;
      }
      let released = false;
      return {
        view: (buffer) => arena.view(blocks[buffer]),
        advance(from, to, learningRate, inverseSize) {
          const pointer = (name: LazyTtiBuffer) => blocks[name].pointer;
          exports.lazyTtiLags(pointer('responses'), count, lags, pointer('eigenvalues'), pointer('multiplicity'), pointer('targetPower'),
            pointer('cumulative'), pointer('rzReversed'), pointer('rg'), pointer('p'), pointer('y'), pointer('sums'), pointer('overlap'),
            pointer('difference'), learningRate, inverseSize, from, to);
        },
        dispose() {
          if (!released) arena.release();
          released = true;
        },
      };
    },
  };
}

/** The lazy-TTI kernels of `engine`: WebAssembly when its module has them, TypeScript otherwise. */
export function lazyTtiKernels(engine: Engine): LazyTtiKernels {
  const exports = engine.exports as LazyTtiExports | undefined;
  if (exports && typeof exports.lazyTtiLags === 'function') return wasmLazyTtiKernels(exports);
  return typescriptLazyTtiKernels;
}
