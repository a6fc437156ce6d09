// Mode nodes of the feature-learning DMFT (src/feature-learning/dmft-bins.ts, spec §4.6): the
// bins preserve the mode sums the DMFT uses — sum_k lambda_k (R_g), sum_k lambda_k^2 (C_g, noise)
// and sum_k p_k (the loss) — against exact sums (finite M) and Euler-Maclaurin zeta values
// (M = Infinity), and no bin is narrower than one mode.
import { describe, expect, it } from 'vitest';
import { dmftModes } from '../../src/feature-learning/dmft-bins.js';
import { resolveSpectrum } from '../../src/spectrum/spectrum.js';

/** sum_{k >= 1} k^-s by a direct head plus the Euler-Maclaurin tail (error ~1e-20 at K = 1e4). */
function zeta(s: number): number {
  const head = 10_000;
  let sum = 0;
  for (let k = head; k >= 1; k--) sum += k ** -s;
  return sum + head ** (1 - s) / (s - 1) - head ** -s / 2 + s * head ** (-s - 1) / 12;
}

function moments(nodes: ReturnType<typeof dmftModes>) {
  let first = 0, second = 0, power = 0;
  for (let i = 0; i < nodes.eigenvalues.length; i++) {
    first += nodes.counts[i] * nodes.eigenvalues[i];
    second += nodes.counts[i] * nodes.eigenvalues[i] ** 2;
    power += nodes.targetPower[i];
  }
  return { first, second, power };
}

describe('dmftModes', () => {
  it('keeps every mode exact when modes <= bins', () => {
    const nodes = dmftModes(resolveSpectrum({ alpha: 1.5, beta: 0.5, modes: 100 }), 100, 10);
    expect(nodes.eigenvalues).toHaveLength(100);
    expect(nodes.binnedNodes).toBe(0);
    expect(nodes.eigenvalues[99]).toBe(100 ** -1.5);
  });

  it('preserves sum lambda, sum lambda^2 and the target power of a finite spectrum (midpoint rule, 1e-4)', () => {
    // The bins integrate the mode sum from K + 1/2 by the midpoint rule: relative error
    // ~ f'(K + 1/2) / 24 / sum ~ 1e-5 here; sum lambda is matched exactly within each bin.
    const alpha = 1.5, beta = 0.5, modes = 10_000;
    const nodes = dmftModes(resolveSpectrum({ alpha, beta, modes }), 96, 50);
    expect(nodes.eigenvalues.length).toBeLessThanOrEqual(96);
    let first = 0, second = 0, power = 0;
    for (let k = 1; k <= modes; k++) {
      first += k ** -alpha;
      second += k ** (-2 * alpha);
      power += k ** -(alpha * beta + 1);
    }
    const got = moments(nodes);
    expect(Math.abs(got.first / first - 1)).toBeLessThan(1e-4);
    expect(Math.abs(got.second / second - 1)).toBeLessThan(1e-4);
    expect(Math.abs(got.power / power - 1)).toBeLessThan(1e-4);
    for (let i = nodes.exactModes; i < nodes.counts.length; i++) expect(nodes.counts[i]).toBeGreaterThanOrEqual(1 - 1e-12);
  });

  it('modes = Infinity: the tail node closes sum lambda = zeta(alpha), sum lambda^2 = zeta(2 alpha), sum p = zeta(alpha beta + 1)', () => {
    const alpha = 1.5, beta = 0.5;
    const nodes = dmftModes(resolveSpectrum({ alpha, beta, modes: Infinity }), 128, 100);
    expect(nodes.tailNodes).toBe(1);
    const got = moments(nodes);
    expect(Math.abs(got.first / zeta(alpha) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(got.second / zeta(2 * alpha) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(got.power / zeta(alpha * beta + 1) - 1)).toBeLessThan(1e-4);
  });

  it('adds exact modes when modes is just above bins, so that no bin splits a mode', () => {
    const nodes = dmftModes(resolveSpectrum({ alpha: 2, beta: 0.5, modes: 130 }), 128, 10);
    for (let i = nodes.exactModes; i < nodes.counts.length; i++) expect(nodes.counts[i]).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(nodes.exactModes).toBeGreaterThan(32);
  });
});
