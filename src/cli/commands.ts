// The CLI's subcommands: one per API function, each option the API option's kebab-case name.
import { readFileSync } from 'node:fs';
import {
  computeOptimal, featureLearningExponents, fromBordelon2024, fromKramp2026, fromPaquette2024, heatMap, lazy, ParameterError, powerLaw, shells, simulateSgd, taskDifficulty,
  toBordelon2024, toKramp2026, toPaquette2024, type ShellsResult,
} from '../api.js';
import type { OptionSpec } from './arguments.js';
import { dmftCommand } from './dmft-command.js';
import { doubleDescentCommand } from './double-descent-command.js';
import { frontierOptions, randomFeaturesCommand, runFrontier } from './random-features-command.js';

/** What a command returns for printing. */
export interface CommandOutput {
  /** The JSON document (--json). */
  value: object;
  /** Per-time columns for the table and --csv, when the result is a curve. */
  curve?: { times: Float64Array } & Record<string, unknown>;
  /** Curves for --svg. */
  plot?: { title: string; xLabel: string; series: { label: string; x: ArrayLike<number>; y: ArrayLike<number> }[] };
  /** A ready SVG document for --svg, instead of a line chart of `plot`. */
  svgDocument?: () => string;
  /** Lines printed after the table (e.g. fitted exponents); not part of --json or --csv. */
  summary?: string[];
}

/** One subcommand. */
export interface Command {
  summary: string;
  options: OptionSpec[];
  run(options: Record<string, unknown>): CommandOutput;
}

const spectrumOptions: OptionSpec[] = [
  { name: 'alpha', kind: 'number', help: 'capacity exponent: eigenvalues lambda_1 k^-alpha (> 1; > 0 with finite --modes)' },
  { name: 'beta', kind: 'number', help: 'source exponent: target power c k^-(alpha beta + 1) (> 0)' },
  { name: 'modes', kind: 'number', help: 'number of modes M: integer >= 1, 1e6-style, or Infinity (default 1000)' },
  { name: 'leadingEigenvalue', kind: 'number', help: 'lambda_1 (> 0, default 1)' },
  { name: 'targetScale', kind: 'number', help: 'c, target power of mode 1 (>= 0, default 1)' },
  { name: 'eigenvalues', kind: 'numbers', help: 'custom spectrum: comma list of eigenvalues (> 0), instead of alpha/beta/modes' },
  { name: 'targetPower', kind: 'numbers', help: 'custom spectrum: comma list of target powers (>= 0), same length' },
];

const theoryOptions: OptionSpec[] = [
  { name: 'alpha', kind: 'number', help: 'capacity exponent: eigenvalues k^-alpha (> 1)' },
  { name: 'beta', kind: 'number', help: 'source exponent: target power k^-(alpha beta + 1) (> 0)' },
  { name: 'featureLearning', kind: 'number', help: 'feature-learning strength gamma (>= 0; 0 = lazy, any > 0 = rich exponents)' },
];

const controlOptions: OptionSpec[] = [
  { name: 'timeLimit', kind: 'number', help: 'wall-clock budget in ms (> 0); exceeding it exits with code 3' },
];

const lazyOptions: OptionSpec[] = [
  ...spectrumOptions,
  { name: 'headModes', kind: 'number', help: 'power laws: modes summed exactly before the log-k quadrature (16..2^27, default 2048)' },
  { name: 'optimizer', kind: 'string', help: 'flow | gd | sgd (default flow)' },
  { name: 'learningRate', kind: 'number', help: 'eta for gd and sgd (> 0; eta (lambda_max + weight decay) < 2)' },
  { name: 'batchSize', kind: 'number', help: 'B for sgd: integer >= 1 or Infinity' },
  { name: 'labelNoise', kind: 'number', help: 'label-noise variance sigma^2 (>= 0, default 0)' },
  { name: 'weightDecay', kind: 'number', help: 'ridge coefficient for flow and gd (>= 0, default 0)' },
  { name: 'includeNoise', kind: 'boolean', help: 'report L + sigma^2 instead of the excess loss' },
  { name: 'times', kind: 'times', help: "times (flow) or steps (gd, sgd): '0,10,100' or log:FROM:TO:COUNT or linear:FROM:TO:COUNT (default log:1:1e4:41)" },
  { name: 'recordModes', kind: 'boolean', help: 'include per-mode error energies in --json output' },
  { name: 'engine', kind: 'string', help: 'auto | wasm-simd | wasm | js (default auto)' },
  ...controlOptions,
];

const shellOptions: OptionSpec[] = [
  ...lazyOptions.filter((option) => option.name !== 'recordModes'),
  { name: 'base', kind: 'number', help: 'shell base B (> 1, default 2): shell s = floor(log_B(reference / lambda))' },
  { name: 'reference', kind: 'number', help: 'reference eigenvalue lambda_ref (> 0, default the largest eigenvalue at the first time)' },
  { name: 'integration', kind: 'string', help: 'exponential (default; mode by mode, exact for lazy decay) | trapezoid (spec §9(i))' },
  { name: 'modalFile', kind: 'string', help: 'instead of lazy dynamics: JSON file { times, eigenvalues (n or T x n, flat), energies (T x n, flat), multiplicity? }' },
];

/** Modal data read from a JSON file (--modal-file). */
function readModalFile(file: string): { times: number[]; eigenvalues: number[]; energies: number[]; multiplicity?: number[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ParameterError('modalFile', file, 'a readable JSON file', error instanceof Error ? error.message : String(error));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ParameterError('modalFile', file, 'a JSON object { times, eigenvalues, energies, multiplicity? }');
  const flat = (value: unknown) => (Array.isArray(value) && value.every(Array.isArray) ? (value as unknown[][]).flat() : value);
  const object = parsed as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) result[key] = flat(object[key]);
  return result as never;
}

/** Per-time columns of a shells result: estimators, then E_s, D_s and J_{s+1/2} (step ending at each time; NaN at the first). */
function shellColumns(result: ShellsResult): { times: Float64Array } & Record<string, unknown> {
  const columns: { times: Float64Array } & Record<string, unknown> = {
    times: result.times, loss: result.loss, halfDecay: result.halfDecay, peak: result.peak,
    dissipationMean: result.dissipationMean, dissipationMeanModes: result.dissipationMeanModes,
    effectiveTime: result.effectiveTime, lossExponent: result.lossExponent, effectiveTimeExponent: result.effectiveTimeExponent,
  };
  const shellCount = result.shellIndices.length;
  const count = result.times.length;
  const column = (values: Float64Array, stride: number, offset: number, shift: number) => {
    const out = new Float64Array(count).fill(NaN);
    for (let j = shift; j < count; j++) out[j] = values[(j - shift) * stride + offset];
    return out;
  };
  result.shellIndices.forEach((s, c) => { columns[`E_${s}`] = column(result.energy, shellCount, c, 0); });
  result.shellIndices.forEach((s, c) => { columns[`D_${s}`] = column(result.dissipation, shellCount, c, 0); });
  for (let c = 0; c <= shellCount; c++) columns[`J_${result.shellIndices[0] + c - 0.5}`] = column(result.boundaryFlux, shellCount + 1, c, 1);
  return columns;
}

/** SVG heat-map of E_s(t) over (lambda, t), log-log, with the frontier estimators over it. */
function shellHeatMap(result: ShellsResult): string {
  const shellCount = result.shellIndices.length;
  const rows: number[] = [];
  for (let j = 0; j < result.times.length; j++) if (result.times[j] > 0) rows.push(j);
  if (rows.length === 0) throw new ParameterError('times', result.times, 'at least one time > 0 for --svg (log time axis)');
  const { base, reference } = result;
  // Columns by ascending lambda: the last shell first. Edges lambda_ref B^-(s+1) .. B^-s.
  const xEdges = new Float64Array(shellCount + 1);
  for (let c = 0; c <= shellCount; c++) xEdges[c] = reference * base ** -(result.shellIndices[shellCount - 1] + 1 - c);
  const times = rows.map((j) => result.times[j]);
  const yEdges = new Float64Array(times.length + 1);
  for (let k = 0; k <= times.length; k++) {
    if (k === 0) yEdges[k] = times.length > 1 ? times[0] * Math.sqrt(times[0] / times[1]) : times[0] / 2;
    else if (k === times.length) yEdges[k] = times.length > 1 ? times[k - 1] * Math.sqrt(times[k - 1] / times[k - 2]) : times[0] * 2;
    else yEdges[k] = Math.sqrt(times[k - 1] * times[k]);
  }
  const values = new Float64Array(times.length * shellCount);
  rows.forEach((j, k) => { for (let c = 0; c < shellCount; c++) values[k * shellCount + c] = result.energy[j * shellCount + (shellCount - 1 - c)]; });
  const pick = (values: Float64Array) => rows.map((j) => values[j]);
  return heatMap(xEdges, yEdges, values, {
    title: `shell energy E_s(t), base ${base}`, xLabel: 'eigenvalue lambda (shells)', yLabel: 'time t', valueLabel: 'E_s',
    lines: [
      { label: 'lambda*_D (dissipation-weighted)', x: pick(result.dissipationMeanModes), y: times },
      { label: 'lambda*_1/2 (half-decay)', x: pick(result.halfDecay), y: times, dashed: true },
      { label: 'lambda*_pk (dissipation peak)', x: pick(result.peak), y: times, dashed: true },
    ],
  });
}

export const commands: Record<string, Command> = {
  lazy: {
    summary: 'loss curve of lazy infinite-width dynamics: gradient flow, gradient descent, online SGD',
    options: lazyOptions,
    run(options) {
      const result = lazy(options);
      return {
        value: result,
        curve: result as unknown as CommandOutput['curve'],
        plot: { title: `lazy ${result.meta.parameters.optimizer}`, xLabel: result.meta.timeUnit, series: [{ label: 'loss', x: result.times, y: result.loss }] },
      };
    },
  },
  shells: {
    summary: 'spectral shells of lazy dynamics (or --modal-file data): E_s(t), D_s(t), fluxes J, frontier, tau(t)',
    options: shellOptions,
    run(options) {
      const { modalFile, ...rest } = options;
      let result: ShellsResult;
      if (modalFile !== undefined) {
        const shellKeys = ['base', 'reference', 'integration', 'engine', 'timeLimit'];
        const extra = Object.keys(rest).find((key) => !shellKeys.includes(key) && key !== 'onProgress');
        if (extra) throw new ParameterError(extra, rest[extra], 'absent with --modal-file (the file gives the dynamics)');
        const { onProgress: _progress, ...shellOptions } = rest;
        result = shells(readModalFile(modalFile as string), shellOptions as never);
      } else result = shells(rest as never);
      return { value: result, curve: shellColumns(result), svgDocument: () => shellHeatMap(result) };
    },
  },
  'simulate-sgd': {
    summary: 'Monte-Carlo simulation of minibatch SGD on Gaussian features (mean loss and standard error)',
    options: [
      ...spectrumOptions,
      { name: 'learningRate', kind: 'number', help: 'eta (> 0)' },
      { name: 'batchSize', kind: 'number', help: 'B: integer >= 1' },
      { name: 'labelNoise', kind: 'number', help: 'label-noise variance sigma^2 (>= 0, default 0)' },
      { name: 'times', kind: 'times', help: "steps to record: '0,10,100' or log:FROM:TO:COUNT" },
      { name: 'seeds', kind: 'number', help: 'number of runs averaged (integer >= 2, default 100)' },
      { name: 'seed', kind: 'number', help: 'seed of the first run (integer >= 0, default 1)' },
      ...controlOptions,
    ],
    run(options) {
      const result = simulateSgd(options as never);
      return {
        value: result,
        curve: result as unknown as CommandOutput['curve'],
        plot: { title: 'simulated SGD', xLabel: 'steps', series: [{ label: 'mean loss', x: result.times, y: result.loss }] },
      };
    },
  },
  'power-law': {
    summary: 'eigenvalues and target power of a finite power-law spectrum, with its task class',
    options: spectrumOptions.slice(0, 5),
    run(options) {
      const spectrum = powerLaw(options);
      const modes = Float64Array.from(spectrum.eigenvalues, (_, index) => index + 1);
      const value = { ...spectrum, ...(Number(options.alpha) > 1 ? { taskDifficulty: taskDifficulty({ alpha: options.alpha as number, beta: options.beta as number }) } : {}) };
      return { value, curve: { times: modes, eigenvalues: spectrum.eigenvalues, targetPower: spectrum.targetPower } };
    },
  },
  'task-difficulty': {
    summary: 'hard (beta < 1), easy or super-easy (beta > 2 - 1/alpha) task',
    options: spectrumOptions.slice(0, 2),
    run: (options) => ({ value: taskDifficulty(options as never) }),
  },
  convert: {
    summary: "convert exponents: give the package's --alpha --beta, or one paper's (--a --b | --alpha-p --beta-p | --alpha-k)",
    options: [
      ...spectrumOptions.slice(0, 2),
      { name: 'a', kind: 'number', help: 'Bordelon et al. 2024: target power decay (a = alpha beta + 1)' },
      { name: 'b', kind: 'number', help: 'Bordelon et al. 2024: eigenvalue decay (b = alpha)' },
      { name: 'alphaP', kind: 'number', help: 'Paquette et al. 2024: alpha_P = alpha / 2' },
      { name: 'betaP', kind: 'number', help: 'Paquette et al. 2024: beta_P = (alpha beta + 1 - alpha) / 2' },
      { name: 'alphaK', kind: 'number', help: 'Kramp et al. 2026 (teacher from prior): alpha_K = alpha - 1' },
    ],
    run(options) {
      const given = Object.keys(options);
      const exponents = given.includes('a') || given.includes('b') ? fromBordelon2024(options as never)
        : given.includes('alphaP') || given.includes('betaP') ? fromPaquette2024(options as never)
          : given.includes('alphaK') ? fromKramp2026(options as never)
            : { alpha: options.alpha as number, beta: options.beta as number };
      return {
        value: {
          ...exponents,
          bordelon2024: toBordelon2024(exponents),
          paquette2024: toPaquette2024(exponents),
          kramp2026: toKramp2026(exponents),
          taskDifficulty: taskDifficulty(exponents).difficulty,
          lazyTimeExponent: exponents.beta,
        },
      };
    },
  },
  exponents: {
    summary: 'closed-form scaling exponents (feature-learning.md §2-§3.9): time chi(beta), model/data bottlenecks, transients, task class and phase',
    options: theoryOptions,
    run: (options) => ({ value: featureLearningExponents(options as never) }),
  },
  'compute-optimal': {
    summary: 'closed-form compute-optimal exponents (Table 1, feature-learning.md §3.9) and C^a, C^b, C^-r at --compute; '
      + 'with --model-sizes also the numerical frontier of the full dynamics (without it the numerical frontier is not computed here)',
    options: [
      ...theoryOptions,
      { name: 'compute', kind: 'numbers', help: 'compute budgets C = N t (comma list, each > 0): adds N*, tau*, L* up to constants (the spec gives no prefactors)' },
      ...frontierOptions,
    ],
    run(options) {
      const { alpha, beta, featureLearning, compute } = options;
      const closedForm = computeOptimal({ alpha, beta, featureLearning, ...(compute !== undefined ? { compute } : {}) } as never);
      return Object.keys(options).some((key) => !['alpha', 'beta', 'featureLearning', 'compute', 'onProgress'].includes(key))
        ? runFrontier(options, closedForm) : { value: closedForm };
    },
  },
  dmft: dmftCommand,
  'double-descent': doubleDescentCommand,
  'random-features': randomFeaturesCommand,
};
