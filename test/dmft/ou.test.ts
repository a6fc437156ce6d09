// The population (OU) limit (src/dmft/ou.ts; spec dmft-random-features.md §7(a), §8): check D15
// with every number the spec quotes, the third-party formula of §1.2, the stopping equations of §8
// solved independently in the spec's sum units, the continuum closed forms against large-P
// numerics, and the P -> infinity limit of the exact finite-size solver.
import { beforeAll, describe, expect, it } from 'vitest';
import { gamma, ouContinuumStopping, ouLimit } from '../../src/dmft/ou.js';
import { exactFiniteSize, initEngines, lazy, maxRelativeError, ParameterError } from '../helpers.js';

beforeAll(initEngines);

const relative = (a: number, b: number) => Math.abs(a / b - 1);
/** lambda_k = k^-b for k = 1..N (the spec's checks, lambda_1 = 1). */
const spectrum = (N: number, b: number) => Float64Array.from({ length: N }, (_, k) => (k + 1) ** -b);

/** Root of f on [lo, hi] (f(lo) < 0 < f(hi)) by bisection in ln t. */
function bisect(f: (t: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

describe('D15: OU early stopping, teacher-student alpha_K = 1 (b = 2), omega = 1, T = 0.01, N = 2e4', () => {
  // spec §8 table / §11 D15, sum-loss units: t* and E*; package: t_m = P t, L = 2 E, T_m = T/P.
  const reference = [
    { P: 250, time: 25.16, loss: 7.879e-3 },
    { P: 1000, time: 25.32, loss: 3.923e-3 },
    { P: 4000, time: 25.66, loss: 1.943e-3 },
  ];
  const found = reference.map(({ P }) => ouLimit({
    alpha: 2, beta: 0.5, modes: 20000, dataSize: P, temperature: 0.01 / P, times: [P * 0.25, P * 2500],
  }).earlyStopping!);

  it.each(reference.map((row, i) => [row.P, row, i] as const))('P = %i: t* and E* as the spec prints them', (_P, row, i) => {
    const { P, time, loss } = row;
    // spec tolerance t* ±1%, E* ±0.5%; the values agree to the printed digits (half a unit in the last one)
    expect(Math.abs(found[i].time / P - time)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(found[i].loss / 2 - loss)).toBeLessThanOrEqual(0.0005e-3);
  });

  it('E* slopes per factor 4 in P are 0.503 and 0.507 (predicted alpha_K/(1 + alpha_K) = 0.5)', () => {
    const slope = (i: number) => Math.log(found[i].loss / found[i + 1].loss) / Math.log(4);
    // the spec prints three digits: ±1e-3
    expect(Math.abs(slope(0) - 0.503)).toBeLessThan(1e-3);
    expect(Math.abs(slope(1) - 0.507)).toBeLessThan(1e-3);
  });

  it('continuum t* = alpha_K/(2T(1 + alpha_K)) = 25, and t*_m = (1 - 1/alpha)/(2 T_m) in package units', () => {
    for (const P of [250, 1000, 4000]) {
      const continuum = ouContinuumStopping({ alpha: 2, beta: 0.5, dataSize: P, temperature: 0.01 / P });
      expect(relative(continuum.time / P, 25)).toBeLessThan(1e-14);
      expect(continuum.lossExponent).toBeCloseTo(0.5, 15);
    }
  });

  it('the curve is the third-party formula R(t) = 1/2 sum eta e^(-2Pt eta) + (T/2P) sum (1 - e^(-2Pt eta)) of spec §1.2', () => {
    const P = 1000;
    const T = 0.01;
    const eta = spectrum(20000, 2);
    const times = [0.01, 1, 25, 1e3, 1e5];
    // headModes: every one of the 20000 modes summed exactly (no quadrature)
    const r = ouLimit({ alpha: 2, beta: 0.5, modes: 20000, headModes: 20000, dataSize: P, temperature: T / P, times: times.map((t) => P * t) });
    const formula = times.map((t) => eta.reduce((s, e) => s + 0.5 * e * Math.exp(-2 * P * t * e) + (T / (2 * P)) * -Math.expm1(-2 * P * t * e), 0));
    // the same sums in another order: round-off only
    expect(maxRelativeError(r.loss.map((x) => x / 2), formula)).toBeLessThan(1e-12);
    expect(maxRelativeError(r.bias.map((x) => x / 2), times.map((t) => eta.reduce((s, e) => s + 0.5 * e * Math.exp(-2 * P * t * e), 0)))).toBeLessThan(1e-12);
  });
});

describe('stopping equations of spec §8, solved independently in sum units', () => {
  const b = 2;
  const lambda = spectrum(5000, b);
  const omega = lambda.map((l, k) => (k + 1) ** -1.5 / l); // lambda_k omega_k = k^-a_t, a_t = 1.5 (hard task, beta = 0.25)
  const P = 300;

  it('temperature: P sum lambda^2 omega e^(-2P lambda t) = T sum lambda e^(-2P lambda t)', () => {
    const T = 0.02;
    const f = (t: number) => lambda.reduce((s, l, k) => s + (T * l - P * l * l * omega[k]) * Math.exp(-2 * P * l * t), 0);
    const t = bisect(f, 1e-4, 1e4);
    const r = ouLimit({ eigenvalues: lambda, targetPower: lambda.map((l, k) => l * omega[k]), dataSize: P, temperature: T / P, times: [1e-2, 1e7] });
    // bisection of dL/dt to 1e-13 in ln t on both sides: 1e-9 relative
    expect(relative(r.earlyStopping!.time / P, t)).toBeLessThan(1e-9);
  });

  it('label noise: P sum lambda^2 omega e^(-2P lambda t) = sigma^2 sum lambda (e^(-P lambda t) - e^(-2P lambda t))', () => {
    const sigma2 = 0.2;
    const f = (t: number) => lambda.reduce((s, l, k) => s + sigma2 * l * (Math.exp(-P * l * t) - Math.exp(-2 * P * l * t)) - P * l * l * omega[k] * Math.exp(-2 * P * l * t), 0);
    const t = bisect(f, 1e-4, 1e4);
    const r = ouLimit({ eigenvalues: lambda, targetPower: lambda.map((l, k) => l * omega[k]), dataSize: P, labelNoise: sigma2, times: [1e-2, 1e7] });
    expect(relative(r.earlyStopping!.time / P, t)).toBeLessThan(1e-9);
    // the minimum found by the stopping equation is the minimum of the curve
    const near = ouLimit({ eigenvalues: lambda, targetPower: lambda.map((l, k) => l * omega[k]), dataSize: P, labelNoise: sigma2, times: [P * t * 0.99, P * t, P * t * 1.01] });
    expect(near.loss[1]).toBeLessThan(near.loss[0]);
    expect(near.loss[1]).toBeLessThan(near.loss[2]);
  });
});

describe('continuum closed forms against the finite sums at large P (modes: Infinity)', () => {
  // The continuum replaces sum_k by int dk. The stopping equation involves only e^(-2 lambda_k t)-
  // weighted sums, dominated by the frontier modes k ~ (lambda_1 t)^(1/alpha) >> 1, so t* agrees to
  // ~1e-9 (measured <= 3.3e-8; tolerance 1e-6). The loss also counts the learned head modes, whose
  // discreteness gives a relative error ~ 1/(number of learned modes) that must shrink as P grows
  // (measured 2e-3 / 2e-4 / 2e-5 for the teacher-student case at P = 1e4 / 1e6 / 1e8; 2.8e-2 /
  // 7.3e-3 / 1.9e-3 for label noise, whose frontier moves slower).
  it.each([
    ['temperature, teacher-student', { alpha: 2, beta: 0.5 }, 'temperature'],
    ['temperature, hard task', { alpha: 1.5, beta: 0.4 }, 'temperature'],
    ['label noise, easy task', { alpha: 2, beta: 1.2 }, 'labelNoise'],
  ] as const)('%s', (_name, exponents, noise) => {
    const deviations = [1e4, 1e6, 1e8].map((P) => {
      const options = { ...exponents, dataSize: P, [noise]: noise === 'temperature' ? 1 / P : 1 };
      const continuum = ouContinuumStopping(options);
      const numeric = ouLimit({ ...options, modes: Infinity, times: [continuum.time / 100, continuum.time * 100] }).earlyStopping!;
      return { time: relative(numeric.time, continuum.time), loss: relative(numeric.loss, continuum.loss), continuum, numeric };
    });
    for (let i = 0; i < deviations.length; i++) {
      expect(deviations[i].time).toBeLessThan(1e-6);
      if (i > 0) expect(deviations[i].loss).toBeLessThan(deviations[i - 1].loss / 3);
    }
    expect(deviations[2].loss).toBeLessThan(3e-3);
    // loss exponent: L* over two decades of noise/P follows (a-1)/a to the discreteness error
    const [, mid, last] = deviations;
    const fitted = Math.log(mid.numeric.loss / last.numeric.loss) / Math.log(100);
    expect(Math.abs(fitted - mid.continuum.lossExponent)).toBeLessThan(0.01);
  });

  it('with both noises the variance coefficients add (B = B_T + B_sigma)', () => {
    const base = { alpha: 2, beta: 0.5, dataSize: 1e6 };
    const both = ouContinuumStopping({ ...base, temperature: 1e-6, labelNoise: 1 });
    const numeric = ouLimit({ ...base, temperature: 1e-6, labelNoise: 1, modes: Infinity, times: [both.time / 100, both.time * 100] }).earlyStopping!;
    expect(relative(numeric.time, both.time)).toBeLessThan(0.01);
    expect(relative(numeric.loss, both.loss)).toBeLessThan(0.01);
  });

  it('gamma() matches tabulated values (Gamma(1/2) = sqrt(pi), Gamma(-1/2) = -2 sqrt(pi), Gamma(5) = 24)', () => {
    expect(relative(gamma(0.5), Math.sqrt(Math.PI))).toBeLessThan(1e-14);
    expect(relative(gamma(-0.5), -2 * Math.sqrt(Math.PI))).toBeLessThan(1e-14);
    expect(relative(gamma(5), 24)).toBeLessThan(1e-14);
    expect(relative(gamma(1 / 3), 2.678938534707747633)).toBeLessThan(1e-14);
  });
});

describe('limits and identities', () => {
  it('noiseless, no weight decay: the lazy gradient-flow loss sum_k p_k e^(-2 lambda_k t) (CONVENTIONS.md)', () => {
    const options = { alpha: 1.5, beta: 0.4, modes: Infinity, times: 'log:1:1e6:7' };
    const ou = ouLimit({ ...options, dataSize: 100 });
    const reference = lazy(options);
    // both sum one mode set; lazy's tail node vs the deeper quadrature here: ~1e-9
    expect(maxRelativeError(ou.loss, reference.loss)).toBeLessThan(1e-8);
    expect(ou.earlyStopping).toBeNull();
  });

  it('weight decay: the curve approaches the equilibrium sum_k p_k (g/(lambda+g))^2 + T sum_k lambda/(lambda+g) + ...', () => {
    const o = { alpha: 2, beta: 0.5, modes: 3000, dataSize: 100, weightDecay: 1e-3, temperature: 1e-4, labelNoise: 0.3, initVariance: 0.5 };
    const r = ouLimit({ ...o, headModes: 3000, times: [1e9] });
    const lambda = spectrum(3000, 2);
    const g = o.weightDecay;
    const bias = lambda.reduce((s, l) => s + l * (g / (l + g)) ** 2, 0);
    const variance = lambda.reduce((s, l) => s + o.temperature * l / (l + g) + (o.labelNoise / o.dataSize) * (l / (l + g)) ** 2, 0);
    expect(relative(r.equilibrium.bias, bias)).toBeLessThan(1e-12);
    expect(relative(r.equilibrium.variance, variance)).toBeLessThan(1e-12);
    expect(relative(r.loss[0], bias + variance)).toBeLessThan(1e-12);
  });

  it('is the P -> infinity limit of the exact finite-size solver (N = 12 modes, P = 20000: O(N/P) apart)', () => {
    const o = { alpha: 1.5, beta: 0.6, modes: 12, weightDecay: 2e-3, temperature: 1e-3, labelNoise: 0.5, initVariance: 0.3 };
    const P = 20000;
    const times = [0.3, 3, 30, 300];
    const ou = ouLimit({ ...o, dataSize: P, times });
    const exact = exactFiniteSize({ ...o, dataSize: P, times, seeds: 3 });
    // finite-P corrections are relative O(N/P) = 6e-4 and the seed noise ~1/sqrt(P * seeds) = 4e-3: 1.5e-2
    expect(maxRelativeError(ou.loss, exact.loss)).toBeLessThan(1.5e-2);
    expect(maxRelativeError(ou.varianceParts.thermal, exact.varianceParts.thermal)).toBeLessThan(1.5e-2);
    // (not at t = 300, where the initialisation part is 1e-9 and e^(-2 r t) magnifies eigenvalue fluctuations)
    expect(maxRelativeError(ou.varianceParts.initialisation.subarray(0, 3), exact.varianceParts.initialisation.subarray(0, 3))).toBeLessThan(1.5e-2);
    expect(maxRelativeError(ou.varianceParts.labelNoise, exact.varianceParts.labelNoise)).toBeLessThan(3e-2);
  });

  it('includeNoise adds labelNoise to the loss and the stopping loss', () => {
    const o = { alpha: 2, beta: 0.5, modes: 2000, dataSize: 100, labelNoise: 0.2, times: 'log:1:1e5:11' };
    const plain = ouLimit(o);
    const noisy = ouLimit({ ...o, includeNoise: true });
    expect(maxRelativeError(noisy.loss, plain.loss.map((x) => x + 0.2))).toBeLessThan(1e-15);
    expect(noisy.earlyStopping!.loss - plain.earlyStopping!.loss).toBeCloseTo(0.2, 14);
  });
});

describe('ouLimit / ouContinuumStopping: validation', () => {
  it.each([
    ['dataSize', () => ouLimit({ alpha: 2, beta: 0.5 } as never)],
    ['dataSize', () => ouLimit({ alpha: 2, beta: 0.5, dataSize: 0 })],
    ['temperature', () => ouLimit({ alpha: 2, beta: 0.5, dataSize: 10, temperature: -1 })],
    ['weightDecay', () => ouLimit({ alpha: 2, beta: 0.5, dataSize: 10, weightDecay: NaN })],
    ['stoppingRange', () => ouLimit({ alpha: 2, beta: 0.5, dataSize: 10, stoppingRange: [1] as never })],
    ['stoppingRange[1]', () => ouLimit({ alpha: 2, beta: 0.5, dataSize: 10, stoppingRange: [10, 1] })],
    ['labelnoise', () => ouLimit({ alpha: 2, beta: 0.5, dataSize: 10, labelnoise: 1 } as never)],
    ['temperature', () => ouContinuumStopping({ alpha: 2, beta: 0.5, dataSize: 10 })],
    ['alpha', () => ouContinuumStopping({ alpha: 1, beta: 0.5, dataSize: 10, temperature: 1 })],
  ])('%s', (parameter, call) => {
    expect(call).toThrow(ParameterError);
    try { call(); } catch (error) { expect((error as ParameterError).parameter).toBe(parameter); }
  });
});
