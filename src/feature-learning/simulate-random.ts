// Bulk standard normals for simulateFeatureLearning(): exactly the stream of src/random.ts
// (xoshiro128** seeded by splitmix32, Box-Muller on 53-bit uniforms, the sine of each pair kept
// for the next draw) with the state in locals and no per-number method calls. Generating the
// N x M projection and the batches dominates the simulator's cost at large M, so this matters;
// test/feature-learning/simulate.test.ts checks the stream against Random bit for bit.

const TWO_PI = 2 * Math.PI;

/** The normal stream of `new Random(seed)`, drawn in bulk. */
export class NormalStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    // as the Random constructor: splitmix32 from the low and high words of the seed
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

  /**
   * Writes rows x scale.length values scale[k] * normal to `target` in row-major order (scale
   * undefined: unit scale, `columns` values per row).
   */
  fill(target: Float64Array, count: number, scale?: Float64Array): void {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const columns = scale ? scale.length : 1;
    let k = 0;
    let index = 0;
    if (this.hasSpare && count > 0) {
      target[0] = scale ? scale[0] * this.spare : this.spare;
      this.hasSpare = false;
      index = 1;
      k = 1 % columns;
    }
    while (index < count) {
      // four 32-bit outputs of xoshiro128** -> two 53-bit uniforms
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
        this.hasSpare = true;
      }
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
  }
}
