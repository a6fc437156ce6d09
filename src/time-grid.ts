// Time grids (CONVENTIONS.md, "Time grids and outputs"): explicit increasing arrays, or
// { from, to, count, spacing: 'log' | 'linear' }, or the CLI's 'log:FROM:TO:COUNT' /
// 'linear:FROM:TO:COUNT' strings. For gradient descent and SGD times are step counts.
import { ParameterError } from './errors.js';
import { checkArray, checkChoice, checkNumber, checkOptions } from './validate.js';

/** A generated time grid. */
export interface TimeGridSpec {
  from: number;
  to: number;
  count: number;
  spacing?: 'log' | 'linear';
}

/** Any accepted form of a time grid. */
export type TimeGrid = ArrayLike<number> | TimeGridSpec | string;

/** Most points on one grid. */
export const MAX_TIMES = 2 ** 22;

/**
 * Builds an increasing grid. `log` spacing is geometric (from > 0 required); with `steps`, points
 * are rounded to integers and repeats dropped, so a log grid of step counts may have fewer than
 * `count` points.
 * @example timeGrid('log:1:1000:4') // Float64Array [1, 10, 100, 1000]
 */
export function timeGrid(grid: TimeGrid, options: { steps?: boolean; parameter?: string } = {}): Float64Array {
  const parameter = options.parameter ?? 'times';
  const steps = options.steps ?? false;
  const range = steps ? { minimum: 0, integer: true, maximum: 2 ** 31 - 2 } : { minimum: 0 };
  if (typeof grid === 'string') grid = parseGrid(parameter, grid);
  if (Array.isArray(grid) || ArrayBuffer.isView(grid)) {
    const times = checkArray(parameter, grid, range, { maximumLength: MAX_TIMES });
    for (let index = 1; index < times.length; index++) {
      if (!(times[index] > times[index - 1])) {
        throw new ParameterError(parameter, grid, 'strictly increasing times', `entry ${index} (${times[index]}) does not exceed entry ${index - 1} (${times[index - 1]})`);
      }
    }
    return times;
  }
  const spec = checkOptions('timeGrid', grid, ['from', 'to', 'count', 'spacing']) as Partial<TimeGridSpec>;
  const spacing = spec.spacing === undefined ? 'log' : checkChoice(`${parameter}.spacing`, spec.spacing, ['log', 'linear'] as const);
  const from = checkNumber(`${parameter}.from`, spec.from, spacing === 'log' ? { ...range, minimum: 0, exclusiveMinimum: true, integer: false } : { ...range, integer: false });
  const to = checkNumber(`${parameter}.to`, spec.to, { ...range, minimum: from, integer: false });
  const count = checkNumber(`${parameter}.count`, spec.count, { minimum: 1, maximum: MAX_TIMES, integer: true });
  if (count > 1 && to === from) throw new ParameterError(`${parameter}.to`, to, `a number > from (${from}) when count > 1`);
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    const fraction = count === 1 ? 0 : index / (count - 1);
    // log grids in log10 space (from * (to/from)^f overflows for to/from > 1.8e308), rounded to 15
    // significant digits so that decades come out exact ('log:1:1000:4' is [1, 10, 100, 1000]).
    let value = spacing === 'log'
      ? Number((10 ** (Math.log10(from) + (Math.log10(to) - Math.log10(from)) * index / Math.max(1, count - 1))).toPrecision(15))
      : from + (to - from) * fraction;
    if (index === 0) value = from;
    if (index === count - 1) value = to;
    if (steps) value = Math.round(value);
    if (values.length === 0 || value > values[values.length - 1]) values.push(value);
  }
  if (steps) checkNumber(`${parameter}.to`, values[values.length - 1], range);
  return Float64Array.from(values);
}

function parseGrid(parameter: string, text: string): TimeGridSpec | number[] {
  const parts = text.split(':');
  if (parts.length === 4 && (parts[0] === 'log' || parts[0] === 'linear')) {
    const [from, to, count] = parts.slice(1).map(Number);
    return { spacing: parts[0], from, to, count };
  }
  if (parts.length === 1) {
    const values = text.split(',').map((entry) => entry.trim());
    if (values.every((entry) => entry !== '' && !Number.isNaN(Number(entry)))) return values.map(Number);
  }
  throw new ParameterError(parameter, text, "a comma list '0,10,100' or 'log:FROM:TO:COUNT' or 'linear:FROM:TO:COUNT'");
}
