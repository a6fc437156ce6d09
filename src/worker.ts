// Cloudflare Workers / workerd entry: compiling WebAssembly from bytes is forbidden there, so the
// builds are imported as compiled WebAssembly.Module objects (wrangler and workerd both provide
// them for `.wasm` imports). Engines also instantiate synchronously on first use.
import { initialize, normalizeSources, setSynchronousSources, type InitReport, type WasmSource, type WasmSources } from './engine/registry.js';
import simdModule from './solver.simd.wasm';
import scalarModule from './solver.wasm';

export * from './api.js';

setSynchronousSources(() => ({ simd: simdModule, scalar: scalarModule }));

/** Instantiates the imported modules (idempotent and memoised). */
export function init(source?: WasmSource | WasmSources): Promise<InitReport> {
  return initialize(source ? normalizeSources(source) : { simd: simdModule, scalar: scalarModule });
}
