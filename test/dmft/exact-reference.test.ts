// Anchors the NumPy reference of checks D16/D17 (scripts/fixtures/dmft_exact_reference.py, output
// test/fixtures/dmft-exact-reference.json) to the package's exact finite-size solver: the script
// redraws the package's own data sets (its port of src/random.ts) at a small size and evaluates
// its Gram-form formulas of spec §4 on them; exactFiniteSize() must give the same numbers.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactFiniteSize, initEngines, maxRelativeError } from '../helpers.js';

beforeAll(initEngines);

const fixture = JSON.parse(readFileSync(new URL('../fixtures/dmft-exact-reference.json', import.meta.url), 'utf8'));

describe('NumPy Gram-form reference = exactFiniteSize() on the same data sets', () => {
  it('loss and training loss with weight decay, temperature, label noise and initialisation (N = 60 > P = 24, seeds 1..3)', () => {
    const a = fixture.anchor;
    const exact = exactFiniteSize({
      alpha: 2, beta: 0.5, modes: a.modes, dataSize: a.dataSize, weightDecay: a.weightDecay, temperature: a.temperature,
      labelNoise: a.labelNoise, initVariance: a.initVariance, times: a.times, seeds: a.seeds, seed: a.seed,
    });
    // same data sets, two eigensolvers (LAPACK vs the package's) and two assemblies: round-off,
    // amplified by the smallest Gram eigenvalues (~1e-3 of the largest); measured 1.1e-14: 1e-11
    expect(maxRelativeError(exact.loss, a.loss)).toBeLessThan(1e-11);
    expect(maxRelativeError(exact.trainLoss, a.trainLoss)).toBeLessThan(1e-11);
  });

  it('the fixture describes the D16/D17 setup (teacher-student alpha = 2, beta = 1/2, N = 20000)', () => {
    expect(fixture.modelSize).toBe(20000);
    expect([fixture.alpha, fixture.beta]).toEqual([2, 0.5]);
    const sizes = fixture.cases.filter((c: { name: string }) => c.name === 'D16').map((c: { dataSize: number }) => c.dataSize);
    expect(sizes).toEqual([250, 1000, 4000]);
  });
});
