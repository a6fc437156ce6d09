// Error classes of the public API. Every invalid option raises a ParameterError that names the
// parameter, the value given and the allowed range, before any work reaches an engine.

/** Formats a value for an error message (arrays and typed arrays are summarised). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const length = (value as ArrayLike<unknown>).length;
    return `${Array.isArray(value) ? 'array' : value.constructor.name} of length ${length}`;
  }
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/**
 * A public option is missing, of the wrong type, outside its allowed range, or unknown.
 * `parameter` is the option's name as the API spells it (the CLI prints its kebab-case form).
 */
export class ParameterError extends RangeError {
  /** The option that was rejected, e.g. `"batchSize"`. */
  readonly parameter: string;
  /** The rejected value (as given). */
  readonly value: unknown;
  /** Human-readable description of what is allowed, e.g. `"an integer >= 1"`. */
  readonly allowed: string;

  constructor(parameter: string, value: unknown, allowed: string, detail?: string) {
    super(`${parameter} = ${describeValue(value)} is invalid: expected ${allowed}${detail ? ` (${detail})` : ''}`);
    this.name = 'ParameterError';
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
  }
}

/** A WebAssembly engine was requested but is not initialised or could not be instantiated. */
export class EngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** A computation stopped because its `signal` was aborted or its `timeLimit` ran out. */
export class AbortError extends Error {
  /** What stopped it: the signal, or the time limit. */
  readonly reason: 'signal' | 'timeLimit';
  constructor(message: string, reason: 'signal' | 'timeLimit', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
    this.reason = reason;
  }
}
