// `scaling-dynamics random-features`: loss curves of the projected two-layer model (randomFeatures,
// feature-learning.md) for one or several model sizes and feature-learning strengths, with fitted
// time exponents beside the closed forms (beta lazy, 2 beta/(1 + beta) rich hard task) and an SVG plot;
// and the numerical compute-optimal frontier used by `compute-optimal --model-sizes` (§3.9, F16).
import { fitPowerLaw, type PowerLawFit } from '../exponents.js';
import { computeOptimalFrontier, type ComputeOptimalFrontierResult } from '../feature-learning/frontier.js';
import { randomFeatures, type RandomFeaturesResult } from '../feature-learning/random-features.js';
import { richTimeExponent } from '../feature-learning/theory-time.js';
import { ParameterError } from '../errors.js';
import { envelopeChart } from '../plot/envelope.js';
import type { OptionSpec } from './arguments.js';
import type { Command, CommandOutput } from './commands.js';

/** Options shared by random-features and the numerical compute-optimal frontier. */
const modelOptions: OptionSpec[] = [
  { name: 'alpha', kind: 'number', help: 'capacity exponent: eigenvalues k^-alpha (> 1 with --modes Infinity)' },
  { name: 'beta', kind: 'number', help: 'source exponent: target power k^-(alpha beta + 1) (> 0)' },
  { name: 'modes', kind: 'number', help: 'number of modes M: integer or Infinity (default 1000; finite for --method simulate and feature-space)' },
  { name: 'batchSize', kind: 'number', help: 'B: integer >= 1 or Infinity (default Infinity)' },
  { name: 'dataSize', kind: 'number', help: 'P: integer >= 1 or Infinity (default Infinity: online)' },
  { name: 'learningRate', kind: 'number', help: 'eta (> 0): the discrete model; required with --steps' },
  { name: 'method', kind: 'string', help: 'auto | lazy | markov | volterra | dmft | simulate | feature-space (default auto)' },
  { name: 'seeds', kind: 'number', help: 'simulate / feature-space: runs averaged per curve' },
  { name: 'seed', kind: 'number', help: 'simulate / feature-space: seed of the first run (default 1)' },
  { name: 'engine', kind: 'string', help: 'auto | wasm-simd | wasm | js (default auto)' },
  { name: 'timeLimit', kind: 'number', help: 'wall-clock budget in ms (> 0) per curve; exceeding it exits with code 3' },
];

const randomFeaturesOptions: OptionSpec[] = [
  ...modelOptions.slice(0, 3),
  { name: 'modelSize', kind: 'numbers', help: 'N: comma list of integers >= 1 or Infinity (default Infinity); one curve each' },
  ...modelOptions.slice(3, 5),
  { name: 'featureLearning', kind: 'numbers', help: 'gamma: comma list of values >= 0 (default 0 = lazy); one curve each' },
  ...modelOptions.slice(5, 6),
  { name: 'steps', kind: 'times', help: "times in steps (needs --learning-rate): '0,10,Infinity' or log:FROM:TO:COUNT; Infinity = plateau" },
  { name: 'times', kind: 'times', help: "times in gradient-flow time tau = eta steps: '1,10,Infinity' or log:FROM:TO:COUNT (default log:1:1e4:41)" },
  { name: 'fitFrom', kind: 'number', help: 'start of the exponent-fit window, in the units of the times (default: the last two decades)' },
  { name: 'fitTo', kind: 'number', help: 'end of the exponent-fit window (default: the last finite time)' },
  ...modelOptions.slice(6),
];

/** One curve of the random-features command. */
interface Curve {
  label: string;
  modelSize: number;
  featureLearning: number;
  result: RandomFeaturesResult;
  fit: PowerLawFit | null;
  /** beta (lazy) or chi(beta) (rich) for power laws. */
  theoryExponent: number | null;
}

function list(value: unknown, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  return Array.isArray(value) ? (value as number[]) : [value as number];
}

/** Runs `scaling-dynamics random-features` on parsed options (exported for tests that have no built CLI). */
export function runRandomFeatures(options: Record<string, unknown>): CommandOutput & { summary: string[]; curves: Curve[] } {
  const { modelSize, featureLearning, steps, times, fitFrom, fitTo, onProgress: _progress, ...rest } = options;
  if (steps !== undefined && times !== undefined) throw new ParameterError('steps', steps, 'absent when --times is given (give times in steps or in tau, not both)');
  const grid = steps ?? times ?? 'log:1:1e4:41';
  const timeUnit = steps !== undefined ? 'steps' : 'time';
  const sizes = list(modelSize, [Infinity]);
  const strengths = list(featureLearning, [0]);
  const curves: Curve[] = [];
  for (const n of sizes) {
    for (const gamma of strengths) {
      const result = randomFeatures({ ...rest, modelSize: n, featureLearning: gamma, times: grid, timeUnit } as never);
      const finite: number[] = [];
      for (let j = 0; j < result.times.length; j++) if (result.times[j] > 0 && Number.isFinite(result.times[j]) && result.loss[j] > 0) finite.push(j);
      let fit: PowerLawFit | null = null;
      if (finite.length >= 3) {
        const last = result.times[finite[finite.length - 1]];
        const from = (fitFrom as number | undefined) ?? Math.max(result.times[finite[0]], last / 100);
        const to = (fitTo as number | undefined) ?? last;
        try {
          fit = fitPowerLaw(result.times, result.loss.map((value) => (Number.isFinite(value) ? value : 0)), { from, to });
        } catch (error) {
          if (!(error instanceof ParameterError)) throw error;
        }
      }
      const beta = typeof rest.beta === 'number' ? rest.beta : null;
      const theoryExponent = beta === null ? null : gamma > 0 ? richTimeExponent({ beta }) : beta;
      const label = `N = ${n === Infinity ? '∞' : n}, γ = ${gamma}`;
      curves.push({ label, modelSize: n, featureLearning: gamma, result, fit, theoryExponent });
    }
  }
  const first = curves[0].result;
  const unit = timeUnit === 'steps' ? 'steps' : 'tau';
  const summary = curves.map((curve) => {
    const fitted = curve.fit ? `${curve.fit.exponent.toFixed(4)} ± ${curve.fit.standardError.toFixed(4)} over ${unit} ${format(curve.fit ? windowOf(curve, fitFrom, fitTo)[0] : NaN)}..${format(windowOf(curve, fitFrom, fitTo)[1])}` : 'n/a';
    const theory = curve.theoryExponent === null ? '' : `  (theory ${curve.featureLearning > 0 ? 'chi(beta) = 2 beta/(1+beta) for beta < 1' : 'beta'}: ${curve.theoryExponent.toFixed(4)})`;
    return `${curve.label.padEnd(22)} method ${curve.result.meta.method.padEnd(13)} fitted exponent ${fitted}${theory}`;
  });
  // Table: one loss column per curve when they share the time grid.
  const shared = curves.every((curve) => curve.result.times.length === first.times.length && curve.result.times.every((t, j) => t === first.times[j]));
  const curve = shared ? { times: first.times, ...Object.fromEntries(curves.map((c) => [`loss_N${c.modelSize === Infinity ? 'inf' : c.modelSize}_gamma${c.featureLearning}`, c.result.loss])) } : undefined;
  const value = {
    curves: curves.map((c) => ({
      modelSize: c.modelSize, featureLearning: c.featureLearning, times: c.result.times, loss: c.result.loss,
      ...(c.result.standardError ? { standardError: c.result.standardError } : {}), flowTime: c.result.flowTime,
      ...(c.result.steps ? { steps: c.result.steps } : {}), fit: c.fit, theoryExponent: c.theoryExponent, meta: c.result.meta,
    })),
    timeUnit,
  };
  const series = curves.map((c) => ({ label: c.label, x: c.result.times, y: c.result.loss }));
  for (const c of curves) {
    if (!c.fit || c.theoryExponent === null) continue;
    const fit = c.fit;
    const [from, to] = windowOf(c, fitFrom, fitTo);
    const x = c.result.times.filter((t) => t >= from && t <= to);
    // theory slope through the fitted curve at the window's geometric centre
    const centre = Math.sqrt(from * to);
    const anchor = fit.prefactor * centre ** -fit.exponent;
    series.push({ label: `t^-${c.theoryExponent.toFixed(3)} (${c.featureLearning > 0 ? 'rich' : 'lazy'} theory)`, x, y: x.map((t) => anchor * (t / centre) ** -c.theoryExponent!), dashed: true } as never);
  }
  const plot = {
    title: `random features α = ${rest.alpha ?? '?'}, β = ${rest.beta ?? '?'}: ${curves.map((c) => `${c.label}: ${c.fit ? c.fit.exponent.toFixed(3) : 'n/a'}`).join('; ')}`,
    xLabel: timeUnit === 'steps' ? 'steps' : 'gradient-flow time tau',
    series,
  };
  const output = { value, ...(curve ? { curve } : {}), plot, summary, curves };
  return output;
}

function windowOf(curve: Curve, fitFrom: unknown, fitTo: unknown): [number, number] {
  const times = curve.result.times;
  let last = NaN;
  let firstPositive = NaN;
  for (let j = 0; j < times.length; j++) {
    if (times[j] > 0 && Number.isFinite(times[j])) {
      if (Number.isNaN(firstPositive)) firstPositive = times[j];
      last = times[j];
    }
  }
  return [(fitFrom as number | undefined) ?? Math.max(firstPositive, last / 100), (fitTo as number | undefined) ?? last];
}

function format(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** The random-features command. */
export const randomFeaturesCommand: Command = {
  summary: 'loss curves of the projected two-layer model (lazy or rich, finite or infinite N, B, P; Infinity as a time = plateau), fitted exponents, --svg plot',
  options: randomFeaturesOptions,
  run: (options) => runRandomFeatures(options),
};

/** Options that `compute-optimal` adds for the numerical frontier. */
export const frontierOptions: OptionSpec[] = [
  { name: 'modelSizes', kind: 'numbers', help: 'numerical frontier: comma list of model sizes N (>= 2 finite integers); enables the envelope of the full dynamics' },
  { name: 'modes', kind: 'number', help: 'numerical frontier: number of modes (default 1000; finite for feature-space)' },
  { name: 'times', kind: 'times', help: 'numerical frontier: times of each curve (tau, or steps with --learning-rate); default log up to 4 N_max^(plateau exponent)' },
  ...modelOptions.slice(3, 10).filter((option) => option.name !== 'modes'),
  { name: 'fitFrom', kind: 'number', help: 'numerical frontier: start of the compute window of the fit (default: interior minimisers)' },
  { name: 'fitTo', kind: 'number', help: 'numerical frontier: end of the compute window of the fit' },
  { name: 'maxCompute', kind: 'number', help: 'numerical frontier: stop each curve once C = N t reaches this compute (> 0; saves the long tails of large N)' },
];

/** The numerical compute-optimal frontier for `compute-optimal --model-sizes ...`, beside the closed form. */
export function runFrontier(options: Record<string, unknown>, closedForm: object): CommandOutput & { summary: string[]; frontier: ComputeOptimalFrontierResult } {
  const { fitFrom, fitTo, compute: _compute, onProgress: _progress, ...rest } = options;
  const window = fitFrom !== undefined || fitTo !== undefined ? { window: { ...(fitFrom !== undefined ? { from: fitFrom } : {}), ...(fitTo !== undefined ? { to: fitTo } : {}) } } : {};
  const frontier = computeOptimalFrontier({ ...rest, ...window } as never);
  const { fit, theory } = frontier;
  const summary = [
    `numerical frontier (${frontier.meta.methods.join(', ')}), N = ${Array.from(frontier.modelSizes).join(', ')}: `
      + `L*(C) ~ C^-${fit.exponent.toFixed(4)} ± ${fit.standardError.toFixed(4)} over C = ${format(fit.from)}..${format(fit.to)} (${fit.decades.toFixed(2)} decades)`,
    `Table 1 (${theory.difficulty}, ${Number(rest.featureLearning ?? 0) > 0 ? 'rich' : 'lazy'}): r = ${theory.lossExponent.toFixed(4)}; difference ${frontier.difference.toFixed(4)}`,
  ];
  return {
    value: { ...closedForm, numerical: { compute: frontier.compute, envelope: frontier.envelope, optimalModelSize: frontier.optimalModelSize, fit, theory, difference: frontier.difference, modelSizes: frontier.modelSizes, curves: frontier.curves.map((c) => ({ times: c.times, loss: c.loss, method: c.meta.method })), meta: frontier.meta } },
    curve: { times: frontier.compute, envelope: frontier.envelope, optimalModelSize: frontier.optimalModelSize },
    svgDocument: () => envelopeChart(frontier),
    summary,
    frontier,
  };
}

