// Two-lane f64 exponential for the SIMD build (WebAssembly SIMD has no vector exp).
// Method: Cody-Waite reduction x = n ln2 + r with |r| <= ln2/2 (fdlibm's split of ln 2), a
// degree-13 Taylor polynomial for e^r (truncation < 2^-57 relative, 0.03 ulp), and 2^n applied as two
// power-of-two factors so that results down to the smallest subnormal are formed with one
// rounding. Accuracy: within 2 ulp of the correctly rounded value on [-745.2, 709.8] (measured
// in assembly/__tests__/vexp.spec.ts); NaN propagates, exp(-inf) = 0, exp(+inf) = +inf.
// Constants live in a data segment and are loaded per call: V8 rematerialises v128.const inside
// loops, and a load from L1 is cheaper (TOOLCHAIN.md).

// Layout: [log2(e), ln2 high, ln2 low, 1/13!, 1/12!, ..., 1/2!, 1, 1, lower clamp, upper clamp,
//          2^52 + 1023 (exponent bias in the low mantissa), 0.5]
const EXP_CONSTANTS = memory.data<f64>([
  1.4426950408889634,     // 0x3FF71547652B82FE  log2(e)
  6.93147180369123816490e-1, // 0x3FE62E42FEE00000  ln2 high part (32 trailing zero bits)
  1.90821492927058770002e-10, // 0x3DEA39EF35793C76  ln2 - high part
  1.6059043836821613e-10, // 1/13!
  2.08767569878681e-9,    // 1/12!
  2.505210838544172e-8,   // 1/11!
  2.755731922398589e-7,   // 1/10!
  2.7557319223985893e-6,  // 1/9!
  2.48015873015873e-5,    // 1/8!
  1.984126984126984e-4,   // 1/7!
  1.388888888888889e-3,   // 1/6!
  8.333333333333333e-3,   // 1/5!
  4.1666666666666664e-2,  // 1/4!
  1.6666666666666666e-1,  // 1/3!
  0.5,                    // 1/2!
  1.0,                    // 1/1!
  1.0,                    // 1/0!
  -746.0,                 // below: result rounds to +0
  710.0,                  // above: result overflows to +inf
  4503599627371519.0,     // 0x43300000000003FF  2^52 + 1023
  0.5,
]);

// @ts-ignore: decorator
@inline
function constant(index: i32): v128 {
  return v128.load_splat<f64>(EXP_CONSTANTS + (<usize>index << 3));
}

/** 2^k for integral k in [-1022, 1023], built from the exponent bits. */
// @ts-ignore: decorator
@inline
function powerOfTwo(k: v128): v128 {
  // k + (2^52 + 1023) puts the biased exponent in the low mantissa bits; shift it into place.
  return i64x2.shl(f64x2.add(k, constant(19)), 52);
}

/** e^x for both lanes of `x`. */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  x = f64x2.min(f64x2.max(x, constant(17)), constant(18));
  const n = f64x2.nearest(f64x2.mul(x, constant(0)));
  let r = f64x2.sub(x, f64x2.mul(n, constant(1)));
  r = f64x2.sub(r, f64x2.mul(n, constant(2)));
  let p = constant(3);
  p = f64x2.add(f64x2.mul(p, r), constant(4));
  p = f64x2.add(f64x2.mul(p, r), constant(5));
  p = f64x2.add(f64x2.mul(p, r), constant(6));
  p = f64x2.add(f64x2.mul(p, r), constant(7));
  p = f64x2.add(f64x2.mul(p, r), constant(8));
  p = f64x2.add(f64x2.mul(p, r), constant(9));
  p = f64x2.add(f64x2.mul(p, r), constant(10));
  p = f64x2.add(f64x2.mul(p, r), constant(11));
  p = f64x2.add(f64x2.mul(p, r), constant(12));
  p = f64x2.add(f64x2.mul(p, r), constant(13));
  p = f64x2.add(f64x2.mul(p, r), constant(14));
  p = f64x2.add(f64x2.mul(p, r), constant(15));
  p = f64x2.add(f64x2.mul(p, r), constant(16));
  // Split n so both factors are normal even when the result is subnormal.
  const half = f64x2.trunc(f64x2.mul(n, constant(20)));
  return f64x2.mul(f64x2.mul(p, powerOfTwo(half)), powerOfTwo(f64x2.sub(n, half)));
}
