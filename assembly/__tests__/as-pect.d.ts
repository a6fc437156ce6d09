// Editor types for the specs (as-pect's globals); not compiled (asc skips .d.ts files).
/// <reference types="@as-pect/assembly/types/as-pect" />

/** Defined by mode/simd.include.ts or mode/scalar.include.ts, chosen by the as-pect config. */
declare function expectedSimd(): bool;
