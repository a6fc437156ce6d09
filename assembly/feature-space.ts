// Hot loop of the rich gradient flow of featureSpaceDynamics (src/feature-learning/feature-space.ts;
// spec feature-learning.md §1.4 reduced to the feature space, §1.8 at finite N [D]): one sweep over
// the lower triangle of the symmetric N x N coupling J that applies a pending rank-2 update
// J += factor (u v^T + v u^T) and returns product = J x with the updated J. Two sweeps per
// integrator step. Caller-owned memory; nothing is allocated.
//
// Order of operations (mirrored by src/engine/feature-space-kernels.ts, so every engine gives the
// same bits): entry = (J_ij + (u_i factor) v_j) + (v_i factor) u_j; product_j += entry x_i element by
// element in row order; the row's inner sum over j < i runs two lanes (even and odd j) added at the
// end, then the odd leftover term, then product_i += sum + diagonal x_i, with the diagonal
// J_ii + 2 (u_i factor) v_i; no fused multiply-add. factor = 0 leaves J untouched (no update pass).

// @ts-ignore: decorator
@inline function get(pointer: usize, index: i32): f64 {
  return load<f64>(pointer + (<usize>index << 3));
}

// @ts-ignore: decorator
@inline function set(pointer: usize, index: i32, value: f64): void {
  store<f64>(pointer + (<usize>index << 3), value);
}

/**
 * J += factor (u v^T + v u^T) on the lower triangle of the row-major n x n `coupling` (skipped when
 * factor = 0), then product = J x (J symmetric, read from its lower triangle). Cost O(n^2).
 */
export function featureSpaceSweep(coupling: usize, u: usize, v: usize, factor: f64, x: usize, product: usize, n: i32): void {
  memory.fill(product, 0, <usize>n << 3);
  const update = factor != 0;
  for (let i = 0; i < n; i++) {
    const row = coupling + (<usize>i * <usize>n << 3);
    const xi = get(x, i);
    const ui = get(u, i) * factor;
    const vi = get(v, i) * factor;
    const even = i & ~1;
    let lane0: f64 = 0;
    let lane1: f64 = 0;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const xs = f64x2.splat(xi);
      const us = f64x2.splat(ui);
      const vs = f64x2.splat(vi);
      let lanes = f64x2.splat(0);
      for (; j < even; j += 2) {
        const offset = <usize>j << 3;
        let entry = v128.load(row + offset);
        if (update) {
          entry = f64x2.add(f64x2.add(entry, f64x2.mul(us, v128.load(v + offset))), f64x2.mul(vs, v128.load(u + offset)));
          v128.store(row + offset, entry);
        }
        lanes = f64x2.add(lanes, f64x2.mul(entry, v128.load(x + offset)));
        v128.store(product + offset, f64x2.add(v128.load(product + offset), f64x2.mul(entry, xs)));
      }
      lane0 = f64x2.extract_lane(lanes, 0);
      lane1 = f64x2.extract_lane(lanes, 1);
    } else {
      for (; j < even; j += 2) {
        let entry0 = get(row, j);
        let entry1 = get(row, j + 1);
        if (update) {
          entry0 = (entry0 + ui * get(v, j)) + vi * get(u, j);
          entry1 = (entry1 + ui * get(v, j + 1)) + vi * get(u, j + 1);
          set(row, j, entry0);
          set(row, j + 1, entry1);
        }
        lane0 += entry0 * get(x, j);
        lane1 += entry1 * get(x, j + 1);
        set(product, j, get(product, j) + entry0 * xi);
        set(product, j + 1, get(product, j + 1) + entry1 * xi);
      }
    }
    let dot = lane0 + lane1;
    if (i & 1) {
      let entry = get(row, even);
      if (update) {
        entry = (entry + ui * get(v, even)) + vi * get(u, even);
        set(row, even, entry);
      }
      dot += entry * get(x, even);
      set(product, even, get(product, even) + entry * xi);
    }
    let diagonal = get(row, i);
    if (update) {
      diagonal = diagonal + 2 * ui * get(v, i);
      set(row, i, diagonal);
    }
    set(product, i, get(product, i) + (dot + diagonal * xi));
  }
}
