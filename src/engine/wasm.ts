// The WebAssembly engines (SIMD and scalar builds of assembly/index.ts) behind the raw-pointer
// ABI. Memory is owned here: each call takes blocks from an Arena and frees them before it
// returns, so the module's linear memory stops growing after the largest call
// (test/engine/memory.test.ts checks 10,000 calls). No @assemblyscript/loader: its managed arrays
// leak with the minimal runtimes and it is deprecated upstream (README, design notes).
import { EngineError } from '../errors.js';
import type { Engine, EngineName, ExpSumPlan, SgdRun } from './types.js';

/** The exports of build/solver(.simd).wasm. */
export interface SolverExports {
  // Structural types, not WebAssembly.Memory/Global: the published declarations must type-check
  // where no library declares the WebAssembly namespace (Node with lib ES2022, no DOM).
  readonly memory: { readonly buffer: ArrayBuffer };
  readonly simd: { readonly value: unknown };
  alloc(bytes: number): number;
  free(pointer: number): void;
  pairSum(values: number, count: number): number;
  expSums(rates: number, weights0: number, weights1: number, modeCount: number,
    times: number, timeCount: number, out0: number, out1: number): void;
  sgdSteps(decay: number, injection: number, energy: number, modeCount: number,
    steps: number, noise: number, loss: number): number;
}

/** A block of f64 values in linear memory. */
interface Block {
  readonly pointer: number;
  readonly count: number;
}

/**
 * Blocks taken for one call. Views over memory.buffer are made on demand, never kept across an
 * allocation: `alloc` may grow the memory, which detaches the old buffer.
 */
export class Arena {
  private readonly blocks: number[] = [];
  constructor(private readonly exports: SolverExports) {}

  /** Allocates `count` f64 values; throws EngineError when linear memory is exhausted. */
  allocate(count: number): Block {
    let pointer: number;
    try {
      pointer = this.exports.alloc(Math.max(8, count * 8)) >>> 0;
    } catch (cause) {
      this.release();
      throw new EngineError(`WebAssembly memory exhausted allocating ${count * 8} bytes`, { cause });
    }
    this.blocks.push(pointer);
    return { pointer, count };
  }

  /** A fresh Float64Array view of `block`. */
  view(block: Block): Float64Array {
    return new Float64Array(this.exports.memory.buffer, block.pointer, block.count);
  }

  /** Frees every block of this arena. */
  release(): void {
    for (const pointer of this.blocks) this.exports.free(pointer);
    this.blocks.length = 0;
  }
}

/** Wraps an instantiated solver module as an Engine. */
export function wasmEngine(instance: WebAssembly.Instance): Engine {
  const exports = instance.exports as unknown as SolverExports;
  const name: EngineName = exports.simd.value ? 'wasm-simd' : 'wasm';

  return {
    name,
    prepareExpSums(rates, weights0, weights1): ExpSumPlan {
      const modes = new Arena(exports);
      const count = rates.length;
      const ratesBlock = modes.allocate(count);
      const weights0Block = modes.allocate(count);
      const weights1Block = modes.allocate(count);
      modes.view(ratesBlock).set(rates);
      modes.view(weights0Block).set(weights0);
      modes.view(weights1Block).set(weights1);
      let disposed = false;
      return {
        evaluate(times, out0, out1) {
          if (disposed) throw new EngineError('ExpSumPlan used after dispose()');
          const call = new Arena(exports);
          try {
            const timesBlock = call.allocate(times.length);
            const out0Block = call.allocate(times.length);
            const out1Block = call.allocate(times.length);
            call.view(timesBlock).set(times);
            exports.expSums(ratesBlock.pointer, weights0Block.pointer, weights1Block.pointer, count,
              timesBlock.pointer, times.length, out0Block.pointer, out1Block.pointer);
            out0.set(call.view(out0Block));
            out1.set(call.view(out1Block));
          } finally {
            call.release();
          }
        },
        dispose() {
          if (!disposed) modes.release();
          disposed = true;
        },
      };
    },

    startSgd(decay, injection, energy): SgdRun {
      const arena = new Arena(exports);
      const count = energy.length;
      const decayBlock = arena.allocate(count);
      const injectionBlock = arena.allocate(count);
      const energyBlock = arena.allocate(count);
      arena.view(decayBlock).set(decay);
      arena.view(injectionBlock).set(injection);
      arena.view(energyBlock).set(energy);
      let loss = exports.pairSum(energyBlock.pointer, count);
      let disposed = false;
      return {
        get loss() { return loss; },
        advance(steps, noise) {
          if (disposed) throw new EngineError('SgdRun used after dispose()');
          loss = exports.sgdSteps(decayBlock.pointer, injectionBlock.pointer, energyBlock.pointer, count, steps, noise, loss);
          return loss;
        },
        readEnergy(out) { out.set(arena.view(energyBlock)); },
        dispose() {
          if (!disposed) arena.release();
          disposed = true;
        },
      };
    },

    pairSum(values) {
      const arena = new Arena(exports);
      try {
        const block = arena.allocate(values.length);
        arena.view(block).set(values);
        return exports.pairSum(block.pointer, values.length);
      } finally {
        arena.release();
      }
    },

    memoryBytes: () => exports.memory.buffer.byteLength,
    exports,
  };
}
