"""Near-minimax polynomial for e^r on |r| <= ln2/2 (Chebyshev fit, mpmath at 60 digits), for
assembly/vexp.ts. Prints the coefficients as doubles (lowest degree first) and the fit's maximum
relative error with the coefficients rounded to double (evaluation rounding excluded).
Usage: python3 scripts/fit-exp-polynomial.py DEGREE"""
import sys
import mpmath

mpmath.mp.dps = 60
degree = int(sys.argv[1]) if len(sys.argv) > 1 else 11
half = mpmath.log(2) / 2
coefficients, _ = mpmath.chebyfit(mpmath.exp, [-half, half], degree + 1, error=True)
coefficients = [float(c) for c in reversed(coefficients)]  # lowest degree first, rounded to double
worst = mpmath.mpf(0)
for i in range(20001):
    r = -half + 2 * half * i / 20000
    p = mpmath.mpf(0)
    for c in reversed(coefficients):
        p = p * r + mpmath.mpf(c)
    worst = max(worst, abs(p / mpmath.exp(r) - 1))
for index, value in enumerate(coefficients):
    print(f"  {value!r}, // c{index}  ({value.hex()})")
print(f"max relative error of the rounded polynomial: {mpmath.nstr(worst, 3)} = {mpmath.nstr(worst / mpmath.mpf(2)**-53, 3)} ulp")
