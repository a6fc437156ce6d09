// Cancellation, time budget and progress for long computations. Solvers work in chunks of a few
// milliseconds and call Monitor.step between them.
import { AbortError, ParameterError } from './errors.js';
import { checkNumber } from './validate.js';

/** Progress of a running computation. */
export interface Progress {
  /** Units of work done (steps, or mode-time terms). */
  readonly done: number;
  readonly total: number;
  /** done / total, in [0, 1]. */
  readonly fraction: number;
  readonly elapsedMs: number;
}

/** Options every long computation accepts. */
export interface RunControl {
  /** Stops the computation with an AbortError at the next chunk boundary once aborted. */
  signal?: AbortSignal;
  /** Called between chunks (at most every 100 ms, and once at the end). Throwing aborts. */
  onProgress?: (progress: Progress) => void;
  /** Wall-clock budget in milliseconds; exceeding it raises an AbortError. */
  timeLimit?: number;
}

/** Option names of RunControl. */
export const CONTROL_KEYS = ['signal', 'onProgress', 'timeLimit'] as const;

/** Milliseconds from a monotonic clock where the host has one. */
export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Tracks one computation against its RunControl. */
export class Monitor {
  readonly started = now();
  private lastReport = -Infinity;
  private readonly signal?: AbortSignal;
  private readonly onProgress?: (progress: Progress) => void;
  private readonly timeLimit: number;

  constructor(control: RunControl, private readonly total: number) {
    if (control.signal !== undefined && (typeof control.signal !== 'object' || control.signal === null || typeof control.signal.aborted !== 'boolean')) {
      throw new ParameterError('signal', control.signal, 'an AbortSignal');
    }
    if (control.onProgress !== undefined && typeof control.onProgress !== 'function') {
      throw new ParameterError('onProgress', control.onProgress, 'a function');
    }
    this.signal = control.signal;
    this.onProgress = control.onProgress;
    this.timeLimit = control.timeLimit === undefined ? Infinity
      : checkNumber('timeLimit', control.timeLimit, { minimum: 0, exclusiveMinimum: true, allowInfinity: true });
    this.step(0);
  }

  /** Milliseconds since the computation started. */
  elapsed(): number {
    return now() - this.started;
  }

  /** Checks the signal and the budget, and reports progress; throws AbortError to stop. */
  step(done: number): void {
    if (this.signal?.aborted) {
      throw new AbortError('computation aborted by its signal', 'signal', { cause: this.signal.reason });
    }
    const elapsedMs = this.elapsed();
    if (elapsedMs > this.timeLimit) {
      throw new AbortError(`computation exceeded its timeLimit of ${this.timeLimit} ms (${(100 * done / this.total).toFixed(1)}% done)`, 'timeLimit');
    }
    if (this.onProgress && (elapsedMs - this.lastReport >= 100 || done >= this.total)) {
      this.lastReport = elapsedMs;
      this.onProgress({ done, total: this.total, fraction: this.total > 0 ? Math.min(1, done / this.total) : 1, elapsedMs });
    }
  }
}
