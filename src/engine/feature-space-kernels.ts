// The kernel of the rich gradient flow of featureSpaceDynamics (spec feature-learning.md §1.4
// reduced to the feature space, §1.8 at finite N [D]), dispatched on the engine: WebAssembly
// engines run assembly/feature-space.ts over one Arena held for the whole flow; the js engine runs
// the same loop below, in the same order of operations (two-lane inner sums, no fused multiply-add),
// so every engine gives the same bits.
import { EngineError } from '../errors.js';
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';

/** The exports of assembly/feature-space.ts (exported from assembly/index.ts). */
interface FeatureSpaceExports extends SolverExports {
  featureSpaceSweep(coupling: number, u: number, v: number, factor: number, x: number, product: number, n: number): void;
}

/**
 * The buffers of one flow: `coupling` J (N x N, lower triangle used), the states `z0`, `h0`
 * (predictor) and `z1`, `h1` (corrector), and `force` (the product J x).
 */
export type FeatureSpaceBuffer = 'coupling' | 'z0' | 'h0' | 'z1' | 'h1' | 'force';

/** State of one flow on one engine. */
export interface FeatureSpaceState {
  /** A view of `buffer` to read or fill. Valid until dispose() (no allocation happens after start). */
  view(buffer: FeatureSpaceBuffer): Float64Array;
  /** J += factor (z1 h1^T + h1 z1^T) (skipped for factor 0), then force = J x, x = `x` (h0 or h1). */
  sweep(factor: number, x: 'h0' | 'h1'): void;
  /** Releases the engine memory (idempotent). */
  dispose(): void;
}

/** The flow kernels of one engine. */
export interface FeatureSpaceKernels {
  /** Allocates the buffers of a flow with N = `modelSize` (zero-filled). */
  start(modelSize: number): FeatureSpaceState;
}

/** Same loop as featureSpaceSweep in assembly/feature-space.ts. */
export function featureSpaceSweep(coupling: Float64Array, u: Float64Array, v: Float64Array, factor: number, x: Float64Array,
  product: Float64Array, n: number): void {
  product.fill(0, 0, n);
  const update = factor !== 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const xi = x[i];
    const ui = u[i] * factor;
    const vi = v[i] * factor;
    const even = i & ~1;
    let lane0 = 0;
    let lane1 = 0;
    for (let j = 0; j < even; j += 2) {
      let entry0 = coupling[row + j];
      let entry1 = coupling[row + j + 1];
      if (update) {
        entry0 = (entry0 + ui * v[j]) + vi * u[j];
        entry1 = (entry1 + ui * v[j + 1]) + vi * u[j + 1];
        coupling[row + j] = entry0;
        coupling[row + j + 1] = entry1;
      }
      lane0 += entry0 * x[j];
      lane1 += entry1 * x[j + 1];
      product[j] += entry0 * xi;
      product[j + 1] += entry1 * xi;
    }
    let dot = lane0 + lane1;
    if (i & 1) {
      let entry = coupling[row + even];
      if (update) {
        entry = (entry + ui * v[even]) + vi * u[even];
        coupling[row + even] = entry;
      }
      dot += entry * x[even];
      product[even] += entry * xi;
    }
    let diagonal = coupling[row + i];
    if (update) {
      diagonal = diagonal + 2 * ui * v[i];
      coupling[row + i] = diagonal;
    }
    product[i] += dot + diagonal * xi;
  }
}

const BUFFERS: readonly FeatureSpaceBuffer[] = ['coupling', 'z0', 'h0', 'z1', 'h1', 'force'];

/** The TypeScript kernel (the js engine, and the reference the WebAssembly kernel is tested against). */
export const typescriptFeatureSpaceKernels: FeatureSpaceKernels = {
  start(n) {
    const buffers = Object.fromEntries(BUFFERS.map((name) => [name, new Float64Array(name === 'coupling' ? n * n : n)])) as
      Record<FeatureSpaceBuffer, Float64Array>;
    return {
      view: (buffer) => buffers[buffer],
      sweep: (factor, x) => featureSpaceSweep(buffers.coupling, buffers.z1, buffers.h1, factor, buffers[x], buffers.force, n),
      dispose: () => {},
    };
  },
};

function wasmFeatureSpaceKernels(exports: FeatureSpaceExports): FeatureSpaceKernels {
  return {
    start(n) {
      const arena = new Arena(exports);
      const blocks = {} as Record<FeatureSpaceBuffer, { pointer: number; count: number }>;
      try {
        for (const name of BUFFERS) blocks[name] = arena.allocate(name === 'coupling' ? n * n : n);
      } catch (error) {
        arena.release();
        throw error;
      }
      for (const name of BUFFERS) arena.view(blocks[name]).fill(0);
      const at = (buffer: FeatureSpaceBuffer) => blocks[buffer].pointer;
      let disposed = false;
      const live = () => {
        if (disposed) throw new EngineError('FeatureSpaceState used after dispose()');
      };
      return {
        view(buffer) {
          live();
          return arena.view(blocks[buffer]);
        },
        sweep(factor, x) {
          live();
          exports.featureSpaceSweep(at('coupling'), at('z1'), at('h1'), factor, at(x), at('force'), n);
        },
        dispose() {
          if (!disposed) arena.release();
          disposed = true;
        },
      };
    },
  };
}

/** The flow kernels of `engine`: WebAssembly when it has raw exports, TypeScript otherwise. */
export function featureSpaceKernels(engine: Engine): FeatureSpaceKernels {
  const exports = engine.exports as FeatureSpaceExports | undefined;
  if (exports && typeof exports.featureSpaceSweep === 'function') return wasmFeatureSpaceKernels(exports);
  return typescriptFeatureSpaceKernels;
}
