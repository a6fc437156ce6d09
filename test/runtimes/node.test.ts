// Node, for real: the README `node` (ESM) and `node-cjs` (CommonJS) snippets run in a child node
// process inside the consumer project, importing the packed tarball as users would, and must
// reproduce the numbers computed in this process from the same installed package; the installed
// CLI prints the README's example.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_OPTIONS, consumerDirectory, installedPackage, maxRelativeDifference, readmeSnippet } from './package.js';

interface CurveJson { times: number[]; loss: number[]; engine?: string; meta?: { engine: string } }

let reference: { times: Float64Array; loss: Float64Array };

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: consumerDirectory(), timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function runSnippet(file: string, name: string): Promise<CurveJson> {
  writeFileSync(join(consumerDirectory(), file), readmeSnippet(name));
  const { code, stdout, stderr } = await run([file]);
  expect(code, `node ${file} failed:\n${stderr}`).toBe(0);
  return JSON.parse(stdout) as CurveJson;
}

beforeAll(async () => {
  const installed = await import(pathToFileURL(join(installedPackage(), 'dist', 'node.js')).href);
  await installed.init();
  reference = installed.lazy(REFERENCE_OPTIONS);
});

describe('Node from the packed tarball', () => {
  it('runs the README ESM snippet with the SIMD engine and the reference numbers', async () => {
    const output = await runSnippet('readme-node.mjs', 'node');
    expect(output.engine).toBe('wasm-simd');
    expect(output.times).toEqual(Array.from(reference.times));
    expect(maxRelativeDifference(output.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
  });

  it('runs the README CommonJS snippet (require) with the same numbers', async () => {
    const output = await runSnippet('readme-node.cjs', 'node-cjs');
    expect(output.engine).toBe('wasm-simd');
    expect(maxRelativeDifference(output.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
  });

  it('installs a working CLI that prints the README example', async () => {
    const cli = join(consumerDirectory(), 'node_modules', '.bin', 'scaling-dynamics');
    const { code, stdout, stderr } = await run([cli, 'lazy', '--alpha', '1.5', '--beta', '0.5', '--modes', 'Infinity',
      '--optimizer', 'sgd', '--learning-rate', '0.5', '--batch-size', '4', '--times', '0,10,100,1000', '--json']);
    expect(code, stderr).toBe(0);
    const output = JSON.parse(stdout) as CurveJson;
    expect(output.meta?.engine).toBe('wasm-simd');
    expect(maxRelativeDifference(output.loss, reference.loss)).toBeLessThanOrEqual(1e-12);
  });
});
