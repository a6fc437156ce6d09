// featureLearningDmft(): the discrete-time DMFT of the projected two-layer model (spec
// feature-learning.md §4.2, §4.3, §4.6) against independent references that need no Monte Carlo:
// the N = B = infinity closed form, the exact N = infinity lazy SGD recursion of §3.7 (lazy(), check
// F10), the Toeplitz lazy DMFT (lazyFeatureDmft, a different algorithm), the 1/N scaling of the
// early finite-width gap (F18), the P -> infinity limit of the data-reuse DMFT, mode binning against
// exact mode sums, engine equality, validation and run control. The comparisons with simulation
// are in dmft-simulation.test.ts, the eta -> 0 limit (F12) in dmft-markov.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { featureLearningDmft } from '../../src/feature-learning/dmft.js';
import { lazyFeatureDmft } from '../../src/feature-learning/lazy-tti.js';
import { AbortError, ENGINES, initEngines, lazy, maxRelativeError, ParameterError, powerLaw } from '../helpers.js';

beforeAll(initEngines);

const HARD = { alpha: 1.5, beta: 0.5 };

describe('featureLearningDmft: exact limits', () => {
  it('gamma = 0, N = B = Infinity is the closed form sum_k lambda_k w_k^2 (1 - eta lambda_k)^(2t)', () => {
    // The DMFT then has R_z = eta S and v_k(t) = w_k (1 - eta lambda_k)^t exactly (spec §4.2 (v)); only
    // rounding separates the forward substitution from the power: 1e-12 relative.
    const { eigenvalues, targetPower } = powerLaw({ ...HARD, modes: 40 });
    const times = [0, 1, 2, 5, 17, 40];
    const result = featureLearningDmft({ ...HARD, modes: 40, modelSize: Infinity, batchSize: Infinity, learningRate: 0.7, times });
    const expected = times.map((t) => eigenvalues.reduce((sum, lambda, k) => sum + targetPower[k] * (1 - 0.7 * lambda) ** (2 * t), 0));
    expect(maxRelativeError(result.loss, expected)).toBeLessThan(1e-12);
    // rich at N = B = Infinity differs (the check above can fail): gamma enters from step 2 on
    const rich = featureLearningDmft({ ...HARD, modes: 40, modelSize: Infinity, batchSize: Infinity, learningRate: 0.7, featureLearning: 1, times });
    expect(maxRelativeError(rich.loss.subarray(0, 2), expected.slice(0, 2))).toBeLessThan(1e-12);
    expect(rich.loss[5]).toBeLessThan(expected[5] * 0.95);
  });

  it('F10: N = Infinity, lazy, B = 4 with the exact-Gaussian noise equals the exact SGD recursion; diagonal noise is ~5% low at t = 1', () => {
    // spec §4.2 (iv): at N = Infinity, gamma = 0 the exact variance reproduces §3.7 exactly (1e-10: only
    // rounding differs; lazy() runs the recursion itself). The paper-level variance drops the
    // lambda^2 E v^2 / B term: observed 5% low at t = 1 and ~1% low late (spec F10, V7).
    const spectrum = { ...HARD, modes: 128 };
    const times = [1, 5, 20, 50, 100, 199];
    const reference = lazy({ ...spectrum, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times });
    const exact = featureLearningDmft({ ...spectrum, modelSize: Infinity, batchSize: 4, learningRate: 0.5, times });
    expect(maxRelativeError(exact.loss, reference.loss)).toBeLessThan(1e-10);
    const diagonal = featureLearningDmft({ ...spectrum, modelSize: Infinity, batchSize: 4, learningRate: 0.5, times, sgdNoise: 'diagonal' });
    const ratio = diagonal.loss.map((value, j) => value / reference.loss[j]);
    expect(ratio[0]).toBeGreaterThan(0.94);
    expect(ratio[0]).toBeLessThan(0.96);
    expect(ratio[5]).toBeGreaterThan(0.98);
    expect(ratio[5]).toBeLessThan(0.995);
  });

  it('gamma = 0 at finite N equals the Toeplitz lazy DMFT (lazyFeatureDmft), with and without SGD noise', () => {
    // Same equations, different algorithm (convolutions of TTI responses vs forward substitution of
    // the full time-time matrices): agreement to rounding, 1e-9. The paper-level noise is the one
    // lazyFeatureDmft implements, hence sgdNoise 'diagonal'.
    const spectrum = { ...HARD, modes: 128 };
    for (const batchSize of [Infinity, 8]) {
      const times = [1, 5, 20, 59];
      const ours = featureLearningDmft({ ...spectrum, modelSize: 64, batchSize, learningRate: 0.25, times, sgdNoise: 'diagonal' });
      const theirs = lazyFeatureDmft({ ...spectrum, modelSize: 64, batchSize, learningRate: 0.25, times });
      expect(maxRelativeError(ours.loss, theirs.loss), `B = ${batchSize}`).toBeLessThan(1e-9);
    }
  });

  it('F18: the early finite-width gap L_N(5) - L_inf(5) halves with each doubling of N (ratio 2 +- 0.05)', () => {
    // Lazy DMFT, alpha = 1.5, beta = 0.5, M = 128, eta = 0.5, B = Infinity; L_inf is the closed form.
    // Spec: observed ratios within 0.02 of 2, tolerance 0.05 per doubling.
    const spectrum = { ...HARD, modes: 128 };
    const { eigenvalues, targetPower } = powerLaw(spectrum);
    const infinite = eigenvalues.reduce((sum, lambda, k) => sum + targetPower[k] * (1 - 0.5 * lambda) ** 10, 0);
    const gaps = [32, 64, 128, 256, 512].map((modelSize) =>
      featureLearningDmft({ ...spectrum, modelSize, batchSize: Infinity, learningRate: 0.5, times: [5] }).loss[0] - infinite);
    for (let i = 0; i + 1 < gaps.length; i++) {
      expect(gaps[i]).toBeGreaterThan(0);
      expect(Math.abs(gaps[i] / gaps[i + 1] - 2), `N = ${32 * 2 ** i}`).toBeLessThan(0.05);
    }
  });

  it('data reuse tends to online B = Infinity as P grows, and its train loss to the test loss', () => {
    // §4.3 with P -> Infinity: R_vg -> 0, R_1 -> I, the noise (lambda/P) D -> 0; online SGD with
    // B = Infinity is the limit. At P = 1e9 the differences are O(1/P) relative: 1e-6 is loose.
    const spectrum = { ...HARD, modes: 48 };
    const times = [1, 4, 12, 30];
    for (const featureLearning of [0, 1]) {
      const online = featureLearningDmft({ ...spectrum, modelSize: 16, batchSize: Infinity, featureLearning, learningRate: 0.3, times });
      const reuse = featureLearningDmft({ ...spectrum, modelSize: 16, dataSize: 1e9, featureLearning, learningRate: 0.3, times });
      expect(maxRelativeError(reuse.loss, online.loss)).toBeLessThan(1e-6);
      expect(maxRelativeError(reuse.trainLoss!, online.loss)).toBeLessThan(1e-6);
      // finite P: the train loss falls below the test loss (over-fitting), which the check above would miss
      const small = featureLearningDmft({ ...spectrum, modelSize: 16, dataSize: 12, featureLearning, learningRate: 0.3, times });
      expect(small.trainLoss![3]).toBeLessThan(small.loss[3] * 0.8);
    }
  });

  it('the first step at N = Infinity matches E L(1) of the exact Gaussian model (any gamma, B = 3)', () => {
    // E L(1) = sum p - 2 eta sum lambda p + eta^2 [(1 + 1/B) sum lambda^2 p + (sum p)(sum lambda^2)/B]
    // (simulate.test.ts derives it; N = Infinity). Exact-noise DMFT reproduces it to rounding.
    const { eigenvalues, targetPower } = powerLaw({ ...HARD, modes: 30 });
    const eta = 0.6;
    let power = 0, first = 0, second = 0, trace2 = 0;
    eigenvalues.forEach((lambda, k) => {
      power += targetPower[k];
      first += lambda * targetPower[k];
      second += lambda * lambda * targetPower[k];
      trace2 += lambda * lambda;
    });
    const expected = power - 2 * eta * first + eta ** 2 * ((1 + 1 / 3) * second + power * trace2 / 3);
    const result = featureLearningDmft({ ...HARD, modes: 30, modelSize: Infinity, batchSize: 3, featureLearning: 2, learningRate: eta, times: [1] });
    expect(Math.abs(result.loss[0] / expected - 1)).toBeLessThan(1e-13);
  });
});

describe('featureLearningDmft: mode binning (spec §4.6)', () => {
  it('binned sums converge to the exact mode sums, and modes = Infinity converges in the number of bins', () => {
    // Exact: modes = 512 with bins >= 512 (every mode a node). Binned: 96 nodes. Rich, finite N, B:
    // every kernel of the DMFT enters. Observed difference ~1e-4; tolerance 1e-3 (spec: bins remove
    // truncation artefacts; the error is the midpoint rule in log k).
    const base = { ...HARD, modelSize: 32, batchSize: 8, featureLearning: 1, learningRate: 0.25, times: [3, 10, 30] };
    const exact = featureLearningDmft({ ...base, modes: 512, bins: 512 });
    expect(exact.meta.modes).toMatchObject({ nodes: 512, binnedNodes: 0 });
    const binned = featureLearningDmft({ ...base, modes: 512, bins: 96 });
    expect(binned.meta.modes.nodes).toBeLessThanOrEqual(96);
    const error = maxRelativeError(binned.loss, exact.loss);
    expect(error).toBeLessThan(1e-3);
    expect(error).toBeGreaterThan(0); // binning did happen
    // modes = Infinity: successive bin doublings shrink the change (second-order midpoint rule)
    const curves = [48, 96, 192].map((bins) => featureLearningDmft({ ...base, modes: Infinity, bins }).loss);
    const coarse = maxRelativeError(curves[0], curves[2]);
    const fine = maxRelativeError(curves[1], curves[2]);
    expect(fine).toBeLessThan(coarse / 2);
    expect(fine).toBeLessThan(1e-3);
    // and M = Infinity differs from M = 512 (the tail matters at finite N): not the same curve
    expect(maxRelativeError(curves[2], exact.loss)).toBeGreaterThan(1e-3);
  });
});

describe('featureLearningDmft: engines, validation, control', () => {
  it('gives the same bits on every engine (online rich with noise, and data reuse)', () => {
    const cases = [
      { ...HARD, modes: 33, modelSize: 9, batchSize: 5, featureLearning: 1.5, learningRate: 0.3, times: [0, 1, 7, 24] },
      { ...HARD, modes: 31, modelSize: 7, dataSize: 11, featureLearning: 1, learningRate: 0.3, times: [0, 2, 9, 19] },
    ];
    for (const options of cases) {
      const results = ENGINES.map((engine) => featureLearningDmft({ ...options, engine }));
      for (const result of results.slice(1)) {
        expect(Array.from(result.loss)).toEqual(Array.from(results[0].loss));
        if (result.trainLoss) expect(Array.from(result.trainLoss)).toEqual(Array.from(results[0].trainLoss!));
      }
      expect(results.map((result) => result.meta.engine)).toEqual([...ENGINES]);
    }
  });

  it('rejects bad options with ParameterError before any work', () => {
    const base = { ...HARD, modes: 16, modelSize: 8, batchSize: 4, learningRate: 0.2, times: [0, 5] };
    const bad: [Record<string, unknown>, string][] = [
      [{ colour: 1 }, 'colour'],
      [{ modelSize: 0 }, 'modelSize'],
      [{ modelSize: 2.5 }, 'modelSize'],
      [{ modelSize: undefined }, 'modelSize'],
      [{ learningRate: -1 }, 'learningRate'],
      [{ learningRate: undefined }, 'learningRate'],
      [{ batchSize: undefined }, 'batchSize'],
      [{ batchSize: 0 }, 'batchSize'],
      [{ dataSize: 10 }, 'batchSize'],
      [{ batchSize: undefined, dataSize: 10, sgdNoise: 'exact' }, 'sgdNoise'],
      [{ dataSize: 0.5, batchSize: undefined }, 'dataSize'],
      [{ sgdNoise: 'full' }, 'sgdNoise'],
      [{ bins: 4 }, 'bins'],
      [{ featureLearning: -1 }, 'featureLearning'],
      [{ featureLearning: NaN }, 'featureLearning'],
      [{ times: undefined }, 'times'],
      [{ times: [0, 9000] }, 'times'],
      [{ times: [0, 8000] }, 'times'], // memory budget of the 8000 x 8000 kernels
      [{ modes: Infinity, bins: 4096, times: [0, 2000] }, 'bins'], // memory budget of the packed H_k
      [{ engine: 'gpu' }, 'engine'],
      [{ alpha: 0.5, modes: Infinity }, 'alpha'],
    ];
    for (const [change, parameter] of bad) {
      let error: unknown;
      try {
        featureLearningDmft({ ...base, ...change } as never);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(change)).toBeInstanceOf(ParameterError);
      expect((error as ParameterError).parameter, JSON.stringify(change)).toBe(parameter);
    }
  });

  it('raises a clear error when the dynamics diverge instead of returning NaN', () => {
    // eta lambda_1 = 2.5 > 2: the lazy iteration blows up; a rich run at a large eta too.
    expect(() => featureLearningDmft({ ...HARD, modes: 16, modelSize: Infinity, batchSize: Infinity, learningRate: 2.5, times: [0, 200] }))
      .toThrowError(/diverges/);
    expect(() => featureLearningDmft({ ...HARD, modes: 32, modelSize: 16, batchSize: 2, featureLearning: 4, learningRate: 1.5, times: [0, 300] }))
      .toThrowError(ParameterError);
  });

  it('honours signal and timeLimit, and reports progress up to 1', () => {
    const options = { ...HARD, modes: Infinity, modelSize: 16, batchSize: 4, featureLearning: 1, learningRate: 0.2, times: [0, 150] };
    const controller = new AbortController();
    controller.abort();
    expect(() => featureLearningDmft({ ...options, signal: controller.signal })).toThrowError(AbortError);
    expect(() => featureLearningDmft({ ...options, timeLimit: 1e-3 })).toThrowError(AbortError);
    const fractions: number[] = [];
    const result = featureLearningDmft({ ...options, times: [0, 20], onProgress: (progress) => fractions.push(progress.fraction) });
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(result.meta).toMatchObject({ solver: 'featureLearningDmft', method: 'forward-in-time', variant: 'online', sweeps: 1 });
    expect(JSON.parse(JSON.stringify(result)).loss).toHaveLength(2);
  });
});

describe('featureLearningDmft: the damped fixed point of the spec (NumPy fixture)', () => {
  it('the forward-in-time solve equals the fixed point of §4.2 (vi) and of §4.3 as written (with H~_k)', async () => {
    // test/fixtures/fl-dmft-fixed-point.json from scripts/fixtures/fl_dmft_fixed_point.py: dense matrices,
    // every H_k inverted, the N side iterated, the loop damped to max |dL| < 1e-14 (83-108 sweeps). The
    // forward solver shares only the equations (and rewrites §4.3's C_g without H~_k), so agreement
    // to 1e-10 relative (rounding of two different algorithms) checks the causal order, the full
    // response R_z = R_0 Y, the exact noise and the data-reuse rewrite.
    const { readFileSync } = await import('node:fs');
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/fl-dmft-fixed-point.json', import.meta.url), 'utf8'));
    const times = Array.from({ length: fixture.steps }, (_, t) => t);
    const number = (value: number | string) => (value === 'Infinity' ? Infinity : value as number);
    for (const item of fixture.cases) {
      const common = { alpha: fixture.alpha, beta: fixture.beta, modes: fixture.modes, modelSize: number(item.modelSize),
        featureLearning: item.featureLearning, learningRate: item.learningRate, times };
      const result = item.variant === 'online'
        ? featureLearningDmft({ ...common, batchSize: number(item.batchSize), sgdNoise: item.sgdNoise })
        : featureLearningDmft({ ...common, dataSize: item.dataSize });
      expect(maxRelativeError(result.loss, item.loss), JSON.stringify({ ...item, loss: 0, trainLoss: 0 })).toBeLessThan(1e-10);
      if (item.trainLoss) expect(maxRelativeError(result.trainLoss!, item.trainLoss)).toBeLessThan(1e-10);
    }
  });
});

describe('featureLearningDmft: near the step-size limit', () => {
  it('warns when the online loss rises (rich, eta = 0.5, where the DMFT mean turns up while simulations keep falling)', () => {
    // Measured: N = 32, gamma = 1, eta = 0.5: the DMFT rises 0.207 -> 0.254 between t = 40 and 119, the
    // simulation mean (60 seeds) stays at 0.20-0.21; at eta = 0.25 (spec §4.6 "safe") it falls monotonically.
    const base = { alpha: 1.5, beta: 0.5, modes: 128, modelSize: 32, batchSize: Infinity, featureLearning: 1, times: [0, 119] };
    expect(featureLearningDmft({ ...base, learningRate: 0.5 }).meta.warnings).toHaveLength(1);
    expect(featureLearningDmft({ ...base, learningRate: 0.25 }).meta.warnings).toHaveLength(0);
  });
});
