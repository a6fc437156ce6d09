// Builds the single-file calculator: examples/calculator/app.js bundled by esbuild with the
// package's dist/inline.js (both WebAssembly builds embedded as base64) into one module script,
// placed into examples/calculator/template.html. The result imports and fetches nothing, so it
// works when opened from file://.
//
//   node scripts/build-calculator.mjs [--dist DIR] [--out FILE]...
//
// --dist: the built package's dist folder (default: this repository's dist/); its ../package.json
// gives the version shown in the page. --out: where to write (repeatable; default dist/calculator.html
// and examples/calculator.html).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PLACEHOLDER = '<!-- calculator-script -->';

/** Builds the calculator HTML from `dist` (a built package's dist folder) and returns it. */
export async function buildCalculator(dist) {
  const inline = join(dist, 'inline.js');
  const { version } = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8'));
  const bundled = await build({
    entryPoints: [join(root, 'examples', 'calculator', 'app.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    plugins: [{
      name: 'scaling-dynamics-inline',
      setup(context) {
        // The page must carry the WebAssembly inside it: only the inline entry will do.
        context.onResolve({ filter: /^scaling-dynamics(\/inline)?$/ }, () => ({ path: inline }));
      },
    }],
  });
  let code = bundled.outputFiles[0].text;
  // Inside <script>, the text "</script" would end the element early.
  code = code.replace(/<\/(script)/gi, '<\\/$1');
  for (const [pattern, why] of [[/<!--/, 'an HTML comment opener'], [/\bimport\s*\(|\bimport\.meta\b|^\s*import[\s{*]/m, 'an import']]) {
    if (pattern.test(code)) throw new Error(`build-calculator: the bundled script contains ${why}; the page must be self-contained`);
  }
  const template = readFileSync(join(root, 'examples', 'calculator', 'template.html'), 'utf8');
  if (template.split(PLACEHOLDER).length !== 2) throw new Error(`build-calculator: the template must contain ${PLACEHOLDER} exactly once`);
  // split/join, not String.replace: the code may contain `$&`-like sequences.
  return template.split('{{version}}').join(version).split(PLACEHOLDER).join(`<script type="module">\n${code.trimEnd()}\n</script>`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, out: { type: 'string', multiple: true } } });
  const dist = resolve(values.dist ?? join(root, 'dist'));
  const outputs = (values.out?.length ? values.out : [join(root, 'dist', 'calculator.html'), join(root, 'examples', 'calculator.html')]).map((file) => resolve(file));
  const html = await buildCalculator(dist);
  for (const file of outputs) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  }
  console.log(`calculator: ${outputs.map((file) => relative(process.cwd(), file) || file).join(', ')} (${(html.length / 1024).toFixed(0)} KiB)`);
}
