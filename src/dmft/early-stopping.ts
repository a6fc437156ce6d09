// findEarlyStopping(): the optimal stopping time t* and loss L(t*) of any loss curve, by a coarse
// scan in log t that brackets the minimum followed by golden-section search on log t
// (spec dmft-random-features.md §10 step 6, §8 "Early stopping").
import { ParameterError } from '../errors.js';
import { checkNumber, checkOptions, optionalNumber } from '../validate.js';

/** Options of findEarlyStopping(). */
export interface EarlyStoppingSearchOptions {
  /** Points of the coarse geometric scan over [from, to] that brackets the minimum (integer >= 3, default 25). */
  scanPoints?: number;
  /**
   * Width of the final bracket in ln t (default 1e-5, i.e. t* to a relative 1e-5). A minimum of
   * relative curvature c is located only to about sqrt(2 epsilon / c) in ln t when the loss is
   * known to relative accuracy epsilon, so tighter values buy nothing for a flat minimum.
   */
  tolerance?: number;
  /**
   * Least relative depth of an interior minimum below both ends of the interval (default 1e-6).
   * A curve that decreases onto a plateau (the static value reached with weight decay, spec §7(b))
   * has round-off-sized wiggles there; those are not an optimal stopping time, so the answer is
   * `null` ("monotone") unless min L < (1 - minimumDepth) min(L(from), L(to)).
   */
  minimumDepth?: number;
}

/** An interior minimum of a loss curve. */
export interface EarlyStoppingPoint {
  /** Optimal stopping time t* (in the units of the times given to `loss`). */
  time: number;
  /** Loss at t*, the smallest value evaluated. */
  loss: number;
}

const KEYS = ['scanPoints', 'tolerance', 'minimumDepth'] as const;
/** 1/phi, the golden-section ratio. */
const INVERSE_GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Locates the minimum over t in [from, to] of a loss curve, or reports that there is none inside
 * the interval (spec §10 step 6: "golden-section search on log t ... report 'monotone' if the
 * minimum sits at the boundary").
 *
 * Method: evaluate the loss on `scanPoints` geometrically spaced times in one call; if the
 * smallest value is at `from` or `to`, or lies less than `minimumDepth` (relative) below both, the
 * curve has no interior minimum on this grid and the result is `null` ("monotone"). Otherwise the neighbours of the smallest scan point bracket the
 * minimum and golden-section search on u = ln t shrinks the bracket to `tolerance` (one loss
 * evaluation per step, each with a one-element array). The search assumes one minimum inside the
 * bracket; with several local minima the deepest on the scan grid is refined.
 *
 * @param loss evaluates the loss at an increasing array of times (any solver, e.g. a DMFT problem's
 *   evaluate); must return finite values, one per time.
 * @param from left end of the search interval (> 0).
 * @param to right end (> from).
 * @returns `{ time, loss }` at the minimum, or `null` when the minimum sits at the boundary.
 * @example
 * // L(t) = e^(-t) + 0.01 t has its minimum at t* = ln 100
 * findEarlyStopping((t) => t.map((x) => Math.exp(-x) + 0.01 * x), 0.1, 100) // { time: 4.6052, loss: 0.0560517 }
 */
export function findEarlyStopping(
  loss: (times: Float64Array) => Float64Array, from: number, to: number, options?: EarlyStoppingSearchOptions,
): EarlyStoppingPoint | null {
  if (typeof loss !== 'function') throw new ParameterError('loss', loss, 'a function from a Float64Array of times to a Float64Array of losses');
  checkNumber('from', from, { minimum: 0, exclusiveMinimum: true });
  checkNumber('to', to, { minimum: from, exclusiveMinimum: true });
  const given = checkOptions('findEarlyStopping', options, KEYS) as EarlyStoppingSearchOptions;
  const scanPoints = optionalNumber('scanPoints', given.scanPoints, 25, { minimum: 3, maximum: 1e5, integer: true });
  const tolerance = optionalNumber('tolerance', given.tolerance, 1e-5, { minimum: 1e-14, maximum: 1 });
  const minimumDepth = optionalNumber('minimumDepth', given.minimumDepth, 1e-6, { minimum: 0, maximum: 1, exclusiveMaximum: true });

  const evaluate = (times: Float64Array): Float64Array => {
    const values = loss(times);
    if (!(values instanceof Float64Array || Array.isArray(values)) || values.length !== times.length) {
      throw new ParameterError('loss', loss, `a function returning ${times.length} losses for ${times.length} times`);
    }
    for (let j = 0; j < times.length; j++) {
      if (!Number.isFinite(values[j])) {
        throw new ParameterError('loss', loss, 'a function returning finite losses', `it returned ${values[j]} at t = ${times[j]}`);
      }
    }
    return Float64Array.from(values);
  };

  const lower = Math.log(from);
  const step = (Math.log(to) - lower) / (scanPoints - 1);
  const scanTimes = new Float64Array(scanPoints);
  for (let j = 0; j < scanPoints; j++) scanTimes[j] = j === scanPoints - 1 ? to : Math.exp(lower + j * step);
  scanTimes[0] = from;
  const scan = evaluate(scanTimes);
  let best = 0;
  for (let j = 1; j < scanPoints; j++) if (scan[j] < scan[best]) best = j;
  if (best === 0 || best === scanPoints - 1) return null;
  if (!(scan[best] < (1 - minimumDepth) * Math.min(scan[0], scan[scanPoints - 1]))) return null;

  // golden section on u = ln t inside the bracket of the scan minimum's neighbours
  let a = Math.log(scanTimes[best - 1]);
  let b = Math.log(scanTimes[best + 1]);
  let bestTime = scanTimes[best];
  let bestLoss = scan[best];
  const at = (u: number): number => {
    const time = Math.exp(u);
    const value = evaluate(Float64Array.of(time))[0];
    if (value < bestLoss) {
      bestLoss = value;
      bestTime = time;
    }
    return value;
  };
  let c = b - INVERSE_GOLDEN * (b - a);
  let d = a + INVERSE_GOLDEN * (b - a);
  let fc = at(c);
  let fd = at(d);
  while (b - a > tolerance) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INVERSE_GOLDEN * (b - a);
      fc = at(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INVERSE_GOLDEN * (b - a);
      fd = at(d);
    }
  }
  return { time: bestTime, loss: bestLoss };
}
