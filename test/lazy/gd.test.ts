// Gradient descent: the closed form against direct iteration of each mode, convergence to
// gradient flow as the learning rate goes to 0, and the oscillating regime eta lambda > 1.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, initEngines, lazy, maxRelativeError } from '../helpers.js';

beforeAll(initEngines);

/** Iterates v <- v - eta [(lambda + wd) v - wd w*] per mode; returns sum_k lambda v_k^2 at each step. */
function iterate(eigenvalues: number[], targetPower: number[], learningRate: number, weightDecay: number, steps: number[]): number[] {
  const teacher = eigenvalues.map((l, k) => Math.sqrt(targetPower[k] / l));
  const error = [...teacher];
  const out: number[] = [];
  let step = 0;
  for (const target of steps) {
    for (; step < target; step++) {
      for (let k = 0; k < error.length; k++) {
        error[k] -= learningRate * ((eigenvalues[k] + weightDecay) * error[k] - weightDecay * teacher[k]);
      }
    }
    out.push(error.reduce((sum, v, k) => sum + eigenvalues[k] * v * v, 0));
  }
  return out;
}

describe('gradient descent', () => {
  const eigenvalues = [1.8, 1, 0.5, 0.1, 0.01, 0.001];
  const targetPower = [0.1, 0.5, 0.2, 0.3, 0.05, 0.4];
  const steps = [0, 1, 2, 3, 10, 11, 100, 101, 1000];

  it('matches direct iteration, including eta lambda > 1 (oscillating modes) and weight decay', () => {
    for (const [learningRate, weightDecay] of [[0.5, 0], [1, 0], [0.9, 0.05], [0.7, 0.3]]) {
      for (const engine of ENGINES) {
        const result = lazy({ eigenvalues, targetPower, optimizer: 'gd', learningRate, weightDecay, times: steps, engine });
        const reference = iterate(eigenvalues, targetPower, learningRate, weightDecay, steps);
        // Closed form vs 1000 iterations: rounding of the iteration grows ~ steps * eps.
        expect(maxRelativeError(result.loss, reference)).toBeLessThan(1e-12);
      }
    }
  });

  it('converges to gradient flow at t = eta n linearly in eta', () => {
    const time = 50;
    const flow = lazy({ alpha: 1.5, beta: 0.5, modes: 300, times: [time] }).loss[0];
    const errors = [0.1, 0.01, 0.001].map((learningRate) => {
      const gd = lazy({ alpha: 1.5, beta: 0.5, modes: 300, optimizer: 'gd', learningRate, times: [time / learningRate] }).loss[0];
      return Math.abs(gd - flow) / flow;
    });
    expect(errors[2]).toBeLessThan(1e-3);
    // first order in eta: each tenfold decrease of eta cuts the error about tenfold
    expect(errors[0] / errors[1]).toBeGreaterThan(8);
    expect(errors[0] / errors[1]).toBeLessThan(12);
    expect(errors[1] / errors[2]).toBeGreaterThan(8);
    expect(errors[1] / errors[2]).toBeLessThan(12);
  });

  it('has the lazy exponent beta at late times on an infinite spectrum', () => {
    const result = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, optimizer: 'gd', learningRate: 0.5, times: [1e6, 1e7] });
    for (const exponent of result.localExponent) expect(Math.abs(exponent - 0.5)).toBeLessThan(1e-6);
  });

  it('annihilates a mode with eta lambda = 1 in one step', () => {
    const result = lazy({ eigenvalues: [2, 0.5], targetPower: [1, 1], optimizer: 'gd', learningRate: 0.5, times: [0, 1, 2] });
    // mode 1: q = 0, gone after one step; mode 2: q = 0.75, energy q^(2n)
    expect(Math.abs(result.loss[1] / 0.5625 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(result.loss[2] / 0.31640625 - 1)).toBeLessThan(1e-15);
  });
});
