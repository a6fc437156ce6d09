// Mode sums of the DMFT solver (spec dmft-random-features.md §5, §10 steps 2-4) over a compressed
// mode set: eigenvalues lambda_i, multiplicities m_i, aggregated target powers p_i (caller-owned
// f64 arrays). Complex numbers are (re, im) f64 pairs. The scalar loops are the ones of
// src/engine/dmft-kernels.ts (the TypeScript twin); the SIMD build sums two modes per f64x2 lane
// and adds the lanes at the end. Nothing here allocates.

/**
 * Newton's method for kappa at complex z: g = kappa - z - (kappa/P) sum m lambda/(lambda + kappa),
 * g' = 1 - (1/P) sum m lambda^2/(lambda + kappa)^2, from (startRe, startIm); stops when
 * |step| < 1e-14 |kappa|, or when steps below 1e-10 |kappa| stop halving (round-off floor). Writes kappa to out[0], out[1]; returns the iterations used or -1.
 */
export function dmftNewton(eigenvalues: usize, multiplicity: usize, count: i32, dataSize: f64,
  zRe: f64, zIm: f64, startRe: f64, startIm: f64, maxIterations: i32, out: usize): i32 {
  let kr = startRe;
  let ki = startIm;
  const inverseP = 1.0 / dataSize;
  let previous: f64 = Infinity;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let s1r: f64 = 0;
    let s1i: f64 = 0;
    let s2r: f64 = 0;
    let s2i: f64 = 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const even = count & ~1;
      const vkr = f64x2.splat(kr);
      const vki = f64x2.splat(ki);
      const one = f64x2.splat(1);
      const two = f64x2.splat(2);
      let a1r = f64x2.splat(0);
      let a1i = f64x2.splat(0);
      let a2r = f64x2.splat(0);
      let a2i = f64x2.splat(0);
      for (; i < even; i += 2) {
        const lambda = v128.load(eigenvalues + (<usize>i << 3));
        const weight = v128.load(multiplicity + (<usize>i << 3));
        const dr = f64x2.add(lambda, vkr);
        const inverse = f64x2.div(one, f64x2.add(f64x2.mul(dr, dr), f64x2.mul(vki, vki)));
        const li = f64x2.mul(lambda, inverse);
        const lqr = f64x2.mul(li, dr);
        const lqi = f64x2.neg(f64x2.mul(li, vki));
        a1r = f64x2.add(a1r, f64x2.mul(weight, lqr));
        a1i = f64x2.add(a1i, f64x2.mul(weight, lqi));
        a2r = f64x2.add(a2r, f64x2.mul(weight, f64x2.sub(f64x2.mul(lqr, lqr), f64x2.mul(lqi, lqi))));
        a2i = f64x2.add(a2i, f64x2.mul(weight, f64x2.mul(two, f64x2.mul(lqr, lqi))));
      }
      s1r = f64x2.extract_lane(a1r, 0) + f64x2.extract_lane(a1r, 1);
      s1i = f64x2.extract_lane(a1i, 0) + f64x2.extract_lane(a1i, 1);
      s2r = f64x2.extract_lane(a2r, 0) + f64x2.extract_lane(a2r, 1);
      s2i = f64x2.extract_lane(a2i, 0) + f64x2.extract_lane(a2i, 1);
    }
    for (; i < count; i++) {
      const lambda = load<f64>(eigenvalues + (<usize>i << 3));
      const weight = load<f64>(multiplicity + (<usize>i << 3));
      const dr = lambda + kr;
      const inverse = 1.0 / (dr * dr + ki * ki);
      const lqr = lambda * dr * inverse;
      const lqi = -lambda * ki * inverse;
      s1r += weight * lqr;
      s1i += weight * lqi;
      s2r += weight * (lqr * lqr - lqi * lqi);
      s2i += weight * 2 * lqr * lqi;
    }
    const gr = kr - zRe - (kr * s1r - ki * s1i) * inverseP;
    const gi = ki - zIm - (kr * s1i + ki * s1r) * inverseP;
    const hr = 1 - s2r * inverseP;
    const hi = -s2i * inverseP;
    const inverse = 1.0 / (hr * hr + hi * hi);
    const stepR = (gr * hr + gi * hi) * inverse;
    const stepI = (gi * hr - gr * hi) * inverse;
    kr -= stepR;
    ki -= stepI;
    if (!isFinite(kr) || !isFinite(ki)) return -1;
    const step = Math.hypot(stepR, stepI);
    const size = Math.hypot(kr, ki);
    // converged; or stagnating at the round-off floor of an ill-conditioned g' (N close to P)
    if (step < 1e-14 * size || (step < 1e-10 * size && step >= 0.5 * previous)) {
      store<f64>(out, kr);
      store<f64>(out, ki, 8);
      return iteration;
    }
    previous = step;
  }
  store<f64>(out, kr);
  store<f64>(out, ki, 8);
  return -1;
}

/**
 * Sums at kappa with q_i = 1/(kappa + lambda_i), each (re, im) into out[2j], out[2j + 1]:
 * j = 0: sum m lambda q; 1: sum m lambda^2 q^2; 2: sum p q; 3: sum p q^2; 4: sum m lambda^2 q.
 */
export function dmftNodeSums(eigenvalues: usize, multiplicity: usize, power: usize, count: i32, kr: f64, ki: f64, out: usize): void {
  let a0: f64 = 0, a1: f64 = 0, b0: f64 = 0, b1: f64 = 0, c0: f64 = 0, c1: f64 = 0, d0: f64 = 0, d1: f64 = 0, e0: f64 = 0, e1: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const even = count & ~1;
    const vkr = f64x2.splat(kr);
    const vki = f64x2.splat(ki);
    const one = f64x2.splat(1);
    const two = f64x2.splat(2);
    let va0 = f64x2.splat(0), va1 = f64x2.splat(0), vb0 = f64x2.splat(0), vb1 = f64x2.splat(0), vc0 = f64x2.splat(0);
    let vc1 = f64x2.splat(0), vd0 = f64x2.splat(0), vd1 = f64x2.splat(0), ve0 = f64x2.splat(0), ve1 = f64x2.splat(0);
    for (; i < even; i += 2) {
      const lambda = v128.load(eigenvalues + (<usize>i << 3));
      const weight = v128.load(multiplicity + (<usize>i << 3));
      const p = v128.load(power + (<usize>i << 3));
      const dr = f64x2.add(lambda, vkr);
      const inverse = f64x2.div(one, f64x2.add(f64x2.mul(dr, dr), f64x2.mul(vki, vki)));
      const qr = f64x2.mul(dr, inverse);
      const qi = f64x2.neg(f64x2.mul(vki, inverse));
      const q2r = f64x2.sub(f64x2.mul(qr, qr), f64x2.mul(qi, qi));
      const q2i = f64x2.mul(two, f64x2.mul(qr, qi));
      const ml = f64x2.mul(weight, lambda);
      const ml2 = f64x2.mul(ml, lambda);
      va0 = f64x2.add(va0, f64x2.mul(ml, qr)); va1 = f64x2.add(va1, f64x2.mul(ml, qi));
      vb0 = f64x2.add(vb0, f64x2.mul(ml2, q2r)); vb1 = f64x2.add(vb1, f64x2.mul(ml2, q2i));
      vc0 = f64x2.add(vc0, f64x2.mul(p, qr)); vc1 = f64x2.add(vc1, f64x2.mul(p, qi));
      vd0 = f64x2.add(vd0, f64x2.mul(p, q2r)); vd1 = f64x2.add(vd1, f64x2.mul(p, q2i));
      ve0 = f64x2.add(ve0, f64x2.mul(ml2, qr)); ve1 = f64x2.add(ve1, f64x2.mul(ml2, qi));
    }
    a0 = f64x2.extract_lane(va0, 0) + f64x2.extract_lane(va0, 1); a1 = f64x2.extract_lane(va1, 0) + f64x2.extract_lane(va1, 1);
    b0 = f64x2.extract_lane(vb0, 0) + f64x2.extract_lane(vb0, 1); b1 = f64x2.extract_lane(vb1, 0) + f64x2.extract_lane(vb1, 1);
    c0 = f64x2.extract_lane(vc0, 0) + f64x2.extract_lane(vc0, 1); c1 = f64x2.extract_lane(vc1, 0) + f64x2.extract_lane(vc1, 1);
    d0 = f64x2.extract_lane(vd0, 0) + f64x2.extract_lane(vd0, 1); d1 = f64x2.extract_lane(vd1, 0) + f64x2.extract_lane(vd1, 1);
    e0 = f64x2.extract_lane(ve0, 0) + f64x2.extract_lane(ve0, 1); e1 = f64x2.extract_lane(ve1, 0) + f64x2.extract_lane(ve1, 1);
  }
  for (; i < count; i++) {
    const lambda = load<f64>(eigenvalues + (<usize>i << 3));
    const weight = load<f64>(multiplicity + (<usize>i << 3));
    const p = load<f64>(power + (<usize>i << 3));
    const dr = lambda + kr;
    const inverse = 1.0 / (dr * dr + ki * ki);
    const qr = dr * inverse;
    const qi = -ki * inverse;
    const q2r = qr * qr - qi * qi;
    const q2i = 2 * qr * qi;
    const ml = weight * lambda;
    const ml2 = ml * lambda;
    a0 += ml * qr; a1 += ml * qi;
    b0 += ml2 * q2r; b1 += ml2 * q2i;
    c0 += p * qr; c1 += p * qi;
    d0 += p * q2r; d1 += p * q2i;
    e0 += ml2 * qr; e1 += ml2 * qi;
  }
  store<f64>(out, a0); store<f64>(out, a1, 8);
  store<f64>(out, b0, 16); store<f64>(out, b1, 24);
  store<f64>(out, c0, 32); store<f64>(out, c1, 40);
  store<f64>(out, d0, 48); store<f64>(out, d1, 56);
  store<f64>(out, e0, 64); store<f64>(out, e1, 72);
}

/** Direct two-point sums at kappas a, b: out = [sum p q_a q_b (re, im), sum m lambda^2 q_a q_b (re, im)]. */
export function dmftPairSums(eigenvalues: usize, multiplicity: usize, power: usize, count: i32,
  ar: f64, ai: f64, br: f64, bi: f64, out: usize): void {
  let p0: f64 = 0, p1: f64 = 0, l0: f64 = 0, l1: f64 = 0;
  for (let i = 0; i < count; i++) {
    const lambda = load<f64>(eigenvalues + (<usize>i << 3));
    const xr = lambda + ar;
    const yr = lambda + br;
    const denominatorR = xr * yr - ai * bi;
    const denominatorI = xr * bi + ai * yr;
    const inverse = 1.0 / (denominatorR * denominatorR + denominatorI * denominatorI);
    const qr = denominatorR * inverse;
    const qi = -denominatorI * inverse;
    const p = load<f64>(power + (<usize>i << 3));
    const ml2 = load<f64>(multiplicity + (<usize>i << 3)) * lambda * lambda;
    p0 += p * qr; p1 += p * qi;
    l0 += ml2 * qr; l1 += ml2 * qi;
  }
  store<f64>(out, p0); store<f64>(out, p1, 8); store<f64>(out, l0, 16); store<f64>(out, l1, 24);
}

/**
 * sum_i p_i f_i^2 with f_i = Re sum_j c_j / (kappa_j + lambda_i) (per-mode Talbot inversion of the
 * bias filter), for `nodes` complex coefficients c and kappas stored interleaved (re, im).
 */
export function dmftBiasSum(eigenvalues: usize, power: usize, count: i32, nodes: i32, coefficients: usize, kappas: usize): f64 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const even = count & ~1;
    let vtotal = f64x2.splat(0);
    for (; i < even; i += 2) {
      const lambda = v128.load(eigenvalues + (<usize>i << 3));
      let f = f64x2.splat(0);
      for (let j = 0; j < nodes; j++) {
        const at = <usize>j << 4;
        const dr = f64x2.add(lambda, f64x2.splat(load<f64>(kappas + at)));
        const di = f64x2.splat(load<f64>(kappas + at, 8));
        const numerator = f64x2.add(f64x2.mul(f64x2.splat(load<f64>(coefficients + at)), dr), f64x2.mul(f64x2.splat(load<f64>(coefficients + at, 8)), di));
        f = f64x2.add(f, f64x2.div(numerator, f64x2.add(f64x2.mul(dr, dr), f64x2.mul(di, di))));
      }
      vtotal = f64x2.add(vtotal, f64x2.mul(v128.load(power + (<usize>i << 3)), f64x2.mul(f, f)));
    }
    total = f64x2.extract_lane(vtotal, 0) + f64x2.extract_lane(vtotal, 1);
  }
  for (; i < count; i++) {
    const lambda = load<f64>(eigenvalues + (<usize>i << 3));
    let f: f64 = 0;
    for (let j = 0; j < nodes; j++) {
      const at = <usize>j << 4;
      const dr = lambda + load<f64>(kappas + at);
      const di = load<f64>(kappas + at, 8);
      f += (load<f64>(coefficients + at) * dr + load<f64>(coefficients + at, 8) * di) / (dr * dr + di * di);
    }
    total += load<f64>(power + (<usize>i << 3)) * f * f;
  }
  return total;
}
