// The published type declarations, as a TypeScript user gets them: small programs importing the
// installed tarball (test/global-setup.ts) are type-checked by this repository's typescript under
// moduleResolution NodeNext (ESM and a CommonJS .cts) and Bundler, strict and without
// skipLibCheck, so the bundled .d.ts/.d.cts themselves are checked too. Programs with deliberate
// mistakes must fail with exactly the expected errors, in the ESM and in the CommonJS file (which
// proves the CommonJS types are real types, not `any`).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Uses every entry; the `@ts-expect-error` lines fail the check if the error they expect is gone. */
const ESM_PROGRAM = `
import { lazy, init, toCSV, ParameterError, type LazyResult, type InitReport, type WasmSources } from 'scaling-dynamics';
import * as core from 'scaling-dynamics/core';
import * as inline from 'scaling-dynamics/inline';
import * as browser from 'scaling-dynamics/browser';
import * as worker from 'scaling-dynamics/worker';
import * as node from 'scaling-dynamics/node';

const result: LazyResult = lazy({ alpha: 1.5, beta: 0.5, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [1, 10, 100] });
const loss: Float64Array = result.loss;
const csv: string = toCSV(result);
const ready: Promise<InitReport> = init();
// One set of declarations behind every entry: results and reports are interchangeable.
const fromEntries: LazyResult[] = [core.lazy({ alpha: 2, beta: 1 }), inline.lazy({ alpha: 2, beta: 1 }), browser.lazy({ alpha: 2, beta: 1 }), worker.lazy({ alpha: 2, beta: 1 }), node.lazy({ alpha: 2, beta: 1 })];
const sources: WasmSources = { simd: new Uint8Array(8), scalar: () => Promise.resolve(new ArrayBuffer(8)) };
const reports: Promise<InitReport>[] = [core.init(sources), inline.init(), browser.init(), worker.init(), node.init(sources)];
// @ts-expect-error the core entry has no module of its own: init() needs one
core.init();
// @ts-expect-error alpha is a number
lazy({ alpha: '1.5', beta: 0.5 });
function describe(error: unknown): string {
  return error instanceof ParameterError ? error.parameter : String(error);
}
export { loss, csv, ready, fromEntries, reports, describe };
`;

const CJS_PROGRAM = `
import scaling = require('scaling-dynamics');
import node = require('scaling-dynamics/node');
import type { LazyResult, InitReport } from 'scaling-dynamics';

const result: LazyResult = scaling.lazy({ alpha: 1.5, beta: 0.5 });
const same: LazyResult = node.lazy({ alpha: 1.5, beta: 0.5 });
const ready: Promise<InitReport> = scaling.init();
// @ts-expect-error alpha is a number
scaling.lazy({ alpha: '1.5', beta: 0.5 });
export = { result, same, ready, csv: scaling.toCSV(result) };
`;

const WRONG_ESM = `
import { lazy, notAnExport } from 'scaling-dynamics';
lazy({ alpha: '1.5', beta: 0.5 });
notAnExport();
`;

const WRONG_CJS = `
import scaling = require('scaling-dynamics');
scaling.lazy({ alpha: '1.5', beta: 0.5 });
scaling.notAnExport();
`;

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'scaling-dynamics-types-'));
  mkdirSync(join(project, 'node_modules'));
  const installed = join(inject('consumerDirectory'), 'node_modules', 'scaling-dynamics');
  symlinkSync(installed, join(project, 'node_modules', 'scaling-dynamics'), 'junction');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'types-consumer', private: true, type: 'module' }));
  writeFileSync(join(project, 'esm.ts'), ESM_PROGRAM);
  writeFileSync(join(project, 'cjs.cts'), CJS_PROGRAM);
  writeFileSync(join(project, 'wrong.ts'), WRONG_ESM);
  writeFileSync(join(project, 'wrong.cts'), WRONG_CJS);
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/**
 * Runs tsc --noEmit --strict on `files` in the consumer project and returns its diagnostics as
 * `file line code`. Declaration files are checked (no skipLibCheck), except TypeScript's own libs.
 */
async function typeErrors(options: string[], files: string[]): Promise<string[]> {
  const args = [tsc, '--noEmit', '--strict', '--skipDefaultLibCheck', '--target', 'ES2022', '--pretty', 'false', ...options, ...files];
  let output = '';
  try {
    output = (await promisify(execFile)(process.execPath, args, { cwd: project, encoding: 'utf8' })).stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    if (!/error TS\d+/.test(output)) throw error;
  }
  return output.split('\n').filter((line) => /error TS\d+/.test(line))
    .map((line) => /^(\S+)\((\d+),\d+\): error (TS\d+)/.exec(line)?.slice(1).join(' ') ?? line).sort();
}

/** The errors wrong.ts and wrong.cts must raise, and nothing else anywhere. */
const WRONG_ESM_ERRORS = [
  'wrong.ts 2 TS2305', // no such export
  'wrong.ts 3 TS2322', // alpha: '1.5'
];
const WRONG_CJS_ERRORS = [
  'wrong.cts 3 TS2322', // alpha: '1.5'
  'wrong.cts 4 TS2339', // no such export
];

/**
 * A Node project without the DOM: lib ES2022, globals from @types/node (this repository's) only.
 * (With the DOM as well, TypeScript's default, there is only more to find names in.)
 */
const NODE = ['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--lib', 'ES2022', '--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node'];
/**
 * A page built by a bundler: the DOM, and no @types/node (the declarations must not need it; the
 * temporary project has no node_modules/@types to include automatically).
 */
const BUNDLER = ['--module', 'ESNext', '--moduleResolution', 'Bundler', '--lib', 'ES2022,DOM'];

describe.concurrent('type declarations of the installed package', () => {
  test('moduleResolution NodeNext: ESM imports of every entry, CommonJS require, wrong usage caught', async () => {
    expect(await typeErrors(NODE, ['esm.ts', 'cjs.cts', 'wrong.ts', 'wrong.cts'])).toEqual([...WRONG_CJS_ERRORS, ...WRONG_ESM_ERRORS]);
  });

  test('moduleResolution Bundler (DOM, no @types/node): every entry, wrong usage caught', async () => {
    expect(await typeErrors(BUNDLER, ['esm.ts', 'wrong.ts'])).toEqual(WRONG_ESM_ERRORS);
  });
});
