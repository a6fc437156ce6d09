// The hidden-unit (N) side of the discrete-time feature-learning DMFT (spec feature-learning.md
// §4.2 (ii), shared by the online §4.2 and data-reuse §4.3 solvers), filled one row per step in
// causal order (§4.2 (iii)):
//   W(t, .)   = W(t-1, .) + eta e_{t-1} + eta^2 gamma sum_{u<t-1} C_h(t-1, u) W(u, .)   [W = eta (I - eta^2 gamma S D_h)^-1 S]
//   C_w(t, .) = W(t, .) C_h W^T;        R_0(t, s) = W(t, s) + eta gamma C_w(s, t), s < t
//   R_z(t, .) = sum_{u<t} R_0(t, u) Y(u, .)                                             [R_z = R_0 Y, the FULL response]
//   Y(t, .)   = e_t + sum_{u<=t} R_g(t, u) R_z(u, .)                                     [Y = (I - R_g R_0)^-1]
//   C_h(t, .) = Y(t, .) C_g Y^T                                                           [C_h = Y C_g Y^T]
// N = Infinity: R_g = 0, Y = I, C_h = C_g. gamma = 0: W = R_0 = eta S (C_w, C_h unused).
// All matrices are steps x steps, row-major; symmetric ones are stored in full.

/** Row t of A C A^T into the symmetric `out` (rows/columns 0..t), A lower triangular (strictly when `strict`). */
export function sandwichRow(n: number, t: number, a: Float64Array, c: Float64Array, out: Float64Array, strict: boolean, work: Float64Array): void {
  const length = strict ? t : t + 1;
  const row = t * n;
  for (let b = 0; b < length; b++) work[b] = dot(c, b * n, a, row, length);
  for (let s = 0; s <= t; s++) {
    const value = dot(a, s * n, work, 0, strict ? s : s + 1);
    out[row + s] = value;
    out[s * n + t] = value;
  }
}

/** Plain dot product of `count` entries. */
export function dot(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += a[aOffset + i] * b[bOffset + i];
  return sum;
}

/** The N-side kernels of one solve. */
export class HiddenUnits {
  /** W: w = W h (strictly lower). */
  readonly W: Float64Array;
  /** C_w = W C_h W^T (rich only). */
  readonly Cw?: Float64Array;
  /** R_z = R_0 Y, the full response of z to a field on h (strictly lower). */
  readonly Rz: Float64Array;
  /** Y = (I - R_g R_0)^-1 (finite N only; unit lower). */
  readonly Y?: Float64Array;
  /** R_g, the reaction kernel (finite N only; lower). */
  readonly Rg?: Float64Array;
  /** C_g, the source correlation (filled by the caller, row by row). */
  readonly Cg: Float64Array;
  /** C_h = Y C_g Y^T (rich only; C_g itself when N = Infinity). */
  readonly Ch?: Float64Array;
  private readonly R0: Float64Array;
  private readonly work: Float64Array;
  private readonly rich: boolean;

  constructor(private readonly n: number, private readonly eta: number, private readonly gamma: number, finiteWidth: boolean) {
    this.rich = gamma > 0;
    this.W = new Float64Array(n * n);
    this.Rz = new Float64Array(n * n);
    this.Cg = new Float64Array(n * n);
    if (this.rich) this.Cw = new Float64Array(n * n);
    if (finiteWidth) {
      this.Y = new Float64Array(n * n);
      this.Rg = new Float64Array(n * n);
    }
    this.Ch = this.rich ? (finiteWidth ? new Float64Array(n * n) : this.Cg) : undefined;
    this.R0 = new Float64Array(n);
    this.work = new Float64Array(n);
  }

  /** Rows t of W, C_w, R_0 and R_z (needs rows < t of C_h, Y). */
  response(t: number): void {
    const { n, eta, gamma, W, Rz, Y, R0 } = this;
    const row = t * n;
    if (t > 0) {
      const previous = (t - 1) * n;
      for (let s = 0; s < t - 1; s++) W[row + s] = W[previous + s];
      W[row + t - 1] = eta;
      if (this.rich) {
        const factor = eta * eta * gamma;
        const ch = this.Ch as Float64Array;
        for (let u = 1; u < t - 1; u++) {
          const c = factor * ch[previous + u];
          if (c === 0) continue;
          const source = u * n;
          for (let s = 0; s < u; s++) W[row + s] += c * W[source + s];
        }
      }
    }
    if (this.rich) {
      const cw = this.Cw as Float64Array;
      sandwichRow(n, t, W, this.Ch as Float64Array, cw, true, this.work);
      for (let s = 0; s < t; s++) R0[s] = W[row + s] + eta * gamma * cw[s * n + t];
    } else {
      for (let s = 0; s < t; s++) R0[s] = W[row + s];
    }
    for (let u = 0; u < t; u++) {
      const c = R0[u];
      if (c === 0) continue;
      if (Y) {
        const source = u * n;
        for (let s = 0; s <= u; s++) Rz[row + s] += c * Y[source + s];
      } else {
        Rz[row + u] += c;
      }
    }
  }

  /** Row t of C_z = R_z C_g R_z^T into `out` (needs rows < t of C_g). */
  sourceCorrelation(t: number, out: Float64Array): void {
    sandwichRow(this.n, t, this.Rz, this.Cg, out, true, this.work);
  }

  /** Rows t of Y and C_h, given rows <= t of C_g and row t of R_g (written by the caller into Rg). */
  close(t: number): void {
    const { n, Y, Rg, Rz } = this;
    if (!Y || !Rg) return;
    const row = t * n;
    Y[row + t] = 1;
    for (let u = 1; u <= t; u++) {
      const c = Rg[row + u];
      const source = u * n;
      for (let s = 0; s < u; s++) Y[row + s] += c * Rz[source + s];
    }
    if (this.rich) sandwichRow(n, t, Y, this.Cg, this.Ch as Float64Array, false, this.work);
  }
}
