// The mode-side kernel of the forward-in-time feature-learning DMFT (spec feature-learning.md
// §4.2, §4.6), dispatched on the engine: WebAssembly engines run assembly/fl-dmft.ts over one
// Arena held for the whole solve; the js engine runs flDmftModes below, the same loop in the same
// order of operations (two-lane sums, rows applied one after another, no fused multiply-add), so
// every engine gives the same bits. See assembly/fl-dmft.ts for the equations and layouts.
import { EngineError } from '../errors.js';
import { laneDot } from '../linalg/row-products.js';
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';

/** The export of assembly/fl-dmft.ts (exported from assembly/index.ts). */
interface FlDmftExports extends SolverExports {
  flDmftModes(t: number, steps: number, modes: number, eigenvalues: number, counts: number, targetPower: number,
    response: number, noise: number, means: number, row: number, correlation: number, correlationScale: number,
    secondCorrelation: number, secondScale: number, scratch: number, correlationRow: number, potentialRow: number,
    responseRow: number, responseScale: number, secondResponseRow: number, diagonal: number, sources: number): number;
}

/** Sizes of one DMFT solve. */
export interface FlDmftShape {
  /** Time points 0 .. steps - 1. */
  readonly steps: number;
  /** Mode nodes (modes or bins). */
  readonly modes: number;
  /** Whether the first source matrix C_z enters (finite modelSize). */
  readonly finiteWidth: boolean;
  /** Data reuse (spec §4.3): the second source matrix R_z C_1 R_z^T, the C_nu row and the second response row. */
  readonly reuse?: boolean;
}

/**
 * Buffers: `eigenvalues`, `counts`, `targetPower` (per node), `response` (packed H_k triangles),
 * `noise` (shat_k^2, modes x steps), `means` (a_k, modes x steps), `correlation` (C_z, steps x
 * steps; finite width only), `secondCorrelation` (R_z C_1 R_z^T; reuse only), `row` (the resolvent's
 * operator row), `scratch`, `correlationRow`, `potentialRow` (reuse only), `responseRow`,
 * `secondResponseRow` (reuse only), `diagonal` (Zhat_k(t, t)).
 */
export type FlDmftBuffer = 'eigenvalues' | 'counts' | 'targetPower' | 'response' | 'noise' | 'means' | 'correlation'
  | 'secondCorrelation' | 'row' | 'scratch' | 'correlationRow' | 'potentialRow' | 'responseRow' | 'secondResponseRow' | 'diagonal';

/** Scalars of one call of the mode kernel. */
export interface FlDmftScales {
  /** Multiplies C_z in the source (1/N online; 1/N reuse). */
  correlationScale: number;
  /** Multiplies lambda_k R_z C_1 R_z^T in the source (1/P, reuse). */
  secondScale: number;
  /** Weight of the responseRow accumulation -responseScale sum n lambda H(t, .) (0: skipped). */
  responseScale: number;
  /** false when the source Q_k is zero (N = B = Infinity online): Zhat = 0 is not computed. */
  sources: boolean;
}

/** State of one solve on one engine. */
export interface FlDmftState {
  /** A view of `buffer` (valid until dispose; nothing allocates after start). */
  view(buffer: FlDmftBuffer): Float64Array;
  /** Runs the mode side of step t (see assembly/fl-dmft.ts); returns the loss sum. */
  modes(t: number, scales: FlDmftScales): number;
  /** Releases the engine memory (idempotent). */
  dispose(): void;
}

/** The DMFT kernels of one engine. */
export interface FlDmftKernels {
  /** Allocates the buffers of `shape` (zero-filled). */
  start(shape: FlDmftShape): FlDmftState;
}

/** Bytes the buffers of `shape` take. */
export function flDmftBytes(shape: FlDmftShape): number {
  return 8 * Object.values(sizes(shape)).reduce((a, b) => a + b, 0);
}

function sizes(shape: FlDmftShape): Record<FlDmftBuffer, number> {
  const { steps, modes } = shape;
  const reuse = shape.reuse ? 1 : 0;
  return {
    eigenvalues: modes, counts: modes, targetPower: modes, response: modes * (steps * (steps + 1) / 2),
    noise: modes * steps, means: modes * steps, correlation: shape.finiteWidth ? steps * steps : 0,
    secondCorrelation: reuse * steps * steps, row: steps, scratch: steps, correlationRow: steps, potentialRow: reuse * steps,
    responseRow: steps, secondResponseRow: reuse * steps, diagonal: modes,
  };
}

/** Same loop as flDmftModes in assembly/fl-dmft.ts (undefined arrays: the null pointers). */
export function flDmftModes(
  t: number, steps: number, modes: number, eigenvalues: Float64Array, counts: Float64Array, targetPower: Float64Array,
  response: Float64Array, noise: Float64Array, means: Float64Array, row: Float64Array,
  correlation: Float64Array | undefined, correlationScale: number, secondCorrelation: Float64Array | undefined, secondScale: number,
  scratch: Float64Array, correlationRow: Float64Array, potentialRow: Float64Array | undefined, responseRow: Float64Array,
  responseScale: number, secondResponseRow: Float64Array | undefined, diagonal: Float64Array, sources: boolean,
): number {
  const modeStride = steps * (steps + 1) / 2;
  const length = t + 1;
  let loss = 0;
  for (let k = 0; k < modes; k++) {
    const lambda = eigenvalues[k];
    const count = counts[k];
    const power = targetPower[k];
    const base = k * modeStride;
    const current = base + t * (t + 1) / 2;
    response.fill(0, current, current + t);
    response[current + t] = 1;
    for (let u = 0; u < t; u++) {
      const c = -lambda * row[u];
      const source = base + u * (u + 1) / 2;
      for (let s = 0; s <= u; s++) response[current + s] = response[current + s] + c * response[source + s];
    }
    const mean = laneSum(response, current, length);
    const modeMeans = k * steps;
    means[modeMeans + t] = mean;
    const modeNoise = k * steps;
    const secondFactor = secondScale * lambda;
    for (let b = 0; sources && b <= t; b++) {
      const first = correlation ? correlationScale * laneDot(correlation, b * steps, response, current, length) : 0;
      const second = secondCorrelation ? secondFactor * laneDot(secondCorrelation, b * steps, response, current, length) : 0;
      scratch[b] = (first + second) + noise[modeNoise + b] * response[current + b];
    }
    const meanWeight = lambda * power * mean;
    const fluctuationWeight = count * (lambda * lambda);
    const potentialMean = power * mean;
    const potentialWeight = count * lambda;
    let zhat = 0;
    for (let s = 0; s <= t; s++) {
      zhat = sources ? laneDot(response, base + s * (s + 1) / 2, scratch, 0, s + 1) : 0;
      const previous = means[modeMeans + s];
      correlationRow[s] = correlationRow[s] + (meanWeight * previous + fluctuationWeight * zhat);
      if (potentialRow) potentialRow[s] = potentialRow[s] + (potentialMean * previous + potentialWeight * zhat);
    }
    if (responseScale > 0) {
      const c = -(count * lambda) * responseScale;
      for (let s = 0; s <= t; s++) responseRow[s] = responseRow[s] + c * response[current + s];
    }
    if (secondResponseRow) {
      const c = -(count * (lambda * lambda));
      for (let s = 0; s <= t; s++) secondResponseRow[s] = secondResponseRow[s] + c * response[current + s];
    }
    diagonal[k] = zhat;
    loss = loss + (power * (mean * mean) + (count * lambda) * zhat);
  }
  return loss;
}

/** Two-lane sum of `count` values of `x` from `offset` (the order of the f64x2 kernel). */
function laneSum(x: Float64Array, offset: number, count: number): number {
  const even = count & ~1;
  let lane0 = 0;
  let lane1 = 0;
  for (let k = 0; k < even; k += 2) {
    lane0 += x[offset + k];
    lane1 += x[offset + k + 1];
  }
  let sum = lane0 + lane1;
  if (count & 1) sum += x[offset + even];
  return sum;
}

/** The TypeScript kernels (the js engine, and the reference the WebAssembly kernel is tested against). */
export const typescriptFlDmftKernels: FlDmftKernels = {
  start(shape) {
    const buffers = Object.fromEntries(Object.entries(sizes(shape)).map(([name, count]) => [name, new Float64Array(count)])) as
      Record<FlDmftBuffer, Float64Array>;
    const b = buffers;
    return {
      view: (buffer) => buffers[buffer],
      modes: (t, scales) => flDmftModes(t, shape.steps, shape.modes, b.eigenvalues, b.counts, b.targetPower, b.response, b.noise,
        b.means, b.row, shape.finiteWidth ? b.correlation : undefined, scales.correlationScale, shape.reuse ? b.secondCorrelation : undefined,
        scales.secondScale, b.scratch, b.correlationRow, shape.reuse ? b.potentialRow : undefined, b.responseRow, scales.responseScale,
        shape.reuse ? b.secondResponseRow : undefined, b.diagonal, scales.sources),
      dispose: () => {},
    };
  },
};

function wasmFlDmftKernels(exports: FlDmftExports): FlDmftKernels {
  return {
    start(shape) {
      const arena = new Arena(exports);
      const blocks = {} as Record<FlDmftBuffer, { pointer: number; count: number }>;
      try {
        for (const [name, count] of Object.entries(sizes(shape))) {
          const block = arena.allocate(count);
          blocks[name as FlDmftBuffer] = block;
        }
        for (const block of Object.values(blocks)) arena.view(block).fill(0);
      } catch (error) {
        arena.release();
        throw error;
      }
      const at = (buffer: FlDmftBuffer) => blocks[buffer].pointer;
      let disposed = false;
      const live = () => {
        if (disposed) throw new EngineError('FlDmftState used after dispose()');
      };
      return {
        view(buffer) {
          live();
          return arena.view(blocks[buffer]);
        },
        modes(t, scales) {
          live();
          return exports.flDmftModes(t, shape.steps, shape.modes, at('eigenvalues'), at('counts'), at('targetPower'), at('response'),
            at('noise'), at('means'), at('row'), shape.finiteWidth ? at('correlation') : 0, scales.correlationScale,
            shape.reuse ? at('secondCorrelation') : 0, scales.secondScale, at('scratch'), at('correlationRow'),
            shape.reuse ? at('potentialRow') : 0, at('responseRow'), scales.responseScale, shape.reuse ? at('secondResponseRow') : 0,
            at('diagonal'), scales.sources ? 1 : 0);
        },
        dispose() {
          if (!disposed) arena.release();
          disposed = true;
        },
      };
    },
  };
}

/** The DMFT kernels of `engine`: WebAssembly when it has the export, TypeScript otherwise. */
export function flDmftKernels(engine: Engine): FlDmftKernels {
  const exports = engine.exports as FlDmftExports | undefined;
  if (exports && typeof exports.flDmftModes === 'function') return wasmFlDmftKernels(exports);
  return typescriptFlDmftKernels;
}
