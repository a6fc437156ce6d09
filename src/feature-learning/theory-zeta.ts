// The Riemann zeta function for real s > 1, needed by the bottleneck asymptotes of
// feature-learning.md §3.5 (kappa ||y||_H^2 = kappa zeta(alpha(beta - 1) + 1)) and §3.6.
// Method: Euler–Maclaurin summation after n = 16 terms with 8 Bernoulli corrections; the
// remainder is below 1e-15 relative for every s > 1 (it is bounded by the next correction,
// ~ s^(17) 16^(-s-17) B_18/18!).

/** B_2j/(2j)! for j = 1..8. */
const BERNOULLI_OVER_FACTORIAL = [
  1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000, 1 / 74724249600, -3617 / 10670622842880000,
];
const HEAD = 16;

/**
 * zeta(s) = sum_k k^-s for real s > 1 (Infinity at s = 1, NaN below).
 * @example riemannZeta(2) // 1.6449340668482264 (= pi^2/6)
 */
export function riemannZeta(s: number): number {
  if (!(s >= 1)) return NaN;
  if (s === 1) return Infinity;
  if (s > 60) return 1 + 2 ** -s + 3 ** -s;
  let sum = 0;
  for (let k = HEAD - 1; k >= 1; k--) sum += k ** -s;
  const n = HEAD;
  sum += n ** (1 - s) / (s - 1) + 0.5 * n ** -s;
  // Term j: B_2j/(2j)! * s (s+1) ... (s+2j-2) * n^(-s-2j+1).
  let rising = s;
  let power = n ** (-s - 1);
  for (let j = 0; j < BERNOULLI_OVER_FACTORIAL.length; j++) {
    sum += BERNOULLI_OVER_FACTORIAL[j] * rising * power;
    rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
    power /= n * n;
  }
  return sum;
}
