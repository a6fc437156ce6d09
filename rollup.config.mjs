// Bundles src/ into dist/: ESM entries (node, core, inline, cli) sharing chunks, plus a CommonJS
// build of the Node entry. Declarations come from `tsc --emitDeclarationOnly` (npm run build:types).
import typescript from '@rollup/plugin-typescript';

/** Keeps `./solver*.wasm` imports (Workers entry) as they are: dist/ holds the files beside it. */
const wasmImports = {
  name: 'wasm-imports',
  resolveId: (source) => (source.endsWith('.wasm') ? { id: source, external: true } : null),
};

const plugin = () => typescript({ tsconfig: './tsconfig.json', declaration: false, outDir: undefined, rootDir: undefined, noEmitOnError: true });

export default [
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
