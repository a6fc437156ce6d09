// assembly/dmft.ts: the DMFT mode sums (spec dmft-random-features.md §5, §10) against plain scalar
// complex arithmetic written here: Newton's root satisfies the kappa equation, the node sums, pair
// sums and bias sum equal direct loops (SIMD: up to lane-order round-off), on odd and even sizes.
import { dmftBiasSum, dmftNewton, dmftNodeSums, dmftPairSums } from "../dmft";
import { allocF64, at, put } from "./buffers";

function modes(count: i32, eigenvalues: usize, multiplicity: usize, power: usize): void {
  for (let k = 0; k < count; k++) {
    const lambda = Math.pow(<f64>(k + 1), -1.5);
    put(eigenvalues, k, lambda);
    put(multiplicity, k, k % 5 == 3 ? 0.5 : 1.0);
    put(power, k, lambda * Math.pow(<f64>(k + 1), -0.7));
  }
}

function close(got: f64, expected: f64, tolerance: f64, what: string): void {
  const error = Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-300);
  expect<bool>(error <= tolerance).toBe(true, what);
}

const SIZES: i32[] = [1, 2, 7, 64, 301];

describe("dmftNewton", () => {
  test("the root satisfies kappa = z + (kappa/P) sum m lambda/(lambda + kappa)", () => {
    for (let c = 0; c < SIZES.length; c++) {
      const n = SIZES[c];
      const eigenvalues = allocF64(n);
      const multiplicity = allocF64(n);
      const power = allocF64(n);
      modes(n, eigenvalues, multiplicity, power);
      const out = allocF64(2);
      const P: f64 = 0.5 * <f64>n + 1;
      const zr: f64 = 0.05;
      const zi: f64 = 0.2;
      const iterations = dmftNewton(eigenvalues, multiplicity, n, P, zr, zi, zr + 0.1, zi, 60, out);
      expect<bool>(iterations > 0).toBe(true, "converged");
      const kr = at(out, 0);
      const ki = at(out, 1);
      let sr: f64 = 0;
      let si: f64 = 0;
      for (let k = 0; k < n; k++) {
        const l = at(eigenvalues, k);
        const m = at(multiplicity, k);
        const dr = l + kr;
        const d = dr * dr + ki * ki;
        sr += m * l * dr / d;
        si -= m * l * ki / d;
      }
      const gr = kr - zr - (kr * sr - ki * si) / P;
      const gi = ki - zi - (kr * si + ki * sr) / P;
      expect<bool>(Math.sqrt(gr * gr + gi * gi) < 1e-13 * Math.sqrt(kr * kr + ki * ki)).toBe(true, "residual");
    }
  });
});

describe("dmftNodeSums, dmftPairSums, dmftBiasSum", () => {
  test("equal direct complex loops", () => {
    for (let c = 0; c < SIZES.length; c++) {
      const n = SIZES[c];
      const eigenvalues = allocF64(n);
      const multiplicity = allocF64(n);
      const power = allocF64(n);
      modes(n, eigenvalues, multiplicity, power);
      const out = allocF64(10);
      const kr: f64 = 0.003;
      const ki: f64 = -0.002;
      dmftNodeSums(eigenvalues, multiplicity, power, n, kr, ki, out);
      let a0: f64 = 0, a1: f64 = 0, c0: f64 = 0, c1: f64 = 0, d0: f64 = 0, d1: f64 = 0;
      for (let k = 0; k < n; k++) {
        const l = at(eigenvalues, k);
        const dr = l + kr;
        const d = dr * dr + ki * ki;
        const qr = dr / d;
        const qi = -ki / d;
        a0 += at(multiplicity, k) * l * qr; a1 += at(multiplicity, k) * l * qi;
        c0 += at(power, k) * qr; c1 += at(power, k) * qi;
        d0 += at(power, k) * (qr * qr - qi * qi); d1 += at(power, k) * 2 * qr * qi;
      }
      close(at(out, 0), a0, 1e-13, "sum m lambda q (re)");
      close(at(out, 1), a1, 1e-13, "sum m lambda q (im)");
      close(at(out, 4), c0, 1e-13, "sum p q (re)");
      close(at(out, 5), c1, 1e-13, "sum p q (im)");
      close(at(out, 6), d0, 1e-13, "sum p q^2 (re)");
      close(at(out, 7), d1, 1e-13, "sum p q^2 (im)");
      // pair sums at equal kappas are the q^2 sums
      const pair = allocF64(4);
      dmftPairSums(eigenvalues, multiplicity, power, n, kr, ki, kr, ki, pair);
      close(at(pair, 0), d0, 1e-13, "pair sum p q q");
      close(at(pair, 1), d1, 1e-13, "pair sum p q q (im)");
      close(at(pair, 2), at(out, 2), 1e-13, "pair sum m lambda^2 q q");
      // bias sum with one node: f = Re[c/(kappa + lambda)]
      const coefficients = allocF64(2);
      const kappas = allocF64(2);
      put(coefficients, 0, 0.7); put(coefficients, 1, -0.2);
      put(kappas, 0, kr); put(kappas, 1, ki);
      let expected: f64 = 0;
      for (let k = 0; k < n; k++) {
        const dr = at(eigenvalues, k) + kr;
        const f = (0.7 * dr + (-0.2) * ki) / (dr * dr + ki * ki);
        expected += at(power, k) * f * f;
      }
      close(dmftBiasSum(eigenvalues, power, n, 1, coefficients, kappas), expected, 1e-13, "bias sum");
    }
  });
});
