// Browsers, for real: headless Chromium (Debian's /usr/bin/chromium through playwright-core)
// against the packed tarball installed in the consumer project (test/global-setup.ts).
//  (a) examples/browser (the README browser snippet) built with Vite's API, served on loopback:
//      Vite must copy the .wasm assets, served as application/wasm; the engine is wasm-simd.
//  (b) the single-file calculator (scripts/build-calculator.mjs) opened from file:// with no
//      server: inputs, validation messages by the inputs, table, log-log plot (pixels checked).
//  (c) a strict content-security policy without 'wasm-unsafe-eval': init() falls back to the JS
//      engine and says why, with the same numbers.
// Every number is compared with Node's, computed here from the same tarball.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerDirectory, installedPackage, maxRelativeDifference, readmeSnippet, REFERENCE_OPTIONS } from './package.js';

/** Debian's Chromium (CI installs it); CHROMIUM_PATH overrides, e.g. on a developer's machine. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`\n${'!'.repeat(100)}\n!!! BROWSER RUNTIME TESTS SKIPPED: ${CHROMIUM} is missing. Install it with `
    + `\`apt-get install -y chromium\` (or set CHROMIUM_PATH).\n!!! Nothing was checked in a browser. CI installs Chromium, where these tests must run and pass.\n${'!'.repeat(100)}\n`);
}
/** `it`, skipped with the reason in its name when Chromium is missing. */
const browserIt = (name: string, body: () => Promise<void>, timeout: number) =>
  it.skipIf(!HAVE_CHROMIUM)(HAVE_CHROMIUM ? name : `SKIPPED (no ${CHROMIUM}): ${name}`, body, timeout);

/** The flags this closed network needs (/work/shared/TOOLCHAIN.md): no background connections. */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];
const STRICT_CSP = "default-src 'self'; script-src 'self'";
/** Repository root (the calculator generator lives in scripts/). */
const ROOT = resolve(import.meta.dirname, '..', '..');
/** Set KEEP_BROWSER_ARTIFACTS=1 to keep the screenshots (their folder is printed). */
const KEEP = process.env.KEEP_BROWSER_ARTIFACTS === '1';

type Api = typeof import('../../src/node.js');
interface PageResult { times: number[]; loss: number[]; engine: string; auto: string }

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml',
};

interface Served { path: string; status: number; type: string | undefined }

/** A static HTTP server on 127.0.0.1 (port 0): URL prefixes mapped to folders, fixed extra headers. */
async function serve(mounts: Record<string, string>, headers: Record<string, string>, log: Served[]): Promise<{ server: Server; origin: string }> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((request, response) => {
    let path = '';
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      path = '\0'; // malformed: matches no file
    }
    const prefix = prefixes.find((candidate) => path.startsWith(candidate));
    let status = 404;
    let type: string | undefined;
    let body: Buffer | string = 'not found';
    if (prefix !== undefined && request.method === 'GET') {
      const folder = resolve(mounts[prefix]);
      let file = normalize(join(folder, path.slice(prefix.length)));
      if (file === folder || file.startsWith(folder + sep)) {
        if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
        if (existsSync(file) && statSync(file).isFile()) {
          status = 200;
          type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
          body = readFileSync(file);
        }
      }
    }
    log.push({ path, status, type });
    response.writeHead(status, { ...headers, 'Cache-Control': 'no-store', ...(type ? { 'Content-Type': type } : { 'Content-Type': 'text/plain' }) });
    response.end(body);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are). */
function decodePng(png: Buffer): { width: number; height: number; channels: number; pixels: Uint8Array } {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0, height = 0, bitDepth = 0, colourType = 0, interlace = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const chunk = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0); height = chunk.readUInt32BE(4);
      bitDepth = chunk[8]; colourType = chunk[9]; interlace = chunk[12];
    } else if (type === 'IDAT') data.push(chunk);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
  }
  const channels = colourType === 6 ? 4 : 3;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(data));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

describe('browser runtime (headless Chromium)', () => {
  let work = '';
  let artifacts = '';
  let profile = '';
  let context: BrowserContext | undefined;
  const servers: Server[] = [];
  let plainOrigin = '';
  let strictOrigin = '';
  const served: Served[] = [];
  let calculatorFile = '';
  let api: Api;
  /** Messages and errors of every page, for failure messages. */
  const consoleLines: string[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) return;
    api = await import(pathToFileURL(join(installedPackage(), 'dist', 'node.js')).href) as Api;
    // Inside the consumer project, so Vite resolves 'scaling-dynamics' to the installed tarball.
    work = mkdtempSync(join(consumerDirectory(), 'browser-'));
    artifacts = mkdtempSync(join(tmpdir(), 'scaling-dynamics-browser-artifacts-'));
    profile = mkdtempSync(join(tmpdir(), 'scaling-dynamics-chromium-profile-'));

    // (a) examples/browser, whose main.js must be the README snippet verbatim.
    const app = join(work, 'app');
    cpSync(join(ROOT, 'examples', 'browser'), app, { recursive: true });
    expect(readFileSync(join(app, 'main.js'), 'utf8'), 'examples/browser/main.js differs from the README browser snippet: copy the snippet over').toBe(readmeSnippet('browser'));
    const { build } = await import('vite');
    await build({
      root: app, configFile: false, logLevel: 'warn', cacheDir: join(work, 'vite-cache'),
      build: { outDir: join(work, 'app-dist'), emptyOutDir: true },
    });

    // (c) the README snippet again, unbundled: native ESM straight from the installed dist/, with
    // the init report exposed.
    const snippet = join(work, 'snippet');
    mkdirSync(snippet);
    const code = readmeSnippet('browser');
    expect(code).toContain("from 'scaling-dynamics'");
    writeFileSync(join(snippet, 'main.js'), `${code.replace("from 'scaling-dynamics'", "from '/pkg/browser.js'")}document.body.dataset.report = JSON.stringify(report);\n`);
    writeFileSync(join(snippet, 'index.html'), '<!doctype html>\n<meta charset="utf-8">\n<title>snippet</title>\n<script type="module" src="./main.js"></script>\n');

    // (b) the calculator, generated from the installed package's dist/.
    calculatorFile = join(work, 'calculator.html');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-calculator.mjs'), '--dist', join(installedPackage(), 'dist'), '--out', calculatorFile],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });

    const distFolder = join(installedPackage(), 'dist');
    const appFolder = join(work, 'app-dist');
    const plain = await serve({ '/': appFolder }, {}, served);
    const strict = await serve({ '/': appFolder, '/snippet/': snippet, '/pkg/': distFolder }, { 'Content-Security-Policy': STRICT_CSP }, served);
    servers.push(plain.server, strict.server);
    plainOrigin = plain.origin;
    strictOrigin = strict.origin;

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 20_000,
      viewport: { width: 1280, height: 1000 },
    });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(10_000);
    context.on('page', (page) => {
      page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
      page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    });
  }, 40_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (artifacts) {
      if (KEEP) console.log(`browser test artifacts kept in ${artifacts}`);
      else rmSync(artifacts, { recursive: true, force: true });
    }
  }, 20_000);

  /** The pages' console and the requests that failed, for failure messages. */
  const diagnostics = () => `page console:\n${consoleLines.join('\n')}\nfailed requests: ${
    JSON.stringify(served.filter((entry) => entry.status !== 200))}`;

  /** Opens `url` and waits for document.body.dataset[key]; fails with the page's console. */
  async function openAndRead(url: string, key: string): Promise<{ page: Page; value: string }> {
    const page = await (context as BrowserContext).newPage();
    await page.goto(url);
    try {
      await page.waitForFunction((name) => document.body?.dataset[name] !== undefined, key, { timeout: 10_000 });
    } catch (error) {
      throw new Error(`${url}: no data-${key} (${String(error)})\n${diagnostics()}`);
    }
    return { page, value: await page.evaluate((name) => document.body.dataset[name] as string, key) };
  }

  browserIt('(a) Vite build of the README snippet: .wasm copied and served as application/wasm, wasm-simd, Node\'s numbers', async () => {
    const assets = readdirSync(join(work, 'app-dist', 'assets'));
    const simd = assets.find((name) => /^solver\.simd-.*\.wasm$/.test(name));
    const scalar = assets.find((name) => /^solver-.*\.wasm$/.test(name));
    expect(simd, `Vite did not emit solver.simd.wasm; assets: ${assets.join(', ')}`).toBeDefined();
    expect(scalar, `Vite did not emit solver.wasm; assets: ${assets.join(', ')}`).toBeDefined();
    expect(readFileSync(join(work, 'app-dist', 'assets', simd as string)).equals(readFileSync(join(installedPackage(), 'dist', 'solver.simd.wasm')))).toBe(true);

    const { page, value } = await openAndRead(`${plainOrigin}/`, 'result');
    const result = JSON.parse(value) as PageResult;
    const reference = api.lazy(REFERENCE_OPTIONS);
    expect(reference.meta.engine).toBe('wasm-simd');
    expect(result.engine).toBe('wasm-simd');
    expect(result.auto).toBe('wasm-simd');
    expect(result.times).toEqual([...reference.times]);
    expect(maxRelativeDifference(result.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
    const wasm = served.find((entry) => entry.path === `/assets/${simd}`);
    expect(wasm, 'the page did not fetch solver.simd.wasm').toMatchObject({ status: 200, type: 'application/wasm' });
    await page.close();
  }, 20_000);

  browserIt('(b) single-file calculator from file://: validation by the inputs, table equal to Node\'s, log-log plot drawn', async () => {
    const html = readFileSync(calculatorFile, 'utf8');
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*\shref=/);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    const shipped = join(installedPackage(), 'dist', 'calculator.html');
    if (existsSync(shipped)) expect(readFileSync(shipped, 'utf8'), 'dist/calculator.html in the tarball is stale').toBe(html);

    const page = await (context as BrowserContext).newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(calculatorFile).href);
    const settle = async () => {
      await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error', undefined, { timeout: 10_000 });
      return page.evaluate(() => document.body.dataset.state);
    };
    const run = async () => {
      await page.evaluate(() => { delete document.body.dataset.state; });
      await page.click('#run');
      return settle();
    };
    expect(await settle(), diagnostics()).toBe('done'); // the first curve, computed on load
    expect(await page.evaluate(() => document.body.dataset.auto)).toBe('wasm-simd');

    // A ParameterError is shown next to the input it names.
    await page.fill('#batchSize', '0');
    expect(await run()).toBe('error');
    expect(await page.textContent('[data-error-for="batchSize"]')).toMatch(/^batchSize = 0 is invalid/);
    expect(await page.getAttribute('#batchSize', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#output', 'class')).toContain('stale'); // the previous curve, dimmed
    await page.fill('#modes', 'lots');
    await page.fill('#batchSize', '4');
    expect(await page.getAttribute('#batchSize', 'aria-invalid')).toBeNull(); // cleared on edit
    expect(await run()).toBe('error');
    expect(await page.textContent('[data-error-for="modes"]')).toContain('modes = "lots" is invalid');
    expect(await page.textContent('[data-error-for="batchSize"]')).toBe('');
    await page.fill('#timesCount', '0');
    await page.fill('#modes', 'Infinity');
    expect(await run()).toBe('error');
    expect(await page.textContent('[data-error-for="times"]')).toContain('times.count');
    await page.screenshot({ path: join(artifacts, 'calculator-error.png') });

    const readTable = () => page.$$eval('#table tbody tr', (rows) => rows.map((row) =>
      Array.from(row.querySelectorAll('td[data-column]'), (cell) => Number(cell.textContent))));
    const check = async (options: Parameters<Api['lazy']>[0]) => {
      const reference = api.lazy(options);
      const rows = await readTable();
      // Not toEqual: log grids use x ** y, which differs by an ulp between V8 versions (Node 20 vs
      // Chromium 156: 1e6 ** 0.625), so the times themselves agree only to rounding.
      expect(rows).toHaveLength(reference.times.length);
      expect(maxRelativeDifference(rows.map((row) => row[0]), reference.times)).toBeLessThanOrEqual(1e-12);
      expect(maxRelativeDifference(rows.map((row) => row[1]), reference.loss)).toBeLessThanOrEqual(1e-12);
      // SGD's local exponent is a central difference over one step, -n (L(n+1) - L(n-1)) / 2L(n):
      // it amplifies the ulp-level loss differences (spectrum nodes use Math.pow too) by about
      // 2n / exponent, 4e4 at n = 1e4 (measured: loss 1.2e-16 apart, exponent 1.2e-12 apart).
      const exponentTolerance = options.optimizer === 'sgd' ? 1e-10 : 1e-12;
      expect(maxRelativeDifference(rows.map((row) => row[2]), reference.localExponent)).toBeLessThanOrEqual(exponentTolerance);
      expect(await page.textContent('[data-engine]')).toBe('wasm-simd');
    };

    // Gradient flow, finite M: the learning rate and batch size do not apply.
    await page.selectOption('#optimizer', 'flow');
    expect(await page.isDisabled('#learningRate')).toBe(true);
    await page.fill('#alpha', '2');
    await page.fill('#beta', '0.8');
    await page.fill('#modes', '5000');
    await page.fill('#timesFrom', '0.1');
    await page.fill('#timesTo', '1e5');
    await page.fill('#timesCount', '25');
    expect(await run()).toBe('done');
    await check({ alpha: 2, beta: 0.8, modes: 5000, times: { from: 0.1, to: 1e5, count: 25, spacing: 'log' } });

    // The reference options (SGD, M = Infinity) on a log grid of step counts.
    await page.fill('#alpha', String(REFERENCE_OPTIONS.alpha));
    await page.fill('#beta', String(REFERENCE_OPTIONS.beta));
    await page.fill('#modes', 'Infinity');
    await page.selectOption('#optimizer', REFERENCE_OPTIONS.optimizer);
    await page.fill('#learningRate', String(REFERENCE_OPTIONS.learningRate));
    await page.fill('#batchSize', String(REFERENCE_OPTIONS.batchSize));
    await page.fill('#timesFrom', '1');
    await page.fill('#timesTo', '10000');
    await page.fill('#timesCount', '41');
    expect(await run()).toBe('done');
    await check({ ...REFERENCE_OPTIONS, times: { from: 1, to: 10000, count: 41, spacing: 'log' } });
    expect(await page.textContent('#plot svg')).toContain('α = 1.5, β = 0.5, M = Infinity, sgd, η = 0.5, B = 4');

    // Screenshots; the plot must show the curve colour (#1f77b4) across most of its width.
    await page.screenshot({ path: join(artifacts, 'calculator.png'), fullPage: true });
    const plot = page.locator('#plot svg');
    const png = await plot.screenshot({ path: join(artifacts, 'calculator-plot.png') });
    const { width, height, channels, pixels } = decodePng(png);
    const columns = new Set<number>();
    let curvePixels = 0;
    let nonWhite = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * channels;
        const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
        if (r < 250 || g < 250 || b < 250) nonWhite++;
        if (Math.abs(r - 0x1f) <= 24 && Math.abs(g - 0x77) <= 24 && Math.abs(b - 0xb4) <= 24) {
          curvePixels++;
          columns.add(x);
        }
      }
    }
    expect(nonWhite).toBeGreaterThan(0.01 * width * height);
    expect(curvePixels).toBeGreaterThan(300);
    expect(columns.size).toBeGreaterThan(0.6 * width); // the curve, not just the legend swatch
    // Nothing left the page: no network, no other files.
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
    await page.close();
  }, 25_000);

  browserIt('(c) strict CSP without \'wasm-unsafe-eval\': init() falls back to the JS engine, says why, same numbers', async () => {
    const reference = api.lazy(REFERENCE_OPTIONS);
    // The README snippet as native ESM from the installed dist/.
    const { page, value } = await openAndRead(`${strictOrigin}/snippet/`, 'result');
    const result = JSON.parse(value) as PageResult;
    const report = JSON.parse(await page.evaluate(() => document.body.dataset.report as string)) as { auto: string; engines: string[]; unavailable: Record<string, string> };
    expect(report.auto).toBe('js');
    expect(report.engines).toEqual(['js']);
    for (const build of ['wasm-simd', 'wasm']) {
      expect(report.unavailable[build], `report.unavailable['${build}']\n${diagnostics()}`).toMatch(/Content Security Policy.*unsafe-eval|unsafe-eval.*Content Security Policy/i);
    }
    expect(result.engine).toBe('js');
    expect(result.times).toEqual([...reference.times]);
    expect(maxRelativeDifference(result.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
    expect(served.filter((entry) => entry.path.startsWith('/pkg/')).every((entry) => entry.status === 200)).toBe(true);
    await page.close();

    // The same Vite bundle as in (a), now under the strict policy.
    const bundled = await openAndRead(`${strictOrigin}/`, 'result');
    const fallback = JSON.parse(bundled.value) as PageResult;
    expect(fallback.engine).toBe('js');
    expect(fallback.auto).toBe('js');
    expect(maxRelativeDifference(fallback.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
    await bundled.page.close();
  }, 20_000);
});
