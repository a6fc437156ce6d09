// The package's seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) on 32-bit
// integers, seeded through splitmix32, with standard normals by the Box-Muller transform on
// 53-bit uniforms. Integer arithmetic via Math.imul makes the stream identical in every
// JavaScript runtime for the same seed.

/** A seeded generator of uniforms and standard normals. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(seed: number) {
    let state = seed >>> 0 ^ Math.floor(seed / 2 ** 32) >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotate(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotate(this.s3, 11);
    return result;
  }

  /** Uniform on (0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low + 0.5) / 9007199254740992;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const value = this.spare;
      this.spare = NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = TWO_PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /**
   * Writes `count` values scale[k] * normal() to `target`, k cycling over scale (unit scale when
   * absent, k restarting at 0 each call): exactly the values of `count` successive normal() calls,
   * with the generator state in locals — several times faster for the large fills of the
   * simulators (test/feature-learning/simulate.test.ts checks it against normal() bit for bit).
   */
  fillNormals(target: Float64Array, count: number, scale?: Float64Array): void {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const columns = scale ? scale.length : 1;
    let k = 0;
    let index = 0;
    if (!Number.isNaN(this.spare) && count > 0) {
      target[0] = scale ? scale[0] * this.spare : this.spare;
      this.spare = NaN;
      index = 1;
      k = 1 % columns;
    }
    while (index < count) {
      // four 32-bit outputs of xoshiro128** (as nextUint32) -> two 53-bit uniforms (as uniform)
      let x = Math.imul(s1, 5);
      const r0 = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      x = Math.imul(s1, 5);
      const r1 = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      x = Math.imul(s1, 5);
      const r2 = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      x = Math.imul(s1, 5);
      const r3 = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      const u1 = ((r0 >>> 5) * 67108864 + (r1 >>> 6) + 0.5) / 9007199254740992;
      const u2 = ((r2 >>> 5) * 67108864 + (r3 >>> 6) + 0.5) / 9007199254740992;
      const radius = Math.sqrt(-2 * Math.log(u1));
      const angle = TWO_PI * u2;
      const first = radius * Math.cos(angle);
      const second = radius * Math.sin(angle);
      target[index++] = scale ? scale[k] * first : first;
      if (++k === columns) k = 0;
      if (index < count) {
        target[index++] = scale ? scale[k] * second : second;
        if (++k === columns) k = 0;
      } else {
        this.spare = second;
      }
    }
    this.s0 = s0 >>> 0; this.s1 = s1 >>> 0; this.s2 = s2 >>> 0; this.s3 = s3 >>> 0;
  }
}

const TWO_PI = 2 * Math.PI;

function rotate(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
