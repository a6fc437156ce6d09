// assembly/lazy-tti.ts: the causal Toeplitz responses of the lazy DMFT (spec feature-learning.md
// §4.2 (v), §4.4) against a plain scalar loop written in the documented order (two-lane dot
// products, sequential node sums), bit for bit in both builds, on odd and even sizes; and, at
// N = infinity (inverseSize = 0), against the closed form h_b(n) = -eta lambda_b (1 - eta lambda_b)^(n-1).
import { lazyTtiLags } from "../lazy-tti";
import { allocF64, at, put, Uniform } from "./buffers";

/** The two-lane dot product of the documented order. */
function laneDot(a: usize, b: usize, count: i32): f64 {
  let lane0: f64 = 0;
  let lane1: f64 = 0;
  const even = count & ~1;
  for (let k = 0; k < even; k += 2) {
    lane0 += at(a, k) * at(b, k);
    lane1 += at(a, k + 1) * at(b, k + 1);
  }
  let sum = lane0 + lane1;
  if (count & 1) sum += at(a, even) * at(b, even);
  return sum;
}

class Problem {
  responses: usize; eigenvalues: usize; multiplicity: usize; targetPower: usize; cumulative: usize;
  rz: usize; rg: usize; p: usize; y: usize; sums: usize; overlap: usize; difference: usize;
  constructor(public count: i32, public lags: i32, random: Uniform, inverseSize: f64) {
    const perLag = lags + 1;
    this.responses = allocF64(count * perLag);
    this.eigenvalues = allocF64(count);
    this.multiplicity = allocF64(count);
    this.targetPower = allocF64(count);
    this.cumulative = allocF64(count);
    this.rz = allocF64(perLag); this.rg = allocF64(perLag); this.p = allocF64(perLag); this.y = allocF64(perLag);
    this.overlap = allocF64(perLag); this.difference = allocF64(perLag); this.sums = allocF64(2);
    for (let i = 0; i < count * perLag; i++) put(this.responses, i, 0);
    for (let i = 0; i < perLag; i++) { put(this.rz, i, 0); put(this.rg, i, 0); put(this.p, i, 0); put(this.y, i, 0); put(this.overlap, i, 0); put(this.difference, i, 0); }
    let trace: f64 = 0;
    let power: f64 = 0;
    for (let b = 0; b < count; b++) {
      put(this.eigenvalues, b, 0.05 + random.next());
      put(this.multiplicity, b, 1 + random.next());
      put(this.targetPower, b, random.next());
      put(this.cumulative, b, 1);
      put(this.responses, b * perLag, 1);
      trace += at(this.multiplicity, b) * at(this.eigenvalues, b);
      power += at(this.targetPower, b);
    }
    put(this.overlap, 0, power);
    put(this.rg, 0, -trace * inverseSize);
    put(this.y, 0, 1);
    put(this.sums, 0, 1);
    put(this.sums, 1, -trace * inverseSize);
  }
}

/** The loop of assembly/lazy-tti.ts written with scalar loads, in the documented order. */
function reference(q: Problem, eta: f64, inverseSize: f64, from: i32, to: i32): void {
  const stride = q.lags + 1;
  let ySum = at(q.sums, 0);
  let rgSum = at(q.sums, 1);
  for (let n = from; n < to; n++) {
    put(q.rz, q.lags - n, eta * ySum);
    let reaction: f64 = 0;
    let overlapSum: f64 = 0;
    let differenceSum: f64 = 0;
    for (let b = 0; b < q.count; b++) {
      const row = q.responses + (<usize>(b * stride) << 3);
      const value = -at(q.eigenvalues, b) * laneDot(q.rz + (<usize>(q.lags - n) << 3), row, n);
      put(row, n, value);
      const phi = at(q.cumulative, b) + value;
      put(q.cumulative, b, phi);
      reaction += at(q.multiplicity, b) * at(q.eigenvalues, b) * value;
      overlapSum += at(q.targetPower, b) * phi;
      differenceSum += at(q.multiplicity, b) * (value - at(row, n - 1));
    }
    put(q.overlap, n, overlapSum);
    put(q.difference, n, differenceSum);
    const rgValue = -inverseSize * reaction;
    put(q.rg, n, rgValue);
    put(q.p, n, eta * rgSum);
    rgSum += rgValue;
    let next: f64 = 0;
    for (let m = 1; m <= n; m++) next += at(q.p, m) * at(q.y, n - m);
    put(q.y, n, next);
    ySum += next;
  }
  put(q.sums, 0, ySum);
  put(q.sums, 1, rgSum);
}

function run(q: Problem, eta: f64, inverseSize: f64, from: i32, to: i32): void {
  lazyTtiLags(q.responses, q.count, q.lags, q.eigenvalues, q.multiplicity, q.targetPower, q.cumulative,
    q.rz, q.rg, q.p, q.y, q.sums, q.overlap, q.difference, eta, inverseSize, from, to);
}

describe("lazyTtiLags", () => {
  test("equals the scalar loop of the documented order, bit for bit (odd and even sizes, two chunks)", () => {
    const shapes: i32[] = [1, 5, 3, 8, 4, 13, 7, 30];
    for (let c = 0; c + 1 < shapes.length; c += 2) {
      const count = shapes[c];
      const lags = shapes[c + 1];
      const kernel = new Problem(count, lags, new Uniform(7), 0.03);
      const scalar = new Problem(count, lags, new Uniform(7), 0.03);
      const middle = 1 + lags / 2;
      run(kernel, 0.4, 0.03, 1, middle);
      run(kernel, 0.4, 0.03, middle, lags + 1);
      reference(scalar, 0.4, 0.03, 1, lags + 1);
      for (let n = 0; n <= lags; n++) {
        expect<u64>(reinterpret<u64>(at(kernel.overlap, n))).toBe(reinterpret<u64>(at(scalar.overlap, n)), "overlap");
        expect<u64>(reinterpret<u64>(at(kernel.difference, n))).toBe(reinterpret<u64>(at(scalar.difference, n)), "difference");
        expect<u64>(reinterpret<u64>(at(kernel.y, n))).toBe(reinterpret<u64>(at(scalar.y, n)), "y");
      }
    }
  });

  test("N = infinity gives h_b(n) = -eta lambda_b (1 - eta lambda_b)^(n-1)", () => {
    const lags = 20;
    const q = new Problem(3, lags, new Uniform(11), 0);
    run(q, 0.5, 0, 1, lags + 1);
    for (let b = 0; b < 3; b++) {
      const step = 0.5 * at(q.eigenvalues, b);
      for (let n = 1; n <= lags; n++) {
        const expected = -step * Math.pow(1 - step, n - 1);
        const got = at(q.responses + (<usize>(b * (lags + 1)) << 3), n);
        expect<f64>(Math.abs(got - expected)).toBeLessThan(1e-14, "closed form");
      }
    }
  });
});
