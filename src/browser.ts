// Browser entry: the .wasm files beside this module, fetched with streaming compilation. The
// literal `new URL('./solver.simd.wasm', import.meta.url)` is what bundlers such as Vite and
// Rollup recognise to copy the asset. Nothing runs at import time: call `await init()` first.
import { initialize, normalizeSources, type InitReport, type WasmSource, type WasmSources } from './engine/registry.js';

export * from './api.js';

/**
 * Fetches and instantiates the WebAssembly engines (idempotent and memoised; a failed init may be
 * retried). Under a content-security policy without 'wasm-unsafe-eval', `auto` falls back to the
 * plain TypeScript engine and the report says why.
 */
export function init(source?: WasmSource | WasmSources): Promise<InitReport> {
  return initialize(source ? normalizeSources(source) : {
    simd: () => new URL('./solver.simd.wasm', import.meta.url),
    scalar: () => new URL('./solver.wasm', import.meta.url),
  });
}
