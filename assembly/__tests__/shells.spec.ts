// Internals of the shell kernels (assembly/shells.ts): segment sums against direct loops over
// segments of every parity and offset, across SUM_BLOCK, with static and per-row layouts; the
// logarithmic mean's special cases and its accuracy near x = y; the exponential step rule's
// exactness for exponential decay (including underflow). Runs in both builds (SIMD and scalar).
import { shellSums, shellStepDissipation, logarithmicMean } from "../shells";
import { allocF64, allocI32, at, put, putI32, relativeError } from "./buffers";

describe("shellSums", () => {
  test("matches direct loops for segments of odd/even length and offset, across SUM_BLOCK, empty ones included", () => {
    const modes = 2100;
    const shells = 6;
    const rows = 2;
    const eigenvalues = allocF64(modes);
    const logs = allocF64(modes);
    const energies = allocF64(modes * rows);
    const starts = allocI32(shells + 1);
    // segments: [0,1) [1,1) [1,514) [514,1030) [1030,1031) [1031,2100)
    const edges: i32[] = [0, 1, 1, 514, 1030, 1031, 2100];
    for (let s = 0; s <= shells; s++) putI32(starts, s, edges[s]);
    for (let i = 0; i < modes; i++) {
      const eigenvalue = Math.pow(<f64>(i + 1), -1.5);
      put(eigenvalues, i, eigenvalue);
      put(logs, i, Math.log(eigenvalue));
      for (let r = 0; r < rows; r++) put(energies, r * modes + i, Math.pow(<f64>(i + 1), -2.0) * Math.exp(-2.0 * eigenvalue * <f64>(r * 10)));
    }
    const energyOut = allocF64(rows * shells);
    const dissipationOut = allocF64(rows * shells);
    const logOut = allocF64(rows * shells);
    shellSums(eigenvalues, logs, 0, energies, modes, starts, 0, shells, rows, energyOut, dissipationOut, logOut);
    for (let r = 0; r < rows; r++) {
      for (let s = 0; s < shells; s++) {
        let energy: f64 = 0, dissipation: f64 = 0, moment: f64 = 0;
        for (let k = edges[s]; k < edges[s + 1]; k++) {
          const value = at(energies, r * modes + k);
          energy += value;
          dissipation += 2 * at(eigenvalues, k) * value;
          moment += 2 * at(eigenvalues, k) * value * at(logs, k);
        }
        // positive terms summed in another order: a few ulp
        expect<f64>(relativeError(at(energyOut, r * shells + s), energy)).toBeLessThan(1e-14);
        expect<f64>(relativeError(at(dissipationOut, r * shells + s), dissipation)).toBeLessThan(1e-14);
        expect<f64>(relativeError(at(logOut, r * shells + s), moment)).toBeLessThan(1e-14);
      }
    }
    expect<f64>(at(energyOut, 1)).toBe(0.0); // empty segment
    heap.free(eigenvalues); heap.free(logs); heap.free(energies); heap.free(starts);
    heap.free(energyOut); heap.free(dissipationOut); heap.free(logOut);
  });

  test("uses per-row eigenvalues and segments with strides", () => {
    const modes = 3;
    const shells = 2;
    const eigenvalues = allocF64(6);
    const logs = allocF64(6);
    const energies = allocF64(6);
    const starts = allocI32(6);
    const values: f64[] = [0.9, 0.3, 0.2, 0.45, 0.3, 0.2];
    for (let i = 0; i < 6; i++) {
      put(eigenvalues, i, values[i]);
      put(logs, i, Math.log(values[i]));
      put(energies, i, 1.0);
    }
    putI32(starts, 0, 0); putI32(starts, 1, 1); putI32(starts, 2, 3); // row 0: shell 0 holds mode 0
    putI32(starts, 3, 0); putI32(starts, 4, 0); putI32(starts, 5, 3); // row 1: shell 0 empty
    const energyOut = allocF64(4);
    const dissipationOut = allocF64(4);
    const logOut = allocF64(4);
    shellSums(eigenvalues, logs, modes, energies, modes, starts, shells + 1, shells, 2, energyOut, dissipationOut, logOut);
    expect<f64>(at(energyOut, 0)).toBe(1.0);
    expect<f64>(at(energyOut, 1)).toBe(2.0);
    expect<f64>(at(energyOut, 2)).toBe(0.0);
    expect<f64>(at(energyOut, 3)).toBe(3.0);
    expect<f64>(at(dissipationOut, 3)).toBe(2 * (0.45 + 0.3 + 0.2));
    heap.free(eigenvalues); heap.free(logs); heap.free(energies); heap.free(starts);
    heap.free(energyOut); heap.free(dissipationOut); heap.free(logOut);
  });
});

describe("logarithmicMean", () => {
  test("special cases: zero, equal arguments, symmetry", () => {
    expect<f64>(logarithmicMean(0, 1)).toBe(0.0);
    expect<f64>(logarithmicMean(1, 0)).toBe(0.0);
    expect<f64>(logarithmicMean(2.5, 2.5)).toBe(2.5);
    expect<f64>(relativeError(logarithmicMean(1, 3), logarithmicMean(3, 1))).toBeLessThan(1e-15);
    expect<f64>(relativeError(logarithmicMean(1, Math.E), Math.E - 1)).toBeLessThan(1e-15);
  });

  test("near x = y: (x+y)/2 - (x-y)^2/(12 (x+y)/2) to 1e-15 (no cancellation)", () => {
    for (let k = 1; k <= 12; k++) {
      const h = Math.pow(10, -<f64>k);
      const got = logarithmicMean(1 - h, 1 + h);
      // L(1-h, 1+h) = 2h / ln((1+h)/(1-h)) = 1 - h^2/3 - 4h^4/45 - ...
      const expected = 1 - h * h / 3 - 4 * h * h * h * h / 45;
      expect<f64>(relativeError(got, expected)).toBeLessThan(k >= 3 ? 1e-15 : 1e-5); // next term 44 h^6 / 945: 5e-14 at h = 0.01
    }
  });

  test("far apart, without underflow of the ratio", () => {
    const got = logarithmicMean(1, 1e-300);
    expect<f64>(relativeError(got, (1 - 1e-300) / (300 * Math.LN10))).toBeLessThan(1e-14);
  });
});

describe("shellStepDissipation", () => {
  test("integrates exponentially decaying modes exactly: int 2 lambda a^2 dt = a^2(0) - a^2(h)", () => {
    const modes = 5;
    const eigenvalues = allocF64(modes);
    const before = allocF64(modes);
    const after = allocF64(modes);
    const starts = allocI32(2);
    const out = allocF64(1);
    putI32(starts, 0, 0); putI32(starts, 1, modes);
    const h = 3.0;
    let lost: f64 = 0;
    for (let i = 0; i < modes; i++) {
      const eigenvalue = Math.pow(10, -<f64>i); // lambda h from 3 to 3e-4; mode 0 decays by e^-6
      put(eigenvalues, i, eigenvalue);
      put(before, i, 1.0 + <f64>i);
      put(after, i, (1.0 + <f64>i) * Math.exp(-2 * eigenvalue * h));
      lost += at(before, i) - at(after, i);
    }
    shellStepDissipation(eigenvalues, before, after, starts, 1, h, out);
    expect<f64>(relativeError(at(out, 0), lost)).toBeLessThan(1e-14);
    // energy underflowed to 0: the whole energy counts as dissipated
    put(after, 0, 0.0);
    shellStepDissipation(eigenvalues, before, after, starts, 1, h, out);
    let expected: f64 = 1.0;
    for (let i = 1; i < modes; i++) expected += at(before, i) - at(after, i);
    expect<f64>(relativeError(at(out, 0), expected)).toBeLessThan(1e-14);
    heap.free(eigenvalues); heap.free(before); heap.free(after); heap.free(starts); heap.free(out);
  });
});
