// Weight decay for flow and gradient descent: the limits weightDecay -> 0 and t -> infinity, and
// the flow closed form against a Runge-Kutta integration of dv/dt = -(lambda + wd) v + wd w*.
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngines, lazy, maxRelativeError } from '../helpers.js';

beforeAll(initEngines);

const eigenvalues = [1, 0.3, 0.05, 0.002];
const targetPower = [0.5, 0.2, 0.3, 0.1];

describe('weight decay', () => {
  it('weightDecay = 0 is plain gradient flow, and small weightDecay is close to it', () => {
    const times = [0, 1, 10, 100];
    const plain = lazy({ eigenvalues, targetPower, times });
    const zero = lazy({ eigenvalues, targetPower, times, weightDecay: 0 });
    expect(Array.from(zero.loss)).toEqual(Array.from(plain.loss));
    const small = lazy({ eigenvalues, targetPower, times, weightDecay: 1e-9 });
    expect(maxRelativeError(small.loss, plain.loss)).toBeLessThan(1e-6);
  });

  it('tends to the ridge limit sum_k p_k (wd / (lambda_k + wd))^2 as t -> infinity', () => {
    for (const weightDecay of [0.01, 0.1, 1]) {
      const limit = eigenvalues.reduce((sum, l, k) => sum + targetPower[k] * (weightDecay / (l + weightDecay)) ** 2, 0);
      const flow = lazy({ eigenvalues, targetPower, times: [1e7], weightDecay });
      const gd = lazy({ eigenvalues, targetPower, times: [1e7], weightDecay, optimizer: 'gd', learningRate: 0.5 });
      expect(Math.abs(flow.loss[0] / limit - 1)).toBeLessThan(1e-13);
      expect(Math.abs(gd.loss[0] / limit - 1)).toBeLessThan(1e-13);
    }
  });

  it('matches RK4 integration of the flow ODE', () => {
    const weightDecay = 0.2;
    const times = [0.5, 2, 8, 32];
    const teacher = eigenvalues.map((l, k) => Math.sqrt(targetPower[k] / l));
    const derivative = (v: number[]) => v.map((value, k) => -(eigenvalues[k] + weightDecay) * value + weightDecay * teacher[k]);
    let v = [...teacher];
    let t = 0;
    const h = 1e-3;
    const reference: number[] = [];
    for (const target of times) {
      while (t < target - 1e-12) {
        const k1 = derivative(v);
        const k2 = derivative(v.map((x, i) => x + h / 2 * k1[i]));
        const k3 = derivative(v.map((x, i) => x + h / 2 * k2[i]));
        const k4 = derivative(v.map((x, i) => x + h * k3[i]));
        v = v.map((x, i) => x + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
        t += h;
      }
      reference.push(v.reduce((sum, x, k) => sum + eigenvalues[k] * x * x, 0));
    }
    const result = lazy({ eigenvalues, targetPower, times, weightDecay });
    // RK4 with h = 1e-3: global error ~ h^4 = 1e-12 relative.
    expect(maxRelativeError(result.loss, reference)).toBeLessThan(1e-10);
  });

  it('stops the lazy power law at the ridge floor on an infinite spectrum', () => {
    const result = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, weightDecay: 1e-4, times: [1e2, 1e8, 1e10] });
    expect(result.loss[2] / result.loss[1]).toBeGreaterThan(0.999);
    expect(result.localExponent[2]).toBeLessThan(1e-3);
  });
});
