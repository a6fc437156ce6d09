// Time grids (CONVENTIONS.md, "Time grids and outputs"): explicit increasing arrays,
// { from, to, count, spacing }, and the CLI's 'log:FROM:TO:COUNT' / 'linear:FROM:TO:COUNT' /
// comma-list strings; step grids (gd, sgd) are rounded to integers without repeats.
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_TIMES, ParameterError, initEngines, lazy, timeGrid } from './helpers.js';

beforeAll(initEngines);

describe('explicit arrays', () => {
  it('are copied into a new Float64Array, from plain arrays and typed arrays', () => {
    const input = [0, 0.5, 2, 10];
    const grid = timeGrid(input);
    expect(grid).toBeInstanceOf(Float64Array);
    expect(Array.from(grid)).toEqual(input);
    input[0] = 99;
    expect(grid[0]).toBe(0);
    const typed = new Float32Array([1, 2, 4]);
    const fromTyped = timeGrid(typed);
    expect(Array.from(fromTyped)).toEqual([1, 2, 4]);
    expect(fromTyped.buffer).not.toBe(typed.buffer);
    const f64 = new Float64Array([3, 5]);
    expect(timeGrid(f64)).not.toBe(f64);
  });

  it('accept a single time and time 0', () => {
    expect(Array.from(timeGrid([0]))).toEqual([0]);
    expect(Array.from(timeGrid([7.25]))).toEqual([7.25]);
  });

  it('must be strictly increasing, finite and >= 0 (integers for steps)', () => {
    expect(() => timeGrid([1, 1])).toThrow(ParameterError);
    expect(() => timeGrid([2, 1])).toThrow(/strictly increasing/);
    expect(() => timeGrid([-1e-300, 1])).toThrow(/>= 0/);
    expect(() => timeGrid([0, 1.5], { steps: true })).toThrow(/integer/);
    expect(Array.from(timeGrid([0, 1, 2 ** 31 - 2], { steps: true }))).toEqual([0, 1, 2 ** 31 - 2]);
    expect(() => timeGrid([2 ** 31 - 1], { steps: true })).toThrow(ParameterError);
  });

  it(`hold at most MAX_TIMES = 2^22 points`, () => {
    expect(MAX_TIMES).toBe(2 ** 22);
    const longest = new Float64Array(MAX_TIMES).map((_, index) => index);
    expect(timeGrid(longest).length).toBe(MAX_TIMES);
    const tooLong = new Float64Array(MAX_TIMES + 1).map((_, index) => index);
    expect(() => timeGrid(tooLong)).toThrow(ParameterError);
  });
});

describe('generated grids', () => {
  it('log spacing (the default) is geometric from `from` to `to` exactly', () => {
    for (const spec of [{ from: 1, to: 1e4, count: 5 }, { from: 1e-3, to: 5e7, count: 23, spacing: 'log' as const }, { from: 2, to: 3, count: 2 }]) {
      const grid = timeGrid(spec);
      expect(grid.length).toBe(spec.count);
      expect(grid[0]).toBe(spec.from);
      expect(grid[grid.length - 1]).toBe(spec.to);
      const ratio = (spec.to / spec.from) ** (1 / (spec.count - 1));
      for (let i = 1; i < grid.length; i++) expect(grid[i] / grid[i - 1] / ratio - 1).toBeLessThan(1e-13);
    }
  });

  it('linear spacing is arithmetic and exact on dyadic steps', () => {
    expect(Array.from(timeGrid({ from: 0, to: 1, count: 5, spacing: 'linear' }))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const grid = timeGrid({ from: 3, to: 10, count: 8, spacing: 'linear' });
    expect(Array.from(grid)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a single point is allowed; from = to only with a single point', () => {
    expect(Array.from(timeGrid({ from: 5, to: 5, count: 1 }))).toEqual([5]);
    expect(() => timeGrid({ from: 5, to: 5, count: 2 })).toThrow(/> from \(5\) when count > 1/);
  });

  it('step grids are rounded to integers and drop repeats, so may have fewer points', () => {
    const steps = timeGrid({ from: 1, to: 1000, count: 100 }, { steps: true });
    expect(steps.length).toBeLessThan(100);
    expect(steps.length).toBeGreaterThan(50);
    expect(steps[0]).toBe(1);
    expect(steps[steps.length - 1]).toBe(1000);
    for (let i = 0; i < steps.length; i++) {
      expect(Number.isInteger(steps[i])).toBe(true);
      if (i > 0) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
    }
    // the dense start keeps every integer
    expect(Array.from(steps.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(timeGrid({ from: 0, to: 10, count: 11, spacing: 'linear' }, { steps: true }))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(timeGrid({ from: 0, to: 2, count: 9, spacing: 'linear' }, { steps: true }))).toEqual([0, 1, 2]);
    expect(Array.from(timeGrid({ from: 1, to: 2 ** 31 - 2, count: 2 }, { steps: true }))).toEqual([1, 2 ** 31 - 2]);
  });

  it('never holds more than MAX_TIMES points', () => {
    expect(timeGrid({ from: 0, to: 1, count: MAX_TIMES, spacing: 'linear' }).length).toBe(MAX_TIMES);
    expect(() => timeGrid({ from: 0, to: 1, count: MAX_TIMES + 1, spacing: 'linear' })).toThrow(ParameterError);
  });
});

describe('strings (the command line forms)', () => {
  it("'log:FROM:TO:COUNT' equals the object form", () => {
    expect(Array.from(timeGrid('log:1:1e6:7'))).toEqual(Array.from(timeGrid({ from: 1, to: 1e6, count: 7, spacing: 'log' })));
    expect(Array.from(timeGrid('log:0.5:8:5'))).toEqual([0.5, 1, 2, 4, 8]);
  });

  it("'log:1:1000:4' gives exactly [1, 10, 100, 1000], as its documentation says", () => {
    expect(Array.from(timeGrid('log:1:1000:4'))).toEqual([1, 10, 100, 1000]);
    expect(Array.from(timeGrid('log:1:1e6:7'))).toEqual([1, 10, 100, 1e3, 1e4, 1e5, 1e6]);
  });

  it("'linear:FROM:TO:COUNT' equals the object form", () => {
    expect(Array.from(timeGrid('linear:0:1:5'))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(timeGrid('linear:0:100:5', { steps: true }))).toEqual([0, 25, 50, 75, 100]);
  });

  it('comma lists accept spaces and exponents', () => {
    expect(Array.from(timeGrid('0, 10 ,1e2,1000'))).toEqual([0, 10, 100, 1000]);
    expect(Array.from(timeGrid('5'))).toEqual([5]);
  });

  it('anything else is a ParameterError naming times', () => {
    for (const text of ['', 'log', 'log:1:10', 'exp:1:10:3', '1,,2', '1;2', 'a,b', 'log:1:10:3:4']) {
      const error = (() => { try { timeGrid(text); } catch (e) { return e; } })();
      expect(error, JSON.stringify(text)).toBeInstanceOf(ParameterError);
      expect((error as ParameterError).parameter.startsWith('times'), text).toBe(true);
    }
  });
});

describe('solvers use the same grids', () => {
  it('lazy() reports the grid it was given: times for flow, rounded steps for gd and sgd', () => {
    const spec = { from: 1, to: 1e4, count: 30 };
    const flow = lazy({ alpha: 1.5, beta: 0.5, modes: 100, times: spec });
    expect(Array.from(flow.times)).toEqual(Array.from(timeGrid(spec)));
    const gd = lazy({ alpha: 1.5, beta: 0.5, modes: 100, optimizer: 'gd', learningRate: 0.5, times: spec });
    expect(Array.from(gd.times)).toEqual(Array.from(timeGrid(spec, { steps: true })));
    const sgd = lazy({ alpha: 1.5, beta: 0.5, modes: 100, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: 'log:1:1000:20' });
    expect(Array.from(sgd.times)).toEqual(Array.from(timeGrid('log:1:1000:20', { steps: true })));
  });

  it('the default grid is 41 log-spaced points from 1 to 1e4', () => {
    const result = lazy({ alpha: 1.5, beta: 0.5, modes: 10 });
    expect(Array.from(result.times)).toEqual(Array.from(timeGrid({ from: 1, to: 1e4, count: 41 })));
    expect(result.times.length).toBe(41);
  });
});
