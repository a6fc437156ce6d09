// Maximum-weight assignment (the Hungarian method of Kuhn 1955 and Munkres 1957, in the O(n^3)
// shortest-augmenting-path form with row and column potentials, Jonker-Volgenant style). Used
// to track eigenvector identities through eigenvalue crossings by maximum overlap (spec
// spectral-shells.md §9(ii).3).

/**
 * Assignment of rows to columns maximising sum_i weights[i * n + assignment[i]] over all
 * permutations, for a square n x n row-major weight matrix of finite numbers. O(n^3) time, O(n)
 * extra memory besides the result.
 *
 * @returns assignment[i] = the column given to row i (a permutation of 0..n-1).
 * @example maximumWeightAssignment(Float64Array.of(1, 5, 4, 2), 2) // Int32Array [1, 0]
 */
export function maximumWeightAssignment(weights: Float64Array, n: number): Int32Array {
  // Minimise cost = -weight. Rows and columns are 1-based below; index 0 is the virtual start.
  const rowPotential = new Float64Array(n + 1);
  const columnPotential = new Float64Array(n + 1);
  const rowOfColumn = new Int32Array(n + 1); // 0 = unassigned
  const way = new Int32Array(n + 1);
  const minimum = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let row = 1; row <= n; row++) {
    rowOfColumn[0] = row;
    let column0 = 0;
    minimum.fill(Infinity);
    used.fill(0);
    do {
      used[column0] = 1;
      const row0 = rowOfColumn[column0];
      let delta = Infinity;
      let column1 = 0;
      for (let column = 1; column <= n; column++) {
        if (used[column]) continue;
        const reduced = -weights[(row0 - 1) * n + column - 1] - rowPotential[row0] - columnPotential[column];
        if (reduced < minimum[column]) {
          minimum[column] = reduced;
          way[column] = column0;
        }
        if (minimum[column] < delta) {
          delta = minimum[column];
          column1 = column;
        }
      }
      for (let column = 0; column <= n; column++) {
        if (used[column]) {
          rowPotential[rowOfColumn[column]] += delta;
          columnPotential[column] -= delta;
        } else {
          minimum[column] -= delta;
        }
      }
      column0 = column1;
    } while (rowOfColumn[column0] !== 0);
    do {
      const previous = way[column0];
      rowOfColumn[column0] = rowOfColumn[previous];
      column0 = previous;
    } while (column0 !== 0);
  }
  const assignment = new Int32Array(n);
  for (let column = 1; column <= n; column++) assignment[rowOfColumn[column] - 1] = column - 1;
  return assignment;
}
