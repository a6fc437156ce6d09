// Small dense helpers for the linear-algebra and operator tests, independent of src/linalg:
// products, random orthogonal matrices (modified Gram-Schmidt), and the matrix exponential by
// scaling and squaring of a Taylor series (for non-symmetric matrices too).
import { Random } from '../helpers.js';

/** C = A B for n x n row-major matrices. */
export function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) {
      const value = a[i * n + l];
      if (value === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += value * b[l * n + j];
    }
  }
  return c;
}

/** Transpose. */
export function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

/** y = A x. */
export function matvec(a: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += a[i * n + j] * x[j];
    y[i] = sum;
  }
  return y;
}

/** Random orthogonal matrix: modified Gram-Schmidt on Gaussian columns (rows here). */
export function randomOrthogonal(n: number, random: Random): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = random.normal();
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += q[i * n + k] * q[j * n + k];
        for (let k = 0; k < n; k++) q[i * n + k] -= dot * q[j * n + k];
      }
      let norm = 0;
      for (let k = 0; k < n; k++) norm += q[i * n + k] ** 2;
      norm = Math.sqrt(norm);
      for (let k = 0; k < n; k++) q[i * n + k] /= norm;
    }
  }
  return q;
}

/** Q^T diag(values) Q for orthogonal Q (rows are the eigenvectors), symmetrised exactly. */
export function withSpectrum(q: Float64Array, values: ArrayLike<number>, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += q[k * n + i] * values[k] * q[k * n + j];
      m[i * n + j] = sum;
      m[j * n + i] = sum;
    }
  }
  return m;
}

/** exp(A) by scaling and squaring: Taylor to degree 24 on A / 2^s with ||A / 2^s||_1 <= 1/2. */
export function expm(a: Float64Array, n: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.abs(a[i * n + j]);
    norm = Math.max(norm, sum);
  }
  const squarings = Math.max(0, Math.ceil(Math.log2(norm / 0.5)));
  const scaled = a.map((value) => value / 2 ** squarings);
  let result: Float64Array = new Float64Array(n * n);
  let term: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) result[i * n + i] = term[i * n + i] = 1;
  for (let k = 1; k <= 24; k++) {
    term = matmul(term, scaled, n).map((value) => value / k);
    for (let c = 0; c < n * n; c++) result[c] += term[c];
  }
  for (let s = 0; s < squarings; s++) result = matmul(result, result, n);
  return result;
}
