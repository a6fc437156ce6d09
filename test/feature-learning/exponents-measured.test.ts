// Scaling exponents measured from long runs of the solvers, against the closed forms of spec
// feature-learning.md §3 (issue 6: "measured exponents from long runs equal chi(beta) (hard), beta
// (easy), 2 - 1/alpha (super-easy, finite B) within the spec's tolerances"). Checks F13 (rich hard
// exponent 2 beta/(1 + beta), lazy control beta), F14 (easy task: rich = lazy exponent; late ratio
// (1 + gamma q)^-beta), F15 (lazy->rich crossover tau_gamma ~ gamma^-2 and amplitude ratio
// (gamma1/gamma2)^(-beta/(1+beta))). Super-easy finite B (F9) is in volterra.test.ts.
// All runs: the Markovian N, B -> infinity ODE (§1.8), modes: Infinity through the log-k node
// compression (32 exact modes + quadrature), so k*(tau) << M always holds (spec §7 item 5: finite
// M makes late exponents drift; spec F13 asks for M >= 1000 or binning).
import { beforeAll, describe, expect, it } from 'vitest';
import { markovFeatureLearning, type MarkovFeatureLearningResult } from '../../src/feature-learning/markov.js';
import { featureLearningExponents, fitPowerLaw, initEngines, lazyRichCrossover, richTimeExponent } from '../helpers.js';

beforeAll(initEngines);

/** Compressed infinite spectrum, coarse log steps (dtau = 0.05 tau; converged to ~3e-4 in L, see markov.test.ts). */
const COMPRESSED = { modes: Infinity, headModes: 32, stepFraction: 0.05 } as const;

/** First tau >= from where `values` rises through `level` (log-linear interpolation). */
function crossing(result: MarkovFeatureLearningResult, values: ArrayLike<number>, level: number, from: number): number {
  const { times } = result;
  for (let i = 1; i < times.length; i++) {
    if (times[i - 1] >= from && values[i - 1] < level && values[i] >= level) {
      const fraction = (level - values[i - 1]) / (values[i] - values[i - 1]);
      return Math.exp(Math.log(times[i - 1]) + fraction * Math.log(times[i] / times[i - 1]));
    }
  }
  return NaN;
}

describe('measured time exponents (Markovian ODE, N = B = Infinity)', () => {
  const runs = new Map<string, MarkovFeatureLearningResult>();
  const run = (alpha: number, beta: number, featureLearning: number, times: string) => {
    const key = `${alpha},${beta},${featureLearning},${times}`;
    if (!runs.has(key)) runs.set(key, markovFeatureLearning({ alpha, beta, featureLearning, times, ...COMPRESSED }));
    return runs.get(key)!;
  };
  const LONG = 'log:0.1:1e6:71';

  it('check F13: rich hard-task exponent -> 2 beta/(1 + beta) (+-0.04), lazy control beta (+-0.01)', () => {
    // Window tau in [1e5, 1e6]: rich k*(tau) ~ tau^(2/(alpha(1+beta))) <= 1e6^0.44 ~ 460 and lazy
    // k* ~ tau^(1/alpha) <= 100, far below M = Infinity (the node compression resolves k up to
    // ~1e5). Observed: alpha 3, beta 0.5: 0.664 (prediction 0.6667); alpha 4, beta 0.3: 0.461
    // (prediction 0.4615); lazy 0.500 and 0.300.
    for (const [alpha, beta] of [[3, 0.5], [4, 0.3]]) {
      const chi = richTimeExponent({ beta });
      expect(featureLearningExponents({ alpha, beta, featureLearning: 1 }).timeExponent).toBeCloseTo(chi, 12);
      const rich = run(alpha, beta, 1, LONG);
      const lazyRun = run(alpha, beta, 0, LONG);
      const richFit = fitPowerLaw(rich.times, rich.loss, { from: 1e5, to: 1e6 });
      const lazyFit = fitPowerLaw(lazyRun.times, lazyRun.loss, { from: 1e5, to: 1e6 });
      expect(Math.abs(richFit.exponent - chi), `alpha ${alpha}, beta ${beta}: rich ${richFit.exponent}`).toBeLessThan(0.04);
      expect(Math.abs(lazyFit.exponent - beta), `lazy ${lazyFit.exponent}`).toBeLessThan(0.01);
      // the exact local exponents in the window agree too, and the rich one is not the lazy one
      for (let i = 0; i < rich.times.length; i++) {
        if (rich.times[i] >= 1e5) expect(Math.abs(rich.localExponent[i] - chi)).toBeLessThan(0.04);
      }
      expect(richFit.exponent - lazyFit.exponent).toBeGreaterThan(0.1);
    }
  });

  it('check F14: easy task (alpha 3, beta 1.25, M 300): rich = lazy exponent, late ratio (1 + gamma q)^-beta', () => {
    // Spec F14: lazy local exponent 1.25 +- 0.03 on tau in [178, 1.8e4]; rich (gamma 1) +- 0.04 in
    // a late window, approaching from above; L(1)/L(0) at tau ~ 1e4 within 10% of (1 + gamma q)^-beta
    // with q below the lazy limit sum_{k<=300} k^-1.75 ~ 1.94. M = 300 is kept (modes: 300, with its
    // modes beyond the first 32 as quadrature nodes). Observed: ratio 0.4358 against 0.4347.
    const setup = { alpha: 3, beta: 1.25, modes: 300, headModes: 32, stepFraction: 0.05, times: 'log:1:3e4:31' };
    const lazyRun = markovFeatureLearning({ ...setup, featureLearning: 0 });
    const rich = markovFeatureLearning({ ...setup, featureLearning: 1 });
    for (let i = 0; i < lazyRun.times.length; i++) {
      const tau = lazyRun.times[i];
      if (tau >= 178 && tau <= 1.8e4) expect(Math.abs(lazyRun.localExponent[i] - 1.25), `lazy at ${tau}`).toBeLessThan(0.03);
      if (tau >= 3e3) {
        expect(Math.abs(rich.localExponent[i] - 1.25), `rich at ${tau}`).toBeLessThan(0.04);
        expect(rich.localExponent[i]).toBeGreaterThan(1.25);
      }
    }
    const late = rich.times.findIndex((tau) => tau >= 1e4);
    const ratio = rich.loss[late] / lazyRun.loss[late];
    const heuristic = (1 + rich.boost[late]) ** -1.25;
    expect(Math.abs(ratio / heuristic - 1)).toBeLessThan(0.1);
    let rkhs = 0;
    for (let k = 1; k <= 300; k++) rkhs += k ** -1.75;
    expect(rich.boost[late]).toBeLessThan(rkhs);
    expect(ratio).toBeLessThan(0.6); // feature learning lowers the constant substantially
  });

  it('check F15: crossover tau_gamma ~ gamma^-2 and late amplitude ratio (gamma1/gamma2)^(-beta/(1+beta))', () => {
    // alpha 3, beta 0.5. (a) The tau where the local exponent passes the midpoint 0.583 (after the
    // early transient, tau >= 10) times gamma^2 is constant within the spec's 25%: observed 2.17
    // (gamma 0.1) and 2.28 (gamma 0.03). (b) The tau where the rich gain L_lazy/L_rich reaches 1.5,
    // times gamma^2: observed 11.0, 10.6, 10.5 for gamma 0.3, 0.1, 0.03. (c) L(0.1)/L(1) -> 2.154:
    // observed 1.96 at tau ~ 5.6e3 (spec: "about 6% below and still rising") and 2.11 at 1e6.
    const crossover = lazyRichCrossover({ beta: 0.5, featureLearning: 0.1 });
    expect(crossover.timeScalingExponent).toBeCloseTo(-2, 12);
    const lazyRun = run(3, 0.5, 0, LONG);
    const short = 'log:0.1:3e4:56';
    const lazyShort = run(3, 0.5, 0, short);
    const prefactor = new Map<number, { midpoint: number; gain: number }>();
    for (const gamma of [0.3, 0.1, 0.03]) {
      const result = gamma === 0.1 ? run(3, 0.5, gamma, LONG) : run(3, 0.5, gamma, short);
      const reference = gamma === 0.1 ? lazyRun : lazyShort;
      const gain = result.loss.map((loss, i) => reference.loss[i] / loss);
      prefactor.set(gamma, {
        midpoint: crossing(result, result.localExponent, 0.583, 10) * gamma ** 2,
        gain: crossing(result, gain, 1.5, 0.1) * gamma ** 2,
      });
    }
    const midpointRatio = prefactor.get(0.03)!.midpoint / prefactor.get(0.1)!.midpoint;
    expect(Math.abs(midpointRatio - 1), `midpoint prefactors ${JSON.stringify([...prefactor])}`).toBeLessThan(0.25);
    for (const gamma of [0.3, 0.03]) {
      expect(Math.abs(prefactor.get(gamma)!.gain / prefactor.get(0.1)!.gain - 1)).toBeLessThan(0.25);
    }
    // (c) amplitude ratio
    const weak = run(3, 0.5, 0.1, LONG);
    const strong = run(3, 0.5, 1, LONG);
    const predicted = 0.1 ** (crossover.amplitudeScalingExponent as number);
    expect(predicted).toBeCloseTo(2.154, 3);
    const ratioAt = (tau: number) => {
      const i = weak.times.findIndex((t) => t >= tau);
      return weak.loss[i] / strong.loss[i];
    };
    expect(Math.abs(ratioAt(1e6) / predicted - 1)).toBeLessThan(0.05);
    expect(ratioAt(1e6)).toBeGreaterThan(ratioAt(1e4)); // still rising towards the prediction
    expect(Math.abs(ratioAt(5.6e3) / predicted - 1)).toBeLessThan(0.15);
  });
});
