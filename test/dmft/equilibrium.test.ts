// The t -> infinity limit of the DMFT (spec dmft-random-features.md §7(b), (c)) and the Gaussian-
// process mapping (§3 (iv)): checks D1, D2, D6, D7, D18 with the spec's reference numbers, the
// Bayes / Gibbs split against the exact finite-size solver's equilibrium, and the unit conversion.
import { beforeAll, describe, expect, it } from 'vitest';
import { dmftEquilibrium, exactFiniteSize, gaussianProcessToDynamics, initEngines, ParameterError } from '../helpers.js';

beforeAll(initEngines);

const P = 150;
const N = 300;
const eigenvalues = Array.from({ length: N }, (_, k) => (k + 1) ** -1.5);
const anisotropic = eigenvalues.map((l, k) => l * (k + 1) ** -0.7);
const relative = (a: number, b: number) => Math.abs(a / b - 1);

describe('dmftEquilibrium (spec §7(b))', () => {
  it('D1: ridgeless kappa_0, P kappa_0 and gamma_2 (1e-6 relative)', () => {
    const e = dmftEquilibrium({ eigenvalues, targetPower: eigenvalues, dataSize: P });
    expect(relative(e.kappa, 7.152351e-4)).toBeLessThan(1e-6);
    expect(relative(P * e.kappa, 0.1072853)).toBeLessThan(1e-6);
    expect(relative(e.gamma2, 0.6137228)).toBeLessThan(1e-6);
  });

  it('D2: flow t -> infinity = ridgeless KRR; bias = (1 - gamma_2) E_test (1e-5)', () => {
    const e = dmftEquilibrium({ eigenvalues, targetPower: eigenvalues, dataSize: P });
    expect(relative(e.loss / 2, 5.364263e-2)).toBeLessThan(1e-5);
    expect(relative(e.bias / 2, 2.072092e-2)).toBeLessThan(1e-5);
    expect(relative(e.bias, (1 - e.gamma2) * e.loss)).toBeLessThan(1e-12); // exact identity at T = sigma = 0
  });

  it('D6: equilibrium = Bayes: posterior-mean error + posterior variance = Gibbs error (1e-6)', () => {
    const options = { eigenvalues, targetPower: eigenvalues, dataSize: P, weightDecay: 0.5 / P, temperature: 0.05 / P, labelNoise: 0.1, initVariance: 0.2 };
    const e = dmftEquilibrium(options);
    expect(relative(e.ridgeLoss / 2, 0.1122062)).toBeLessThan(1e-6);
    expect(relative(e.posteriorVariance / 2, 0.0153324)).toBeLessThan(1e-5); // spec gives 6 digits: 1.53324e-2
    expect(relative(e.gibbsLoss / 2, 0.1275385)).toBeLessThan(1e-6);
    expect(e.loss).toBe(e.gibbsLoss); // weight decay > 0: the initialisation is forgotten
    // posterior variance written as "kappa times the effective dimension": (T/gamma) kappa_0 sum lambda/(lambda + kappa_0)
    const effective = eigenvalues.reduce((a, l) => a + l / (l + e.kappa), 0);
    expect(relative(e.posteriorVariance, (0.05 / 0.5) * e.kappa * effective * 1)).toBeLessThan(1e-10);
    // against the exact solver's Gibbs posterior (20 seeds, finite-N O(1/N)): measured 0.2%
    const exact = exactFiniteSize({ ...options, times: [1], seeds: 20 });
    expect(relative(e.bayes, exact.equilibrium.bayes)).toBeLessThan(0.01);
    expect(relative(e.posteriorVariance, exact.equilibrium.posteriorVariance)).toBeLessThan(0.01);
    expect(relative(e.trainLoss, exact.equilibrium.trainLoss)).toBeLessThan(0.01);
  });

  it('D7: flow + weight decay -> ridge with lambda_ridge = gamma / P (1e-6)', () => {
    const e = dmftEquilibrium({ eigenvalues, targetPower: anisotropic, dataSize: P, weightDecay: 0.5 / P, labelNoise: 0.1 });
    expect(relative(e.loss / 2, 1.632882e-2)).toBeLessThan(1e-6);
    expect(e.posteriorVariance).toBe(0);
  });

  it('D18: double-descent divergences as weightDecay -> 0 with N < P (O(1/P))', () => {
    const [n, p, T, noise] = [100, 200, 0.01, 0.1];
    const e = dmftEquilibrium({ alpha: 1.5, beta: 0.5, modes: n, dataSize: p, temperature: T, labelNoise: noise, weightDecay: 1e-9 });
    // sum units (T/2) N/(P - N) -> package P T_m N/(P - N); label noise 1/2 sigma^2 N/(P - N) -> sigma^2 N/(P - N)
    expect(relative(e.varianceParts.thermal, p * T * n / (p - n))).toBeLessThan(1 / p);
    expect(relative(e.varianceParts.labelNoise, noise * n / (p - n))).toBeLessThan(1 / p);
    expect(relative(e.gamma2, n / p)).toBeLessThan(1 / p);
    // exactly at weightDecay = 0 the limits are the closed forms; both diverge as N -> P
    const zero = dmftEquilibrium({ alpha: 1.5, beta: 0.5, modes: n, dataSize: p, temperature: T, labelNoise: noise });
    expect(zero.kappa).toBe(0);
    expect(relative(zero.varianceParts.thermal, p * T * n / (p - n))).toBeLessThan(1e-12);
    expect(relative(zero.varianceParts.labelNoise, noise * n / (p - n))).toBeLessThan(1e-12);
    expect(relative(zero.trainLoss, noise * (1 - n / p) + T * n)).toBeLessThan(1e-12); // least-squares residual + thermal
    const near = [150, 190, 199].map((size) => dmftEquilibrium({ alpha: 1.5, beta: 0.5, modes: size, dataSize: p, labelNoise: noise }).varianceParts.labelNoise);
    expect(near[0]).toBeLessThan(near[1]);
    expect(near[1]).toBeLessThan(near[2]);
    const atP = dmftEquilibrium({ alpha: 1.5, beta: 0.5, modes: p, dataSize: p, labelNoise: noise, temperature: T });
    expect(atP.varianceParts.labelNoise).toBe(Infinity);
    expect(atP.varianceParts.thermal).toBe(Infinity);
  });

  it('Langevin without weight decay, N > P: unbounded (Infinity) with growth rate 2 T P kappa_0 (spec §7(c))', () => {
    const e = dmftEquilibrium({ eigenvalues, targetPower: eigenvalues, dataSize: P, temperature: 0.05 / P });
    expect(e.loss).toBe(Infinity);
    expect(e.posteriorVariance).toBe(Infinity);
    expect(e.lossGrowthRate).toBeCloseTo(2 * (0.05 / P) * P * e.kappa, 15);
    expect(Number.isFinite(e.ridgeLoss)).toBe(true);
    expect(Number.isFinite(e.trainLoss)).toBe(true);
    // random initialisation without weight decay: the null space keeps sigma_0^2 P kappa_0 of its Lambda-weight
    const init = dmftEquilibrium({ eigenvalues, targetPower: eigenvalues, dataSize: P, initVariance: 0.2 });
    expect(init.varianceParts.initialisation).toBeCloseTo(0.2 * P * init.kappa, 15);
  });

  it('modelSize and modes: Infinity; cheap enough for sweeps', () => {
    const started = performance.now();
    for (const modelSize of [50, 100, 149, 151, 200, 400, 1e6]) {
      const e = dmftEquilibrium({ alpha: 1.5, beta: 0.4, modes: Infinity, modelSize, dataSize: 150, labelNoise: 0.05, weightDecay: 1e-4 });
      expect(Number.isFinite(e.loss)).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(500); // measured ~20 ms for 7 calls
    // against exactFiniteSize with modelSize < modes (outside power: floor + label noise)
    const options = { alpha: 1.5, beta: 0.4, modes: 400, modelSize: 100, dataSize: 150, labelNoise: 0.05, weightDecay: 0.01 };
    const exact = exactFiniteSize({ ...options, times: [1], seeds: 20 });
    const e = dmftEquilibrium(options);
    expect(relative(e.loss, exact.equilibrium.loss)).toBeLessThan(0.01); // finite N = 100: O(1/N)
  });

  it('validates its options', () => {
    expect(() => dmftEquilibrium({ alpha: 1.5, beta: 0.5, dataSize: 0 })).toThrow(ParameterError);
    expect(() => dmftEquilibrium({ alpha: 1.5, beta: 0.5, dataSize: 10, extra: 1 } as never)).toThrow(/extra/);
    expect(() => dmftEquilibrium({ alpha: 1.5, beta: 0.5, dataSize: 10, learningRate: 100 })).toThrow(/learningRate.*diverges/s);
  });
});

describe('gaussianProcessToDynamics (spec §3 (iv))', () => {
  it('maps prior and likelihood variances to weightDecay and temperature in package units', () => {
    // sum loss: T = sigma_lik^2, gamma = sigma_lik^2 / sigma_prior^2; package: divide both by P
    expect(gaussianProcessToDynamics({ priorVariance: 1, likelihoodNoise: 0.1, dataSize: 100 })).toEqual({ weightDecay: 0.001, temperature: 0.001 });
    const { weightDecay, temperature } = gaussianProcessToDynamics({ priorVariance: 2, likelihoodNoise: 0.3, dataSize: 150 });
    expect(weightDecay).toBeCloseTo(0.3 / 2 / 150, 15);
    expect(temperature).toBeCloseTo(0.3 / 150, 15);
    expect(temperature / weightDecay).toBeCloseTo(2, 12); // prior variance = T / gamma in either units
  });

  it('its Gibbs equilibrium is the GP posterior: posterior-mean error = ridge regression with ridge sigma_lik^2 / sigma_prior^2', () => {
    // GP posterior mean = kernel ridge with ridge sigma^2/sigma_p^2 in the sum loss, i.e. lambda_ridge = that / P
    const gp = gaussianProcessToDynamics({ priorVariance: 1, likelihoodNoise: 0.2, dataSize: P });
    const posterior = dmftEquilibrium({ eigenvalues, targetPower: anisotropic, dataSize: P, labelNoise: 0.2, ...gp });
    const ridge = dmftEquilibrium({ eigenvalues, targetPower: anisotropic, dataSize: P, labelNoise: 0.2, weightDecay: 0.2 / P });
    expect(relative(posterior.ridgeLoss, ridge.loss)).toBeLessThan(1e-14);
    // posterior variance E_x Sigma(x, x) = T psi^T (G + gamma)^-1 psi averaged: against the exact solver's Gibbs part
    const exact = exactFiniteSize({ eigenvalues, targetPower: anisotropic, dataSize: P, labelNoise: 0.2, ...gp, times: [1], seeds: 20 });
    expect(relative(posterior.posteriorVariance, exact.equilibrium.posteriorVariance)).toBeLessThan(0.01);
  });

  it('rejects bad input', () => {
    expect(() => gaussianProcessToDynamics({ priorVariance: 0, likelihoodNoise: 1, dataSize: 10 })).toThrow(/priorVariance/);
    expect(() => gaussianProcessToDynamics({ priorVariance: 1, likelihoodNoise: -1, dataSize: 10 })).toThrow(/likelihoodNoise/);
    expect(() => gaussianProcessToDynamics({ priorVariance: 1, likelihoodNoise: 1, dataSize: 1.5 })).toThrow(/dataSize/);
    expect(() => gaussianProcessToDynamics({ priorVariance: 1, likelihoodNoise: 1, dataSize: 10, x: 1 } as never)).toThrow(/x/);
  });
});
