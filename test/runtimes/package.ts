// Shared by the runtime tests: where the packed package is installed, README snippets, and the
// reference numbers every runtime must reproduce (computed here in Node from the same tarball).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** The consumer project (test/global-setup.ts) holding node_modules/scaling-dynamics. */
export function consumerDirectory(): string {
  return inject('consumerDirectory');
}

/** The installed package folder. */
export function installedPackage(): string {
  return join(consumerDirectory(), 'node_modules', 'scaling-dynamics');
}

/**
 * The code block that follows `<!-- snippet:NAME -->` in README.md: the README's copy-paste
 * examples are exactly what the runtime tests execute.
 */
export function readmeSnippet(name: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const marker = `<!-- snippet:${name} -->`;
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(start + marker.length));
  if (!match) throw new Error(`no code block after ${marker}`);
  return match[1];
}

/** Options of the curve every runtime computes; its JSON is what the snippets print. */
export const REFERENCE_OPTIONS = { alpha: 1.5, beta: 0.5, modes: Infinity, optimizer: 'sgd', learningRate: 0.5, batchSize: 4, times: [0, 10, 100, 1000] } as const;

/** Largest relative difference between two arrays of numbers. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.abs(b[i]);
    worst = Math.max(worst, scale === 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / scale);
  }
  return Number.isNaN(worst) ? Infinity : worst;
}
