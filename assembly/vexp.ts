// Two-lane f64 exponential for the SIMD build (WebAssembly SIMD has no vector exp).
// Method: Cody-Waite reduction x = n ln2 + r with |r| <= ln2/2 (fdlibm's split of ln 2); e^r by a
// degree-11 near-minimax polynomial (Chebyshev fit, scripts/fit-exp-polynomial.py: 0.15 ulp with
// the coefficients rounded to double) evaluated by Estrin's scheme, whose short dependency
// chains let consecutive calls overlap (Horner's 11 dependent multiply-adds made the kernel
// latency-bound: bench/README.md); 2^n applied as two power-of-two factors so that results down
// to the smallest subnormal round once (vexpNormal: one factor, for arguments known to give
// normal results). Accuracy: within 2 ulp of the correctly
// rounded value on [-745.2, 709.8] (measured in assembly/__tests__/vexp.spec.ts); NaN propagates,
// exp(-inf) = 0, exp(+inf) = +inf.
// Constants live in a data segment and are loaded per call: V8 rematerialises v128.const inside
// loops, and a load from L1 is cheaper (TOOLCHAIN.md). The clamp uses pmin/pmax (one instruction
// each in V8, unlike min/max) with x as the first operand, so a NaN x passes through.

// Layout: [log2(e), ln2 high, ln2 low, c0..c11, lower clamp, upper clamp, 2^52 + 1023, 0.5]
const EXP_CONSTANTS = memory.data<f64>([
  1.4426950408889634,         // 0x1.71547652b82fep+0  log2(e)
  6.93147180369123816490e-1,  // 0x1.62e42fee00000p-1  ln2 high part (32 trailing zero bits)
  1.90821492927058770002e-10, // 0x1.a39ef35793c76p-33 ln2 - high part
  1.0,                        // c0  0x1.0000000000000p+0
  1.0,                        // c1  0x1.0000000000000p+0
  0.5000000000000019,         // c2  0x1.0000000000011p-1
  0.1666666666666668,         // c3  0x1.555555555555ap-3
  0.0416666666664881,         // c4  0x1.555555554f0cfp-5
  0.008333333333319601,       // c5  0x1.111111110f225p-7
  0.0013888888952314775,      // c6  0x1.6c16c187fbe02p-10
  0.00019841269890047113,     // c7  0x1.a01a01b14378fp-13
  2.4801485482328494e-05,     // c8  0x1.a01991ac8730ap-16
  2.755724091857897e-06,      // c9  0x1.71ddf5749d126p-19
  2.763263963904103e-07,      // c10 0x1.28b4057f44145p-22
  2.5110037605963777e-08,     // c11 0x1.af631d0059becp-26
  -746.0,                     // below: result rounds to +0
  710.0,                      // above: result overflows to +inf
  4503599627371519.0,         // 0x1.00000000003ffp+52  2^52 + 1023
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
  return i64x2.shl(f64x2.add(k, constant(17)), 52);
}

// @ts-ignore: decorator
@inline
function pair(low: i32, r: v128): v128 {
  return f64x2.add(constant(low), f64x2.mul(constant(low + 1), r));
}

/** e^r on |r| <= ln2/2 by the degree-11 polynomial (Estrin). */
// @ts-ignore: decorator
@inline
function polynomial(r: v128): v128 {
  // ((c0 + c1 r) + (c2 + c3 r) r^2) + ((c4 + c5 r) + (c6 + c7 r) r^2) r^4 + ((c8 + c9 r) + (c10 + c11 r) r^2) r^8
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const low = f64x2.add(pair(3, r), f64x2.mul(pair(5, r), r2));
  const middle = f64x2.add(pair(7, r), f64x2.mul(pair(9, r), r2));
  const high = f64x2.add(pair(11, r), f64x2.mul(pair(13, r), r2));
  return f64x2.add(f64x2.add(low, f64x2.mul(middle, r4)), f64x2.mul(high, r8));
}

/** Cody-Waite reduction: r = x - n ln2. */
// @ts-ignore: decorator
@inline
function reduce(x: v128, n: v128): v128 {
  const r = f64x2.sub(x, f64x2.mul(n, constant(1)));
  return f64x2.sub(r, f64x2.mul(n, constant(2)));
}

/** e^x for both lanes of `x`, any x. */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  x = f64x2.pmax(f64x2.pmin(x, constant(16)), constant(15));
  const n = f64x2.nearest(f64x2.mul(x, constant(0)));
  const p = polynomial(reduce(x, n));
  // Split n so both factors are normal even when the result is subnormal.
  const half = f64x2.trunc(f64x2.mul(n, constant(18)));
  return f64x2.mul(f64x2.mul(p, powerOfTwo(half)), powerOfTwo(f64x2.sub(n, half)));
}

/**
 * e^x for lanes with -708 <= x <= 709 (normal results), where 2^n is one factor: the kernels call
 * it for the terms they know to be in range and vexp for the rest. Same values as vexp there.
 */
// @ts-ignore: decorator
@inline
export function vexpNormal(x: v128): v128 {
  const n = f64x2.nearest(f64x2.mul(x, constant(0)));
  return f64x2.mul(polynomial(reduce(x, n)), powerOfTwo(n));
}
