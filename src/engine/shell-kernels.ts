// The shell coarse-graining kernels (assembly/shells.ts; spec spectral-shells.md §4, §9(i) step 1)
// on any engine: WebAssembly through the raw exports and an Arena (memory freed after every
// call), or the same loops in plain TypeScript, in the same summation order, for the js engine.
import { EngineError } from '../errors.js';
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';
import { SUM_BLOCK } from './js.js';

/** Exports of assembly/shells.ts (appended to the module's exports). */
interface ShellExports extends SolverExports {
  shellSums(eigenvalues: number, logEigenvalues: number, eigenvalueStride: number, energies: number, modeCount: number,
    starts: number, startsStride: number, shellCount: number, rows: number,
    energyOut: number, dissipationOut: number, logMomentOut: number): void;
  shellStepDissipation(eigenvalues: number, energiesBefore: number, energiesAfter: number,
    starts: number, shellCount: number, interval: number, out: number): void;
}

/** Modes in shell order: shell s is the segment [starts[s], starts[s + 1]) of the mode arrays. */
export interface ShellLayout {
  /** Eigenvalue of each mode (modeCount values; rows x modeCount when per row). */
  readonly eigenvalues: Float64Array;
  /** ln of each eigenvalue, same shape. */
  readonly logEigenvalues: Float64Array;
  /** shellCount + 1 ascending segment starts (rows x (shellCount + 1) when per row). */
  readonly starts: Int32Array;
}

/** Outputs of one chunk of rows, each rows x shellCount (row-major). */
export interface ShellChunkOutput {
  /** E_s = sum a_i^2. */
  readonly energy: Float64Array;
  /** D_s = 2 sum lambda_i a_i^2. */
  readonly dissipation: Float64Array;
  /** G_s = 2 sum lambda_i a_i^2 ln lambda_i. */
  readonly logMoment: Float64Array;
  /**
   * With static eigenvalues only: the dissipation integrated mode by mode (exponential rule) over
   * the step ending at each row; row 0 only when `previous` is given.
   */
  readonly stepIntegral?: Float64Array;
}

/** Coarse-graining of chunks of time rows for fixed mode and shell counts. */
export interface ShellPlan {
  /**
   * Coarse-grains `rows` rows of `energies` (rows x modeCount, modes in shell order). `layout`
   * gives per-row eigenvalues and segments (rows x ...), else the plan's static layout is used.
   * `previous` is the energy row before the chunk and `intervals[r]` the time step ending at row
   * r (for stepIntegral).
   */
  run(energies: Float64Array, rows: number, out: ShellChunkOutput, options?: {
    layout?: ShellLayout; previous?: Float64Array; intervals?: Float64Array;
  }): void;
  /** Releases the engine memory held for the static layout. */
  dispose(): void;
}

/**
 * A plan for `modeCount` modes in `shellCount` shells on `engine` (WebAssembly when the engine
 * exposes raw exports, else plain TypeScript). `layout` is the static layout (copied), or
 * undefined when every call passes per-row layouts.
 */
export function prepareShells(engine: Engine, modeCount: number, shellCount: number, layout?: ShellLayout): ShellPlan {
  const exports = engine.exports as ShellExports | undefined;
  if (exports && typeof exports.shellSums === 'function') return wasmPlan(exports, modeCount, shellCount, layout);
  return jsPlan(modeCount, shellCount, layout);
}

function wasmPlan(exports: ShellExports, modeCount: number, shellCount: number, layout?: ShellLayout): ShellPlan {
  const fixed = new Arena(exports);
  let staticBlocks: { eigenvalues: number; logEigenvalues: number; starts: number } | undefined;
  if (layout) {
    const eigenvalues = fixed.allocate(modeCount);
    const logEigenvalues = fixed.allocate(modeCount);
    const starts = fixed.allocate(Math.ceil((shellCount + 1) / 2));
    fixed.view(eigenvalues).set(layout.eigenvalues);
    fixed.view(logEigenvalues).set(layout.logEigenvalues);
    new Int32Array(exports.memory.buffer, starts.pointer, shellCount + 1).set(layout.starts);
    staticBlocks = { eigenvalues: eigenvalues.pointer, logEigenvalues: logEigenvalues.pointer, starts: starts.pointer };
  }
  let disposed = false;
  return {
    run(energies, rows, out, options = {}) {
      if (disposed) throw new EngineError('ShellPlan used after dispose()');
      const call = new Arena(exports);
      try {
        const cells = rows * shellCount;
        const energyBlock = call.allocate(rows * modeCount);
        const energyOut = call.allocate(cells);
        const dissipationOut = call.allocate(cells);
        const logOut = call.allocate(cells);
        let blocks = staticBlocks;
        let eigenvalueStride = 0;
        let startsStride = 0;
        if (options.layout) {
          const eigenvalues = call.allocate(rows * modeCount);
          const logEigenvalues = call.allocate(rows * modeCount);
          const starts = call.allocate(Math.ceil(rows * (shellCount + 1) / 2));
          call.view(eigenvalues).set(options.layout.eigenvalues.subarray(0, rows * modeCount));
          call.view(logEigenvalues).set(options.layout.logEigenvalues.subarray(0, rows * modeCount));
          new Int32Array(exports.memory.buffer, starts.pointer, rows * (shellCount + 1)).set(options.layout.starts.subarray(0, rows * (shellCount + 1)));
          blocks = { eigenvalues: eigenvalues.pointer, logEigenvalues: logEigenvalues.pointer, starts: starts.pointer };
          eigenvalueStride = modeCount;
          startsStride = shellCount + 1;
        }
        if (!blocks) throw new EngineError('ShellPlan without a static layout needs options.layout');
        const previousBlock = out.stepIntegral && options.previous && !options.layout ? call.allocate(modeCount) : undefined;
        const stepOut = out.stepIntegral && !options.layout ? call.allocate(shellCount) : undefined;
        call.view(energyBlock).set(energies.subarray(0, rows * modeCount));
        if (previousBlock) call.view(previousBlock).set(options.previous as Float64Array);
        exports.shellSums(blocks.eigenvalues, blocks.logEigenvalues, eigenvalueStride, energyBlock.pointer, modeCount,
          blocks.starts, startsStride, shellCount, rows, energyOut.pointer, dissipationOut.pointer, logOut.pointer);
        out.energy.set(call.view(energyOut));
        out.dissipation.set(call.view(dissipationOut));
        out.logMoment.set(call.view(logOut));
        if (out.stepIntegral && stepOut) {
          for (let r = 0; r < rows; r++) {
            const after = energyBlock.pointer + r * modeCount * 8;
            const before = r > 0 ? after - modeCount * 8 : previousBlock?.pointer;
            if (before === undefined) continue;
            exports.shellStepDissipation(blocks.eigenvalues, before, after, blocks.starts, shellCount,
              (options.intervals as Float64Array)[r], stepOut.pointer);
            out.stepIntegral.set(call.view(stepOut), r * shellCount);
          }
        }
      } finally {
        call.release();
      }
    },
    dispose() {
      if (!disposed) fixed.release();
      disposed = true;
    },
  };
}

function jsPlan(modeCount: number, shellCount: number, layout?: ShellLayout): ShellPlan {
  const fixed = layout ? {
    eigenvalues: layout.eigenvalues.slice(), logEigenvalues: layout.logEigenvalues.slice(), starts: layout.starts.slice(),
  } : undefined;
  return {
    run(energies, rows, out, options = {}) {
      const current = options.layout ?? fixed;
      if (!current) throw new EngineError('ShellPlan without a static layout needs options.layout');
      const perRow = options.layout !== undefined;
      shellSums(current, perRow, energies, modeCount, shellCount, rows, out);
      if (out.stepIntegral && !perRow) {
        for (let r = 0; r < rows; r++) {
          const after = energies.subarray(r * modeCount, (r + 1) * modeCount);
          const before = r > 0 ? energies.subarray((r - 1) * modeCount, r * modeCount) : options.previous;
          if (before === undefined) continue;
          stepDissipation(current.eigenvalues, before, after, current.starts, shellCount,
            (options.intervals as Float64Array)[r], out.stepIntegral.subarray(r * shellCount, (r + 1) * shellCount));
        }
      }
    },
    dispose() { /* nothing held outside the JS heap */ },
  };
}

/** assembly/shells.ts shellSums in plain TypeScript (same order: scalar build's lanes and blocks). */
function shellSums(layout: ShellLayout, perRow: boolean, energies: Float64Array, modeCount: number, shellCount: number,
  rows: number, out: ShellChunkOutput): void {
  const { eigenvalues, logEigenvalues, starts } = layout;
  for (let r = 0; r < rows; r++) {
    const base = r * modeCount;
    const eigenvalueBase = perRow ? base : 0;
    const startBase = perRow ? r * (shellCount + 1) : 0;
    for (let s = 0; s < shellCount; s++) {
      const from = starts[startBase + s];
      const to = starts[startBase + s + 1];
      const even = from + ((to - from) & ~1);
      let energy0 = 0, energy1 = 0, weighted0 = 0, weighted1 = 0, log0 = 0, log1 = 0;
      let k = from;
      while (k < even) {
        const end = Math.min(k + SUM_BLOCK, even);
        let blockEnergy0 = 0, blockEnergy1 = 0, blockWeighted0 = 0, blockWeighted1 = 0, blockLog0 = 0, blockLog1 = 0;
        for (; k < end; k += 2) {
          const valueA = energies[base + k];
          const valueB = energies[base + k + 1];
          const productA = eigenvalues[eigenvalueBase + k] * valueA;
          const productB = eigenvalues[eigenvalueBase + k + 1] * valueB;
          blockEnergy0 += valueA; blockEnergy1 += valueB;
          blockWeighted0 += productA; blockWeighted1 += productB;
          blockLog0 += productA * logEigenvalues[eigenvalueBase + k];
          blockLog1 += productB * logEigenvalues[eigenvalueBase + k + 1];
        }
        energy0 += blockEnergy0; energy1 += blockEnergy1;
        weighted0 += blockWeighted0; weighted1 += blockWeighted1;
        log0 += blockLog0; log1 += blockLog1;
      }
      let energy = energy0 + energy1;
      let weighted = weighted0 + weighted1;
      let logWeighted = log0 + log1;
      if ((to - from) & 1) {
        const value = energies[base + even];
        const product = eigenvalues[eigenvalueBase + even] * value;
        energy += value;
        weighted += product;
        logWeighted += product * logEigenvalues[eigenvalueBase + even];
      }
      const at = r * shellCount + s;
      out.energy[at] = energy;
      out.dissipation[at] = 2 * weighted;
      out.logMoment[at] = 2 * logWeighted;
    }
  }
}

/** Logarithmic mean (x - y) / ln(x / y), as assembly/shells.ts logarithmicMean. */
export function logarithmicMean(x: number, y: number): number {
  if (!(x > 0) || !(y > 0)) return 0;
  if (x === y) return x;
  const ratio = y / x;
  if (ratio > 0.5 && ratio < 2) {
    const w = ratio - 1;
    return x * (w / Math.log1p(w));
  }
  return (x - y) / (Math.log(x) - Math.log(y));
}

/** assembly/shells.ts shellStepDissipation in plain TypeScript. */
function stepDissipation(eigenvalues: Float64Array, before: Float64Array, after: Float64Array, starts: Int32Array,
  shellCount: number, interval: number, out: Float64Array): void {
  for (let s = 0; s < shellCount; s++) {
    let sum = 0;
    for (let k = starts[s]; k < starts[s + 1]; k++) {
      sum += after[k] === 0 && before[k] > 0 ? before[k] / (2 * interval) : logarithmicMean(eigenvalues[k] * before[k], eigenvalues[k] * after[k]);
    }
    out[s] = 2 * interval * sum;
  }
}
