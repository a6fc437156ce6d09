// The three engines (SIMD WebAssembly, scalar WebAssembly, plain TypeScript) run the same
// kernels in the same summation order: exp-sums differ only through the exp implementations
// (each within 1-2 ulp), SGD recursions not at all.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, getEngine, initEngines, lazy, maxRelativeError } from '../helpers.js';

beforeAll(initEngines);

const cases = [
  { alpha: 1.5, beta: 0.5, modes: Infinity, times: { from: 1e-3, to: 1e9, count: 60 } },
  { alpha: 1.1, beta: 0.2, modes: 1e5, headModes: 1e5, times: { from: 1e-3, to: 1e6, count: 30 } },
  { alpha: 3, beta: 1.5, modes: 1000, optimizer: 'gd', learningRate: 1.9, weightDecay: 0.01, times: { from: 1, to: 1e5, count: 30 } },
  { eigenvalues: [1.7, 1, 0.3, 0.02], targetPower: [1, 2, 3, 4], optimizer: 'gd', learningRate: 1.1, times: [0, 1, 2, 3, 4, 5, 6, 7] },
] as const;

describe('engines', () => {
  it('resolve to the requested build', () => {
    for (const name of ENGINES) expect(getEngine(name).name).toBe(name);
    expect(getEngine('auto').name).toBe('wasm-simd');
  });

  it('agree to 1e-14 relative on closed-form loss curves', () => {
    for (const options of cases) {
      const [simd, scalar, js] = ENGINES.map((engine) => lazy({ ...options, engine } as never));
      expect(simd.meta.engine).toBe('wasm-simd');
      expect(js.meta.engine).toBe('js');
      // measured: <= 3e-16 (a few ulp per term, positive terms, blocked sums)
      expect(maxRelativeError(simd.loss, js.loss)).toBeLessThan(1e-14);
      expect(maxRelativeError(scalar.loss, js.loss)).toBeLessThan(1e-14);
      expect(maxRelativeError(simd.localExponent, js.localExponent)).toBeLessThan(1e-12);
    }
  });

  it('agree bit for bit on the SGD recursion', () => {
    const options = { alpha: 1.5, beta: 0.5, modes: Infinity, optimizer: 'sgd', learningRate: 0.4, batchSize: 2, labelNoise: 0.1, times: { from: 1, to: 3e4, count: 20 }, recordModes: true } as const;
    const [simd, scalar, js] = ENGINES.map((engine) => lazy({ ...options, engine }));
    expect(Array.from(simd.loss)).toEqual(Array.from(js.loss));
    expect(Array.from(scalar.loss)).toEqual(Array.from(js.loss));
    expect(Array.from(simd.modes!.errors)).toEqual(Array.from(js.modes!.errors));
  });

  it('compute the canonical pair sum identically', () => {
    const values = Float64Array.from({ length: 1537 }, (_, i) => Math.sin(i) * 10 ** (i % 7));
    const sums = ENGINES.map((engine) => getEngine(engine).pairSum(values));
    expect(sums[0]).toBe(sums[2]);
    expect(sums[1]).toBe(sums[2]);
  });
});
