// vexp (assembly/vexp.ts): the two-lane f64 exponential of the SIMD build, measured in ulps
// against AssemblyScript's own Math.exp (NativeMath.exp, musl's exp_lut at shrink level 0).
// vexp exists only with SIMD; in the scalar run (as-pect.scalar.config.cjs) this file only
// records that it was skipped.
import { vexp, vexpNormal } from "../vexp";
import { Uniform } from "./buffers";

/** Smallest x with a normal (>= 2^-1022) result: ln(2^-1022) = -708.3964185322641. */
const NORMAL_LIMIT: f64 = -708.3964185322641;
/** Largest finite-result x, ln(f64.MAX_VALUE) = 709.782712893384. */
const OVERFLOW_LIMIT: f64 = 709.782712893384;
/** Below ln(2^-1075) = -745.1332191019411 the correctly rounded result is +0. */
const ZERO_LIMIT: f64 = -745.1332191019411;

/** Maps f64 bits to integers ordered like the values (-0 and +0 both map to 0). */
function orderedBits(x: f64): i64 {
  const bits = reinterpret<i64>(x);
  return bits < 0 ? i64.MIN_VALUE - bits : bits;
}

/**
 * Distance in ulps between two f64 values: the number of representable values between them
 * (0 when equal, also for -0/+0; infinities count as one step past f64.MAX_VALUE). Both NaN
 * counts as 0, one NaN as i64.MAX_VALUE.
 */
function ulpDistance(a: f64, b: f64): i64 {
  if (isNaN(a) || isNaN(b)) return isNaN(a) && isNaN(b) ? 0 : i64.MAX_VALUE;
  const d = orderedBits(a) - orderedBits(b);
  return d < 0 ? -d : d;
}

/** Both lanes in one vector. */
function pair(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

function lane0(x: v128): f64 {
  return f64x2.extract_lane(x, 0);
}

function lane1(x: v128): f64 {
  return f64x2.extract_lane(x, 1);
}

/** Worst ulp error over a set of inputs, with where it happened. */
class ErrorStats {
  max: i64 = 0;
  worstX: f64 = 0;
  count: i32 = 0;
  exact: i32 = 0;

  add(x: f64, got: f64): void {
    const d = ulpDistance(got, Math.exp(x));
    this.count++;
    if (d == 0) this.exact++;
    if (d > this.max) {
      this.max = d;
      this.worstX = x;
    }
  }

  /** Records both lanes of vexp(pair(a, b)). */
  addPair(a: f64, b: f64): void {
    const y = vexp(pair(a, b));
    this.add(a, lane0(y));
    this.add(b, lane1(y));
  }

  report(name: string): void {
    log<string>(
      name + ": max " + this.max.toString() + " ulp at x = " + this.worstX.toString() +
      " (" + this.count.toString() + " values, " + this.exact.toString() + " equal to Math.exp)",
    );
  }
}

/**
 * Sweeps [low, high] with `points` values per lane: lane 0 on a uniform grid (both ends
 * included), lane 1 uniformly random, so the two lanes always hold different values.
 */
function sweep(low: f64, high: f64, points: i32, seed: u64, normal: ErrorStats, subnormal: ErrorStats): void {
  const random = new Uniform(seed);
  const step = (high - low) / <f64>(points - 1);
  for (let i = 0; i < points; i++) {
    const a = i == points - 1 ? high : low + step * <f64>i;
    const b = low + (high - low) * random.next();
    const y = vexp(pair(a, b));
    (a < NORMAL_LIMIT ? subnormal : normal).add(a, lane0(y));
    (b < NORMAL_LIMIT ? subnormal : normal).add(b, lane1(y));
  }
}

function expectBits(got: f64, expected: f64, message: string): void {
  expect<u64>(reinterpret<u64>(got)).toBe(reinterpret<u64>(expected), message);
}

if (ASC_FEATURE_SIMD) {
  describe("vexp accuracy against Math.exp", () => {
    test("dense sweep of [-745.13, 709.78]: within 2 ulp", () => {
      const normal = new ErrorStats();
      const subnormal = new ErrorStats();
      sweep(-745.13, 709.78, 200001, 1, normal, subnormal);
      normal.report("whole range, normal results");
      subnormal.report("whole range, subnormal results");
      expect<i64>(normal.max).toBeLessThanOrEqual(2, "normal results");
      expect<i64>(subnormal.max).toBeLessThanOrEqual(2, "subnormal results");
    });

    test("normal results: dense sweep of [-708.39, 709.78] and of [-2, 2]", () => {
      const normal = new ErrorStats();
      const subnormal = new ErrorStats();
      sweep(NORMAL_LIMIT, OVERFLOW_LIMIT, 300001, 2, normal, subnormal);
      sweep(-2.0, 2.0, 100001, 3, normal, subnormal);
      // Around the reduction boundaries r = +-ln2/2 (n changes by one there).
      for (let k = -1000; k <= 1000; k += 7) {
        const x = (<f64>k + 0.5) * 0.6931471805599453;
        normal.addPair(x, -x);
        normal.addPair(x * (1 + 2.220446049250313e-16), x * (1 - 2.220446049250313e-16));
      }
      normal.report("normal range");
      expect<i32>(subnormal.count).toBe(0);
      expect<i64>(normal.max).toBeLessThanOrEqual(2);
    });

    test("subnormal results (-745.13 < x < -708.4): within 2 ulp", () => {
      const normal = new ErrorStats();
      const subnormal = new ErrorStats();
      sweep(ZERO_LIMIT, -708.4, 200001, 4, normal, subnormal);
      // Just below the smallest subnormal's rounding boundary.
      subnormal.addPair(-745.1332191019411, -745.1332191019412);
      subnormal.addPair(-745.13, -745.2);
      subnormal.report("subnormal range");
      expect<i32>(normal.count).toBe(0);
      expect<i64>(subnormal.max).toBeLessThanOrEqual(2);
    });

    test("integers and tiny arguments", () => {
      const stats = new ErrorStats();
      for (let k = -745; k <= 709; k++) stats.addPair(<f64>k, <f64>(-k - 1));
      stats.addPair(1e-300, -1e-300);
      stats.addPair(1.1102230246251565e-16, -1.1102230246251565e-16);
      stats.addPair(5e-324, -5e-324);
      stats.report("integers and tiny");
      expect<i64>(stats.max).toBeLessThanOrEqual(2);
      const tiny = vexp(pair(1e-300, -5e-324));
      expectBits(lane0(tiny), 1.0, "exp(1e-300)");
      expectBits(lane1(tiny), 1.0, "exp(-5e-324)");
      expect<i64>(ulpDistance(lane0(vexp(f64x2.splat(1.0))), Math.E)).toBeLessThanOrEqual(1);
    });
  });

  describe("vexpNormal", () => {
    test("equals vexp bit for bit wherever the result is normal ([-708, 709])", () => {
      const random = new Uniform(11);
      let mismatches = 0;
      let first: f64 = NaN;
      for (let i = 0; i < 200001; i++) {
        const a = -708.0 + 1417.0 * <f64>i / 200000.0;
        const b = -708.0 + 1417.0 * random.next();
        const fast = vexpNormal(pair(a, b));
        const careful = vexp(pair(a, b));
        if (reinterpret<u64>(lane0(fast)) != reinterpret<u64>(lane0(careful))) { mismatches++; if (isNaN(first)) first = a; }
        if (reinterpret<u64>(lane1(fast)) != reinterpret<u64>(lane1(careful))) { mismatches++; if (isNaN(first)) first = b; }
      }
      expect<i32>(mismatches).toBe(0, "first mismatch at x = " + first.toString());
    });
  });

  describe("vexp special values", () => {
    test("exp(0) = 1 and exp(-0) = 1 exactly", () => {
      const y = vexp(pair(0.0, -0.0));
      expectBits(lane0(y), 1.0, "exp(0)");
      expectBits(lane1(y), 1.0, "exp(-0)");
    });

    test("underflow: x < -745.2 and -Infinity give +0", () => {
      const xs: f64[] = [-745.2, -745.21, -745.5, -746.0, -746.5, -750.0, -1000.0, -1e10, -1e300,
        -f64.MAX_VALUE, -Infinity];
      for (let i = 0; i < xs.length; i++) {
        const y = vexp(pair(xs[i], xs[xs.length - 1 - i]));
        expectBits(lane0(y), 0.0, "exp(" + xs[i].toString() + ")");
        expectBits(lane1(y), 0.0, "exp(" + xs[xs.length - 1 - i].toString() + ")");
      }
    });

    test("overflow: x >= 709.79 and +Infinity give +Infinity", () => {
      const xs: f64[] = [709.79, 709.8, 709.9, 710.0, 710.5, 711.0, 750.0, 1000.0, 1e10, 1e300,
        f64.MAX_VALUE, Infinity];
      for (let i = 0; i < xs.length; i++) {
        const y = vexp(pair(xs[i], xs[xs.length - 1 - i]));
        expectBits(lane0(y), Infinity, "exp(" + xs[i].toString() + ")");
        expectBits(lane1(y), Infinity, "exp(" + xs[xs.length - 1 - i].toString() + ")");
      }
      // The last finite results.
      const edge = vexp(pair(OVERFLOW_LIMIT, 709.7827128933841));
      expect<bool>(isFinite(lane0(edge))).toBe(true, "exp(709.782712893384) is finite");
      expect<i64>(ulpDistance(lane0(edge), Math.exp(OVERFLOW_LIMIT))).toBeLessThanOrEqual(2);
      expectBits(lane1(edge), Math.exp(709.7827128933841), "exp(709.7827128933841)");
    });

    test("NaN gives NaN, the other lane is unaffected", () => {
      const negativeNaN = reinterpret<f64>(0xFFF8000000000000);
      const payloadNaN = reinterpret<f64>(0x7FF4000000000001);
      let y = vexp(pair(NaN, 1.0));
      expect<f64>(lane0(y)).toBeNaN();
      expect<i64>(ulpDistance(lane1(y), Math.E)).toBeLessThanOrEqual(1);
      y = vexp(pair(-3.0, NaN));
      expect<i64>(ulpDistance(lane0(y), Math.exp(-3.0))).toBeLessThanOrEqual(2);
      expect<f64>(lane1(y)).toBeNaN();
      y = vexp(pair(negativeNaN, payloadNaN));
      expect<f64>(lane0(y)).toBeNaN();
      expect<f64>(lane1(y)).toBeNaN();
      y = vexp(pair(NaN, Infinity));
      expect<f64>(lane0(y)).toBeNaN();
      expectBits(lane1(y), Infinity, "exp(+inf) next to NaN");
      y = vexp(pair(-Infinity, NaN));
      expectBits(lane0(y), 0.0, "exp(-inf) next to NaN");
      expect<f64>(lane1(y)).toBeNaN();
    });

    test("lanes are independent", () => {
      // Extreme and ordinary values side by side, in both orders.
      const xs: f64[] = [0.0, -0.0, 1.0, -1.0, 0.5, -708.5, -740.0, -745.2, -Infinity, 709.7,
        709.79, Infinity, 1e-300, 100.0, -100.0];
      for (let i = 0; i < xs.length; i++) {
        for (let j = 0; j < xs.length; j++) {
          const y = vexp(pair(xs[i], xs[j]));
          const single0 = lane0(vexp(f64x2.splat(xs[i])));
          const single1 = lane0(vexp(f64x2.splat(xs[j])));
          expectBits(lane0(y), single0, "lane 0 with x = " + xs[i].toString() + ", " + xs[j].toString());
          expectBits(lane1(y), single1, "lane 1 with x = " + xs[i].toString() + ", " + xs[j].toString());
          expect<i64>(ulpDistance(lane0(y), Math.exp(xs[i]))).toBeLessThanOrEqual(2);
          expect<i64>(ulpDistance(lane1(y), Math.exp(xs[j]))).toBeLessThanOrEqual(2);
        }
      }
    });

    test("ulpDistance helper", () => {
      expect<i64>(ulpDistance(1.0, 1.0)).toBe(0);
      expect<i64>(ulpDistance(0.0, -0.0)).toBe(0);
      expect<i64>(ulpDistance(1.0, 1.0000000000000002)).toBe(1);
      expect<i64>(ulpDistance(1.0, 0.9999999999999999)).toBe(1);
      expect<i64>(ulpDistance(5e-324, -5e-324)).toBe(2);
      expect<i64>(ulpDistance(0.0, 1e-323)).toBe(2);
      expect<i64>(ulpDistance(f64.MAX_VALUE, Infinity)).toBe(1);
      expect<i64>(ulpDistance(NaN, NaN)).toBe(0);
      expect<i64>(ulpDistance(NaN, 1.0)).toBe(i64.MAX_VALUE);
    });
  });
} else {
  describe("vexp", () => {
    test("skipped: vexp exists only in the SIMD build", () => {
      log<string>("vexp specs skipped (scalar build)");
    });
  });
}
