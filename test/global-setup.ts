// Runs once before the test files: packs the built package (npm pack, as a user would get it) and
// installs the tarball into a temporary consumer project, offline. Runtime tests
// (test/runtimes/) import `scaling-dynamics` from there, never from the source tree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder of the consumer project with the packed package in node_modules/scaling-dynamics. */
    consumerDirectory: string;
    /** Path of the tarball npm pack made. */
    tarball: string;
  }
}

export default function setup(project: TestProject) {
  // Development shortcut for running single test files without a built dist/: the runtime tests
  // then fail, every other test is unaffected. npm test and CI never set it.
  if (process.env.SCALING_DYNAMICS_SKIP_PACK) {
    project.provide('consumerDirectory', '');
    project.provide('tarball', '');
    return () => {};
  }
  const root = resolve(import.meta.dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'scaling-dynamics-package-'));
  // The npm beside this node: node_modules/.bin holds an old npm (a dependency of @as-pect/cli)
  // that would win on PATH inside npm scripts.
  const npm = join(dirname(process.execPath), process.platform === 'win32' ? 'npm.cmd' : 'npm');
  try {
    execFileSync(npm, ['pack', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`npm pack failed: ${String((error as { stderr?: Buffer }).stderr)}`);
  }
  const tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz')) as string);
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: consumer, stdio: ['ignore', 'ignore', 'inherit'] });
  project.provide('consumerDirectory', consumer);
  project.provide('tarball', tarball);
  return () => rmSync(work, { recursive: true, force: true });
}
