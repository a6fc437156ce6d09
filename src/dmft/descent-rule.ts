// Inversion nodes of gradient descent in the DMFT (spec dmft-random-features.md §9, the z-transform
// route): the coefficient c_n of z^n of G(z) = F(s(z))/(eta z), s(z) = (1 - z)/(eta z), where F is a
// transform of the flow theory (A(s)/s^m, the two-resolvent equivalent, ...). With z = e^(-eta w),
//   c_n = (1/2 pi i) int_{c - i pi/eta}^{c + i pi/eta} F(s(w)) e^((n + 1) eta w) dw,  s(w) = (e^(eta w) - 1)/eta,
// a Bromwich integral over one period strip of w (the integrand has period 2 pi i / eta). The
// singularities of F (s = -h, h in the spectrum of H) sit at e^(eta w) = 1 - eta h:
//   - contracting modes (eta h < 1) on the real w axis, Re w <= 0;
//   - oscillating modes (1 < eta h < 2) on the lines Im eta w = +-pi, Re w < 0.
// Three rules (f = 2 Re sum_u W_u F(s_u) over upper-half nodes u):
//   - 'descent' (no oscillating modes): the Talbot contour in w at time eta (n + 1), which must stay in
//     the strip |Im eta w| < pi: n + 1 > 0.2645 (M_T - 1);
//   - 'split' (any stable learning rate, eta h_max < 2): the period is cut at Im eta w = +-pi/2 and each
//     half deformed to the left around its own singular line: a Talbot contour in w around the real
//     axis plus one in w' = w - i pi/eta around Im eta w = pi, where e^((n+1) eta w) = (-1)^(n+1) e^((n+1) eta w')
//     and s = -(1 + e^(eta w'))/eta. The pieces joining the two contours' ends (Re eta w = -1.61 M_T/(n+1),
//     between the singular lines) carry e^(-1.61 M_T) and cancel by periodicity outside; both contours must
//     stay in |Im eta w| < pi/2: n + 1 > 2 x 0.2645 (M_T - 1)
//     (prepareDmft() uses it while the oscillating part, <= (eta h_max - 1)^n, exceeds e^-45, then 'descent');
//   - 'circle' (few steps): the trapezoid rule on |z| = r < 1 (any stable learning rate: the poles
//     z = 1/(1 - eta h) lie outside the unit circle), W_u = z_u^(-n-1) / (points eta).
// [R] spec §9: the split contour is this package's construction; it is checked against exact
// finite-size gradient descent and against the other two rules where they apply (test/dmft/dmft-gd.test.ts).
import type { TalbotRule } from './talbot.js';

/** A stretch of nodes walked by continuation from a real point of the s axis. */
export interface DescentSegment {
  /** First node of the stretch (upper-half index). */
  start: number;
  /** Number of nodes. */
  count: number;
  /** Real s where the stretch meets the real axis (its start point for continuation). */
  crossing: number;
  /** true: the crossing lies left of the spectrum (s < -h_max), false: right of it (s > 0). */
  left: boolean;
}

/** Upper-half nodes of one step count. */
export interface DescentNodes {
  kind: 'descent' | 'split' | 'circle';
  /** Interleaved (re, im) of s at each node. */
  s: Float64Array;
  /** Interleaved (re, im) of W_u, f = 2 Re sum_u W_u F(s_u). */
  weight: Float64Array;
  segments: DescentSegment[];
}

/**
 * s on a Talbot contour in w at scaled abscissa (a, b) = eta w (right contour: s = (e^(a + ib) - 1)/eta)
 * or eta w' (left contour: s = -(1 + e^(a + ib))/eta); written to out[0], out[1]. Continuation between
 * step counts walks a node along (a, b) x factor.
 */
export function descentPoint(learningRate: number, a: number, b: number, left: boolean, out: Float64Array): void {
  if (left) {
    const magnitude = Math.exp(a);
    out[0] = -(1 + magnitude * Math.cos(b)) / learningRate;
    out[1] = -magnitude * Math.sin(b) / learningRate;
  } else {
    const half = Math.sin(b / 2);
    // e^(a+ib) - 1 = expm1(a) cos b - 2 sin^2(b/2) + i e^a sin b (no cancellation for small a, b)
    out[0] = (Math.expm1(a) * Math.cos(b) - 2 * half * half) / learningRate;
    out[1] = Math.exp(a) * Math.sin(b) / learningRate;
  }
}

/**
 * Talbot nodes in w for step count `steps` (time eta (steps + 1)): 'descent' (one contour) or, with
 * `split`, 'split' (the contour around the real axis, then the one around Im eta w = pi with the
 * weights multiplied by (-1)^(steps + 1)).
 */
export function descentTalbotNodes(rule: TalbotRule, learningRate: number, steps: number, split: boolean): DescentNodes {
  const pieces = split ? 2 : 1;
  const count = rule.count;
  const s = new Float64Array(2 * pieces * count);
  const weight = new Float64Array(2 * pieces * count);
  const time = learningRate * (steps + 1);
  const point = new Float64Array(2);
  const segments: DescentSegment[] = [];
  for (let piece = 0; piece < pieces; piece++) {
    const left = piece === 1;
    const sign = left && (steps + 1) % 2 === 1 ? -1 : 1;
    for (let j = 0; j < count; j++) {
      const u = piece * count + j;
      descentPoint(learningRate, learningRate * rule.nodeRe[j] / time, learningRate * rule.nodeIm[j] / time, left, point);
      s[2 * u] = point[0];
      s[2 * u + 1] = point[1];
      weight[2 * u] = sign * rule.coefficientRe[j] / time;
      weight[2 * u + 1] = sign * rule.coefficientIm[j] / time;
    }
    descentPoint(learningRate, learningRate * rule.crossing / time, 0, left, point);
    segments.push({ start: piece * count, count, crossing: point[0], left });
  }
  return { kind: split ? 'split' : 'descent', s, weight, segments };
}

/**
 * Trapezoid rule on |z| = radius with `points` points (points/2 upper-half nodes z = r e^(i theta),
 * theta = 2 pi (u + 1/2)/points): s = (1/z - 1)/eta, W = z^(-n-1) / (points eta). The result is
 * c_n + sum_k c_(n + k points) radius^(k points) (aliasing), with round-off amplified by radius^(-n).
 */
export function circleNodes(learningRate: number, steps: number, radius: number, points: number): DescentNodes {
  const count = points / 2;
  const s = new Float64Array(2 * count);
  const weight = new Float64Array(2 * count);
  const magnitude = radius ** -(steps + 1) / (points * learningRate);
  for (let j = 0; j < count; j++) {
    const theta = 2 * Math.PI * (j + 0.5) / points;
    // 1/z = e^(-i theta) / r
    s[2 * j] = (Math.cos(theta) / radius - 1) / learningRate;
    s[2 * j + 1] = -Math.sin(theta) / radius / learningRate;
    // z^(-n-1) = r^(-n-1) e^(-i (n+1) theta)
    weight[2 * j] = magnitude * Math.cos((steps + 1) * theta);
    weight[2 * j + 1] = -magnitude * Math.sin((steps + 1) * theta);
  }
  return { kind: 'circle', s, weight, segments: [{ start: 0, count, crossing: (1 / radius - 1) / learningRate, left: false }] };
}
