// Exponents read off curves: local exponents -d ln y / d ln t and least-squares power-law fits
// over a window, with standard errors. Used on every solver's output.
import { ParameterError } from './errors.js';
import { checkArray, checkNumber, checkOptions } from './validate.js';

/**
 * -d ln y / d ln t on a grid, by the three-point formula for unequal spacing in ln t (second
 * order), one-sided at the ends. Points with t <= 0 or y <= 0 get NaN.
 * @example localExponents([1, 10, 100], [1, 0.1, 0.01]) // Float64Array [1, 1, 1]
 */
export function localExponents(times: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const t = checkArray('times', times, {}, { minimumLength: 2 });
  const y = checkArray('values', values, {}, { minimumLength: 2 });
  if (t.length !== y.length) throw new ParameterError('values', values, `an array of the same length as times (${t.length})`);
  for (let i = 1; i < t.length; i++) {
    if (!(t[i] > t[i - 1])) throw new ParameterError('times', times, 'strictly increasing times', `entry ${i} (${t[i]}) does not exceed entry ${i - 1} (${t[i - 1]})`);
  }
  const x = t.map((value) => (value > 0 ? Math.log(value) : NaN));
  const z = y.map((value) => (value > 0 ? Math.log(value) : NaN));
  const out = new Float64Array(t.length);
  const last = t.length - 1;
  for (let i = 0; i <= last; i++) {
    if (i === 0) out[i] = -(z[1] - z[0]) / (x[1] - x[0]);
    else if (i === last) out[i] = -(z[last] - z[last - 1]) / (x[last] - x[last - 1]);
    else {
      const h0 = x[i] - x[i - 1];
      const h1 = x[i + 1] - x[i];
      out[i] = -(h0 * h0 * (z[i + 1] - z[i]) + h1 * h1 * (z[i] - z[i - 1])) / (h0 * h1 * (h0 + h1));
    }
  }
  return out;
}

/**
 * Local exponent -d ln L / d ln n of a curve in steps, by the central difference
 * -n (L(n+1) - L(n-1)) / (2 L(n)) from the losses at n - 1, n and n + 1 (0 at n = 0 and where L = 0).
 * @example stepExponent(10, 0.11, 0.1, 0.09) // 0.1 * 10 / 0.2 = 1
 */
export function stepExponent(step: number, before: number, value: number, after: number): number {
  return step === 0 || value === 0 ? 0 : -step * (after - before) / (2 * value);
}

/** A fitted power law y = prefactor * t^-exponent. */
export interface PowerLawFit {
  exponent: number;
  /** Standard error of the exponent from the residuals (NaN with fewer than 3 points). */
  standardError: number;
  prefactor: number;
  /** Points inside the window that entered the fit. */
  points: number;
  /** Root-mean-square residual in ln y. */
  residual: number;
}

/**
 * Least-squares fit of ln y = ln A - exponent ln t over the points with from <= t <= to
 * (default: all with t > 0, y > 0).
 * @example fitPowerLaw([1, 10, 100], [2, 0.2, 0.02]).exponent // 1
 */
export function fitPowerLaw(times: ArrayLike<number>, values: ArrayLike<number>, window: { from?: number; to?: number } = {}): PowerLawFit {
  checkOptions('fitPowerLaw', window, ['from', 'to']);
  const t = checkArray('times', times, {}, { minimumLength: 2 });
  const y = checkArray('values', values, {}, { minimumLength: 2 });
  if (t.length !== y.length) throw new ParameterError('values', values, `an array of the same length as times (${t.length})`);
  const from = window.from === undefined ? 0 : checkNumber('from', window.from, { minimum: 0 });
  const to = window.to === undefined ? Infinity : checkNumber('to', window.to, { minimum: from, allowInfinity: true });
  const xs: number[] = [];
  const zs: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] > 0 && y[i] > 0 && t[i] >= from && t[i] <= to) {
      xs.push(Math.log(t[i]));
      zs.push(Math.log(y[i]));
    }
  }
  const n = xs.length;
  if (n < 2) throw new ParameterError('window', window, 'a window holding at least 2 points with t > 0 and y > 0', `it holds ${n}`);
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanZ = zs.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxz = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - meanX) ** 2;
    sxz += (xs[i] - meanX) * (zs[i] - meanZ);
  }
  if (!(sxx > 0)) throw new ParameterError('times', times, 'at least two distinct times inside the window');
  const slope = sxz / sxx;
  const intercept = meanZ - slope * meanX;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (zs[i] - intercept - slope * xs[i]) ** 2;
  return {
    exponent: -slope,
    standardError: n > 2 ? Math.sqrt(squares / (n - 2) / sxx) : NaN,
    prefactor: Math.exp(intercept),
    points: n,
    residual: Math.sqrt(squares / n),
  };
}
