// init(): memoised once a WebAssembly engine exists, retryable after a failure, with `auto`
// falling back to the plain TypeScript engine while WebAssembly is unavailable.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const simdBytes = readFileSync(new URL('../../build/solver.simd.wasm', import.meta.url));
const scalarBytes = readFileSync(new URL('../../build/solver.wasm', import.meta.url));

async function freshCore() {
  vi.resetModules(); // a new module instance: no engine initialised yet
  return import('../../src/core.js');
}

describe('init', () => {
  it('refuses WebAssembly engines before init, and js needs none', async () => {
    const core = await freshCore();
    expect(() => core.lazy({ alpha: 1.5, beta: 0.5, times: [1] })).toThrow(core.EngineError);
    expect(() => core.lazy({ alpha: 1.5, beta: 0.5, times: [1] })).toThrow(/await init\(\)/);
    expect(core.lazy({ alpha: 1.5, beta: 0.5, times: [1], engine: 'js' }).meta.engine).toBe('js');
  });

  it('falls back to js when the module does not compile, and can be retried', async () => {
    const core = await freshCore();
    const failed = await core.init(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]));
    expect(failed.engines).toEqual(['js']);
    expect(failed.auto).toBe('js');
    expect(failed.unavailable['wasm-simd']).toMatch(/CompileError/);
    expect(core.lazy({ alpha: 1.5, beta: 0.5, times: [1] }).meta.engine).toBe('js');
    expect(() => core.lazy({ alpha: 1.5, beta: 0.5, times: [1], engine: 'wasm-simd' })).toThrow(/unavailable/);
    const retried = await core.init({ simd: simdBytes, scalar: scalarBytes });
    expect(retried.engines).toEqual(['wasm-simd', 'wasm', 'js']);
    expect(core.lazy({ alpha: 1.5, beta: 0.5, times: [1] }).meta.engine).toBe('wasm-simd');
  });

  it('is idempotent and memoised, also under concurrent calls', async () => {
    const core = await freshCore();
    const [first, second] = await Promise.all([core.init({ simd: simdBytes, scalar: scalarBytes }), core.init({ simd: simdBytes })]);
    expect(second).toBe(first);
    expect(await core.init(new Uint8Array(4))).toBe(first);
  });

  it('accepts a compiled WebAssembly.Module of either build', async () => {
    const core = await freshCore();
    const report = await core.init(await WebAssembly.compile(scalarBytes));
    expect(report.engines).toEqual(['wasm', 'js']);
    expect(report.auto).toBe('wasm');
  });
});
