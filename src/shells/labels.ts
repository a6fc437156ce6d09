// Logarithmic spectral shells (spec spectral-shells.md §4): shell s(lambda) = floor(log_B(lambda_ref /
// lambda)), so shell s is (lambda_ref B^(-s-1), lambda_ref B^(-s)] and s = 0 is the top shell.
// Reconstruction [R] of Zhang, arXiv:2512.10427; the base B and reference stay fixed for a run.

/**
 * Shell index of `eigenvalue` for base `base` (> 1) and reference `reference` (> 0). Eigenvalues
 * above the reference get negative indices. Boundaries belong to the upper shell's interval end:
 * lambda = lambda_ref B^-s is in shell s.
 */
export function shellIndex(eigenvalue: number, reference: number, base: number): number {
  const position = Math.log(reference / eigenvalue) / Math.log(base);
  const index = Math.floor(position);
  // lambda exactly on a boundary lambda_ref B^-s (position an integer up to rounding) is in shell s.
  return Math.abs(position - Math.round(position)) < 1e-12 ? Math.round(position) : index;
}
