// Raw-pointer memory ABI: the TypeScript arena (src/engine/arena.ts) owns every block it asks
// for here and frees it when its call ends. Backed by AssemblyScript's TLSF heap (runtime
// "minimal"); no managed objects cross the boundary, so nothing is left for a collector.

/** Allocates `bytes` bytes (16-byte aligned) and returns the address. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Frees a block returned by `alloc`. */
export function free(pointer: usize): void {
  heap.free(pointer);
}
