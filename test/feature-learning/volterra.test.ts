// volterraSgd(): the N = infinity lazy SGD Volterra equation of spec feature-learning.md §3.7.
// Checks: both evaluation methods against the foundation's exact second-moment recursion
// (lazy({ optimizer: 'sgd' })); the forcing and kernel against their definitions; check F9
// (super-easy local exponents for B = Infinity, 1, 4, 16); the stability condition; validation.
import { beforeAll, describe, expect, it } from 'vitest';
import { thrown } from './thrown.js';
import { volterraSgd } from '../../src/feature-learning/volterra.js';
import { AbortError, initEngines, lazy, maxRelativeError, ParameterError, powerLaw } from '../helpers.js';

beforeAll(initEngines);

describe('volterraSgd', () => {
  it('equals the exact SGD recursion of lazy({ optimizer: "sgd" }) with both methods (1e-12)', () => {
    // Same mathematics, different computation: the recursion carries per-mode energies d_k
    // (WASM kernel of src/lazy/sgd.ts), the convolution method tabulates F and K and solves the
    // Volterra equation by forward substitution. Rounding differs: ~1e-14 observed, 1e-12 asked.
    const spectrum = { alpha: 1.5, beta: 0.5, modes: 128 };
    const times = [0, 1, 5, 20, 50, 100, 199, 1000, 3000];
    for (const batchSize of [1, 4, Infinity]) {
      const reference = lazy({ ...spectrum, optimizer: 'sgd', learningRate: 0.5, batchSize, times });
      const convolution = volterraSgd({ ...spectrum, learningRate: 0.5, batchSize, times, method: 'convolution' });
      const recursion = volterraSgd({ ...spectrum, learningRate: 0.5, batchSize, times });
      expect(maxRelativeError(convolution.loss, reference.loss), `B = ${batchSize}`).toBeLessThan(1e-12);
      expect(maxRelativeError(recursion.loss, reference.loss), `B = ${batchSize}`).toBeLessThan(1e-12);
      expect(maxRelativeError(recursion.localExponent.subarray(1), reference.localExponent.subarray(1))).toBeLessThan(1e-9);
    }
  });

  it('returns the forcing F(t) and kernel K(t) of §3.7 (and L = F without noise)', () => {
    const spectrum = { alpha: 2, beta: 1, modes: 50 };
    const { eigenvalues, targetPower } = powerLaw(spectrum);
    const times = [0, 3, 40];
    const result = volterraSgd({ ...spectrum, learningRate: 0.7, batchSize: 3, times });
    const contraction = (k: number) => (1 - 0.7 * eigenvalues[k]) ** 2 + (0.7 * eigenvalues[k]) ** 2 / 3;
    const forcing = times.map((t) => targetPower.reduce((sum, p, k) => sum + p * contraction(k) ** t, 0));
    const kernel = times.map((t) => eigenvalues.reduce((sum, l, k) => sum + l * l * contraction(k) ** t, 0));
    expect(maxRelativeError(result.forcing, forcing)).toBeLessThan(1e-13);
    expect(maxRelativeError(result.kernel, kernel)).toBeLessThan(1e-13);
    // the noise adds to the forcing: L > F after the first step
    expect(result.loss[1]).toBeGreaterThan(result.forcing[1] * 1.001);
    const noiseless = volterraSgd({ ...spectrum, learningRate: 0.7, batchSize: Infinity, times });
    expect(maxRelativeError(noiseless.loss, noiseless.forcing)).toBeLessThan(1e-14);
  });

  it('modes: Infinity matches lazy sgd on the same compression, and the compression converges', () => {
    const setup = { alpha: 1.5, beta: 0.5, modes: Infinity, learningRate: 0.5, batchSize: 4, times: [10, 100, 1000] };
    const reference = lazy({ ...setup, optimizer: 'sgd' });
    const result = volterraSgd(setup);
    // the two place their quadrature cut-offs at slightly different horizons: agree to the estimated error
    expect(maxRelativeError(result.loss, reference.loss)).toBeLessThan(1e-6);
    const coarse = volterraSgd({ ...setup, headModes: 64 });
    // head 64: the Euler-Maclaurin estimate of the compression is ~6e-5 relative here; observed 4.5e-6
    expect(maxRelativeError(coarse.loss, result.loss)).toBeLessThan(2e-5);
    expect(result.meta.spectrum.tailNodes).toBe(1);
  });

  it('check F9: super-easy local exponents over t in [1e4, 1e5] (alpha 2, beta 2, eta 0.5, M 2e4)', () => {
    // Spec F9: B = Infinity gives 2.000 +- 0.005 (= beta); finite B tends to 2 - 1/alpha = 1.5:
    // B = 1 within 1.5 +- 0.02; B = 4 and 16 between 1.5 and 1.65, decreasing with t.
    // M = 2e4 is represented by 256 exact modes + log-k quadrature (checked against 1024 below).
    const base = { alpha: 2, beta: 2, modes: 20000, headModes: 256, learningRate: 0.5, times: [1e4, 3e4, 1e5] };
    const exponent = (loss: Float64Array, from: number, to: number) => -Math.log(loss[to] / loss[from]) / Math.log(base.times[to] / base.times[from]);
    const runs = new Map([1, 4, 16, Infinity].map((batchSize) => [batchSize, volterraSgd({ ...base, batchSize }).loss]));
    expect(Math.abs(exponent(runs.get(Infinity)!, 0, 2) - 2)).toBeLessThan(0.005);
    expect(Math.abs(exponent(runs.get(1)!, 0, 2) - 1.5)).toBeLessThan(0.02);
    for (const batchSize of [4, 16]) {
      const loss = runs.get(batchSize)!;
      const whole = exponent(loss, 0, 2);
      expect(whole, `B = ${batchSize}`).toBeGreaterThan(1.5);
      expect(whole, `B = ${batchSize}`).toBeLessThan(1.65);
      expect(exponent(loss, 1, 2), `B = ${batchSize}: decreasing`).toBeLessThan(exponent(loss, 0, 1));
    }
    // larger B stays further above 1.5 in this window
    expect(exponent(runs.get(16)!, 0, 2)).toBeGreaterThan(exponent(runs.get(4)!, 0, 2));
    // the compression is converged at the level of these tolerances
    const finer = volterraSgd({ ...base, headModes: 1024, batchSize: 1 }).loss;
    expect(maxRelativeError(finer, runs.get(1)!)).toBeLessThan(1e-6);
  });

  it('refuses unstable learning rates (stability condition of §3.7) and other bad input', () => {
    const error = (options: object) => thrown(volterraSgd, options);
    const base = { alpha: 1.5, beta: 0.5, modes: 128, learningRate: 0.5, batchSize: 4, times: [1, 10] };
    // (eta/B) sum_k lambda_k / (2 - eta lambda_k (1 + 1/B)) >= 1 diverges: eta = 1.5, B = 1
    expect(error({ ...base, learningRate: 1.5, batchSize: 1 })).toMatchObject({ parameter: 'learningRate' });
    expect(error({ ...base, learningRate: 2.5, batchSize: Infinity })).toMatchObject({ parameter: 'learningRate' });
    const stable = volterraSgd(base);
    expect(stable.meta.stabilitySum).toBeGreaterThan(0);
    expect(stable.meta.stabilitySum).toBeLessThan(1);
    expect(error({ ...base, batchsize: 4 })).toBeInstanceOf(ParameterError);
    expect(error({ ...base, batchSize: 0 })).toMatchObject({ parameter: 'batchSize' });
    expect(error({ ...base, learningRate: undefined })).toMatchObject({ parameter: 'learningRate' });
    expect(error({ ...base, method: 'fft' })).toMatchObject({ parameter: 'method' });
    expect(error({ ...base, method: 'convolution', times: [1e6] })).toMatchObject({ parameter: 'times' });
    expect(error({ ...base, times: [0.5] })).toMatchObject({ parameter: 'times' });
    const controller = new AbortController();
    controller.abort();
    expect(error({ ...base, signal: controller.signal })).toBeInstanceOf(AbortError);
    expect(error({ ...base, modes: Infinity, times: [1e7], timeLimit: 5 })).toBeInstanceOf(AbortError);
  });
});
