// Runs the built CLI (`node dist/cli.js`, from `npm run build`) for the CLI tests, asynchronously
// so that several processes can run at once.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Exit status and output of one CLI run. */
export interface Run { status: number | null; stdout: string; stderr: string }

/** Runs the CLI with `args`. */
export function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed with --json and returns the parsed object. */
export async function json(...args: string[]): Promise<Record<string, any>> {
  const run = await cli(...args, '--json');
  expect(run.stderr, `stderr of ${args.join(' ')}`).toBe('');
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines.length, 'one JSON object on one line').toBe(1);
  return JSON.parse(lines[0]);
}
