// computeOptimalFrontier(): the compute-optimal envelope of the full dynamics against Table 1
// (feature-learning.md §3.9, Fig. 4 design of §5 [I], check F16). The loss curves come from the
// exact feature-space solver (B = P = Infinity, finite N; closed form for the lazy model), so the
// envelope is that of the actual model averaged over a few projections.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeOptimalFrontier } from '../../src/feature-learning/frontier.js';
import { fitPowerLaw, initEngines, ParameterError } from '../helpers.js';

beforeAll(initEngines);

/** Model sizes spaced by sqrt(2): halves the scalloping of the envelope of a discrete set of N. */
const SIZES = [8, 11, 16, 23, 32, 45, 64, 91, 128, 181, 256];

describe('computeOptimalFrontier', () => {
  it('F16 lazy hard task (alpha 2, beta 0.5): slope 1/3 +- 0.03 over C = 1e3..1e5', () => {
    // N = 8..256 (sqrt 2 apart), M = 4096, 8 projections each, gradient flow (C = N tau). The
    // minimising N is interior from C ~ 30 to ~ 3e5; below C ~ 1e3 the envelope is pre-asymptotic
    // (local slopes ~0.39, the finite-N transient), so the 2-decade window starts at 1e3.
    // Tolerance +-0.03: the spec's F16 tolerance for lazy tasks. The envelope inherits the
    // projection-to-projection scatter of the plateaus (~10% at N = 64): with 4 projections the slope
    // over 1e3..1e5 ranged 0.304-0.356 across four seed sets (mean 0.331); with these 8 it is 0.339.
    const frontier = computeOptimalFrontier({ alpha: 2, beta: 0.5, modes: 4096, modelSizes: SIZES, seeds: 8, times: 'log:0.1:3e5:241' });
    expect(frontier.meta.methods).toEqual(['feature-space']);
    expect(frontier.theory.lossExponent).toBeCloseTo(1 / 3, 12);
    // the default (interior-minimiser) window contains 1e3..1e5
    expect(frontier.fit.from).toBeLessThan(1e3);
    expect(frontier.fit.to).toBeGreaterThan(1e5);
    // (the envelope is NaN where no curve covers C/N: outside the window)
    const fit = fitPowerLaw(frontier.compute, frontier.envelope.map((value) => (Number.isFinite(value) ? value : 0)), { from: 1e3, to: 1e5 });
    expect(Math.abs(fit.exponent - 1 / 3)).toBeLessThan(0.03);
    // invariant: the envelope is below every curve at every compute budget, and N* grows with C
    let previous = 0;
    for (let c = 0; c < frontier.compute.length; c++) {
      if (!Number.isFinite(frontier.envelope[c])) continue;
      for (let i = 0; i < SIZES.length; i++) {
        const curve = frontier.curves[i];
        const t = frontier.compute[c] / SIZES[i];
        const j = curve.times.findIndex((time) => time >= t);
        if (j > 0 && curve.times[j] === t) expect(frontier.envelope[c]).toBeLessThanOrEqual(curve.loss[j]);
      }
      if (frontier.compute[c] > 1e3) expect(frontier.optimalModelSize[c]).toBeGreaterThanOrEqual(previous / 1.5);
      previous = Math.max(previous, frontier.optimalModelSize[c]);
    }
  });

  it('F16 rich hard task (alpha 2, beta 0.5, gamma 1): slope 0.40 +- 0.04 over the interior window (> 2 decades)', () => {
    // N = 16..256 (sqrt 2 apart), M = 4096, 4 projections per N (nested: the rows of A0 for N are the
    // first N rows of those for larger N, so neighbouring curves share their randomness), gradient
    // flow. maxCompute 2e5 stops each curve at tau = 2e5 / N: the N = 256 curve runs to tau ~ 800
    // instead of the ~1.2e4 the small N need, which makes this check affordable (~8 s with the
    // WebAssembly sweep instead of minutes). Fit window: the default rule (compute budgets whose
    // minimising N is interior to 16..256), which spans 2.2-2.9 decades between C ~ 50-400 and
    // C ~ 5e4-1.2e5 depending on the projections.
    // Tolerance +-0.04: the spec's F16 tolerance for the rich hard task. Seed dependence measured
    // (4 projections per set, seed = 1, 5, 9, ..., 37: ten disjoint sets), default window: 0.388,
    // 0.407, 0.388, 0.389, 0.398, 0.391, 0.394, 0.377, 0.382, 0.378 (mean 0.389, sd 0.009); fixed
    // window 2e2..5e4: 0.391, 0.409, 0.375, 0.387, 0.396, 0.387, 0.381, 0.376, 0.384, 0.375 (also
    // checked below). With 1 projection per N the slope scatters 0.29-0.48, hence the 4.
    // The slope drifts with the window (pre-asymptotic curvature, spec §5 Fig. 4): 0.34-0.44 over
    // 1e2..1e4, 0.36-0.42 over 1e3..1e5 for the same sets. This test runs the first set (seed 1).
    const frontier = computeOptimalFrontier({
      alpha: 2, beta: 0.5, modes: 4096, modelSizes: SIZES.slice(2), featureLearning: 1, seeds: 4, seed: 1,
      times: 'log:0.1:12500:241', maxCompute: 2e5,
    });
    expect(frontier.meta.methods).toEqual(['feature-space']);
    expect(frontier.theory.lossExponent).toBeCloseTo(0.4, 12);
    expect(frontier.fit.decades).toBeGreaterThan(2);
    expect(frontier.fit.to).toBeLessThanOrEqual(2e5);
    expect(Math.abs(frontier.fit.exponent - 0.4)).toBeLessThan(0.04);
    const fixed = fitPowerLaw(frontier.compute, frontier.envelope.map((value) => (Number.isFinite(value) ? value : 0)), { from: 2e2, to: 5e4 });
    expect(Math.abs(fixed.exponent - 0.4)).toBeLessThan(0.04);
  });

  it('maxCompute only drops curve points beyond C = maxCompute', () => {
    // Cheap lazy frontier: each curve is cut after the first time at or beyond maxCompute / N, so it
    // is the uncut curve's prefix and still covers every C <= maxCompute (the envelope there is
    // built from the same points of every curve).
    const options = { alpha: 2, beta: 0.5, modes: 512, modelSizes: [8, 16, 32, 64], seeds: 2, times: 'log:0.1:1e4:81' } as const;
    const full = computeOptimalFrontier(options);
    const cut = computeOptimalFrontier({ ...options, maxCompute: 2e4 });
    expect(cut.meta.parameters.maxCompute).toBe(2e4);
    expect(cut.curves[3].times.length).toBeLessThan(60);
    cut.curves.forEach((curve, i) => {
      const count = curve.times.length;
      expect(curve.times[count - 1] * cut.modelSizes[i]).toBeGreaterThanOrEqual(2e4);
      if (count > 1) expect(curve.times[count - 2] * cut.modelSizes[i]).toBeLessThan(2e4);
      expect(Array.from(curve.loss)).toEqual(Array.from(full.curves[i].loss.subarray(0, count)));
    });
    expect(cut.compute[cut.compute.length - 1]).toBeLessThan(full.compute[full.compute.length - 1]);
  });

  it('rejects bad input', () => {
    const base = { alpha: 2, beta: 0.5, modes: 256, times: [1, 10, 100] };
    expect(() => computeOptimalFrontier({ ...base, modelSizes: [16] })).toThrow(ParameterError);
    expect(() => computeOptimalFrontier({ ...base, modelSizes: [16, 16] })).toThrow(/modelSizes/);
    expect(() => computeOptimalFrontier({ ...base, modelSizes: [16, 2.5] })).toThrow(/modelSizes/);
    expect(() => computeOptimalFrontier({ eigenvalues: [1, 0.5], targetPower: [1, 1], modelSizes: [1, 2], times: [1] } as never)).toThrow(/eigenvalues/);
    expect(() => computeOptimalFrontier({ ...base, modelSizes: [16, 32], window: { start: 1 } } as never)).toThrow(/start/);
    expect(() => computeOptimalFrontier({ ...base, modelSizes: [16, 32], maxCompute: 0 })).toThrow(/maxCompute/);
    expect(() => computeOptimalFrontier({ ...base, modelSizes: [16, 32], maxCompute: NaN })).toThrow(ParameterError);
  });
});
