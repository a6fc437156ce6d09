// Engine selection and the memoised, retryable init(). Each runtime entry (src/entries/) only
// says where the two .wasm builds come from; everything else is here, written once.
import { EngineError, ParameterError } from '../errors.js';
import { jsEngine } from './js.js';
import type { Engine, EngineChoice, EngineName } from './types.js';
import { wasmEngine } from './wasm.js';

/** Anything a WebAssembly module can be made from. */
export type WasmSource = CompiledModule | ArrayBuffer | ArrayBufferView | Response | URL | string;

/**
 * WebAssembly.Module, named through globalThis so that the published declarations also type-check
 * where the libraries declare no WebAssembly (a Node project with lib ES2022 and @types/node).
 */
type CompiledModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

/** Where the SIMD and scalar builds come from (either may be absent). */
export interface WasmSources {
  simd?: WasmSource | (() => WasmSource | Promise<WasmSource>);
  scalar?: WasmSource | (() => WasmSource | Promise<WasmSource>);
}

/** What init() found. */
export interface InitReport {
  /** Engines usable now, fastest first (always ends with 'js'). */
  readonly engines: readonly EngineName[];
  /** The engine `engine: 'auto'` resolves to. */
  readonly auto: EngineName;
  /** Why a WebAssembly build is unavailable, per build, when it is. */
  readonly unavailable: Readonly<Partial<Record<'wasm-simd' | 'wasm', string>>>;
}

/** The engine names accepted by the `engine` option. */
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'wasm-simd', 'wasm', 'js'];

let engines: Partial<Record<EngineName, Engine>> = {};
let report: InitReport | undefined;
/** True once a WebAssembly engine is instantiated: init() is then memoised for good. */
let settled = false;
let pending: Promise<InitReport> | undefined;
/** What an entry can hand over synchronously: bytes, or an already compiled module (Workers). */
export type SynchronousSource = BufferSource | WebAssembly.Module;
let synchronousSources: (() => { simd?: SynchronousSource; scalar?: SynchronousSource }) | undefined;

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) source = await fetch(source);
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) throw new EngineError(`fetching the WebAssembly module failed: HTTP ${source.status}`);
    if (typeof WebAssembly.compileStreaming === 'function'
      && source.headers.get('content-type')?.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(source);
    }
    source = await source.arrayBuffer();
  }
  const bytes = source as BufferSource;
  return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function finish(unavailable: Partial<Record<'wasm-simd' | 'wasm', string>>): InitReport {
  const names: EngineName[] = (['wasm-simd', 'wasm'] as const).filter((name) => engines[name] !== undefined);
  names.push('js');
  engines.js = jsEngine;
  report = Object.freeze({ engines: Object.freeze(names), auto: names[0], unavailable: Object.freeze(unavailable) });
  settled = names.length > 1;
  return report;
}

/**
 * Instantiates the WebAssembly builds from `sources`. Once a WebAssembly engine exists, later
 * calls return the same report (memoised). A build that fails to compile (no SIMD in the host,
 * WebAssembly blocked by a content-security policy, a failed fetch) is reported in `unavailable`
 * and `auto` falls back to the next engine, ending with the plain TypeScript engine; while no
 * WebAssembly engine exists, the next call tries again.
 */
export function initialize(sources: WasmSources): Promise<InitReport> {
  if (settled && report) return Promise.resolve(report);
  if (pending) return pending;
  pending = (async () => {
    try {
      return await instantiateAll(sources);
    } finally {
      pending = undefined;
    }
  })();
  return pending;
}

async function instantiateAll(sources: WasmSources): Promise<InitReport> {
  const unavailable: Partial<Record<'wasm-simd' | 'wasm', string>> = {};
  const found: Partial<Record<EngineName, Engine>> = {};
  for (const [name, entry] of [['wasm-simd', sources.simd], ['wasm', sources.scalar]] as const) {
    if (entry === undefined) {
      unavailable[name] = 'no module given to init()';
      continue;
    }
    if (typeof WebAssembly !== 'object') {
      unavailable[name] = 'WebAssembly is not available in this host';
      continue;
    }
    try {
      const source = typeof entry === 'function' ? await entry() : entry;
      const module = await compile(source);
      const instance = await WebAssembly.instantiate(module, {});
      const engine = wasmEngine(instance);
      found[engine.name] = engine;
    } catch (error) {
      unavailable[name] = describe(error);
    }
  }
  if (settled && report) return report; // a synchronous first use finished meanwhile
  engines = found;
  return finish(unavailable);
}

/** Accepts one module (either build; the engine name follows from its exports) or `{ simd, scalar }`. */
export function normalizeSources(source: WasmSource | WasmSources): WasmSources {
  const isSources = typeof source === 'object' && source !== null && !(source instanceof WebAssembly.Module)
    && !ArrayBuffer.isView(source) && !(source instanceof ArrayBuffer) && !(source instanceof URL)
    && !(typeof Response !== 'undefined' && source instanceof Response);
  return isSources ? source as WasmSources : { simd: source as WasmSource };
}

/** Lets an entry instantiate synchronously on first use (Node, Deno, inline bytes). */
export function setSynchronousSources(load: () => { simd?: SynchronousSource; scalar?: SynchronousSource }): void {
  synchronousSources = load;
}

function initializeSynchronously(): void {
  if (!synchronousSources || report) return; // tried already: init() retries asynchronously
  const unavailable: Partial<Record<'wasm-simd' | 'wasm', string>> = {};
  const found: Partial<Record<EngineName, Engine>> = {};
  let sources: { simd?: SynchronousSource; scalar?: SynchronousSource } = {};
  try {
    sources = synchronousSources();
  } catch (error) {
    unavailable['wasm-simd'] = unavailable.wasm = describe(error);
  }
  for (const [name, bytes] of [['wasm-simd', sources.simd], ['wasm', sources.scalar]] as const) {
    if (bytes === undefined) {
      unavailable[name] ??= 'no module available';
      continue;
    }
    try {
      const module = bytes instanceof WebAssembly.Module ? bytes : new WebAssembly.Module(bytes);
      const engine = wasmEngine(new WebAssembly.Instance(module, {}));
      found[engine.name] = engine;
    } catch (error) {
      unavailable[name] = describe(error);
    }
  }
  engines = found;
  finish(unavailable);
}

/** The report of the last successful init(), or undefined before it. */
export function initReport(): InitReport | undefined {
  return report;
}

/**
 * Resolves an `engine` option to the engine object (exported as getEngine for benchmarks and
 * advanced use: direct access to the kernels), or explains why it cannot.
 */
export function resolveEngine(choice: unknown = 'auto'): Engine {
  if (typeof choice !== 'string' || !(ENGINE_CHOICES as readonly string[]).includes(choice)) {
    throw new ParameterError('engine', choice, `one of ${ENGINE_CHOICES.map((name) => `'${name}'`).join(', ')}`);
  }
  if (choice === 'js') return jsEngine;
  initializeSynchronously();
  if (!report) {
    throw new EngineError(
      `engine '${choice}' needs the WebAssembly module: call \`await init()\` first, or pass engine: 'js'`);
  }
  const name = choice === 'auto' ? report.auto : choice as EngineName;
  const engine = engines[name];
  if (!engine) {
    throw new EngineError(`engine '${name}' is unavailable here: ${report.unavailable[name as 'wasm'] ?? 'unknown reason'}`);
  }
  return engine;
}

/** Bytes of linear memory held by each instantiated engine (for memory checks). */
export function engineMemory(): Partial<Record<EngineName, number>> {
  const result: Partial<Record<EngineName, number>> = {};
  for (const name of ['wasm-simd', 'wasm'] as const) {
    const engine = engines[name];
    if (engine) result[name] = engine.memoryBytes();
  }
  return result;
}
