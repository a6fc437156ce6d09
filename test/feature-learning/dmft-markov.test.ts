// Check F12 of spec feature-learning.md §6: the discrete DMFT at N = B = Infinity (featureLearningDmft)
// converges to the Markovian gradient-flow ODE of §1.8 (markovFeatureLearning, written independently)
// as eta -> 0, with an O(eta) difference. Setup of the spec: alpha = 1.5, beta = 0.5, M = 64, gamma = 1,
// L at tau = eta t = 1, 2, 4.
import { beforeAll, expect, it } from 'vitest';
import { featureLearningDmft } from '../../src/feature-learning/dmft.js';
import { markovFeatureLearning } from '../../src/feature-learning/markov.js';
import { initEngines } from '../helpers.js';

beforeAll(initEngines);

it('F12: the N = B = Infinity DMFT at eta = 0.02 is within 5e-3 of the Markovian ODE, the difference proportional to eta', () => {
  const spectrum = { alpha: 1.5, beta: 0.5, modes: 64 };
  const taus = [1, 2, 4];
  // RK4 with dtau = 4e-3: measured 1.6e-11 relative from dtau = 1e-3 (spec F12 asks 1e-4), far below the O(eta) gap
  const ode = markovFeatureLearning({ ...spectrum, featureLearning: 1, times: taus, integrator: 'rk4', stepSize: 4e-3 });
  const gap = (learningRate: number) => {
    const dmft = featureLearningDmft({ ...spectrum, modelSize: Infinity, batchSize: Infinity, featureLearning: 1, learningRate,
      times: taus.map((tau) => Math.round(tau / learningRate)) });
    return Array.from(dmft.loss, (value, j) => value / ode.loss[j] - 1);
  };
  const fine = gap(0.02);
  const coarse = gap(0.04);
  for (let j = 0; j < taus.length; j++) {
    // spec: observed within 0.2%; tolerance 5e-3 (measured 2.0e-3, 4.6e-4, 6.7e-4)
    expect(Math.abs(fine[j]), `tau = ${taus[j]}`).toBeLessThan(5e-3);
    // O(eta): halving eta halves the difference (measured ratios 1.99, 2.01, 2.03); 2 +- 0.15
    // leaves room for the O(eta^2) term and the ODE's own 1e-11 error
    expect(coarse[j] / fine[j], `tau = ${taus[j]}`).toBeGreaterThan(1.85);
    expect(coarse[j] / fine[j], `tau = ${taus[j]}`).toBeLessThan(2.15);
  }
  // and the rich ODE is far from the lazy flow here (the check could fail): sum p e^{-2 lambda tau}
  const lazyFlow = featureLearningDmft({ ...spectrum, modelSize: Infinity, batchSize: Infinity, learningRate: 0.02, times: [200] });
  expect(lazyFlow.loss[0] / ode.loss[2] - 1).toBeGreaterThan(0.05);
});
