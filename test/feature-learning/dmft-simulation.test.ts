// featureLearningDmft() against Monte-Carlo simulation of the actual model
// (simulateFeatureLearning, spec feature-learning.md §1.4/§1.6): the validation setups V1, V2 (= F11),
// V5 and V6 of spec §4.7. Pass criterion of the spec for every row: the simulation mean (>= 30
// seeds) lies within 3 standard errors of the DMFT. The DMFT is a large-N, M, B (P) theory: at N = 32
// it differs from the exact finite-N mean by ~1% (it drops e.g. the eta^2 sum lambda^2 p / N term of
// the exact first step), below the statistical error of these seed counts. Each test also shows
// that it can fail: the nearest wrong theory (N = Infinity, lazy instead of rich) is many SE away.
import { beforeAll, describe, expect, it } from 'vitest';
import { featureLearningDmft } from '../../src/feature-learning/dmft.js';
import { simulateFeatureLearning } from '../../src/feature-learning/simulate.js';
import { initEngines } from '../helpers.js';

beforeAll(initEngines);

const SPECTRUM = { alpha: 1.5, beta: 0.5, modes: 128 };

/** Largest |simulation - theory| / SE over the recorded times. */
function worstDeviation(mean: Float64Array, standardError: Float64Array, theory: Float64Array): number {
  let worst = 0;
  for (let j = 0; j < mean.length; j++) worst = Math.max(worst, Math.abs(mean[j] - theory[j]) / standardError[j]);
  return worst;
}

describe('featureLearningDmft against simulation (spec §4.7)', () => {
  it('V1: online, lazy, N = 32, B = Infinity, eta = 0.5 (200 seeds)', () => {
    const parameters = { ...SPECTRUM, modelSize: 32, batchSize: Infinity, learningRate: 0.5, times: [20, 40, 59] };
    const simulation = simulateFeatureLearning({ ...parameters, seeds: 200, seed: 101 });
    const dmft = featureLearningDmft(parameters);
    expect(worstDeviation(simulation.loss, simulation.standardError, dmft.loss)).toBeLessThan(3);
    // sensitive to the finite-N terms: the N = Infinity DMFT (the closed form) is 40-100% lower
    const infinite = featureLearningDmft({ ...parameters, modelSize: Infinity });
    expect(worstDeviation(simulation.loss, simulation.standardError, infinite.loss)).toBeGreaterThan(20);
  });

  it('V2 / F11: online, rich gamma = 1, N = 32, B = Infinity, eta = 0.25 (150 seeds; within 3 SE and 3%)', () => {
    const parameters = { ...SPECTRUM, modelSize: 32, batchSize: Infinity, featureLearning: 1, learningRate: 0.25, times: [5, 10, 20, 40, 60, 119] };
    const simulation = simulateFeatureLearning({ ...parameters, seeds: 150, seed: 202 });
    const dmft = featureLearningDmft(parameters);
    expect(simulation.meta.divergedSeeds).toBe(0);
    expect(worstDeviation(simulation.loss, simulation.standardError, dmft.loss)).toBeLessThan(3);
    // spec F11 also asks for 3% (observed within 1%); the DMFT's own finite-N bias here is ~1.3% and the
    // SE of 150 seeds ~1.4% at t = 5, so 3% is 1.2 SE above the bias: with 60 seeds it failed by chance
    for (let j = 0; j < dmft.loss.length; j++) expect(Math.abs(simulation.loss[j] / dmft.loss[j] - 1)).toBeLessThan(0.03);
    // sensitive to feature learning: the lazy DMFT is > 3 SE away at late times (observed ~25% higher)
    const lazyCurve = featureLearningDmft({ ...parameters, featureLearning: 0 });
    expect(worstDeviation(simulation.loss, simulation.standardError, lazyCurve.loss)).toBeGreaterThan(6);
  });

  it('V5: online SGD, N = 64, B = 8, eta = 0.25, rich and lazy, exact-Gaussian noise (40 seeds each)', () => {
    for (const featureLearning of [1, 0]) {
      const parameters = { ...SPECTRUM, modelSize: 64, batchSize: 8, featureLearning, learningRate: 0.25, times: [5, 10, 20, 40, 60, 119] };
      const simulation = simulateFeatureLearning({ ...parameters, seeds: 40, seed: 303 });
      const dmft = featureLearningDmft(parameters);
      expect(worstDeviation(simulation.loss, simulation.standardError, dmft.loss), `gamma = ${featureLearning}`).toBeLessThan(3);
      // sensitive to the SGD noise: the B = Infinity DMFT is outside 3 SE (measured 3.3 SE lazy, more rich)
      const noiseless = featureLearningDmft({ ...parameters, batchSize: Infinity });
      expect(worstDeviation(simulation.loss, simulation.standardError, noiseless.loss), `gamma = ${featureLearning}`).toBeGreaterThan(3);
    }
  });

  it('V6: data reuse, rich gamma = 1, M = 512, N = 256, P = 192, eta = 0.25: test and train losses (30 seeds)', () => {
    // Spec §4.3: observed within 1-2% (about 1 SE of a 30-seed mean) at this size; smaller systems
    // (M = 128, N = 64, P = 48) show finite-size deviations of 1-4% of the test loss, which at 100+
    // seeds exceed 3 SE at early times (measured: 2.5 SE at t = 5 with 100 seeds). So this test
    // uses the full V6 size.
    const parameters = { alpha: 1.5, beta: 0.5, modes: 512, modelSize: 256, dataSize: 192, featureLearning: 1, learningRate: 0.25, times: [5, 20, 49] };
    const simulation = simulateFeatureLearning({ ...parameters, seeds: 30, seed: 404 });
    const dmft = featureLearningDmft(parameters);
    expect(worstDeviation(simulation.loss, simulation.standardError, dmft.loss)).toBeLessThan(3);
    expect(worstDeviation(simulation.trainLoss!, simulation.trainStandardError!, dmft.trainLoss!)).toBeLessThan(3);
    // sensitive to the finite data set: the online B = Infinity curve is far from both
    const online = featureLearningDmft({ ...parameters, dataSize: Infinity, batchSize: Infinity });
    expect(worstDeviation(simulation.trainLoss!, simulation.trainStandardError!, online.loss)).toBeGreaterThan(5);
    expect(worstDeviation(simulation.loss, simulation.standardError, online.loss)).toBeGreaterThan(5);
  });
});
