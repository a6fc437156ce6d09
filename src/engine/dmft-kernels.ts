// The mode-sum kernels of the DMFT solver (spec dmft-random-features.md §5, §10 steps 2-4), over a
// compressed mode set (eigenvalues lambda_i, multiplicities m_i, aggregated target powers p_i):
//  - Newton's method for the complex dynamical ridge kappa(s) of
//    g(kappa) = kappa - z - (kappa/P) sum_i m_i lambda_i / (lambda_i + kappa), z = s + weightDecay,
//    g'(kappa) = 1 - (1/P) sum_i m_i lambda_i^2 / (lambda_i + kappa)^2 (spec §5, package units);
//  - the per-node sums of q_i = 1 / (kappa + lambda_i) the 1-D and 2-D inversions need;
//  - the bias sum sum_i p_i f_i^2 with f_i = Re sum_j a_j / (kappa_j + lambda_i) (per-mode inversion).
// Complex numbers are (re, im) pairs of f64. WebAssembly engines run assembly/dmft.ts on mode arrays
// kept in linear memory for the life of a prepared problem (freed by dispose()); the js engine runs
// the identical loops below (the reference the WebAssembly kernels are tested against).
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';

/** The exports of assembly/dmft.ts (exported from assembly/index.ts). */
interface DmftExports extends SolverExports {
  dmftNewton(eigenvalues: number, multiplicity: number, count: number, dataSize: number,
    zRe: number, zIm: number, startRe: number, startIm: number, maxIterations: number, out: number): number;
  dmftNodeSums(eigenvalues: number, multiplicity: number, power: number, count: number, kappaRe: number, kappaIm: number, out: number): void;
  dmftPairSums(eigenvalues: number, multiplicity: number, power: number, count: number,
    aRe: number, aIm: number, bRe: number, bIm: number, out: number): void;
  dmftBiasSum(eigenvalues: number, power: number, count: number, nodes: number, coefficients: number, kappas: number): number;
}

/** Number of f64 results of nodeSums. */
export const NODE_SUMS = 10;

/** Kernels bound to one compressed mode set; dispose() frees engine memory. */
export interface DmftModeKernels {
  /**
   * Newton's method for kappa at z = zRe + i zIm from (startRe, startIm); stops when
   * |step| < 1e-14 |kappa| (spec §10 step 2), or when steps below 1e-10 |kappa| stop halving (the
   * round-off floor where g' ~ 0, N close to P). Writes kappa to out[0], out[1]; returns the
   * iterations used, or -1 without convergence in `maxIterations` (or on a non-finite iterate).
   */
  newton(zRe: number, zIm: number, startRe: number, startIm: number, maxIterations: number, out: Float64Array): number;
  /**
   * Sums at kappa (q_i = 1/(kappa + lambda_i)), each as (re, im) in out[2j], out[2j+1]:
   * j = 0: sum m lambda q; 1: sum m lambda^2 q^2; 2: sum p q; 3: sum p q^2; 4: sum m lambda^2 q.
   */
  nodeSums(kappaRe: number, kappaIm: number, out: Float64Array): void;
  /** Direct two-point sums at (a, b): out = [sum p q_a q_b (re, im), sum m lambda^2 q_a q_b (re, im)]. */
  pairSums(aRe: number, aIm: number, bRe: number, bIm: number, out: Float64Array): void;
  /**
   * sum_i p_i f_i^2 with f_i = Re sum_j (coefficients_j / (kappas_j + lambda_i)), for `nodes`
   * complex coefficients and kappas stored interleaved (re, im).
   */
  biasSum(nodes: number, coefficients: Float64Array, kappas: Float64Array): number;
  /** Frees engine memory (idempotent). */
  dispose(): void;
}

/** Newton for kappa in TypeScript (the js engine). */
function newtonTs(eigenvalues: Float64Array, multiplicity: Float64Array, dataSize: number,
  zRe: number, zIm: number, startRe: number, startIm: number, maxIterations: number, out: Float64Array): number {
  let kr = startRe;
  let ki = startIm;
  const n = eigenvalues.length;
  const inverseP = 1 / dataSize;
  let previous = Infinity;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let s1r = 0;
    let s1i = 0;
    let s2r = 0;
    let s2i = 0;
    for (let i = 0; i < n; i++) {
      const lambda = eigenvalues[i];
      const weight = multiplicity[i];
      // lambda q = lambda / (lambda + kappa)
      const dr = lambda + kr;
      const inverse = 1 / (dr * dr + ki * ki);
      const lqr = lambda * dr * inverse;
      const lqi = -lambda * ki * inverse;
      s1r += weight * lqr;
      s1i += weight * lqi;
      s2r += weight * (lqr * lqr - lqi * lqi);
      s2i += weight * 2 * lqr * lqi;
    }
    // g = kappa - z - kappa s1 / P; g' = 1 - s2 / P
    const gr = kr - zRe - (kr * s1r - ki * s1i) * inverseP;
    const gi = ki - zIm - (kr * s1i + ki * s1r) * inverseP;
    const hr = 1 - s2r * inverseP;
    const hi = -s2i * inverseP;
    const inverse = 1 / (hr * hr + hi * hi);
    const stepR = (gr * hr + gi * hi) * inverse;
    const stepI = (gi * hr - gr * hi) * inverse;
    kr -= stepR;
    ki -= stepI;
    if (!Number.isFinite(kr) || !Number.isFinite(ki)) return -1;
    const step = Math.hypot(stepR, stepI);
    const size = Math.hypot(kr, ki);
    // converged; or stagnating at the round-off floor of an ill-conditioned g' (N close to P)
    if (step < 1e-14 * size || (step < 1e-10 * size && step >= 0.5 * previous)) {
      out[0] = kr;
      out[1] = ki;
      return iteration;
    }
    previous = step;
  }
  out[0] = kr;
  out[1] = ki;
  return -1;
}

function nodeSumsTs(eigenvalues: Float64Array, multiplicity: Float64Array, power: Float64Array, kr: number, ki: number, out: Float64Array): void {
  let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0, e0 = 0, e1 = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const lambda = eigenvalues[i];
    const weight = multiplicity[i];
    const p = power[i];
    const dr = lambda + kr;
    const inverse = 1 / (dr * dr + ki * ki);
    const qr = dr * inverse;
    const qi = -ki * inverse;
    const q2r = qr * qr - qi * qi;
    const q2i = 2 * qr * qi;
    const ml = weight * lambda;
    const ml2 = ml * lambda;
    a0 += ml * qr; a1 += ml * qi;
    b0 += ml2 * q2r; b1 += ml2 * q2i;
    c0 += p * qr; c1 += p * qi;
    d0 += p * q2r; d1 += p * q2i;
    e0 += ml2 * qr; e1 += ml2 * qi;
  }
  out[0] = a0; out[1] = a1; out[2] = b0; out[3] = b1; out[4] = c0; out[5] = c1; out[6] = d0; out[7] = d1; out[8] = e0; out[9] = e1;
}

function pairSumsTs(eigenvalues: Float64Array, multiplicity: Float64Array, power: Float64Array,
  ar: number, ai: number, br: number, bi: number, out: Float64Array): void {
  let p0 = 0, p1 = 0, l0 = 0, l1 = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const lambda = eigenvalues[i];
    const xr = lambda + ar;
    const yr = lambda + br;
    // q_a q_b = 1 / ((lambda + a)(lambda + b))
    const denominatorR = xr * yr - ai * bi;
    const denominatorI = xr * bi + ai * yr;
    const inverse = 1 / (denominatorR * denominatorR + denominatorI * denominatorI);
    const qr = denominatorR * inverse;
    const qi = -denominatorI * inverse;
    const p = power[i];
    const ml2 = multiplicity[i] * lambda * lambda;
    p0 += p * qr; p1 += p * qi;
    l0 += ml2 * qr; l1 += ml2 * qi;
  }
  out[0] = p0; out[1] = p1; out[2] = l0; out[3] = l1;
}

function biasSumTs(eigenvalues: Float64Array, power: Float64Array, nodes: number, coefficients: Float64Array, kappas: Float64Array): number {
  let total = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const lambda = eigenvalues[i];
    let f = 0;
    for (let j = 0; j < nodes; j++) {
      const dr = lambda + kappas[2 * j];
      const di = kappas[2 * j + 1];
      // Re[(cr + i ci) / (dr + i di)] = (cr dr + ci di) / |d|^2
      f += (coefficients[2 * j] * dr + coefficients[2 * j + 1] * di) / (dr * dr + di * di);
    }
    total += power[i] * f * f;
  }
  return total;
}

/** The TypeScript kernels over one mode set. */
export function typescriptDmftKernels(eigenvalues: Float64Array, multiplicity: Float64Array, power: Float64Array, dataSize: number): DmftModeKernels {
  return {
    newton: (zRe, zIm, startRe, startIm, maxIterations, out) => newtonTs(eigenvalues, multiplicity, dataSize, zRe, zIm, startRe, startIm, maxIterations, out),
    nodeSums: (kappaRe, kappaIm, out) => nodeSumsTs(eigenvalues, multiplicity, power, kappaRe, kappaIm, out),
    pairSums: (ar, ai, br, bi, out) => pairSumsTs(eigenvalues, multiplicity, power, ar, ai, br, bi, out),
    biasSum: (nodes, coefficients, kappas) => biasSumTs(eigenvalues, power, nodes, coefficients, kappas),
    dispose: () => undefined,
  };
}

function wasmDmftKernels(exports: DmftExports, eigenvalues: Float64Array, multiplicity: Float64Array, power: Float64Array, dataSize: number): DmftModeKernels {
  const count = eigenvalues.length;
  const arena = new Arena(exports);
  let disposed = false;
  const eigenvaluesBlock = arena.allocate(count);
  const multiplicityBlock = arena.allocate(count);
  const powerBlock = arena.allocate(count);
  const outBlock = arena.allocate(NODE_SUMS);
  let nodeCapacity = 0;
  let coefficientsBlock = { pointer: 0, count: 0 };
  let kappasBlock = { pointer: 0, count: 0 };
  arena.view(eigenvaluesBlock).set(eigenvalues);
  arena.view(multiplicityBlock).set(multiplicity);
  arena.view(powerBlock).set(power);
  const check = () => {
    if (disposed) throw new Error('dmft kernels used after dispose()');
  };
  return {
    newton(zRe, zIm, startRe, startIm, maxIterations, out) {
      check();
      const iterations = exports.dmftNewton(eigenvaluesBlock.pointer, multiplicityBlock.pointer, count, dataSize,
        zRe, zIm, startRe, startIm, maxIterations, outBlock.pointer);
      const view = arena.view(outBlock);
      out[0] = view[0];
      out[1] = view[1];
      return iterations;
    },
    nodeSums(kappaRe, kappaIm, out) {
      check();
      exports.dmftNodeSums(eigenvaluesBlock.pointer, multiplicityBlock.pointer, powerBlock.pointer, count, kappaRe, kappaIm, outBlock.pointer);
      out.set(arena.view(outBlock).subarray(0, NODE_SUMS));
    },
    pairSums(ar, ai, br, bi, out) {
      check();
      exports.dmftPairSums(eigenvaluesBlock.pointer, multiplicityBlock.pointer, powerBlock.pointer, count, ar, ai, br, bi, outBlock.pointer);
      out.set(arena.view(outBlock).subarray(0, 4));
    },
    biasSum(nodes, coefficients, kappas) {
      check();
      if (nodes > nodeCapacity) {
        // grows at most a few times per problem (the node count is fixed); old blocks stay in the arena until dispose
        coefficientsBlock = arena.allocate(2 * nodes);
        kappasBlock = arena.allocate(2 * nodes);
        nodeCapacity = nodes;
      }
      arena.view(coefficientsBlock).set(coefficients.subarray(0, 2 * nodes));
      arena.view(kappasBlock).set(kappas.subarray(0, 2 * nodes));
      return exports.dmftBiasSum(eigenvaluesBlock.pointer, powerBlock.pointer, count, nodes, coefficientsBlock.pointer, kappasBlock.pointer);
    },
    dispose() {
      if (!disposed) arena.release();
      disposed = true;
    },
  };
}

/**
 * The DMFT kernels of `engine` bound to one compressed mode set: WebAssembly when the engine's
 * module has them, TypeScript otherwise. Call dispose() when done (frees WebAssembly memory).
 */
export function dmftKernels(engine: Engine, eigenvalues: Float64Array, multiplicity: Float64Array, power: Float64Array, dataSize: number): DmftModeKernels {
  const exports = engine.exports as DmftExports | undefined;
  if (exports && typeof exports.dmftNewton === 'function') return wasmDmftKernels(exports, eigenvalues, multiplicity, power, dataSize);
  return typescriptDmftKernels(eigenvalues, multiplicity, power, dataSize);
}
