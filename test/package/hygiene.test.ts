// Package hygiene, checked on the tarball `npm pack` made (test/global-setup.ts), i.e. exactly what
// a user downloads: publint and @arethetypeswrong/cli report no problem, the tarball holds only
// what users need and stays small, the modules a page imports have no top-level await (it would
// stall every importer) and import no `node:` builtin, and the `bin` runs once installed.
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { parseAst } from 'rollup/parseAst';
import { beforeAll, describe, expect, inject, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/**
 * Packed size budget. Measured 246 kB with the lazy, shells, operator and transport modules, 469 kB
 * with the finite-data DMFT and the feature-learning solvers added: the
 * ESM chunk and the CommonJS build each carry the whole (unminified, commented) library, plus two
 * .wasm builds, the base64 inline entry and the single-file calculator. The budget catches
 * accidental additions (tests, sources, duplicated wasm), not growth by new modules.
 */
const PACKED_BUDGET_BYTES = 600_000;

interface TarEntry {
  /** Path inside the package (the tarball's leading `package/` removed). */
  path: string;
  mode: number;
  content: Buffer;
}

/** The regular files of a .tgz (ustar, with pax `path` records as node-tar writes them). */
function readTarball(bytes: Buffer): TarEntry[] {
  const tar = gunzipSync(bytes);
  const entries: TarEntry[] = [];
  let paxPath: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const content = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      paxPath = /^\d+ path=(.*)$/m.exec(content.toString('utf8'))?.[1];
    } else {
      if (type === '0' || type === '7') {
        const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
        entries.push({ path: name.replace(/^[^/]+\//, ''), mode: parseInt(field(100, 8).trim(), 8), content: Buffer.from(content) });
      }
      paxPath = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Relative specifiers a module imports: statically (import/export ... from) and dynamically. */
function importsOf(ast: ReturnType<typeof parseAst>): { static: string[]; dynamic: string[] } {
  const found = { static: [] as string[], dynamic: [] as string[] };
  for (const node of ast.body) {
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      found.static.push(String(node.source.value));
    }
  }
  walk(ast, false, (node) => {
    const source = node.source as AstNode | undefined;
    if (node.type === 'ImportExpression' && source?.type === 'Literal') found.dynamic.push(String(source.value));
  });
  return found;
}

type AstNode = { type: string; [key: string]: unknown };
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Visits every node; with `topLevelOnly`, does not descend into function bodies. */
function walk(node: unknown, topLevelOnly: boolean, visit: (node: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, topLevelOnly, visit);
    return;
  }
  if (node === null || typeof node !== 'object' || typeof (node as AstNode).type !== 'string') return;
  visit(node as AstNode);
  if (topLevelOnly && FUNCTIONS.has((node as AstNode).type)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'type' && value !== null && typeof value === 'object') walk(value, topLevelOnly, visit);
  }
}

/** Top-level `await`, `for await` and `await using` in a module, as source excerpts. */
function topLevelAwaits(code: string, ast: ReturnType<typeof parseAst>): string[] {
  const found: string[] = [];
  walk(ast, true, (node) => {
    const isAwait = node.type === 'AwaitExpression'
      || (node.type === 'ForOfStatement' && node.await === true)
      || (node.type === 'VariableDeclaration' && node.kind === 'await using');
    if (isAwait) found.push(code.slice(node.start as number, Math.min(node.end as number, (node.start as number) + 80)));
  });
  return found;
}

let tarball: string;
let entries: TarEntry[];
let files: Map<string, TarEntry>;

beforeAll(() => {
  tarball = inject('tarball');
  entries = readTarball(readFileSync(tarball));
  files = new Map(entries.map((entry) => [entry.path, entry]));
});

describe('the packed tarball', () => {
  test('publint (strict, every level down to suggestions) reports nothing', async () => {
    const bytes = readFileSync(tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
      level: 'suggestion',
      strict: true,
    });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`)).toEqual([]);
  });

  test('@arethetypeswrong/cli finds no problem (node10, node16 from ESM and CJS, bundler)', async () => {
    const cli = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
    // The .wasm subpaths are assets (for bundlers, `new URL(..., import.meta.url)` and wrangler's
    // `.wasm` imports), not modules TypeScript resolves: nothing there to type-check.
    const args = [cli, tarball, '--format', 'json', '--profile', 'strict', '--exclude-entrypoints', './solver.wasm', './solver.simd.wasm'];
    // attw exits 1 when it finds problems; the JSON on stdout says which.
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 << 20 }).catch((error) => error as { stdout: string });
    const report = JSON.parse(stdout) as {
      analysis: {
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string }; implementationResolution?: { fileName: string } }> }>;
        problems: { kind: string; entrypoint?: string; resolutionKind?: string }[];
      };
    };
    const { entrypoints, problems } = report.analysis;
    expect(Object.keys(entrypoints).sort()).toEqual(['.', './browser', './core', './inline', './node', './package.json', './worker']);
    // Inherent, and the only thing tolerated: these entries are ESM only (there is a CommonJS
    // build of the Node entry alone), so `require('scaling-dynamics/core')` from CommonJS under
    // node16 resolves to ESM (attw: CJSResolvesToESM, "dynamic import only"). Filtered per
    // entrypoint rather than with `--ignore-rules cjs-resolves-to-esm`, which would also hide a
    // regression of "." and "./node", which must stay require()-able.
    const esmOnly = new Set(['./core', './inline', './browser', './worker']);
    const unexpected = problems.filter((problem) => !(problem.kind === 'CJSResolvesToESM'
      && problem.resolutionKind === 'node16-cjs' && esmOnly.has(problem.entrypoint ?? '')));
    expect(unexpected).toEqual([]);
    // require() gets CommonJS code and CommonJS types; import gets ESM.
    for (const subpath of ['.', './node']) {
      const { resolutions } = entrypoints[subpath];
      expect(resolutions['node16-cjs'].resolution?.fileName).toMatch(/\/dist\/index\.d\.cts$/);
      expect(resolutions['node16-cjs'].implementationResolution?.fileName).toMatch(/\/dist\/node\.cjs$/);
      expect(resolutions['node16-esm'].resolution?.fileName).toMatch(/\/dist\/index\.d\.ts$/);
      expect(resolutions['node16-esm'].implementationResolution?.fileName).toMatch(/\/dist\/node\.js$/);
    }
  });

  test('holds exactly the files users need, under the size budget', () => {
    const licenses = readdirSync(root).filter((name) => /^licen[cs]e(\.|$)/i.test(name));
    const expected = [
      'package.json', 'README.md', ...licenses,
      'dist/node.js', 'dist/node.cjs', 'dist/core.js', 'dist/inline.js', 'dist/browser.js', 'dist/worker.js', 'dist/cli.js',
      'dist/index.d.ts', 'dist/index.d.cts', 'dist/core.d.ts', 'dist/inline.d.ts', 'dist/browser.d.ts', 'dist/worker.d.ts',
      'dist/solver.wasm', 'dist/solver.simd.wasm', 'dist/calculator.html',
    ].sort();
    const chunks = [...files.keys()].filter((path) => path.startsWith('dist/chunks/'));
    expect([...files.keys()].filter((path) => !path.startsWith('dist/chunks/')).sort()).toEqual(expected);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(chunk).toMatch(/^dist\/chunks\/scaling-dynamics-[\w-]+\.js$/);
    const packed = readFileSync(tarball).length;
    expect(packed, `tarball is ${packed} bytes`).toBeLessThan(PACKED_BUDGET_BYTES);
    // The bin must be executable as packed (npm sets the mode on install, other clients may not).
    expect(files.get('dist/cli.js')!.mode & 0o111).not.toBe(0);
  });

  test('ES modules: no top-level await, no node: builtins where pages import, no orphan chunks', () => {
    const modules = new Map<string, { code: string; ast: ReturnType<typeof parseAst>; imports: ReturnType<typeof importsOf> }>();
    for (const [path, entry] of files) {
      if (!path.endsWith('.js')) continue;
      const code = entry.content.toString('utf8');
      const ast = parseAst(code.replace(/^#!.*/, ''));
      modules.set(path, { code, ast, imports: importsOf(ast) });
    }
    /** Modules `entry` loads, following static imports only (or dynamic ones too). */
    const graph = (entry: string, followDynamic: boolean): Set<string> => {
      const seen = new Set<string>();
      const visit = (path: string) => {
        if (seen.has(path)) return;
        seen.add(path);
        const module = modules.get(path);
        expect(module, `${path} is imported but not in the tarball`).toBeDefined();
        const specifiers = followDynamic ? [...module!.imports.static, ...module!.imports.dynamic] : module!.imports.static;
        for (const specifier of specifiers.filter((specifier) => specifier.startsWith('.'))) {
          const target = posix.join(posix.dirname(path), specifier);
          if (target.endsWith('.js')) visit(target);
          else expect(files.has(target), `${path} imports ${specifier}, not in the tarball`).toBe(true);
        }
      };
      visit(entry);
      return seen;
    };
    const pageEntries = ['dist/browser.js', 'dist/inline.js', 'dist/core.js', 'dist/worker.js'];
    for (const entry of [...pageEntries, 'dist/node.js']) {
      for (const path of graph(entry, false)) {
        expect(topLevelAwaits(modules.get(path)!.code, modules.get(path)!.ast), `top-level await in ${path} (loaded by ${entry})`).toEqual([]);
      }
    }
    for (const entry of pageEntries) {
      for (const path of graph(entry, true)) {
        expect(modules.get(path)!.imports.static.filter((specifier) => specifier.startsWith('node:')), `${path} (loaded by ${entry})`).toEqual([]);
      }
    }
    const reachable = new Set(['dist/node.js', 'dist/cli.js', ...pageEntries].flatMap((entry) => [...graph(entry, true)]));
    expect([...modules.keys()].filter((path) => !reachable.has(path)), 'stale chunks nobody imports').toEqual([]);
  });
});

test('the bin runs from the installed package', () => {
  const bin = join(inject('consumerDirectory'), 'node_modules', '.bin', process.platform === 'win32' ? 'scaling-dynamics.cmd' : 'scaling-dynamics');
  const output = execFileSync(bin, ['--help'], { encoding: 'utf8', shell: process.platform === 'win32' });
  expect(output).toMatch(/^Usage: scaling-dynamics <command>/);
});
