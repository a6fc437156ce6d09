// Shared helpers of the kernel specs: f64/i32 buffers on the heap (as the package's arena gets
// them, assembly/memory.ts) and a deterministic uniform generator.

/** A heap block of `count` f64 values (at least one, so that count 0 has a valid address). */
export function allocF64(count: i32): usize {
  return heap.alloc(<usize>max(count, 1) << 3);
}

/** A heap block of `count` i32 values (at least one). */
export function allocI32(count: i32): usize {
  return heap.alloc(<usize>max(count, 1) << 2);
}

export function at(buffer: usize, index: i32): f64 {
  return load<f64>(buffer + (<usize>index << 3));
}

export function put(buffer: usize, index: i32, value: f64): void {
  store<f64>(buffer + (<usize>index << 3), value);
}

export function putI32(buffer: usize, index: i32, value: i32): void {
  store<i32>(buffer + (<usize>index << 2), value);
}

export function copyF64(from: usize, to: usize, count: i32): void {
  memory.copy(to, from, <usize>count << 3);
}

/** |got - expected| / |expected| (0 when equal). */
export function relativeError(got: f64, expected: f64): f64 {
  if (got == expected) return 0;
  return Math.abs(got - expected) / Math.abs(expected);
}

/** Deterministic uniform numbers in [0, 1) (64-bit LCG, top 53 bits). */
export class Uniform {
  state: u64;
  constructor(seed: u64) {
    this.state = seed;
  }
  next(): f64 {
    this.state = this.state * 6364136223846793005 + 1442695040888963407;
    return <f64>(this.state >> 11) * 1.1102230246251565e-16; // 2^-53
  }
}
