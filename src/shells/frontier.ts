// Resolution frontier, effective time and self-similar collapse data from coarse-grained shells
// (spec spectral-shells.md §6 and §9(i) steps 6-7). Every estimator here is an [R] reconstruction:
// the paper's own definition of the frontier is not known (spec §11, item 1).
import { localExponents } from '../exponents.js';
import type { CoarseGrained } from './coarse-grain.js';

/** Frontier estimators, effective time and collapse data, one value per time unless stated. */
export interface Frontier {
  /** lambda*_1/2: eigenvalue where half of a shell's initial energy is left (lazy: ln2/(2t)). */
  halfDecay: Float64Array;
  /** lambda*_pk: peak of the dissipation per unit log-scale (lazy: (q+1)/(2t)). */
  peak: Float64Array;
  /** lambda*_D at shell level: exp(sum_s D_s ln lambda-bar_s / sum_s D_s) (lazy: e^psi(q+1)/(2t)). */
  dissipationMean: Float64Array;
  /** lambda*_D per mode: exp(sum_i d_i ln lambda_i / sum_i d_i), d_i = 2 lambda_i a_i^2; independent of the shells. */
  dissipationMeanModes: Float64Array;
  /** tau(t): median over resolved shells of -ln(E_s(t)/E_s(0)) / (2 lambda-bar_s(0)), elapsed since initial.time (lazy: t). */
  effectiveTime: Float64Array;
  /** -d ln L / d ln t (localExponents of src/exponents.ts; NaN where L or t is not positive). */
  lossExponent: Float64Array;
  /** d ln tau / d ln t (NaN where tau or t is not positive). */
  effectiveTimeExponent: Float64Array;
  /** Collapse check (§9(i) step 7): E_s(t)/E_s(0), times x shells (NaN for shells empty at the start). */
  energyRatio: Float64Array;
  /** lambda-bar_s(0) tau(t), times x shells; lazy dynamics collapse onto ratio = e^(-2x). */
  scaledTime: Float64Array;
}

/** Shells whose energy ratio lies in this range count as resolved for tau. */
const RESOLVED = [1e-3, 0.999] as const;

/**
 * The three frontier estimators of spec §6, tau(t) of §9(i) step 6, the local exponents of L and
 * tau, and the collapse data of §9(i) step 7. [R] Definitions (reconstructions, spec §6/§9(i)):
 *
 * - Half-decay lambda*_1/2(t): with r_s = E_s(t)/E_s(0) and x_s = ln lambda-bar_s(0) (the initial
 *   energy-weighted eigenvalue, i.e. initial-label units), take the first pair of consecutive
 *   non-empty shells, from the top, with r_s <= 1/2 < r_{s+1}, and interpolate x linearly in
 *   y = ln(-ln r) to y = ln ln 2. That is exact for one mode per shell in the lazy dynamics
 *   (-ln r = 2 lambda t); several modes per shell bias it by a fraction of the shell width.
 *   Falls back to linear interpolation in r when a ratio is 0 or >= 1; NaN when nothing brackets 1/2.
 * - Peak lambda*_pk(t): the shell s* maximising D_s (D_s / ln B is the dissipation per unit
 *   log-scale); a parabola through ln D at s* - 1, s*, s* + 1 against the shell index gives the
 *   vertex u*, and lambda*_pk = lambda_ref B^(-u* - 1/2) (shell centres are lambda_ref B^(-s-1/2)).
 *   Without both neighbours, the centre of s*.
 * - lambda*_D: as spec §6, shell level with lambda-bar_s(t), and per mode (from the kernel's
 *   G_s = 2 sum lambda_i a_i^2 ln lambda_i), which does not depend on B up to round-off.
 * - tau(t): spec §9(i) step 6 with lambda-bar_s = lambda-bar_s(0) and resolved shells those with
 *   1e-3 <= E_s(t)/E_s(0) <= 0.999 (NaN when none is).
 */
export function frontier(grained: CoarseGrained): Frontier {
  const { times, shellIndices, base, reference, energy, dissipation, meanEigenvalue, logMoment, initial, loss } = grained;
  const timeCount = times.length;
  const shellCount = shellIndices.length;
  const halfDecay = new Float64Array(timeCount);
  const peak = new Float64Array(timeCount);
  const dissipationMean = new Float64Array(timeCount);
  const dissipationMeanModes = new Float64Array(timeCount);
  const effectiveTime = new Float64Array(timeCount);
  const energyRatio = new Float64Array(timeCount * shellCount);
  const scaledTime = new Float64Array(timeCount * shellCount);
  const initialLog = initial.meanEigenvalue.map(Math.log);
  const logBase = Math.log(base);
  const decays: number[] = [];

  for (let j = 0; j < timeCount; j++) {
    const row = j * shellCount;
    for (let c = 0; c < shellCount; c++) {
      energyRatio[row + c] = initial.energy[c] > 0 ? energy[row + c] / initial.energy[c] : NaN;
    }

    // lambda*_D, shell level and per mode.
    let weight = 0, shellLog = 0, modeLog = 0;
    for (let c = 0; c < shellCount; c++) {
      const d = dissipation[row + c];
      if (!(d > 0)) continue;
      weight += d;
      shellLog += d * Math.log(meanEigenvalue[row + c]);
      modeLog += logMoment[row + c];
    }
    dissipationMean[j] = weight > 0 ? Math.exp(shellLog / weight) : NaN;
    dissipationMeanModes[j] = weight > 0 ? Math.exp(modeLog / weight) : NaN;

    // Peak of D_s with a log-parabola through the neighbours.
    let best = -1;
    for (let c = 0; c < shellCount; c++) if (dissipation[row + c] > 0 && (best < 0 || dissipation[row + c] > dissipation[row + best])) best = c;
    if (best < 0) peak[j] = NaN;
    else {
      let vertex = shellIndices[best];
      if (best > 0 && best < shellCount - 1 && dissipation[row + best - 1] > 0 && dissipation[row + best + 1] > 0) {
        const above = Math.log(dissipation[row + best - 1]);
        const centre = Math.log(dissipation[row + best]);
        const below = Math.log(dissipation[row + best + 1]);
        const curvature = above - 2 * centre + below;
        if (curvature < 0) vertex += (above - below) / (2 * curvature);
      }
      peak[j] = reference * Math.exp(-(vertex + 0.5) * logBase);
    }

    // Half-decay: first bracketing pair of non-empty shells from the top.
    halfDecay[j] = NaN;
    let previous = -1;
    for (let c = 0; c < shellCount; c++) {
      const ratio = energyRatio[row + c];
      if (!(ratio >= 0) || !Number.isFinite(initialLog[c])) continue;
      if (previous >= 0) {
        const upper = energyRatio[row + previous];
        if (upper <= 0.5 && ratio > 0.5) {
          const x0 = initialLog[previous];
          const x1 = initialLog[c];
          let fraction: number;
          if (upper > 0 && ratio < 1) {
            const y0 = Math.log(-Math.log(upper));
            const y1 = Math.log(-Math.log(ratio));
            fraction = (Math.log(Math.LN2) - y0) / (y1 - y0);
          } else fraction = (0.5 - upper) / (ratio - upper);
          halfDecay[j] = Math.exp(x0 + fraction * (x1 - x0));
          break;
        }
      }
      previous = c;
    }

    // tau: median over resolved shells.
    decays.length = 0;
    for (let c = 0; c < shellCount; c++) {
      const ratio = energyRatio[row + c];
      if (ratio >= RESOLVED[0] && ratio <= RESOLVED[1] && initial.meanEigenvalue[c] > 0) {
        decays.push(-Math.log(ratio) / (2 * initial.meanEigenvalue[c]));
      }
    }
    effectiveTime[j] = median(decays);
    for (let c = 0; c < shellCount; c++) scaledTime[row + c] = initial.meanEigenvalue[c] * effectiveTime[j];
  }

  const lossExponent = timeCount >= 2 && times[0] >= 0 ? localExponents(times, finiteOrZero(loss)) : new Float64Array(timeCount).fill(NaN);
  const effectiveTimeExponent = timeCount >= 2 && times[0] >= 0
    ? localExponents(times, finiteOrZero(effectiveTime)).map((value) => -value) : new Float64Array(timeCount).fill(NaN);
  return { halfDecay, peak, dissipationMean, dissipationMeanModes, effectiveTime, lossExponent, effectiveTimeExponent, energyRatio, scaledTime };
}

/** NaN and infinities become 0, which localExponents turns into NaN exponents instead of rejecting. */
function finiteOrZero(values: Float64Array): Float64Array {
  return values.map((value) => (Number.isFinite(value) ? value : 0));
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}
