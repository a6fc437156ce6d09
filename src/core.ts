// Entry for hosts nobody foresaw: init() takes the module itself (a WebAssembly.Module, bytes, a
// Response or a URL), or both builds as { simd, scalar }.
import { initialize, normalizeSources, type InitReport, type WasmSource, type WasmSources } from './engine/registry.js';

export * from './api.js';

/**
 * Instantiates the solver from `source` (idempotent; a failed init may be retried). A single
 * source may be either build; the engine name follows from the module (`meta.engine`).
 * @example await init(await WebAssembly.compileStreaming(fetch('/solver.simd.wasm')))
 */
export function init(source: WasmSource | WasmSources): Promise<InitReport> {
  return initialize(normalizeSources(source));
}
