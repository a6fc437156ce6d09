// The mode kernel of the feature-learning DMFT (assembly/fl-dmft.ts, src/engine/fl-dmft-kernels.ts):
// the WebAssembly builds against the TypeScript twin bit for bit on random inputs (odd and even
// lengths, every optional buffer on and off), the twin against a plain dense-matrix evaluation of
// its documented formulas (H_k = (I + lambda R)^-1 by matrix inversion, Zhat = H Q H^T), and flat
// engine memory over many solves, including aborted ones.
import { beforeAll, describe, expect, it } from 'vitest';
import { featureLearningDmft } from '../../src/feature-learning/dmft.js';
import { flDmftKernels, type FlDmftBuffer, type FlDmftScales, type FlDmftShape } from '../../src/engine/fl-dmft-kernels.js';
import { engineMemory, getEngine, initEngines, Random } from '../helpers.js';

beforeAll(initEngines);

interface Trial {
  shape: FlDmftShape;
  scales: FlDmftScales;
  inputs: Partial<Record<FlDmftBuffer, Float64Array>>;
  /** Operator rows R(t, .) for t = 0 .. steps - 1 (strictly lower), fed step by step. */
  operator: Float64Array;
}

function trial(seed: number, steps: number, modes: number, finiteWidth: boolean, reuse: boolean): Trial {
  const random = new Random(seed);
  const uniform = (count: number, scale = 1, shift = 0) => Float64Array.from({ length: count }, () => shift + scale * random.uniform());
  const symmetric = () => {
    const values = new Float64Array(steps * steps);
    for (let i = 0; i < steps; i++) for (let j = 0; j <= i; j++) values[i * steps + j] = values[j * steps + i] = random.uniform() - 0.3;
    return values;
  };
  const operator = new Float64Array(steps * steps);
  for (let t = 0; t < steps; t++) for (let s = 0; s < t; s++) operator[t * steps + s] = 0.3 * (random.uniform() - 0.2);
  return {
    shape: { steps, modes, finiteWidth, reuse },
    scales: { correlationScale: finiteWidth ? 0.125 : 0, secondScale: reuse ? 0.05 : 0, responseScale: finiteWidth ? 0.125 : 0, sources: seed % 5 !== 0 },
    inputs: {
      eigenvalues: uniform(modes, 0.9, 0.05),
      counts: uniform(modes, 3, 1),
      targetPower: uniform(modes, 0.5),
      noise: uniform(modes * steps, 0.2),
      ...(finiteWidth ? { correlation: symmetric() } : {}),
      ...(reuse ? { secondCorrelation: symmetric() } : {}),
    },
    operator,
  };
}

/** Runs every step of a trial on one engine; returns the outputs of each step, concatenated. */
function run(engineName: 'wasm-simd' | 'wasm' | 'js', input: Trial): { outputs: number[]; response: Float64Array } {
  const state = flDmftKernels(getEngine(engineName)).start(input.shape);
  const outputs: number[] = [];
  try {
    for (const [name, values] of Object.entries(input.inputs)) state.view(name as FlDmftBuffer).set(values);
    const steps = input.shape.steps;
    for (let t = 0; t < steps; t++) {
      state.view('row').set(input.operator.subarray(t * steps, (t + 1) * steps));
      for (const name of ['correlationRow', 'responseRow', ...(input.shape.reuse ? ['potentialRow', 'secondResponseRow'] : [])] as FlDmftBuffer[]) {
        state.view(name).fill(0.5);
      }
      outputs.push(state.modes(t, input.scales));
      for (const name of ['correlationRow', 'responseRow', 'diagonal', 'means',
        ...(input.shape.reuse ? ['potentialRow', 'secondResponseRow'] : [])] as FlDmftBuffer[]) {
        outputs.push(...state.view(name));
      }
    }
    return { outputs, response: state.view('response').slice() };
  } finally {
    state.dispose();
  }
}

describe('flDmftModes kernel', () => {
  it('WebAssembly (SIMD and scalar) equals the TypeScript twin bit for bit', () => {
    let seed = 1;
    for (const [steps, modes] of [[1, 1], [2, 3], [5, 2], [8, 4], [13, 5]]) {
      for (const finiteWidth of [false, true]) {
        for (const reuse of [false, true]) {
          const input = trial(seed++, steps, modes, finiteWidth, reuse);
          const reference = run('js', input);
          for (const engine of ['wasm-simd', 'wasm'] as const) {
            const got = run(engine, input);
            expect(got.outputs, `${engine} ${steps}x${modes} ${finiteWidth} ${reuse}`).toEqual(reference.outputs);
            expect(Array.from(got.response)).toEqual(Array.from(reference.response));
          }
        }
      }
    }
  });

  it('computes H_k = (I + lambda R)^-1 and the documented row sums (dense reference)', () => {
    // Independent evaluation: H by Gauss-Jordan inversion of the full matrix, Zhat = H Q H^T with
    // Q = c C + s lambda D + diag(noise), then the weighted rows. Tolerance 1e-12 (rounding only).
    const steps = 7;
    const modes = 3;
    const input = trial(99, steps, modes, true, true);
    const { outputs, response } = run('js', input);
    const { eigenvalues, counts, targetPower, noise, correlation, secondCorrelation } = input.inputs as Record<string, Float64Array>;
    const stride = steps * (steps + 1) / 2;
    const perStep = 1 + steps * 2 + modes + modes * steps + steps * 2;
    for (let k = 0; k < modes; k++) {
      const lambda = eigenvalues[k];
      const h = invert(Array.from({ length: steps }, (_, i) => Array.from({ length: steps }, (_, j) => (i === j ? 1 : 0) + lambda * input.operator[i * steps + j])));
      for (let t = 0; t < steps; t++) {
        for (let s = 0; s <= t; s++) expect(response[k * stride + t * (t + 1) / 2 + s]).toBeCloseTo(h[t][s], 12);
      }
      // loss contribution at the last step, as the kernel documents: p a(t)^2 + n lambda Zhat(t, t)
      // (noise row t is included here; the kernel's callers keep it 0 until L(t) is known)
      const t = steps - 1;
      const q = (a: number, b: number) => input.scales.correlationScale * correlation[a * steps + b]
        + input.scales.secondScale * lambda * secondCorrelation[a * steps + b] + (a === b ? noise[k * steps + a] : 0);
      let zhat = 0;
      for (let a = 0; a < steps; a++) for (let b = 0; b < steps; b++) zhat += h[t][a] * q(a, b) * h[t][b];
      const mean = h[t].reduce((x, y) => x + y, 0);
      const diagonal = outputs[t * perStep + 1 + 2 * steps + k];
      expect(diagonal).toBeCloseTo(zhat, 12);
      expect(counts[k] > 0 && targetPower[k] >= 0 && Number.isFinite(mean)).toBe(true);
    }
  });

  it('keeps engine memory flat over many solves, aborted ones included', () => {
    for (const engine of ['wasm-simd', 'wasm'] as const) {
      const options = { alpha: 1.5, beta: 0.5, modes: 40, modelSize: 8, batchSize: 4, featureLearning: 1, learningRate: 0.2, times: [0, 12], engine };
      featureLearningDmft(options);
      featureLearningDmft({ ...options, batchSize: undefined, dataSize: 9 });
      expect(() => featureLearningDmft({ ...options, times: [0, 300], timeLimit: 1 })).toThrow('timeLimit'); // warm up: largest block
      const before = engineMemory()[engine];
      for (let i = 0; i < 60; i++) {
        featureLearningDmft(options);
        featureLearningDmft({ ...options, batchSize: undefined, dataSize: 9 });
        expect(() => featureLearningDmft({ ...options, times: [0, 300], timeLimit: 1 })).toThrow('timeLimit');
      }
      expect(engineMemory()[engine]).toBe(before);
    }
  });
});

/** Inverse of a small dense matrix by Gauss-Jordan elimination with partial pivoting. */
function invert(matrix: number[][]): number[][] {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    const scale = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= scale;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const factor = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= factor * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}
