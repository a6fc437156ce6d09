// The documented memory budget: a single call may hold at most MEMORY_BUDGET_BYTES of arrays
// (engine memory plus results). Larger requests are refused up front with a ParameterError that
// names the option to change, instead of a trap or an out-of-memory crash mid-way.
import { ParameterError } from './errors.js';

/** Bytes of arrays one call may hold: 1 GiB. */
export const MEMORY_BUDGET_BYTES = 2 ** 30;

/** Throws when `bytes` exceeds the budget, blaming `parameter`. */
export function checkBudget(parameter: string, value: unknown, bytes: number, what: string): void {
  if (bytes > MEMORY_BUDGET_BYTES) {
    throw new ParameterError(parameter, value, `a value keeping ${what} within the memory budget of ${MEMORY_BUDGET_BYTES / 2 ** 20} MiB`,
      `it would need ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  }
}
