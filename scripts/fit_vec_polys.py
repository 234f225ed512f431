#!/usr/bin/env python3
"""Fits the polynomials of the vectorized float32 transcendentals in csrc/cpu/vec_kernels.inc.

Each kernel reduces its argument to a small interval and evaluates a fixed part exactly
plus a polynomial correction p:
  expm1(r) ~ r + r^2 p(r)          |r| <= ln(2)/2, p of degree 4
  log1p(f) ~ f - f^2/2 + f^3 p(f)  f in [sqrt(1/2) - 1, sqrt(2) - 1], p of degree 7
  sin(r)   ~ r + r^3 p(r^2)        |r| <= pi/4, p of degree 2
  cos(r)   ~ 1 - r^2/2 + r^4 p(r^2) |r| <= pi/4, p of degree 2
  erf(x)   ~ x + x p(x^2)           |x| < 0.84375, p of degree 5
  erf(x)   ~ 1 - exp(p(x))          0.84375 <= x <= 3.92 (erf rounds to 1 past it), p of degree 7
  tan(r)   ~ r + r^3 p(r^2)        |r| <= 0.83 (pi/4 and the reduction's slack), p of degree 6
  atan(t)  ~ t + t^3 p(t^2)        |t| <= 1, p of degree 8 (atan and atan2)
  asin(s)  ~ s + s^3 p(s^2)        |s| <= 1/2, p of degree 4
  sinh(x)  ~ x + x^3 p(x^2)        |x| < 1, p of degree 3
  atanh(x) ~ x + x^3 p(x^2)        |x| < 0.5, p of degree 5
  asinh(x) ~ x + x^3 p(x^2)        |x| < 0.5, p of degree 4
  erfc(x)  ~ e^(-x^2) P(x) / Q(x)  0 <= x <= 10.06, P and Q of degrees 5 and 6, in float64
  e^r      ~ p(r)                  |r| <= ln(2)/2 (erfc's exponential), p of degree 7, in float64
  log2(m)  ~ s p(s^2)              s = (m - 1)/(m + 1), m in [sqrt(1/2), sqrt(2)) (pow's log), p of
                                   degree 5, in float64
  erfinv(y) ~ C y + y p(y^2)       |y| < 0.7, C = float32(sqrt(pi) / 2), p of degree 10
  erfinv(y) ~ t (15/16 + p(z))     0.7 <= |y| < 1, t = sqrt(-log(1 - y^2)), z = t - 19/8, p of
                                   degree 16
  gelu's w(x) ~ x p(x^2)           |x| <= 3.5, w = -logit(Phi(x)) / ln(2), p of degree 9 (8 for
                                   comparison: too coarse)
  a e^(a^2/2) Phi(-a) ~ p(1/a^2)   3.5 <= a <= 14.5 (gelu's tails), p of degree 6
  2^f      ~ 1 + f p(f)            |f| <= 1/2 (gelu), p of degree 5
The fit minimises the maximum relative error of the whole function by iteratively
reweighted least squares (Lawson's algorithm) on a dense grid, then rounds the coefficients
to float32 (erfinv's one at a time, refitting the rest) and reports the relative error of the
function evaluated in float32 the way the kernel evaluates it (Horner, then the fixed part);
erfc's and pow's are float64 and evaluated so. The kernels' ulp bounds are measured over every float32
input by scripts/vec_ulp_exhaustive.cc and sampled by test/transcendentals.test.ts. Needs numpy
only; not part of npm test.

    python3 scripts/fit_vec_polys.py
"""
import math

import numpy as np

f32 = np.float32


def lawson(t, target, weight, degree):
    """Coefficients c (lowest first) minimising max |(sum c_k t^k - target) * weight|."""
    V = np.vander(t, degree + 1, increasing=True)
    w = np.ones_like(t)
    for _ in range(200):
        c = np.linalg.lstsq(V * (weight * w)[:, None], target * weight * w, rcond=None)[0]
        err = (V @ c - target) * weight
        w *= np.abs(err) ** 0.3 + 1e-30
        w /= w.mean()
    return c, np.max(np.abs(err))


def horner32(c, t):
    p = f32(c[-1]) + np.zeros_like(t)
    for k in range(len(c) - 2, -1, -1):
        p = p * t + f32(c[k])
    return p


def report(name, c, fit_err, x, approx32, exact):
    c32 = c.astype(np.float32)
    print("%s: fit max relative error %.3g; float32 evaluation %.3g (half an ulp is %.3g)" % (
        name, fit_err, np.max(np.abs(approx32 - exact) / np.abs(exact)), 2.0**-24))
    for k, v in enumerate(c32):
        print("  c%d = %.10e" % (k, v))


def grid(lo, hi):
    x = np.linspace(lo, hi, 20001)
    return x[x != 0]


# expm1
r = grid(-np.log(2) / 2, np.log(2) / 2)
c, e = lawson(r, (np.expm1(r) - r) / r**2, np.abs(r**2 / np.expm1(r)), 4)
rr = r.astype(np.float32)
report("expm1", c, e, rr, horner32(c.astype(np.float32), rr) * rr * rr + rr, np.expm1(rr.astype(np.float64)))

# log1p on the mantissa interval of log
f = grid(np.sqrt(0.5) - 1, np.sqrt(2) - 1)
c, e = lawson(f, (np.log1p(f) - f + f**2 / 2) / f**3, np.abs(f**3 / np.log1p(f)), 7)
ff = f.astype(np.float32)
approx = horner32(c.astype(np.float32), ff) * ff * ff * ff - f32(0.5) * ff * ff + ff
report("log1p", c, e, ff, approx, np.log1p(ff.astype(np.float64)))

# sin and cos, as polynomials in r^2
r = grid(0, np.pi / 4)
c, e = lawson(r**2, (np.sin(r) - r) / r**3, np.abs(r**3 / np.sin(r)), 2)
rr = r.astype(np.float32)
u = rr * rr
report("sin", c, e, rr, horner32(c.astype(np.float32), u) * u * rr + rr, np.sin(rr.astype(np.float64)))
c, e = lawson(r**2, (np.cos(r) - 1 + r**2 / 2) / r**4, np.abs(r**4 / np.cos(r)), 2)
report("cos", c, e, rr, horner32(c.astype(np.float32), u) * u * u - f32(0.5) * u + f32(1), np.cos(rr.astype(np.float64)))

# erf: near 0 as x + x p(x^2) (p = erf(x)/x - 1, so the last step is one FMA with x); beyond,
# erf = 1 - erfc with log(erfc(x)) as a polynomial in x, weighted so the error is erf's own.
erf, erfc = np.vectorize(math.erf), np.vectorize(math.erfc)
ERF_SPLIT = 0.84375
x = grid(0, ERF_SPLIT)
c, e = lawson(x**2, erf(x) / x - 1, x / erf(x), 5)
xx = x.astype(np.float32)
u = xx * xx
report("erf, |x| < %g" % ERF_SPLIT, c, e, xx, xx * horner32(c.astype(np.float32), u) + xx, erf(xx.astype(np.float64)))
x = np.linspace(ERF_SPLIT, 3.92, 20001)
c, e = lawson(x, np.log(erfc(x)), erfc(x) / erf(x), 7)
xx = x.astype(np.float32)
approx = np.float32(1) - np.exp(horner32(c.astype(np.float32), xx).astype(np.float64)).astype(np.float32)
report("erf, |x| >= %g" % ERF_SPLIT, c, e, xx, approx, erf(xx.astype(np.float64)))


# The odd functions near 0 as x + x^3 p(x^2), evaluated as x (x^2 p(x^2)) + x (one FMA with x
# last, so tiny x and -0 come back unchanged). The interval is [0, hi] if closed, else [0, hi).
def odd(name, fn, hi, degree, closed=False):
    x = grid(0, hi)
    if not closed:
        x = x[x < hi]
    c, e = lawson(x**2, (fn(x) / x - 1) / x**2, x**3 / fn(x), degree)
    xx = x.astype(np.float32)
    u = xx * xx
    report("%s, |x| %s %g" % (name, "<=" if closed else "<", hi), c, e, xx, xx * (horner32(c.astype(np.float32), u) * u) + xx, fn(xx.astype(np.float64)))


# tan's reduced argument reaches past pi/4: n is rounded from x times float(2/pi), which is off by
# up to 2.6e-8 x, so |r| <= (1/2 + 0.026) pi/2 < 0.83 up to the kernels' kTrigMax = 1e6.
odd("tan", np.tan, 0.83, 6, closed=True)
odd("atan", np.arctan, 1.0, 8, closed=True)
odd("asin", np.arcsin, 0.5, 4, closed=True)
odd("sinh", np.sinh, 1.0, 3)
odd("atanh", np.arctanh, 0.5, 5)
odd("asinh", np.arcsinh, 0.5, 4)


# erfc in float64 (Note [erfc]): erfc(x) = e^(-x^2) R(x) for x in [0, 10.06] (erfc(x) rounds to 0
# in float32 past 10.0542), R = P / Q, Q(0) = 1, fitted in Chebyshev polynomials of x (better
# conditioned than powers) and returned as powers of x; e^r on |r| <= ln(2)/2 (and a little
# slack) as a polynomial. Both for least maximum relative error.
def rational_lawson(x, target, weight, m, n, lo, hi):
    """P (degree m) and Q (degree n, Q(0) = 1), coefficients of powers of x lowest first,
    minimising max |(P / Q - target) * weight| by Lawson's reweighting of P - target Q."""
    s = (2 * x - (lo + hi)) / (hi - lo)
    Vp = np.polynomial.chebyshev.chebvander(s, m)
    Vq = np.polynomial.chebyshev.chebvander(s, n)[:, 1:]
    w, q, best = np.ones_like(x), np.ones_like(x), None
    for _ in range(400):
        wt = weight * w / np.abs(q)
        A = np.hstack([Vp, -target[:, None] * Vq]) * wt[:, None]
        c = np.linalg.lstsq(A, target * wt, rcond=None)[0]
        p, q = Vp @ c[:m + 1], 1 + Vq @ c[m + 1:]
        err = (p / q - target) * weight
        if best is None or np.max(np.abs(err)) < best[0]:
            best = (np.max(np.abs(err)), c)
        w *= np.abs(err) ** 0.5 + 1e-300
        w /= w.mean()
    e, c = best
    sub = np.polynomial.Polynomial([-(lo + hi) / (hi - lo), 2 / (hi - lo)])
    P = np.polynomial.Chebyshev(c[:m + 1])(sub).coef
    Q = np.polynomial.Chebyshev(np.concatenate([[1.0], c[m + 1:]]))(sub).coef
    return P / Q[0], Q / Q[0], e


def horner64(c, t):
    p = c[-1] + np.zeros_like(t)
    for k in range(len(c) - 2, -1, -1):
        p = p * t + c[k]
    return p


ERFC_MAX = 10.06
k = np.arange(6000)
x = np.sort(ERFC_MAX / 2 * (1 - np.cos(np.pi * (k + 0.5) / 6000)))
R = erfc(x) * np.exp(x * x)
P, Q, e_pq = rational_lawson(x, R, 1 / R, 5, 6, 0, ERFC_MAX)
r = np.linspace(-0.35, 0.35, 20001)
ce, e_exp = lawson(r, np.exp(r), np.exp(-r), 7)
xs = np.linspace(0, ERFC_MAX, 1000001).astype(np.float32).astype(np.float64)
n = np.round(-xs * xs / np.log(2))
approx = horner64(ce, -xs * xs - n * np.log(2)) * 2.0**n * horner64(P, xs) / horner64(Q, xs)
print("erfc = e^-x^2 P/Q: fit max relative error %.3g (P/Q), %.3g (e^r); float64 evaluation %.3g"
      % (e_pq, e_exp, np.max(np.abs(approx / erfc(xs) - 1))))
for name, c in (("P", P), ("Q", Q), ("exp", ce)):
    print("  %s: %s" % (name, ", ".join("%.17g" % v for v in c)))


# pow's log2 in float64 (Note [pow]): log2(m) = 2 atanh(s) / ln(2) = s P(s^2), s = (m - 1) / (m + 1)
# for m in [sqrt(1/2), sqrt(2)), so |s| <= (sqrt(2) - 1) / (sqrt(2) + 1). Fitted in u / u_max (better
# conditioned than u) at Chebyshev nodes, then scaled back to powers of u.
S_MAX = (np.sqrt(2) - 1) / (np.sqrt(2) + 1)
k = np.arange(4000)
v = np.sort(0.5 * (1 - np.cos(np.pi * (k + 0.5) / 4000)))
s = np.sqrt(v) * S_MAX
target = 2 * np.arctanh(s) / (s * np.log(2))
c, e = lawson(v, target, 1 / target, 5)
c = c / S_MAX ** (2 * np.arange(6))
s = np.linspace(-S_MAX, S_MAX, 200001)
s = s[s != 0]
print("log2 = s P(s^2): fit max relative error %.3g; float64 evaluation %.3g"
      % (e, np.max(np.abs(s * horner64(c, s * s) / (2 * np.arctanh(s) / np.log(2)) - 1))))
print("  P: %s" % ", ".join("%.17g" % v for v in c))


# erfinv: the float64 inverse of erf by Halley steps (on erfc beyond 1/2, where erf(x) - y would
# cancel), from a rough start; y >= 0, d = 1 - y (given, for y near 1, where 1 - y rounds).
def erfinv(y, d=None):
    d = 1 - y if d is None else d
    x = np.where(y < 0.7, y * (0.886 + 0.232 * y * y), np.sqrt(-np.log(d * (1 + y))) * 0.93)
    for _ in range(8):
        q = np.where(y < 0.5, erf(x) - y, d - erfc(x)) / (2 / np.sqrt(np.pi) * np.exp(-x * x))
        x = x - q / (1 + x * q)  # Halley: erf'' / erf' = -2x
    return x


def fma32(a, b, c):
    return (a.astype(np.float64) * b + c).astype(np.float32)


def horner32_fma(c, t):
    p = f32(c[-1]) + np.zeros_like(t)
    for k in range(len(c) - 2, -1, -1):
        p = fma32(p, t, f32(c[k]))
    return p


def lawson_float32(t, target, weight, degree):
    """As lawson, but with float32 coefficients: each is rounded in turn, from c0 up, and the
    ones above it refitted (rounding all at once left erfinv's fits 6 and 9 times worse)."""
    V = np.vander(t, degree + 1, increasing=True)
    c = []
    while len(c) <= degree:
        k = len(c)
        rest = target - V[:, :k] @ np.array(c, dtype=np.float64)
        w = np.ones_like(t)
        for _ in range(200):
            ck = np.linalg.lstsq(V[:, k:] * (weight * w)[:, None], rest * weight * w, rcond=None)[0]
            err = (V[:, k:] @ ck - rest) * weight
            w *= np.abs(err) ** 0.3 + 1e-30
            w /= w.mean()
        c.append(f32(ck[0]))
    c = np.array(c, dtype=np.float64)
    return c, np.max(np.abs((V @ c - target) * weight))


# Near 0: erfinv(y) = C y + y p(y^2) with C = float32(sqrt(pi) / 2) (so C y is exact within one
# FMA and p(0), about -2.7e-8, is fine-grained: y + y (C - 1 + ...) left a quantized C - 1 off by
# up to 0.06 ulp); without FMA the kernel splits C and y in 12-bit halves instead.
ERFINV_SPLIT = 0.7
ERFINV_C = f32(np.sqrt(np.pi) / 2)
y = np.linspace(0, ERFINV_SPLIT, 20001)[1:]
Fy = erfinv(y)
c, e = lawson_float32(y * y, Fy / y - np.float64(ERFINV_C), y / Fy, 10)
yy = y.astype(np.float32)
approx = fma32(yy, ERFINV_C, yy * horner32_fma(c.astype(np.float32), yy * yy))
report("erfinv, |y| < %g (C = %.10e)" % (ERFINV_SPLIT, ERFINV_C), c, e, yy, approx, erfinv(yy.astype(np.float64)))
# Beyond: t = sqrt(w), w = -log((1 - y)(1 + y)), and erfinv(y) = t (15/16 + p(z)) with z = t - 19/8
# (exact for t >= 1). Sampled in t, with y and 1 - y from it. Also erfinv's derivative in t as a
# quadratic in z, for the correction t_lo erfinv'(t) by the root's low part.
AMAX = 1 - 2.0**-24
t0, t1 = (np.sqrt(-np.log((1 - v) * (1 + v))) for v in (ERFINV_SPLIT, AMAX))
t = np.linspace(t0, t1, 20001)
y = np.sqrt(-np.expm1(-t * t))
Ft = erfinv(y, np.exp(-t * t) / (1 + y))
z = t - 2.375
c, e = lawson_float32(z, Ft / t - 15 / 16, t / Ft, 16)
tt = t.astype(np.float32)
g = horner32_fma(c.astype(np.float32), tt - f32(2.375))
lead = tt - tt / 16  # the kernel's t 15/16 + t p(z): lead + ((tt - lead) - tt / 16) is t 15/16
approx = lead + fma32(tt, g, (tt - lead) - tt / 16)
t64 = tt.astype(np.float64)
y64 = np.sqrt(-np.expm1(-t64 * t64))
report("erfinv, |y| >= %g" % ERFINV_SPLIT, c, e, tt, approx, erfinv(y64, np.exp(-t64 * t64) / (1 + y64)))
dF = np.sqrt(np.pi) / 2 * np.exp(Ft * Ft) * t * np.exp(-t * t) / y  # erfinv'(y) dy/dt
c, e = lawson(z, dF, np.ones_like(z), 2)
print("erfinv'(t) as a quadratic in z: max error %.3g" % e)
for k, v in enumerate(c.astype(np.float32)):
    print("  c%d = %.10e" % (k, v))


# gelu (Note [gelu]): gelu(x) = x Phi(x) = x / (1 + 2^w) with w = -logit(Phi(x)) / ln(2), odd, so
# w = x H(x^2) for |x| <= GELU_TAIL, H of degree 9 in u = x^2 (fitted in u / GELU_TAIL^2). w's error
# reaches gelu's relative error times ln(2) (1 - Phi(x)): in full for x < 0, damped for x > 0; the
# fit weighs it so. Beyond (the tails): gelu(x) = x - a Phi(-a) for x > 0 and -a Phi(-a) for x < 0,
# a = |x|, with a Phi(-a) = e^(-a^2/2) P(1/a^2), P of degree 6 (a e^(a^2/2) Phi(-a), which tends
# to 1/sqrt(2 pi)) on [GELU_TAIL, 14.5] (gelu rounds to -0 past -14.5). And 2^f on |f| <= 1/2 as
# 1 + f p(f), p of degree 5, evaluated by Horner's rule to the last FMA.
GELU_TAIL = 3.5
phi_neg = lambda a: 0.5 * erfc(a / np.sqrt(2))
a = np.linspace(1e-4, GELU_TAIL, 40001)
w_exact = (np.log(phi_neg(a)) - np.log(1 - phi_neg(a))) / np.log(2)
for deg in (8, 9):  # the kernel's is 9
    c, e = lawson_float32(a * a / GELU_TAIL**2, w_exact / a, np.log(2) * a * (1 - phi_neg(a)), deg)
    c = c / GELU_TAIL ** (2 * np.arange(len(c)))
    print("gelu: w = x H(x^2), H of degree %d, to within %.3g of gelu's relative error (half an ulp is %.3g)"
          % (deg, e, 2.0**-24))
    for k, v in enumerate(c.astype(np.float32)):
        print("  c%d = %.10e" % (k, v))
a = np.linspace(GELU_TAIL, 14.5, 20001)
target = a * np.exp(a * a / 2) * phi_neg(a)
c, e = lawson_float32(1 / (a * a), target, 1 / target, 6)
print("gelu tails: a e^(a^2/2) Phi(-a) = P(1/a^2), max relative error %.3g" % e)
for k, v in enumerate(c.astype(np.float32)):
    print("  c%d = %.10e" % (k, v))
f = grid(-0.5, 0.5)
c, e = lawson_float32(f, np.expm1(f * np.log(2)) / f, f / np.exp2(f), 5)
print("2^f = 1 + f p(f): max relative error %.3g" % e)
for k, v in enumerate(c.astype(np.float32)):
    print("  c%d = %.10e" % (k, v))
