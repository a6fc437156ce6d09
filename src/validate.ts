// Option checking shared by every public function: each check names the parameter, the value
// and the allowed range (ParameterError), so nothing invalid ever reaches an engine.
import { ParameterError } from './errors.js';

/** Range constraints for a real number. */
export interface NumberRange {
  /** Smallest allowed value (inclusive unless `exclusiveMinimum`). */
  minimum?: number;
  /** Largest allowed value (inclusive unless `exclusiveMaximum`). */
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  /** Accept +Infinity (documented per option). */
  allowInfinity?: boolean;
  /** Require an integer (Infinity still allowed when `allowInfinity`). */
  integer?: boolean;
}

/** Describes a range as text, e.g. "a finite number > 0". */
export function describeRange(range: NumberRange): string {
  const parts: string[] = [];
  const kind = range.integer ? 'an integer' : 'a finite number';
  if (range.minimum !== undefined) parts.push(`${range.exclusiveMinimum ? '>' : '>='} ${range.minimum}`);
  if (range.maximum !== undefined) parts.push(`${range.exclusiveMaximum ? '<' : '<='} ${range.maximum}`);
  const text = parts.length ? `${kind} ${parts.join(' and ')}` : kind;
  return range.allowInfinity ? `${text}, or Infinity` : text;
}

/** Checks one number against `range`; returns it. */
export function checkNumber(parameter: string, value: unknown, range: NumberRange = {}): number {
  if (!inRange(value, range)) throw new ParameterError(parameter, value, describeRange(range));
  return value as number;
}

/** Whether `value` satisfies `range` (the test of checkNumber, without building any message). */
function inRange(value: unknown, range: NumberRange): boolean {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (value === Infinity && range.allowInfinity) return true;
  if (!Number.isFinite(value)) return false;
  if (range.integer && !Number.isInteger(value)) return false;
  if (range.minimum !== undefined && (range.exclusiveMinimum ? value <= range.minimum : value < range.minimum)) return false;
  if (range.maximum !== undefined && (range.exclusiveMaximum ? value >= range.maximum : value > range.maximum)) return false;
  return true;
}

/** Like `checkNumber` for an option that must be given: absent, the error says "(required)". */
export function requiredNumber(parameter: string, value: unknown, range: NumberRange = {}): number {
  if (value === undefined) throw new ParameterError(parameter, undefined, `${describeRange(range)} (required)`);
  return checkNumber(parameter, value, range);
}

/** Like `checkNumber`, returning `fallback` when the option is absent. */
export function optionalNumber(parameter: string, value: unknown, fallback: number, range: NumberRange = {}): number {
  return value === undefined ? fallback : checkNumber(parameter, value, range);
}

/** Checks that `value` is one of `choices`. */
export function checkChoice<T extends string>(parameter: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ParameterError(parameter, value, `one of ${choices.map((choice) => `'${choice}'`).join(', ')}`);
  }
  return value as T;
}

/** Checks an optional boolean flag. */
export function optionalBoolean(parameter: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ParameterError(parameter, value, 'true or false');
  return value;
}

/** Rejects anything but a plain options object, and any key not in `known` (typos must not pass). */
export function checkOptions(functionName: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ParameterError('options', options, `an options object for ${functionName}()`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const suggestion = closest(key, known);
      throw new ParameterError(
        key,
        (options as Record<string, unknown>)[key],
        `a known option of ${functionName}()`,
        `unknown option${suggestion ? `; did you mean '${suggestion}'?` : ''} Known: ${known.join(', ')}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/**
 * Copies a numeric array-like into a Float64Array after checking every entry is finite and in
 * range; the first offending index is named in the error.
 */
export function checkArray(
  parameter: string, value: unknown, range: NumberRange = {}, options: { minimumLength?: number; maximumLength?: number } = {},
): Float64Array {
  const isArrayLike = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  const minimumLength = options.minimumLength ?? 1;
  const maximumLength = options.maximumLength ?? 2 ** 27;
  const allowed = `an array of ${minimumLength}..${maximumLength} numbers, each ${describeRange(range)}`;
  if (!isArrayLike) throw new ParameterError(parameter, value, allowed);
  const source = value as ArrayLike<unknown>;
  if (source.length < minimumLength || source.length > maximumLength) throw new ParameterError(parameter, value, allowed);
  const result = new Float64Array(source.length);
  for (let index = 0; index < source.length; index++) {
    const entry = source[index];
    const number = typeof entry === 'bigint' ? Number(entry) : entry;
    if (!inRange(number, range)) {
      const detail = new ParameterError(`${parameter}[${index}]`, number, describeRange(range)).message;
      throw new ParameterError(parameter, value, allowed, detail);
    }
    result[index] = number as number;
  }
  return result;
}

/** Nearest known name by edit distance (for "did you mean"), or undefined when none is close. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
