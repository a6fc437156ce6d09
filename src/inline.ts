// Entry with both builds embedded as base64: for single-file pages, bundlers that do not copy
// assets, and Deno (no read permission needed). src/generated/wasm.ts is written by
// scripts/embed-wasm.mjs at build time.
import { initialize, normalizeSources, setSynchronousSources, type InitReport, type WasmSource, type WasmSources } from './engine/registry.js';
import { SCALAR_BASE64, SIMD_BASE64 } from './generated/wasm.js';

export * from './api.js';

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

setSynchronousSources(() => ({ simd: decode(SIMD_BASE64), scalar: decode(SCALAR_BASE64) }));

/**
 * Instantiates the embedded WebAssembly engines (idempotent and memoised; a failed init may be
 * retried). Where WebAssembly is blocked (a content-security policy without 'wasm-unsafe-eval'),
 * `auto` falls back to the plain TypeScript engine and the report says why.
 */
export function init(source?: WasmSource | WasmSources): Promise<InitReport> {
  return initialize(source ? normalizeSources(source) : { simd: () => decode(SIMD_BASE64), scalar: () => decode(SCALAR_BASE64) });
}
