// The built entry points (dist/, from npm run build): Node ESM and CommonJS load the sibling .wasm
// files (also synchronously on first use), the inline entry carries both builds embedded, and all
// give the numbers of the source tree.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** Imports a built entry, typed as its source (dist/ has one bundled declaration file). */
const built = <T>(path: string): Promise<T> => import(new URL(path, import.meta.url).href) as Promise<T>;
type NodeEntry = typeof import('../src/node.js');

const options = { alpha: 1.5, beta: 0.5, modes: Infinity, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 10, 100, 1000] } as const;

describe('built entries', () => {
  it('node ESM works without init() and with it', async () => {
    const entry = await built<NodeEntry>('../dist/node.js');
    const first = entry.lazy(options);
    expect(first.meta.engine).toBe('wasm-simd');
    const report = await entry.init();
    expect(report.engines).toEqual(['wasm-simd', 'wasm', 'js']);
    expect(Array.from(entry.lazy(options).loss)).toEqual(Array.from(first.loss));
  });

  it('node CommonJS gives the same numbers', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require('../dist/node.cjs');
    const esm = await built<NodeEntry>('../dist/node.js');
    await cjs.init();
    expect(Array.from(cjs.lazy(options).loss)).toEqual(Array.from(esm.lazy(options).loss));
    expect(cjs.ParameterError).toBeTypeOf('function');
  });

  it('inline entry instantiates the embedded modules', async () => {
    const inline = await built<typeof import('../src/inline.js')>('../dist/inline.js');
    const esm = await built<NodeEntry>('../dist/node.js');
    const report = await inline.init();
    expect(report.auto).toBe('wasm-simd');
    expect(Array.from(inline.lazy(options).loss)).toEqual(Array.from(esm.lazy(options).loss));
  });

  it('core entry takes bytes', async () => {
    const core = await built<typeof import('../src/core.js')>('../dist/core.js');
    const { readFileSync } = await import('node:fs');
    await core.init(readFileSync(new URL('../dist/solver.simd.wasm', import.meta.url)));
    expect(core.lazy({ alpha: 2, beta: 1, times: [1] }).meta.engine).toBe('wasm-simd');
  });
});
