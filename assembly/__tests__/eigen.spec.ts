// assembly/eigen.ts: the symmetric eigensolver (tred2 + implicit QL) on matrices with known
// spectra made by products of Givens rotations, degenerate spectra, and rowProducts against a
// plain two-lane loop (bit for bit, in both builds: the SIMD blocks keep each output's order).
import { laneDot, rowProducts, stableHypot, symmetricEigen } from "../eigen";
import { allocF64, at, put, Uniform } from "./buffers";

/** M = Q diag(values) Q^T with Q a product of 3n random Givens rotations (applied to both sides). */
function knownSpectrum(values: usize, n: i32, seed: u64): usize {
  const m = allocF64(n * n);
  for (let i = 0; i < n * n; i++) put(m, i, 0);
  for (let i = 0; i < n; i++) put(m, i * n + i, at(values, i));
  const random = new Uniform(seed);
  for (let r = 0; r < 3 * n && n > 1; r++) {
    const p = <i32>(random.next() * <f64>n);
    let q = <i32>(random.next() * <f64>(n - 1));
    if (q >= p) q++;
    const angle = random.next() * 6.283185307179586;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    for (let k = 0; k < n; k++) { // rows p, q
      const a = at(m, p * n + k);
      const b = at(m, q * n + k);
      put(m, p * n + k, c * a - s * b);
      put(m, q * n + k, s * a + c * b);
    }
    for (let k = 0; k < n; k++) { // columns p, q
      const a = at(m, k * n + p);
      const b = at(m, k * n + q);
      put(m, k * n + p, c * a - s * b);
      put(m, k * n + q, s * a + c * b);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const mean = 0.5 * (at(m, i * n + j) + at(m, j * n + i));
    put(m, i * n + j, mean);
    put(m, j * n + i, mean);
  }
  return m;
}

/** max over i,k of |(M u_i)_k - lambda_i u_ik| and max |U U^T - I|, written to `out` [2]. */
function residuals(m: usize, vectors: usize, lambda: usize, n: i32, out: usize): void {
  let residual: f64 = 0;
  let orthogonality: f64 = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      let sum: f64 = 0;
      for (let l = 0; l < n; l++) sum += at(m, k * n + l) * at(vectors, i * n + l);
      residual = Math.max(residual, Math.abs(sum - at(lambda, i) * at(vectors, i * n + k)));
      let dot: f64 = 0;
      for (let l = 0; l < n; l++) dot += at(vectors, i * n + l) * at(vectors, k * n + l);
      orthogonality = Math.max(orthogonality, Math.abs(dot - (i == k ? 1.0 : 0.0)));
    }
  }
  put(out, 0, residual);
  put(out, 1, orthogonality);
}

function checkSpectrum(n: i32, seed: u64, degenerate: bool): void {
  const values = allocF64(n);
  for (let i = 0; i < n; i++) put(values, i, degenerate ? <f64>(i % 3) : Math.pow(<f64>(i + 1), -1.2) * (i % 4 == 3 ? -1.0 : 1.0));
  const m = knownSpectrum(values, n, seed);
  const vectors = allocF64(n * n);
  memory.copy(vectors, m, <usize>(n * n) << 3);
  const lambda = allocF64(n);
  const work = allocF64(n);
  expect<i32>(symmetricEigen(vectors, n, lambda, work)).toBe(0);
  const out = allocF64(2);
  residuals(m, vectors, lambda, n, out);
  expect<bool>(at(out, 0) < 1e-13).toBe(true, "residual n=" + n.toString());
  expect<bool>(at(out, 1) < 1e-13).toBe(true, "orthogonality n=" + n.toString());
  // Descending, and the same multiset as the given values (sorted here by selection).
  for (let i = 0; i < n; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (at(values, j) > at(values, best)) best = j;
    const swap = at(values, i);
    put(values, i, at(values, best));
    put(values, best, swap);
    expect<bool>(Math.abs(at(lambda, i) - at(values, i)) < 1e-13).toBe(true, "eigenvalue " + i.toString());
  }
  heap.free(values); heap.free(m); heap.free(vectors); heap.free(lambda); heap.free(work); heap.free(out);
}

describe("symmetricEigen", () => {
  test("known spectra under Givens similarity transforms, n = 1..64", () => {
    checkSpectrum(1, 1, false);
    checkSpectrum(2, 2, false);
    checkSpectrum(5, 3, false);
    checkSpectrum(33, 4, false);
    checkSpectrum(64, 5, false);
  });

  test("degenerate spectra (eigenvalues 0, 1, 2 repeated)", () => {
    checkSpectrum(12, 6, true);
    checkSpectrum(45, 7, true);
  });

  test("non-finite input is reported", () => {
    const m = allocF64(4);
    put(m, 0, 1); put(m, 1, NaN); put(m, 2, NaN); put(m, 3, 1);
    const lambda = allocF64(2);
    const work = allocF64(2);
    expect<i32>(symmetricEigen(m, 2, lambda, work)).toBe(-1);
    heap.free(m); heap.free(lambda); heap.free(work);
  });

  test("stableHypot", () => {
    expect<f64>(stableHypot(3, 4)).toBe(5);
    expect<f64>(stableHypot(0, 0)).toBe(0);
    expect<bool>(isFinite(stableHypot(1e300, 1e300))).toBe(true);
  });
});

describe("rowProducts", () => {
  test("equals the two-lane inner product per output, bit for bit (odd and even sizes)", () => {
    const random = new Uniform(9);
    const shapes: i32[] = [1, 1, 1, 2, 3, 3, 5, 4, 7, 7, 9, 8, 16, 15];
    for (let c = 0; c + 1 < shapes.length; c += 2) {
      const rows = shapes[c];
      const length = shapes[c + 1];
      const left = allocF64(rows * length);
      const right = allocF64((rows + 1) * length);
      for (let i = 0; i < rows * length; i++) put(left, i, random.next() - 0.5);
      for (let i = 0; i < (rows + 1) * length; i++) put(right, i, random.next() - 0.5);
      const out = allocF64(rows * (rows + 1));
      rowProducts(left, rows, right, rows + 1, length, out);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j <= rows; j++) {
          let lane0: f64 = 0;
          let lane1: f64 = 0;
          const even = length & ~1;
          for (let k = 0; k < even; k += 2) {
            lane0 += at(left, i * length + k) * at(right, j * length + k);
            lane1 += at(left, i * length + k + 1) * at(right, j * length + k + 1);
          }
          let sum = lane0 + lane1;
          if (length & 1) sum += at(left, i * length + even) * at(right, j * length + even);
          expect<u64>(reinterpret<u64>(at(out, i * (rows + 1) + j))).toBe(reinterpret<u64>(sum));
          expect<u64>(reinterpret<u64>(laneDot(left + (<usize>(i * length) << 3), right + (<usize>(j * length) << 3), length))).toBe(reinterpret<u64>(sum));
        }
      }
      heap.free(left); heap.free(right); heap.free(out);
    }
  });
});
