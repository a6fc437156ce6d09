// Bundles src/ into dist/.
// `rollup -c` (npm run build:js): ESM entries (node, core, inline, browser, worker, cli) sharing
// chunks, plus a CommonJS build of the Node entry.
// `rollup -c --configTypes` (npm run build:types): the public declarations, bundled with
// rollup-plugin-dts so dist/ holds no per-source-file .d.ts:
//   dist/index.d.ts   the whole API with init(source?) (from the Node entry); the types of "." and
//                     "./node", and the one place every public type is declared;
//   dist/index.d.cts  the same for the `require` condition (CommonJS), self-contained;
//   dist/{core,inline,browser,worker}.d.ts  `export * from './index.js'` plus that entry's own
//                     init() (core's requires `source`), so types are shared, never duplicated.
import typescript from '@rollup/plugin-typescript';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dts } from 'rollup-plugin-dts';

/** Keeps `./solver*.wasm` imports (Workers entry) as they are: dist/ holds the files beside it. */
const wasmImports = {
  name: 'wasm-imports',
  resolveId: (source) => (source.endsWith('.wasm') ? { id: source, external: true } : null),
};

const plugin = () => typescript({ tsconfig: './tsconfig.json', declaration: false, outDir: undefined, rootDir: undefined, noEmitOnError: true });

const javascript = [
  {
    input: { node: 'src/node.ts', core: 'src/core.ts', inline: 'src/inline.ts', browser: 'src/browser.ts', worker: 'src/worker.ts', cli: 'src/cli/main.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/scaling-dynamics-[hash].js' },
    external: [/^node:/],
    plugins: [wasmImports, plugin()],
  },
  {
    input: 'src/node.ts',
    output: { file: 'dist/node.cjs', format: 'cjs', exports: 'named' },
    external: [/^node:/],
    plugins: [plugin()],
  },
];

/** Stands for dist/index.d.ts where the thin entries import it. */
const SHARED = '\0scaling-dynamics-index';

const source = (path) => fileURLToPath(new URL(path, import.meta.url));
/** Entries whose declarations are their own init() on top of dist/index.d.ts. */
const thinEntries = new Set(['core', 'inline', 'browser', 'worker'].map((name) => source(`src/${name}.ts`)));
/** The modules behind dist/index.d.ts that thin entries import from (api.ts re-exports both). */
const sharedModules = new Set([source('src/api.ts'), source('src/engine/registry.ts')]);

/**
 * In the declaration build, whatever a thin entry imports from the shared modules (`export * from
 * './api.js'`, the init() types from './engine/registry.js') comes from dist/index.d.ts instead of
 * being inlined again: every public type is declared once, in index.d.ts.
 */
const sharedDeclarations = {
  name: 'shared-declarations',
  resolveId(specifier, importer) {
    if (!importer || !thinEntries.has(importer) || !specifier.startsWith('.')) return null;
    const target = resolve(dirname(importer), specifier).replace(/\.js$/, '.ts');
    return sharedModules.has(target) ? { id: SHARED, external: true } : null;
  },
};

const declarations = [
  {
    input: { index: 'src/node.ts', core: 'src/core.ts', inline: 'src/inline.ts', browser: 'src/browser.ts', worker: 'src/worker.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', paths: { [SHARED]: './index.js' } },
    plugins: [sharedDeclarations, dts({ tsconfig: './tsconfig.json' })],
  },
  {
    input: 'src/node.ts',
    output: { file: 'dist/index.d.cts', format: 'es' },
    plugins: [dts({ tsconfig: './tsconfig.json' })],
  },
];

export default (commandLineArgs) => {
  if (commandLineArgs.configTypes) {
    delete commandLineArgs.configTypes;
    return declarations;
  }
  return javascript;
};
