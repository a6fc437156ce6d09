// Deno, for real: examples/deno/main.ts and the README `deno` snippet run under the deno binary
// (devDependency) against the packed tarball installed in the consumer project, with no
// permission flags and no network (local node_modules, --cached-only), and must reproduce the
// numbers Node computes from the same tarball.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_OPTIONS, consumerDirectory, installedPackage, maxRelativeDifference, readmeSnippet } from './package.js';

const root = resolve(import.meta.dirname, '..', '..');
const deno = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'deno.exe' : 'deno');

interface LazyJson {
  times: number[];
  loss: number[];
  localExponent?: number[];
  meta?: { engine: string; parameters: Record<string, unknown> };
  engine?: string;
}

let denoDir: string;
let consumer: string;
let reference: { times: Float64Array; loss: Float64Array; localExponent: Float64Array; meta: { engine: string } };

/** Flags of every deno invocation: none grants a permission. */
const FLAGS = ['--node-modules-dir=manual', '--cached-only', '--no-lock', '--no-prompt', '--quiet'];

function runDeno(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(deno, args, {
      cwd: consumer,
      timeout: 20_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? denoDir,
        DENO_DIR: denoDir,
        DENO_NO_UPDATE_CHECK: '1',
        NO_COLOR: '1',
        // Any attempt to reach the registry fails fast instead of going out.
        NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
      },
    }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Writes `source` into the consumer project and runs it with `deno run` and no permissions. */
async function runScript(name: string, source: string): Promise<unknown> {
  writeFileSync(join(consumer, name), source);
  const args = ['run', ...FLAGS, name];
  expect(args.some((arg) => /^(-A|--allow-|-[A-Z]$)/.test(arg))).toBe(false);
  const { code, stdout, stderr } = await runDeno(args);
  expect(code, `deno run ${name} failed:\n${stderr}`).toBe(0);
  return JSON.parse(stdout);
}

function expectReferenceCurve(output: LazyJson, engine: string | undefined): void {
  expect(output.times).toEqual([...reference.times]);
  expect(maxRelativeDifference(output.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
  expect(engine).toBe('wasm-simd');
}

beforeAll(async () => {
  consumer = consumerDirectory();
  denoDir = mkdtempSync(join(tmpdir(), 'scaling-dynamics-deno-dir-'));
  const node = await import(pathToFileURL(join(installedPackage(), 'dist', 'node.js')).href);
  reference = node.lazy(REFERENCE_OPTIONS);
  expect(reference.meta.engine).toBe('wasm-simd');
});

afterAll(() => {
  if (denoDir) rmSync(denoDir, { recursive: true, force: true });
});

describe('Deno (packed tarball, no permissions)', () => {
  it('resolves scaling-dynamics to the inline entry through the deno condition', async () => {
    writeFileSync(join(consumer, 'deno-resolve.ts'), "import { lazy } from 'npm:scaling-dynamics';\nconsole.log(typeof lazy);\n");
    const { code, stdout, stderr } = await runDeno(['info', '--node-modules-dir=manual', '--no-lock', 'deno-resolve.ts']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(join('node_modules', 'scaling-dynamics', 'dist', 'inline.js'));
  });

  it('examples/deno/main.ts prints the reference curve', async () => {
    const output = await runScript('deno-example-main.ts', readFileSync(join(root, 'examples', 'deno', 'main.ts'), 'utf8')) as {
      result: LazyJson; fit: { exponent: number }; engines: string[];
    };
    expectReferenceCurve(output.result, output.result.meta?.engine);
    expect(maxRelativeDifference(output.result.localExponent ?? [], reference.localExponent)).toBeLessThanOrEqual(1e-12);
    expect(output.result.meta?.parameters.modes).toBe('Infinity');
    expect(output.engines[0]).toBe('wasm-simd');
    expect(output.fit.exponent).toBeGreaterThan(0.45);
    expect(output.fit.exponent).toBeLessThan(0.55);
  });

  it('the README deno snippet prints the reference curve', async () => {
    const output = await runScript('deno-readme-snippet.ts', readmeSnippet('deno')) as LazyJson;
    expectReferenceCurve(output, output.engine);
  });

  it('the example and the snippet type-check against the packed declarations', async () => {
    writeFileSync(join(consumer, 'deno-example-main.ts'), readFileSync(join(root, 'examples', 'deno', 'main.ts'), 'utf8'));
    writeFileSync(join(consumer, 'deno-readme-snippet.ts'), readmeSnippet('deno'));
    const { code, stdout, stderr } = await runDeno(['check', '--node-modules-dir=manual', '--no-lock', '--quiet',
      'deno-example-main.ts', 'deno-readme-snippet.ts']);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
  });
});
