// assembly/fl-dmft.ts: the mode kernel of the feature-learning DMFT (spec feature-learning.md §4.2,
// §4.3) against a plain scalar loop written in the documented order (two-lane sums and dot
// products, rows applied one after another), bit for bit in both builds, over whole sequences of
// steps on odd and even sizes, with the optional buffers on and off; and H_k against the defining
// identity (I + lambda R) H = I.
import { flDmftModes } from "../fl-dmft";
import { allocF64, at, put, Uniform } from "./buffers";

function same(got: f64, expected: f64, what: string): void {
  expect<u64>(reinterpret<u64>(got)).toBe(reinterpret<u64>(expected), what);
}

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

/** The scalar reference of one step (same arguments as flDmftModes). */
function reference(
  t: i32, steps: i32, modes: i32, eigenvalues: usize, counts: usize, targetPower: usize, response: usize, noise: usize,
  means: usize, row: usize, correlation: usize, correlationScale: f64, second: usize, secondScale: f64, scratch: usize,
  correlationRow: usize, potentialRow: usize, responseRow: usize, responseScale: f64, secondResponseRow: usize, diagonal: usize,
  sources: i32,
): f64 {
  const stride = steps * (steps + 1) / 2;
  let loss: f64 = 0;
  for (let k = 0; k < modes; k++) {
    const lambda = at(eigenvalues, k);
    const count = at(counts, k);
    const power = at(targetPower, k);
    const base = k * stride;
    const current = base + t * (t + 1) / 2;
    for (let s = 0; s < t; s++) put(response, current + s, 0);
    put(response, current + t, 1);
    for (let u = 0; u < t; u++) {
      const c = -lambda * at(row, u);
      for (let s = 0; s <= u; s++) put(response, current + s, at(response, current + s) + c * at(response, base + u * (u + 1) / 2 + s));
    }
    let lane0: f64 = 0;
    let lane1: f64 = 0;
    const even = (t + 1) & ~1;
    for (let s = 0; s < even; s += 2) {
      lane0 += at(response, current + s);
      lane1 += at(response, current + s + 1);
    }
    let mean = lane0 + lane1;
    if ((t + 1) & 1) mean += at(response, current + even);
    put(means, k * steps + t, mean);
    const currentPointer = response + (<usize>current << 3);
    for (let b = 0; sources != 0 && b <= t; b++) {
      const first = correlation != 0 ? correlationScale * laneDot(correlation + (<usize>(b * steps) << 3), currentPointer, t + 1) : 0.0;
      const other = second != 0 ? (secondScale * lambda) * laneDot(second + (<usize>(b * steps) << 3), currentPointer, t + 1) : 0.0;
      put(scratch, b, (first + other) + at(noise, k * steps + b) * at(response, current + b));
    }
    let zhat: f64 = 0;
    for (let s = 0; s <= t; s++) {
      zhat = sources != 0 ? laneDot(response + (<usize>(base + s * (s + 1) / 2) << 3), scratch, s + 1) : 0.0;
      const previous = at(means, k * steps + s);
      put(correlationRow, s, at(correlationRow, s) + ((lambda * power * mean) * previous + (count * (lambda * lambda)) * zhat));
      if (potentialRow != 0) put(potentialRow, s, at(potentialRow, s) + ((power * mean) * previous + (count * lambda) * zhat));
    }
    if (responseScale > 0) {
      const c = -(count * lambda) * responseScale;
      for (let s = 0; s <= t; s++) put(responseRow, s, at(responseRow, s) + c * at(response, current + s));
    }
    if (secondResponseRow != 0) {
      const c = -(count * (lambda * lambda));
      for (let s = 0; s <= t; s++) put(secondResponseRow, s, at(secondResponseRow, s) + c * at(response, current + s));
    }
    put(diagonal, k, zhat);
    loss = loss + (power * (mean * mean) + (count * lambda) * zhat);
  }
  return loss;
}

describe("flDmftModes", () => {
  test("equals the scalar loop of the documented order over all steps, bit for bit", () => {
    const random = new Uniform(7);
    const sizes: i32[] = [1, 1, 2, 3, 5, 2, 8, 3, 11, 4];
    for (let c = 0; c + 1 < sizes.length; c += 2) {
      const steps = sizes[c];
      const modes = sizes[c + 1];
      for (let variant = 0; variant < 4; variant++) {
        const withCorrelation = variant == 1 || variant == 2;
        const reuse = variant == 2;
        const sources = variant == 3 ? 0 : 1;
        const stride = steps * (steps + 1) / 2;
        const eigenvalues = allocF64(modes);
        const counts = allocF64(modes);
        const power = allocF64(modes);
        for (let k = 0; k < modes; k++) {
          put(eigenvalues, k, 0.05 + 0.9 * random.next());
          put(counts, k, 1 + 3 * random.next());
          put(power, k, 0.5 * random.next());
        }
        const noise = allocF64(modes * steps);
        for (let i = 0; i < modes * steps; i++) put(noise, i, 0.2 * random.next());
        const correlation = allocF64(steps * steps);
        const second = allocF64(steps * steps);
        for (let i = 0; i < steps; i++) for (let j = 0; j <= i; j++) {
          const x = random.next() - 0.3;
          put(correlation, i * steps + j, x); put(correlation, j * steps + i, x);
          const y = random.next() - 0.3;
          put(second, i * steps + j, y); put(second, j * steps + i, y);
        }
        const operator = allocF64(steps * steps);
        for (let i = 0; i < steps * steps; i++) put(operator, i, 0.3 * (random.next() - 0.2));
        const responseA = allocF64(modes * stride);
        const responseB = allocF64(modes * stride);
        const meansA = allocF64(modes * steps);
        const meansB = allocF64(modes * steps);
        const scratch = allocF64(steps);
        const rowsA = allocF64(4 * steps);
        const rowsB = allocF64(4 * steps);
        const diagonalA = allocF64(modes);
        const diagonalB = allocF64(modes);
        for (let t = 0; t < steps; t++) {
          for (let i = 0; i < 4 * steps; i++) { put(rowsA, i, 0.5); put(rowsB, i, 0.5); }
          const row = operator + (<usize>(t * steps) << 3);
          const stepSize = <usize>steps << 3;
          const got = flDmftModes(t, steps, modes, eigenvalues, counts, power, responseA, noise, meansA, row,
            withCorrelation ? correlation : 0, 0.125, reuse ? second : 0, 0.05, scratch,
            rowsA, reuse ? rowsA + stepSize : 0, rowsA + 2 * stepSize, withCorrelation ? 0.125 : 0, reuse ? rowsA + 3 * stepSize : 0, diagonalA, sources);
          const expected = reference(t, steps, modes, eigenvalues, counts, power, responseB, noise, meansB, row,
            withCorrelation ? correlation : 0, 0.125, reuse ? second : 0, 0.05, scratch,
            rowsB, reuse ? rowsB + stepSize : 0, rowsB + 2 * stepSize, withCorrelation ? 0.125 : 0, reuse ? rowsB + 3 * stepSize : 0, diagonalB, sources);
          same(got, expected, "loss");
          for (let i = 0; i < 4 * steps; i++) same(at(rowsA, i), at(rowsB, i), "rows");
          for (let k = 0; k < modes; k++) same(at(diagonalA, k), at(diagonalB, k), "diagonal");
        }
        for (let i = 0; i < modes * stride; i++) same(at(responseA, i), at(responseB, i), "response");
        for (let i = 0; i < modes * steps; i++) same(at(meansA, i), at(meansB, i), "means");
        // (I + lambda R) H = I on the strictly lower operator R, for every mode
        for (let k = 0; k < modes; k++) {
          const lambda = at(eigenvalues, k);
          for (let t = 0; t < steps; t++) for (let s = 0; s <= t; s++) {
            let value = at(responseA, k * stride + t * (t + 1) / 2 + s);
            for (let u = s; u < t; u++) value += lambda * at(operator, t * steps + u) * at(responseA, k * stride + u * (u + 1) / 2 + s);
            expect<f64>(Math.abs(value - (s == t ? 1.0 : 0.0))).toBeLessThan(1e-12, "resolvent");
          }
        }
        heap.free(eigenvalues); heap.free(counts); heap.free(power); heap.free(noise); heap.free(correlation); heap.free(second);
        heap.free(operator); heap.free(responseA); heap.free(responseB); heap.free(meansA); heap.free(meansB); heap.free(scratch);
        heap.free(rowsA); heap.free(rowsB); heap.free(diagonalA); heap.free(diagonalB);
      }
    }
  });
});
