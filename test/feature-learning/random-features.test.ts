// randomFeatures(): the dispatcher over every solver of the projected two-layer model
// (feature-learning.md). Checks: the auto rule, Infinity handling (plateau = the kappa formulas of
// §3.5/§3.6 with the spec's published values F5, F7), time-unit conversion, agreement of different
// solvers where their domains overlap (independent algorithms), and validation.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomFeatures, type RandomFeaturesOptions } from '../../src/feature-learning/random-features.js';
import { initEngines, maxRelativeError, ParameterError } from '../helpers.js';

beforeAll(initEngines);

const hard = { alpha: 1.5, beta: 0.5 } as const;

describe('randomFeatures: auto rule', () => {
  const method = (options: Partial<RandomFeaturesOptions>) => randomFeatures({ ...hard, modes: 64, times: [1, 2], ...options } as RandomFeaturesOptions).meta.method;
  it('chooses the solver from N, B, P, gamma and reports it', () => {
    expect(method({})).toBe('lazy');
    expect(method({ learningRate: 0.5 })).toBe('lazy');
    expect(method({ featureLearning: 1 })).toBe('markov');
    expect(method({ learningRate: 0.5, batchSize: 4 })).toBe('volterra');
    expect(method({ learningRate: 0.25, batchSize: 4, featureLearning: 1 })).toBe('dmft');
    expect(method({ modelSize: 16 })).toBe('feature-space');
    expect(method({ modelSize: 16, featureLearning: 1, learningRate: 0.25 })).toBe('feature-space');
    expect(method({ modelSize: 16, learningRate: 0.25, batchSize: 8 })).toBe('dmft');
    expect(method({ modelSize: 16, learningRate: 0.25, dataSize: 32 })).toBe('dmft');
    expect(method({ modelSize: 16, learningRate: 0.25, batchSize: 8, times: [1, 2000] })).toBe('dmft');
    expect(method({ modelSize: 16, featureLearning: 1, learningRate: 0.25, batchSize: 8, times: [1, 1100], seeds: 4 })).toBe('simulate');
    expect(method({ modelSize: 16, modes: Infinity, learningRate: 0.25, times: [1, 5] })).toBe('dmft');
    const result = randomFeatures({ ...hard, modes: 64, featureLearning: 1, times: [1] });
    expect(result.meta.methodReason).toMatch(/Markovian/);
    expect(randomFeatures({ ...hard, modes: 64, times: [1], method: 'markov' }).meta.methodReason).toBe('requested');
  });
});

describe('randomFeatures: t = Infinity', () => {
  it('finite N, P = Infinity: the model bottleneck, check F5 (alpha 2, beta 0.5, M = 1e7, N = 512: 4.80954e-3)', () => {
    // Published value of the spec (F5), rel 1e-4; the same value for lazy and rich (§3.5).
    for (const featureLearning of [0, 1]) {
      const result = randomFeatures({ alpha: 2, beta: 0.5, modes: 1e7, modelSize: 512, featureLearning, times: [Infinity] });
      expect(result.loss[0] / 4.80954e-3 - 1).toBeLessThan(1e-4);
      expect(result.meta.plateau?.source).toMatch(/model bottleneck/);
      expect(result.meta.inner).toBeNull();
    }
  });

  it('N = Infinity, finite P: the data bottleneck, check F7 (alpha 2, beta 1.5, P = 1024: 5.65290e-9); N = P = Infinity: 0', () => {
    const data = randomFeatures({ alpha: 2, beta: 1.5, modes: 1e7, dataSize: 1024, learningRate: 0.5, times: 'Infinity' });
    expect(Math.abs(data.loss[0] / 5.6529e-9 - 1)).toBeLessThan(1e-4);
    expect(randomFeatures({ ...hard, modes: Infinity, times: [Infinity] }).loss[0]).toBe(0);
  });

  it('appends the plateau to a finite curve that approaches it (feature-space, 16 projections)', () => {
    // The curve's late value is the mean least-squares residual of 16 projections; its deterministic
    // equivalent (the kappa formula) differs by finite-N fluctuations: 3 standard errors + 2%.
    const result = randomFeatures({ alpha: 2, beta: 0.5, modes: 1024, modelSize: 32, times: '1,100,1e6,Infinity', seeds: 16 });
    expect(Array.from(result.times)).toEqual([1, 100, 1e6, Infinity]);
    expect(Number.isNaN(result.standardError?.[3])).toBe(true);
    const late = result.loss[2];
    expect(Math.abs(late - result.loss[3])).toBeLessThan(3 * (result.standardError?.[2] ?? 0) + 0.02 * result.loss[3]);
  });

  it('refuses t = Infinity with both N and P finite (no closed form, spec §7 item 10)', () => {
    expect(() => randomFeatures({ ...hard, modes: 64, modelSize: 16, dataSize: 32, learningRate: 0.25, times: [1, Infinity] })).toThrow(/both modelSize and dataSize/);
  });
});

describe('randomFeatures: time units', () => {
  it('steps and tau are reported together; flow solvers map steps to tau = eta steps', () => {
    const steps = randomFeatures({ ...hard, modes: 64, featureLearning: 1, learningRate: 0.5, times: [2, 4, 8] });
    expect(steps.meta).toMatchObject({ method: 'markov', timeUnit: 'steps', solverTimeUnit: 'time' });
    expect(Array.from(steps.flowTime)).toEqual([1, 2, 4]);
    expect(Array.from(steps.steps ?? [])).toEqual([2, 4, 8]);
    const tau = randomFeatures({ ...hard, modes: 64, featureLearning: 1, times: [1, 2, 4] });
    expect(maxRelativeError(steps.loss, tau.loss)).toBe(0);
    expect(steps.meta.notes.join(' ')).toMatch(/eta -> 0 limit/);
  });

  it('discrete solvers given tau evaluate at round(tau / eta) steps', () => {
    const result = randomFeatures({ ...hard, modes: 64, learningRate: 0.3, batchSize: 4, timeUnit: 'time', times: [0.3, 3, 30] });
    expect(result.meta.method).toBe('volterra');
    expect(Array.from(result.steps ?? [])).toEqual([1, 10, 100]);
    expect(result.times[2]).toBeCloseTo(30, 12);
  });
});

describe('randomFeatures: solvers agree where they overlap', () => {
  it('lazy closed form = Markovian system at gamma = 0 (N = B = P = Infinity, gradient flow)', () => {
    // Different algorithms: a sum of exponentials against an eigen-integrated ODE. The midpoint
    // integrator is exact for gamma = 0 up to rounding (J = q = 0 stay 0): 1e-9 relative.
    const times = [0.5, 5, 50, 500];
    const lazy = randomFeatures({ ...hard, modes: 256, times });
    const markov = randomFeatures({ ...hard, modes: 256, times, method: 'markov' });
    expect(lazy.meta.method).toBe('lazy');
    expect(maxRelativeError(markov.loss, lazy.loss)).toBeLessThan(1e-9);
  });

  it('Volterra recursion = lazy() exact SGD recursion (N = P = Infinity, finite B), spec §3.7', () => {
    // Two implementations of the same exact recursion (forcing/kernel form vs second moments): 1e-10.
    const options = { ...hard, modes: 128, learningRate: 0.5, batchSize: 4, times: [1, 5, 20, 50, 100, 199] } as const;
    const volterra = randomFeatures({ ...options, method: 'volterra' });
    const lazy = randomFeatures({ ...options, method: 'lazy' });
    expect(maxRelativeError(volterra.loss, lazy.loss)).toBeLessThan(1e-10);
  });

  it('Markovian ODE = N = B = Infinity DMFT as eta -> 0, check F12 (alpha 1.5, beta 0.5, M = 64, gamma 1)', () => {
    // Spec F12: the DMFT at eta = 0.02 within 5e-3 of the ODE, the gap proportional to eta.
    const base = { ...hard, modes: 64, featureLearning: 1, timeUnit: 'time', times: [1, 2, 4] } as const;
    const markov = randomFeatures({ ...base, method: 'markov' });
    const fine = randomFeatures({ ...base, method: 'dmft', learningRate: 0.02 });
    const coarse = randomFeatures({ ...base, method: 'dmft', learningRate: 0.04 });
    const fineGap = maxRelativeError(fine.loss, markov.loss);
    expect(fineGap).toBeLessThan(5e-3);
    expect(maxRelativeError(coarse.loss, markov.loss) / fineGap).toBeGreaterThan(1.6);
  });

  it('feature-space = simulator at finite N, B = Infinity (same projections), through the dispatcher', () => {
    const options = { ...hard, modes: 128, modelSize: 32, featureLearning: 1, learningRate: 0.25, times: [0, 5, 20, 60], seeds: 4 } as const;
    const reduced = randomFeatures(options);
    const simulated = randomFeatures({ ...options, method: 'simulate' });
    expect(reduced.meta.method).toBe('feature-space');
    expect(maxRelativeError(reduced.loss, simulated.loss)).toBeLessThan(1e-9);
  });

  it('lazy finite-N DMFT against the mean over projections, V1 design (M = 128, N = 32, eta = 0.5)', () => {
    // Spec §4.7 V1: DMFT within ~1% of 400-seed simulations. The feature-space solver is exact per
    // projection; with 400 projections the DMFT must lie within 3 standard errors + 1.5% (its own
    // finite-N, M corrections).
    const options = { ...hard, modes: 128, modelSize: 32, learningRate: 0.5, times: [20, 40, 59] } as const;
    const dmft = randomFeatures({ ...options, method: 'dmft' });
    expect(dmft.meta.inner?.solver).toBe('lazyFeatureDmft');
    const exact = randomFeatures({ ...options, seeds: 400 });
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(dmft.loss[j] - exact.loss[j])).toBeLessThan(3 * (exact.standardError?.[j] ?? 0) + 0.015 * exact.loss[j]);
    }
  });
});

describe('randomFeatures: validation', () => {
  it('rejects bad input with a ParameterError naming the option', () => {
    const base = { ...hard, modes: 64, times: [1, 2] };
    expect(() => randomFeatures({ ...base, method: 'magic' } as never)).toThrow(ParameterError);
    expect(() => randomFeatures({ ...base, timeUnit: 'steps' })).toThrow(/learningRate/);
    expect(() => randomFeatures({ ...base, times: [1, Infinity, 2] })).toThrow(/times/);
    expect(() => randomFeatures({ ...base, dataSize: 32, batchSize: 4, learningRate: 0.1 })).toThrow(/batchSize/);
    expect(() => randomFeatures({ ...base, modelSize: 16, method: 'markov' })).toThrow(/modelSize/);
    expect(() => randomFeatures({ ...base, featureLearning: 1, method: 'lazy' })).toThrow(/featureLearning/);
    expect(() => randomFeatures({ ...base, method: 'dmft' })).toThrow(/learningRate/);
    expect(() => randomFeatures({ ...base, modelSize: 0 })).toThrow(/modelSize/);
    expect(() => randomFeatures({ ...base, batchSize: 4 })).toThrow(/learningRate/);
    expect(() => randomFeatures({ ...base, colour: 1 } as never)).toThrow(/colour/);
    expect(() => randomFeatures({ ...hard, modes: 64 } as never)).toThrow(/times/);
  });
});
