// Gauss-Legendre rules on [-1, 1], computed once by Newton's method on the Legendre
// recurrence (Golub-Welsch would need an eigensolver; Newton from Tricomi's initial guesses
// converges to machine precision in a few steps for the orders used here).

const cache = new Map<number, { nodes: Float64Array; weights: Float64Array }>();

/** Nodes and weights of the `order`-point Gauss-Legendre rule on [-1, 1]. */
export function gaussLegendre(order: number): { nodes: Float64Array; weights: Float64Array } {
  const cached = cache.get(order);
  if (cached) return cached;
  const nodes = new Float64Array(order);
  const weights = new Float64Array(order);
  for (let i = 0; i < order; i++) {
    let x = Math.cos(Math.PI * (i + 0.75) / (order + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let n = 2; n <= order; n++) {
        const p2 = ((2 * n - 1) * x * p1 - (n - 1) * p0) / n;
        p0 = p1;
        p1 = p2;
      }
      derivative = order * (x * p1 - p0) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[order - 1 - i] = x;
    weights[order - 1 - i] = 2 / ((1 - x * x) * derivative * derivative);
  }
  const rule = { nodes, weights };
  cache.set(order, rule);
  return rule;
}
