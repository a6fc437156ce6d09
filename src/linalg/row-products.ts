// Row-by-row inner products, the dense O(n^3) step besides the eigensolver in the evolving-operator
// solver (spec spectral-shells.md §9(ii).3 and .5): eigenvector overlaps between recorded times and
// the modal derivative U Mdot U^T. Same summation order as assembly/eigen.ts (rowProducts).

/**
 * Two-lane inner product of `count` entries of `left` at `leftOffset` and `right` at `rightOffset`:
 * even and odd indices summed separately, the lanes added, then the odd leftover term (the order
 * of the f64x2 kernel, so every engine gives the same bits).
 */
export function laneDot(left: Float64Array, leftOffset: number, right: Float64Array, rightOffset: number, count: number): number {
  const even = count & ~1;
  let lane0 = 0;
  let lane1 = 0;
  for (let k = 0; k < even; k += 2) {
    lane0 += left[leftOffset + k] * right[rightOffset + k];
    lane1 += left[leftOffset + k + 1] * right[rightOffset + k + 1];
  }
  let sum = lane0 + lane1;
  if (count & 1) sum += left[leftOffset + even] * right[rightOffset + even];
  return sum;
}

/**
 * out[i * rightRows + j] = (row i of `left`) . (row j of `right`), rows of length `length`:
 * out = left right^T. `out` must not alias the inputs.
 */
export function rowProducts(
  left: Float64Array, leftRows: number, right: Float64Array, rightRows: number, length: number, out: Float64Array,
): void {
  for (let i = 0; i < leftRows; i++) {
    const leftOffset = i * length;
    const outOffset = i * rightRows;
    for (let j = 0; j < rightRows; j++) out[outOffset + j] = laneDot(left, leftOffset, right, j * length, length);
  }
}
