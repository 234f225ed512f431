"""Writes test/fixtures/elementwise.json: forward values (and a few gradients) of the
elementwise family computed by PyTorch. Run with a Python that has torch:
    /work/main/bench/.venv/bin/python scripts/fixtures_elementwise.py
CI never runs this; the JSON is committed. NaN and infinities are written as strings.
It runs itself once more with ATEN_CPU_CAPABILITY=default for the ternary cases' outDefault."""
import json, math, os, subprocess, sys, tempfile
import torch
import torch.nn.functional as F

torch.manual_seed(0)
X = [-2.5, -1.2, -0.5, 0.0, 0.3, 0.9, 1.7, 3.5]
U = [-0.9, -0.5, -0.1, 0.0, 0.2, 0.6, 0.95]   # inside (-1, 1)
P = [0.1, 0.5, 1.0, 2.5, 10.0]                # positive
A = [[-2.5, 1.5, 0.7], [3.0, -0.25, -4.0]]
B = [1.5, -2.0, 0.6]
IA = [[7, -7, 5], [-5, 0, 9]]
IB = [2, -3, 4]
SPECIAL = [float('nan'), float('inf'), float('-inf'), -1.5, 0.0, 2.0]


def enc(v):
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return 'nan'
        if math.isinf(v):
            return 'inf' if v > 0 else '-inf'
    return v


def pack(t):
    return {'data': enc(t.tolist()), 'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape)}


def T(data, dtype=torch.float64):
    return torch.tensor(data, dtype=dtype)


cases = []


def case(name, fn, *inputs, grad=False):
    ins = [x.clone() for x in inputs]
    if grad:
        ins = [x.requires_grad_() if x.is_floating_point() else x for x in ins]
    out = fn(*ins)
    entry = {'name': name, 'inputs': [pack(x.detach()) for x in ins]}
    if isinstance(out, torch.Tensor):
        entry['out'] = pack(out.detach())
        if grad:
            entry['gradFn'] = out.grad_fn.name()
            diff = [x for x in ins if x.requires_grad]
            gs = torch.autograd.grad(out.sum(), diff, allow_unused=True)
            entry['grads'] = [pack(g) if g is not None else None for g in gs]
    else:
        entry['value'] = out
    cases.append(entry)


# lerp, addcmul and addcdiv bit for bit (csrc/cpu/vec_ternary.inc, Note [Ternary roundings]):
# random float32 and float64 operands, 21 elements (vector bodies and tails at every width) laid
# out contiguous, with the first operand transposed (stored [7, 3], used as its .t()), or with
# the last broadcast along rows ([3, 1] against [3, 7]). `out` is PyTorch's value at its AVX2
# and AVX-512 capabilities (which agree), `outDefault` at DEFAULT (tensorgrad's baseline level).
def ternary_out(spec, ins):
    a, b, c = ins if len(ins) == 3 else (*ins, None)
    if spec['layout'] == 'strided':
        a = a.t()
    if spec['op'] == 'lerp':
        return torch.lerp(a, b, c if c is not None else spec['number'])
    return (torch.addcmul if spec['op'] == 'addcmul' else torch.addcdiv)(a, b, c, value=spec['number'])


if len(sys.argv) == 3 and sys.argv[1] == '--ternary-outputs':  # the child run at ATEN_CPU_CAPABILITY=default
    jobs = torch.load(sys.argv[2])
    torch.save([ternary_out(spec, ins).contiguous() for spec, ins in jobs], sys.argv[2])
    sys.exit(0)

x, u, p = T(X), T(U), T(P)
for name, fn, inp in [
    ('exp2', torch.exp2, x), ('expm1', torch.expm1, x), ('log2', torch.log2, p), ('log10', torch.log10, p),
    ('log1p', torch.log1p, p), ('rsqrt', torch.rsqrt, p), ('tan', torch.tan, u), ('asin', torch.asin, u),
    ('acos', torch.acos, u), ('atan', torch.atan, x), ('sinh', torch.sinh, x), ('cosh', torch.cosh, x),
    ('asinh', torch.asinh, x), ('acosh', torch.acosh, T([1.0, 1.5, 3.0, 10.0])), ('atanh', torch.atanh, u),
    ('erf', torch.erf, x), ('erfc', torch.erfc, x), ('erfinv', torch.erfinv, u), ('frac', torch.frac, x),
    ('logSigmoid', F.logsigmoid, x), ('relu6', F.relu6, T([-1.0, 0.5, 6.0, 7.5])),
    ('leakyRelu', F.leaky_relu, x), ('leakyRelu(0.2)', lambda t: F.leaky_relu(t, 0.2), x),
    ('elu', F.elu, x), ('elu(0.5)', lambda t: F.elu(t, 0.5), x), ('selu', F.selu, x), ('celu', F.celu, x),
    ('celu(2)', lambda t: F.celu(t, 2.0), x), ('gelu', F.gelu, x), ('gelu(tanh)', lambda t: F.gelu(t, approximate='tanh'), x),
    ('silu', F.silu, x), ('mish', F.mish, x), ('softplus', F.softplus, x),
    ('softplus(2,1)', lambda t: F.softplus(t, beta=2, threshold=1), x), ('softsign', F.softsign, x),
    ('hardtanh', F.hardtanh, x), ('hardtanh(-0.5,2)', lambda t: F.hardtanh(t, -0.5, 2.0), x),
    ('hardsigmoid', F.hardsigmoid, T([-4.0, -3.0, -1.0, 0.0, 2.0, 3.0, 5.0])),
    ('hardswish', F.hardswish, T([-4.0, -3.0, -1.0, 0.0, 2.0, 3.0, 5.0])),
    ('round(2)', lambda t: torch.round(t, decimals=2), T([1.2345, -2.675, 0.125, 1234.5678])),
    ('round(-1)', lambda t: torch.round(t, decimals=-1), T([15.0, 25.0, -36.0, 1234.5])),
    ('logit', torch.logit, T([0.1, 0.3, 0.5, 0.9])), ('logit(0.2)', lambda t: torch.logit(t, 0.2), T([0.1, 0.3, 0.5, 0.9])),
]:
    case(name, fn, inp, grad=True)

case('nanToNum', torch.nan_to_num, T(SPECIAL))
case('nanToNum(float32)', torch.nan_to_num, T(SPECIAL, torch.float32))
case('nanToNum(1,2,3)', lambda t: torch.nan_to_num(t, 1.0, 2.0, -3.0), T(SPECIAL))
# nanToNum in the vector kernels, float32 and float64, 42 elements (so vector bodies and scalar
# tails see every special at each width), contiguous and transposed (the strided loop): default
# and custom replacements, NaN and infinities as replacements, and a posinf float32 cannot hold
# (it rounds to inf, as PyTorch casts it). `nanToNum` holds the options (tensorgrad's names are
# PyTorch's); test/helpers/nan_to_num_levels.js compares each case bit for bit at every SIMD level.
NTN_X = (X + SPECIAL + [-0.0, 3e38, -3e38, 1e-40, 5e-324, -1e300, 1e300]) * 2
for dt, tag in [(torch.float32, 'float32'), (torch.float64, 'float64')]:
    for opts in [{}, {'nan': 1.5, 'posinf': 1e300, 'neginf': -7.0},
                 {'nan': float('nan'), 'posinf': float('-inf'), 'neginf': float('inf')}, {'neginf': -2.0}]:
        for strided in [False, True]:
            x = T(NTN_X, dt)
            name = f"nanToNum({','.join(f'{k}={v}' for k, v in opts.items())}) {tag}{' strided' if strided else ''}"
            if strided:
                case(name, lambda t, o=opts: torch.nan_to_num(t.t(), **o), x.reshape(6, 7))
            else:
                case(name, lambda t, o=opts: torch.nan_to_num(t, **o), x)
            cases[-1]['nanToNum'] = {'opts': enc(opts), 'strided': strided}
case('exp2(int64)', torch.exp2, T([0, 1, 3], torch.int64))
case('erf(float32)', torch.erf, T(X, torch.float32))
case('gelu(float32)', F.gelu, T(X, torch.float32))
case('clamp(tensor)', lambda t, lo, hi: torch.clamp(t, lo, hi), T(A), T([-1.0, 0.0, 1.0]), T([[2.0], [0.5]]), grad=True)
case('clamp(min tensor)', lambda t, lo: torch.clamp(t, min=lo), T(A), T([-1.0, 0.0, 1.0]), grad=True)
# Scalar bounds: inclusive gradient at the bounds, NaN passes through with zero gradient.
case('clamp(min 0)', lambda t: torch.clamp(t, min=0.0), T(X + SPECIAL), grad=True)
case('clamp(-1,1)', lambda t: torch.clamp(t, -1.0, 1.0), T(X + [-1.0, 1.0] + SPECIAL), grad=True)
case('clamp(max 0.5, float32)', lambda t: torch.clamp(t, max=0.5), T(X + [0.5] + SPECIAL, torch.float32), grad=True)
# min(max(x, lo), hi): max everywhere when min > max, NaN everywhere for a NaN bound. 42
# elements, so the float32 vector kernel and its scalar tail both run.
W = (X + SPECIAL) * 3
case('clamp(2,1)', lambda t: torch.clamp(t, 2.0, 1.0), T(W), grad=True)
case('clamp(2,1, float32)', lambda t: torch.clamp(t, 2.0, 1.0), T(W, torch.float32), grad=True)
case('clamp(min nan, float32)', lambda t: torch.clamp(t, min=float('nan')), T(W, torch.float32), grad=True)
case('clamp(max nan)', lambda t: torch.clamp(t, max=float('nan')), T(W), grad=True)
case('clamp(3,-1, int64)', lambda t: torch.clamp(t, 3, -1), T(IA, torch.int64))
# float32 log, sin and cos in the vector kernels; sin and cos hand |x| > 1e6 to libm, and a
# vector here mixes both kinds of lane.
LOG_X = [1.0, 0.5, 2.0, 1e-3, 0.9999, 1.0001, 1e-40, 3e38, 123.456, 0.7071, 1.4142, 0.0, -1.0] + SPECIAL
case('log(float32 wide)', torch.log, T(LOG_X * 3, torch.float32), grad=True)
TRIG_X = X + [0.785, -2.356, 700.5, -3.3e4, 100000.5, 5e5, 2e6, -1e7, 1e-30, -0.0] + SPECIAL
case('sin(float32 wide)', torch.sin, T(TRIG_X * 2, torch.float32), grad=True)
case('cos(float32 wide)', torch.cos, T(TRIG_X * 2, torch.float32), grad=True)
# tan, atan, asin and acos in the vector kernels: tan near its poles and past 1e6 (libm), atan on
# both sides of |x| = 1 and at the ends of the range, asin and acos on both sides of |x| = 1/2,
# at and next to +-1 (where the gradient is infinite), past them (NaN) and at subnormals.
TAN_X = TRIG_X + [1.5707963, -1.5707964, 4.712389, 0.7853982]
case('tan(float32 wide)', torch.tan, T(TAN_X * 2, torch.float32), grad=True)
ATAN_X = X + [1.0, -1.0, 0.99999994, 1.0000001, 2.5e4, -1e10, 3e38, 1e-30, 1e-40, -0.0] + SPECIAL
case('atan(float32 wide)', torch.atan, T(ATAN_X * 2, torch.float32), grad=True)
ASIN_X = U + [0.5, -0.5, 0.50000006, -0.49999997, 0.99999994, 1.0, -1.0, 1e-30, 1e-40, -0.0, 1.0000001, -2.0] + SPECIAL
case('asin(float32 wide)', torch.asin, T(ASIN_X * 2, torch.float32), grad=True)
case('acos(float32 wide)', torch.acos, T(ASIN_X * 2, torch.float32), grad=True)
# erf and the activations on it, in the vector kernels (both erf branches, 40+ elements).
ACT_X = X + [-5.0, -0.84, 0.85, 3.9, 4.5, 1e-20, -0.0] + SPECIAL[:2] + [-1.5, 0.0, 2.0]
case('erf(float32 wide)', torch.erf, T(ACT_X * 3, torch.float32), grad=True)
case('silu(float32)', F.silu, T(ACT_X * 3, torch.float32), grad=True)
# Not inf: PyTorch's vectorized float32 gelu gives NaN there (its scalar and float64 paths,
# and tensorgrad, give inf; test/transcendentals.test.ts checks it).
case('gelu(float32 wide)', F.gelu, T([v for v in ACT_X if v != float('inf')] * 3, torch.float32), grad=True)
case('gelu(tanh, float32)', lambda t: F.gelu(t, approximate='tanh'), T(ACT_X * 3, torch.float32), grad=True)
# expm1, log1p and the activations built on them, in the vector kernels: both sides of each
# select, the clamps' ends, tiny inputs (returned as they are) and the specials, 40+ elements.
EXP_X = ACT_X + [-17.0, -20.0, -88.0, 0.35, -0.35, 0.7, 1e-9, -3e-8, 20.5, 50.0, 88.5, 89.0]
LOG1P_X = [0.0, -0.0, 1e-9, -3e-8, 1e-4, -0.5, -0.9999, -1.0, -1.5, 0.4142, 1.0, 3e5, 3e38] + SPECIAL
case('expm1(float32 wide)', torch.expm1, T(EXP_X * 2, torch.float32), grad=True)
case('log1p(float32 wide)', torch.log1p, T(LOG1P_X * 3, torch.float32), grad=True)
case('log2(float32 wide)', torch.log2, T(LOG_X * 3 + [8.0, 0.125, 2.0 ** -149], torch.float32), grad=True)
case('log10(float32 wide)', torch.log10, T(LOG_X * 3 + [10.0, 1000.0, 0.01], torch.float32), grad=True)
case('exp2(float32 wide)', torch.exp2, T(EXP_X * 2 + [-149.0, -150.0, -151.0, 127.9, 128.0, 3.0, -0.5], torch.float32), grad=True)
for name, fn in [('logSigmoid', F.logsigmoid), ('leakyRelu(0.2)', lambda t: F.leaky_relu(t, 0.2)),
                 ('elu(0.5)', lambda t: F.elu(t, 0.5)), ('selu', F.selu), ('celu(2)', lambda t: F.celu(t, 2.0)),
                 ('mish', F.mish), ('softplus', F.softplus), ('softplus(2,1)', lambda t: F.softplus(t, beta=2, threshold=1))]:
    case(f'{name} float32 wide', fn, T(EXP_X * 2, torch.float32), grad=True)
# sinh, cosh, atanh, asinh and acosh in the vector kernels: both sides of each branch, tiny
# inputs, the edges of the domains (atanh at +-1, acosh at 1 and below), overflow, huge inputs
# and the specials, 40+ elements. Not 88.72 < |x| <= 89.41: PyTorch's float32 sinh and cosh
# give inf there, where exp overflows but they do not yet (tensorgrad, and PyTorch's float64
# path, give the finite value; test/transcendentals.test.ts measures that range).
HYP_X = ACT_X + [-0.99, 0.99, 1.01, -1.0, 0.49, 0.51, 1e-9, -3e-8, 20.0, 88.5, -89.5, 90.0, 2e7, -3e38]
ATANH_X = [0.0, -0.0, 1e-30, -3e-8, 0.3, -0.49, 0.5, -0.51, 0.9, -0.99999994, 1.0, -1.0, 1.0000001, -2.0] + SPECIAL
ACOSH_X = [1.0, 1.0000001, 1.001, 1.5, 2.0, 3.0, 10.0, 1e4, 2e7, 3e38, 0.99999994, 0.5, 0.0, -0.0, -1.0, -3.0, -2896.3] + SPECIAL
for name, fn, xs in [('sinh', torch.sinh, HYP_X), ('cosh', torch.cosh, HYP_X), ('asinh', torch.asinh, HYP_X),
                     ('atanh', torch.atanh, ATANH_X), ('acosh', torch.acosh, ACOSH_X)]:
    case(f'{name} float32 wide', fn, T(xs * 2, torch.float32), grad=True)
# erfc and erfinv in the vector kernels, 40+ elements: erfc on both sides of 0, into its
# subnormal results (from 9.2) and past where it rounds to 0 (10.0542), and where it rounds to 2
# (below -3.74); erfinv on either side of its split at |y| = 0.7, tiny (subnormal too), at and
# next to +-1 (inf, with an infinite gradient), past them (NaN), and the specials.
ERFC_X = ACT_X + [-0.47, 0.47, 0.85, 1.5, 2.5, 4.0, 9.3, 10.0, 10.05, 10.06, -3.8, -4.5, 1e-9, -3e-8, 27.0]
ERFINV_X = [0.0, -0.0, 1e-30, 1e-40, -3e-8, 0.3, -0.5, 0.69999993, 0.7, -0.70000005, 0.9, -0.99, 0.999, 0.99999994,
            -0.99999994, 1.0, -1.0, 1.0000001, -2.0] + SPECIAL
case('erfc float32 wide', torch.erfc, T(ERFC_X * 2, torch.float32), grad=True)
case('erfinv float32 wide', torch.erfinv, T(ERFINV_X * 2, torch.float32), grad=True)
# The cheap float32 ops in the vector kernels: rounding at ties, near ties and 2^23, signs of
# zero, and the hard activations' corners.
CHEAP_X = ACT_X + [2.5, -2.5, 3.5, -0.5, 0.5, 1.5, -1.5, 0.49999997, 8388607.5, -8388609.0, 16777217.0, -3.0, 3.0, 6.0, 0.25]
for name, fn in [('floor', torch.floor), ('ceil', torch.ceil), ('round', torch.round), ('trunc', torch.trunc),
                 ('frac', torch.frac), ('sign', torch.sign), ('reciprocal', torch.reciprocal), ('rsqrt', torch.rsqrt),
                 ('square', torch.square), ('neg', torch.neg), ('hardsigmoid', F.hardsigmoid), ('hardswish', F.hardswish)]:
    case(f'{name} float32 wide', fn, T(CHEAP_X * 2, torch.float32), grad=name not in ('floor', 'ceil', 'round', 'trunc', 'sign'))
# Exponents PyTorch's pow kernel special-cases (x^1 is what x^2's backward takes).
POW_X = [0.1, 0.7, 1.0, 2.5, 10.0, 0.0, -1.5, float('nan'), float('inf')]
for e in [1, 2, 3, 0.5, -0.5, -1, -2, 0]:
    case(f'pow({e})', lambda t, e=e: torch.pow(t, e), T(POW_X), grad=True)
    case(f'pow({e}, float32)', lambda t, e=e: torch.pow(t, e), T(POW_X, torch.float32), grad=True)

a, b = T(A), T(B)
for name, fn in [('atan2', torch.atan2), ('fmax', torch.fmax), ('fmin', torch.fmin), ('fmod', torch.fmod),
                 ('remainder', torch.remainder), ('hypot', torch.hypot), ('xlogy', torch.xlogy), ('copysign', torch.copysign),
                 ('div(trunc)', lambda s, o: torch.div(s, o, rounding_mode='trunc')),
                 ('div(floor)', lambda s, o: torch.div(s, o, rounding_mode='floor')),
                 ('lerp(0.3)', lambda s, o: torch.lerp(s, o, 0.3))]:
    case(name, fn, a, b, grad=True)
case('xlogy(pos)', torch.xlogy, a, T([1.5, 2.0, 0.6]), grad=True)
case('lerp(tensor)', torch.lerp, a, b, T([[0.2], [0.7]]), grad=True)
case('addcmul', lambda s, t1, t2: torch.addcmul(s, t1, t2, value=0.5), a, b, T([[2.0], [-1.0]]), grad=True)
case('addcdiv', lambda s, t1, t2: torch.addcdiv(s, t1, t2, value=-2), a, b, T([[2.0], [-1.0]]), grad=True)
case('fmod(number)', lambda s: torch.fmod(s, 1.5), a, grad=True)
case('remainder(number)', lambda s: torch.remainder(s, -0.7), a, grad=True)
case('fmax(nan)', torch.fmax, T([float('nan'), 1.0, float('nan')]), T([2.0, float('nan'), float('nan')]))
case('atan2(int64)', torch.atan2, T(IA, torch.int64), T(IB, torch.int64))

ia, ib = T(IA, torch.int64), T(IB, torch.int64)
for name, fn in [('fmod(int64)', torch.fmod), ('remainder(int64)', torch.remainder),
                 ('div(trunc,int64)', lambda s, o: torch.div(s, o, rounding_mode='trunc')),
                 ('div(floor,int64)', lambda s, o: torch.div(s, o, rounding_mode='floor')),
                 ('bitwiseAnd', torch.bitwise_and), ('bitwiseOr', torch.bitwise_or), ('bitwiseXor', torch.bitwise_xor),
                 ('logicalAnd', torch.logical_and), ('logicalOr', torch.logical_or), ('logicalXor', torch.logical_xor),
                 ('fmax(int64)', torch.fmax)]:
    case(name, fn, ia, ib)
case('bitwiseNot', torch.bitwise_not, ia)
case('bitwiseNot(bool)', torch.bitwise_not, T([True, False], torch.bool))
case('bitwiseAnd(bool)', torch.bitwise_and, T([True, False, True], torch.bool), T([True, True, False], torch.bool))
case('logicalNot', torch.logical_not, T([0.0, 1.5, float('nan'), -2.0]))
s = T(SPECIAL)
case('isnan', torch.isnan, s)
case('isinf', torch.isinf, s)
case('isfinite', torch.isfinite, s)
case('isfinite(int64)', torch.isfinite, ia)
c1, c2 = T([1.0, 1.0, float('nan'), float('inf'), 1e-9, 100.0]), T([1.0 + 1e-6, 1.1, float('nan'), float('inf'), 0.0, 100.001])
case('isclose', torch.isclose, c1, c2)
case('isclose(equalNan)', lambda p_, q: torch.isclose(p_, q, equal_nan=True), c1, c2)
case('isclose(rtol,atol)', lambda p_, q: torch.isclose(p_, q, rtol=0.2, atol=0.0), c1, c2)
case('allclose', lambda p_, q: torch.allclose(p_, q), c1, c2)
case('allclose(true)', lambda p_, q: torch.allclose(p_, q, rtol=0.2, equal_nan=True), c1, c2)
case('equal', torch.equal, a, a.clone())
case('equal(false)', torch.equal, a, a + 1)
case('where(number)', lambda c, t: torch.where(c, t, 0.5), T([[True, False, True], [False, True, False]], torch.bool), a)
case('where(int, number)', lambda c, t: torch.where(c, t, 2), T([True, False, True], torch.bool), T(IB, torch.int64))
case('where(float32, number)', lambda c, t: torch.where(c, t, 2.5), T([True, False, True], torch.bool), T(B, torch.float32))
case('where(float32)', torch.where, T([True, False, True, True, False], torch.bool), T([1.5, -2.0, 0.6, float('nan'), 3.0], torch.float32),
     T([9.0, 8.0, float('nan'), 6.0, -5.0], torch.float32), grad=True)
case('where(number, float32)', lambda c, t: torch.where(c, -1.25, t), T([True, False, True, False], torch.bool),
     T([1.5, -2.0, 0.6, 3.0], torch.float32), grad=True)

gen = torch.Generator().manual_seed(1)
SHAPES = {'contiguous': [[21]] * 3, 'strided': [[7, 3], [3, 7], [3, 7]], 'broadcast': [[3, 7], [3, 7], [3, 1]]}


def operands(op, layout, dtype, specials):
    lo_hi = [(-3, 3), (-3, 3), (-1, 2) if op == 'lerp' else (-3, 3)]  # lerp weights: both sides of 0.5, and past 0 and 1
    ins = [(torch.rand(sh, generator=gen, dtype=torch.float64) * (hi - lo) + lo).to(dtype) for sh, (lo, hi) in zip(SHAPES[layout], lo_hi)]
    if op == 'addcdiv':
        ins[2] = torch.where(ins[2].abs() < 0.1, ins[2] + 0.5, ins[2])
    if specials:  # the weight's boundaries and ends, signed zeros, infinities and NaN
        nan, inf = float('nan'), float('inf')
        rows = ([[0.5, -0.5, 0.0, 1.0, nan, 2.0 ** -30, 0.49999997, -0.0], [1.0, -0.0, inf, 2.0, -1.0, 1.0, 3.0, 0.0],
                 [-0.0, -0.0, -1.0, inf, 0.0, -inf, nan, 2.0]] if op == 'lerp' else
                [[1.0, -0.0, inf, 0.0, 2.0, 1e30, nan, -1e-30], [inf, 0.0, -0.0, -0.0, 3.0, 1e30, 1.0, 1e-30],
                 [-0.0, 5.0, 0.0, -inf, inf, -1e30, 1.0, 1e-10]])
        order = [2, 0, 1] if op == 'lerp' else [0, 1, 2]  # lerp's first row holds weights
        for k, row in zip(order, rows):
            ins[k][:len(row)] = torch.tensor(row, dtype=dtype)
    return ins


ternary, jobs = [], []
for dtype in (torch.float32, torch.float64):
    specs = ([('lerp', None, layout) for layout in SHAPES] +
             [('lerp', w, 'contiguous') for w in (0.3, 0.7, -0.4, 1.3, 0.5)] + [('lerp', 0.7, 'strided')] +
             [(op, v, 'contiguous') for op in ('addcmul', 'addcdiv') for v in (1.0, 0.5, 3.7, -2.0)] +
             [(op, v, layout) for op in ('addcmul', 'addcdiv') for v, layout in ((0.1, 'strided'), (3.7, 'broadcast'))])
    for op, number, layout in specs:
        spec = {'op': op, 'number': number, 'layout': layout}
        ins = operands(op, layout, dtype, specials=layout == 'contiguous' and number in (None, 1.0))
        if op == 'lerp' and number is not None:
            ins = ins[:2]
        ternary.append({**spec, 'inputs': [pack(t) for t in ins], 'out': pack(ternary_out(spec, ins))})
        jobs.append((spec, ins))
with tempfile.TemporaryDirectory() as tmp:
    job_file = os.path.join(tmp, 'jobs.pt')
    torch.save(jobs, job_file)
    subprocess.run([sys.executable, __file__, '--ternary-outputs', job_file], check=True,
                   env={**os.environ, 'ATEN_CPU_CAPABILITY': 'default'})
    for entry, out in zip(ternary, torch.load(job_file)):
        entry['outDefault'] = pack(out)

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'elementwise.json')
with open(path, 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases, 'ternary': ternary}, f, indent=None, separators=(',', ':'))
    f.write('\n')
print(f'wrote {len(cases)} cases and {len(ternary)} ternary cases to {path}')
