// findEarlyStopping() (src/dmft/early-stopping.ts; spec dmft-random-features.md §10 step 6):
// golden-section search on log t against curves whose minimum is known in closed form, the
// "monotone" (boundary) answer, and option validation.
import { describe, expect, it } from 'vitest';
import { findEarlyStopping } from '../../src/dmft/early-stopping.js';
import { ParameterError } from '../../src/errors.js';

describe('findEarlyStopping: closed-form minima', () => {
  it('e^(-t) + c t has t* = ln(1/c), L* = c (1 + ln(1/c))', () => {
    const c = 0.01;
    const found = findEarlyStopping((t) => t.map((x) => Math.exp(-x) + c * x), 0.1, 100);
    expect(found).not.toBeNull();
    // default tolerance 1e-5 in ln t; the smooth curve is known to ~1e-16, so t* to ~1e-5 rel
    expect(Math.abs(found!.time / Math.log(1 / c) - 1)).toBeLessThan(2e-5);
    // L* is second order in the error of t*: 1e-9 relative is ample
    expect(Math.abs(found!.loss / (c * (1 + Math.log(1 / c))) - 1)).toBeLessThan(1e-9);
  });

  it('t^(-a) + c t^b (power-law bias + growing variance) has t* = (a / (b c))^(1/(a+b))', () => {
    const [a, b, c] = [0.5, 1, 1e-3];
    const found = findEarlyStopping((t) => t.map((x) => x ** -a + c * x ** b), 1e-2, 1e6);
    const time = (a / (b * c)) ** (1 / (a + b));
    const loss = time ** -a + c * time ** b;
    expect(Math.abs(found!.time / time - 1)).toBeLessThan(2e-5);
    expect(Math.abs(found!.loss / loss - 1)).toBeLessThan(1e-9);
  });

  it('the OU stopping equation of spec §8: a 2000-mode sum whose derivative root is found by bisection', () => {
    // E(t) = 1/2 sum_k lambda_k [e^(-2 P lambda_k t) + T (1 - e^(-2 P lambda_k t)) / (P lambda_k)]
    // (spec §7(a), omega = 1; modes with P lambda_k < T make the variance grow); dE/dt = 0 is the §8
    // equation, solved here independently by bisection.
    const lambdas = Array.from({ length: 2000 }, (_, k) => (k + 1) ** -2);
    const [P, T] = [100, 0.01];
    const curve = (t: Float64Array) => t.map((x) => 0.5 * lambdas.reduce((s, l) => s + l * (Math.exp(-2 * P * l * x) + T * (1 - Math.exp(-2 * P * l * x)) / (P * l)), 0));
    const slope = (x: number) => lambdas.reduce((s, l) => s + l * Math.exp(-2 * P * l * x) * (T - P * l), 0);
    let [lo, hi] = [1e-3, 1e3];
    for (let i = 0; i < 200; i++) {
      const mid = Math.sqrt(lo * hi);
      if (slope(mid) < 0) lo = mid;
      else hi = mid;
    }
    const found = findEarlyStopping(curve, 1e-2, 1e4);
    expect(Math.abs(found!.time / lo - 1)).toBeLessThan(2e-5);
    expect(Math.abs(found!.loss / curve(Float64Array.of(lo))[0] - 1)).toBeLessThan(1e-9);
  });

  it('a flat minimum in ln t is located to the tolerance asked for', () => {
    const curve = (t: Float64Array) => t.map((x) => 1 + (Math.log(x) - Math.log(7)) ** 2);
    for (const tolerance of [1e-2, 1e-4, 1e-7]) {
      const found = findEarlyStopping(curve, 1, 1e3, { tolerance });
      expect(Math.abs(Math.log(found!.time / 7))).toBeLessThan(tolerance);
    }
  });

  it('a minimum next to a boundary of the scan is still interior', () => {
    // minimum at t = 1.2 with from = 1: the first scan point is not the smallest
    const found = findEarlyStopping((t) => t.map((x) => (Math.log(x) - Math.log(1.2)) ** 2), 1, 1e4, { scanPoints: 201 });
    expect(found!.time).toBeCloseTo(1.2, 4);
  });

  it('refines the deepest of two local minima on the scan grid', () => {
    const curve = (t: Float64Array) => t.map((x) => Math.min((Math.log(x) - 1) ** 2 + 0.5, (Math.log(x) - 5) ** 2));
    const found = findEarlyStopping(curve, 1e-2, 1e4);
    expect(Math.abs(Math.log(found!.time) - 5)).toBeLessThan(1e-5);
    expect(found!.loss).toBeLessThan(1e-9);
  });

  it('costs one scan call plus one evaluation per golden step', () => {
    let calls = 0;
    let points = 0;
    findEarlyStopping((t) => { calls++; points += t.length; return t.map((x) => Math.exp(-x) + 0.01 * x); }, 0.1, 100, { scanPoints: 25 });
    // bracket 2 ln(1000)/24 = 0.58 in ln t shrunk by 0.618 per step to 1e-5: 23 steps + 2 initial points
    expect(points - 25).toBe(calls - 1);
    expect(calls - 1).toBeLessThanOrEqual(26);
  });
});

describe('findEarlyStopping: no interior minimum ("monotone")', () => {
  it('returns null for decreasing and increasing curves', () => {
    expect(findEarlyStopping((t) => t.map((x) => Math.exp(-x)), 0.1, 100)).toBeNull();
    expect(findEarlyStopping((t) => t.map((x) => x ** -0.5), 0.1, 100)).toBeNull();
    expect(findEarlyStopping((t) => t.map((x) => x), 0.1, 100)).toBeNull();
  });

  it('returns null for a decay onto a plateau with round-off wiggles (weight decay reaching its static value)', () => {
    // 1 + e^(-t) with relative noise 1e-12 on the plateau: the scan minimum is interior but only
    // noise-deep, far below the default minimumDepth of 1e-6
    const noisy = (t: Float64Array) => t.map((x) => (1 + Math.exp(-x)) * (1 + 1e-12 * Math.sin(1e3 * x)));
    expect(findEarlyStopping(noisy, 0.1, 1e4)).toBeNull();
    expect(findEarlyStopping(noisy, 0.1, 1e4, { minimumDepth: 0 })).not.toBeNull();
    // a genuine shallow minimum (depth 1e-3 relative) is kept
    const shallow = (t: Float64Array) => t.map((x) => 1 + Math.exp(-x) - 1e-3 * Math.exp(-((Math.log(x) - 3) ** 2)));
    expect(findEarlyStopping(shallow, 0.1, 1e4)).not.toBeNull();
  });

  it('returns null when the minimum lies outside [from, to]', () => {
    const curve = (t: Float64Array) => t.map((x) => Math.exp(-x) + 0.01 * x); // t* = 4.6
    expect(findEarlyStopping(curve, 10, 1000)).toBeNull();
    expect(findEarlyStopping(curve, 0.01, 1)).toBeNull();
    expect(findEarlyStopping(curve, 1, 10)).not.toBeNull();
  });
});

describe('findEarlyStopping: validation', () => {
  const curve = (t: Float64Array) => t.map((x) => Math.exp(-x) + 0.01 * x);
  it.each([
    ['from', () => findEarlyStopping(curve, 0, 10)],
    ['from', () => findEarlyStopping(curve, NaN, 10)],
    ['to', () => findEarlyStopping(curve, 10, 10)],
    ['to', () => findEarlyStopping(curve, 1, Infinity)],
    ['scanPoints', () => findEarlyStopping(curve, 1, 10, { scanPoints: 2 })],
    ['scanPoints', () => findEarlyStopping(curve, 1, 10, { scanPoints: 3.5 })],
    ['tolerance', () => findEarlyStopping(curve, 1, 10, { tolerance: 0 })],
    ['minimumDepth', () => findEarlyStopping(curve, 1, 10, { minimumDepth: 1 })],
    ['tolerence', () => findEarlyStopping(curve, 1, 10, { tolerence: 1e-3 } as never)],
    ['loss', () => findEarlyStopping(42 as never, 1, 10)],
    ['loss', () => findEarlyStopping((t) => t.map(() => NaN), 1, 10)],
    ['loss', () => findEarlyStopping((t) => t.subarray(1), 1, 10)],
  ])('%s', (parameter, call) => {
    expect(call).toThrow(ParameterError);
    try { call(); } catch (error) { expect((error as ParameterError).parameter).toBe(parameter); }
  });
});
