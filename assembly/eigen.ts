// Symmetric eigensolver and row products for the evolving-operator solver (spec
// spectral-shells.md §9(ii).2-.5): Householder tridiagonalisation + implicit QL (tred2/tql2 of
// EISPACK, Smith et al. 1976, as in the public-domain JAMA library), stored transposed so that
// every inner loop runs along a row. src/linalg/symmetric-eigen.ts and src/linalg/row-products.ts
// are the same loops in TypeScript; the results agree bit for bit (no FMA, same order; the SIMD
// paths only vectorise element-wise loops and the two-lane inner product, whose order is fixed).
// Caller-owned memory only; nothing is allocated.

/** 2^-52, the QL deflation tolerance. */
const EPSILON: f64 = 2.220446049250313e-16;
/** QL iterations allowed per eigenvalue (typically 1-3 are needed). */
export const MAX_QL_ITERATIONS: i32 = 64;

// @ts-ignore: decorator
@inline function get(pointer: usize, index: i32): f64 {
  return load<f64>(pointer + (<usize>index << 3));
}

// @ts-ignore: decorator
@inline function set(pointer: usize, index: i32, value: f64): void {
  store<f64>(pointer + (<usize>index << 3), value);
}

/** sqrt(a^2 + b^2) without overflow, the same operations as stableHypot in TypeScript. */
export function stableHypot(a: f64, b: f64): f64 {
  let large = Math.abs(a);
  let small = Math.abs(b);
  if (large < small) {
    const swap = large;
    large = small;
    small = swap;
  }
  if (large == 0) return 0;
  const ratio = small / large;
  return large * Math.sqrt(1 + ratio * ratio);
}

/**
 * Eigendecomposition of the symmetric n x n row-major matrix at `matrix` (upper triangle, column >= row, read), in
 * place: on return row i of `matrix` is the unit eigenvector u_i and `eigenvalues` (n values) holds
 * the eigenvalues in descending order. `work` is scratch for n values. Returns 0, or -1 if some
 * eigenvalue needed more than MAX_QL_ITERATIONS QL iterations or came out non-finite.
 */
export function symmetricEigen(matrix: usize, n: i32, eigenvalues: usize, work: usize): i32 {
  if (n <= 0) return 0;
  tridiagonalise(matrix, n, eigenvalues, work);
  let status = implicitQl(matrix, n, eigenvalues, work);
  for (let i = 0; i < n; i++) if (!isFinite(get(eigenvalues, i))) status = -1; // NaN input never fails a deflation test
  sortDescending(matrix, n, eigenvalues);
  return status;
}

function tridiagonalise(w: usize, n: i32, d: usize, e: usize): void {
  for (let j = 0; j < n; j++) set(d, j, get(w, j * n + n - 1));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(get(d, k));
    if (scale == 0) {
      set(e, i, get(d, i - 1));
      for (let j = 0; j < i; j++) {
        set(d, j, get(w, j * n + i - 1));
        set(w, j * n + i, 0);
        set(w, i * n + j, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const value = get(d, k) / scale;
        set(d, k, value);
        h += value * value;
      }
      let f = get(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      set(e, i, scale * g);
      h -= f * g;
      set(d, i - 1, f - g);
      for (let j = 0; j < i; j++) set(e, j, 0);
      for (let j = 0; j < i; j++) {
        const row = w + (<usize>(j * n) << 3);
        f = get(d, j);
        set(w, i * n + j, f);
        g = get(e, j) + get(row, j) * f;
        for (let k = j + 1; k < i; k++) {
          const value = get(row, k);
          g += value * get(d, k);
          set(e, k, get(e, k) + value * f);
        }
        set(e, j, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const value = get(e, j) / h;
        set(e, j, value);
        f += value * get(d, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) set(e, j, get(e, j) - hh * get(d, j));
      for (let j = 0; j < i; j++) {
        const row = w + (<usize>(j * n) << 3);
        f = get(d, j);
        g = get(e, j);
        for (let k = j; k < i; k++) set(row, k, get(row, k) - (f * get(e, k) + g * get(d, k)));
        set(d, j, get(row, i - 1));
        set(row, i, 0);
      }
    }
    set(d, i, h);
  }
  for (let i = 0; i < n - 1; i++) {
    set(w, i * n + n - 1, get(w, i * n + i));
    set(w, i * n + i, 1);
    const h = get(d, i + 1);
    const next = w + (<usize>((i + 1) * n) << 3);
    if (h != 0) {
      for (let k = 0; k <= i; k++) set(d, k, get(next, k) / h);
      for (let j = 0; j <= i; j++) {
        const row = w + (<usize>(j * n) << 3);
        let g: f64 = 0;
        for (let k = 0; k <= i; k++) g += get(next, k) * get(row, k);
        for (let k = 0; k <= i; k++) set(row, k, get(row, k) - g * get(d, k));
      }
    }
    for (let k = 0; k <= i; k++) set(next, k, 0);
  }
  for (let j = 0; j < n; j++) {
    set(d, j, get(w, j * n + n - 1));
    set(w, j * n + n - 1, 0);
  }
  set(w, (n - 1) * n + n - 1, 1);
  set(e, 0, 0);
}

function implicitQl(w: usize, n: i32, d: usize, e: usize): i32 {
  let status: i32 = 0;
  for (let i = 1; i < n; i++) set(e, i - 1, get(e, i));
  set(e, n - 1, 0);
  let f: f64 = 0;
  let largest: f64 = 0;
  for (let l = 0; l < n; l++) {
    largest = Math.max(largest, Math.abs(get(d, l)) + Math.abs(get(e, l)));
    let m = l;
    while (m < n - 1 && Math.abs(get(e, m)) > EPSILON * largest) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > MAX_QL_ITERATIONS) {
          status = -1;
          break;
        }
        let g = get(d, l);
        let p = (get(d, l + 1) - g) / (2 * get(e, l));
        let r = stableHypot(p, 1);
        if (p < 0) r = -r;
        set(d, l, get(e, l) / (p + r));
        set(d, l + 1, get(e, l) * (p + r));
        const dl1 = get(d, l + 1);
        let h = g - get(d, l);
        for (let i = l + 2; i < n; i++) set(d, i, get(d, i) - h);
        f += h;
        p = get(d, m);
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = get(e, l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = get(e, i);
          g = c * ei;
          h = c * p;
          r = stableHypot(p, ei);
          set(e, i + 1, s * r);
          s = ei / r;
          c = p / r;
          const di = get(d, i);
          p = c * di - s * g;
          set(d, i + 1, h + s * (c * g + s * di));
          rotateRows(w + (<usize>(i * n) << 3), w + (<usize>((i + 1) * n) << 3), n, c, s);
        }
        p = -s * s2 * c3 * el1 * get(e, l) / dl1;
        set(e, l, s * p);
        set(d, l, c * p);
      } while (Math.abs(get(e, l)) > EPSILON * largest);
    }
    set(d, l, get(d, l) + f);
    set(e, l, 0);
  }
  return status;
}

/** (row a, row b) <- (c a - s b, s a + c b); element-wise, so the SIMD path gives the same bits. */
function rotateRows(rowA: usize, rowB: usize, n: i32, c: f64, s: f64): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    const sv = f64x2.splat(s);
    const even = n & ~1;
    for (; k < even; k += 2) {
      const offset = <usize>k << 3;
      const a = v128.load(rowA + offset);
      const b = v128.load(rowB + offset);
      v128.store(rowB + offset, f64x2.add(f64x2.mul(sv, a), f64x2.mul(cv, b)));
      v128.store(rowA + offset, f64x2.sub(f64x2.mul(cv, a), f64x2.mul(sv, b)));
    }
  }
  for (; k < n; k++) {
    const a = get(rowA, k);
    const b = get(rowB, k);
    set(rowB, k, s * a + c * b);
    set(rowA, k, c * a - s * b);
  }
}

function sortDescending(w: usize, n: i32, d: usize): void {
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (get(d, j) > get(d, best)) best = j;
    if (best != i) {
      const value = get(d, i);
      set(d, i, get(d, best));
      set(d, best, value);
      const rowA = w + (<usize>(i * n) << 3);
      const rowB = w + (<usize>(best * n) << 3);
      for (let k = 0; k < n; k++) {
        const swap = get(rowA, k);
        set(rowA, k, get(rowB, k));
        set(rowB, k, swap);
      }
    }
  }
}

/**
 * Two-lane inner product of `count` values: even and odd indices summed separately (the two
 * f64x2 lanes), lanes added, then the odd leftover term.
 */
export function laneDot(left: usize, right: usize, count: i32): f64 {
  const even = count & ~1;
  let lane0: f64 = 0;
  let lane1: f64 = 0;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    let lanes = f64x2.splat(0);
    for (; k < even; k += 2) {
      const offset = <usize>k << 3;
      lanes = f64x2.add(lanes, f64x2.mul(v128.load(left + offset), v128.load(right + offset)));
    }
    lane0 = f64x2.extract_lane(lanes, 0);
    lane1 = f64x2.extract_lane(lanes, 1);
  } else {
    for (; k < even; k += 2) {
      lane0 += get(left, k) * get(right, k);
      lane1 += get(left, k + 1) * get(right, k + 1);
    }
  }
  let sum = lane0 + lane1;
  if (count & 1) sum += get(left, even) * get(right, even);
  return sum;
}

/**
 * out[i * rightRows + j] = (row i of `left`) . (row j of `right`) for rows of `length` values,
 * i.e. out = left right^T. `out` must not overlap the inputs. In the SIMD build, 2 x 2 blocks of
 * outputs share their loads; every output keeps its own two-lane sum, so the bits equal laneDot's.
 */
export function rowProducts(left: usize, leftRows: i32, right: usize, rightRows: i32, length: i32, out: usize): void {
  const stride = <usize>length << 3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const even = length & ~1;
    const odd = (length & 1) != 0;
    const last = <usize>even << 3;
    for (; i + 1 < leftRows; i += 2) {
      const left0 = left + <usize>i * stride;
      const left1 = left0 + stride;
      const out0 = out + (<usize>(i * rightRows) << 3);
      const out1 = out0 + (<usize>rightRows << 3);
      let j = 0;
      for (; j + 1 < rightRows; j += 2) {
        const right0 = right + <usize>j * stride;
        const right1 = right0 + stride;
        let sum00 = f64x2.splat(0);
        let sum01 = f64x2.splat(0);
        let sum10 = f64x2.splat(0);
        let sum11 = f64x2.splat(0);
        for (let k = 0; k < even; k += 2) {
          const offset = <usize>k << 3;
          const a0 = v128.load(left0 + offset);
          const a1 = v128.load(left1 + offset);
          const b0 = v128.load(right0 + offset);
          const b1 = v128.load(right1 + offset);
          sum00 = f64x2.add(sum00, f64x2.mul(a0, b0));
          sum01 = f64x2.add(sum01, f64x2.mul(a0, b1));
          sum10 = f64x2.add(sum10, f64x2.mul(a1, b0));
          sum11 = f64x2.add(sum11, f64x2.mul(a1, b1));
        }
        let r00 = f64x2.extract_lane(sum00, 0) + f64x2.extract_lane(sum00, 1);
        let r01 = f64x2.extract_lane(sum01, 0) + f64x2.extract_lane(sum01, 1);
        let r10 = f64x2.extract_lane(sum10, 0) + f64x2.extract_lane(sum10, 1);
        let r11 = f64x2.extract_lane(sum11, 0) + f64x2.extract_lane(sum11, 1);
        if (odd) {
          const a0 = load<f64>(left0 + last);
          const a1 = load<f64>(left1 + last);
          const b0 = load<f64>(right0 + last);
          const b1 = load<f64>(right1 + last);
          r00 += a0 * b0;
          r01 += a0 * b1;
          r10 += a1 * b0;
          r11 += a1 * b1;
        }
        set(out0, j, r00);
        set(out0, j + 1, r01);
        set(out1, j, r10);
        set(out1, j + 1, r11);
      }
      for (; j < rightRows; j++) {
        const rightRow = right + <usize>j * stride;
        set(out0, j, laneDot(left0, rightRow, length));
        set(out1, j, laneDot(left1, rightRow, length));
      }
    }
  }
  for (; i < leftRows; i++) {
    const leftRow = left + <usize>i * stride;
    const outRow = out + (<usize>(i * rightRows) << 3);
    for (let j = 0; j < rightRows; j++) set(outRow, j, laneDot(leftRow, right + <usize>j * stride, length));
  }
}
