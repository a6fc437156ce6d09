// Gradient flow (CONVENTIONS.md: L(t) = sum_k p_k exp(-2 lambda_k t)) against brute-force sums,
// its large-t asymptote Gamma(beta)/alpha (2t)^-beta, and the M = Infinity tail treatment.
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngines, lazy, maxRelativeError } from '../helpers.js';

beforeAll(initEngines);

/** sum_{k=1}^{M} k^-(alpha beta + 1) exp(-2 t k^-alpha), summed from the smallest term up. */
function bruteForce(alpha: number, beta: number, modes: number, time: number): number {
  const { eigenvalues, targetPower } = modeTable(alpha, beta, modes);
  let sum = 0;
  for (let k = modes - 1; k >= 0; k--) sum += targetPower[k] * Math.exp(-2 * time * eigenvalues[k]);
  return sum;
}

const tables = new Map<string, { eigenvalues: Float64Array; targetPower: Float64Array }>();
function modeTable(alpha: number, beta: number, modes: number) {
  const key = `${alpha},${beta},${modes}`;
  let table = tables.get(key);
  if (!table) {
    const eigenvalues = new Float64Array(modes);
    const targetPower = new Float64Array(modes);
    for (let k = 1; k <= modes; k++) {
      eigenvalues[k - 1] = k ** -alpha;
      targetPower[k - 1] = k ** -(alpha * beta + 1);
    }
    tables.clear();
    tables.set(key, table = { eigenvalues, targetPower });
  }
  return table;
}

describe('gradient flow', () => {
  it('equals the brute-force mode sum when every mode is exact (M = 2000)', () => {
    const times = [0, 0.01, 0.1, 1, 10, 100, 1000];
    const result = lazy({ alpha: 1.5, beta: 0.5, modes: 2000, times });
    const reference = times.map((t) => bruteForce(1.5, 0.5, 2000, t));
    // Different summation order and exp implementations: a few ulp per term, relative 1e-13.
    expect(maxRelativeError(result.loss, reference)).toBeLessThan(1e-13);
    expect(result.meta.spectrum.quadratureNodes).toBe(0);
  });

  it('sums M = 1e7 modes by quadrature to within 1e-6 of brute force', () => {
    const times = [0, 100, 1e4, 1e6];
    for (const [alpha, beta] of [[1.5, 0.5], [1.1, 0.2]]) {
      const result = lazy({ alpha, beta, modes: 1e7, times });
      const reference = times.map((t) => bruteForce(alpha, beta, 1e7, t));
      const error = maxRelativeError(result.loss, reference);
      // Measured <= 5e-9 (default headModes 2048); the bound is 1e-6.
      expect(error).toBeLessThan(1e-6);
      expect(result.meta.spectrum.quadratureNodes).toBeGreaterThan(0);
      expect(result.meta.spectrum.exactModes).toBe(2048);
    }
  });

  it('treats M = Infinity as brute force over 1e7 modes plus the Euler-Maclaurin tail beyond', () => {
    // Beyond k = 1e7 with t <= 10: lambda_k t <= 3.2e-10, so exp(-2 lambda t) = 1 - 2 lambda t to
    // 1e-19 and the tail is sum_{k>M} p_k - 2t sum_{k>M} p_k lambda_k, each by Euler-Maclaurin.
    const alpha = 1.5, beta = 0.25, modes = 1e7;
    const tail = (exponent: number) => {
      const m = modes + 1; // sum_{k>=m} k^-s = m^{1-s}/(s-1) + m^-s/2 + s m^{-s-1}/12
      return m ** (1 - exponent) / (exponent - 1) + m ** -exponent / 2 + exponent * m ** (-exponent - 1) / 12;
    };
    const power = alpha * beta + 1;
    const times = [0, 0.1, 1, 10];
    const result = lazy({ alpha, beta, modes: Infinity, times });
    const reference = times.map((t) => bruteForce(alpha, beta, modes, t) + tail(power) - 2 * t * tail(power + alpha));
    expect(maxRelativeError(result.loss, reference)).toBeLessThan(1e-8);
    expect(result.meta.spectrum.representedModes).toBe(Infinity);
    expect(result.meta.spectrum.tailNodes).toBe(1);
  });

  it('does not truncate: M = Infinity differs from M = 5e6 where the tail matters', () => {
    // CONVENTIONS.md: alpha = 2, beta = 0.25, cutting at 5e6 loses ~2% of the loss at t = 1e6.
    const infinite = lazy({ alpha: 2, beta: 0.25, modes: Infinity, times: [1e6] }).loss[0];
    const truncated = lazy({ alpha: 2, beta: 0.25, modes: 5e6, times: [1e6] }).loss[0];
    const lost = 1 - truncated / infinite;
    expect(lost).toBeGreaterThan(0.015);
    expect(lost).toBeLessThan(0.03);
  });

  it('equals Gamma(beta)/alpha (2t)^-beta at large t, to the accuracy of the quadrature', () => {
    // f(k) = k^-s exp(-2t k^-alpha) is flat to all orders at k = 0, so by Euler-Maclaurin the sum
    // over k >= 1 equals the integral over (0, inf), Gamma(beta)/alpha (2t)^-beta, up to terms
    // exponentially small in t: from t ~ 100 on, the ratio is 1 to the solver's own accuracy
    // (measured <= 5e-9, from the midpoint rule at the head/quadrature boundary). At t = 1 it is
    // visibly not (2%), so this test can fail.
    // Gamma(1/2) = sqrt(pi), Gamma(1/4) = 3.6256099082219083, Gamma(3/2) = sqrt(pi)/2.
    for (const [alpha, beta, gamma] of [[1.5, 0.5, Math.sqrt(Math.PI)], [2, 0.25, 3.6256099082219083], [1.2, 1.5, Math.sqrt(Math.PI) / 2]]) {
      const times = [1, 100, 1e4, 1e6, 1e8];
      const result = lazy({ alpha, beta, modes: Infinity, times });
      const ratios = times.map((t, j) => result.loss[j] / (gamma / alpha * (2 * t) ** -beta));
      expect(Math.abs(ratios[0] - 1)).toBeGreaterThan(1e-3);
      for (const ratio of ratios.slice(1)) expect(Math.abs(ratio - 1)).toBeLessThan(1e-8);
      for (const exponent of result.localExponent.slice(1)) expect(Math.abs(exponent - beta)).toBeLessThan(1e-7);
    }
  });

  it('reports the exact local exponent -d ln L / d ln t', () => {
    const times = [0.5, 5, 50, 500];
    const result = lazy({ alpha: 1.5, beta: 0.5, modes: 500, times });
    for (let j = 0; j < times.length; j++) {
      const h = 1e-5;
      const up = bruteForce(1.5, 0.5, 500, times[j] * Math.exp(h));
      const down = bruteForce(1.5, 0.5, 500, times[j] * Math.exp(-h));
      const finiteDifference = -(Math.log(up) - Math.log(down)) / (2 * h);
      expect(Math.abs(result.localExponent[j] - finiteDifference)).toBeLessThan(1e-7);
    }
  });

  it('is monotone non-increasing in time without noise', () => {
    const result = lazy({ alpha: 1.3, beta: 0.7, modes: Infinity, times: { from: 1e-3, to: 1e9, count: 200 } });
    for (let j = 1; j < result.loss.length; j++) expect(result.loss[j]).toBeLessThanOrEqual(result.loss[j - 1]);
  });

  it('matches a custom spectrum given mode by mode', () => {
    const eigenvalues = [0.3, 1, 0.01, 0.5];
    const targetPower = [0.2, 0, 1, 0.4];
    const times = [0, 1, 10, 100];
    const result = lazy({ eigenvalues, targetPower, times });
    const reference = times.map((t) => eigenvalues.reduce((sum, l, k) => sum + targetPower[k] * Math.exp(-2 * l * t), 0));
    expect(maxRelativeError(result.loss, reference)).toBeLessThan(1e-15);
  });
});
