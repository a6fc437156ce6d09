// One integration step of the N, B -> infinity gradient-flow system of spec feature-learning.md
// §1.8 (dv/dtau = -[(1 + gamma q) I + gamma J] Lambda v, dJ/dtau = Lambda v u^T + u v^T Lambda,
// dq/dtau = 2 u^T Lambda v, u = w* - v): the exponential midpoint rule through the symmetric
// eigendecomposition, and classical RK4. Node b stands for the modes of one quadrature node
// (mode-nodes.ts); its "teacher" is sqrt(targetPower_b / lambda_b).
import type { EigenKernels } from '../engine/eigen-kernels.js';

/** State of the system on n nodes: v, J (n x n, symmetric, row-major) and q. */
export interface MarkovState {
  readonly n: number;
  readonly eigenvalues: Float64Array;
  readonly roots: Float64Array;
  readonly teacher: Float64Array;
  readonly featureLearning: number;
  readonly error: Float64Array;
  readonly spike: Float64Array;
  boost: number;
}

/** Scratch arrays of one integrator (allocated once per run). */
export interface MarkovScratch {
  matrix: Float64Array;
  spectrum: Float64Array;
  coefficients: Float64Array;
  whitened: Float64Array;
  middle: Float64Array;
  half: Float64Array;
  next: Float64Array;
  stages: Float64Array[];
}

/** Allocates the scratch arrays for n nodes (the n x n ones only when `dense`). */
export function markovScratch(n: number, dense: boolean): MarkovScratch {
  const square = dense ? n * n : 0;
  return {
    matrix: new Float64Array(square),
    spectrum: new Float64Array(n),
    coefficients: new Float64Array(n),
    whitened: new Float64Array(n),
    middle: new Float64Array(n),
    half: new Float64Array(square + 1),
    next: new Float64Array(n),
    stages: [],
  };
}

/** Loss L = sum_b lambda_b v_b^2. */
export function markovLoss(state: MarkovState): number {
  let loss = 0;
  for (let i = 0; i < state.n; i++) loss += state.eigenvalues[i] * state.error[i] * state.error[i];
  return loss;
}

/** dL/dtau = -2 v^T Lambda [(1 + gamma q) I + gamma J] Lambda v. */
export function markovLossRate(state: MarkovState): number {
  const { n, eigenvalues, error, spike, featureLearning } = state;
  let diagonal = 0;
  let coupling = 0;
  for (let i = 0; i < n; i++) {
    const a = eigenvalues[i] * error[i];
    diagonal += a * a;
    if (featureLearning > 0) {
      let row = 0;
      const offset = i * n;
      for (let j = 0; j < n; j++) row += spike[offset + j] * eigenvalues[j] * error[j];
      coupling += a * row;
    }
  }
  return -2 * ((1 + featureLearning * state.boost) * diagonal + featureLearning * coupling);
}

/** Adds scale * (Lambda v u^T + u v^T Lambda) to `spike` and returns 2 u^T Lambda v. */
function addSpikeRate(state: MarkovState, error: Float64Array, spike: Float64Array, scale: number): number {
  const { n, eigenvalues, teacher } = state;
  let rate = 0;
  for (let i = 0; i < n; i++) {
    const ai = eigenvalues[i] * error[i];
    const ui = teacher[i] - error[i];
    rate += ui * ai;
    const offset = i * n;
    for (let j = 0; j <= i; j++) {
      const value = scale * (ai * (teacher[j] - error[j]) + ui * eigenvalues[j] * error[j]);
      spike[offset + j] += value;
      if (j !== i) spike[j * n + i] += value;
    }
  }
  return 2 * rate;
}

/**
 * Exponential midpoint step of length h (spec §1.8, "Integrator"). Predictor: J and q advanced
 * to tau + h/2 by an Euler half step at v(tau). Corrector: with Q frozen at the half-step J and
 * q, v is propagated exactly, v(tau + s) = Lambda^(-1/2) U exp(-s D) U^T Lambda^(1/2) v(tau) with
 * Lambda^(1/2)[(1 + gamma q) I + gamma J]Lambda^(1/2) = U D U^T (one symmetric eigendecomposition),
 * to s = h/2 and s = h; J and q then advance by h times their right-hand sides at the midpoint v.
 * With gamma = 0 the matrix is diagonal and the step is the exact solution v_b e^(-lambda_b h).
 */
export function exponentialMidpointStep(state: MarkovState, h: number, kernels: EigenKernels, scratch: MarkovScratch): void {
  const { n, eigenvalues, roots, error, spike, featureLearning } = state;
  if (featureLearning === 0) {
    // Lazy: exact; J does not act on v and is not kept, q (reported) is integrated by the midpoint rule.
    let rate = 0;
    for (let i = 0; i < n; i++) {
      const middle = error[i] * Math.exp(-0.5 * h * eigenvalues[i]);
      rate += 2 * (state.teacher[i] - middle) * eigenvalues[i] * middle;
      error[i] *= Math.exp(-h * eigenvalues[i]);
    }
    state.boost += h * rate;
    return;
  }
  // Predictor (Euler half step of J and q at v(tau)), into scratch.half.
  const halfSpike = scratch.half;
  halfSpike.set(spike);
  const halfBoost = state.boost + 0.5 * addSpikeRate(state, error, halfSpike, 0.5 * h) * h;
  // Symmetric form at the half step.
  const matrix = scratch.matrix;
  for (let i = 0; i < n; i++) {
    const offset = i * n;
    for (let j = 0; j <= i; j++) {
      const value = roots[i] * featureLearning * halfSpike[offset + j] * roots[j];
      matrix[offset + j] = value;
      matrix[j * n + i] = value; // both triangles: the eigensolver's reads follow its transposed storage
    }
    matrix[offset + i] += eigenvalues[i] * (1 + featureLearning * halfBoost);
  }
  kernels.decompose(matrix, n, scratch.spectrum);
  // Coefficients c = U^T Lambda^(1/2) v (row i of `matrix` is eigenvector u_i).
  const { coefficients, whitened, middle, next } = scratch;
  for (let i = 0; i < n; i++) whitened[i] = roots[i] * error[i];
  for (let e = 0; e < n; e++) {
    let sum = 0;
    const offset = e * n;
    for (let i = 0; i < n; i++) sum += matrix[offset + i] * whitened[i];
    coefficients[e] = sum;
  }
  middle.fill(0);
  next.fill(0);
  for (let e = 0; e < n; e++) {
    const rate = Math.max(0, scratch.spectrum[e]); // the matrix is positive semi-definite; clip roundoff
    const halfFactor = coefficients[e] * Math.exp(-0.5 * h * rate);
    const fullFactor = coefficients[e] * Math.exp(-h * rate);
    const offset = e * n;
    for (let i = 0; i < n; i++) {
      middle[i] += matrix[offset + i] * halfFactor;
      next[i] += matrix[offset + i] * fullFactor;
    }
  }
  for (let i = 0; i < n; i++) {
    middle[i] /= roots[i];
    next[i] /= roots[i];
  }
  // Corrector for J and q with the midpoint v, then the new v.
  state.boost += h * addSpikeRate(state, middle, spike, h);
  error.set(next);
}

/** dv/dtau of the system at (error, spike, boost), written into `dv`. */
function rightHandSide(state: MarkovState, error: Float64Array, spike: Float64Array, boost: number, dv: Float64Array): void {
  const { n, eigenvalues, featureLearning } = state;
  for (let i = 0; i < n; i++) {
    let coupling = 0;
    if (featureLearning > 0) {
      const offset = i * n;
      for (let j = 0; j < n; j++) coupling += spike[offset + j] * eigenvalues[j] * error[j];
    }
    dv[i] = -((1 + featureLearning * boost) * eigenvalues[i] * error[i] + featureLearning * coupling);
  }
}

/**
 * Classical RK4 step of length h on (v, J, q). Stable while h times the spectral radius of
 * [(1 + gamma q) I + gamma J] Lambda stays below ~2.78; the caller checks a Gershgorin bound.
 */
export function rk4Step(state: MarkovState, h: number, scratch: MarkovScratch): void {
  const { n } = state;
  if (scratch.stages.length === 0) {
    // v stages (4), J stage buffers (2: a trial J and the accumulated increment), trial v.
    for (let s = 0; s < 4; s++) scratch.stages.push(new Float64Array(n));
    scratch.stages.push(new Float64Array(n * n), new Float64Array(n * n), new Float64Array(n));
  }
  const [k1, k2, k3, k4, trialSpike, increment, trialError] = scratch.stages;
  increment.fill(0);
  const weights = [1 / 6, 1 / 3, 1 / 3, 1 / 6];
  const fractions = [0, 0.5, 0.5, 1];
  const vStages = [k1, k2, k3, k4];
  let boostIncrement = 0;
  let previousSpikeRate: Float64Array | null = null;
  let previousBoostRate = 0;
  for (let s = 0; s < 4; s++) {
    // Trial state y + fraction * h * k_{s-1}.
    const fraction = fractions[s];
    let trialBoost = state.boost;
    if (s === 0) {
      trialError.set(state.error);
      trialSpike.set(state.spike);
    } else {
      const previous = vStages[s - 1];
      for (let i = 0; i < n; i++) trialError[i] = state.error[i] + fraction * h * previous[i];
      const rate = previousSpikeRate as Float64Array;
      for (let i = 0; i < n * n; i++) trialSpike[i] = state.spike[i] + fraction * h * rate[i];
      trialBoost = state.boost + fraction * h * previousBoostRate;
    }
    rightHandSide(state, trialError, trialSpike, trialBoost, vStages[s]);
    // dJ and dq at the trial state, kept in scratch.half (reused as the rate buffer).
    const rate = scratch.half.subarray(0, n * n);
    rate.fill(0);
    const boostRate = addSpikeRate(state, trialError, rate, 1);
    for (let i = 0; i < n * n; i++) increment[i] += weights[s] * rate[i];
    boostIncrement += weights[s] * boostRate;
    previousSpikeRate = rate;
    previousBoostRate = boostRate;
  }
  for (let i = 0; i < n; i++) state.error[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
  for (let i = 0; i < n * n; i++) state.spike[i] += h * increment[i];
  state.boost += h * boostIncrement;
}

/** Gershgorin bound on the spectral radius of [(1 + gamma q) I + gamma J] Lambda (rows of Q). */
export function rateBound(state: MarkovState): number {
  const { n, eigenvalues, spike, featureLearning, boost } = state;
  let bound = 0;
  for (let i = 0; i < n; i++) {
    let row = (1 + featureLearning * boost) * eigenvalues[i];
    if (featureLearning > 0) {
      const offset = i * n;
      for (let j = 0; j < n; j++) row += featureLearning * Math.abs(spike[offset + j]) * eigenvalues[j];
    }
    bound = Math.max(bound, row);
  }
  return bound;
}
