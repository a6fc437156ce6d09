// The dense linear-algebra kernels of the evolving-operator solver (spec spectral-shells.md
// §9(ii)): the symmetric eigensolver and row products, dispatched on the engine. WebAssembly
// engines run assembly/eigen.ts over an Arena (blocks allocated, views made, freed in finally);
// the js engine runs the same loops from src/linalg/ (bit-identical results).
import { EngineError } from '../errors.js';
import { rowProducts as rowProductsTs } from '../linalg/row-products.js';
import { symmetricEigen as symmetricEigenTs } from '../linalg/symmetric-eigen.js';
import type { Engine } from './types.js';
import { Arena, type SolverExports } from './wasm.js';

/** The exports of assembly/eigen.ts (exported from assembly/index.ts). */
interface EigenExports extends SolverExports {
  symmetricEigen(matrix: number, n: number, eigenvalues: number, work: number): number;
  rowProducts(left: number, leftRows: number, right: number, rightRows: number, length: number, out: number): void;
}

/** Dense kernels on one engine. */
export interface EigenKernels {
  /**
   * Eigendecomposition of the symmetric n x n row-major `matrix` (upper triangle, column >= row, read): on return
   * row i of `matrix` is the unit eigenvector u_i and `eigenvalues` is descending. Throws an
   * EngineError if the QL iteration does not converge.
   */
  decompose(matrix: Float64Array, n: number, eigenvalues: Float64Array): void;
  /** out = left right^T for row-major `left` (leftRows x length) and `right` (rightRows x length). */
  rowProducts(left: Float64Array, leftRows: number, right: Float64Array, rightRows: number, length: number, out: Float64Array): void;
}

function notConverged(n: number): EngineError {
  return new EngineError(`symmetric eigensolver: QL iteration did not converge for a ${n} x ${n} matrix (non-finite entries?)`);
}

/** The TypeScript kernels (the js engine, and the reference the WebAssembly kernels are tested against). */
export const typescriptEigenKernels: EigenKernels = {
  decompose(matrix, n, eigenvalues) {
    if (symmetricEigenTs(matrix, n, eigenvalues, new Float64Array(n)) !== 0) throw notConverged(n);
  },
  rowProducts: rowProductsTs,
};

function wasmEigenKernels(exports: EigenExports): EigenKernels {
  return {
    decompose(matrix, n, eigenvalues) {
      const arena = new Arena(exports);
      try {
        const matrixBlock = arena.allocate(n * n);
        const eigenvaluesBlock = arena.allocate(n);
        const workBlock = arena.allocate(n);
        arena.view(matrixBlock).set(matrix.subarray(0, n * n));
        const status = exports.symmetricEigen(matrixBlock.pointer, n, eigenvaluesBlock.pointer, workBlock.pointer);
        if (status !== 0) throw notConverged(n);
        matrix.set(arena.view(matrixBlock));
        eigenvalues.set(arena.view(eigenvaluesBlock));
      } finally {
        arena.release();
      }
    },
    rowProducts(left, leftRows, right, rightRows, length, out) {
      const arena = new Arena(exports);
      try {
        const leftBlock = arena.allocate(leftRows * length);
        const rightBlock = arena.allocate(rightRows * length);
        const outBlock = arena.allocate(leftRows * rightRows);
        arena.view(leftBlock).set(left.subarray(0, leftRows * length));
        arena.view(rightBlock).set(right.subarray(0, rightRows * length));
        exports.rowProducts(leftBlock.pointer, leftRows, rightBlock.pointer, rightRows, length, outBlock.pointer);
        out.set(arena.view(outBlock));
      } finally {
        arena.release();
      }
    },
  };
}

/** The dense kernels of `engine`: WebAssembly when it has raw exports, TypeScript otherwise. */
export function eigenKernels(engine: Engine): EigenKernels {
  const exports = engine.exports as EigenExports | undefined;
  if (exports && typeof exports.symmetricEigen === 'function') return wasmEigenKernels(exports);
  return typescriptEigenKernels;
}
