// evolvingOperator(): spectral-shell dynamics of a given time-dependent operator (spec
// spectral-shells.md §2-§4 and §9(ii)). Integrates de/dt = -M(t) e by the exponential-midpoint
// (Magnus-2) step, eigendecomposes M at the recorded times, tracks eigenvector gauge and identity,
// and reports modal errors, shell energies, dissipation, the modal transfer matrix, boundary
// fluxes split into crossing and rotation parts, and the checks S1-S3 of §10.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { eigenKernels, type EigenKernels } from '../engine/eigen-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { maximumWeightAssignment } from '../linalg/assignment.js';
import { exponentialAction, matrixNorm, taylorSubsteps } from '../linalg/exponential-action.js';
import { laneDot } from '../linalg/row-products.js';
import { attachSerialisers } from '../result.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkArray, checkChoice, checkNumber, checkOptions, optionalBoolean, optionalNumber } from '../validate.js';
import { shellIndex } from './labels.js';
import { crossingBoundaryFlux, integratedBoundaryFlux, shellTotals } from './operator-balance.js';
import { operatorSource, type MatrixFunction, type OperatorGrid } from './operator-source.js';

export type { MatrixFunction, OperatorGrid } from './operator-source.js';

/** How each step applies exp(-M dt): eigendecomposition, Taylor action, or the cheaper of the two. */
export type ExponentialMethod = 'auto' | 'eigen' | 'taylor';

/** Options of evolvingOperator(). */
export interface EvolvingOperatorOptions extends RunControl {
  /** M(t): a callback (time) => symmetric n x n row-major matrix, or matrices on a time grid. */
  operator: MatrixFunction | OperatorGrid;
  /** e(times[0]), the training error on the n points (length n fixes the size). */
  initialError: ArrayLike<number>;
  /** Recording times (strictly increasing, >= 0): an array, { from, to, count, spacing } or 'log:A:B:N'. */
  times: TimeGrid;
  /** Largest step dt (each interval between recording times is cut into equal steps <= dt). */
  stepSize?: number;
  /** Steps per interval between recording times (alternative to stepSize; default 4). */
  stepsPerInterval?: number;
  /** Shell base B > 1 (default 2). */
  base?: number;
  /** Shell reference lambda_ref > 0 (default the largest eigenvalue of M(times[0])). */
  reference?: number;
  /** Exact dM/dt callback; default central differences (one-sided at the first and last time). */
  operatorDerivative?: MatrixFunction;
  /** delta of the finite-difference derivative (default 1e-5). */
  derivativeStep?: number;
  /** Step propagator (default 'auto'). */
  exponential?: ExponentialMethod;
  /** Also return the full modal coupling Omega at every recorded time (T x n x n; default false). */
  recordCoupling?: boolean;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** Relative residuals of the exact identities (spec §9 outputs, checks S1-S3 of §10). */
export interface OperatorResiduals {
  /** S1: max_t |dE/dt + sum_s D_s| / max_t |dE/dt|, dE/dt measured on the integrated trajectory. */
  energyBalance: number;
  /** S2: max |T_ss| / max_{s != s'} |T_ss'| (T_ss from intra-shell Omega, computed only for this check). */
  intraShell: number;
  /** S3: max |T_ss' + T_s's| / max |T_ss'|. */
  antisymmetry: number;
  /** max over intervals |J_bottom+1/2| / max |dE/dt|: closure of the integrated balance (trapezoid error). */
  closure: number;
}

/** Metadata of an evolvingOperator() result. */
export interface EvolvingOperatorMeta {
  solver: 'evolvingOperator';
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  parameters: {
    size: number;
    base: number;
    reference: number;
    stepsPerInterval?: number;
    stepSize?: number;
    exponential: ExponentialMethod;
    derivative: 'analytic' | 'interpolant' | 'central-difference';
    derivativeStep: number;
  };
  /** Integration steps taken, and how many used the eigendecomposition and the Taylor action. */
  steps: { total: number; eigen: number; taylor: number };
  /** Shell index of the first shell column; column c is shell firstShell + c (the null shell is last when present). */
  firstShell: number;
  /** Whether the last shell column is the null shell (eigenvalues <= NULL_SHELL_RATIO x the largest |eigenvalue|). */
  nullShell: boolean;
  /** Recorded times at which some identity was reassigned by the maximum-overlap assignment. */
  reassignments: number;
  /** Intra-shell pairs with |lambda_i - lambda_j| <= 1e-10 max|lambda| left out of the S2 sum. */
  degeneratePairs: number;
  reconstruction: string;
}

/** Result of evolvingOperator(). Arrays are row-major; T recorded times, n modes, S shells. */
export interface EvolvingOperatorResult {
  times: Float64Array;
  /** L = sum_s E_s = ||e||^2 (no factor 1/2, spec §4). */
  loss: Float64Array;
  /** dE/dt measured on the trajectory at each recorded time (probe steps of the integrator). */
  energyRate: Float64Array;
  /** T x n, descending at each time. */
  eigenvalues: Float64Array;
  /** T x n: a_i = <u_i, e> in the gauge-fixed eigenbasis. */
  modalErrors: Float64Array;
  /** T x n: identity (index at times[0]) of the mode in each position. */
  identities: Float64Array;
  /** S: shell index of each column (Infinity for the null shell). */
  shellIndices: Float64Array;
  /** T x S: E_s. */
  shellEnergy: Float64Array;
  /** T x S: D_s = 2 sum_{i in s} lambda_i a_i^2. */
  dissipation: Float64Array;
  /** T x S x S: T_ss' = 2 sum_{i in s, j in s'} Omega_ij a_i a_j (rate into s from s'); diagonal 0. */
  transfer: Float64Array;
  /** T x S: the intra-shell T_ss computed from intra-shell Omega (zero in exact arithmetic; check S2). */
  intraShellTransfer: Float64Array;
  /** T x S: instantaneous rotation flux J_{s+1/2} = sum_{s' <= s < s''} T_s''s' from the modal transfer. */
  modalFlux: Float64Array;
  /** T: sum_{|s-s'|=1} |T_ss'| / sum_{s != s'} |T_ss'| (NaN without transfer). */
  localityRatio: Float64Array;
  /** (T-1) x S: mean J_{s+1/2} over each interval from the integrated balance (last column: closure residual). */
  boundaryFlux: Float64Array;
  /** (T-1) x S: the part of boundaryFlux carried by modes changing shell. */
  crossingFlux: Float64Array;
  /** (T-1) x S: boundaryFlux - crossingFlux. */
  rotationFlux: Float64Array;
  /** T x n x n: Omega_ij (with recordCoupling; NaN for degenerate pairs, 0 on the diagonal). */
  coupling?: Float64Array;
  residuals: OperatorResiduals;
  meta: EvolvingOperatorMeta;
}

/** Eigenvalues <= this fraction of the largest |eigenvalue| go to the null shell (the kernel of M). */
export const NULL_SHELL_RATIO = 1e-13;
/** Largest matrix size accepted. */
export const MAX_OPERATOR_SIZE = 4096;
/** Default steps per recording interval. */
export const DEFAULT_STEPS_PER_INTERVAL = 4;
/** Default delta of the central-difference dM/dt (spec §9(ii).5). */
export const DEFAULT_DERIVATIVE_STEP = 1e-5;
/** Probe step of the measured dE/dt, relative to 1 / max|lambda|. */
const PROBE_RATIO = 1e-4;
/** Squared overlap above which a mode keeps its position without assignment (optimal when > 2/3). */
const KEEP_OVERLAP = 2 / 3;

const KEYS = [...CONTROL_KEYS, 'operator', 'initialError', 'times', 'stepSize', 'stepsPerInterval', 'base', 'reference',
  'operatorDerivative', 'derivativeStep', 'exponential', 'recordCoupling', 'engine'] as const;

/** Per-record modal data before the shell columns are known. */
interface ModalRecord {
  labels: Int32Array;
  transfer: Float64Array;
  intra: Float64Array;
  firstLabel: number;
  labelCount: number;
}

/**
 * Spectral-shell dynamics of a user-given symmetric operator M(t) (spec spectral-shells.md
 * §9(ii)). Reconstruction [R] of Zhang, arXiv:2512.10427: the modewise equations (§3)
 * da_i/dt = -lambda_i a_i + sum_j Omega_ij a_j with Omega_ij = <u_i, Mdot u_j>/(lambda_i - lambda_j),
 * the shell balance (§4) dE_s/dt = -D_s + sum_{s'} T_ss', and the flux form
 * J_{s+1/2} = sum_{s' <= s < s''} T_s''s' are the spec's reconstructions, implemented as documented.
 *
 * Method: e <- exp(-M(t + dt/2) dt) e per step (Magnus-2; exact for constant M), with the
 * exponential from the eigendecomposition of M(t + dt/2) or a Taylor action ('auto' picks the
 * cheaper); at each recorded time the eigendecomposition of M (tred2 + implicit QL), gauge fixing
 * by overlap sign with the previous time, identities by maximum squared overlap (Hungarian
 * assignment), Mdot by the derivative callback, the grid interpolant, or central differences
 * (one-sided second order at the first and last time), and Omega for pairs in different shells
 * only (§9(ii).5). Cost O(n^3) per recorded time (and per step with 'eigen').
 *
 * @example
 * await init();
 * const lambda = [1, 0.5, 0.25];
 * const result = evolvingOperator({
 *   operator: (t) => Float64Array.from([1 + t, 0, 0, 0, 0.5, 0, 0, 0, 0.25]),
 *   initialError: [1, 1, 1], times: 'linear:0:1:11',
 * });
 * // result.shellEnergy: 11 x 3 shell energies; result.residuals.energyBalance ~ 1e-9
 */
export function evolvingOperator(options: EvolvingOperatorOptions): EvolvingOperatorResult {
  const started = now();
  const given = checkOptions('evolvingOperator', options, KEYS) as unknown as EvolvingOperatorOptions;
  if (given.initialError === undefined) throw new ParameterError('initialError', undefined, 'an array of n finite numbers (required)');
  const initialError = checkArray('initialError', given.initialError, {}, { maximumLength: MAX_OPERATOR_SIZE });
  const n = initialError.length;
  if (given.operator === undefined) throw new ParameterError('operator', undefined, 'a function (time) => symmetric n x n matrix, or { times, matrices } (required)');
  const source = operatorSource(given.operator, given.operatorDerivative, n);
  if (given.times === undefined) throw new ParameterError('times', undefined, 'recording times (required)');
  const times = timeGrid(given.times);
  const T = times.length;
  if (times[0] < source.first || times[T - 1] > source.last) {
    throw new ParameterError('times', given.times, `times within the operator grid [${source.first}, ${source.last}]`);
  }
  if (given.stepSize !== undefined && given.stepsPerInterval !== undefined) {
    throw new ParameterError('stepsPerInterval', given.stepsPerInterval, 'absent when stepSize is given', 'give stepSize or stepsPerInterval, not both');
  }
  const stepSize = given.stepSize === undefined ? undefined : checkNumber('stepSize', given.stepSize, { minimum: 0, exclusiveMinimum: true });
  const stepsPerInterval = stepSize !== undefined ? undefined
    : optionalNumber('stepsPerInterval', given.stepsPerInterval, DEFAULT_STEPS_PER_INTERVAL, { minimum: 1, maximum: 2 ** 30, integer: true });
  const base = optionalNumber('base', given.base, 2, { minimum: 1, exclusiveMinimum: true });
  const givenReference = given.reference === undefined ? undefined : checkNumber('reference', given.reference, { minimum: 0, exclusiveMinimum: true });
  const derivativeStep = optionalNumber('derivativeStep', given.derivativeStep, DEFAULT_DERIVATIVE_STEP, { minimum: 0, exclusiveMinimum: true });
  const method = given.exponential === undefined ? 'auto' : checkChoice('exponential', given.exponential, ['auto', 'eigen', 'taylor'] as const);
  const recordCoupling = optionalBoolean('recordCoupling', given.recordCoupling, false);
  const engine = resolveEngine(given.engine);
  checkBudget('initialError', given.initialError, (T * n * 4 + 8 * n * n) * 8, `per-time modal data (${T} times x ${n} modes)`);
  if (recordCoupling) checkBudget('recordCoupling', true, T * n * n * 8, `the coupling matrices (${T} x ${n} x ${n})`);
  let totalSteps = 0;
  const stepsOf = new Int32Array(Math.max(0, T - 1));
  for (let k = 0; k + 1 < T; k++) {
    const length = times[k + 1] - times[k];
    const count = stepsPerInterval ?? Math.max(1, Math.ceil(length / (stepSize as number) - 1e-9));
    if (count > 2 ** 30) throw new ParameterError('stepSize', stepSize, `a step giving at most 2^30 steps per interval`);
    stepsOf[k] = count;
    totalSteps += count;
  }
  const monitor = new Monitor(given, totalSteps + T);
  const kernels = eigenKernels(engine);

  const size = n * n;
  const error = Float64Array.from(initialError);
  const matrix = new Float64Array(size);
  const basis = new Float64Array(size);
  const previousBasis = new Float64Array(size);
  const derivative = new Float64Array(size);
  const ahead = new Float64Array(size);
  const product = new Float64Array(size);
  const modalDerivative = new Float64Array(size);
  const stepEigenvalues = new Float64Array(n);
  const scratch = new Float64Array(2 * n);
  const eigenvalues = new Float64Array(T * n);
  const modalErrors = new Float64Array(T * n);
  const identities = new Int32Array(T * n);
  const positions = new Float64Array(T * n);
  const energyRate = new Float64Array(T);
  const coupling = recordCoupling ? new Float64Array(T * size) : undefined;
  const records: ModalRecord[] = [];
  const stepCounts = { total: 0, eigen: 0, taylor: 0 };
  let reference = givenReference ?? NaN;
  let reassignments = 0;
  let degeneratePairs = 0;
  let done = 0;

  /** e <- exp(-M(time) tau) e with the chosen method (tau may be negative for backward probes). */
  const propagate = (vector: Float64Array, time: number, tau: number, forceTaylor: boolean) => {
    source.evaluate(time, matrix);
    const norm = matrixNorm(matrix, n);
    const useTaylor = forceTaylor || method === 'taylor' || (method === 'auto' && 20 * taylorSubsteps(norm, tau) <= n);
    if (useTaylor) {
      exponentialAction(matrix, n, norm, tau, vector, scratch);
      return 'taylor';
    }
    kernels.decompose(matrix, n, stepEigenvalues);
    const coefficients = scratch.subarray(0, n);
    for (let i = 0; i < n; i++) coefficients[i] = laneDot(matrix, i * n, vector, 0, n) * Math.exp(-stepEigenvalues[i] * tau);
    vector.fill(0);
    for (let i = 0; i < n; i++) {
      const c = coefficients[i];
      const row = i * n;
      for (let k = 0; k < n; k++) vector[k] += c * matrix[row + k];
    }
    return 'eigen';
  };

  const energyOf = (vector: Float64Array) => laneDot(vector, 0, vector, 0, n);

  for (let k = 0; k < T; k++) {
    if (k > 0) {
      const count = stepsOf[k - 1];
      const dt = (times[k] - times[k - 1]) / count;
      for (let step = 0; step < count; step++) {
        const kind = propagate(error, times[k - 1] + (step + 0.5) * dt, dt, false);
        stepCounts.total++;
        stepCounts[kind]++;
        monitor.step(++done);
      }
    }
    const time = times[k];
    source.evaluate(time, basis);
    const values = eigenvalues.subarray(k * n, (k + 1) * n);
    kernels.decompose(basis, n, values);
    if (k === 0 && givenReference === undefined) {
      reference = values[0];
      if (!(reference > 0)) {
        throw new ParameterError('reference', undefined, 'a number > 0 (required: M(times[0]) has no positive eigenvalue)');
      }
    }
    const ids = identities.subarray(k * n, (k + 1) * n);
    if (k === 0) {
      for (let i = 0; i < n; i++) {
        ids[i] = i;
        fixLargestPositive(basis, i, n);
      }
    } else if (trackIdentities(kernels, basis, previousBasis, n, identities.subarray((k - 1) * n, k * n), ids)) {
      reassignments++;
    }
    previousBasis.set(basis);
    const modal = modalErrors.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) modal[i] = laneDot(basis, i * n, error, 0, n);

    // Mdot: exact when known, else second-order differences inside [times[0], times[T-1]].
    if (source.derivative) {
      source.derivative(time, derivative);
    } else {
      const delta = derivativeStep;
      if (k > 0 && k < T - 1) {
        source.evaluate(time + delta, ahead);
        source.evaluate(time - delta, matrix);
        for (let c = 0; c < size; c++) derivative[c] = (ahead[c] - matrix[c]) / (2 * delta);
      } else {
        const sign = k === 0 ? 1 : -1;
        source.evaluate(time + sign * delta, ahead);
        source.evaluate(time + sign * 2 * delta, matrix);
        const current = product; // M(t) again: basis was overwritten by the eigenvectors
        source.evaluate(time, current);
        for (let c = 0; c < size; c++) derivative[c] = sign * (-3 * current[c] + 4 * ahead[c] - matrix[c]) / (2 * delta);
      }
    }
    // U Mdot U^T: (U Mdot)_ik = u_i . Mdot_k (Mdot symmetric), then rows of that against rows of U.
    kernels.rowProducts(basis, n, derivative, n, n, product);
    kernels.rowProducts(product, n, basis, n, n, modalDerivative);

    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(values[i]));
    const nullBelow = NULL_SHELL_RATIO * Math.max(largest, reference);
    const labels = new Int32Array(n);
    let firstLabel = Infinity;
    let lastLabel = -Infinity;
    const logBase = Math.log(base);
    for (let i = 0; i < n; i++) {
      if (values[i] > nullBelow) {
        labels[i] = shellIndex(values[i], reference, base);
        positions[k * n + i] = Math.log(reference / values[i]) / logBase;
        firstLabel = Math.min(firstLabel, labels[i]);
        lastLabel = Math.max(lastLabel, labels[i]);
      } else {
        labels[i] = NULL_LABEL;
        positions[k * n + i] = Infinity;
      }
    }
    const hasNull = labels.some((label) => label === NULL_LABEL);
    if (!Number.isFinite(firstLabel)) firstLabel = lastLabel = 0;
    const labelCount = lastLabel - firstLabel + 1 + (hasNull ? 1 : 0);
    const column = (label: number) => (label === NULL_LABEL ? labelCount - 1 : label - firstLabel);
    const transfer = new Float64Array(labelCount * labelCount);
    const intra = new Float64Array(labelCount);
    const gapFloor = 1e-10 * largest;
    for (let i = 0; i < n; i++) {
      const si = column(labels[i]);
      const ai = modal[i];
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const sj = column(labels[j]);
        const gap = values[i] - values[j];
        if (si === sj && Math.abs(gap) <= gapFloor) {
          if (j > i) degeneratePairs++;
          if (coupling) coupling[k * size + i * n + j] = NaN;
          continue;
        }
        const omega = modalDerivative[i * n + j] / gap;
        if (coupling) coupling[k * size + i * n + j] = omega;
        const term = 2 * omega * ai * modal[j];
        if (si === sj) intra[si] += term;
        else transfer[si * labelCount + sj] += term;
      }
    }
    records.push({ labels, transfer, intra, firstLabel, labelCount: hasNull ? labelCount - 1 : labelCount });

    // dE/dt on the trajectory: probe steps of the integrator's own propagator from e(t_k).
    const probe = PROBE_RATIO / Math.max(largest, Number.MIN_VALUE);
    const limit = T > 1 ? 0.25 * Math.min(k > 0 ? time - times[k - 1] : Infinity, k < T - 1 ? times[k + 1] - time : Infinity) : probe;
    const h = Math.min(probe, limit);
    const energy0 = energyOf(error);
    if (T === 1) {
      energyRate[k] = NaN;
    } else if (k > 0 && k < T - 1) {
      const forward = Float64Array.from(error);
      const backward = Float64Array.from(error);
      propagate(forward, time + h / 2, h, true);
      propagate(backward, time - h / 2, -h, true);
      energyRate[k] = (energyOf(forward) - energyOf(backward)) / (2 * h);
    } else {
      const sign = k === 0 ? 1 : -1;
      const first = Float64Array.from(error);
      propagate(first, time + sign * h / 2, sign * h, true);
      const second = Float64Array.from(first);
      propagate(second, time + sign * 1.5 * h, sign * h, true);
      energyRate[k] = sign * (-3 * energy0 + 4 * energyOf(first) - energyOf(second)) / (2 * h);
    }
    monitor.step(++done);
  }

  // Shell columns shared by every time: firstShell .. lastShell, then the null shell if any.
  let firstShell = Infinity;
  let lastShell = -Infinity;
  let anyNull = false;
  for (const record of records) {
    if (record.labelCount > 0) {
      firstShell = Math.min(firstShell, record.firstLabel);
      lastShell = Math.max(lastShell, record.firstLabel + record.labelCount - 1);
    }
    anyNull ||= record.labels.includes(NULL_LABEL);
  }
  if (!Number.isFinite(firstShell)) firstShell = lastShell = 0;
  const finiteShells = lastShell - firstShell + 1;
  const S = finiteShells + (anyNull ? 1 : 0);
  checkBudget('base', base, T * S * S * 8, `the transfer matrices (${T} times x ${S} x ${S} shells)`);
  const nullColumn = anyNull ? S - 1 : -1;
  const shellOf = new Int32Array(T * n);
  const transfer = new Float64Array(T * S * S);
  const intraShellTransfer = new Float64Array(T * S);
  for (let k = 0; k < T; k++) {
    const record = records[k];
    const localCount = record.labelCount + (record.labels.includes(NULL_LABEL) ? 1 : 0);
    const toGlobal = (local: number) => (local >= record.labelCount ? nullColumn : record.firstLabel + local - firstShell);
    for (let i = 0; i < n; i++) {
      const label = record.labels[i];
      shellOf[k * n + i] = label === NULL_LABEL ? nullColumn : label - firstShell;
    }
    for (let a = 0; a < localCount; a++) {
      const ga = toGlobal(a);
      intraShellTransfer[k * S + ga] = record.intra[a];
      for (let b = 0; b < localCount; b++) transfer[k * S * S + ga * S + toGlobal(b)] = record.transfer[a * localCount + b];
    }
  }
  const { shellEnergy, dissipation } = shellTotals(eigenvalues, modalErrors, shellOf, T, n, S);
  const history = { times, eigenvalues, modalErrors, positions, shellOf, identities, n, shellCount: S, firstShell, nullColumn };
  const boundaryFlux = integratedBoundaryFlux(history, shellEnergy);
  const crossingFlux = crossingBoundaryFlux(history);
  const rotationFlux = new Float64Array(boundaryFlux.length);
  for (let c = 0; c < rotationFlux.length; c++) rotationFlux[c] = boundaryFlux[c] - crossingFlux[c];

  const loss = new Float64Array(T);
  const modalFlux = new Float64Array(T * S);
  const localityRatio = new Float64Array(T);
  let largestTransfer = 0;
  let largestIntra = 0;
  let largestAsymmetry = 0;
  let largestRate = 0;
  let largestBalance = 0;
  for (let k = 0; k < T; k++) {
    let sumD = 0;
    for (let s = 0; s < S; s++) {
      loss[k] += shellEnergy[k * S + s];
      sumD += dissipation[k * S + s];
    }
    if (Number.isFinite(energyRate[k])) {
      largestRate = Math.max(largestRate, Math.abs(energyRate[k]));
      largestBalance = Math.max(largestBalance, Math.abs(energyRate[k] + sumD));
    }
    const block = transfer.subarray(k * S * S, (k + 1) * S * S);
    let neighbours = 0;
    let all = 0;
    for (let s = 0; s < S; s++) {
      largestIntra = Math.max(largestIntra, Math.abs(intraShellTransfer[k * S + s]));
      for (let r = 0; r < S; r++) {
        const value = block[s * S + r];
        if (s === r) continue;
        largestTransfer = Math.max(largestTransfer, Math.abs(value));
        largestAsymmetry = Math.max(largestAsymmetry, Math.abs(value + block[r * S + s]));
        all += Math.abs(value);
        if (Math.abs(s - r) === 1) neighbours += Math.abs(value);
        // J_{s+1/2} gets T_{r s'} for s' <= s < r: rate into the lower shell r from the upper s'.
      }
    }
    localityRatio[k] = all > 0 ? neighbours / all : NaN;
    for (let s = 0; s < S; s++) {
      let flux = 0;
      for (let upper = 0; upper <= s; upper++) for (let lower = s + 1; lower < S; lower++) flux += block[lower * S + upper];
      modalFlux[k * S + s] = flux;
    }
  }
  let largestClosure = 0;
  for (let k = 0; k + 1 < T; k++) largestClosure = Math.max(largestClosure, Math.abs(boundaryFlux[k * S + S - 1]));
  const residuals: OperatorResiduals = {
    energyBalance: largestRate > 0 ? largestBalance / largestRate : largestBalance,
    intraShell: largestTransfer > 0 ? largestIntra / largestTransfer : largestIntra,
    antisymmetry: largestTransfer > 0 ? largestAsymmetry / largestTransfer : largestAsymmetry,
    closure: largestRate > 0 ? largestClosure / largestRate : largestClosure,
  };
  const shellIndices = new Float64Array(S);
  for (let s = 0; s < finiteShells; s++) shellIndices[s] = firstShell + s;
  if (anyNull) shellIndices[S - 1] = Infinity;

  const result: EvolvingOperatorResult = {
    times, loss, energyRate, eigenvalues, modalErrors, identities: Float64Array.from(identities), shellIndices,
    shellEnergy, dissipation, transfer, intraShellTransfer, modalFlux, localityRatio,
    boundaryFlux, crossingFlux, rotationFlux,
    ...(coupling ? { coupling } : {}),
    residuals,
    meta: {
      solver: 'evolvingOperator',
      conventions: 'spectral-shells.md §2-§4: de/dt = -M e, E_s = ||P_s e||^2 (no 1/2), D_s = 2 sum lambda a^2, T_ss\' = rate into s from s\', J_{s+1/2} downwards',
      engine: engine.name,
      elapsedMs: now() - started,
      parameters: {
        size: n, base, reference,
        ...(stepsPerInterval !== undefined ? { stepsPerInterval } : { stepSize }),
        exponential: method,
        derivative: source.derivativeKind,
        derivativeStep,
      },
      steps: stepCounts,
      firstShell,
      nullShell: anyNull,
      reassignments,
      degeneratePairs,
      reconstruction: 'Modal equations, shell balance, flux form and crossing/rotation split are reconstructions [R] of Zhang, arXiv:2512.10427 (spectral-shells.md §3, §4, §9).',
    },
  };
  return attachSerialisers(result);
}

/** Label of modes in the null shell during the run. */
const NULL_LABEL = 2 ** 31 - 1;

/** Deterministic initial gauge: the largest-magnitude component of u_i is positive. */
function fixLargestPositive(basis: Float64Array, row: number, n: number): void {
  let best = 0;
  for (let k = 1; k < n; k++) if (Math.abs(basis[row * n + k]) > Math.abs(basis[row * n + best])) best = k;
  if (basis[row * n + best] < 0) for (let k = 0; k < n; k++) basis[row * n + k] = -basis[row * n + k];
}

/**
 * Matches the new eigenvectors (rows of `basis`) with the previous ones by maximum squared overlap,
 * writes the identities and flips signs so that <u_i(t), u_i(t_prev)> >= 0 (spec §9(ii).3). A
 * position whose squared overlap with the same previous position exceeds 2/3 keeps it (that is
 * optimal: any exchange lowers the sum); the others go through the Hungarian assignment, on the
 * overlaps among themselves only. Returns whether any identity moved.
 */
function trackIdentities(
  kernels: EigenKernels, basis: Float64Array, previous: Float64Array, n: number, previousIds: Int32Array, ids: Int32Array,
): boolean {
  const match = new Int32Array(n);
  const unsettled: number[] = [];
  for (let i = 0; i < n; i++) {
    const overlap = laneDot(basis, i * n, previous, i * n, n);
    if (overlap * overlap > KEEP_OVERLAP) match[i] = i;
    else unsettled.push(i);
  }
  let moved = false;
  if (unsettled.length > 0) {
    const m = unsettled.length;
    const current = new Float64Array(m * n);
    const before = new Float64Array(m * n);
    unsettled.forEach((position, r) => {
      current.set(basis.subarray(position * n, (position + 1) * n), r * n);
      before.set(previous.subarray(position * n, (position + 1) * n), r * n);
    });
    const overlaps = new Float64Array(m * m);
    kernels.rowProducts(current, m, before, m, n, overlaps);
    for (let c = 0; c < overlaps.length; c++) overlaps[c] *= overlaps[c];
    const assignment = maximumWeightAssignment(overlaps, m);
    for (let r = 0; r < m; r++) {
      match[unsettled[r]] = unsettled[assignment[r]];
      if (assignment[r] !== r) moved = true;
    }
  }
  for (let i = 0; i < n; i++) {
    const j = match[i];
    ids[i] = previousIds[j];
    if (laneDot(basis, i * n, previous, j * n, n) < 0) for (let k = 0; k < n; k++) basis[i * n + k] = -basis[i * n + k];
  }
  return moved;
}
