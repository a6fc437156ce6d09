// `scaling-dynamics dmft`: the DMFT learning curves of random-feature regression (spec
// dmft-random-features.md §5-§8, src/dmft/dmft.ts) with the bias-variance split, the equilibrium
// and the early-stopping point; --svg draws the bias-variance curves over time with t* marked.
import { dmft, type DmftResult } from '../dmft/dmft.js';
import { lineChart, type Series } from '../plot/svg.js';
import type { OptionSpec } from './arguments.js';
import type { Command, CommandOutput } from './commands.js';

/** Spectrum options as the other commands spell them (src/cli/commands.ts). */
const spectrumOptions: OptionSpec[] = [
  { name: 'alpha', kind: 'number', help: 'capacity exponent: eigenvalues lambda_1 k^-alpha (> 1; > 0 with finite --modes)' },
  { name: 'beta', kind: 'number', help: 'source exponent: target power c k^-(alpha beta + 1) (> 0); teacher-student (Kramp et al.): 1 - 1/alpha' },
  { name: 'modes', kind: 'number', help: 'number of modes of the teacher: integer >= 1, 1e6-style, or Infinity (default 1000)' },
  { name: 'leadingEigenvalue', kind: 'number', help: 'lambda_1 (> 0, default 1)' },
  { name: 'targetScale', kind: 'number', help: 'c, target power of mode 1 (>= 0, default 1)' },
  { name: 'eigenvalues', kind: 'numbers', help: 'custom spectrum: comma list of eigenvalues (> 0), instead of alpha/beta/modes' },
  { name: 'targetPower', kind: 'numbers', help: 'custom teacher: comma list of target powers per mode (>= 0), same length' },
];

/** Options of the dmft command (API names; the CLI spells them in kebab-case). */
export const dmftOptions: OptionSpec[] = [
  ...spectrumOptions,
  { name: 'modelSize', kind: 'number', help: 'N, features = leading modes the model spans (integer >= 1, default all modes)' },
  { name: 'dataSize', kind: 'number', help: 'P, training samples (integer >= 1)' },
  { name: 'weightDecay', kind: 'number', help: 'ridge of the mean-loss objective (>= 0, default 0; the spec\'s gamma / P)' },
  { name: 'temperature', kind: 'number', help: 'Langevin temperature (>= 0, default 0; the spec\'s T / P)' },
  { name: 'labelNoise', kind: 'number', help: 'label-noise variance sigma^2 (>= 0, default 0)' },
  { name: 'initVariance', kind: 'number', help: 'initial weight variance sigma_0^2 (>= 0, default 0)' },
  { name: 'learningRate', kind: 'number', help: 'gradient descent with this eta (> 0): times are step counts; needs eta h_max < 2 (h_max: right edge of the spectrum of the data Hessian; an error gives the bound)' },
  { name: 'includeNoise', kind: 'boolean', help: 'report loss + sigma^2 instead of the excess loss' },
  { name: 'times', kind: 'times', help: "times (package units, t = P x the spec's t): '0,10,100' or log:FROM:TO:COUNT (default log:1:1e4:41)" },
  { name: 'earlyStopping', kind: 'boolean', help: 'locate the minimum of the loss over the times\' range (golden section on log t); null when monotone' },
  { name: 'talbotNodes', kind: 'number', help: 'nodes of the Talbot contour (even, 8..512, default 48)' },
  { name: 'engine', kind: 'string', help: 'auto | wasm-simd | wasm | js (default auto)' },
  { name: 'timeLimit', kind: 'number', help: 'wall-clock budget in ms (> 0); exceeding it exits with code 3' },
];

/** The --json document: exactly the documented keys, in order. */
export function dmftDocument(result: DmftResult): object {
  return {
    times: result.times,
    loss: result.loss,
    trainLoss: result.trainLoss,
    bias: result.bias,
    variance: result.variance,
    varianceParts: result.varianceParts,
    equilibrium: result.equilibrium,
    earlyStopping: result.earlyStopping,
    meta: result.meta,
  };
}

/** Table / CSV columns: the curves, the variance parts and the local exponent. */
export function dmftColumns(result: DmftResult): { times: Float64Array } & Record<string, unknown> {
  const { data, labelNoise, thermal, initialisation } = result.varianceParts;
  return {
    times: result.times, loss: result.loss, trainLoss: result.trainLoss, bias: result.bias, variance: result.variance,
    dataVariance: data, noiseVariance: labelNoise, thermalVariance: thermal, initVariance: initialisation,
    localExponent: result.localExponents,
  };
}

/**
 * The bias-variance-over-time chart: loss, bias and variance (solid) and the non-zero variance
 * parts (dashed), log-log, with the early-stopping point marked when it was located. The training
 * loss is left out (it falls to 0 when the model interpolates, which would squash the axis); the
 * table, CSV and JSON have it.
 */
export function dmftChart(result: DmftResult): string {
  const parts = result.varianceParts;
  const any = (values: Float64Array) => values.some((value) => value > 0);
  const series: Series[] = [
    { label: 'test loss', x: result.times, y: result.loss },
    { label: 'bias', x: result.times, y: result.bias },
    { label: 'variance', x: result.times, y: result.variance },
  ];
  const named: [string, Float64Array][] = [['data variance', parts.data], ['label-noise variance', parts.labelNoise],
    ['thermal variance', parts.thermal], ['initialisation variance', parts.initialisation]];
  for (const [label, values] of named) if (any(values)) series.push({ label, x: result.times, y: values, dashed: true });
  const p = result.meta.parameters;
  const noise = [
    p.temperature ? `temperature ${p.temperature}` : '', p.labelNoise ? `label noise ${p.labelNoise}` : '',
    p.weightDecay ? `weight decay ${p.weightDecay}` : '',
  ].filter(Boolean).join(', ');
  const spectrum = p.alpha !== undefined ? `alpha ${p.alpha}, beta ${p.beta}, ` : '';
  const stop = result.earlyStopping;
  return lineChart(series, {
    title: `DMFT bias-variance: ${spectrum}N = ${p.modelSize}, P = ${p.dataSize}${noise ? `, ${noise}` : ''}`,
    xLabel: 'time t (package units)',
    yLabel: 'loss',
    width: 900,
    legend: 'right',
    markers: stop ? [{ label: `early stopping t* = ${stop.time.toPrecision(4)}, L* = ${stop.loss.toPrecision(4)}`, x: stop.time, y: stop.loss }] : [],
  });
}

/** The `dmft` subcommand. */
export const dmftCommand: Command = {
  summary: 'DMFT learning curves of random-feature regression on P samples: test/training loss, bias-variance parts, equilibrium, early stopping',
  options: dmftOptions,
  run(options): CommandOutput {
    const result = dmft(options as never);
    return { value: dmftDocument(result), curve: dmftColumns(result), svgDocument: () => dmftChart(result) };
  },
};
