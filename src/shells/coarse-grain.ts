// Coarse-graining of modal error energies into logarithmic spectral shells and the integrated
// shell balance (spec spectral-shells.md §4 and §9(i) steps 1-3): shell energies E_s(t),
// dissipation D_s(t) = 2 sum_{i in s} lambda_i a_i^2, energy-weighted shell eigenvalues
// lambda-bar_s = D_s / (2 E_s), net transfer and boundary fluxes J_{s+1/2}, and the closure
// residual. Streams over time in chunks of rows: nothing of size times x modes is allocated here.
import type { Monitor } from '../control.js';
import { ParameterError } from '../errors.js';
import { resolveEngine } from '../engine/registry.js';
import { prepareShells, type ShellLayout, type ShellPlan } from '../engine/shell-kernels.js';
import type { Engine, EngineChoice } from '../engine/types.js';
import { checkChoice, checkNumber } from '../validate.js';
import { shellIndex } from './labels.js';

/** Modal data: error energies a_i(t)^2 of `modeCount` modes (or nodes) at `times`. */
export interface ModalData {
  /** Strictly increasing times. */
  times: Float64Array;
  /** Eigenvalues lambda_i > 0: modeCount values, or times.length x modeCount when eigenvaluesPerTime. */
  eigenvalues: Float64Array;
  /** Energies a_i(t)^2 >= 0, times.length x modeCount (row-major: one row per time). */
  energies: Float64Array;
  modeCount: number;
  /** Whether `eigenvalues` holds one row per time (a time-dependent operator M(t)). */
  eigenvaluesPerTime: boolean;
  /** Modes each entry stands for (quadrature nodes; 1 for exact modes). Informational: energies are already summed. */
  multiplicity?: Float64Array;
}

/** How the dissipation is integrated over a step in the balance of §9(i) step 2. */
export type ShellIntegration = 'exponential' | 'trapezoid';

/** Options of coarseGrain(). */
export interface CoarseGrainOptions {
  /** Shell base B > 1. */
  base: number;
  /** Reference eigenvalue lambda_ref > 0: shell s is (lambda_ref B^(-s-1), lambda_ref B^(-s)]. */
  reference: number;
  /** Engine (name or object); default 'auto'. */
  engine?: EngineChoice | Engine;
  /**
   * 'trapezoid': int D_s dt by the trapezoid rule on shell dissipations (§9(i) step 2, the spec's
   * rule; the only one for time-dependent eigenvalues). 'exponential' (default for static
   * eigenvalues): mode by mode, int d_i dt = dt L(d_i(t_n), d_i(t_n+1)) with L the logarithmic
   * mean, exact for exponentially decaying modes (lazy dynamics), so J = 0 to round-off there.
   */
  integration?: ShellIntegration;
}

/** The coarse-grained dynamics. Matrices are row-major, one row per time (or per step). */
export interface CoarseGrained {
  times: Float64Array;
  /** Shell indices s of the columns (contiguous, ascending: from high to low eigenvalues). */
  shellIndices: Int32Array;
  base: number;
  reference: number;
  /** E_s(t): times x shells. */
  energy: Float64Array;
  /** D_s(t) = 2 sum lambda_i a_i^2: times x shells. */
  dissipation: Float64Array;
  /** lambda-bar_s = D_s / (2 E_s) (NaN for an empty or drained shell): times x shells. */
  meanEigenvalue: Float64Array;
  /** G_s = 2 sum lambda_i a_i^2 ln lambda_i (for the per-mode frontier lambda*_D): times x shells. */
  logMoment: Float64Array;
  /** sum_s E_s (= ||e||^2, the package loss for population mode data). */
  loss: Float64Array;
  /** sum_s D_s = -dE/dt of the dissipative part. */
  totalDissipation: Float64Array;
  /** Midpoints of the steps (times.length - 1). */
  stepTimes: Float64Array;
  /** int D_s dt over each step: steps x shells. */
  integratedDissipation: Float64Array;
  /** T_s^net = (E_s(t_n+1) - E_s(t_n) + int D_s dt) / dt (§9(i) step 2): steps x shells. */
  netTransfer: Float64Array;
  /**
   * J_{s+1/2} = -sum_{s' <= s} T_{s'}^net (§9(i) step 3): steps x (shells + 1). Column 0 is the
   * boundary above the top shell (0), column c the boundary below shell c - 1; the last column is
   * the closure flux J_{bottom+1/2}, which must vanish.
   */
  boundaryFlux: Float64Array;
  /** max_n |J_{bottom+1/2}| / max_n |Delta E / dt| (§9 outputs: energy-balance residual; 0 if E is constant). */
  closureResidual: number;
  /** The integration rule used for the balance. */
  integration: ShellIntegration;
  /** Modes per shell (sum of multiplicity), static eigenvalues only. */
  modesPerShell?: Float64Array;
  /** The reference state for ratios E_s(t)/E_s(0) and tau: the first row, unless a separate initial row was given. */
  initial: { time: number; energy: Float64Array; meanEigenvalue: Float64Array };
}

/** Where the rows come from: modal arrays, or a generator (lazy dynamics) that fills rows on demand. */
export interface RowSource {
  times: Float64Array;
  modeCount: number;
  /** Static eigenvalues (modeCount) or per time (times x modeCount). */
  eigenvalues: Float64Array;
  eigenvaluesPerTime: boolean;
  multiplicity?: Float64Array;
  /** Writes the energies of rows [from, to) into `out` ((to - from) x modeCount). */
  fill(from: number, to: number, out: Float64Array): void;
  /** A reference row before times[0] (static eigenvalues only), e.g. t = 0 for lazy dynamics. */
  initial?: { time: number; energies: Float64Array };
}

/** Largest number of shells (a guard against a reference or base that spreads modes absurdly). */
export const MAX_SHELLS = 100_000;
/** Values per chunk of rows handed to the kernel (8 MiB of energies). */
const CHUNK_VALUES = 2 ** 20;

/**
 * Coarse-grains modal data into spectral shells (spec §4, §9(i) steps 1-3, [R] reconstruction of
 * arXiv:2512.10427): E_s(t) = sum_{i in s} a_i^2 with s(lambda) = floor(log_B(lambda_ref/lambda))
 * (src/shells/labels.ts), D_s = 2 sum lambda_i a_i^2, lambda-bar_s = D_s/(2E_s), the net transfer
 * Delta E_s^tr = E_s(t_n+1) - E_s(t_n) + int D_s dt and the boundary fluxes J_{s+1/2} =
 * -sum_{s'<=s} T_{s'}^net, with the closure residual of J_{bottom+1/2}. Energies are read in
 * chunks of rows, so the work memory is O(shells x times + chunk), whatever times x modes is.
 *
 * @example
 * const grained = coarseGrain({ times, eigenvalues, energies, modeCount: n, eigenvaluesPerTime: false },
 *   { base: 2, reference: 1 });
 * grained.energy[j * grained.shellIndices.length + c] // E_s(t_j) of shell grained.shellIndices[c]
 */
export function coarseGrain(modal: ModalData, options: CoarseGrainOptions): CoarseGrained {
  return coarseGrainRows(modalSource(modal), options);
}

/** Validates modal data and wraps it as a RowSource (energies checked row by row as they are read). */
export function modalSource(modal: ModalData): RowSource {
  if (modal === null || typeof modal !== 'object') throw new ParameterError('modal', modal, 'an object { times, eigenvalues, energies, modeCount, eigenvaluesPerTime }');
  const { times, eigenvalues, energies, modeCount, eigenvaluesPerTime, multiplicity } = modal;
  for (const [name, value] of [['times', times], ['eigenvalues', eigenvalues], ['energies', energies]] as const) {
    if (!(value instanceof Float64Array)) throw new ParameterError(name, value, 'a Float64Array');
  }
  checkNumber('modeCount', modeCount, { minimum: 1, integer: true });
  if (typeof eigenvaluesPerTime !== 'boolean') throw new ParameterError('eigenvaluesPerTime', eigenvaluesPerTime, 'true or false');
  const count = times.length;
  if (count < 1) throw new ParameterError('times', times, 'at least one time');
  for (let j = 0; j < count; j++) {
    if (!Number.isFinite(times[j]) || (j > 0 && !(times[j] > times[j - 1]))) {
      throw new ParameterError('times', times, 'finite, strictly increasing times', `entry ${j} is ${times[j]}`);
    }
  }
  if (energies.length !== count * modeCount) {
    throw new ParameterError('energies', energies, `times.length x modeCount = ${count * modeCount} values (one row per time)`);
  }
  const eigenvalueCount = eigenvaluesPerTime ? count * modeCount : modeCount;
  if (eigenvalues.length !== eigenvalueCount) {
    throw new ParameterError('eigenvalues', eigenvalues, `${eigenvalueCount} values (${eigenvaluesPerTime ? 'times.length x modeCount' : 'modeCount'})`);
  }
  for (let i = 0; i < eigenvalues.length; i++) {
    if (!(eigenvalues[i] > 0 && eigenvalues[i] < Infinity)) {
      throw new ParameterError('eigenvalues', eigenvalues, 'finite eigenvalues > 0', `entry ${i} is ${eigenvalues[i]}`);
    }
  }
  if (multiplicity !== undefined) {
    if (!(multiplicity instanceof Float64Array) || multiplicity.length !== modeCount) {
      throw new ParameterError('multiplicity', multiplicity, `a Float64Array of modeCount (${modeCount}) values`);
    }
    for (let i = 0; i < modeCount; i++) {
      if (!(multiplicity[i] >= 0 && multiplicity[i] < Infinity)) throw new ParameterError('multiplicity', multiplicity, 'finite values >= 0', `entry ${i} is ${multiplicity[i]}`);
    }
  }
  return {
    times, modeCount, eigenvalues, eigenvaluesPerTime, multiplicity,
    fill(from, to, out) {
      const block = energies.subarray(from * modeCount, to * modeCount);
      for (let i = 0; i < block.length; i++) {
        if (!(block[i] >= 0 && block[i] < Infinity)) {
          throw new ParameterError('energies', energies, 'finite energies >= 0', `entry ${from * modeCount + i} is ${block[i]}`);
        }
      }
      out.set(block);
    },
  };
}

/** Validated base and reference. */
export function checkShellParameters(base: unknown, reference: unknown): { base: number; reference: number } {
  return {
    base: checkNumber('base', base, { minimum: 1, exclusiveMinimum: true }),
    reference: checkNumber('reference', reference, { minimum: 0, exclusiveMinimum: true }),
  };
}

function labelsOf(eigenvalues: Float64Array, reference: number, base: number): Int32Array {
  const labels = new Int32Array(eigenvalues.length);
  for (let i = 0; i < eigenvalues.length; i++) {
    const label = shellIndex(eigenvalues[i], reference, base);
    labels[i] = Math.max(-(2 ** 30), Math.min(2 ** 30, label));
  }
  return labels;
}

/** Permutation sorting by descending eigenvalue (stable), or undefined when already non-increasing. */
function descendingOrder(eigenvalues: Float64Array): Uint32Array | undefined {
  let sorted = true;
  for (let i = 1; i < eigenvalues.length && sorted; i++) if (eigenvalues[i] > eigenvalues[i - 1]) sorted = false;
  if (sorted) return undefined;
  const order = new Uint32Array(eigenvalues.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => eigenvalues[b] - eigenvalues[a] || a - b);
}

function gather(source: Float64Array, order: Uint32Array | undefined, out: Float64Array, offset = 0): void {
  if (!order) {
    out.set(source.subarray(offset, offset + out.length));
    return;
  }
  for (let i = 0; i < order.length; i++) out[i] = source[offset + order[i]];
}

/** Segment starts of shells first..first+count-1 over labels in shell order. */
function segmentStarts(sortedLabels: Int32Array, first: number, count: number, out: Int32Array, offset = 0): void {
  let k = 0;
  for (let s = 0; s <= count; s++) {
    while (k < sortedLabels.length && sortedLabels[k] < first + s) k++;
    out[offset + s] = k;
  }
}

/**
 * coarseGrain over any RowSource (modal arrays, or a lazy generator), with optional progress
 * monitoring (Monitor.step with rows done x modes).
 */
export function coarseGrainRows(source: RowSource, options: CoarseGrainOptions, monitor?: Monitor): CoarseGrained {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', options, 'an object { base, reference }');
  const { base, reference } = checkShellParameters(options.base, options.reference);
  const engine = typeof options.engine === 'object' && options.engine !== null ? options.engine as Engine : resolveEngine(options.engine);
  const integration = options.integration === undefined ? (source.eigenvaluesPerTime ? 'trapezoid' : 'exponential')
    : checkChoice('integration', options.integration, ['exponential', 'trapezoid'] as const);
  if (integration === 'exponential' && source.eigenvaluesPerTime) {
    throw new ParameterError('integration', integration, "'trapezoid' for time-dependent eigenvalues", 'the exponential rule integrates mode by mode with fixed shell labels');
  }
  const { times, modeCount } = source;
  const timeCount = times.length;

  // Shell range over every label that occurs.
  const labels = labelsOf(source.eigenvalues, reference, base);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < first) first = labels[i];
    if (labels[i] > last) last = labels[i];
  }
  const shellCount = last - first + 1;
  if (!(shellCount <= MAX_SHELLS)) {
    throw new ParameterError('base', base, `a base and reference giving at most ${MAX_SHELLS} shells`, `the eigenvalues span shells ${first}..${last}`);
  }
  const shellIndices = new Int32Array(shellCount);
  for (let c = 0; c < shellCount; c++) shellIndices[c] = first + c;

  const cells = timeCount * shellCount;
  const energy = new Float64Array(cells);
  const dissipation = new Float64Array(cells);
  const logMoment = new Float64Array(cells);
  const steps = Math.max(0, timeCount - 1);
  const integratedDissipation = new Float64Array(steps * shellCount);
  const exponential = integration === 'exponential';

  const rowsPerChunk = Math.max(1, Math.min(timeCount, Math.floor(CHUNK_VALUES / modeCount)));
  const raw = new Float64Array(rowsPerChunk * modeCount);
  let modesPerShell: Float64Array | undefined;
  let initial: CoarseGrained['initial'];
  let plan: ShellPlan;

  if (!source.eigenvaluesPerTime) {
    const order = descendingOrder(source.eigenvalues);
    const sortedEigenvalues = new Float64Array(modeCount);
    gather(source.eigenvalues, order, sortedEigenvalues);
    const sortedLabels = new Int32Array(modeCount);
    for (let i = 0; i < modeCount; i++) sortedLabels[i] = labels[order ? order[i] : i];
    const starts = new Int32Array(shellCount + 1);
    segmentStarts(sortedLabels, first, shellCount, starts);
    const layout: ShellLayout = { eigenvalues: sortedEigenvalues, logEigenvalues: sortedEigenvalues.map(Math.log), starts };
    modesPerShell = new Float64Array(shellCount);
    for (let c = 0; c < shellCount; c++) {
      for (let k = starts[c]; k < starts[c + 1]; k++) modesPerShell[c] += source.multiplicity ? source.multiplicity[order ? order[k] : k] : 1;
    }
    plan = prepareShells(engine, modeCount, shellCount, layout);
    try {
      const sorted = order ? new Float64Array(rowsPerChunk * modeCount) : raw;
      const previous = new Float64Array(modeCount);
      const intervals = new Float64Array(rowsPerChunk);
      for (let from = 0; from < timeCount; from += rowsPerChunk) {
        const to = Math.min(timeCount, from + rowsPerChunk);
        const rows = to - from;
        source.fill(from, to, raw.subarray(0, rows * modeCount));
        if (order) for (let r = 0; r < rows; r++) gather(raw, order, sorted.subarray(r * modeCount, (r + 1) * modeCount), r * modeCount);
        for (let r = 0; r < rows; r++) intervals[r] = from + r > 0 ? times[from + r] - times[from + r - 1] : 0;
        const stepIntegral = exponential ? new Float64Array(rows * shellCount) : undefined;
        plan.run(sorted, rows, {
          energy: energy.subarray(from * shellCount, to * shellCount),
          dissipation: dissipation.subarray(from * shellCount, to * shellCount),
          logMoment: logMoment.subarray(from * shellCount, to * shellCount),
          stepIntegral,
        }, { previous: from > 0 ? previous : undefined, intervals });
        if (stepIntegral) {
          const skip = from === 0 ? 1 : 0;
          integratedDissipation.set(stepIntegral.subarray(skip * shellCount), (from + skip - 1) * shellCount);
        }
        previous.set(sorted.subarray((rows - 1) * modeCount, rows * modeCount));
        monitor?.step(to * modeCount);
      }
      if (source.initial) {
        const row = new Float64Array(modeCount);
        gather(source.initial.energies, order, row);
        const out = { energy: new Float64Array(shellCount), dissipation: new Float64Array(shellCount), logMoment: new Float64Array(shellCount) };
        plan.run(row, 1, out);
        initial = { time: source.initial.time, energy: out.energy, meanEigenvalue: meanEigenvalues(out.energy, out.dissipation) };
      }
    } finally {
      plan.dispose();
    }
  } else {
    if (source.initial) throw new ParameterError('initial', source.initial, 'absent for time-dependent eigenvalues');
    plan = prepareShells(engine, modeCount, shellCount);
    try {
      const layout = {
        eigenvalues: new Float64Array(rowsPerChunk * modeCount),
        logEigenvalues: new Float64Array(rowsPerChunk * modeCount),
        starts: new Int32Array(rowsPerChunk * (shellCount + 1)),
      };
      const sorted = new Float64Array(rowsPerChunk * modeCount);
      const sortedLabels = new Int32Array(modeCount);
      for (let from = 0; from < timeCount; from += rowsPerChunk) {
        const to = Math.min(timeCount, from + rowsPerChunk);
        const rows = to - from;
        source.fill(from, to, raw.subarray(0, rows * modeCount));
        for (let r = 0; r < rows; r++) {
          const offset = (from + r) * modeCount;
          const rowEigenvalues = source.eigenvalues.subarray(offset, offset + modeCount);
          const order = descendingOrder(rowEigenvalues);
          const eigenvalueRow = layout.eigenvalues.subarray(r * modeCount, (r + 1) * modeCount);
          gather(rowEigenvalues, order, eigenvalueRow);
          for (let i = 0; i < modeCount; i++) {
            layout.logEigenvalues[r * modeCount + i] = Math.log(eigenvalueRow[i]);
            sortedLabels[i] = labels[offset + (order ? order[i] : i)];
          }
          segmentStarts(sortedLabels, first, shellCount, layout.starts, r * (shellCount + 1));
          gather(raw, order, sorted.subarray(r * modeCount, (r + 1) * modeCount), r * modeCount);
        }
        plan.run(sorted, rows, {
          energy: energy.subarray(from * shellCount, to * shellCount),
          dissipation: dissipation.subarray(from * shellCount, to * shellCount),
          logMoment: logMoment.subarray(from * shellCount, to * shellCount),
        }, { layout });
        monitor?.step(to * modeCount);
      }
    } finally {
      plan.dispose();
    }
  }

  const meanEigenvalue = meanEigenvalues(energy, dissipation);
  initial ??= { time: times[0], energy: energy.slice(0, shellCount), meanEigenvalue: meanEigenvalue.slice(0, shellCount) };
  const loss = new Float64Array(timeCount);
  const totalDissipation = new Float64Array(timeCount);
  for (let j = 0; j < timeCount; j++) {
    let sumEnergy = 0;
    let sumDissipation = 0;
    for (let c = 0; c < shellCount; c++) {
      sumEnergy += energy[j * shellCount + c];
      sumDissipation += dissipation[j * shellCount + c];
    }
    loss[j] = sumEnergy;
    totalDissipation[j] = sumDissipation;
  }

  // Balance (§9(i) steps 2-3).
  const stepTimes = new Float64Array(steps);
  const netTransfer = new Float64Array(steps * shellCount);
  const boundaryFlux = new Float64Array(steps * (shellCount + 1));
  let worstClosure = 0;
  let worstRate = 0;
  for (let n = 0; n < steps; n++) {
    const interval = times[n + 1] - times[n];
    stepTimes[n] = (times[n] + times[n + 1]) / 2;
    let flux = 0;
    for (let c = 0; c < shellCount; c++) {
      const before = n * shellCount + c;
      const after = before + shellCount;
      const integral = exponential ? integratedDissipation[before]
        : (integratedDissipation[before] = 0.5 * (dissipation[before] + dissipation[after]) * interval);
      const transfer = (energy[after] - energy[before] + integral) / interval;
      netTransfer[before] = transfer;
      flux -= transfer;
      boundaryFlux[n * (shellCount + 1) + c + 1] = flux;
    }
    worstClosure = Math.max(worstClosure, Math.abs(flux));
    worstRate = Math.max(worstRate, Math.abs((loss[n + 1] - loss[n]) / interval));
  }
  const closureResidual = worstRate > 0 ? worstClosure / worstRate : worstClosure;

  return {
    times, shellIndices, base, reference, energy, dissipation, meanEigenvalue, logMoment, loss, totalDissipation,
    stepTimes, integratedDissipation, netTransfer, boundaryFlux, closureResidual, integration,
    ...(modesPerShell ? { modesPerShell } : {}), initial,
  };
}

function meanEigenvalues(energy: Float64Array, dissipation: Float64Array): Float64Array {
  const out = new Float64Array(energy.length);
  for (let i = 0; i < energy.length; i++) out[i] = energy[i] > 0 ? dissipation[i] / (2 * energy[i]) : NaN;
  return out;
}
