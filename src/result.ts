// Results are plain objects of Float64Arrays plus `meta` (CONVENTIONS.md, "Time grids and
// outputs"). These helpers turn them into JSON-ready values and CSV text; every result also
// gets a non-enumerable toJSON, so JSON.stringify(result) gives arrays, not index maps.

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** A JSON-ready copy of `value`: typed arrays become arrays, non-finite numbers become strings. */
export function toPlain(value: unknown): Plain {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (entry) => toPlain(entry));
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== undefined) {
    const out: { [key: string]: Plain } = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined && typeof entry !== 'function') out[key] = toPlain(entry);
    }
    return out;
  }
  return null;
}

/**
 * CSV of a result's per-time columns: every top-level typed array as long as `times`, one
 * column each, in property order. Nested arrays (per-mode errors) are left out.
 */
export function toCSV(result: { readonly times: Float64Array }): string {
  const columns = Object.entries(result).filter(
    ([, value]) => value instanceof Float64Array && value.length === result.times.length) as [string, Float64Array][];
  const lines = [columns.map(([name]) => name).join(',')];
  for (let row = 0; row < result.times.length; row++) {
    lines.push(columns.map(([, values]) => String(values[row])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Adds a non-enumerable toJSON to a result object. */
export function attachSerialisers<T extends object>(result: T): T {
  Object.defineProperty(result, 'toJSON', { value: () => toPlain(result), enumerable: false });
  return result;
}
