// The package's canonical summation order, shared by every engine so that results agree to the
// last bit where the terms do (src/engine/js.ts mirrors it): two interleaved lanes (even and odd
// indices), partial sums over blocks of SUM_BLOCK terms added into two lane totals, the lanes
// added last, then the odd leftover term. Blocking bounds the rounding error to about
// (SUM_BLOCK/2 + n/SUM_BLOCK) ulp instead of n ulp for a plain running sum.

/** Terms per block partial sum (even). */
export const SUM_BLOCK: i32 = 512;

/** Sum of `count` f64 values at `values`, in the canonical order. */
export function pairSum(values: usize, count: i32): f64 {
  const even = count & ~1;
  let total0: f64 = 0;
  let total1: f64 = 0;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    let total = f64x2.splat(0);
    while (k < even) {
      const end = min(k + SUM_BLOCK, even);
      let block = f64x2.splat(0);
      for (; k < end; k += 2) {
        block = f64x2.add(block, v128.load(values + (<usize>k << 3)));
      }
      total = f64x2.add(total, block);
    }
    total0 = f64x2.extract_lane(total, 0);
    total1 = f64x2.extract_lane(total, 1);
  } else {
    while (k < even) {
      const end = min(k + SUM_BLOCK, even);
      let block0: f64 = 0;
      let block1: f64 = 0;
      for (; k < end; k += 2) {
        const at = values + (<usize>k << 3);
        block0 += load<f64>(at);
        block1 += load<f64>(at, 8);
      }
      total0 += block0;
      total1 += block1;
    }
  }
  let sum = total0 + total1;
  if (count & 1) sum += load<f64>(values + (<usize>even << 3));
  return sum;
}
