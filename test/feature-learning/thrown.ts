// Test helper of the feature-learning solver tests: the error a call throws (undefined if none).

/** Calls `solver(options)` and returns what it throws, or undefined when it returns. */
export function thrown<T>(solver: (options: T) => unknown, options: object): unknown {
  try {
    solver(options as T);
  } catch (caught) {
    return caught;
  }
  return undefined;
}
