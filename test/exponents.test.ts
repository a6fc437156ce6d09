// Exponents read off curves: localExponents (-d ln y / d ln t, second order on unequal grids) is
// exact on pure power laws and on quadratics in ln t; fitPowerLaw recovers exponent and prefactor
// exactly from exact data (standard error ~0) and gives sensible standard errors on noisy data.
import { beforeAll, describe, expect, it } from 'vitest';
import { Random, fitPowerLaw, initEngines, lazy, localExponents, timeGrid } from './helpers.js';
import { stepExponent } from '../src/exponents.js';

beforeAll(initEngines);

const powerLaw = (times: ArrayLike<number>, prefactor: number, exponent: number) => Float64Array.from(times, (t) => prefactor * t ** -exponent);

describe('localExponents', () => {
  it('is exact on pure power laws, at every point including the ends, on regular and irregular grids', () => {
    const grids = [
      timeGrid({ from: 1, to: 1e6, count: 25 }),
      Float64Array.from([0.3, 0.31, 2, 2.5, 40, 41, 1e3, 7e5]),
      Float64Array.from([1e-8, 1e8]),
    ];
    for (const times of grids) {
      for (const exponent of [0.5, 1, 2.75, -0.3, 0, 1e-3]) {
        const out = localExponents(times, powerLaw(times, 3.7, exponent));
        expect(out).toBeInstanceOf(Float64Array);
        expect(out.length).toBe(times.length);
        for (const value of out) expect(Math.abs(value - exponent)).toBeLessThan(1e-12);
      }
    }
  });

  it('matches the documented example', () => {
    expect(Array.from(localExponents([1, 10, 100], [1, 0.1, 0.01])).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 1, 1]);
  });

  it('is second order: exact at interior points when ln y is quadratic in ln t, on unequal spacing', () => {
    const times = Float64Array.from([1, 1.7, 4, 4.1, 30, 100, 2000]);
    // ln y = 0.3 - 0.8 x + 0.05 x^2  =>  -d ln y / d ln t = 0.8 - 0.1 x
    const values = times.map((t) => Math.exp(0.3 - 0.8 * Math.log(t) + 0.05 * Math.log(t) ** 2));
    const out = localExponents(times, values);
    for (let i = 1; i < times.length - 1; i++) expect(out[i]).toBeCloseTo(0.8 - 0.1 * Math.log(times[i]), 11);
    // the ends are one-sided (first order): the chord slope of the first and last intervals
    const x = times.map(Math.log);
    const z = values.map(Math.log);
    expect(out[0]).toBeCloseTo(-(z[1] - z[0]) / (x[1] - x[0]), 12);
    const n = times.length - 1;
    expect(out[n]).toBeCloseTo(-(z[n] - z[n - 1]) / (x[n] - x[n - 1]), 12);
  });

  it('gives NaN where t <= 0 or y <= 0 (and at neighbours that use them), finite elsewhere', () => {
    const out = localExponents([0, 1, 10, 100, 1000, 1e4], [5, 1, 0.1, 0, 0.001, 1e-4]);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN(); // its left neighbour has t = 0
    expect(out[3]).toBeNaN();
    expect(out[5]).toBeCloseTo(1, 12);
  });

  it('agrees with the analytic local exponent of gradient flow on a dense grid', () => {
    const result = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, times: { from: 1, to: 1e5, count: 401 } });
    const numeric = localExponents(result.times, result.loss);
    for (let i = 1; i < numeric.length - 1; i++) expect(Math.abs(numeric[i] - result.localExponent[i])).toBeLessThan(2e-4);
    // and approaches beta = 0.5 at late times
    expect(numeric[numeric.length - 2]).toBeCloseTo(0.5, 3);
  });
});

describe('fitPowerLaw', () => {
  it('recovers exponent and prefactor exactly from exact data, with standard error and residual ~0', () => {
    for (const [prefactor, exponent] of [[2, 1], [3, 0.7], [1e-5, 2.5], [40, -0.25]]) {
      const times = timeGrid({ from: 0.01, to: 1e7, count: 40 });
      const fit = fitPowerLaw(times, powerLaw(times, prefactor, exponent));
      expect(Math.abs(fit.exponent - exponent)).toBeLessThan(1e-12);
      expect(Math.abs(fit.prefactor / prefactor - 1)).toBeLessThan(1e-11);
      expect(fit.standardError).toBeLessThan(1e-13);
      expect(fit.residual).toBeLessThan(1e-12);
      expect(fit.points).toBe(40);
    }
  });

  it('matches the documented example', () => {
    const fit = fitPowerLaw([1, 10, 100], [2, 0.2, 0.02]);
    expect(fit.exponent).toBeCloseTo(1, 12);
    expect(fit.prefactor).toBeCloseTo(2, 12);
  });

  it('fits only the points inside the window, and with t > 0, y > 0', () => {
    const times = [0, 1, 2, 4, 8, 16, 32, 64];
    // a broken power law: exponent 1 up to t = 8, then 2
    const values = times.map((t) => (t === 0 ? 5 : t <= 8 ? 1 / t : 8 / t ** 2));
    expect(fitPowerLaw(times, values, { to: 8 })).toMatchObject({ points: 4 });
    expect(fitPowerLaw(times, values, { to: 8 }).exponent).toBeCloseTo(1, 12);
    const late = fitPowerLaw(times, values, { from: 8 });
    expect(late.points).toBe(4);
    expect(late.exponent).toBeCloseTo(2, 12);
    expect(late.prefactor).toBeCloseTo(8, 10);
    expect(fitPowerLaw(times, values, { from: 8, to: 8.5 * 2 }).points).toBe(2);
    // t = 0 and y = 0 are skipped
    expect(fitPowerLaw([0, 1, 2, 3], [1, 1, 0, 1 / 3]).points).toBe(2);
  });

  it('with two points the exponent is exact and the standard error is NaN (documented)', () => {
    const fit = fitPowerLaw([2, 8], [0.5, 0.125]);
    expect(fit.exponent).toBeCloseTo(1, 12);
    expect(fit.standardError).toBeNaN();
    expect(fit.points).toBe(2);
  });

  it('on noisy data: the standard error is close to sigma / sqrt(Sxx) and covers the truth ~95% of the time at 2 SE', () => {
    const times = timeGrid({ from: 1, to: 1e4, count: 50 });
    const x = Array.from(times, Math.log);
    const meanX = x.reduce((a, b) => a + b, 0) / x.length;
    const sxx = x.reduce((a, b) => a + (b - meanX) ** 2, 0);
    const sigma = 0.05;
    const expectedError = sigma / Math.sqrt(sxx);
    const random = new Random(12345);
    const fits = 400;
    let covered = 0;
    let sumError = 0;
    let sumResidual = 0;
    let sumExponent = 0;
    for (let run = 0; run < fits; run++) {
      const values = times.map((t) => 2 * t ** -0.5 * Math.exp(sigma * random.normal()));
      const fit = fitPowerLaw(times, values);
      if (Math.abs(fit.exponent - 0.5) < 2 * fit.standardError) covered++;
      sumError += fit.standardError;
      sumResidual += fit.residual;
      sumExponent += fit.exponent;
      expect(fit.standardError).toBeGreaterThan(0);
    }
    expect(covered / fits).toBeGreaterThan(0.9);
    expect(covered / fits).toBeLessThan(0.99);
    expect(sumError / fits / expectedError).toBeGreaterThan(0.9);
    expect(sumError / fits / expectedError).toBeLessThan(1.1);
    // rms residual sqrt(SSR / n) ~ sigma sqrt((n - 2) / n)
    expect(sumResidual / fits / sigma).toBeGreaterThan(0.85);
    expect(sumResidual / fits / sigma).toBeLessThan(1.05);
    // unbiased: mean of 400 estimates within 4 standard errors of the mean
    expect(Math.abs(sumExponent / fits - 0.5)).toBeLessThan(4 * expectedError / Math.sqrt(fits));
  });

  it('reads the lazy exponent beta off a gradient-flow curve over M = Infinity', () => {
    for (const [alpha, beta] of [[1.5, 0.5], [2, 0.25], [3, 1.5]]) {
      const result = lazy({ alpha, beta, modes: Infinity, times: { from: 1e4, to: 1e7, count: 31 } });
      const fit = fitPowerLaw(result.times, result.loss);
      expect(Math.abs(fit.exponent - beta), `alpha ${alpha} beta ${beta}`).toBeLessThan(2e-3);
    }
  });
});

describe('stepExponent', () => {
  it('is the central difference -n (L(n+1) - L(n-1)) / (2 L(n)): 100/99 for L = 1/n at n = 10; 0 at n = 0 and L = 0', () => {
    // exact: -10 (1/11 - 1/9) / (2/10) = (2/99) 50 = 100/99 (the true exponent is 1; the difference is O(1/n^2))
    expect(stepExponent(10, 1 / 9, 1 / 10, 1 / 11)).toBeCloseTo(100 / 99, 14);
    expect(stepExponent(0, 1, 1, 0.5)).toBe(0);
    expect(stepExponent(5, 1, 0, 0.5)).toBe(0);
  });
});
