// The kernels of the exact N x N simulator of the projected two-layer linear model (spec
// feature-learning.md §1.4, §1.6), dispatched on the engine: WebAssembly engines run
// assembly/two-layer.ts over one Arena held for the whole simulation; the js engine runs the same
// loops below, in the same order of operations (two-lane dot products, rows applied one after
// another, no fused multiply-add), so every engine gives the same bits.
import { EngineError } from '../errors.js';
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';
import { laneDot } from '../linalg/row-products.js';

/** The exports of assembly/two-layer.ts (exported from assembly/index.ts). */
interface TwoLayerExports extends SolverExports {
  twoLayerError(features: number, combined: number, teacher: number, eigenvalues: number, error: number, n: number, m: number): number;
  twoLayerGradient(data: number, rows: number, error: number, eigenvalues: number, gradient: number, residual: number, m: number): number;
  twoLayerField(features: number, gradient: number, field: number, n: number, m: number): void;
  twoLayerUpdate(mixing: number, readout: number, field: number, combined: number, n: number, learningRate: number, featureRate: number): void;
}

/** Sizes of one simulation. */
export interface TwoLayerShape {
  /** N, rows of the projection A0. */
  readonly modelSize: number;
  /** M, modes. */
  readonly modes: number;
  /** Rows of the data matrix: B (online), P (data reuse), or 0 for the population gradient (B = Infinity). */
  readonly rows: number;
  /** Whether Ã is evolved (featureLearning > 0); the lazy model keeps Ã = I and stores nothing for it. */
  readonly rich: boolean;
}

/**
 * The buffers of one simulation: `features` A0 (N x M), `mixing` Ã (N x N, rich only),
 * `readout` w (N), `combined` z = Ã^T w (N), `field` h (N), `teacher` w* (M), `eigenvalues` (M),
 * `error` v (M), `gradient` g (M), `data` Psi (rows x M), `residual` (rows).
 */
export type TwoLayerBuffer = 'features' | 'mixing' | 'readout' | 'combined' | 'field' | 'teacher' | 'eigenvalues'
  | 'error' | 'gradient' | 'data' | 'residual';

/** State of one simulation on one engine; the kernels act on its buffers. */
export interface TwoLayerState {
  /** A view of `buffer` to read or fill. Valid until dispose() (no allocation happens after start). */
  view(buffer: TwoLayerBuffer): Float64Array;
  /** error = teacher - A0^T z / N; returns the test loss sum_k lambda_k v_k^2. */
  error(): number;
  /** gradient = Psi^T Psi error / rows (rows = 0: eigenvalues * error); returns the train loss. */
  gradient(): number;
  /** field = A0 gradient. */
  field(): void;
  /** The N x N update of (Ã, w, z) with learning rate eta and featureRate = eta gamma / N. */
  update(learningRate: number, featureRate: number): void;
  /** Releases the engine memory (idempotent). */
  dispose(): void;
}

/** The simulator kernels of one engine. */
export interface TwoLayerKernels {
  /** Allocates the buffers of `shape` (contents unspecified). */
  start(shape: TwoLayerShape): TwoLayerState;
}

/** Same loop as twoLayerError in assembly/two-layer.ts. */
export function twoLayerError(
  features: Float64Array, combined: Float64Array, teacher: Float64Array, eigenvalues: Float64Array, error: Float64Array, n: number, m: number,
): number {
  error.set(teacher.subarray(0, m));
  for (let i = 0; i < n; i++) {
    const c = -(combined[i] / n);
    const row = i * m;
    for (let k = 0; k < m; k++) error[k] += c * features[row + k];
  }
  const even = m & ~1;
  let lane0 = 0;
  let lane1 = 0;
  for (let k = 0; k < even; k += 2) {
    lane0 += eigenvalues[k] * (error[k] * error[k]);
    lane1 += eigenvalues[k + 1] * (error[k + 1] * error[k + 1]);
  }
  let loss = lane0 + lane1;
  if (m & 1) loss += eigenvalues[even] * (error[even] * error[even]);
  return loss;
}

/** Same loop as twoLayerGradient in assembly/two-layer.ts. */
export function twoLayerGradient(
  data: Float64Array, rows: number, error: Float64Array, eigenvalues: Float64Array, gradient: Float64Array, residual: Float64Array, m: number,
): number {
  if (rows === 0) {
    for (let k = 0; k < m; k++) gradient[k] = eigenvalues[k] * error[k];
    return 0;
  }
  gradient.fill(0, 0, m);
  let squares = 0;
  for (let mu = 0; mu < rows; mu++) {
    const row = mu * m;
    const r = laneDot(data, row, error, 0, m);
    residual[mu] = r;
    squares += r * r;
    const c = r / rows;
    for (let k = 0; k < m; k++) gradient[k] += c * data[row + k];
  }
  return squares / rows;
}

/** Same loop as twoLayerField in assembly/two-layer.ts. */
export function twoLayerField(features: Float64Array, gradient: Float64Array, field: Float64Array, n: number, m: number): void {
  for (let i = 0; i < n; i++) field[i] = laneDot(features, i * m, gradient, 0, m);
}

/** Same loop as twoLayerUpdate in assembly/two-layer.ts (mixing undefined: the lazy model). */
export function twoLayerUpdate(
  mixing: Float64Array | undefined, readout: Float64Array, field: Float64Array, combined: Float64Array, n: number,
  learningRate: number, featureRate: number,
): void {
  if (!mixing) {
    for (let i = 0; i < n; i++) {
      const next = readout[i] + learningRate * field[i];
      readout[i] = next;
      combined[i] = next;
    }
    return;
  }
  combined.fill(0, 0, n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const old = readout[i];
    const next = old + learningRate * laneDot(mixing, row, field, 0, n);
    readout[i] = next;
    const c = featureRate * old;
    for (let j = 0; j < n; j++) mixing[row + j] += c * field[j];
    for (let j = 0; j < n; j++) combined[j] += next * mixing[row + j];
  }
}

function sizes(shape: TwoLayerShape): Record<TwoLayerBuffer, number> {
  const { modelSize: n, modes: m, rows } = shape;
  return {
    features: n * m, mixing: shape.rich ? n * n : 0, readout: n, combined: n, field: n,
    teacher: m, eigenvalues: m, error: m, gradient: m, data: rows * m, residual: rows,
  };
}

/** The TypeScript kernels (the js engine, and the reference the WebAssembly kernels are tested against). */
export const typescriptTwoLayerKernels: TwoLayerKernels = {
  start(shape) {
    const { modelSize: n, modes: m, rows } = shape;
    const buffers = Object.fromEntries(Object.entries(sizes(shape)).map(([name, count]) => [name, new Float64Array(count)])) as
      Record<TwoLayerBuffer, Float64Array>;
    const { features, mixing, readout, combined, field, teacher, eigenvalues, error, gradient, data, residual } = buffers;
    return {
      view: (buffer) => buffers[buffer],
      error: () => twoLayerError(features, combined, teacher, eigenvalues, error, n, m),
      gradient: () => twoLayerGradient(data, rows, error, eigenvalues, gradient, residual, m),
      field: () => twoLayerField(features, gradient, field, n, m),
      update: (learningRate, featureRate) => twoLayerUpdate(shape.rich ? mixing : undefined, readout, field, combined, n, learningRate, featureRate),
      dispose: () => {},
    };
  },
};

function wasmTwoLayerKernels(exports: TwoLayerExports): TwoLayerKernels {
  return {
    start(shape) {
      const { modelSize: n, modes: m, rows } = shape;
      const arena = new Arena(exports);
      const blocks = {} as Record<TwoLayerBuffer, { pointer: number; count: number }>;
      try {
        for (const [name, count] of Object.entries(sizes(shape))) blocks[name as TwoLayerBuffer] = arena.allocate(count);
      } catch (error) {
        arena.release();
        throw error;
      }
      const at = (buffer: TwoLayerBuffer) => blocks[buffer].pointer;
      let disposed = false;
      const live = () => {
        if (disposed) throw new EngineError('TwoLayerState used after dispose()');
      };
      return {
        view(buffer) {
          live();
          return arena.view(blocks[buffer]);
        },
        error() {
          live();
          return exports.twoLayerError(at('features'), at('combined'), at('teacher'), at('eigenvalues'), at('error'), n, m);
        },
        gradient() {
          live();
          return exports.twoLayerGradient(at('data'), rows, at('error'), at('eigenvalues'), at('gradient'), at('residual'), m);
        },
        field() {
          live();
          exports.twoLayerField(at('features'), at('gradient'), at('field'), n, m);
        },
        update(learningRate, featureRate) {
          live();
          exports.twoLayerUpdate(shape.rich ? at('mixing') : 0, at('readout'), at('field'), at('combined'), n, learningRate, featureRate);
        },
        dispose() {
          if (!disposed) arena.release();
          disposed = true;
        },
      };
    },
  };
}

/** The simulator kernels of `engine`: WebAssembly when it has raw exports, TypeScript otherwise. */
export function twoLayerKernels(engine: Engine): TwoLayerKernels {
  const exports = engine.exports as TwoLayerExports | undefined;
  if (exports && typeof exports.twoLayerError === 'function') return wasmTwoLayerKernels(exports);
  return typescriptTwoLayerKernels;
}
