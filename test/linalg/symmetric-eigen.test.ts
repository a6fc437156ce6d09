// The symmetric eigensolver (src/linalg/symmetric-eigen.ts and assembly/eigen.ts through
// src/engine/eigen-kernels.ts) on matrices with known spectra: random orthogonal similarity
// transforms of given eigenvalues, exactly and nearly degenerate spectra, residual and
// orthogonality bounds up to n = 400, and bit-for-bit agreement of the three engines.
import { beforeAll, describe, expect, it } from 'vitest';
import { eigenKernels, typescriptEigenKernels } from '../../src/engine/eigen-kernels.js';
import { stableHypot, symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { rowProducts } from '../../src/linalg/row-products.js';
import { ENGINES, getEngine, initEngines, Random } from '../helpers.js';
import { randomOrthogonal, withSpectrum } from './dense.js';

beforeAll(initEngines);

/** ||M U^T - U^T diag(lambda)||_max, ||U U^T - I||_max and the largest |lambda_i - expected_i|. */
function check(matrix: Float64Array, vectors: Float64Array, values: Float64Array, n: number) {
  let residual = 0;
  let orthogonality = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let l = 0; l < n; l++) sum += matrix[k * n + l] * vectors[i * n + l];
      residual = Math.max(residual, Math.abs(sum - values[i] * vectors[i * n + k]));
    }
  }
  const gram = new Float64Array(n * n);
  rowProducts(vectors, n, vectors, n, n, gram);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) orthogonality = Math.max(orthogonality, Math.abs(gram[i * n + j] - (i === j ? 1 : 0)));
  return { residual, orthogonality };
}

function norm1(matrix: Float64Array, n: number): number {
  let largest = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.abs(matrix[i * n + k]);
    largest = Math.max(largest, sum);
  }
  return largest;
}

function decompose(matrix: Float64Array, n: number) {
  const vectors = matrix.slice();
  const values = new Float64Array(n);
  expect(symmetricEigen(vectors, n, values, new Float64Array(n))).toBe(0);
  return { vectors, values };
}

describe('symmetric eigensolver (tred2 + implicit QL)', () => {
  it('recovers known spectra under random orthogonal similarity transforms, n = 1..400', () => {
    const random = new Random(11);
    for (const n of [1, 2, 3, 7, 40, 150, 400]) {
      const expected = Float64Array.from({ length: n }, (_, i) => (i + 1) ** -1.2 * (i % 3 === 2 ? -1 : 1));
      const matrix = withSpectrum(randomOrthogonal(n, random), expected, n);
      const { vectors, values } = decompose(matrix, n);
      const sorted = Float64Array.from(expected).sort().reverse();
      const scale = norm1(matrix, n);
      let valueError = 0;
      for (let i = 0; i < n; i++) valueError = Math.max(valueError, Math.abs(values[i] - sorted[i]));
      const { residual, orthogonality } = check(matrix, vectors, values, n);
      // Backward stable: errors a small multiple of n eps ||M||; measured <= 2e-15 ||M|| at n = 400.
      expect(residual).toBeLessThan(1e-12 * scale);
      expect(orthogonality).toBeLessThan(1e-12);
      expect(valueError).toBeLessThan(1e-12 * scale);
      for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    }
  });

  it('handles exactly and nearly degenerate spectra (any orthonormal eigenbasis)', () => {
    const random = new Random(5);
    const n = 60;
    const cases: [string, (i: number) => number][] = [
      ['all equal', () => 0.7],
      ['three clusters', (i) => [1, 0.5, 0.25][i % 3]],
      ['pairs split by 1e-13', (i) => 1 / (1 + (i >> 1)) + (i & 1) * 1e-13],
      ['zeros and a rank-2 part', (i) => (i < 2 ? 3 - i : 0)],
    ];
    for (const [name, value] of cases) {
      const expected = Float64Array.from({ length: n }, (_, i) => value(i));
      const matrix = withSpectrum(randomOrthogonal(n, random), expected, n);
      const { vectors, values } = decompose(matrix, n);
      const sorted = Float64Array.from(expected).sort().reverse();
      const { residual, orthogonality } = check(matrix, vectors, values, n);
      const scale = Math.max(1, norm1(matrix, n));
      expect(residual, name).toBeLessThan(1e-12 * scale);
      expect(orthogonality, name).toBeLessThan(1e-12);
      for (let i = 0; i < n; i++) expect(Math.abs(values[i] - sorted[i]), name).toBeLessThan(1e-12 * scale);
    }
  });

  it('diagonal, zero and 2 x 2 matrices have their exact eigenpairs', () => {
    const diagonal = Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    const { vectors, values } = decompose(diagonal, 3);
    expect(Array.from(values)).toEqual([3, 2, -1]);
    expect(Array.from(vectors).map(Math.abs)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    const zero = decompose(new Float64Array(16), 4);
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0]);
    const pair = decompose(Float64Array.from([2, 1, 1, 2]), 2);
    expect(pair.values[0]).toBeCloseTo(3, 15);
    expect(pair.values[1]).toBeCloseTo(1, 15);
  });

  it('stableHypot matches Math.hypot to 1 ulp-ish and does not overflow', () => {
    expect(stableHypot(3, 4)).toBe(5);
    expect(stableHypot(1e300, 1e300)).toBeCloseTo(Math.SQRT2 * 1e300, -285);
    expect(stableHypot(0, 0)).toBe(0);
    const random = new Random(3);
    for (let trial = 0; trial < 1000; trial++) {
      const a = random.normal() * 10 ** (random.uniform() * 20 - 10);
      const b = random.normal() * 10 ** (random.uniform() * 20 - 10);
      expect(Math.abs(stableHypot(a, b) / Math.hypot(a, b) - 1)).toBeLessThan(4e-16);
    }
  });

  it('gives identical bits on every engine (wasm-simd, wasm, js)', () => {
    const random = new Random(17);
    for (const n of [1, 2, 9, 64, 201]) {
      const matrix = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) matrix[i * n + j] = matrix[j * n + i] = random.normal();
      const reference = matrix.slice();
      const referenceValues = new Float64Array(n);
      typescriptEigenKernels.decompose(reference, n, referenceValues);
      const right = Float64Array.from({ length: 3 * n }, () => random.normal());
      const referenceProducts = new Float64Array(n * 3);
      typescriptEigenKernels.rowProducts(reference, n, right, 3, n, referenceProducts);
      for (const name of ENGINES) {
        const kernels = eigenKernels(getEngine(name));
        const vectors = matrix.slice();
        const values = new Float64Array(n);
        kernels.decompose(vectors, n, values);
        expect(values, `${name} n=${n}`).toEqual(referenceValues);
        expect(vectors, `${name} n=${n}`).toEqual(reference);
        const products = new Float64Array(n * 3);
        kernels.rowProducts(vectors, n, right, 3, n, products);
        expect(products, `${name} n=${n}`).toEqual(referenceProducts);
      }
    }
  });

  it('reports non-convergence on non-finite input instead of returning garbage', () => {
    const matrix = Float64Array.from([1, NaN, NaN, 1]);
    for (const name of ENGINES) {
      expect(() => eigenKernels(getEngine(name)).decompose(matrix.slice(), 2, new Float64Array(2))).toThrow(/did not converge/);
    }
  });
});
