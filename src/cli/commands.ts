// The CLI's subcommands: one per API function, each option the API option's kebab-case name.
import {
  fromBordelon2024, fromKramp2026, fromPaquette2024, lazy, powerLaw, simulateSgd, taskDifficulty,
  toBordelon2024, toKramp2026, toPaquette2024,
} from '../api.js';
import type { OptionSpec } from './arguments.js';

/** What a command returns for printing. */
export interface CommandOutput {
  /** The JSON document (--json). */
  value: object;
  /** Per-time columns for the table and --csv, when the result is a curve. */
  curve?: { times: Float64Array } & Record<string, unknown>;
  /** Curves for --svg. */
  plot?: { title: string; xLabel: string; series: { label: string; x: ArrayLike<number>; y: ArrayLike<number> }[] };
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
};
