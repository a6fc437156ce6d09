// Node entry: the two builds are read from the .wasm files beside this file. The engines also
// instantiate synchronously on first use, so init() is optional in Node.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { initialize, normalizeSources, setSynchronousSources, type InitReport, type WasmSource, type WasmSources } from './engine/registry.js';

export * from './api.js';

const simdUrl = new URL('./solver.simd.wasm', import.meta.url);
const scalarUrl = new URL('./solver.wasm', import.meta.url);

setSynchronousSources(() => ({ simd: readFileSync(simdUrl), scalar: readFileSync(scalarUrl) }));

/**
 * Loads and instantiates the WebAssembly engines (idempotent and memoised; a failed init may be
 * retried). Resolves to which engines are usable and which one `engine: 'auto'` picks. `source`
 * overrides where the modules come from (as in the core entry).
 * @example const report = await init(); report.auto // 'wasm-simd'
 */
export function init(source?: WasmSource | WasmSources): Promise<InitReport> {
  return initialize(source ? normalizeSources(source) : { simd: () => readFile(simdUrl), scalar: () => readFile(scalarUrl) });
}
