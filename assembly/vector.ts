// Small vector loops shared by the kernels: caller-owned memory, no allocation. Inlined at every
// call site, so the two-lane (SIMD) and scalar paths keep the same order of operations as before.

/** y_k <- y_k + c x_k for k < count. */
@inline export function axpy(y: usize, x: usize, c: f64, count: i32): void {
  const even = count & ~1;
  if (ASC_FEATURE_SIMD) {
    const factor = f64x2.splat(c);
    for (let k = 0; k < even; k += 2) {
      const offset = <usize>k << 3;
      v128.store(y + offset, f64x2.add(v128.load(y + offset), f64x2.mul(factor, v128.load(x + offset))));
    }
  } else {
    for (let k = 0; k < even; k += 2) {
      const offset = <usize>k << 3;
      store<f64>(y + offset, load<f64>(y + offset) + c * load<f64>(x + offset));
      store<f64>(y + offset, load<f64>(y + offset, 8) + c * load<f64>(x + offset, 8), 8);
    }
  }
  if (count & 1) {
    const offset = <usize>even << 3;
    store<f64>(y + offset, load<f64>(y + offset) + c * load<f64>(x + offset));
  }
}
