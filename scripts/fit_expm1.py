#!/usr/bin/env python3
"""Fits the polynomial q of the vectorized exp/expm1 in csrc/cpu/vec_kernels.inc.

On |r| <= ln(2)/2, expm1(r) ~ r + r^2 q(r) with q of degree 4. The fit minimises the
maximum relative error of expm1 by iteratively reweighted least squares (Lawson's
algorithm) on a dense grid, then rounds the coefficients to float32 and reports the
relative error of exp and expm1 evaluated in float32 the way the kernel evaluates them.
Needs numpy only; not part of npm test.

    python3 scripts/fit_expm1.py
"""
import numpy as np

DEGREE = 4
half_ln2 = np.log(2) / 2
r = np.linspace(-half_ln2, half_ln2, 20001)
r = r[r != 0]
target = (np.expm1(r) - r) / r**2          # what q must approximate
weight = np.abs(r**2 / np.expm1(r))          # turns q's error into expm1's relative error
V = np.vander(r, DEGREE + 1, increasing=True)
lawson = np.ones_like(r)
for _ in range(200):
    c = np.linalg.lstsq(V * (weight * lawson)[:, None], target * weight * lawson, rcond=None)[0]
    err = (V @ c - target) * weight
    lawson *= np.abs(err) ** 0.3 + 1e-30
    lawson /= lawson.mean()

c32 = c.astype(np.float32)
rr = r.astype(np.float32)
q = np.float32(c32[-1])
for k in range(DEGREE - 1, -1, -1):
    q = q * rr + c32[k]
em1 = q * rr * rr + rr
ex = em1 + np.float32(1)
exact = np.exp(rr.astype(np.float64))
print("fit: max relative error of expm1 %.3g (float64 evaluation)" % np.max(np.abs(err)))
print("float32 evaluation: exp %.3g, expm1 %.3g (half an ulp is %.3g)" % (
    np.max(np.abs(ex - exact) / exact),
    np.max(np.abs(em1 - np.expm1(rr.astype(np.float64))) / np.abs(np.expm1(rr.astype(np.float64)))),
    2.0**-24))
print("coefficients, q(r) = c0 + c1 r + ...:")
for k, v in enumerate(c32):
    print("  c%d = %.10e" % (k, v))
