// `scaling-dynamics double-descent`: the t -> infinity DMFT loss against the model size N (or
// against the weight decay) with its bias-variance parts (spec dmft-random-features.md §7(b),
// src/dmft/double-descent.ts); --svg plots the curve against N/P (or the weight decay).
import { doubleDescent, type DoubleDescentResult } from '../dmft/double-descent.js';
import { ParameterError } from '../errors.js';
import { lineChart, type Series } from '../plot/svg.js';
import { timeGrid } from '../time-grid.js';
import type { OptionSpec } from './arguments.js';
import type { Command, CommandOutput } from './commands.js';
import { dmftOptions } from './dmft-command.js';

const shared = dmftOptions.filter((option) => !['times', 'earlyStopping', 'talbotNodes', 'engine', 'learningRate', 'modelSize', 'weightDecay'].includes(option.name));

/** Options of the double-descent command. */
export const doubleDescentOptions: OptionSpec[] = [
  ...shared,
  { name: 'modelSizes', kind: 'times', help: "model sizes N to sweep: '50,100,200' or log:FROM:TO:COUNT (rounded to integers)" },
  { name: 'modelSize', kind: 'number', help: 'N when sweeping --weight-decays (default all modes)' },
  { name: 'weightDecays', kind: 'times', help: "weight decays to sweep: '0,1e-3,1e-2' or log:FROM:TO:COUNT" },
  { name: 'weightDecay', kind: 'number', help: 'weight decay when sweeping --model-sizes (>= 0, default 0: divergent at N = P)' },
];

/** Parses a sweep given as a list or a grid string (the `times` syntax). */
function sweepValues(parameter: string, text: unknown, integers: boolean): Float64Array | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string') throw new ParameterError(parameter, text, "a comma list or 'log:FROM:TO:COUNT'");
  const values = timeGrid(text, { parameter, steps: integers });
  return values;
}

function columns(result: DoubleDescentResult): { times: Float64Array } & Record<string, unknown> {
  // the table printer keys rows on the first column, called `times` by convention (src/cli/main.ts)
  return {
    times: result.values, ratio: result.ratio, loss: result.loss, ridgeLoss: result.ridgeLoss, bias: result.bias, variance: result.variance,
    dataVariance: result.varianceParts.data, noiseVariance: result.varianceParts.labelNoise,
    thermalVariance: result.varianceParts.thermal, initVariance: result.varianceParts.initialisation,
  };
}

function chart(result: DoubleDescentResult): string {
  const x = result.sweep === 'modelSize' ? result.ratio : result.values;
  const series: Series[] = [
    { label: 'test loss (t -> infinity)', x, y: result.loss },
    { label: 'bias', x, y: result.bias },
    { label: 'variance', x, y: result.variance },
  ];
  const parts: [string, Float64Array][] = [['data variance', result.varianceParts.data], ['label-noise variance', result.varianceParts.labelNoise],
    ['thermal variance', result.varianceParts.thermal]];
  for (const [label, y] of parts) if (y.some((value) => value > 0)) series.push({ label, x, y, dashed: true });
  return lineChart(series, {
    title: result.sweep === 'modelSize' ? 'DMFT double descent: loss at t -> infinity against N/P' : 'DMFT: loss at t -> infinity against weight decay',
    xLabel: result.sweep === 'modelSize' ? 'N / P' : 'weight decay',
    yLabel: 'loss',
  });
}

/** The `double-descent` subcommand. */
export const doubleDescentCommand: Command = {
  summary: 'DMFT loss at t -> infinity against model size N/P (--model-sizes) or weight decay (--weight-decays): double descent',
  options: doubleDescentOptions,
  run(options): CommandOutput {
    const { modelSizes, weightDecays, ...rest } = options;
    const sweep: Record<string, unknown> = { ...rest };
    if (modelSizes !== undefined) sweep.modelSizes = sweepValues('modelSizes', modelSizes, true);
    if (weightDecays !== undefined) sweep.weightDecays = sweepValues('weightDecays', weightDecays, false);
    const result = doubleDescent(sweep as never);
    return { value: result, curve: columns(result), svgDocument: () => chart(result) };
  },
};
