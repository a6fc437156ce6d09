// The pointer kernels of assembly/index.ts (pairSum, expSums with activeModes, sgdSteps) against
// direct loops. Runs in both builds: as-pect.config.cjs tests the SIMD paths,
// as-pect.scalar.config.cjs the scalar ones. Buffers come from heap.alloc, as in the package
// (assembly/memory.ts), and are freed at the end of each test.
import { pairSum, SUM_BLOCK } from "../sums";
import { activeModes, expSums } from "../expsum";
import { sgdSteps } from "../sgd";
import { vexp } from "../vexp";
import { allocF64, at, put, copyF64, Uniform, relativeError } from "./buffers";


// ---- references ----------------------------------------------------------------------------

/** Left-to-right running sum. */
function plainSum(values: usize, count: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < count; i++) sum += at(values, i);
  return sum;
}

/**
 * The canonical order documented in assembly/sums.ts, written out independently of the kernel:
 * even/odd lanes, block partial sums of SUM_BLOCK terms, lane totals added last, then the odd
 * leftover term.
 */
function canonicalSum(values: usize, count: i32): f64 {
  const even = count & ~1;
  let total0: f64 = 0;
  let total1: f64 = 0;
  let k = 0;
  while (k < even) {
    const end = min(k + SUM_BLOCK, even);
    let block0: f64 = 0;
    let block1: f64 = 0;
    for (; k < end; k += 2) {
      block0 += at(values, k);
      block1 += at(values, k + 1);
    }
    total0 += block0;
    total1 += block1;
  }
  let sum = total0 + total1;
  if (count & 1) sum += at(values, even);
  return sum;
}

/** Index of the first value whose bits differ between two buffers, or -1. */
function firstDifference(a: usize, b: usize, count: i32): i32 {
  for (let i = 0; i < count; i++) {
    if (reinterpret<u64>(at(a, i)) != reinterpret<u64>(at(b, i))) return i;
  }
  return -1;
}

function expectBits(got: f64, expected: f64, message: string): void {
  expect<u64>(reinterpret<u64>(got)).toBe(reinterpret<u64>(expected), message);
}

/** Fills `count` values that are small multiples of 1/4: every summation order is exact. */
function fillExact(values: usize, count: i32, seed: i32): void {
  for (let i = 0; i < count; i++) {
    put(values, i, <f64>((i * 37 + seed * 11) % 41 - 20) + 0.25 * <f64>((i + seed) & 3));
  }
}

// ---- pairSum ---------------------------------------------------------------------------------

const SUM_LENGTHS: i32[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 32, 33, 510, 511, 512, 513, 514, 515,
  1022, 1023, 1024, 1025, 1026, 1027, 1535, 1536, 1537, 2049, 5001];

describe("pairSum", () => {
  test("SUM_BLOCK is 512 (the block boundary the lengths below straddle)", () => {
    expect<i32>(SUM_BLOCK).toBe(512);
  });

  test("equals a plain sum of exactly representable values (odd/even lengths, across blocks)", () => {
    for (let i = 0; i < SUM_LENGTHS.length; i++) {
      const count = SUM_LENGTHS[i];
      const values = allocF64(count);
      fillExact(values, count, i);
      expectBits(pairSum(values, count), plainSum(values, count), "length " + count.toString());
      heap.free(values);
    }
  });

  test("single values and special values", () => {
    const values = allocF64(3);
    put(values, 0, -2.5);
    expectBits(pairSum(values, 1), -2.5, "one value");
    put(values, 1, Infinity);
    expectBits(pairSum(values, 2), Infinity, "with +inf");
    put(values, 2, NaN);
    expect<f64>(pairSum(values, 3)).toBeNaN();
    expectBits(pairSum(values, 0), 0.0, "empty");
    heap.free(values);
  });

  test("follows the canonical order bit for bit (random values of mixed magnitude and sign)", () => {
    const random = new Uniform(7);
    for (let i = 0; i < SUM_LENGTHS.length; i++) {
      const count = SUM_LENGTHS[i];
      const values = allocF64(count);
      for (let k = 0; k < count; k++) {
        put(values, k, (random.next() - 0.3) * Math.pow(2, Math.floor(random.next() * 40 - 20)));
      }
      expectBits(pairSum(values, count), canonicalSum(values, count), "length " + count.toString());
      const plain = plainSum(values, count);
      expect<f64>(Math.abs(pairSum(values, count) - plain)).toBeLessThanOrEqual(
        1e-13 * Math.max(1, Math.abs(plain)), "length " + count.toString());
      heap.free(values);
    }
  });
});

// ---- activeModes and expSums -----------------------------------------------------------------

/** Full sum over all modes with Math.exp, left to right (no underflow cut). */
function directExpSum(rates: usize, weights: usize, modeCount: i32, time: f64): f64 {
  let sum: f64 = 0;
  for (let k = 0; k < modeCount; k++) sum += at(weights, k) * Math.exp(-at(rates, k) * time);
  return sum;
}

/** Sum of |terms|: the scale of the rounding error of any summation order. */
function absoluteExpSum(rates: usize, weights: usize, modeCount: i32, time: f64): f64 {
  let sum: f64 = 0;
  for (let k = 0; k < modeCount; k++) sum += Math.abs(at(weights, k) * Math.exp(-at(rates, k) * time));
  return sum;
}

/**
 * The terms exactly as the kernel forms them, with the first `count` modes: pairs of modes below
 * the even count through vexp in the SIMD build (Math.exp in the scalar build), a last odd mode
 * through Math.exp; written to `terms`.
 */
function kernelTerms(rates: usize, weights: usize, count: i32, time: f64, terms: usize): void {
  const even = count & ~1;
  const negativeTime = -time;
  for (let k = 0; k < even; k += 2) {
    let decayA: f64, decayB: f64;
    if (ASC_FEATURE_SIMD) {
      const decay = vexp(f64x2.mul(v128.load(rates + (<usize>k << 3)), f64x2.splat(negativeTime)));
      decayA = f64x2.extract_lane(decay, 0);
      decayB = f64x2.extract_lane(decay, 1);
    } else {
      decayA = Math.exp(at(rates, k) * negativeTime);
      decayB = Math.exp(at(rates, k + 1) * negativeTime);
    }
    put(terms, k, at(weights, k) * decayA);
    put(terms, k + 1, at(weights, k + 1) * decayB);
  }
  if (count & 1) put(terms, even, at(weights, even) * Math.exp(at(rates, even) * negativeTime));
}

/** A mode set for expSums: ascending rates (some exactly 0), positive and mixed-sign weights. */
class Modes {
  count: i32;
  rates: usize;
  weights0: usize;
  weights1: usize;

  /** `zeros` leading rate-0 modes, then rates spread over [rateLow, rateHigh] geometrically. */
  constructor(count: i32, zeros: i32, rateLow: f64, rateHigh: f64, seed: u64) {
    this.count = count;
    this.rates = allocF64(count);
    this.weights0 = allocF64(count);
    this.weights1 = allocF64(count);
    const random = new Uniform(seed);
    const spread = count - zeros > 1 ? <f64>(count - zeros - 1) : 1;
    for (let k = 0; k < count; k++) {
      const rate = k < zeros ? 0.0 : rateLow * Math.pow(rateHigh / rateLow, <f64>(k - zeros) / spread);
      put(this.rates, k, rate);
      // Power-law-like positive weights and a mixed-sign second set (like a time derivative).
      put(this.weights0, k, Math.pow(<f64>(k + 1), -1.5) * (0.5 + random.next()));
      put(this.weights1, k, (random.next() - 0.4) * Math.pow(<f64>(k + 1), -0.5));
    }
  }

  free(): void {
    heap.free(this.rates);
    heap.free(this.weights0);
    heap.free(this.weights1);
  }
}

/** expSums at a single time: [S0, S1]. */
function expSumsAt(modes: Modes, time: f64): f64[] {
  const times = allocF64(1);
  const out = allocF64(2);
  put(times, 0, time);
  expSums(modes.rates, modes.weights0, modes.weights1, modes.count, times, 1, out, out + 8);
  const result: f64[] = [at(out, 0), at(out, 1)];
  heap.free(times);
  heap.free(out);
  return result;
}

describe("activeModes", () => {
  test("time 0 (or negative) -> all modes", () => {
    const modes = new Modes(100, 3, 1e-3, 1e3, 1);
    expect<i32>(activeModes(modes.rates, modes.count, 0.0)).toBe(100);
    expect<i32>(activeModes(modes.rates, modes.count, -0.0)).toBe(100);
    expect<i32>(activeModes(modes.rates, modes.count, -5.0)).toBe(100);
    expect<i32>(activeModes(modes.rates, modes.count, -Infinity)).toBe(100);
    modes.free();
  });

  test("huge time -> only the rate-0 modes", () => {
    const modes = new Modes(100, 3, 1e-12, 1e3, 2);
    expect<i32>(activeModes(modes.rates, modes.count, 1e300)).toBe(3);
    expect<i32>(activeModes(modes.rates, modes.count, f64.MAX_VALUE)).toBe(3);
    expect<i32>(activeModes(modes.rates, modes.count, Infinity)).toBe(3);
    modes.free();
    const positive = new Modes(10, 0, 1e-12, 1.0, 3);
    expect<i32>(activeModes(positive.rates, positive.count, 1e300)).toBe(0);
    positive.free();
  });

  test("no modes, one mode, all rates zero", () => {
    const rates = allocF64(4);
    for (let k = 0; k < 4; k++) put(rates, k, 0.0);
    expect<i32>(activeModes(rates, 0, 1.0)).toBe(0);
    expect<i32>(activeModes(rates, 4, 1e300)).toBe(4);
    put(rates, 0, 2.0);
    expect<i32>(activeModes(rates, 1, 373.0)).toBe(1); // rate * time = 746 exactly: kept
    expect<i32>(activeModes(rates, 1, 373.00000000000006)).toBe(0);
    heap.free(rates);
  });

  test("bisection: exactly the modes with rate <= 746 / time, for every cut position", () => {
    // Rates 1..n (integers): mode k is active iff k + 1 <= 746 / time.
    for (let n = 1; n <= 40; n++) {
      const rates = allocF64(n);
      for (let k = 0; k < n; k++) put(rates, k, <f64>(k + 1));
      for (let m = 0; m <= n + 1; m++) {
        // time = 746 / m puts the limit exactly on rate m (m = 0: time = inf).
        const time = 746.0 / <f64>m;
        let expected = 0;
        while (expected < n && at(rates, expected) <= 746.0 / time) expected++;
        expect<i32>(activeModes(rates, n, time)).toBe(expected, "n " + n.toString() + " m " + m.toString());
        expect<i32>(activeModes(rates, n, time * 1.0000001)).toBe(min(max(m - 1, 0), n));
      }
      heap.free(rates);
    }
  });

  test("with repeated rates", () => {
    const rates = allocF64(9);
    const values: f64[] = [0, 0, 1, 1, 1, 2, 2, 5, 5];
    for (let k = 0; k < 9; k++) put(rates, k, values[k]);
    expect<i32>(activeModes(rates, 9, 746.0)).toBe(5);
    expect<i32>(activeModes(rates, 9, 373.0)).toBe(7);
    expect<i32>(activeModes(rates, 9, 800.0)).toBe(2);
    heap.free(rates);
  });
});

describe("expSums", () => {
  test("against a direct Math.exp loop: relative error <= 1e-14", () => {
    const counts: i32[] = [1, 2, 3, 7, 64, 513, 1025, 3001];
    const times: f64[] = [0, 1e-6, 0.1, 1, 3.7, 10, 100, 1e3, 1e4];
    for (let c = 0; c < counts.length; c++) {
      const modes = new Modes(counts[c], c & 1, 1e-3, 10, <u64>(c + 10));
      const timeBuffer = allocF64(times.length);
      const out0 = allocF64(times.length);
      const out1 = allocF64(times.length);
      for (let j = 0; j < times.length; j++) put(timeBuffer, j, times[j]);
      expSums(modes.rates, modes.weights0, modes.weights1, modes.count, timeBuffer, times.length, out0, out1);
      for (let j = 0; j < times.length; j++) {
        const where = "modes " + counts[c].toString() + " time " + times[j].toString();
        const direct0 = directExpSum(modes.rates, modes.weights0, modes.count, times[j]);
        expect<f64>(relativeError(at(out0, j), direct0)).toBeLessThanOrEqual(1e-14, "S0, " + where);
        // Mixed signs: relative to the sum of |terms| (cancellation is not the kernel's error).
        const direct1 = directExpSum(modes.rates, modes.weights1, modes.count, times[j]);
        const scale1 = absoluteExpSum(modes.rates, modes.weights1, modes.count, times[j]);
        expect<f64>(Math.abs(at(out1, j) - direct1)).toBeLessThanOrEqual(1e-14 * scale1, "S1, " + where);
      }
      heap.free(timeBuffer);
      heap.free(out0);
      heap.free(out1);
      modes.free();
    }
  });

  test("equals the canonical sum of its own terms bit for bit (both builds)", () => {
    const counts: i32[] = [1, 2, 5, 512, 513, 1027];
    const times: f64[] = [0, 0.5, 7, 300];
    for (let c = 0; c < counts.length; c++) {
      const modes = new Modes(counts[c], 1, 1e-2, 5, <u64>(c + 20));
      const terms = allocF64(modes.count);
      for (let j = 0; j < times.length; j++) {
        const active = activeModes(modes.rates, modes.count, times[j]);
        const result = expSumsAt(modes, times[j]);
        kernelTerms(modes.rates, modes.weights0, active, times[j], terms);
        expectBits(result[0], canonicalSum(terms, active), "S0 modes " + counts[c].toString());
        kernelTerms(modes.rates, modes.weights1, active, times[j], terms);
        expectBits(result[1], canonicalSum(terms, active), "S1 modes " + counts[c].toString());
      }
      heap.free(terms);
      modes.free();
    }
  });

  test("underflow cut: terms with rate*t > 746 are skipped, the result equals the full sum", () => {
    // 1200 modes with rates 1e-3..1e3; at these times part of the spectrum is cut.
    const modes = new Modes(1200, 2, 1e-3, 1e3, 31);
    const terms = allocF64(modes.count);
    const times: f64[] = [1, 2.5, 10, 100, 1e4, 1e6];
    let evenCuts = 0;
    for (let j = 0; j < times.length; j++) {
      const time = times[j];
      const active = activeModes(modes.rates, modes.count, time);
      expect<i32>(active).toBeLessThan(modes.count, "time " + time.toString() + " cuts");
      // Every skipped term is exactly +0 with Math.exp (and so with vexp, within 2 ulp of it).
      let wrongSkips = 0;
      for (let k = active; k < modes.count; k++) {
        const x = at(modes.rates, k) * -time;
        if (!(x < -746.0) || reinterpret<u64>(Math.exp(x)) != 0) wrongSkips++;
      }
      expect<i32>(wrongSkips).toBe(0, "skipped terms that are not +0, time " + time.toString());
      expect<bool>(at(modes.rates, active - 1) * time <= 746.0).toBe(true, "last active mode");
      const result = expSumsAt(modes, time);
      // Against the direct loop over all modes (no cut).
      expect<f64>(relativeError(result[0], directExpSum(modes.rates, modes.weights0, modes.count, time)))
        .toBeLessThanOrEqual(1e-14, "S0 time " + time.toString());
      expect<f64>(Math.abs(result[1] - directExpSum(modes.rates, modes.weights1, modes.count, time)))
        .toBeLessThanOrEqual(1e-14 * absoluteExpSum(modes.rates, modes.weights1, modes.count, time));
      // Bit for bit against the canonical sum of all terms: guaranteed when the active count is
      // even (the zeros only pad the lanes); see the next test for odd counts.
      if ((active & 1) == 0) {
        evenCuts++;
        kernelTerms(modes.rates, modes.weights0, modes.count, time, terms);
        expectBits(result[0], canonicalSum(terms, modes.count), "S0 full sum, time " + time.toString());
        kernelTerms(modes.rates, modes.weights1, modes.count, time, terms);
        expectBits(result[1], canonicalSum(terms, modes.count), "S1 full sum, time " + time.toString());
      }
    }
    expect<i32>(evenCuts).toBeGreaterThan(0);
    heap.free(terms);
    modes.free();
  });

  test("odd active count: the cut sum equals the full canonical sum bit for bit", () => {
    // With 5 of 8 modes active the kernel rounds the count up to 6 (the 6th term is exactly +0),
    // so the 5th term sits in lane 0 as in the full sum. Rates 0 make every active term equal its
    // weight exactly; the full canonical sum of these weights is 0, the naive sum of 5 is 2^-60.
    const rates = allocF64(8);
    const weights = allocF64(8);
    const values: f64[] = [1, -1, 0, 0, 8.673617379884035e-19 /* 2^-60 */, 0, 0, 0];
    for (let k = 0; k < 8; k++) {
      put(rates, k, k < 5 ? 0.0 : 1000.0);
      put(weights, k, values[k]);
    }
    const times = allocF64(1);
    const out = allocF64(2);
    put(times, 0, 1.0);
    expect<i32>(activeModes(rates, 8, 1.0)).toBe(5);
    expSums(rates, weights, weights, 8, times, 1, out, out + 8);
    expectBits(pairSum(weights, 8), 0.0, "the full canonical sum of the same terms is 0");
    expectBits(at(out, 0), pairSum(weights, 8), "cut sum = full canonical sum");
    heap.free(rates);
    heap.free(weights);
    heap.free(times);
    heap.free(out);
  });

  test("special times and sizes", () => {
    const modes = new Modes(11, 2, 1e-2, 1e2, 41);
    // time 0: every decay is exactly 1, so S = sum of weights in the canonical order.
    let result = expSumsAt(modes, 0.0);
    expectBits(result[0], pairSum(modes.weights0, modes.count), "S0 at t = 0");
    expectBits(result[1], pairSum(modes.weights1, modes.count), "S1 at t = 0");
    // Huge finite time: only the two rate-0 modes remain.
    result = expSumsAt(modes, 1e300);
    expectBits(result[0], at(modes.weights0, 0) + at(modes.weights0, 1), "S0 at t = 1e300");
    expectBits(result[1], at(modes.weights1, 0) + at(modes.weights1, 1), "S1 at t = 1e300");
    modes.free();
    // No modes, no times: nothing written, nothing read.
    const out = allocF64(2);
    put(out, 0, 123.0);
    expSums(0, 0, 0, 0, 0, 0, out, out + 8);
    expectBits(at(out, 0), 123.0, "timeCount 0 writes nothing");
    const times = allocF64(1);
    put(times, 0, 2.0);
    expSums(0, 0, 0, 0, times, 1, out, out + 8);
    expectBits(at(out, 0), 0.0, "no modes: S0 = 0");
    expectBits(at(out, 1), 0.0, "no modes: S1 = 0");
    heap.free(times);
    heap.free(out);
  });
});

// ---- sgdSteps --------------------------------------------------------------------------------

/** One SGD run's state: decay a_k, injection b_k, energy e_k. */
class SgdState {
  count: i32;
  decay: usize;
  injection: usize;
  energy: usize;

  constructor(count: i32, seed: u64) {
    this.count = count;
    this.decay = allocF64(count);
    this.injection = allocF64(count);
    this.energy = allocF64(count);
    const random = new Uniform(seed);
    const eta = 0.5;
    const batch = 4.0;
    for (let k = 0; k < count; k++) {
      const lambda = Math.pow(<f64>(k + 1), -1.5);
      const multiplicity = 1.0 + <f64>(k & 3);
      put(this.decay, k, (1 - eta * lambda) * (1 - eta * lambda) + eta * eta * lambda * lambda / batch);
      put(this.injection, k, multiplicity * eta * eta * lambda * lambda / batch);
      put(this.energy, k, lambda * Math.pow(<f64>(k + 1), -0.5) * (0.5 + random.next()));
    }
  }

  free(): void {
    heap.free(this.decay);
    heap.free(this.injection);
    heap.free(this.energy);
  }
}

/** The recursion written directly: e_k <- a_k e_k + b_k (L + noise), L <- sum_k e_k. */
function directSgd(state: SgdState, energy: usize, steps: i32, noise: f64, loss: f64, canonical: bool): f64 {
  for (let step = 0; step < steps; step++) {
    const drive = loss + noise;
    for (let k = 0; k < state.count; k++) {
      put(energy, k, at(state.decay, k) * at(energy, k) + at(state.injection, k) * drive);
    }
    loss = canonical ? canonicalSum(energy, state.count) : plainSum(energy, state.count);
  }
  return loss;
}

describe("sgdSteps", () => {
  test("against a direct loop: same energies bit for bit, loss in the canonical order", () => {
    const counts: i32[] = [1, 2, 3, 8, 511, 512, 513, 1025, 2000];
    const stepCounts: i32[] = [1, 2, 5, 17];
    for (let c = 0; c < counts.length; c++) {
      for (let s = 0; s < stepCounts.length; s++) {
        const state = new SgdState(counts[c], <u64>(c * 10 + s + 1));
        const reference = allocF64(state.count);
        copyF64(state.energy, reference, state.count);
        const noise = 0.01 * <f64>s;
        const loss0 = pairSum(state.energy, state.count);
        const loss = sgdSteps(state.decay, state.injection, state.energy, state.count, stepCounts[s], noise, loss0);
        const expected = directSgd(state, reference, stepCounts[s], noise, loss0, true);
        const where = "modes " + counts[c].toString() + " steps " + stepCounts[s].toString();
        expectBits(loss, expected, "loss, " + where);
        expect<i32>(firstDifference(state.energy, reference, state.count)).toBe(-1, "energies, " + where);
        // The returned loss is the canonical sum of the new energies (the next call's input).
        expectBits(loss, pairSum(state.energy, state.count), "loss = pairSum(energy), " + where);
        heap.free(reference);
        state.free();
      }
    }
  });

  test("against a direct loop with a plain running sum: relative error <= 1e-14", () => {
    const state = new SgdState(3001, 99);
    const reference = allocF64(state.count);
    copyF64(state.energy, reference, state.count);
    const loss0 = plainSum(state.energy, state.count);
    const loss = sgdSteps(state.decay, state.injection, state.energy, state.count, 20, 0.003, loss0);
    const expected = directSgd(state, reference, 20, 0.003, loss0, false);
    expect<f64>(relativeError(loss, expected)).toBeLessThanOrEqual(1e-14);
    heap.free(reference);
    state.free();
  });

  test("steps = 0 returns the given loss and leaves the energies alone", () => {
    const state = new SgdState(5, 5);
    const before = allocF64(5);
    copyF64(state.energy, before, 5);
    expectBits(sgdSteps(state.decay, state.injection, state.energy, 5, 0, 0.1, 1.25), 1.25, "loss");
    for (let k = 0; k < 5; k++) expectBits(at(state.energy, k), at(before, k), "energy");
    heap.free(before);
    state.free();
  });

  test("a fixed point stays put: e = b (L + noise) / (1 - a)", () => {
    // Two modes with a = 1/2, b = 1/8 and noise 2: L* = e0 + e1 solves
    // e_k = (b/(1-a)) (L + 2) = (L + 2)/4, L = (L + 2)/2 -> L = 2, e_k = 1.
    const decay = allocF64(2);
    const injection = allocF64(2);
    const energy = allocF64(2);
    for (let k = 0; k < 2; k++) {
      put(decay, k, 0.5);
      put(injection, k, 0.125);
      put(energy, k, 1.0);
    }
    expectBits(sgdSteps(decay, injection, energy, 2, 10, 2.0, 2.0), 2.0, "loss");
    expectBits(at(energy, 0), 1.0, "e0");
    expectBits(at(energy, 1), 1.0, "e1");
    heap.free(decay);
    heap.free(injection);
    heap.free(energy);
  });
});
