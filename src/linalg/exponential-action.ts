// The action exp(-tau M) v of a symmetric matrix exponential on a vector, by a truncated Taylor
// series with scaling (s substeps of tau/s with ||tau M / s||_1 <= 1, terms added until the next
// is below 2^-56 of the sum). For the Magnus-2 step of spec spectral-shells.md §9(ii).1 when an
// eigendecomposition per step would cost more; exact to round-off for constant M, like it.

/** Largest absolute row sum of the row-major n x n `matrix` (the 1- and infinity-norm when symmetric). */
export function matrixNorm(matrix: Float64Array, n: number): number {
  let largest = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.abs(matrix[i * n + k]);
    largest = Math.max(largest, sum);
  }
  return largest;
}

/** Substeps the Taylor action needs for exp(-tau M) when ||M|| = `norm`. */
export function taylorSubsteps(norm: number, tau: number): number {
  return Math.max(1, Math.ceil(norm * Math.abs(tau)));
}

/** out = matrix * vector (n x n row-major). */
export function multiply(matrix: Float64Array, n: number, vector: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const row = i * n;
    for (let k = 0; k < n; k++) sum += matrix[row + k] * vector[k];
    out[i] = sum;
  }
}

const MAX_TERMS = 60;
const TRUNCATION = 2 ** -56;

/**
 * Replaces `vector` by exp(-tau M) vector for the n x n row-major `matrix` M with norm `norm`
 * (matrixNorm). `scratch` holds 2n values. Returns the number of matrix-vector products used.
 */
export function exponentialAction(
  matrix: Float64Array, n: number, norm: number, tau: number, vector: Float64Array, scratch: Float64Array,
): number {
  const substeps = taylorSubsteps(norm, tau);
  const h = tau / substeps;
  const term = scratch.subarray(0, n);
  const next = scratch.subarray(n, 2 * n);
  let products = 0;
  for (let step = 0; step < substeps; step++) {
    term.set(vector);
    let sumSize = 0;
    for (let i = 0; i < n; i++) sumSize = Math.max(sumSize, Math.abs(vector[i]));
    for (let k = 1; k <= MAX_TERMS; k++) {
      multiply(matrix, n, term, next);
      products++;
      const factor = -h / k;
      let termSize = 0;
      for (let i = 0; i < n; i++) {
        const value = factor * next[i];
        term[i] = value;
        vector[i] += value;
        termSize = Math.max(termSize, Math.abs(value));
      }
      if (termSize <= TRUNCATION * sumSize) break;
    }
  }
  return products;
}
