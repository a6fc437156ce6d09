// dmft() (spec dmft-random-features.md §5-§7, §10) against the exact finite-size solver
// (exactFiniteSize, §4, averaged over 20 data seeds) and the spec's checks D3, D4, D5, D8, D9,
// D10, D11, D12, D13 (§11) at their tolerances, in package units (spec "Mapping": t_m = P t,
// weightDecay = gamma / P, temperature = T / P, loss = 2 E_test, trainLoss = 2 E_train), plus
// modelSize < modes, modes: Infinity, validation and RunControl.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortError, dmft, exactFiniteSize, initEngines, maxRelativeError, ParameterError } from '../helpers.js';
import { prepareDmft } from '../../src/dmft/solver.js';

beforeAll(initEngines);

const P = 150;
const N = 300;
/** lambda_k = k^-1.5 (b = 1.5, lambda_1 = 1), spec §11 conventions. */
const eigenvalues = Array.from({ length: N }, (_, k) => (k + 1) ** -1.5);
/** Anisotropic teacher omega_k = k^-0.7: target power p_k = lambda_k omega_k. */
const anisotropic = eigenvalues.map((l, k) => l * (k + 1) ** -0.7);
/** Teacher from the prior, omega_k = 1. */
const isotropic = eigenvalues.slice();
/** Sum-loss times of the spec -> package times t_m = P t. */
const packageTimes = (times: number[]) => Float64Array.from(times, (t) => t * P);

/** Gamma function (Lanczos, |error| < 1e-14 on (0, 10)). */
function gammaFunction(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFunction(1 - x));
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return Math.sqrt(2 * Math.PI) * t ** (y + 0.5) * Math.exp(-t) * a;
}

describe('dmft against the exact finite-size solver (spec §11)', () => {
  it('D3: gradient flow, anisotropic teacher, N = 300, P = 150: <= 1.5% at t = 0.1, 1, 1000', () => {
    const times = packageTimes([0.1, 1, 1000]);
    const options = { eigenvalues, targetPower: anisotropic, dataSize: P, times };
    const result = dmft(options);
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    // Measured: 1.06%, 0.28%, 0.10%. The spec's tolerance is the finite-N deviation (O(1/N)) at t = 0.1.
    expect(maxRelativeError(result.loss, exact.loss)).toBeLessThan(0.015);
    // the bias (per-mode inversion) against the exact data-averaged predictor: same finite-N tolerance
    expect(maxRelativeError(result.bias, exact.bias)).toBeLessThan(0.015);
    expect(result.meta.teacherTransform).toBe('2-D');
  });

  it('D4: N = 1200, P = 600 against a committed NumPy exact simulation (20 seeds): <= 0.5%', () => {
    // scripts/fixtures/dmft-d4-exact.py: the live exact solver takes ~3 s per seed at this size.
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/dmft-d4-exact.json', import.meta.url), 'utf8')) as
      { times: number[]; loss: number[]; standardError: number[] };
    const big = Array.from({ length: 1200 }, (_, k) => (k + 1) ** -1.5);
    const result = dmft({ eigenvalues: big, targetPower: big.map((l, k) => l * (k + 1) ** -0.7), dataSize: 600, times: fixture.times });
    // Measured: 0.27%, 0.11%, 0.06% (seed standard errors 0.15%, 0.09%, 0.10%).
    expect(maxRelativeError(result.loss, fixture.loss)).toBeLessThan(0.005);
  });

  it('D5: Langevin + weight decay + label noise + random init: <= 0.6% at t = 0.01, 1, 1000', () => {
    const times = packageTimes([0.01, 1, 1000]);
    const options = { eigenvalues, targetPower: isotropic, dataSize: P, weightDecay: 0.5 / P, temperature: 0.05 / P, labelNoise: 0.1, initVariance: 0.2, times };
    const result = dmft(options);
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    // Measured: 0.23%, 0.18%, 0.18%.
    expect(maxRelativeError(result.loss, exact.loss)).toBeLessThan(0.006);
    // the thermal, label-noise and initialisation parts separately (same finite-N tolerance)
    expect(maxRelativeError(result.varianceParts.thermal, exact.varianceParts.thermal)).toBeLessThan(0.006);
    expect(maxRelativeError(result.varianceParts.labelNoise, exact.varianceParts.labelNoise)).toBeLessThan(0.01);
    expect(maxRelativeError(result.varianceParts.initialisation, exact.varianceParts.initialisation)).toBeLessThan(0.01);
    // D6 on the curve: E_test(10^3) = 0.1275385 (spec's reference digits, 1e-6)
    expect(result.loss[2] / 2).toBeCloseTo(0.1275385, 6);
  });

  it('D7: flow + weight decay -> ridge; within 1% of the simulation at t = 10^3', () => {
    const times = packageTimes([1000]);
    const options = { eigenvalues, targetPower: anisotropic, dataSize: P, weightDecay: 0.5 / P, labelNoise: 0.1, times };
    const result = dmft(options);
    // spec: 1.632882e-2 (static formula) = DMFT at t = 10^3, 1e-6; simulation 1.64486e-2 within 1%
    expect(Math.abs(result.loss[0] / 2 / 1.632882e-2 - 1)).toBeLessThan(1e-6);
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    expect(Math.abs(result.loss[0] / exact.loss[0] - 1)).toBeLessThan(0.01);
  });

  it('D9: Langevin, weightDecay = 0, N > P: late slope T P kappa_0 (1e-4), and against the simulation (1%)', () => {
    const times = packageTimes([100, 1000]);
    const options = { eigenvalues, targetPower: isotropic, dataSize: P, temperature: 0.05 / P, times };
    const result = dmft(options);
    const kappa0 = result.equilibrium.kappa;
    // dE_test/dt in sum units: [E(10^3) - E(10^2)] / 900 with E = loss / 2
    const slope = (result.loss[1] - result.loss[0]) / 2 / 900;
    expect(Math.abs(slope / (0.05 * P * kappa0) - 1)).toBeLessThan(1e-4); // measured 1.4e-5
    expect(result.equilibrium.loss).toBe(Infinity);
    expect(result.equilibrium.lossGrowthRate).toBeCloseTo(2 * (0.05 / P) * P * kappa0, 14); // package: dL/dt_m
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    const exactSlope = (exact.loss[1] - exact.loss[0]) / 2 / 900;
    expect(Math.abs(exactSlope / slope - 1)).toBeLessThan(0.01);
  });

  it('D11: training error, flow with label noise: <= 0.5% at t = 1, 10; < 1e-10 at t = 10^3', () => {
    const times = packageTimes([1, 10, 1000]);
    const options = { eigenvalues, targetPower: isotropic, dataSize: P, labelNoise: 0.1, times };
    const result = dmft(options);
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    // Measured: 0.055%, 0.19%; interpolation at t = 10^3 (N > P).
    expect(maxRelativeError(result.trainLoss.subarray(0, 2), exact.trainLoss.subarray(0, 2))).toBeLessThan(0.005);
    expect(Math.abs(result.trainLoss[2])).toBeLessThan(2e-10); // 2 E_train < 2 x 1e-10
  });

  it('D12: training error with weight decay, anisotropic teacher: <= 0.5% at t = 10^3', () => {
    const times = packageTimes([1, 1000]);
    const options = { eigenvalues, targetPower: anisotropic, dataSize: P, weightDecay: 0.5 / P, labelNoise: 0.1, times };
    const result = dmft(options);
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    // Measured 0.04% at t = 10^3 and 0.01% at t = 1 (the 2-D G-weighted transform, derived here).
    expect(maxRelativeError(result.trainLoss, exact.trainLoss)).toBeLessThan(0.005);
    // and its t -> infinity value from the static formula
    expect(Math.abs(result.trainLoss[1] / result.equilibrium.trainLoss - 1)).toBeLessThan(1e-6);
  });

  it('modelSize < modes: outside power as label noise in training and a constant in test (spec §2)', () => {
    const options = { alpha: 1.5, beta: 0.4, modes: 400, modelSize: 100, dataSize: P, weightDecay: 0.01, temperature: 1e-4, labelNoise: 0.05, times: [1, 30, 1e5] };
    const result = dmft(options);
    const exact = exactFiniteSize({ ...options, seeds: 20 });
    expect(result.meta.outsidePower).toBeCloseTo(exact.meta.outsidePower, 14);
    // N = 100 is small: finite-N deviations O(1/N) ~ 1% (measured 0.15%, 0.5%, 0.5% on loss; 0.5% on the thermal part)
    expect(maxRelativeError(result.loss, exact.loss)).toBeLessThan(0.01);
    expect(maxRelativeError(result.trainLoss, exact.trainLoss)).toBeLessThan(0.01);
    expect(maxRelativeError(result.varianceParts.thermal, exact.varianceParts.thermal)).toBeLessThan(0.01);
    expect(maxRelativeError(result.varianceParts.labelNoise, exact.varianceParts.labelNoise)).toBeLessThan(0.01);
  });
});

describe('dmft identities', () => {
  it('D8: Ward identity, the 2-D product rule equals the 1-D formula for an isotropic teacher (1e-9)', () => {
    const options = { eigenvalues, targetPower: isotropic, dataSize: P, weightDecay: 0.5 / P, labelNoise: 0.1, engine: 'js' as const };
    const times = packageTimes([0.3, 3, 30]);
    const one = prepareDmft(options);
    const two = prepareDmft(options, { teacherTransform: '2d' });
    const a = one.evaluate(times);
    const b = two.evaluate(times);
    expect(one.isotropic).toBe(true);
    expect(maxRelativeError(b.loss, a.loss)).toBeLessThan(1e-9); // measured 1.3e-10
    expect(maxRelativeError(b.trainLoss, a.trainLoss)).toBeLessThan(1e-9);
    // the spec's digits at t = 3: 0.1051658370113 (2-D) vs 0.1051658370194 (1-D), without label noise
    const plain = prepareDmft({ ...options, labelNoise: 0 }).evaluate(packageTimes([3]));
    expect(Math.abs(plain.loss[0] / 2 / 0.1051658370194 - 1)).toBeLessThan(1e-9);
  });

  it('D10: E_test(0) and dE_test/dt(0) exact identities (1e-4 by a difference at t = 1e-6)', () => {
    const options = { eigenvalues, targetPower: anisotropic, dataSize: P, weightDecay: 0.3 / P, temperature: 0.05 / P, initVariance: 0.2 };
    const h = 1e-6;
    const result = dmft({ ...options, times: packageTimes([0, h, 2 * h]) });
    const sum = (f: (l: number, k: number) => number) => eigenvalues.reduce((a, l, k) => a + f(l, k), 0);
    const start = 0.5 * sum((l, k) => anisotropic[k] + 0.2 * l);
    const derivative = -P * sum((l, k) => l * anisotropic[k]) - 0.2 * sum((l) => l * (P * l + 0.3)) + 0.05 * sum((l) => l);
    expect(result.loss[0] / 2).toBeCloseTo(start, 14);
    // Richardson-extrapolated forward differences 2 D(h) - D(2h) remove the O(h) curvature error
    // (1.4e-4 for D(h) alone here); measured 1e-6
    const slope = (step: number, index: number) => (result.loss[index] - result.loss[0]) / 2 / step;
    expect(Math.abs((2 * slope(h, 1) - slope(2 * h, 2)) / derivative - 1)).toBeLessThan(1e-4);
  });

  it('D13: OU lazy power law, loss (2t)^beta -> Gamma(beta)/alpha for P -> infinity (1%)', () => {
    // package units: (a_t - 1)/b = beta, E (2Pt)^beta -> Gamma(beta)/(2b) becomes L (2 t_m)^beta -> Gamma(beta)/alpha;
    // P = 2^26 keeps the learned modes (~(2t)^(1/alpha) <= 500) far below P; modes: Infinity (no truncation)
    for (const beta of [0.5, 1.2]) {
      const times = [1e3, 1e4];
      const result = dmft({ alpha: 1.5, beta, modes: Infinity, dataSize: 2 ** 26, times });
      for (let j = 0; j < times.length; j++) {
        expect(Math.abs(result.loss[j] * (2 * times[j]) ** beta / (gammaFunction(beta) / 1.5) - 1)).toBeLessThan(0.01); // measured < 4e-5
      }
    }
  });

  it('weight decay limit: flow + weight decay at large t equals the ridge (static) formula', () => {
    const result = dmft({ alpha: 1.5, beta: 0.3, modes: 2000, dataSize: 400, weightDecay: 1e-3, labelNoise: 0.02, times: [1e7] });
    expect(Math.abs(result.loss[0] / result.equilibrium.ridgeLoss - 1)).toBeLessThan(1e-8);
    expect(Math.abs(result.trainLoss[0] / result.equilibrium.trainLoss - 1)).toBeLessThan(1e-8);
    expect(maxRelativeError([result.bias[0]], [result.equilibrium.bias])).toBeLessThan(1e-8);
  });

  it('modes: Infinity is the limit of large finite M; refining the compression changes nothing', () => {
    const base = { alpha: 1.5, beta: 0.4, dataSize: 500, times: [10, 1e3, 1e5] };
    const infinite = dmft({ ...base, modes: Infinity });
    const large = dmft({ ...base, modes: 1e12 });
    // the tail beyond 10^12 carries target power ~ 10^-7.2 and trace ~ 10^-6: relative effect < 1e-5
    expect(maxRelativeError(large.loss, infinite.loss)).toBeLessThan(1e-5);
    // compression check by refinement (spec §10 step 1): more exact modes and half the panel width
    const options = { ...base, modes: 1e7 };
    const coarse = prepareDmft(options).evaluate(Float64Array.from(base.times));
    const fine = prepareDmft(options, { headModes: 1024, panelsPerOctave: 2 }).evaluate(Float64Array.from(base.times));
    // quadrature error after the 256 exact modes (Euler-Maclaurin g'/24 corrected; next term g'''/720)
    // measured 2.2e-9 (the 2-D Talbot round-off is of the same order)
    expect(maxRelativeError(coarse.loss, fine.loss)).toBeLessThan(1e-8);
    expect(maxRelativeError(coarse.bias, fine.bias)).toBeLessThan(1e-8);
    // the reported quadrature estimate (g'''/720 term) is far below the Talbot round-off that dominates the difference above
    const estimate = dmft({ ...options }).meta.compression.errorEstimate;
    expect(estimate).toBeGreaterThan(0);
    expect(estimate).toBeLessThan(1e-10);
    // and against the uncompressed sums (custom spectrum with every mode) at M = 3e4
    const M = 30_000;
    const explicit = {
      eigenvalues: Array.from({ length: M }, (_, k) => (k + 1) ** -1.5),
      targetPower: Array.from({ length: M }, (_, k) => (k + 1) ** -(1.5 * 0.4 + 1)),
    };
    const exactModes = dmft({ ...explicit, dataSize: 500, times: base.times });
    const compressed = dmft({ ...base, modes: M });
    // measured 3e-9: the 2-D product rule's round-off (~1e-9 relative at 48 nodes) dominates the quadrature error
    expect(maxRelativeError(compressed.loss, exactModes.loss)).toBeLessThan(1e-8);
    // the training loss falls towards 0 (interpolation, N > P): compare on the scale of its start
    for (let j = 0; j < 3; j++) expect(Math.abs(compressed.trainLoss[j] - exactModes.trainLoss[j])).toBeLessThan(1e-8 * exactModes.trainLoss[0]);
  });

  it('Talbot node count: 24 and 32 nodes agree with the default 48 (1e-8)', () => {
    const options = { eigenvalues, targetPower: anisotropic, dataSize: P, weightDecay: 0.1 / P, temperature: 0.01 / P, times: [1, 100, 1e4] };
    const reference = dmft(options);
    expect(maxRelativeError(dmft({ ...options, talbotNodes: 32 }).loss, reference.loss)).toBeLessThan(1e-8);
    // measured 3e-10 (the 2-D rule's round-off, ~e^(0.34 M_T) x 1e-16, dominates at 48 nodes)
    expect(maxRelativeError(dmft({ ...options, talbotNodes: 24 }).loss, reference.loss)).toBeLessThan(1e-8);
    expect(() => dmft({ ...options, talbotNodes: 66 })).toThrow(/talbotNodes/);
  });

  it('decomposition: loss = bias + variance parts; t = 0 exact; equilibrium entries', () => {
    const result = dmft({ alpha: 1.5, beta: 0.5, modes: 500, modelSize: 300, dataSize: 200, weightDecay: 1e-3, temperature: 1e-4, labelNoise: 0.1, initVariance: 0.1, includeNoise: true, times: [0, 1, 10, 100] });
    for (let j = 0; j < 4; j++) {
      const parts = result.varianceParts;
      expect(result.loss[j]).toBeCloseTo(result.bias[j] + parts.data[j] + parts.labelNoise[j] + parts.thermal[j] + parts.initialisation[j] + 0.1, 12);
      expect(result.variance[j]).toBeCloseTo(result.loss[j] - 0.1 - result.bias[j], 12);
    }
    expect(result.varianceParts.data[0]).toBe(0);
    expect(result.trainLoss[0]).toBeGreaterThan(0.1);
    expect(Array.from(result.localExponents).every((x) => Number.isNaN(x) || Number.isFinite(x))).toBe(true);
    expect(result.earlyStopping).toBeNull();
    const json = JSON.parse(JSON.stringify(result));
    expect(json.meta.solver).toBe('dmft');
    expect(json.loss).toHaveLength(4);
  });

  it('earlyStopping: the interior minimum of a Langevin curve (spec §8), against a dense scan', () => {
    const options = { alpha: 2, beta: 0.5, modes: 4000, dataSize: 250, temperature: 0.01 / 250, times: { from: 10, to: 1e6, count: 9, spacing: 'log' as const } };
    const result = dmft({ ...options, earlyStopping: true });
    expect(result.earlyStopping).not.toBeNull();
    const dense = dmft({ ...options, times: { from: 1e3, to: 1e5, count: 161, spacing: 'log' } });
    let best = 0;
    for (let j = 1; j < dense.loss.length; j++) if (dense.loss[j] < dense.loss[best]) best = j;
    // the dense grid resolves t* to its spacing (ln ratio 0.029) and L* to second order in it
    expect(Math.abs(Math.log(result.earlyStopping!.time / dense.times[best]))).toBeLessThan(0.03);
    expect(result.earlyStopping!.loss).toBeLessThanOrEqual(dense.loss[best] * (1 + 1e-12));
    expect(result.earlyStopping!.loss).toBeGreaterThan(dense.loss[best] * (1 - 1e-3));
  });
});

describe('dmft validation and control', () => {
  const base = { alpha: 1.5, beta: 0.5, modes: 300, dataSize: 150 };
  it('rejects bad options with ParameterError', () => {
    expect(() => dmft({ ...base, banana: 1 } as never)).toThrow(ParameterError);
    expect(() => dmft({ ...base, dataSize: 0 })).toThrow(/dataSize/);
    expect(() => dmft({ ...base, modelSize: 301 })).toThrow(/modelSize/);
    expect(() => dmft({ ...base, weightDecay: -1 })).toThrow(/weightDecay/);
    expect(() => dmft({ ...base, temperature: NaN })).toThrow(/temperature/);
    expect(() => dmft({ ...base, talbotNodes: 47 })).toThrow(/talbotNodes/);
    expect(() => dmft({ ...base, talbotNodes: 4 })).toThrow(/talbotNodes/);
    expect(() => dmft({ ...base, times: [-1, 2] })).toThrow(/times/);
    expect(() => dmft({ ...base, earlyStopping: 'yes' as never })).toThrow(/earlyStopping/);
    expect(() => dmft({ ...base, engine: 'gpu' as never })).toThrow(ParameterError);
    expect(() => dmft({ ...base, eigenvalues: [1], targetPower: [1] })).toThrow(ParameterError);
  });

  it('honours signal and timeLimit', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => dmft({ ...base, signal: controller.signal })).toThrow(AbortError);
    expect(() => dmft({ ...base, modes: Infinity, times: { from: 1, to: 1e6, count: 2000, spacing: 'log' }, timeLimit: 1 })).toThrow(AbortError);
    let calls = 0;
    dmft({ ...base, onProgress: () => { calls++; } });
    expect(calls).toBeGreaterThan(0);
  });

  it('performance: N = 1e4 modes, 100 times well under a second', () => {
    dmft({ alpha: 1.5, beta: 0.5, modes: 1e4, dataSize: 1000, times: 'log:1:1e5:100' }); // warm-up
    const started = performance.now();
    const result = dmft({ alpha: 1.5, beta: 0.5, modes: 1e4, dataSize: 1000, times: 'log:1:1e5:100' });
    const elapsed = performance.now() - started;
    // measured ~0.2-0.3 s on the 2-core CI machine; the bound leaves room for a loaded machine
    expect(elapsed).toBeLessThan(1500);
    expect(result.meta.compression.nodes).toBeLessThan(400);
  });
});
