// kappa(s), the spectrum compression and the Talbot rules of the DMFT (spec
// dmft-random-features.md §5, §8, §10 steps 1-4): the kappa equation solved for real and complex s,
// D14 (continuum law), the compressed sums against explicit mode-by-mode sums, Infinity against
// large finite M, and the 1-D / 2-D Talbot rules on transforms with known inverses.
import { describe, expect, it } from 'vitest';
import { typescriptDmftKernels } from '../../src/engine/dmft-kernels.js';
import { compressModes, continueKappa, realKappa, staticKappa } from '../../src/dmft/kappa.js';
import { invert, invert2d, talbotRule } from '../../src/dmft/talbot.js';
import { resolveSpectrum } from '../../src/spectrum/spectrum.js';

const powerLaw = (alpha: number, modes: number) => resolveSpectrum({ alpha, beta: 1, modes });

describe('kappa (spec §5, §10 step 2)', () => {
  it('real s: the positive root of the kappa equation; 0 for the ridgeless under-parametrised model', () => {
    const modes = compressModes(powerLaw(1.5, 300), 300, 150);
    for (const z of [0, 1e-6, 0.01, 1, 100]) {
      const kappa = realKappa(modes, 150, z);
      let sum = 0;
      for (let k = 1; k <= 300; k++) sum += k ** -1.5 / (k ** -1.5 + kappa);
      // residual of kappa = z + (kappa/P) sum lambda/(lambda + kappa), relative to kappa (bisection to ~1e-16)
      expect(Math.abs(kappa - z - kappa * sum / 150)).toBeLessThan(1e-13 * kappa);
    }
    const under = compressModes(powerLaw(1.5, 100), 100, 150);
    expect(realKappa(under, 150, 0)).toBe(0);
    const s = staticKappa(under, 150, 0);
    expect(s.gamma2).toBeCloseTo(100 / 150, 15);
    expect(s.ridgeRatio).toBeCloseTo(1 - 100 / 150, 15);
  });

  it('D14: kappa_0 / [P sin(pi/b)/(pi/b)]^-b (3e-3); the spec table holds for N = 2000 P (b = 1.5) and 200 P (b = 2)', () => {
    // The spec lists N = 2e6 (b = 1.5) and 2e5 (b = 2) but its P = 1e4 entries need N scaled with P:
    // at N = 2e6, P = 1e4 the ratio is 0.9430 (explicit sum), not 0.9820 (reported as a spec error).
    const cases: [number, number, number, number][] = [[1.5, 1e3, 2e6, 0.9814], [1.5, 1e4, 2e7, 0.9820], [2, 1e3, 2e5, 0.9949], [2, 1e4, 2e6, 0.9958]];
    for (const [b, P, N, expected] of cases) {
      const modes = compressModes(powerLaw(b, N), N, P);
      const ratio = realKappa(modes, P, 0) / (P * Math.sin(Math.PI / b) / (Math.PI / b)) ** -b;
      expect(Math.abs(ratio - expected)).toBeLessThan(3e-3); // measured within 1e-4 of each
    }
    // N -> infinity: the discrete sum is the integral minus ~1/2, so ratio -> (P/(P + 1/2))^b ~ 1 - b/(2P)
    const infinite = compressModes(resolveSpectrum({ alpha: 1.5, beta: 1, modes: Infinity }), Infinity, 1e4);
    const ratio = realKappa(infinite, 1e4, 0) / (1e4 * Math.sin(Math.PI / 1.5) / (Math.PI / 1.5)) ** -1.5;
    expect(Math.abs(ratio - (1e4 / (1e4 + 0.5)) ** 1.5)).toBeLessThan(1e-5);
  });

  it('complex s: Newton continuation satisfies the kappa equation and follows the physical branch', () => {
    const modes = compressModes(powerLaw(1.5, 300), 300, 150);
    const kernels = typescriptDmftKernels(modes.eigenvalues, modes.multiplicity, modes.targetPower, 150);
    const out = new Float64Array(2);
    const start = 0.5;
    const kappa0 = realKappa(modes, 150, start);
    // walk to z = 0.5 + 3i directly, and along a detour through -0.3 + 1i: same root (branch is single-valued off the cut)
    continueKappa(kernels, start, 0, kappa0, 0, 0.5, 3, out);
    const direct = [out[0], out[1]];
    continueKappa(kernels, start, 0, kappa0, 0, -0.3, 1, out);
    continueKappa(kernels, -0.3, 1, out[0], out[1], 0.5, 3, out);
    expect(Math.hypot(out[0] - direct[0], out[1] - direct[1])).toBeLessThan(1e-13 * Math.hypot(direct[0], direct[1]));
    // residual of g(kappa) with explicit complex arithmetic
    let sr = 0;
    let si = 0;
    for (let k = 1; k <= 300; k++) {
      const l = k ** -1.5;
      const dr = l + direct[0];
      const di = direct[1];
      const d = dr * dr + di * di;
      sr += l * dr / d;
      si += -l * di / d;
    }
    const gr = direct[0] - 0.5 - (direct[0] * sr - direct[1] * si) / 150;
    const gi = direct[1] - 3 - (direct[0] * si + direct[1] * sr) / 150;
    expect(Math.hypot(gr, gi)).toBeLessThan(1e-13 * Math.hypot(direct[0], direct[1]));
    // physical branch: A(s) = E Tr[Lambda (H + s)^-1] = P(kappa/z - 1) is a Stieltjes transform, Im A < 0 for Im s > 0
    const z2 = 0.5 * 0.5 + 9;
    expect(150 * (direct[1] * 0.5 - direct[0] * 3) / z2).toBeLessThan(0);
    // large |s|: kappa -> z + (1/P) sum lambda (OU limit, spec §7(a))
    continueKappa(kernels, start, 0, kappa0, 0, 1e6, 1e6, out);
    let trace = 0;
    for (let k = 1; k <= 300; k++) trace += k ** -1.5;
    expect(Math.abs(out[0] - (1e6 + trace / 150))).toBeLessThan(1e-5);
  });
});

describe('spectrum compression (spec §10 step 1)', () => {
  it('compressed sums equal explicit sums over every mode (M = 2e5) at real and complex kappa', () => {
    const M = 200_000;
    const spectrum = resolveSpectrum({ alpha: 1.3, beta: 0.6, modes: M });
    const modes = compressModes(spectrum, M, 1000);
    expect(modes.eigenvalues.length).toBeLessThan(400);
    const explicit = typescriptDmftKernels(
      Float64Array.from({ length: M }, (_, k) => (k + 1) ** -1.3), new Float64Array(M).fill(1),
      Float64Array.from({ length: M }, (_, k) => (k + 1) ** -(1.3 * 0.6 + 1)), 1000);
    const compressed = typescriptDmftKernels(modes.eigenvalues, modes.multiplicity, modes.targetPower, 1000);
    const a = new Float64Array(10);
    const b = new Float64Array(10);
    for (const [kr, ki] of [[1e-4, 0], [1e-3, 2e-3], [0.05, -0.01], [-1e-4, 1e-3]]) {
      explicit.nodeSums(kr, ki, a);
      compressed.nodeSums(kr, ki, b);
      for (let j = 0; j < 5; j++) {
        // midpoint rule + Euler-Maclaurin endpoint pairs after 256 exact modes: measured < 6e-12 relative
        // (8e-7 without the endpoint pairs)
        expect(Math.hypot(a[2 * j] - b[2 * j], a[2 * j + 1] - b[2 * j + 1])).toBeLessThan(1e-10 * Math.hypot(a[2 * j], a[2 * j + 1]));
      }
    }
  });

  it('modes: Infinity against large finite M: the difference is the analytic tail', () => {
    const P = 1000;
    const infinite = compressModes(resolveSpectrum({ alpha: 1.5, beta: 0.5, modes: Infinity }), Infinity, P);
    const kappaInfinite = realKappa(infinite, P, 0);
    for (const M of [1e8, 1e10, 1e12]) {
      const finite = compressModes(resolveSpectrum({ alpha: 1.5, beta: 0.5, modes: M }), M, P);
      const kappa = realKappa(finite, P, 0);
      // first order: the missing tail adds sum_{k>M} lambda_k / kappa = 2 M^-0.5 / kappa to the sum: dkappa/kappa ~ 2 b M^-0.5 / (kappa P)
      const predicted = 2 * M ** -0.5 / (kappaInfinite * P) * 1.5;
      expect(Math.abs(kappaInfinite / kappa - 1 - predicted)).toBeLessThan(0.05 * predicted + 1e-12);
    }
    expect(infinite.tailNodes).toBe(1);
    expect(infinite.outsidePower).toBe(0);
  });

  it('outside power of modelSize < modes: sum over k > N, exact head then the integral', () => {
    const spectrum = resolveSpectrum({ alpha: 1.5, beta: 0.4, modes: 500_000 });
    const modes = compressModes(spectrum, 1000, 100);
    let direct = 0;
    for (let k = 500_000; k > 1000; k--) direct += k ** -1.6;
    expect(Math.abs(modes.outsidePower / direct - 1)).toBeLessThan(1e-10);
    const custom = compressModes(resolveSpectrum({ eigenvalues: [0.1, 1, 0.5], targetPower: [3, 1, 2] }), 2, 10);
    expect(Array.from(custom.eigenvalues)).toEqual([1, 0.5]);
    expect(custom.outsidePower).toBe(3);
  });
});

describe('Talbot rules (spec §10 steps 2-4)', () => {
  const rule = talbotRule(48);
  it('1-D: e^(-a t), t, and 1 - e^(-a t) from their transforms (1e-10)', () => {
    const re = new Float64Array(rule.count);
    const im = new Float64Array(rule.count);
    for (const t of [1e-3, 1, 1e3]) {
      for (const [a, transform, exact] of [
        [2, (sr: number, si: number) => [sr + 2, si], Math.exp(-2 * t)], // 1/(s + 2)
        [0, (sr: number, si: number) => [sr * sr - si * si, 2 * sr * si], t], // 1/s^2
        [0.5, (sr: number, si: number) => [sr * sr - si * si + 0.5 * sr, 2 * sr * si + 0.5 * si], (1 - Math.exp(-0.5 * t)) / 0.5], // 1/(s(s + a))
      ] as [number, (sr: number, si: number) => number[], number][]) {
        void a;
        for (let j = 0; j < rule.count; j++) {
          const [dr, di] = transform(rule.nodeRe[j] / t, rule.nodeIm[j] / t);
          const d = dr * dr + di * di;
          re[j] = dr / d;
          im[j] = -di / d;
        }
        expect(Math.abs(invert(rule, t, re, im) - exact)).toBeLessThan(1e-10 * Math.max(1, Math.abs(exact)));
      }
    }
    expect(rule.crossing / 48).toBeCloseTo(0.1709, 3); // the contour crosses the real axis at ~0.17 M_T / t
  });

  it('2-D product rule on the diagonal: 1/((s1 + a)(s2 + b)) -> e^(-(a + b) t) (1e-9)', () => {
    for (const t of [0.1, 10]) {
      const value = invert2d(rule, t, 1, (j, k, conjugate, out) => {
        const s1r = rule.nodeRe[j] / t + 1;
        const s1i = rule.nodeIm[j] / t;
        const s2r = rule.nodeRe[k] / t + 3;
        const s2i = (conjugate ? -1 : 1) * rule.nodeIm[k] / t;
        const pr = s1r * s2r - s1i * s2i;
        const pi = s1r * s2i + s1i * s2r;
        const d = pr * pr + pi * pi;
        out[0] = pr / d;
        out[1] = -pi / d;
      })[0];
      expect(Math.abs(value - Math.exp(-4 * t))).toBeLessThan(1e-9);
    }
  });
});
