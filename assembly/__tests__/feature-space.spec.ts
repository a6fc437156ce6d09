// assembly/feature-space.ts: the coupling sweep of the rich feature-space flow against a plain
// scalar loop written in the documented order (rank-2 update entry by entry, two-lane row sums,
// element-by-element column accumulation), bit for bit in both builds, on odd and even sizes, with
// and without the update; and against the full symmetric product to rounding.
import { featureSpaceSweep } from "../feature-space";
import { allocF64, at, copyF64, put, Uniform } from "./buffers";

function fill(buffer: usize, count: i32, random: Uniform): void {
  for (let i = 0; i < count; i++) put(buffer, i, random.next() - 0.5);
}

function same(got: f64, expected: f64, what: string): void {
  expect<u64>(reinterpret<u64>(got)).toBe(reinterpret<u64>(expected), what);
}

/** The documented order, scalar. */
function reference(coupling: usize, u: usize, v: usize, factor: f64, x: usize, product: usize, n: i32): void {
  for (let i = 0; i < n; i++) put(product, i, 0);
  for (let i = 0; i < n; i++) {
    const xi = at(x, i);
    const ui = at(u, i) * factor;
    const vi = at(v, i) * factor;
    let lane0: f64 = 0;
    let lane1: f64 = 0;
    const even = i & ~1;
    for (let j = 0; j < i; j++) {
      let entry = at(coupling, i * n + j);
      if (factor != 0) {
        entry = (entry + ui * at(v, j)) + vi * at(u, j);
        put(coupling, i * n + j, entry);
      }
      if (j < even) {
        if (j & 1) lane1 += entry * at(x, j);
        else lane0 += entry * at(x, j);
      }
      put(product, j, at(product, j) + entry * xi);
    }
    let dot = lane0 + lane1;
    if (i & 1) dot += at(coupling, i * n + even) * at(x, even);
    let diagonal = at(coupling, i * n + i);
    if (factor != 0) {
      diagonal = diagonal + 2 * ui * at(v, i);
      put(coupling, i * n + i, diagonal);
    }
    put(product, i, at(product, i) + (dot + diagonal * xi));
  }
}

const SIZES: i32[] = [1, 2, 3, 4, 7, 16, 33];
const FACTORS: f64[] = [0.3, 0];

describe("featureSpaceSweep", () => {
  test("J += f (u v^T + v u^T) then J x on the lower triangle, bit for bit", () => {
    const random = new Uniform(11);
    for (let c = 0; c < SIZES.length; c++) {
      const n = SIZES[c];
      for (let f = 0; f < FACTORS.length; f++) {
        const factor = FACTORS[f];
        const coupling = allocF64(n * n); fill(coupling, n * n, random);
        const expectedCoupling = allocF64(n * n); copyF64(coupling, expectedCoupling, n * n);
        const u = allocF64(n); fill(u, n, random);
        const v = allocF64(n); fill(v, n, random);
        const x = allocF64(n); fill(x, n, random);
        const product = allocF64(n);
        const expected = allocF64(n);
        featureSpaceSweep(coupling, u, v, factor, x, product, n);
        reference(expectedCoupling, u, v, factor, x, expected, n);
        for (let i = 0; i < n; i++) same(at(product, i), at(expected, i), "product");
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) same(at(coupling, i * n + j), at(expectedCoupling, i * n + j), "coupling");
      }
    }
  });

  test("the product is the full symmetric J x to rounding", () => {
    const random = new Uniform(5);
    const n = 9;
    const coupling = allocF64(n * n); fill(coupling, n * n, random);
    const x = allocF64(n); fill(x, n, random);
    const zero = allocF64(n);
    const product = allocF64(n);
    featureSpaceSweep(coupling, zero, zero, 0, x, product, n);
    for (let i = 0; i < n; i++) {
      let sum: f64 = 0;
      for (let j = 0; j < n; j++) sum += (j <= i ? at(coupling, i * n + j) : at(coupling, j * n + i)) * at(x, j);
      expect<f64>(Math.abs(at(product, i) - sum)).toBeLessThanOrEqual(1e-14);
    }
  });
});
