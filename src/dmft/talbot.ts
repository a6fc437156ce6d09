// The fixed Talbot contour for numerical Laplace inversion (spec dmft-random-features.md §10
// step 2): M_T nodes theta_l = -pi + (l + 1/2) 2 pi / M_T on
// s(theta) = (M_T / t)(-0.6122 + 0.5017 theta cot(0.6407 theta) + 0.2645 i theta), weights
// s'(theta) / (i M_T), and the 1-D and 2-D (product) trapezoid rules on it (§10 steps 3-4).
// Nodes come in complex-conjugate pairs, so only the upper half (theta > 0) is stored; every rule
// below sums the lower half as the conjugate (valid for transforms with F(conj s) = conj F(s)).

/** Upper-half Talbot nodes for unit time: s_l(t) = scale_l / t, and the rule's coefficients. */
export interface TalbotRule {
  /** M_T, the total number of nodes (even). */
  readonly nodes: number;
  /** M_T / 2 upper-half nodes, ordered by increasing theta (from the real-axis crossing outward). */
  readonly count: number;
  /** Re and Im of t * s_l (t-independent). */
  readonly nodeRe: Float64Array;
  readonly nodeIm: Float64Array;
  /**
   * Re and Im of c_l = e^(t s_l) s'(theta_l) t / (i M_T): with them
   * f(t) ~= (2/t) Re sum_l c_l F(s_l(t)) over the upper half (spec §10 step 3).
   */
  readonly coefficientRe: Float64Array;
  readonly coefficientIm: Float64Array;
  /** t * s at theta = 0: the contour crosses the real axis at s = crossing / t (about 0.17 M_T). */
  readonly crossing: number;
}

const A = -0.6122;
const B = 0.5017;
const C = 0.6407;
const D = 0.2645;

/** The Talbot rule with `nodes` points (even, >= 4). */
export function talbotRule(nodes: number): TalbotRule {
  if (!Number.isInteger(nodes) || nodes < 4 || nodes % 2 !== 0) throw new RangeError(`talbotRule: nodes must be an even integer >= 4, got ${nodes}`);
  const count = nodes / 2;
  const nodeRe = new Float64Array(count);
  const nodeIm = new Float64Array(count);
  const coefficientRe = new Float64Array(count);
  const coefficientIm = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const theta = (j + 0.5) * 2 * Math.PI / nodes; // theta_l for l = count + j (upper half, ascending)
    const cot = 1 / Math.tan(C * theta);
    const sine = Math.sin(C * theta);
    const re = nodes * (A + B * theta * cot);
    const im = nodes * D * theta;
    nodeRe[j] = re;
    nodeIm[j] = im;
    // t s'(theta) / (i M_T) = (B cot - B C theta / sin^2 + i D) / i = D - i (B cot - B C theta / sin^2)
    const derivativeRe = D;
    const derivativeIm = -(B * cot - B * C * theta / (sine * sine));
    const magnitude = Math.exp(re);
    const er = magnitude * Math.cos(im);
    const ei = magnitude * Math.sin(im);
    coefficientRe[j] = er * derivativeRe - ei * derivativeIm;
    coefficientIm[j] = er * derivativeIm + ei * derivativeRe;
  }
  return { nodes, count, nodeRe, nodeIm, coefficientRe, coefficientIm, crossing: nodes * (A + B / C) };
}

/**
 * 1-D inversion f(t) ~= (2/t) Re sum_l c_l F(s_l) from the values F(s_l(t)) at the upper-half
 * nodes (spec §10 step 3).
 */
export function invert(rule: TalbotRule, time: number, valueRe: ArrayLike<number>, valueIm: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < rule.count; j++) sum += rule.coefficientRe[j] * valueRe[j] - rule.coefficientIm[j] * valueIm[j];
  return 2 * sum / time;
}

/**
 * 2-D product rule on the diagonal t1 = t2 = t (spec §10 step 4), for `outputs` transforms at once:
 * C(t, t) ~= Re sum_{l,m} w_l w_m e^((s_l + s_m) t) C^(s_l, s_m) over all M_T^2 node pairs.
 * `value(j, k, conjugate, out)` writes Re and Im of C^_r(s_j, s_k) to out[2r], out[2r + 1]
 * (conjugate: s_k replaced by its conjugate, a lower-half node). With
 * C^(conj a, conj b) = conj C^(a, b) the full sum is
 * 2 Re [sum_{j,k} c_j c_k C^(s_j, s_k) + c_j conj(c_k) C^(s_j, conj s_k)] / t^2.
 */
export function invert2d(rule: TalbotRule, time: number, outputs: number,
  value: (j: number, k: number, conjugate: boolean, out: Float64Array) => void): Float64Array {
  const out = new Float64Array(2 * outputs);
  const sums = new Float64Array(outputs);
  for (let j = 0; j < rule.count; j++) {
    const cjr = rule.coefficientRe[j];
    const cji = rule.coefficientIm[j];
    for (let k = 0; k < rule.count; k++) {
      const ckr = rule.coefficientRe[k];
      const cki = rule.coefficientIm[k];
      const pr = cjr * ckr - cji * cki; // c_j c_k
      const pi = cjr * cki + cji * ckr;
      value(j, k, false, out);
      for (let r = 0; r < outputs; r++) sums[r] += pr * out[2 * r] - pi * out[2 * r + 1];
      const qr = cjr * ckr + cji * cki; // c_j conj(c_k)
      const qi = cji * ckr - cjr * cki;
      value(j, k, true, out);
      for (let r = 0; r < outputs; r++) sums[r] += qr * out[2 * r] - qi * out[2 * r + 1];
    }
  }
  const scale = 2 / (time * time);
  for (let r = 0; r < outputs; r++) sums[r] *= scale;
  return sums;
}

/**
 * The product rule with general upper-half weights W (f = 2 Re sum W F for one variable): the
 * diagonal of a 2-D inverse transform, 2 Re sum_{j,k} [W_j W_k C^(s_j, s_k) + W_j conj(W_k) C^(s_j, conj s_k)],
 * for `outputs` transforms at once (as invert2d, whose weights are c / t).
 */
export function productRule(count: number, weight: Float64Array, outputs: number,
  value: (j: number, k: number, conjugate: boolean, out: Float64Array) => void): Float64Array {
  const out = new Float64Array(2 * outputs);
  const sums = new Float64Array(outputs);
  for (let j = 0; j < count; j++) {
    const ajr = weight[2 * j];
    const aji = weight[2 * j + 1];
    for (let k = 0; k < count; k++) {
      const akr = weight[2 * k];
      const aki = weight[2 * k + 1];
      const pr = ajr * akr - aji * aki;
      const pi = ajr * aki + aji * akr;
      value(j, k, false, out);
      for (let r = 0; r < outputs; r++) sums[r] += pr * out[2 * r] - pi * out[2 * r + 1];
      const qr = ajr * akr + aji * aki;
      const qi = aji * akr - ajr * aki;
      value(j, k, true, out);
      for (let r = 0; r < outputs; r++) sums[r] += qr * out[2 * r] - qi * out[2 * r + 1];
    }
  }
  for (let r = 0; r < outputs; r++) sums[r] *= 2;
  return sums;
}
