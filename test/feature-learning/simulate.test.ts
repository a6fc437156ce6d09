// simulateFeatureLearning(): the exact N x N simulator of the projected two-layer linear model
// (spec feature-learning.md §1.4, §1.6). Checks: the exact first-step expectation at finite N, B,
// P (derived below), the lazy limit gamma = 0, N -> infinity against the exact SGD recursion
// (lazy({ optimizer: 'sgd' }), spec §3.7) with the 1/N correction of check F18 removed by
// Richardson extrapolation, determinism, bit-identical engines, validation, and flat memory.
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateFeatureLearning, type FeatureLearningSimulationOptions } from '../../src/feature-learning/simulate.js';
import { engineMemory, ENGINES, initEngines, lazy, ParameterError, powerLaw, Random } from '../helpers.js';

beforeAll(initEngines);

/**
 * E[L(1)] of the simulator (any gamma: w(0) = 0 makes Ã(1) = I). v(1) = (I - eta K G) w* with
 * K = A0^T A0 / N and G the data second moment of `samples` Gaussian rows (B or P; Infinity: G =
 * Lambda). Wick's theorem gives E[K Lambda K] = diag(D), D_k = lambda_k (1 + 1/N) + tr(Lambda)/N,
 * and E[G D G] = (1 + 1/S) Lambda D Lambda + Lambda tr(Lambda D)/S, so
 * E[L(1)] = sum p - 2 eta sum lambda p + eta^2 [(1 + 1/S) sum lambda D p + (sum p)(sum lambda D)/S]
 * with p_k = lambda_k w*_k^2. N = S = Infinity gives the exact recursion of spec §3.7 after one step.
 */
function firstStepLoss(eigenvalues: Float64Array, targetPower: Float64Array, modelSize: number, samples: number, learningRate: number): number {
  const trace = eigenvalues.reduce((a, b) => a + b, 0);
  const inverseSamples = samples === Infinity ? 0 : 1 / samples;
  let power = 0, first = 0, second = 0, traceLambdaD = 0;
  for (let k = 0; k < eigenvalues.length; k++) {
    const lambda = eigenvalues[k];
    const d = lambda * (1 + 1 / modelSize) + trace / modelSize;
    power += targetPower[k];
    first += lambda * targetPower[k];
    second += lambda * d * targetPower[k];
    traceLambdaD += lambda * d;
  }
  return power - 2 * learningRate * first
    + learningRate ** 2 * ((1 + inverseSamples) * second + inverseSamples * power * traceLambdaD);
}

describe('simulateFeatureLearning', () => {
  it('matches the exact first-step expectation at finite N, B and P within 3 standard errors', () => {
    const spectrum = { alpha: 1.5, beta: 0.5, modes: 24 };
    const { eigenvalues, targetPower } = powerLaw(spectrum);
    const cases: { modelSize: number; featureLearning: number; learningRate: number; batchSize?: number; dataSize?: number }[] = [
      { modelSize: 6, batchSize: 3, featureLearning: 0, learningRate: 0.5 },
      { modelSize: 6, batchSize: Infinity, featureLearning: 1, learningRate: 0.5 },
      { modelSize: 5, dataSize: 4, featureLearning: 2, learningRate: 0.4 },
    ];
    for (const parameters of cases) {
      const samples = parameters.dataSize ?? parameters.batchSize!;
      const result = simulateFeatureLearning({ ...spectrum, ...parameters, times: [0, 1], seeds: 4000, seed: 11, engine: 'wasm-simd' });
      expect(result.loss[0]).toBeCloseTo(targetPower.reduce((a, b) => a + b, 0), 13);
      const expected = firstStepLoss(eigenvalues, targetPower, parameters.modelSize, samples, parameters.learningRate);
      const deviation = Math.abs(result.loss[1] - expected) / result.standardError[1];
      expect(deviation, JSON.stringify(parameters)).toBeLessThan(3);
      // and the check is sensitive to the finite-N terms: the N = Infinity value is far off
      const infinite = firstStepLoss(eigenvalues, targetPower, Infinity, samples, parameters.learningRate);
      expect(Math.abs(result.loss[1] - infinite) / result.standardError[1], JSON.stringify(parameters)).toBeGreaterThan(8);
    }
  });

  it('tends to the exact lazy SGD recursion as N grows (gamma = 0, online; 1/N removed by Richardson)', () => {
    const spectrum = { alpha: 1.5, beta: 0.5, modes: 48 };
    const parameters = { learningRate: 0.5, batchSize: 4 };
    const times = [0, 1, 3, 6, 10, 15];
    const theory = lazy({ ...spectrum, optimizer: 'sgd', ...parameters, times });
    const runs = [256, 512].map((modelSize) => simulateFeatureLearning({
      ...spectrum, ...parameters, modelSize, featureLearning: 0, times, seeds: 1500, seed: 7, engine: 'wasm-simd',
    }));
    const [coarse, fine] = runs;
    for (let j = 1; j < times.length; j++) {
      // spec check F18: the finite-N gap is proportional to 1/N, so 2 L(2N) - L(N) = L(Infinity) + O(1/N^2)
      const extrapolated = 2 * fine.loss[j] - coarse.loss[j];
      const error = Math.hypot(2 * fine.standardError[j], coarse.standardError[j]);
      expect(Math.abs(extrapolated - theory.loss[j]) / error, `step ${times[j]}`).toBeLessThan(3);
    }
  });

  it('draws exactly the normal stream of Random (the documented generator), in bulk', () => {
    for (const seed of [0, 1, 2 ** 40 + 3]) {
      const random = new Random(seed);
      const stream = new Random(seed);
      const scale = new Float64Array([1, 0.5, 0.25]);
      // odd counts carry the spare of a Box-Muller pair from one fill to the next
      for (const [count, scaled] of [[7, false], [9, true], [1, true], [1, false], [1000, true]] as const) {
        const got = new Float64Array(count);
        stream.fillNormals(got, count, scaled ? scale : undefined);
        for (let i = 0; i < count; i++) {
          const expected = scaled ? scale[i % 3] * random.normal() : random.normal();
          expect(got[i], `seed ${seed} count ${count} index ${i}`).toBe(expected);
        }
      }
    }
  });

  it('gives the same numbers for the same seed, and bit-identical numbers on every engine', () => {
    const cases: Partial<FeatureLearningSimulationOptions>[] = [
      { batchSize: 3, featureLearning: 0.7 },
      { batchSize: Infinity, featureLearning: 0 },
      { batchSize: 2, featureLearning: 0 },
      { dataSize: 9, featureLearning: 1.3 },
    ];
    for (const parameters of cases) {
      // odd N and M exercise the leftover terms of the two-lane loops
      const options = { alpha: 1.5, beta: 0.5, modes: 37, modelSize: 13, learningRate: 0.3, times: [0, 1, 4, 9], seeds: 3, seed: 5, ...parameters };
      const reference = simulateFeatureLearning({ ...options, engine: 'js' });
      for (const engine of ENGINES) {
        for (let repeat = 0; repeat < 2; repeat++) {
          const result = simulateFeatureLearning({ ...options, engine });
          expect(result.meta.engine).toBe(engine);
          expect(Array.from(result.loss), `${engine} ${JSON.stringify(parameters)}`).toEqual(Array.from(reference.loss));
          expect(Array.from(result.standardError)).toEqual(Array.from(reference.standardError));
          if (reference.trainLoss) expect(Array.from(result.trainLoss!)).toEqual(Array.from(reference.trainLoss));
        }
      }
      const other = simulateFeatureLearning({ ...options, seed: 6, engine: 'js' });
      expect(other.loss[3]).not.toBe(reference.loss[3]);
    }
  });

  it('reports train and test losses for data reuse, and feature learning acts only from the second step', () => {
    const options = { alpha: 1.5, beta: 0.5, modes: 64, modelSize: 16, dataSize: 24, learningRate: 0.3, times: [0, 1, 2, 30], seeds: 4 };
    const lazyRun = simulateFeatureLearning({ ...options, featureLearning: 0 });
    const richRun = simulateFeatureLearning({ ...options, featureLearning: 1 });
    expect(richRun.meta.variant).toBe('data-reuse');
    // w(0) = 0 makes Ã(1) = I exactly, so L(1) does not depend on gamma (same seeds, same bits)
    expect(richRun.loss[1]).toBe(lazyRun.loss[1]);
    expect(richRun.loss[2]).not.toBe(lazyRun.loss[2]);
    // fitting the training set: train loss below test loss, both decreasing
    expect(richRun.trainLoss![3]).toBeLessThan(richRun.loss[3]);
    expect(richRun.trainLoss![3]).toBeLessThan(richRun.trainLoss![0]);
    const online = simulateFeatureLearning({ ...options, dataSize: undefined, batchSize: 4 });
    expect(online.trainLoss).toBeUndefined();
    expect(online.meta.variant).toBe('online');
  });

  it('rejects invalid options with a ParameterError naming the parameter', () => {
    const good: FeatureLearningSimulationOptions = { alpha: 1.5, beta: 0.5, modes: 16, modelSize: 4, batchSize: 2, learningRate: 0.3, times: [0, 2] };
    const bad: [string, Record<string, unknown>][] = [
      ['modelSize', { modelSize: 0 }], ['modelSize', { modelSize: 2.5 }], ['modelSize', { modelSize: undefined }],
      ['modes', { modes: Infinity }], ['learningRate', { learningRate: 0 }], ['learningRate', { learningRate: undefined }],
      ['featureLearning', { featureLearning: -1 }], ['featureLearning', { featureLearning: NaN }],
      ['batchSize', { batchSize: 0 }], ['batchSize', { batchSize: undefined }], ['batchSize', { dataSize: 8 }],
      ['dataSize', { dataSize: 0, batchSize: undefined }], ['dataSize', { dataSize: 1.5, batchSize: undefined }],
      ['seeds', { seeds: 1 }], ['seed', { seed: -1 }], ['times', { times: [2, 1] }], ['times', { times: undefined }],
      ['engine', { engine: 'gpu' }], ['featureLarning', { featureLarning: 1 }], ['timeLimit', { timeLimit: -1 }],
      ['modelSize', { modelSize: 16384, modes: 2 ** 14 }], ['dataSize', { batchSize: undefined, dataSize: 2 ** 24, modes: 2 ** 10 }],
      ['seeds', { modelSize: 1024, modes: 8192, times: [1e5], seeds: 1e5 }],
    ];
    for (const [parameter, change] of bad) {
      let caught: unknown;
      try {
        simulateFeatureLearning({ ...good, ...change } as FeatureLearningSimulationOptions);
      } catch (error) {
        caught = error;
      }
      expect(caught, `${parameter} ${JSON.stringify(change)}`).toBeInstanceOf(ParameterError);
      expect((caught as ParameterError).parameter).toBe(parameter);
    }
    expect(() => simulateFeatureLearning({ ...good, timeLimit: 1e-9, times: [200] })).toThrow('timeLimit');
  });

  it('keeps engine memory flat over many calls, including aborted ones', () => {
    for (const engine of ['wasm-simd', 'wasm'] as const) {
      const calls = [
        () => simulateFeatureLearning({ alpha: 1.5, beta: 0.5, modes: 33, modelSize: 7, batchSize: 3, featureLearning: 1, learningRate: 0.3, times: [0, 3], seeds: 2, engine }),
        () => simulateFeatureLearning({ alpha: 1.5, beta: 0.5, modes: 20, modelSize: 9, dataSize: 5, featureLearning: 0, learningRate: 0.3, times: [2], seeds: 2, engine }),
        () => expect(() => simulateFeatureLearning({ alpha: 1.5, beta: 0.5, modes: 64, modelSize: 64, batchSize: 8, featureLearning: 1,
          learningRate: 0.3, times: [1e4], seeds: 2, engine, timeLimit: 1 })).toThrow('timeLimit'),
      ];
      for (const call of calls) call();
      const before = engineMemory()[engine];
      for (let i = 0; i < 600; i++) calls[i % calls.length]();
      expect(engineMemory()[engine]).toBe(before);
    }
  });
});
