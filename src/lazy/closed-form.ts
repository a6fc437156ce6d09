// Closed forms of the lazy, infinite-width, infinite-data dynamics (CONVENTIONS.md, "Loss, time
// and optimisers") as exponential sums. With c = lambda + weightDecay and r_inf = weightDecay/c,
// the error ratio of a mode is r(t) = r_inf + (1 - r_inf) D(t), D = exp(-c t) for gradient flow
// and D = q^n, q = 1 - eta c, for gradient descent; its energy is p r^2 =
// p r_inf^2 + 2 p r_inf (1 - r_inf) D + p (1 - r_inf)^2 D^2. Each D or D^2 is exp(-rate * time),
// so the loss and its time derivative are sums for the expSums kernel. Modes with q < 0
// alternate in sign: their linear term goes to a separate sum multiplied by (-1)^n.
import type { ModeSet } from '../spectrum/modes.js';

/** One exponential sum: weights0 for the loss, weights1 = rate * weights0 for -dL/dt. */
export interface ExpTerms {
  readonly rates: Float64Array;
  readonly weights0: Float64Array;
  readonly weights1: Float64Array;
}

/** The loss as constant + S(t) + (-1)^t A(t). */
export interface ClosedForm {
  readonly constant: number;
  readonly positive: ExpTerms;
  /** Sum whose sign alternates with the step (gradient descent with eta c > 1); null if empty. */
  readonly alternating: ExpTerms | null;
}

/** Rate standing for q = 0 (eta c = 1): exp(-1000 n) is exactly 0 for every step n >= 1. */
const ANNIHILATED = 1000;

/**
 * Terms of the loss for gradient flow (`learningRate` undefined; time in units of 1/eigenvalue) or
 * gradient descent (time in steps). The caller has checked eta (lambda_max + weightDecay) < 2.
 */
export function closedForm(modes: ModeSet, weightDecay: number, learningRate?: number): ClosedForm {
  const count = modes.eigenvalues.length;
  let constant = 0;
  const positive = new TermList(2 * count);
  const alternating = new TermList(count);
  for (let i = 0; i < count; i++) {
    const power = modes.targetPower[i];
    if (power === 0) continue;
    const contraction = modes.eigenvalues[i] + weightDecay;
    const equilibrium = weightDecay === 0 ? 0 : weightDecay / contraction;
    let rate: number;
    let sign = 1;
    if (learningRate === undefined) {
      rate = contraction;
    } else {
      const step = learningRate * contraction;
      if (step < 1) rate = -Math.log1p(-step);
      else if (step > 1) { rate = -Math.log(step - 1); sign = -1; }
      else rate = ANNIHILATED;
      rate = Math.min(rate, ANNIHILATED);
    }
    constant += power * equilibrium * equilibrium;
    const linear = 2 * power * equilibrium * (1 - equilibrium);
    if (linear > 0) (sign > 0 ? positive : alternating).push(rate, linear);
    positive.push(2 * rate, power * (1 - equilibrium) ** 2);
  }
  return { constant, positive: positive.sorted(), alternating: alternating.length ? alternating.sorted() : null };
}

/** (rate, weight) pairs, sorted by rate on output; already monotone lists (power laws) skip the sort. */
class TermList {
  private readonly rates: Float64Array;
  private readonly weights: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.rates = new Float64Array(capacity);
    this.weights = new Float64Array(capacity);
  }

  push(rate: number, weight: number): void {
    this.rates[this.length] = rate;
    this.weights[this.length++] = weight;
  }

  sorted(): ExpTerms {
    const n = this.length;
    const order = new Uint32Array(n);
    let ascending = true;
    let descending = true;
    for (let i = 1; i < n; i++) {
      if (this.rates[i] < this.rates[i - 1]) ascending = false;
      if (this.rates[i] > this.rates[i - 1]) descending = false;
    }
    for (let i = 0; i < n; i++) order[i] = descending && !ascending ? n - 1 - i : i;
    if (!ascending && !descending) order.sort((a, b) => this.rates[a] - this.rates[b]);
    const rates = new Float64Array(n);
    const weights0 = new Float64Array(n);
    const weights1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      rates[i] = this.rates[order[i]];
      weights0[i] = this.weights[order[i]];
      weights1[i] = rates[i] * weights0[i];
    }
    return { rates, weights0, weights1 };
  }
}

/** Per-node error energies p r(t)^2 at one time (for recordModes). */
export function modalEnergies(modes: ModeSet, weightDecay: number, learningRate: number | undefined, time: number, out: Float64Array): void {
  for (let i = 0; i < modes.eigenvalues.length; i++) {
    const contraction = modes.eigenvalues[i] + weightDecay;
    const equilibrium = weightDecay === 0 ? 0 : weightDecay / contraction;
    const decay = learningRate === undefined ? Math.exp(-contraction * time) : (1 - learningRate * contraction) ** time;
    const ratio = equilibrium + (1 - equilibrium) * decay;
    out[i] = modes.targetPower[i] * ratio * ratio;
  }
}
