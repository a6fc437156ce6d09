// assembly/two-layer.ts: the simulator kernels of spec feature-learning.md §1.4 against plain
// scalar loops written in the documented order (two-lane dot products, rows applied one after
// another), bit for bit in both builds, on odd and even sizes (leftover terms, the two-row axpy);
// and the fused N x N update against the unfused formulas of §1.4.
import { twoLayerError, twoLayerField, twoLayerGradient, twoLayerUpdate } from "../two-layer";
import { allocF64, at, put, Uniform } from "./buffers";

function fill(buffer: usize, count: i32, random: Uniform): void {
  for (let i = 0; i < count; i++) put(buffer, i, random.next() - 0.5);
}

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

function same(got: f64, expected: f64, what: string): void {
  expect<u64>(reinterpret<u64>(got)).toBe(reinterpret<u64>(expected), what);
}

const SHAPES: i32[] = [1, 1, 2, 3, 3, 2, 5, 7, 8, 16, 13, 37];

describe("twoLayerError", () => {
  test("v = w* - A0^T z / N row by row and L = sum lambda v^2, bit for bit", () => {
    const random = new Uniform(3);
    for (let c = 0; c + 1 < SHAPES.length; c += 2) {
      const n = SHAPES[c];
      const m = SHAPES[c + 1];
      const features = allocF64(n * m); fill(features, n * m, random);
      const combined = allocF64(n); fill(combined, n, random);
      const teacher = allocF64(m); fill(teacher, m, random);
      const eigenvalues = allocF64(m);
      for (let k = 0; k < m; k++) put(eigenvalues, k, Math.pow(<f64>(k + 1), -1.5));
      const error = allocF64(m);
      const loss = twoLayerError(features, combined, teacher, eigenvalues, error, n, m);
      const expected = allocF64(m);
      for (let k = 0; k < m; k++) put(expected, k, at(teacher, k));
      for (let i = 0; i < n; i++) {
        const factor = -(at(combined, i) / <f64>n);
        for (let k = 0; k < m; k++) put(expected, k, at(expected, k) + factor * at(features, i * m + k));
      }
      for (let k = 0; k < m; k++) same(at(error, k), at(expected, k), "error");
      const squares = allocF64(m);
      for (let k = 0; k < m; k++) put(squares, k, at(expected, k) * at(expected, k));
      same(loss, laneDot(eigenvalues, squares, m), "loss");
      heap.free(features); heap.free(combined); heap.free(teacher); heap.free(eigenvalues);
      heap.free(error); heap.free(expected); heap.free(squares);
    }
  });
});

describe("twoLayerGradient and twoLayerField", () => {
  test("g = Psi^T (Psi v) / rows, train loss |Psi v|^2 / rows, h = A0 g, bit for bit", () => {
    const random = new Uniform(4);
    for (let c = 0; c + 1 < SHAPES.length; c += 2) {
      const rows = SHAPES[c];
      const m = SHAPES[c + 1];
      const data = allocF64(rows * m); fill(data, rows * m, random);
      const error = allocF64(m); fill(error, m, random);
      const eigenvalues = allocF64(m); fill(eigenvalues, m, random);
      const gradient = allocF64(m);
      const residual = allocF64(rows);
      const train = twoLayerGradient(data, rows, error, eigenvalues, gradient, residual, m);
      const expected = allocF64(m);
      for (let k = 0; k < m; k++) put(expected, k, 0);
      let squares: f64 = 0;
      for (let mu = 0; mu < rows; mu++) {
        const r = laneDot(data + (<usize>(mu * m) << 3), error, m);
        same(at(residual, mu), r, "residual");
        squares += r * r;
        const factor = r / <f64>rows;
        for (let k = 0; k < m; k++) put(expected, k, at(expected, k) + factor * at(data, mu * m + k));
      }
      same(train, squares / <f64>rows, "train loss");
      for (let k = 0; k < m; k++) same(at(gradient, k), at(expected, k), "gradient");
      // rows = 0: the population gradient Lambda v
      expect<f64>(twoLayerGradient(data, 0, error, eigenvalues, gradient, residual, m)).toBe(0);
      for (let k = 0; k < m; k++) same(at(gradient, k), at(eigenvalues, k) * at(error, k), "population gradient");
      // the field over the same matrix read as A0 (rows x m)
      const field = allocF64(rows);
      twoLayerField(data, gradient, field, rows, m);
      for (let i = 0; i < rows; i++) same(at(field, i), laneDot(data + (<usize>(i * m) << 3), gradient, m), "field");
      heap.free(data); heap.free(error); heap.free(eigenvalues); heap.free(gradient);
      heap.free(residual); heap.free(expected); heap.free(field);
    }
  });
});

describe("twoLayerUpdate", () => {
  test("the fused pass equals the simultaneous update of spec §1.4 (old Ã and w on the right)", () => {
    const random = new Uniform(5);
    const sizes: i32[] = [1, 2, 3, 8, 17];
    for (let c = 0; c < sizes.length; c++) {
      const n = sizes[c];
      const mixing = allocF64(n * n); fill(mixing, n * n, random);
      const readout = allocF64(n); fill(readout, n, random);
      const field = allocF64(n); fill(field, n, random);
      const combined = allocF64(n);
      const learningRate = 0.3;
      const featureRate = 0.7 / <f64>n;
      // unfused reference: u = Ã h, Ã' = Ã + c w h^T, w' = w + eta u, z = Ã'^T w'
      const u = allocF64(n);
      for (let i = 0; i < n; i++) put(u, i, laneDot(mixing + (<usize>(i * n) << 3), field, n));
      const newMixing = allocF64(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        put(newMixing, i * n + j, at(mixing, i * n + j) + (featureRate * at(readout, i)) * at(field, j));
      }
      const newReadout = allocF64(n);
      for (let i = 0; i < n; i++) put(newReadout, i, at(readout, i) + learningRate * at(u, i));
      const z = allocF64(n);
      for (let j = 0; j < n; j++) put(z, j, 0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) put(z, j, at(z, j) + at(newReadout, i) * at(newMixing, i * n + j));
      twoLayerUpdate(mixing, readout, field, combined, n, learningRate, featureRate);
      for (let i = 0; i < n * n; i++) same(at(mixing, i), at(newMixing, i), "mixing");
      for (let i = 0; i < n; i++) same(at(readout, i), at(newReadout, i), "readout");
      for (let j = 0; j < n; j++) same(at(combined, j), at(z, j), "combined");
      // lazy (mixing = 0): w += eta h and z = w
      twoLayerUpdate(0, readout, field, combined, n, learningRate, featureRate);
      for (let i = 0; i < n; i++) {
        same(at(readout, i), at(newReadout, i) + learningRate * at(field, i), "lazy readout");
        same(at(combined, i), at(readout, i), "lazy combined");
      }
      heap.free(mixing); heap.free(readout); heap.free(field); heap.free(combined);
      heap.free(u); heap.free(newMixing); heap.free(newReadout); heap.free(z);
    }
  });

  test("with Ã = I and w = 0 the first step leaves Ã = I (feature learning starts at step 2)", () => {
    const n = 5;
    const mixing = allocF64(n * n);
    for (let i = 0; i < n * n; i++) put(mixing, i, i % (n + 1) == 0 ? 1.0 : 0.0);
    const readout = allocF64(n);
    const field = allocF64(n);
    const combined = allocF64(n);
    for (let i = 0; i < n; i++) { put(readout, i, 0); put(field, i, <f64>(i + 1)); }
    twoLayerUpdate(mixing, readout, field, combined, n, 0.5, 2.0);
    for (let i = 0; i < n * n; i++) expect<f64>(at(mixing, i)).toBe(i % (n + 1) == 0 ? 1.0 : 0.0);
    for (let i = 0; i < n; i++) {
      expect<f64>(at(readout, i)).toBe(0.5 * <f64>(i + 1));
      expect<f64>(at(combined, i)).toBe(0.5 * <f64>(i + 1));
    }
    heap.free(mixing); heap.free(readout); heap.free(field); heap.free(combined);
  });
});
