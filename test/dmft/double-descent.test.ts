// doubleDescent() (src/dmft/double-descent.ts; spec dmft-random-features.md §7(b)): check D18 (the
// divergences at N = P from below), the ridge limit, and the curve against the exact finite-size
// solver (ridge regression / Gibbs posterior of sampled data sets) at small P.
import { beforeAll, describe, expect, it } from 'vitest';
import { doubleDescent } from '../../src/dmft/double-descent.js';
import { exactFiniteSize, initEngines, ParameterError } from '../helpers.js';

beforeAll(initEngines);

const relative = (a: number, b: number) => Math.abs(a / b - 1);

describe('D18: double-descent divergences (weightDecay -> 0, N < P)', () => {
  const P = 400;
  const T = 0.01; // spec units; package temperature T/P
  const sigma2 = 0.1;
  const modelSizes = [40, 200, 360, 390, 399];
  // teacher inside every model of the sweep (target power only on the first 40 of 1000 modes), so
  // that no outside-model power adds to the label noise (spec §2)
  const eigenvalues = Float64Array.from({ length: 1000 }, (_, k) => (k + 1) ** -1.5);
  const targetPower = eigenvalues.map((l, k) => (k < 40 ? (k + 1) ** -1.75 : 0));
  const spectrum = { eigenvalues, targetPower };

  it('ridgeless: noise variance -> sigma^2 N/(P-N), thermal -> T N/(P-N) (package units: twice the spec\'s 1/2 sigma^2 N/(P-N), (T/2) N/(P-N))', () => {
    const r = doubleDescent({ ...spectrum, dataSize: P, labelNoise: sigma2, temperature: T / P, modelSizes });
    modelSizes.forEach((N, j) => {
      // kappa_0 = 0 exactly here, so gamma_2 = N/P exactly: round-off only
      expect(relative(r.varianceParts.labelNoise[j], sigma2 * N / (P - N))).toBeLessThan(1e-12);
      expect(relative(r.varianceParts.thermal[j], T * N / (P - N))).toBeLessThan(1e-12);
      expect(relative(r.gamma2[j], N / P)).toBeLessThan(1e-14);
    });
    // divergence: the last point (N = P - 1) is P-1 = 399 times the noise variance at N = P/2
    expect(r.varianceParts.labelNoise[4] / r.varianceParts.labelNoise[1]).toBeCloseTo(399, 8);
  });

  it('the limit is reached as weightDecay -> 0 with error O(weightDecay) (the bisection path, not the kappa_0 = 0 shortcut)', () => {
    const errors = [1e-4, 1e-6, 1e-8].map((weightDecay) => {
      const r = doubleDescent({ ...spectrum, dataSize: P, labelNoise: sigma2, temperature: T / P, weightDecay, modelSizes: [200] });
      expect(r.kappa[0]).toBeGreaterThan(0);
      return Math.max(relative(r.varianceParts.labelNoise[0], sigma2 * 200 / 200), relative(r.varianceParts.thermal[0], T * 200 / 200));
    });
    // the spec's tolerance is O(1/P) relative; here the approach is linear in weightDecay
    expect(errors[2]).toBeLessThan(1 / P);
    // each factor 100 in weightDecay: ~100x smaller error (measured 47x and 100x; the first step is
    // not yet asymptotic); bound 1/25
    expect(errors[1] / errors[0]).toBeLessThan(0.04);
    expect(errors[2] / errors[1]).toBeLessThan(0.04);
  });

  it('N = P without weight decay: infinite loss; N > P: finite ridgeless interpolation with infinite thermal part', () => {
    const r = doubleDescent({ alpha: 1.5, beta: 0.5, modes: 1000, dataSize: P, labelNoise: sigma2, modelSizes: [P, 2 * P] });
    expect(r.loss[0]).toBe(Infinity);
    expect(Number.isFinite(r.loss[1])).toBe(true);
    const hot = doubleDescent({ alpha: 1.5, beta: 0.5, modes: 1000, dataSize: P, temperature: 1e-5, modelSizes: [2 * P] });
    expect(hot.varianceParts.thermal[0]).toBe(Infinity);
  });

  it('the curve rises towards N = P from both sides (model-wise double descent)', () => {
    const r = doubleDescent({ alpha: 1.5, beta: 0.5, modes: 4000, dataSize: P, labelNoise: sigma2, modelSizes: [100, 300, 380, 420, 600, 2000] });
    expect(r.loss[1]).toBeGreaterThan(r.loss[0]);
    expect(r.loss[2]).toBeGreaterThan(r.loss[1]);
    expect(r.loss[3]).toBeGreaterThan(r.loss[4]);
    expect(r.loss[4]).toBeGreaterThan(r.loss[5]);
    expect(Array.from(r.ratio)).toEqual([100, 300, 380, 420, 600, 2000].map((N) => N / P));
  });
});

describe('against the exact finite-size solver (20 data sets, P = 60)', () => {
  // The DMFT is the N, P -> infinity limit: at P = 60 the deviation is finite-size, O(1/(P - N))
  // near the peak (the exact inverse-Wishart mean is N/(P - N - 1), not N/(P - N)) and O(1/N)
  // elsewhere; the seed noise (standard error of the exact average) is 0.3-0.6%. Measured deviations:
  // loss, thermal part and ridge error 0.6-1.5% over the sweeps; tolerance 3% (about twice the
  // largest, and > 3 standard errors above it). The ridgeless noise variance is compared with the
  // inverse-Wishart factor (P - N)/(P - N - 1) applied (0.1-3.8% apart; 2.4-8.6% without it).
  const P = 60;
  const options = { alpha: 1.5, beta: 0.5, modes: 240, dataSize: P, labelNoise: 0.05, temperature: 0.2 / P };

  it('model-size sweep: loss, bias and parts', () => {
    const modelSizes = [15, 30, 120, 240];
    const weightDecay = 0.01;
    const r = doubleDescent({ ...options, weightDecay, modelSizes });
    modelSizes.forEach((N, j) => {
      const exact = exactFiniteSize({ ...options, weightDecay, modelSize: N, times: [1], seeds: 20 }).equilibrium;
      expect(relative(r.loss[j], exact.loss)).toBeLessThan(0.03);
      expect(relative(r.varianceParts.thermal[j], exact.varianceParts.thermal)).toBeLessThan(0.03);
      expect(relative(r.ridgeLoss[j], exact.bayes)).toBeLessThan(0.03);
    });
  });

  it('ridgeless under-parametrised: the noise variance is sigma^2 N/(P - N) (DMFT) vs sigma^2 N/(P - N - 1) (exact inverse-Wishart mean)', () => {
    const modelSizes = [20, 40, 50];
    const r = doubleDescent({ ...options, temperature: 0, modelSizes });
    modelSizes.forEach((N, j) => {
      const exact = exactFiniteSize({ ...options, temperature: 0, modelSize: N, times: [1], seeds: 20 }).equilibrium;
      const wishart = (P - N) / (P - N - 1);
      // exact per data set in the eigenvalues; the average over 20 sets carries ~1/sqrt(20 (P-N)) noise: 8%
      expect(relative(r.varianceParts.labelNoise[j] * wishart, exact.varianceParts.labelNoise)).toBeLessThan(0.08);
    });
  });

  it('weight-decay sweep: the ridge (t -> infinity, T = 0) error', () => {
    const weightDecays = [1e-3, 1e-2, 1e-1];
    const r = doubleDescent({ ...options, temperature: 0, modelSize: 120, weightDecays });
    weightDecays.forEach((weightDecay, j) => {
      const exact = exactFiniteSize({ ...options, temperature: 0, weightDecay, modelSize: 120, times: [1], seeds: 20 }).equilibrium;
      expect(relative(r.loss[j], exact.loss)).toBeLessThan(0.03);
    });
  });
});

describe('doubleDescent: validation', () => {
  const base = { alpha: 1.5, beta: 0.5, modes: 100, dataSize: 50 };
  it.each([
    ['modelSizes', () => doubleDescent(base)],
    ['weightDecays', () => doubleDescent({ ...base, modelSizes: [10], weightDecays: [0.1] })],
    ['modelSizes', () => doubleDescent({ ...base, modelSizes: [10, 0.5] })],
    ['modelSizes', () => doubleDescent({ ...base, modelSizes: [10, 200] })],
    ['weightDecays', () => doubleDescent({ ...base, weightDecays: [-1] })],
    ['modelSize', () => doubleDescent({ ...base, modelSize: 10, modelSizes: [10] })],
    ['weightDecay', () => doubleDescent({ ...base, weightDecay: 1, weightDecays: [1] })],
    ['dataSize', () => doubleDescent({ ...base, dataSize: 0, modelSizes: [10] })],
    ['times', () => doubleDescent({ ...base, modelSizes: [10], times: [1] } as never)],
  ])('%s', (parameter, call) => {
    expect(call).toThrow(ParameterError);
    try { call(); } catch (error) { expect((error as ParameterError).parameter).toBe(parameter); }
  });
});
