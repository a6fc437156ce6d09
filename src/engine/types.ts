// The kernel interface every engine implements (assembly/ in WebAssembly, src/engine/js.ts in
// plain TypeScript). Solvers are written once against it.

/** Names of the engines. */
export type EngineName = 'wasm-simd' | 'wasm' | 'js';

/** What a caller may ask for: a named engine, or the fastest one available. */
export type EngineChoice = EngineName | 'auto';

/** Exponential sums over a fixed set of modes, evaluated at any times (assembly/expsum.ts). */
export interface ExpSumPlan {
  /**
   * For each time t_j writes sum_k w0_k exp(-r_k t_j) to out0[j] and sum_k w1_k exp(-r_k t_j)
   * to out1[j].
   */
  evaluate(times: Float64Array, out0: Float64Array, out1: Float64Array): void;
  /** Releases the engine memory held for the modes. */
  dispose(): void;
}

/** State of the exact SGD second-moment recursion (assembly/sgd.ts). */
export interface SgdRun {
  /** Loss (sum of modal energies) of the current state. */
  readonly loss: number;
  /** Advances `steps` steps with additive noise variance `noise`; returns the new loss. */
  advance(steps: number, noise: number): number;
  /** Copies the current modal energies into `out`. */
  readEnergy(out: Float64Array): void;
  /** Releases the engine memory. */
  dispose(): void;
}

/** One engine: the kernels behind one API. */
export interface Engine {
  readonly name: EngineName;
  /** Prepares sums over modes with ascending non-negative `rates` (copied; caller keeps ownership). */
  prepareExpSums(rates: Float64Array, weights0: Float64Array, weights1: Float64Array): ExpSumPlan;
  /**
   * Starts the recursion e_k <- decay_k e_k + injection_k (L + noise) from energies `energy`.
   */
  startSgd(decay: Float64Array, injection: Float64Array, energy: Float64Array): SgdRun;
  /** Sum of `values` in the canonical order of assembly/sums.ts. */
  pairSum(values: Float64Array): number;
  /** Bytes of engine memory (linear memory for WebAssembly, 0 for JS). */
  memoryBytes(): number;
  /**
   * The raw exports of the instantiated module (WebAssembly engines only). Kernel groups added
   * later wrap them in their own files with an Arena (src/engine/wasm.ts), so this interface does
   * not have to grow with every kernel.
   */
  readonly exports?: import('./wasm.js').SolverExports;
}
