// Memory is owned by the TypeScript arena: every block a call takes is freed before it returns,
// so the WebAssembly linear memory stops growing after the largest call.
import { beforeAll, describe, expect, it } from 'vitest';
import { engineMemory, getEngine, initEngines, lazy } from '../helpers.js';

beforeAll(initEngines);

describe('engine memory', () => {
  it('stays flat over 10,000 calls of each kind', () => {
    for (const engine of ['wasm-simd', 'wasm'] as const) {
      const calls = [
        () => lazy({ alpha: 1.5, beta: 0.5, modes: 300, times: [0, 1, 10], engine }),
        () => lazy({ alpha: 1.5, beta: 0.5, modes: 300, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 5], engine, recordModes: true }),
        () => getEngine(engine).pairSum(new Float64Array(100).fill(1)),
      ];
      for (const call of calls) call(); // warm up: the allocator reaches its working size
      const before = engineMemory()[engine];
      for (let i = 0; i < 10_000; i++) calls[i % calls.length]();
      expect(engineMemory()[engine]).toBe(before);
    }
  });

  it('reuses the memory of one large call for the next ones', () => {
    const engine = 'wasm-simd';
    lazy({ alpha: 1.5, beta: 0.5, modes: 2e5, headModes: 2e5, times: [1], engine });
    const after = engineMemory()[engine]!;
    for (let i = 0; i < 20; i++) lazy({ alpha: 1.5, beta: 0.5, modes: 2e5, headModes: 2e5, times: [1], engine });
    expect(engineMemory()[engine]).toBe(after);
  });

  it('frees the arena when a call is aborted mid-way', () => {
    const engine = 'wasm';
    const options = { alpha: 1.5, beta: 0.5, modes: 5000, headModes: 5000, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [1e5], engine } as const;
    for (let i = 0; i < 5; i++) expect(() => lazy({ ...options, timeLimit: 1 })).toThrow('timeLimit');
    const before = engineMemory()[engine];
    for (let i = 0; i < 200; i++) expect(() => lazy({ ...options, timeLimit: 1 })).toThrow('timeLimit');
    expect(engineMemory()[engine]).toBe(before);
  });
});
