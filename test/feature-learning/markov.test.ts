// markovFeatureLearning(): the N, B -> infinity gradient-flow system of spec feature-learning.md
// §1.8. Checks: gamma = 0 against the lazy closed form (lazy(), and the spec's F1/F2 values);
// the exponential midpoint rule against RK4 and against SciPy's DOP853 (fixture) on the F12 setup;
// convergence of the log-k mode compression; the Monte-Carlo simulator of the actual model at large
// N and small learning rate; identical engines; validation and run control.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { thrown } from './thrown.js';
import { markovFeatureLearning, MAX_MARKOV_NODES } from '../../src/feature-learning/markov.js';
import { simulateFeatureLearning } from '../../src/feature-learning/simulate.js';
import { AbortError, engineMemory, initEngines, lazy, maxRelativeError, ParameterError, powerLaw } from '../helpers.js';

beforeAll(initEngines);

const fixture = JSON.parse(readFileSync(new URL('../fixtures/feature-learning-solvers.json', import.meta.url), 'utf8'));

describe('markovFeatureLearning', () => {
  it('equals the lazy gradient-flow closed form at gamma = 0', () => {
    // gamma = 0 makes the symmetric matrix diagonal and each step the exact exponential, so the
    // only differences are rounding in the product of step factors (~steps x 1e-16): 1e-12.
    const times = [0, 0.5, 1, 10, 100, 1000];
    const markov = markovFeatureLearning({ alpha: 2, beta: 0.5, modes: 200, featureLearning: 0, times });
    const closed = lazy({ alpha: 2, beta: 0.5, modes: 200, times });
    expect(maxRelativeError(markov.loss, closed.loss)).toBeLessThan(1e-12);
    expect(maxRelativeError(markov.localExponent.subarray(1), closed.localExponent.subarray(1))).toBeLessThan(1e-10);
    // the boost q = |w|^2/N at gamma = 0 is |u|^2 = sum_k w_k^2 (1 - e^(-lambda_k tau))^2 (u = w* - v),
    // integrated by the midpoint rule from dq/dtau = 2 u^T Lambda v: second order, dtau = 0.03 tau
    // (observed 3.8e-4 relative; the loss itself is exact at gamma = 0)
    const { eigenvalues, targetPower } = powerLaw({ alpha: 2, beta: 0.5, modes: 200 });
    const exact = times.map((tau) => targetPower.reduce((sum, p, k) => sum + (p / eigenvalues[k]) * (1 - Math.exp(-eigenvalues[k] * tau)) ** 2, 0));
    expect(maxRelativeError(markov.boost.subarray(1), exact.slice(1))).toBeLessThan(1e-3);
  });

  it('reproduces checks F1 and F2 (lazy flow, M = 1e7, through the log-k node compression)', () => {
    // Spec F1/F2 values (rel 1e-5). The compression (exact head of 512 modes + Gauss-Legendre nodes)
    // is what the rich runs use at large M, so this also checks it at gamma = 0.
    const f1 = markovFeatureLearning({ alpha: 2, beta: 0.5, modes: 1e7, headModes: 512, featureLearning: 0, times: [10, 100, 1000, 1e4, 1e5] });
    expect(maxRelativeError(f1.loss, [0.198105, 0.0626656, 0.0198165, 0.00626647, 0.00198156])).toBeLessThan(1e-5);
    expect(-Math.log(f1.loss[4] / f1.loss[2]) / Math.log(100)).toBeCloseTo(0.5, 4);
    const f2 = markovFeatureLearning({ alpha: 2, beta: 1.25, modes: 1e7, headModes: 512, featureLearning: 0, times: [1000, 1e4] });
    expect(maxRelativeError(f2.loss, [3.38847e-5, 1.90548e-6])).toBeLessThan(1e-5);
    expect(-Math.log10(f2.loss[1] / f2.loss[0])).toBeCloseTo(1.25, 3);
  });

  it('exponential midpoint, RK4 and SciPy DOP853 agree on the F12 setup (rich, gamma = 1)', () => {
    // F12: alpha 1.5, beta 0.5, M 64, gamma 1, tau = 1, 2, 4. The spec asks the ODE itself to be
    // converged to 1e-4: the exponential midpoint rule (dtau = 0.03 tau, second order; observed
    // 5e-5 at tau = 1) must agree with RK4 (dtau 4e-3, fourth order, ~1e-10) to 1e-4, and RK4 with
    // the independent SciPy integration (rtol 1e-11) to 1e-8.
    const setup = { alpha: 1.5, beta: 0.5, modes: 64, featureLearning: 1, times: [1, 2, 4] };
    const midpoint = markovFeatureLearning(setup);
    const rk4 = markovFeatureLearning({ ...setup, integrator: 'rk4', stepSize: 4e-3 });
    expect(maxRelativeError(midpoint.loss, rk4.loss)).toBeLessThan(1e-4);
    expect(maxRelativeError(rk4.loss, fixture.markov.loss)).toBeLessThan(1e-8);
    expect(maxRelativeError(rk4.boost, fixture.markov.boost)).toBeLessThan(1e-8);
    // q, integrated by the midpoint rule from the same steps: 3e-4 (observed 1.6e-4 at tau = 1)
    expect(maxRelativeError(midpoint.boost, fixture.markov.boost)).toBeLessThan(3e-4);
    // and feature learning matters here: the lazy loss at tau = 4 is far away
    const lazyLoss = lazy({ alpha: 1.5, beta: 0.5, modes: 64, times: [4] }).loss[0];
    expect(Math.abs(lazyLoss / fixture.markov.loss[2] - 1)).toBeGreaterThan(0.05);
    // the exact local exponent agrees with a finite difference of the loss
    const near = markovFeatureLearning({ ...setup, times: [2 * (1 - 1e-4), 2, 2 * (1 + 1e-4)], stepFraction: 0.005 });
    const difference = -Math.log(near.loss[2] / near.loss[0]) / Math.log((1 + 1e-4) / (1 - 1e-4));
    expect(Math.abs(near.localExponent[1] - difference)).toBeLessThan(1e-5);
  });

  it('the log-k node compression converges as the exact head grows (rich, modes: Infinity)', () => {
    // Nodes are a Nystrom discretisation of the smooth k-dependence (exact for degenerate modes):
    // heads of 16 and 64 exact modes must agree to 1e-3 up to tau = 300 (heads 32 and 64 agreed to
    // 3e-4 up to tau = 1e6 when the exponent runs were set up).
    const setup = { alpha: 3, beta: 0.5, modes: Infinity, featureLearning: 1, times: [1, 10, 100, 300], stepFraction: 0.05 };
    const coarse = markovFeatureLearning({ ...setup, headModes: 16 });
    const fine = markovFeatureLearning({ ...setup, headModes: 64 });
    expect(coarse.meta.spectrum.nodes).toBeLessThan(fine.meta.spectrum.nodes);
    expect(maxRelativeError(coarse.loss, fine.loss)).toBeLessThan(1e-3);
  });

  it('matches the Monte-Carlo simulator of the model at N = 512, B = Infinity, eta = 0.02', () => {
    // The ODE is the N, B -> infinity, eta -> 0 limit of the simulated model. Allowance: 3 standard
    // errors of the 12-seed mean plus 1.5% for the O(1/N) finite-width term (F18: the lazy gap is
    // ~0.15 L x 32/N, i.e. ~1% at N = 512) and the O(eta) discretisation (F12: 0.2% at eta = 0.02).
    const spectrum = { alpha: 1.5, beta: 0.5, modes: 32 };
    const eta = 0.02;
    const taus = [1, 2];
    const simulated = simulateFeatureLearning({
      ...spectrum, modelSize: 512, featureLearning: 1, learningRate: eta, batchSize: Infinity, times: taus.map((tau) => tau / eta), seeds: 12, seed: 5,
    });
    const ode = markovFeatureLearning({ ...spectrum, featureLearning: 1, times: taus });
    const lazyOde = markovFeatureLearning({ ...spectrum, featureLearning: 0, times: taus });
    for (let j = 0; j < taus.length; j++) {
      const allowance = 3 * simulated.standardError[j] + 0.015 * ode.loss[j];
      expect(Math.abs(simulated.loss[j] - ode.loss[j]), `tau = ${taus[j]}`).toBeLessThan(allowance);
      // the comparison can fail: the lazy (gamma = 0) curve lies outside the allowance at tau = 2
      if (j === 1) expect(Math.abs(simulated.loss[j] - lazyOde.loss[j])).toBeGreaterThan(allowance);
    }
  });

  it('gives identical results on every engine (bit-identical eigensolver twins)', () => {
    const setup = { alpha: 2, beta: 0.5, modes: 40, featureLearning: 0.5, times: [1, 10] };
    const simd = markovFeatureLearning({ ...setup, engine: 'wasm-simd' });
    const js = markovFeatureLearning({ ...setup, engine: 'js' });
    expect(Array.from(js.loss)).toEqual(Array.from(simd.loss));
    expect(simd.meta.engine).toBe('wasm-simd');
  });

  it('keeps engine memory flat over repeated calls', () => {
    const setup = { alpha: 2, beta: 0.5, modes: 30, featureLearning: 1, times: [1, 10] };
    markovFeatureLearning(setup);
    const before = engineMemory();
    for (let i = 0; i < 3; i++) markovFeatureLearning(setup);
    expect(engineMemory()).toEqual(before);
  });

  it('rejects bad input with ParameterErrors and honours run control', () => {
    const base = { alpha: 2, beta: 0.5, modes: 50, times: [1, 2] };
    const error = (options: object) => thrown(markovFeatureLearning, options);
    expect(error({ ...base, featureLearnig: 1 })).toBeInstanceOf(ParameterError);
    expect(error({ ...base, featureLearning: -1 })).toMatchObject({ parameter: 'featureLearning' });
    expect(error({ ...base, times: undefined })).toMatchObject({ parameter: 'times' });
    expect(error({ ...base, integrator: 'euler' })).toMatchObject({ parameter: 'integrator' });
    expect(error({ ...base, integrator: 'rk4', stepFraction: 0.1 })).toMatchObject({ parameter: 'stepFraction' });
    expect(error({ ...base, stepSize: 0.1 })).toMatchObject({ parameter: 'stepSize' });
    expect(error({ ...base, stepFraction: 0 })).toMatchObject({ parameter: 'stepFraction' });
    // O(M^3) per step: more than MAX_MARKOV_NODES exact modes is refused with a hint
    expect(error({ ...base, modes: 5000, headModes: 5000 })).toMatchObject({ parameter: 'headModes' });
    expect(error({ eigenvalues: new Float64Array(MAX_MARKOV_NODES + 1).fill(1), targetPower: new Float64Array(MAX_MARKOV_NODES + 1).fill(1), times: [1] }))
      .toMatchObject({ parameter: 'eigenvalues' });
    // RK4 with a step beyond its stability limit is refused, not run into NaN
    expect(error({ ...base, featureLearning: 1, leadingEigenvalue: 1000, integrator: 'rk4', stepSize: 0.01 })).toMatchObject({ parameter: 'stepSize' });
    // large M without headModes is compressed automatically
    expect(markovFeatureLearning({ ...base, modes: 1e6, featureLearning: 0 }).meta.spectrum.nodes).toBeLessThanOrEqual(MAX_MARKOV_NODES);

    const controller = new AbortController();
    controller.abort();
    expect(error({ ...base, signal: controller.signal })).toBeInstanceOf(AbortError);
    const progress: number[] = [];
    markovFeatureLearning({ ...base, featureLearning: 1, times: [1, 1e3], onProgress: (p) => progress.push(p.fraction) });
    expect(progress.at(-1)).toBe(1);
    expect(error({ ...base, modes: 400, featureLearning: 1, times: [1, 1e6], timeLimit: 1 })).toBeInstanceOf(AbortError);
  });

  it('returns serialisable results with metadata', () => {
    const result = markovFeatureLearning({ alpha: 3, beta: 0.5, modes: 20, featureLearning: 1, times: [1, 2] });
    expect(markovFeatureLearning({ alpha: 3, beta: 0.5, modes: 20, times: [1] }).meta.parameters.featureLearning).toBe(0);
    expect(result.meta.theory).toMatchObject({ lazyExponent: 0.5, taskDifficulty: 'hard' });
    expect(result.meta.theory!.richExponent).toBeCloseTo(2 / 3, 12);
    expect(result.meta.parameters).toMatchObject({ featureLearning: 1, stepFraction: 0.03 });
    expect(JSON.parse(JSON.stringify(result)).loss).toHaveLength(2);
  });
});
