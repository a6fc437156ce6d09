// The DMFT mode-sum kernels (assembly/dmft.ts) against their TypeScript twin
// (src/engine/dmft-kernels.ts): Newton for kappa, node sums, pair sums, bias sums on a random mode
// set (with negative multiplicities, as the Euler-Maclaurin pairs of the compression), dmft() on
// every engine, and no memory growth over many prepared problems.
import { beforeAll, describe, expect, it } from 'vitest';
import { dmftKernels, NODE_SUMS, typescriptDmftKernels } from '../../src/engine/dmft-kernels.js';
import { prepareDmft } from '../../src/dmft/solver.js';
import { dmft, ENGINES, engineMemory, getEngine, initEngines, maxRelativeError, Random } from '../helpers.js';

beforeAll(initEngines);

/** A random mode set of odd length (exercises the SIMD remainder). */
function modeSet(count: number, negative: boolean) {
  const random = new Random(7);
  const eigenvalues = Float64Array.from({ length: count }, (_, k) => (k + 1) ** -1.4 * (1 + 0.1 * random.normal() ** 2));
  const multiplicity = Float64Array.from({ length: count }, (_, k) => (negative && k % 17 === 5 ? -0.3 : 1 + random.normal() ** 2));
  const power = Float64Array.from({ length: count }, (_, k) => multiplicity[k] * eigenvalues[k] * (k + 1) ** -0.5);
  return { eigenvalues, multiplicity, power };
}

describe('dmft kernels: WebAssembly against the TypeScript twin', () => {
  const { eigenvalues, multiplicity, power } = modeSet(301, true);
  const positive = modeSet(301, false);
  const P = 120;
  const twin = typescriptDmftKernels(eigenvalues, multiplicity, power, P);
  // Newton on a set with positive multiplicities (one physical root); the sums also with negative ones
  const newtonTwin = typescriptDmftKernels(positive.eigenvalues, positive.multiplicity, positive.power, P);

  for (const name of ['wasm-simd', 'wasm'] as const) {
    it(`${name}: newton, nodeSums, pairSums, biasSum agree to 1e-13`, () => {
      const kernels = dmftKernels(getEngine(name), eigenvalues, multiplicity, power, P);
      const newtonKernels = dmftKernels(getEngine(name), positive.eigenvalues, positive.multiplicity, positive.power, P);
      try {
        const a = new Float64Array(NODE_SUMS);
        const b = new Float64Array(NODE_SUMS);
        for (const [zr, zi] of [[0.3, 0], [0.05, 0.2], [-0.02, 0.01], [5, -3]]) {
          const iterationsTwin = newtonTwin.newton(zr, zi, zr + 0.1, zi, 60, a);
          const iterations = newtonKernels.newton(zr, zi, zr + 0.1, zi, 60, b);
          expect(iterations).toBeGreaterThan(0);
          // the scalar build repeats the twin's loop; SIMD sums two lanes: round-off level differences only
          expect(Math.abs(iterations - iterationsTwin)).toBeLessThanOrEqual(1);
          expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeLessThan(1e-13 * Math.hypot(a[0], a[1]));
          const [kappaRe, kappaIm] = [a[0], a[1]];
          twin.nodeSums(kappaRe, kappaIm, a);
          kernels.nodeSums(kappaRe, kappaIm, b);
          for (let j = 0; j < NODE_SUMS / 2; j++) {
            expect(Math.hypot(a[2 * j] - b[2 * j], a[2 * j + 1] - b[2 * j + 1])).toBeLessThan(1e-13 * Math.hypot(a[2 * j], a[2 * j + 1]));
          }
        }
        const pa = new Float64Array(4);
        const pb = new Float64Array(4);
        twin.pairSums(0.01, 0.02, 0.011, -0.019, pa);
        kernels.pairSums(0.01, 0.02, 0.011, -0.019, pb);
        expect(maxRelativeError(pb, pa)).toBeLessThan(1e-13);
        const random = new Random(3);
        const nodes = 24;
        const coefficients = Float64Array.from({ length: 2 * nodes }, () => random.normal());
        const kappas = Float64Array.from({ length: 2 * nodes }, (_, j) => (j % 2 === 0 ? 0.01 + Math.abs(random.normal()) : random.normal()));
        const sumTwin = twin.biasSum(nodes, coefficients, kappas);
        expect(Math.abs(kernels.biasSum(nodes, coefficients, kappas) / sumTwin - 1)).toBeLessThan(1e-13);
        if (name === 'wasm') {
          // the scalar build runs the twin's loops in the twin's order: identical bits
          twin.nodeSums(0.02, 0.03, a);
          kernels.nodeSums(0.02, 0.03, b);
          expect(Array.from(b)).toEqual(Array.from(a));
        }
      } finally {
        kernels.dispose();
        newtonKernels.dispose();
      }
    });
  }

  it('dmft() agrees across engines (1e-7: the 2-D product Talbot rule amplifies round-off by ~e^(0.34 M_T))', () => {
    for (const options of [
      { alpha: 1.5, beta: 0.4, modes: Infinity, dataSize: 300, weightDecay: 1e-4, temperature: 1e-5, labelNoise: 0.1, times: 'log:1:1e5:12' },
      { alpha: 2, beta: 0.5, modes: 500, dataSize: 200, initVariance: 0.1, times: [0, 1, 10, 100] },
    ]) {
      const [simd, scalar, js] = ENGINES.map((engine) => dmft({ ...options, engine }));
      expect(simd.meta.engine).toBe('wasm-simd');
      expect(scalar.meta.engine).toBe('wasm');
      expect(js.meta.engine).toBe('js');
      for (const key of ['loss', 'trainLoss', 'bias'] as const) {
        // measured: SIMD 8e-9 (loss, 2-D teacher part), 1e-13 (bias, 1-D); the scalar build is bit-identical
        expect(maxRelativeError(simd[key], js[key])).toBeLessThan(1e-7);
        expect(Array.from(scalar[key])).toEqual(Array.from(js[key]));
      }
    }
  });

  it('engine memory does not grow over many prepared problems', () => {
    const options = { alpha: 1.5, beta: 0.5, modes: 3000, dataSize: 200, engine: 'wasm-simd' as const };
    const run = () => {
      const problem = prepareDmft(options);
      try {
        problem.evaluate(Float64Array.of(10));
      } finally {
        problem.dispose();
      }
    };
    for (let i = 0; i < 5; i++) run();
    const before = engineMemory()['wasm-simd'];
    for (let i = 0; i < 200; i++) run();
    expect(engineMemory()['wasm-simd']).toBe(before);
    const problem = prepareDmft(options);
    problem.dispose();
    problem.dispose(); // idempotent
    expect(() => problem.evaluate(Float64Array.of(1))).toThrow(/dispose/);
  });
});
