// Monte-Carlo simulation of actual minibatch SGD on Gaussian features — the ground truth that
// the exact second-moment recursion of lazy({ optimizer: 'sgd' }) is tested against. In the
// eigenbasis, features psi ~ N(0, diag lambda), labels y = psi . w* + eps with eps ~ N(0, sigma^2),
// and each step w <- w - (eta/B) sum_b psi_b (psi_b . w - y_b) on a fresh batch (CONVENTIONS.md).
import { checkBudget } from '../budget.js';
import { sgdStability } from '../lazy/sgd.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { attachSerialisers } from '../result.js';
import { MAX_EXPLICIT_MODES, powerLaw, resolveSpectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { Random } from '../random.js';
import { checkNumber, checkOptions, optionalNumber } from '../validate.js';

/** Options of simulateSgd(). */
export interface SgdSimulationOptions extends Omit<SpectrumOptions, 'headModes'>, RunControl {
  learningRate: number;
  batchSize: number;
  labelNoise?: number;
  /** Step counts at which the loss is recorded. */
  times: TimeGrid;
  /** Independent runs averaged (default 100). */
  seeds?: number;
  /** Seed of the first run; run r uses seed + r (default 1). */
  seed?: number;
}

/** Mean loss over runs with its standard error. */
export interface SgdSimulationResult {
  times: Float64Array;
  /** Mean over runs of sum_k lambda_k (w*_k - w_k)^2. */
  loss: Float64Array;
  /** Standard error of the mean (sample standard deviation / sqrt(runs)). */
  standardError: Float64Array;
  meta: { solver: 'simulateSgd'; engine: 'js'; elapsedMs: number; parameters: Record<string, unknown>; generator: string };
}

const KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower',
  'learningRate', 'batchSize', 'labelNoise', 'times', 'seeds', 'seed', ...CONTROL_KEYS] as const;

/** Most modes x batch x steps x seeds one simulation may take. */
const MAX_WORK = 1e11;

/**
 * Simulates minibatch SGD from w = 0 and returns the mean test loss at the requested steps.
 * @example simulateSgd({ alpha: 1.5, beta: 0.5, modes: 20, learningRate: 0.5, batchSize: 4, times: [0, 10, 100], seeds: 200 })
 */
export function simulateSgd(options: SgdSimulationOptions): SgdSimulationResult {
  checkOptions('simulateSgd', options, KEYS);
  const spectrum = resolveSpectrum(options);
  if (spectrum.kind === 'power-law' && spectrum.modes > MAX_EXPLICIT_MODES) {
    throw new ParameterError('modes', spectrum.modes, `an integer <= ${MAX_EXPLICIT_MODES} for a simulation`);
  }
  // seven per-mode arrays (spectrum, scales, teacher, error, gradient, feature), refused before allocating
  const modeCount = spectrum.kind === 'custom' ? spectrum.eigenvalues.length : spectrum.modes;
  checkBudget(spectrum.kind === 'custom' ? 'eigenvalues' : 'modes', spectrum.kind === 'custom' ? spectrum.eigenvalues : spectrum.modes,
    modeCount * 8 * 7, `the simulation's per-mode arrays (${modeCount} modes)`);
  const { eigenvalues, targetPower } = spectrum.kind === 'custom' ? spectrum : powerLaw({
    alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale,
  });
  const learningRate = checkNumber('learningRate', options.learningRate, { minimum: 0, exclusiveMinimum: true });
  const batchSize = checkNumber('batchSize', options.batchSize, { minimum: 1, integer: true, maximum: 2 ** 20 });
  const labelNoise = optionalNumber('labelNoise', options.labelNoise, 0, { minimum: 0 });
  const seeds = optionalNumber('seeds', options.seeds, 100, { minimum: 2, integer: true, maximum: 1e7 });
  const seed = optionalNumber('seed', options.seed, 1, { minimum: 0, integer: true, maximum: 2 ** 52 });
  const steps = timeGrid(options.times, { steps: true });
  const lastStep = steps[steps.length - 1];
  const count = eigenvalues.length;
  const work = count * batchSize * lastStep * seeds;
  if (work > MAX_WORK) {
    throw new ParameterError('seeds', seeds, `a value keeping modes x batchSize x steps x seeds <= ${MAX_WORK}`, `it is ${work}`);
  }
  const stability = sgdStability(eigenvalues, undefined, learningRate, batchSize);
  if (!(stability < 1)) {
    throw new ParameterError('learningRate', learningRate, `a smaller value for batchSize ${batchSize} (SGD stability needs sum_k eta lambda_k / (B (2 - eta lambda_k (1 + 1/B))) < 1)`,
      `the sum is ${stability}: the losses diverge`);
  }
  const monitor = new Monitor(options, seeds);
  const scale = eigenvalues.map(Math.sqrt);
  const teacher = eigenvalues.map((eigenvalue, k) => Math.sqrt(targetPower[k] / eigenvalue));
  const noiseScale = Math.sqrt(labelNoise);
  const sum = new Float64Array(steps.length);
  const sumSquares = new Float64Array(steps.length);
  const error = new Float64Array(count);
  const gradient = new Float64Array(count);
  const feature = new Float64Array(count);

  for (let run = 0; run < seeds; run++) {
    const random = new Random(seed + run);
    error.set(teacher); // v = w* - w, w(0) = 0
    let record = 0;
    for (let step = 0; step <= lastStep; step++) {
      if (step === steps[record]) {
        let loss = 0;
        for (let k = 0; k < count; k++) loss += eigenvalues[k] * error[k] * error[k];
        sum[record] += loss;
        sumSquares[record] += loss * loss;
        record++;
        if (record === steps.length) break;
      }
      gradient.fill(0);
      for (let b = 0; b < batchSize; b++) {
        // residual = psi . w - y = -(psi . v) - eps
        let residual = -noiseScale * random.normal();
        for (let k = 0; k < count; k++) {
          feature[k] = scale[k] * random.normal();
          residual -= feature[k] * error[k];
        }
        for (let k = 0; k < count; k++) gradient[k] += feature[k] * residual;
      }
      // v = w* - w and w <- w - (eta/B) g, so v <- v + (eta/B) g
      const factor = learningRate / batchSize;
      for (let k = 0; k < count; k++) error[k] += factor * gradient[k];
    }
    monitor.step(run + 1);
  }
  const loss = sum.map((value) => value / seeds);
  const standardError = sumSquares.map((value, j) => Math.sqrt(Math.max(0, value / seeds - loss[j] ** 2) * seeds / (seeds - 1) / seeds));
  return attachSerialisers({
    times: steps,
    loss,
    standardError,
    meta: {
      solver: 'simulateSgd' as const,
      engine: 'js' as const,
      elapsedMs: monitor.elapsed(),
      parameters: { modes: count, learningRate, batchSize, labelNoise, seeds, seed },
      generator: 'xoshiro128** seeded by splitmix32, Box-Muller normals (src/random.ts)',
    },
  });
}
