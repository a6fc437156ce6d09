// Coarse-grained transport PDE of spec spectral-shells.md §5 and §9(iii): d_t eps + d_l(V eps) =
// -2 lambda_ref e^-l eps + S in l = ln(lambda_ref / lambda), V = -v / lambda, by finite volumes on
// logarithmic shells. The closure (local drift v, negligible or given S) is a reconstruction [R].
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { checkBudget } from '../budget.js';
import { ParameterError } from '../errors.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkArray, checkChoice, checkNumber, checkOptions, optionalNumber } from '../validate.js';
import { binSpectrum, type CellGrid } from './transport-initial.js';
import { courantLimit, faceFluxes, type Limiter } from './transport-scheme.js';

/** MUSCL slope limiters: 'minmod' or 'vanLeer' (the van Leer harmonic mean of the one-sided slopes). */
export type TransportLimiter = Limiter;

/** Spatial schemes of transportSolve(). */
export type TransportScheme = 'upwind' | 'muscl';

/** Which boundary an inflow density is asked for: 'top' is l_min (largest lambda), 'bottom' is l_max. */
export type TransportBoundary = 'top' | 'bottom';

/** Options of transportSolve(). */
export interface TransportOptions extends RunControl {
  /**
   * Initial condition as a lazy spectrum (package conventions): alpha, beta (and modes,
   * leadingEigenvalue, targetScale) for lambda_k = lambda_1 k^-alpha, p_k = c k^-(alpha beta + 1),
   * i.e. g_0(lambda) ~ lambda^(q-1) with q = beta; or custom eigenvalues/targetPower. The initial cell
   * energies are the exact sums of p_k over the modes in each cell.
   */
  alpha?: SpectrumOptions['alpha'];
  /** Source exponent beta of the initial power law (q = beta in spec §6). */
  beta?: SpectrumOptions['beta'];
  /** Modes M of the initial power law (integer >= 1 or Infinity; default 1000, as lazy()). */
  modes?: SpectrumOptions['modes'];
  /** lambda_1 of the initial power law (default 1). */
  leadingEigenvalue?: SpectrumOptions['leadingEigenvalue'];
  /** c, the target power of mode 1 (default 1). */
  targetScale?: SpectrumOptions['targetScale'];
  /** Custom initial eigenvalues (with targetPower), binned into cells. */
  eigenvalues?: SpectrumOptions['eigenvalues'];
  /** Custom initial target power per mode. */
  targetPower?: SpectrumOptions['targetPower'];
  /** Initial cell energies E_j(t_0) = integral of eps over cell j (length shells * cellsPerShell, each >= 0), instead of a spectrum. */
  initialEnergy?: ArrayLike<number>;

  /** lambda_ref, the eigenvalue at l = 0 (> 0; default: lambda_1, the largest custom eigenvalue, or 1 with initialEnergy). */
  referenceEigenvalue?: number;
  /** Shell base B (> 1 and <= 1000; default 2). */
  shellBase?: number;
  /** Index of the top shell (integer in [-10000, 10000], default 0; negative shells lie above lambda_ref). */
  firstShell?: number;
  /** Number of shells (integer in [1, 65536], default 40). */
  shells?: number;
  /** Finite-volume cells per shell (integer in [1, 4096], default 1): cell width ln(B) / cellsPerShell. */
  cellsPerShell?: number;

  /** c_0 of the power-law drift v = -c_0 t^(b_v - 2) lambda^(b_v) (finite, |c_0| <= 1e6; default 0, the lazy limit). Signed: c_0 > 0 shrinks eigenvalues. */
  driftCoefficient?: number;
  /** b_v of the power-law drift (finite, in [-16, 16]; default 1, the log-shift-invariant case v = -c_0 lambda / t). */
  driftExponent?: number;
  /** Log-scale velocity V(l, t) = -v / lambda (dl/dt of a characteristic), instead of the power-law drift. Must return finite numbers. */
  logVelocity?: (logScale: number, time: number) => number;
  /**
   * Rotation-transfer source S(l, t), energy per unit l per unit time (default 0). The closure needs
   * integral S dl = 0 (energy exchanged between shells, not created); this is not enforced, and the
   * energy it injects is reported as `sourceEnergy`. Evaluated at cell centres (midpoint rule).
   */
  source?: (logScale: number, time: number) => number;
  /** Energy density eps (per unit l) just outside a boundary, used where V points into the domain (default 0: nothing enters). */
  inflow?: (boundary: TransportBoundary, time: number) => number;

  /** 'muscl' (default; second order, SSP-RK2 in time) or 'upwind' (first order, forward Euler). */
  scheme?: TransportScheme;
  /** MUSCL slope limiter: 'vanLeer' (default) or 'minmod'. Only with scheme 'muscl'. */
  limiter?: TransportLimiter;
  /** Courant number |V| dt / dl of the automatic step (default 0.5; > 0 and <= 1 for upwind, 2/3 for minmod, 1/2 for van Leer). */
  courant?: number;
  /** Fixed time step instead of the automatic one (> 0); a step that would break the Courant limit raises a ParameterError. */
  timeStep?: number;
  /** t_0, time of the initial condition (>= 0; default 0; required > 0 when the power-law drift is singular at t = 0, i.e. c_0 != 0 and b_v < 2). */
  startTime?: number;
  /** Output times (>= startTime); default log-spaced from max(startTime, 1) over four decades, 41 points. */
  times?: TimeGrid;
}

/** Metadata of a transportSolve() result. */
export interface TransportMeta {
  solver: 'transport';
  /** Where the equations come from; the closure is a reconstruction. */
  specification: string;
  engine: 'typescript';
  elapsedMs: number;
  parameters: Record<string, unknown>;
  grid: {
    cells: number;
    shells: number;
    cellsPerShell: number;
    firstShell: number;
    shellBase: number;
    referenceEigenvalue: number;
    /** dl = ln(B) / cellsPerShell. */
    cellWidth: number;
    /** [l_min, l_max]. */
    logScaleRange: [number, number];
  };
  drift: { kind: 'power-law'; coefficient: number; exponent: number } | { kind: 'callback' };
  scheme: TransportScheme;
  limiter: TransportLimiter | null;
  /** Time integration of the transport part. */
  integrator: 'forward-euler' | 'ssp-rk2';
  /** Operator splitting: half a step of exact dissipation, a transport step, half a step of dissipation. */
  splitting: 'strang';
  /** Largest Courant number allowed for this scheme and limiter. */
  courantLimit: number;
  /** Largest |V| dt / dl taken. */
  maxCourant: number;
  steps: number;
  startTime: number;
  initial: {
    kind: 'power-law' | 'custom' | 'cells';
    /** Energy on the grid at t_0. */
    energy: number;
    /** Spectrum energy above the top edge and below the bottom edge (not represented). */
    energyAbove: number;
    energyBelow: number;
  };
  /** Power-law drift: closed-form expectations of spec §6 [R]. */
  theory?: {
    /** b_v = 1 and c_0 < 1: tau ~ t^(1 - c_0), L ~ t^-((1 - c_0) q) on an unbounded grid. */
    effectiveTimeExponent?: number;
    /** c_0 > 0, b_v > 1: the attracting x* = c_0^(-1/(b_v - 1)) of dx/d ln t = x - c_0 x^(b_v), lambda* -> x* / t. */
    frontierFixedPoint?: number;
    /** Power-law initial condition: the lazy exponent q (= beta). */
    lazyExponent?: number;
  };
}

/** Result of transportSolve(). Per-time arrays have times.length entries; tables are row-major, one row per time. */
export interface TransportResult {
  times: Float64Array;
  /** L(t) = sum_j E_j(t), the energy on the grid (spec: sum_s E_s). */
  loss: Float64Array;
  /** lambda*_D(t) = exp(sum_j D_j ln lambda-bar_j / sum_j D_j), the dissipation-weighted geometric mean (§6); NaN when nothing dissipates. */
  frontier: Float64Array;
  /** Energy removed by dissipation since startTime (exact per step, so the bookkeeping closes to round-off). */
  dissipated: Float64Array;
  /** Net energy that left through the top boundary (l_min) since startTime (inflow counts negative). */
  outflowTop: Float64Array;
  /** Net energy that left through the bottom boundary (l_max) since startTime. */
  outflowBottom: Float64Array;
  /** Energy injected by `source` since startTime (0 without one; should stay ~0 for a closure). */
  sourceEnergy: Float64Array;
  /** Cell energies E_j(t) = integral of eps over cell j (density eps-bar_j = E_j / cellWidth): times.length rows of cells. */
  energy: Float64Array;
  /** Dissipation rates D_j(t) = 2 lambda-bar_j E_j(t): times.length rows of cells. */
  dissipation: Float64Array;
  /** Initial cell energies E_j(t_0). */
  initialEnergy: Float64Array;
  /** Cell-centre log-scales l_j. */
  logScales: Float64Array;
  /** Cell-centre eigenvalues lambda_ref e^-l_j. */
  eigenvalues: Float64Array;
  /** lambda-bar_j, the average of lambda_ref e^-l over cell j; the dissipation rate is 2 lambda-bar_j (= D_j / (2 E_j), spec §5). */
  meanEigenvalues: Float64Array;
  /** Shell index s of each cell. */
  shellIndex: Float64Array;
  meta: TransportMeta;
}

const TRANSPORT_KEYS = [...CONTROL_KEYS, 'alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower',
  'initialEnergy', 'referenceEigenvalue', 'shellBase', 'firstShell', 'shells', 'cellsPerShell', 'driftCoefficient', 'driftExponent',
  'logVelocity', 'source', 'inflow', 'scheme', 'limiter', 'courant', 'timeStep', 'startTime', 'times'] as const;

const SPECTRUM_INITIAL_KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower'] as const;

/** Most cells on one grid. */
const MAX_CELLS = 2 ** 22;
/** Work (cell updates) between two progress checks. */
const CHUNK_WORK = 2 ** 16;

type Velocity = { kind: 'power-law'; coefficient: number; exponent: number } | { kind: 'callback'; evaluate: (logScale: number, time: number) => number };

interface TransportSetup {
  grid: CellGrid;
  initial: Float64Array;
  initialMeta: TransportMeta['initial'];
  lazyExponent?: number;
  velocity: Velocity;
  source?: (logScale: number, time: number) => number;
  inflow?: (boundary: TransportBoundary, time: number) => number;
  scheme: TransportScheme;
  limiter: Limiter | null;
  courant: number;
  timeStep?: number;
  startTime: number;
  times: Float64Array;
}

function checkFunction(parameter: string, value: unknown): ((...args: never[]) => number) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new ParameterError(parameter, value, 'a function');
  return value as (...args: never[]) => number;
}

function setup(options: TransportOptions): TransportSetup {
  const given = checkOptions('transportSolve', options, TRANSPORT_KEYS) as TransportOptions;

  // Grid.
  const shellBase = optionalNumber('shellBase', given.shellBase, 2, { minimum: 1, exclusiveMinimum: true, maximum: 1000 });
  const firstShell = optionalNumber('firstShell', given.firstShell, 0, { minimum: -10000, maximum: 10000, integer: true });
  const shells = optionalNumber('shells', given.shells, 40, { minimum: 1, maximum: 65536, integer: true });
  const cellsPerShell = optionalNumber('cellsPerShell', given.cellsPerShell, 1, { minimum: 1, maximum: 4096, integer: true });
  const cells = shells * cellsPerShell;
  if (cells > MAX_CELLS) {
    throw new ParameterError('cellsPerShell', cellsPerShell, `an integer <= ${Math.floor(MAX_CELLS / shells)} (shells x cellsPerShell <= ${MAX_CELLS})`);
  }

  // Initial condition.
  const spectrumGiven = SPECTRUM_INITIAL_KEYS.some((key) => given[key] !== undefined);
  let initial: Float64Array;
  let initialMeta: TransportMeta['initial'];
  let lazyExponent: number | undefined;
  let defaultReference = 1;
  let binning: ((grid: CellGrid) => { energy: Float64Array; above: number; below: number }) | undefined;
  let kind: TransportMeta['initial']['kind'] = 'cells';
  if (given.initialEnergy !== undefined) {
    if (spectrumGiven) {
      const key = SPECTRUM_INITIAL_KEYS.find((name) => given[name] !== undefined) as string;
      throw new ParameterError(key, (given as Record<string, unknown>)[key], 'absent when initialEnergy is given',
        'the initial condition is either a spectrum or an array of cell energies');
    }
    initial = checkArray('initialEnergy', given.initialEnergy, { minimum: 0, maximum: 1e250 }, { minimumLength: cells, maximumLength: cells });
  } else {
    if (!spectrumGiven) {
      throw new ParameterError('initialEnergy', undefined, `an array of ${cells} cell energies, or a spectrum (alpha and beta, or eigenvalues and targetPower)`);
    }
    const spectrum = resolveSpectrum(given);
    kind = spectrum.kind;
    if (spectrum.kind === 'power-law') {
      defaultReference = spectrum.leadingEigenvalue;
      lazyExponent = spectrum.beta;
    } else {
      defaultReference = spectrum.eigenvalues.reduce((a, b) => Math.max(a, b), 0);
    }
    binning = (grid) => binSpectrum(spectrum, grid);
    initial = new Float64Array(0);
  }
  const referenceEigenvalue = optionalNumber('referenceEigenvalue', given.referenceEigenvalue, defaultReference, { minimum: 0, exclusiveMinimum: true, maximum: 1e250 });
  const logBase = Math.log(shellBase);
  const top = referenceEigenvalue * Math.exp(-firstShell * logBase);
  const bottom = referenceEigenvalue * Math.exp(-(firstShell + shells) * logBase);
  if (!(top < 1e300)) {
    throw new ParameterError('firstShell', firstShell, `an integer keeping the top edge lambda_ref B^-firstShell below 1e300 (it is ${top})`);
  }
  if (!(bottom > 1e-300)) {
    throw new ParameterError('shells', shells, `an integer keeping the bottom edge lambda_ref B^-(firstShell + shells) above 1e-300 (it is ${bottom})`);
  }
  const grid: CellGrid = { reference: referenceEigenvalue, base: shellBase, firstShell, shells, cellsPerShell, cells, width: logBase / cellsPerShell };
  if (binning) {
    const binned = binning(grid);
    initial = binned.energy;
    initialMeta = { kind, energy: sum(initial), energyAbove: binned.above, energyBelow: binned.below };
  } else {
    initialMeta = { kind, energy: sum(initial), energyAbove: 0, energyBelow: 0 };
  }

  // Drift.
  const logVelocity = checkFunction('logVelocity', given.logVelocity) as TransportOptions['logVelocity'];
  let velocity: Velocity;
  if (logVelocity) {
    for (const key of ['driftCoefficient', 'driftExponent'] as const) {
      if (given[key] !== undefined) {
        throw new ParameterError(key, given[key], 'absent when logVelocity is given', 'the drift is either the power law c_0 t^(b_v-2) lambda^(b_v) or a callback V(l, t)');
      }
    }
    velocity = { kind: 'callback', evaluate: logVelocity };
  } else {
    const coefficient = optionalNumber('driftCoefficient', given.driftCoefficient, 0, { minimum: -1e6, maximum: 1e6 });
    const exponent = optionalNumber('driftExponent', given.driftExponent, 1, { minimum: -16, maximum: 16 });
    velocity = { kind: 'power-law', coefficient, exponent };
  }
  const source = checkFunction('source', given.source) as TransportOptions['source'];
  const inflow = checkFunction('inflow', given.inflow) as TransportOptions['inflow'];

  // Scheme and time stepping.
  const scheme = given.scheme === undefined ? 'muscl' : checkChoice('scheme', given.scheme, ['upwind', 'muscl'] as const);
  let limiter: Limiter | null = null;
  if (scheme === 'muscl') {
    limiter = given.limiter === undefined ? 'vanLeer' : checkChoice('limiter', given.limiter, ['minmod', 'vanLeer'] as const);
  } else if (given.limiter !== undefined) {
    throw new ParameterError('limiter', given.limiter, "absent for scheme 'upwind'", "limiters apply to scheme 'muscl'");
  }
  const limit = courantLimit(limiter);
  let timeStep: number | undefined;
  let courant = 0.5;
  if (given.timeStep !== undefined) {
    if (given.courant !== undefined) {
      throw new ParameterError('courant', given.courant, 'absent when timeStep is given', 'the step is either fixed (timeStep) or chosen from a Courant number');
    }
    timeStep = checkNumber('timeStep', given.timeStep, { minimum: 0, exclusiveMinimum: true });
  } else {
    courant = optionalNumber('courant', given.courant, 0.5, { minimum: 0, exclusiveMinimum: true, maximum: limit });
  }
  const singular = velocity.kind === 'power-law' && velocity.coefficient !== 0 && velocity.exponent < 2;
  let startTime: number;
  if (singular) {
    if (given.startTime === undefined) {
      throw new ParameterError('startTime', undefined, 'a number > 0 (required: the drift c_0 t^(b_v-2) lambda^(b_v) is singular at t = 0 for driftExponent < 2)');
    }
    startTime = checkNumber('startTime', given.startTime, { minimum: 0, exclusiveMinimum: true });
  } else {
    startTime = optionalNumber('startTime', given.startTime, 0, { minimum: 0 });
  }
  const first = startTime > 0 ? startTime : 1;
  const times = timeGrid(given.times === undefined ? { from: first, to: first * 1e4, count: 41, spacing: 'log' } : given.times);
  if (times[0] < startTime) {
    throw new ParameterError('times', given.times, `times >= startTime (${startTime})`, `the first time is ${times[0]}`);
  }
  checkBudget('times', given.times, (2 * times.length * cells + 8 * times.length + 16 * cells) * 8, `the energy and dissipation tables (${times.length} times x ${cells} cells)`);
  return { grid, initial, initialMeta, lazyExponent, velocity, source, inflow, scheme, limiter, courant, timeStep, startTime, times };
}

/** output_j = input_j + dt ((F_j - F_{j+1}) / h + S_j), the forward-Euler stage (in place allowed). */
function advance(input: Float64Array, output: Float64Array, flux: Float64Array, sources: Float64Array | null, dt: number, h: number): void {
  const ratio = dt / h;
  const n = input.length;
  if (sources === null) {
    for (let j = 0; j < n; j++) output[j] = input[j] + ratio * (flux[j] - flux[j + 1]);
  } else {
    for (let j = 0; j < n; j++) output[j] = input[j] + ratio * (flux[j] - flux[j + 1]) + dt * sources[j];
  }
}

/** target_j = (target_j + other_j) / 2, the final SSP-RK2 combination. */
function averageInto(target: Float64Array, other: Float64Array): void {
  for (let j = 0; j < target.length; j++) target[j] = 0.5 * (target[j] + other[j]);
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/**
 * Solves the coarse-grained transport equation of spec §5 / §9(iii) [R],
 *
 *   d_t eps + d_l(V eps) = -2 lambda_ref e^-l eps + S,   l = ln(lambda_ref / lambda),  V = -v / lambda,
 *
 * for the error energy eps per unit log-scale, with the power-law drift v = -c_0 t^(b_v - 2)
 * lambda^(b_v) (V = c_0 t^(b_v - 2) lambda^(b_v - 1)) or a callback V(l, t).
 *
 * Method. Finite volumes on a uniform l grid, one cell per shell of base B or `cellsPerShell` cells
 * per shell; cell j carries its energy E_j. Transport: first-order upwind with forward Euler, or MUSCL
 * (minmod / van Leer limited slopes) with the SSP-RK2 (Heun) integrator, second order in smooth
 * regions and first order at extrema, where the limiter clips. Dissipation is applied exactly,
 * E_j <- E_j exp(-2 lambda-bar_j dt), with lambda-bar_j the l-average of lambda over the cell, in a
 * Strang splitting: dissipation(dt/2), transport(dt), dissipation(dt/2) (second order in dt). The step
 * keeps |V| dt <= courant dl at the faces at both stage times (the Courant limit is the TVD bound of the
 * scheme, see meta.courantLimit); the last step before an output time is shortened to land on it.
 *
 * Lazy limit (V = 0, S = 0): every step multiplies E_j by exp(-2 lambda-bar_j dt), so the solver
 * returns E_j(t) = E_j(t_0) exp(-2 lambda-bar_j (t - t_0)) to round-off: the exact solution of the
 * cell model, in which all the modes of a cell decay at the cell's rate. It differs from the mode sum
 * sum_{k in j} p_k e^(-2 lambda_k t) by the spread of lambda within the cell (second order in dl).
 *
 * Boundaries: the top edge l_min (largest eigenvalues) and the bottom edge l_max. Where V points out
 * of the domain, energy leaves with the upwind state (reported as outflowTop / outflowBottom); where it
 * points in, the face carries V times the `inflow` density (default 0: a truncated domain into which
 * nothing enters). Energy bookkeeping closes to round-off:
 * L(t) - L(t_0) = -dissipated - outflowTop - outflowBottom + sourceEnergy.
 *
 * The b_v = 1 case has the characteristics solution of §6: L(t) = L_lazy(tau(t)) with
 * tau = integral of A = (t/t_0)^(-c_0) from t_0, and frontier lambda*_D = A e^(psi(q+1)) / (2 tau) ->
 * e^(psi(q+1)) (1 - c_0) / (2t); for c_0 > 0, b_v > 1 the frontier approaches x* / t with
 * x* = c_0^(-1/(b_v-1)). The closure and these exponents are reconstructions, not the paper's.
 *
 * @example
 * const run = transportSolve({ alpha: 1.5, beta: 0.5, modes: Infinity, driftCoefficient: 0.5, startTime: 1, times: 'log:1:1000:4' });
 * // run.loss ~ L_lazy(tau(t)), tau = 2 (sqrt(t) - 1); 2 t run.frontier / (1 - c_0) -> e^(psi(q + 1)) at late times
 */
export function transportSolve(options: TransportOptions): TransportResult {
  const started = now();
  const run = setup(options);
  const { grid, times, limiter, startTime } = run;
  const n = grid.cells;
  const h = grid.width;
  const logMin = grid.firstShell * grid.cellsPerShell * h;
  const logScales = new Float64Array(n);
  const eigenvalues = new Float64Array(n);
  const meanEigenvalues = new Float64Array(n);
  const logEigenvalues = new Float64Array(n);
  const shellIndex = new Float64Array(n);
  const faceLogScales = new Float64Array(n + 1);
  const averageFactor = -Math.expm1(-h) / h; // (1/h) integral_0^h e^-x dx
  for (let f = 0; f <= n; f++) faceLogScales[f] = logMin + f * h;
  for (let j = 0; j < n; j++) {
    logScales[j] = logMin + (j + 0.5) * h;
    eigenvalues[j] = grid.reference * Math.exp(-logScales[j]);
    meanEigenvalues[j] = grid.reference * Math.exp(-faceLogScales[j]) * averageFactor;
    logEigenvalues[j] = Math.log(meanEigenvalues[j]);
    shellIndex[j] = grid.firstShell + Math.floor(j / grid.cellsPerShell);
  }

  // V at the faces: the power law factorises into a time factor and lambda_face^(b_v - 1).
  const velocityShape = new Float64Array(n + 1);
  const velocity = run.velocity;
  if (velocity.kind === 'power-law') {
    for (let f = 0; f <= n; f++) velocityShape[f] = (grid.reference * Math.exp(-faceLogScales[f])) ** (velocity.exponent - 1);
    for (let f = 0; f <= n; f++) {
      if (!Number.isFinite(velocityShape[f])) {
        throw new ParameterError('driftExponent', velocity.exponent, 'a value keeping lambda^(b_v - 1) finite on the grid', `it overflows at lambda = ${grid.reference * Math.exp(-faceLogScales[f])}`);
      }
    }
  }
  const faceVelocity = (time: number, out: Float64Array): number => {
    let largest = 0;
    if (velocity.kind === 'power-law') {
      const factor = velocity.coefficient === 0 ? 0 : velocity.coefficient * time ** (velocity.exponent - 2);
      for (let f = 0; f <= n; f++) {
        out[f] = factor * velocityShape[f];
        largest = Math.max(largest, Math.abs(out[f]));
      }
      if (!Number.isFinite(largest)) {
        throw new ParameterError('driftCoefficient', velocity.coefficient, 'a drift whose log-velocity c_0 t^(b_v-2) lambda^(b_v-1) stays finite', `it is not finite at t = ${time}`);
      }
    } else {
      for (let f = 0; f <= n; f++) {
        const value = velocity.evaluate(faceLogScales[f], time);
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new ParameterError('logVelocity', velocity.evaluate, 'a function returning finite numbers', `it returned ${String(value)} at logScale ${faceLogScales[f]}, time ${time}`);
        }
        out[f] = value;
        largest = Math.max(largest, Math.abs(value));
      }
    }
    return largest;
  };
  const sourceValues = (time: number, out: Float64Array): number => {
    let total = 0;
    const source = run.source as (logScale: number, time: number) => number;
    for (let j = 0; j < n; j++) {
      const value = source(logScales[j], time);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ParameterError('source', source, 'a function returning finite numbers', `it returned ${String(value)} at logScale ${logScales[j]}, time ${time}`);
      }
      out[j] = value;
      total += value;
    }
    return total * h;
  };
  const inflowValue = (boundary: TransportBoundary, time: number): number => {
    if (!run.inflow) return 0;
    const value = run.inflow(boundary, time);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ParameterError('inflow', run.inflow, 'a function returning finite numbers', `it returned ${String(value)} for the ${boundary} boundary at time ${time}`);
    }
    return value;
  };

  // State: cell-average densities eps-bar_j = E_j / h.
  const density = new Float64Array(n);
  for (let j = 0; j < n; j++) density[j] = run.initial[j] / h;
  const stage = new Float64Array(n);
  const velocity1 = new Float64Array(n + 1);
  const velocity2 = new Float64Array(n + 1);
  const flux1 = new Float64Array(n + 1);
  const flux2 = new Float64Array(n + 1);
  const slopes = new Float64Array(n);
  const source1 = new Float64Array(n);
  const source2 = new Float64Array(n);

  const count = times.length;
  const energy = new Float64Array(count * n);
  const dissipation = new Float64Array(count * n);
  const loss = new Float64Array(count);
  const frontier = new Float64Array(count);
  const dissipatedOut = new Float64Array(count);
  const outflowTopOut = new Float64Array(count);
  const outflowBottomOut = new Float64Array(count);
  const sourceOut = new Float64Array(count);
  let dissipated = 0;
  let outflowTop = 0;
  let outflowBottom = 0;
  let sourceEnergy = 0;

  const record = (row: number) => {
    let total = 0;
    let rate = 0;
    let weighted = 0;
    for (let j = 0; j < n; j++) {
      const e = density[j] * h;
      const d = 2 * meanEigenvalues[j] * e;
      energy[row * n + j] = e;
      dissipation[row * n + j] = d;
      total += e;
      rate += d;
      weighted += d * logEigenvalues[j];
    }
    loss[row] = total;
    frontier[row] = rate > 0 ? Math.exp(weighted / rate) : NaN;
    dissipatedOut[row] = dissipated;
    outflowTopOut[row] = outflowTop;
    outflowBottomOut[row] = outflowBottom;
    sourceOut[row] = sourceEnergy;
  };
  // Exact dissipation over `interval`: E_j <- E_j exp(-2 lambda-bar_j interval), removing
  // E_j (-expm1(-2 lambda-bar_j interval)); both factors are kept while the step does not change
  // (the product with exp keeps full relative accuracy where exp(...) is below 1e-16).
  const decay = new Float64Array(n);
  const removal = new Float64Array(n);
  let decayInterval = NaN;
  const dissipate = (interval: number) => {
    if (interval !== decayInterval) {
      for (let j = 0; j < n; j++) {
        decay[j] = Math.exp(-2 * meanEigenvalues[j] * interval);
        removal[j] = -Math.expm1(-2 * meanEigenvalues[j] * interval);
      }
      decayInterval = interval;
    }
    let removed = 0;
    for (let j = 0; j < n; j++) {
      removed += density[j] * removal[j];
      density[j] *= decay[j];
    }
    dissipated += removed * h;
  };
  const transportStage = (input: Float64Array, output: Float64Array, faceV: Float64Array, flux: Float64Array, sources: Float64Array | null, time: number, dt: number) => {
    faceFluxes(input, faceV, flux, slopes, limiter, inflowValue('top', time), inflowValue('bottom', time));
    advance(input, output, flux, sources, dt, h);
  };

  const limit = courantLimit(limiter);
  const lastTime = times[count - 1];
  const monitor = new Monitor(options as RunControl, lastTime - startTime);
  const checkEvery = Math.max(1, Math.floor(CHUNK_WORK / n));
  let time = startTime;
  let steps = 0;
  let maxCourant = 0;
  const courantBound = (largest: number) => (largest > 0 ? (limit * h) / largest : Infinity);
  const violation = (dt: number, largest: number, at: number): never => {
    throw new ParameterError('timeStep', run.timeStep, `a number <= ${courantBound(largest)} (the Courant limit ${limit} x dl / max|V| at t = ${at})`,
      `the step ${dt} gives |V| dt / dl = ${(dt * largest) / h}`);
  };

  for (let row = 0; row < count; row++) {
    const target = times[row];
    while (time < target) {
      const largest1 = faceVelocity(time, velocity1);
      let dt = run.timeStep ?? (largest1 > 0 ? (run.courant * h) / largest1 : Infinity);
      if (run.timeStep !== undefined && dt * largest1 > limit * h * (1 + 1e-12)) violation(dt, largest1, time);
      let next = time + dt;
      if (!(next < target) || target - next < 1e-12 * Math.abs(target)) {
        next = target;
        dt = target - time;
      }
      let largest = largest1;
      if (limiter !== null) {
        // The second stage uses V(t + dt): shrink an automatic step until it also meets the limit.
        for (let attempt = 0; ; attempt++) {
          const largest2 = faceVelocity(next, velocity2);
          largest = Math.max(largest1, largest2);
          if (dt * largest2 <= limit * h * (1 + 1e-12)) break;
          if (run.timeStep !== undefined) violation(dt, largest2, next);
          if (attempt >= 30) throw new ParameterError('courant', run.courant, 'a smaller Courant number', `no step from t = ${time} keeps |V(t + dt)| dt within the limit`);
          dt = (run.courant * h) / largest;
          next = time + dt;
        }
      }
      maxCourant = Math.max(maxCourant, (dt * largest) / h);

      dissipate(dt / 2);
      const hasSource = run.source !== undefined;
      if (limiter === null) {
        const injected = hasSource ? sourceValues(time, source1) : 0;
        transportStage(density, density, velocity1, flux1, hasSource ? source1 : null, time, dt);
        outflowTop -= dt * flux1[0];
        outflowBottom += dt * flux1[n];
        sourceEnergy += dt * injected;
      } else {
        const injected1 = hasSource ? sourceValues(time, source1) : 0;
        transportStage(density, stage, velocity1, flux1, hasSource ? source1 : null, time, dt);
        const injected2 = hasSource ? sourceValues(next, source2) : 0;
        transportStage(stage, stage, velocity2, flux2, hasSource ? source2 : null, next, dt);
        averageInto(density, stage);
        outflowTop -= 0.5 * dt * (flux1[0] + flux2[0]);
        outflowBottom += 0.5 * dt * (flux1[n] + flux2[n]);
        sourceEnergy += 0.5 * dt * (injected1 + injected2);
      }
      dissipate(dt / 2);
      time = next;
      steps++;
      if (steps % checkEvery === 0) monitor.step(time - startTime);
    }
    record(row);
  }
  monitor.step(lastTime - startTime);

  const meta: TransportMeta = {
    solver: 'transport',
    specification: 'spectral-shells.md §5 (transport PDE, RSD closure) and §9(iii) (coarse-grained solver); reconstruction [R]',
    engine: 'typescript',
    elapsedMs: now() - started,
    parameters: {
      scheme: run.scheme,
      limiter,
      courant: run.timeStep === undefined ? run.courant : null,
      timeStep: run.timeStep ?? null,
      startTime,
      drift: velocity.kind === 'power-law' ? { driftCoefficient: velocity.coefficient, driftExponent: velocity.exponent } : 'callback',
      source: run.source ? 'callback' : null,
      inflow: run.inflow ? 'callback' : 0,
      ...(options.alpha !== undefined ? { alpha: options.alpha, beta: options.beta, modes: options.modes ?? 1000 } : {}),
    },
    grid: {
      cells: n, shells: grid.shells, cellsPerShell: grid.cellsPerShell, firstShell: grid.firstShell, shellBase: grid.base,
      referenceEigenvalue: grid.reference, cellWidth: h, logScaleRange: [logMin, logMin + n * h],
    },
    drift: velocity.kind === 'power-law' ? { kind: 'power-law', coefficient: velocity.coefficient, exponent: velocity.exponent } : { kind: 'callback' },
    scheme: run.scheme,
    limiter,
    integrator: limiter === null ? 'forward-euler' : 'ssp-rk2',
    splitting: 'strang',
    courantLimit: limit,
    maxCourant,
    steps,
    startTime,
    initial: run.initialMeta,
    ...theory(run),
  };
  return attachSerialisers({
    times, loss, frontier, dissipated: dissipatedOut, outflowTop: outflowTopOut, outflowBottom: outflowBottomOut, sourceEnergy: sourceOut,
    energy, dissipation, initialEnergy: Float64Array.from(run.initial), logScales, eigenvalues, meanEigenvalues, shellIndex, meta,
  });
}

function theory(run: TransportSetup): { theory?: TransportMeta['theory'] } {
  const out: NonNullable<TransportMeta['theory']> = {};
  if (run.velocity.kind === 'power-law') {
    const { coefficient, exponent } = run.velocity;
    if (exponent === 1 && coefficient < 1) out.effectiveTimeExponent = 1 - coefficient;
    if (coefficient > 0 && exponent > 1) out.frontierFixedPoint = coefficient ** (-1 / (exponent - 1));
  }
  if (run.lazyExponent !== undefined) out.lazyExponent = run.lazyExponent;
  return Object.keys(out).length ? { theory: out } : {};
}
