// The operator M(t) of evolvingOperator() (spec spectral-shells.md §9(ii), input "M(t) as a
// function, or as matrices on a time grid"): validation of what the user gives, and evaluation of
// M and its time derivative at any time. Grids are interpolated entrywise by C^1 cubic Hermite
// pieces (three-point slopes), whose exact derivative serves as Mdot.
import { ParameterError } from '../errors.js';
import { checkArray, checkOptions } from '../validate.js';

/** A callback giving a symmetric n x n matrix (row-major) at time t. */
export type MatrixFunction = (time: number) => ArrayLike<number>;

/** Matrices on a time grid, interpolated in time. */
export interface OperatorGrid {
  /** Strictly increasing grid times. */
  times: ArrayLike<number>;
  /** One symmetric n x n row-major matrix per grid time, or all of them in one flat array. */
  matrices: ArrayLike<ArrayLike<number>> | Float64Array;
}

/** Relative asymmetry max|M_ij - M_ji| / max|M| accepted before symmetrising. */
export const SYMMETRY_TOLERANCE = 1e-10;

/** M(t) and dM/dt(t) for a validated operator. */
export interface OperatorSource {
  /** Writes M(time), symmetrised, into `out` (n * n). */
  evaluate(time: number, out: Float64Array): void;
  /** Writes the exact dM/dt(time) into `out` when known (derivative callback or grid interpolant); else absent. */
  derivative?: (time: number, out: Float64Array) => void;
  /** 'analytic' (operatorDerivative), 'interpolant' (grid) or 'central-difference'. */
  derivativeKind: 'analytic' | 'interpolant' | 'central-difference';
  /** Time range where M may be evaluated. */
  first: number;
  last: number;
}

/** Copies a matrix returned for `parameter` into `out`, checking size, finiteness and symmetry. */
export function readSymmetric(parameter: string, value: unknown, n: number, out: Float64Array, where: string): void {
  const isArrayLike = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  const allowed = `a symmetric ${n} x ${n} matrix of finite numbers (row-major, length ${n * n})`;
  if (!isArrayLike || (value as ArrayLike<unknown>).length !== n * n) {
    throw new ParameterError(parameter, value, allowed, where);
  }
  const source = value as ArrayLike<number>;
  let largest = 0;
  for (let index = 0; index < n * n; index++) {
    const entry = source[index];
    if (typeof entry !== 'number' || !Number.isFinite(entry)) {
      throw new ParameterError(parameter, value, allowed, `${where}: entry ${index} is ${String(entry)}`);
    }
    largest = Math.max(largest, Math.abs(entry));
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const lower = source[i * n + j];
      const upper = source[j * n + i];
      if (Math.abs(lower - upper) > SYMMETRY_TOLERANCE * largest) {
        throw new ParameterError(parameter, value, allowed, `${where}: entries (${i}, ${j}) = ${lower} and (${j}, ${i}) = ${upper} differ`);
      }
      const mean = i === j ? lower : 0.5 * (lower + upper);
      out[i * n + j] = mean;
      out[j * n + i] = mean;
    }
  }
}

/** Validates `operator` (and `operatorDerivative`) for matrices of size n. */
export function operatorSource(operator: unknown, derivative: unknown, n: number): OperatorSource {
  if (derivative !== undefined && typeof derivative !== 'function') {
    throw new ParameterError('operatorDerivative', derivative, 'a function (time) => symmetric n x n matrix');
  }
  if (typeof operator === 'function') {
    const callback = operator as MatrixFunction;
    const evaluate = (time: number, out: Float64Array) => readSymmetric('operator', callback(time), n, out, `returned at t = ${time}`);
    const derivativeCallback = derivative as MatrixFunction | undefined;
    return {
      evaluate,
      derivative: derivativeCallback
        ? (time, out) => readSymmetric('operatorDerivative', derivativeCallback(time), n, out, `returned at t = ${time}`)
        : undefined,
      derivativeKind: derivativeCallback ? 'analytic' : 'central-difference',
      first: -Infinity,
      last: Infinity,
    };
  }
  if (operator === null || typeof operator !== 'object') {
    throw new ParameterError('operator', operator, 'a function (time) => symmetric n x n matrix, or { times, matrices }');
  }
  if (derivative !== undefined) {
    throw new ParameterError('operatorDerivative', derivative, 'absent when operator is a grid { times, matrices }', 'the derivative of the grid interpolant is used');
  }
  const grid = checkOptions('evolvingOperator operator', operator, ['times', 'matrices']) as Partial<OperatorGrid>;
  const times = checkArray('operator.times', grid.times, {}, { minimumLength: 2 });
  for (let index = 1; index < times.length; index++) {
    if (!(times[index] > times[index - 1])) {
      throw new ParameterError('operator.times', grid.times, 'strictly increasing times', `entry ${index} does not exceed entry ${index - 1}`);
    }
  }
  const count = times.length;
  const size = n * n;
  const values = new Float64Array(count * size);
  const given = grid.matrices;
  if (given instanceof Float64Array) {
    if (given.length !== count * size) {
      throw new ParameterError('operator.matrices', given, `${count} matrices of ${n} x ${n} (flat length ${count * size})`);
    }
    for (let g = 0; g < count; g++) readSymmetric('operator.matrices', given.subarray(g * size, (g + 1) * size), n, values.subarray(g * size, (g + 1) * size), `matrix ${g}`);
  } else {
    if (!Array.isArray(given) || given.length !== count) {
      throw new ParameterError('operator.matrices', given, `an array of ${count} matrices (one per operator.times entry), each ${n} x ${n}`);
    }
    for (let g = 0; g < count; g++) readSymmetric('operator.matrices', given[g], n, values.subarray(g * size, (g + 1) * size), `matrix ${g}`);
  }
  const slopes = hermiteSlopes(times, values, size);
  return {
    evaluate: (time, out) => interpolate(times, values, slopes, size, time, out, false),
    derivative: (time, out) => interpolate(times, values, slopes, size, time, out, true),
    derivativeKind: 'interpolant',
    first: times[0],
    last: times[count - 1],
  };
}

/** Three-point slopes of each entry (one-sided at the ends): a C^1 cubic Hermite interpolant. */
function hermiteSlopes(times: Float64Array, values: Float64Array, size: number): Float64Array {
  const count = times.length;
  const slopes = new Float64Array(count * size);
  for (let g = 0; g < count; g++) {
    const before = g > 0 ? times[g] - times[g - 1] : 0;
    const after = g < count - 1 ? times[g + 1] - times[g] : 0;
    for (let k = 0; k < size; k++) {
      const left = g > 0 ? (values[g * size + k] - values[(g - 1) * size + k]) / before : 0;
      const right = g < count - 1 ? (values[(g + 1) * size + k] - values[g * size + k]) / after : 0;
      slopes[g * size + k] = g === 0 ? right : g === count - 1 ? left : (after * left + before * right) / (before + after);
    }
  }
  return slopes;
}

function interpolate(
  times: Float64Array, values: Float64Array, slopes: Float64Array, size: number, time: number, out: Float64Array, derivative: boolean,
): void {
  let low = 0;
  let high = times.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (times[middle] <= time) low = middle;
    else high = middle;
  }
  const h = times[high] - times[low];
  const x = Math.min(1, Math.max(0, (time - times[low]) / h));
  const x2 = x * x;
  const x3 = x2 * x;
  // Hermite basis h00, h10, h01, h11 (or their derivatives in x, divided by h for d/dt).
  const [b00, b10, b01, b11] = derivative
    ? [(6 * x2 - 6 * x) / h, 3 * x2 - 4 * x + 1, (-6 * x2 + 6 * x) / h, 3 * x2 - 2 * x]
    : [2 * x3 - 3 * x2 + 1, (x3 - 2 * x2 + x) * h, -2 * x3 + 3 * x2, (x3 - x2) * h];
  const a = low * size;
  const b = high * size;
  for (let k = 0; k < size; k++) {
    out[k] = b00 * values[a + k] + b10 * slopes[a + k] + b01 * values[b + k] + b11 * slopes[b + k];
  }
}
