// Symmetric eigendecomposition for the evolving-operator solver (spec spectral-shells.md §9(ii).2):
// Householder tridiagonalisation followed by the implicit QL algorithm with Wilkinson-type shifts
// (tred2/tql2 of EISPACK, Smith et al. 1976, in the form of the public-domain JAMA library). The
// same loops, in the same order, are assembly/eigen.ts; both engines give identical bits.

/** Machine epsilon of binary64, 2^-52: the QL deflation tolerance. */
const EPSILON = 2.220446049250313e-16;
/** QL iterations allowed per eigenvalue before giving up (typically 1-3 are needed). */
export const MAX_QL_ITERATIONS = 64;

/**
 * sqrt(a^2 + b^2) without overflow, written out so that the WebAssembly kernel (assembly/eigen.ts)
 * computes the same bits (the host's Math.hypot may differ by an ulp).
 */
export function stableHypot(a: number, b: number): number {
  let large = Math.abs(a);
  let small = Math.abs(b);
  if (large < small) {
    const swap = large;
    large = small;
    small = swap;
  }
  if (large === 0) return 0;
  const ratio = small / large;
  return large * Math.sqrt(1 + ratio * ratio);
}

/**
 * Eigendecomposition M = U^T diag(lambda) U of the symmetric n x n matrix `matrix` (row-major; only
 * its upper triangle, column >= row, is read), in place and without allocation.
 *
 * On return `matrix` holds the orthonormal eigenvectors as ROWS (row i is u_i) and `eigenvalues`
 * the eigenvalues in descending order. `work` is scratch of length n.
 *
 * Method: tred2 (Householder reduction to tridiagonal form, accumulating the transformations)
 * and tql2 (implicit QL with shifts), stored transposed so that every inner loop runs along a row.
 * Accuracy (backward stable): ||M U^T - U^T Lambda|| and ||U U^T - I|| are a small multiple of
 * n * 2^-52 * ||M||; degenerate eigenvalues are fine (any orthonormal basis of the eigenspace).
 *
 * @returns 0 on success, -1 if some eigenvalue needed more than MAX_QL_ITERATIONS iterations or
 *   came out non-finite (non-finite input).
 */
export function symmetricEigen(matrix: Float64Array, n: number, eigenvalues: Float64Array, work: Float64Array): number {
  if (n <= 0) return 0;
  const d = eigenvalues;
  const e = work;
  const w = matrix; // w[j * n + k] plays V[k][j] of JAMA: the transpose, so loops over k are contiguous
  tridiagonalise(w, n, d, e);
  let status = implicitQl(w, n, d, e);
  for (let i = 0; i < n; i++) if (!Number.isFinite(d[i])) status = -1; // NaN input never fails a deflation test
  sortDescending(w, n, d);
  return status;
}

function tridiagonalise(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const row = j * n;
        f = d[j];
        w[i * n + j] = f;
        g = e[j] + w[row + j] * f;
        for (let k = j + 1; k < i; k++) {
          const value = w[row + k];
          g += value * d[k];
          e[k] += value * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const row = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k < i; k++) w[row + k] -= f * e[k] + g * d[k];
        d[j] = w[row + i - 1];
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the Householder transformations.
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[next + k] * w[row + k];
        for (let k = 0; k <= i; k++) w[row + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function implicitQl(w: Float64Array, n: number, d: Float64Array, e: Float64Array): number {
  let status = 0;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let largest = 0;
  for (let l = 0; l < n; l++) {
    largest = Math.max(largest, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPSILON * largest) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > MAX_QL_ITERATIONS) {
          status = -1;
          break;
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = stableHypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = stableHypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rotateRows(w, i * n, (i + 1) * n, n, c, s);
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPSILON * largest);
    }
    d[l] += f;
    e[l] = 0;
  }
  return status;
}

/** (row_a, row_b) <- (c row_a - s row_b, s row_a + c row_b). */
function rotateRows(w: Float64Array, rowA: number, rowB: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const b = w[rowB + k];
    const a = w[rowA + k];
    w[rowB + k] = s * a + c * b;
    w[rowA + k] = c * a - s * b;
  }
}

/** Selection sort to descending eigenvalues, swapping eigenvector rows along. */
function sortDescending(w: Float64Array, n: number, d: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (d[j] > d[best]) best = j;
    if (best !== i) {
      const value = d[i];
      d[i] = d[best];
      d[best] = value;
      const rowA = i * n;
      const rowB = best * n;
      for (let k = 0; k < n; k++) {
        const swap = w[rowA + k];
        w[rowA + k] = w[rowB + k];
        w[rowB + k] = swap;
      }
    }
  }
}
