// The Toeplitz-response kernel of the lazy DMFT (assembly/lazy-tti.ts, src/engine/lazy-tti-kernels.ts):
// the WebAssembly builds against the TypeScript twin bit for bit on random inputs (odd and even
// node counts and lag ranges, advanced in uneven chunks), the twin against the direct definition
// H_b = (I + lambda_b R_z)^-1 by forward substitution, and flat engine memory.
import { beforeAll, describe, expect, it } from 'vitest';
import { lazyTtiKernels, type LazyTtiBuffer } from '../../src/engine/lazy-tti-kernels.js';
import { engineMemory, getEngine, initEngines, Random } from '../helpers.js';

beforeAll(initEngines);

function solve(engineName: 'wasm-simd' | 'wasm' | 'js', count: number, lags: number, seed: number, chunks: number[]) {
  const random = new Random(seed);
  const state = lazyTtiKernels(getEngine(engineName)).start(count, lags);
  try {
    const eigenvalues = Float64Array.from({ length: count }, () => 0.05 + random.uniform());
    const multiplicity = Float64Array.from({ length: count }, () => 1 + 2 * random.uniform());
    const targetPower = Float64Array.from({ length: count }, () => random.uniform());
    const inverseSize = 0.07;
    state.view('eigenvalues').set(eigenvalues);
    state.view('multiplicity').set(multiplicity);
    state.view('targetPower').set(targetPower);
    state.view('cumulative').fill(1);
    const responses = state.view('responses');
    for (let b = 0; b < count; b++) responses[b * (lags + 1)] = 1;
    const trace = eigenvalues.reduce((sum, value, b) => sum + value * multiplicity[b], 0);
    state.view('overlap')[0] = targetPower.reduce((a, b) => a + b, 0);
    state.view('rg')[0] = -trace * inverseSize;
    state.view('y')[0] = 1;
    state.view('sums').set([1, -trace * inverseSize]);
    let from = 1;
    for (const size of [...chunks, lags]) {
      const to = Math.min(lags + 1, from + size);
      if (to > from) state.advance(from, to, 0.4, inverseSize);
      from = to;
    }
    const out = {} as Record<LazyTtiBuffer, Float64Array>;
    for (const name of ['responses', 'overlap', 'difference', 'rzReversed', 'y', 'rg'] as const) out[name] = state.view(name).slice();
    return { out, eigenvalues };
  } finally {
    state.dispose();
  }
}

describe('lazyTtiKernels', () => {
  it('WebAssembly builds equal the TypeScript twin bit for bit', () => {
    for (const [count, lags, chunks] of [[1, 5, [2]], [4, 13, [1, 5]], [7, 30, [9, 3]], [16, 41, [20]]] as [number, number, number[]][]) {
      const reference = solve('js', count, lags, count + lags, chunks);
      for (const engine of ['wasm-simd', 'wasm'] as const) {
        const result = solve(engine, count, lags, count + lags, [lags]);
        for (const name of Object.keys(reference.out) as LazyTtiBuffer[]) {
          expect(Array.from(result.out[name]), `${engine} ${name} (${count} nodes, ${lags} lags)`).toEqual(Array.from(reference.out[name]));
        }
      }
    }
  });

  it('the responses are H_b = (I + lambda_b R_z)^-1 of the Toeplitz r_z (forward substitution)', () => {
    const count = 5;
    const lags = 25;
    const { out, eigenvalues } = solve('js', count, lags, 3, [7]);
    const rz = (n: number) => out.rzReversed[lags - n]; // r_z(n), n >= 1
    for (let b = 0; b < count; b++) {
      // (I + lambda R_z) h = e_0 with R_z(t, s) = r_z(t - s), solved row by row in plain order
      const h = new Float64Array(lags + 1);
      h[0] = 1;
      for (let n = 1; n <= lags; n++) {
        let sum = 0;
        for (let m = 1; m <= n; m++) sum += rz(m) * h[n - m];
        h[n] = -eigenvalues[b] * sum;
      }
      for (let n = 0; n <= lags; n++) {
        expect(Math.abs(out.responses[b * (lags + 1) + n] - h[n])).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(h[n])));
      }
    }
  });

  it('keeps engine memory flat', () => {
    solve('wasm-simd', 8, 50, 1, []);
    const before = engineMemory();
    for (let i = 0; i < 5; i++) solve('wasm-simd', 8, 50, i, [10]);
    expect(engineMemory()).toEqual(before);
  });
});
