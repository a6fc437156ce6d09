// The coupling sweep of the rich feature-space flow (assembly/feature-space.ts,
// src/engine/feature-space-kernels.ts): the WebAssembly builds against the TypeScript twin bit for
// bit on random inputs (odd and even N, with and without the rank-2 update, several sweeps in a
// row), the twin against the plain definition (full symmetric matrix, J += f (u v^T + v u^T), then
// J x), and flat engine memory over a whole featureSpaceDynamics rich flow.
import { beforeAll, describe, expect, it } from 'vitest';
import { featureSpaceKernels, type FeatureSpaceBuffer } from '../../src/engine/feature-space-kernels.js';
import { featureSpaceDynamics } from '../../src/feature-learning/feature-space.js';
import { engineMemory, getEngine, initEngines, Random } from '../helpers.js';

beforeAll(initEngines);

const VECTORS = ['z0', 'h0', 'z1', 'h1'] as const;

/** Fills J (lower triangle) and the vectors at random, then runs `factors` sweeps alternating x = h0, h1. */
function sweeps(engineName: 'wasm-simd' | 'wasm' | 'js', n: number, seed: number, factors: number[]) {
  const random = new Random(seed);
  const state = featureSpaceKernels(getEngine(engineName)).start(n);
  try {
    const coupling = state.view('coupling');
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) coupling[i * n + j] = random.uniform() - 0.5;
    for (const name of VECTORS) state.view(name).set(Float64Array.from({ length: n }, () => random.uniform() - 0.5));
    const start = { coupling: coupling.slice(), h0: state.view('h0').slice(), z1: state.view('z1').slice(), h1: state.view('h1').slice() };
    const products: Float64Array[] = [];
    factors.forEach((factor, index) => {
      state.sweep(factor, index % 2 === 0 ? 'h0' : 'h1');
      products.push(state.view('force').slice());
    });
    const out = {} as Record<FeatureSpaceBuffer, Float64Array>;
    for (const name of ['coupling', 'force'] as const) out[name] = state.view(name).slice();
    return { out, products, start };
  } finally {
    state.dispose();
  }
}

describe('featureSpaceKernels', () => {
  it('WebAssembly builds equal the TypeScript twin bit for bit', () => {
    for (const n of [1, 2, 3, 8, 13, 32]) {
      const factors = [0.37, 0, -0.011, 0.25];
      const reference = sweeps('js', n, n, factors);
      for (const engine of ['wasm-simd', 'wasm'] as const) {
        const result = sweeps(engine, n, n, factors);
        result.products.forEach((product, k) => expect(Array.from(product), `${engine} N = ${n} sweep ${k}`).toEqual(Array.from(reference.products[k])));
        // the lower triangle of J (the upper is never touched: still 0)
        expect(Array.from(result.out.coupling), `${engine} N = ${n} J`).toEqual(Array.from(reference.out.coupling));
      }
    }
  });

  it('one sweep is J += f (z1 h1^T + h1 z1^T) followed by the full symmetric product J h0', () => {
    // Independent form: the full symmetric matrix updated entry by entry, then row-by-row products.
    // Only the summation order differs: 1e-13 relative to the sum of |terms|.
    for (const n of [5, 16]) {
      const factor = 0.3;
      const { out, start } = sweeps('js', n, 7, [factor]);
      const full = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const value = start.coupling[i * n + j] + factor * (start.z1[i] * start.h1[j] + start.h1[i] * start.z1[j]);
          full[i * n + j] = value;
          full[j * n + i] = value;
        }
      }
      for (let i = 0; i < n; i++) {
        let sum = 0;
        let scale = 0;
        for (let j = 0; j < n; j++) {
          sum += full[i * n + j] * start.h0[j];
          scale += Math.abs(full[i * n + j] * start.h0[j]);
        }
        expect(Math.abs(out.force[i] - sum)).toBeLessThanOrEqual(1e-13 * scale);
        for (let j = 0; j <= i; j++) expect(Math.abs(out.coupling[i * n + j] - full[i * n + j])).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(full[i * n + j])));
      }
    }
  });

  it('the rich flow gives the same bits on every engine and keeps engine memory flat', () => {
    const options = { alpha: 2, beta: 0.5, modes: 256, modelSize: 33, featureLearning: 1, seeds: 2, times: 'log:0.1:50:9' } as const;
    const reference = featureSpaceDynamics({ ...options, engine: 'js' });
    for (const engine of ['wasm-simd', 'wasm'] as const) {
      const result = featureSpaceDynamics({ ...options, engine });
      expect(Array.from(result.loss), engine).toEqual(Array.from(reference.loss));
    }
    const before = engineMemory();
    for (let repeat = 0; repeat < 3; repeat++) for (const engine of ['wasm-simd', 'wasm'] as const) featureSpaceDynamics({ ...options, engine });
    expect(engineMemory()).toEqual(before);
  });
});
