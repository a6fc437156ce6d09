// shells(): spectral-shell diagnostics of any modal dynamics (spec spectral-shells.md §4, §6,
// §9(i)): shell energies, dissipation, fluxes and closure, the resolution frontier, tau(t) and
// the collapse data, from lazy dynamics (run here and streamed, modes: Infinity included), from a
// lazy() result recorded with recordModes, or from raw modal data.
import { Monitor, now, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { lazy, type LazyOptions, type LazyResult } from '../lazy/lazy.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum } from '../spectrum/spectrum.js';
import { checkChoice, checkNumber, checkOptions } from '../validate.js';
import { checkShellParameters, coarseGrainRows, modalSource, type CoarseGrained, type ModalData, type RowSource, type ShellIntegration } from './coarse-grain.js';
import { frontier, type Frontier } from './frontier.js';
import { lazyModeSet, lazyRows, shellBreakpoints } from './lazy-shells.js';

export { coarseGrain, coarseGrainRows, modalSource, MAX_SHELLS } from './coarse-grain.js';
export type { CoarseGrained, CoarseGrainOptions, ModalData, RowSource, ShellIntegration } from './coarse-grain.js';
export { frontier } from './frontier.js';
export type { Frontier } from './frontier.js';

/** Shell options shared by every form of shells(). */
export interface ShellOptions {
  /** Shell base B > 1 (default 2). */
  base?: number;
  /** Reference eigenvalue lambda_ref > 0 (default: the largest eigenvalue at the first time, lambda_max(0)). */
  reference?: number;
  /** Balance integration rule (see CoarseGrainOptions.integration). */
  integration?: ShellIntegration;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** shells() on lazy dynamics: every option of lazy() (recordModes excepted) plus the shell options. */
export type LazyShellsOptions = Omit<LazyOptions, 'recordModes'> & ShellOptions;

/** Raw modal data for shells(): like ModalData, with plain arrays allowed and modeCount/eigenvaluesPerTime inferred. */
export interface ModalInput {
  times: ArrayLike<number>;
  /** n values (static) or times.length x n (one row per time). */
  eigenvalues: ArrayLike<number>;
  /** times.length x n energies a_i(t)^2, row-major. */
  energies: ArrayLike<number>;
  /** Optional modes per entry. */
  multiplicity?: ArrayLike<number>;
}

/** Metadata of a shells() result. */
export interface ShellsMeta {
  solver: 'shells';
  conventions: string;
  /** Where the modal data came from. */
  source: 'lazy' | 'lazy-result' | 'modal';
  engine: EngineName;
  elapsedMs: number;
  base: number;
  reference: number;
  integration: ShellIntegration;
  /** Nodes coarse-grained per time. */
  modeCount: number;
  /** The lazy run's metadata (lazy sources). */
  lazy?: LazyResult['meta'];
}

/** Result of shells(): the coarse-grained dynamics and the frontier, with metadata. */
export type ShellsResult = CoarseGrained & Frontier & { meta: ShellsMeta };

const SHELL_KEYS = ['base', 'reference', 'integration', 'engine'] as const;

/**
 * Spectral-shell diagnostics (spec §4, §6, §9(i); [R] reconstruction of Zhang, arXiv:2512.10427):
 * coarse-grains modal error energies into shells s = floor(log_B(lambda_ref / lambda)), reports
 * E_s(t), D_s(t), lambda-bar_s(t), the net transfer and boundary fluxes J_{s+1/2} with the closure
 * residual, the frontier estimators lambda*_1/2, lambda*_pk, lambda*_D (shell level and per mode),
 * tau(t), local exponents and collapse data. Accepts
 * - lazy options (`{ alpha, beta, modes: Infinity, times, ..., base, reference }`): runs lazy() and
 *   streams its per-node energies one time at a time (gd/sgd times become t = eta * steps; the
 *   reference row for tau and ratios is t = 0);
 * - a lazy() result recorded with `recordModes: true`;
 * - modal data `{ times, eigenvalues (n or T x n), energies (T x n), multiplicity? }`.
 *
 * @example
 * const result = shells({ alpha: 1.5, beta: 2 / 3, modes: Infinity, times: 'log:10:1e4:13', base: 2 });
 * // 2 t result.dissipationMeanModes[j] ~ e^psi(q + 1) = 1.19933 (q = beta = 2/3)
 */
export function shells(input: LazyShellsOptions | LazyResult | ModalInput, options: ShellOptions & RunControl = {}): ShellsResult {
  const started = now();
  if (input === null || typeof input !== 'object') throw new ParameterError('input', input, 'lazy options, a lazy() result, or modal data { times, eigenvalues, energies }');
  let source: RowSource;
  let kind: ShellsMeta['source'];
  let lazyMeta: LazyResult['meta'] | undefined;
  let given: ShellOptions & RunControl;
  if ('energies' in input) {
    given = checkOptions('shells', options, [...SHELL_KEYS, 'signal', 'onProgress', 'timeLimit']) as ShellOptions & RunControl;
    checkOptions('shells', input, ['times', 'eigenvalues', 'energies', 'multiplicity']);
    source = modalSource(toModalData(input as ModalInput));
    kind = 'modal';
  } else if ('meta' in input && 'loss' in input) {
    given = checkOptions('shells', options, [...SHELL_KEYS, 'signal', 'onProgress', 'timeLimit']) as ShellOptions & RunControl;
    const result = input as LazyResult;
    if (!result.modes) throw new ParameterError('modes', result.modes, 'per-mode errors: run lazy() with recordModes: true');
    const parameters = result.meta.parameters as { learningRate?: number };
    const times = result.meta.timeUnit === 'steps' ? result.times.map((step) => step * (parameters.learningRate as number)) : result.times;
    source = modalSource({ times, eigenvalues: result.modes.eigenvalues, energies: result.modes.errors, modeCount: result.modes.eigenvalues.length, eigenvaluesPerTime: false, multiplicity: result.modes.multiplicity });
    kind = 'lazy-result';
    lazyMeta = result.meta;
  } else {
    checkOptions('shells', options, []);
    const all = input as LazyShellsOptions;
    if ('recordModes' in all) throw new ParameterError('recordModes', (all as { recordModes?: unknown }).recordModes, 'absent for shells()', 'per-mode energies are streamed internally');
    const { base: _b, reference: _r, integration: _i, ...lazyOptions } = all;
    given = all;
    checkShellParameters(given.base ?? 2, given.reference ?? 1);
    const sgd = lazyOptions.optimizer === 'sgd';
    const result = lazy({ ...lazyOptions, ...(sgd ? { recordModes: true } : {}) });
    const spectrum = resolveSpectrum(lazyOptions);
    const { base, reference } = shellParameters(given, spectrum.kind === 'power-law' ? spectrum.leadingEigenvalue : 1);
    const breakpoints = !sgd && spectrum.kind === 'power-law' ? shellBreakpoints(spectrum, horizonOf(result), base, reference) : undefined;
    source = lazyRows(result, lazyModeSet(spectrum, result, breakpoints));
    kind = 'lazy';
    lazyMeta = result.meta;
  }
  let largest = 0;
  for (let i = 0; i < (source.eigenvaluesPerTime ? source.modeCount : source.eigenvalues.length); i++) largest = Math.max(largest, source.eigenvalues[i]);
  const { base, reference } = shellParameters(given, largest);
  const engine = resolveEngine(given.engine);
  const integration = given.integration === undefined ? undefined : checkChoice('integration', given.integration, ['exponential', 'trapezoid'] as const);
  const monitor = new Monitor(given, source.times.length * source.modeCount);
  const grained = coarseGrainRows(source, { base, reference, engine, integration }, monitor);
  const estimates = frontier(grained);
  const meta: ShellsMeta = {
    solver: 'shells',
    conventions: 'spectral-shells.md: E_s = sum a_i^2 (no 1/2; population modes: sum_s E_s = L), D_s = 2 sum lambda_i a_i^2, time in units of 1/eigenvalue; [R] reconstruction',
    source: kind, engine: engine.name, elapsedMs: now() - started, base, reference, integration: grained.integration, modeCount: source.modeCount,
    ...(lazyMeta ? { lazy: lazyMeta } : {}),
  };
  return attachSerialisers({ ...grained, ...estimates, meta });
}

function horizonOf(result: LazyResult): number {
  const parameters = result.meta.parameters as { optimizer: string; learningRate?: number };
  return (result.times[result.times.length - 1] + (parameters.optimizer === 'sgd' ? 1 : 0)) * (parameters.learningRate ?? 1);
}

function shellParameters(given: ShellOptions, largest: number): { base: number; reference: number } {
  return checkShellParameters(given.base ?? 2, given.reference ?? largest);
}

/** Plain arrays to ModalData, inferring modeCount and whether eigenvalues are per time. */
function toModalData(input: ModalInput): ModalData {
  const asFloat = (name: string, value: unknown) => {
    if (value instanceof Float64Array) return value;
    if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new ParameterError(name, value, 'an array of numbers');
    return Float64Array.from(value as ArrayLike<number>, (entry) => (typeof entry === 'number' ? entry : NaN));
  };
  const times = asFloat('times', input.times);
  const energies = asFloat('energies', input.energies);
  const eigenvalues = asFloat('eigenvalues', input.eigenvalues);
  if (times.length < 1) throw new ParameterError('times', input.times, 'at least one time');
  const modeCount = energies.length / times.length;
  if (!Number.isInteger(modeCount) || modeCount < 1) throw new ParameterError('energies', input.energies, `times.length (${times.length}) x n values`);
  const perTime = eigenvalues.length === times.length * modeCount && times.length > 1;
  if (!perTime && eigenvalues.length !== modeCount) {
    throw new ParameterError('eigenvalues', input.eigenvalues, `n = ${modeCount} values, or times.length x n = ${times.length * modeCount}`);
  }
  const multiplicity = input.multiplicity === undefined ? undefined : asFloat('multiplicity', input.multiplicity);
  checkNumber('modeCount', modeCount, { minimum: 1, integer: true });
  return { times, eigenvalues, energies, modeCount, eigenvaluesPerTime: perTime, ...(multiplicity ? { multiplicity } : {}) };
}
