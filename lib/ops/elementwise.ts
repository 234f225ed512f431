/**
 * The elementwise family: unary math, activations, binary math, comparison / logical /
 * bitwise ops. Each op is declared once with defineOp (its Tensor method) and exported as a
 * module-level function (`tg.atan2(a, b)`, `tg.gelu(x)`; nn.functional re-exports the
 * activations). Kernels and backward formulas live in csrc/ops/elementwise_ext.cpp.
 */
import { ArgumentTypeError, RuntimeError } from '../errors';
import { composite } from '../memory';
import { BINARY, N, UNARY } from '../native';
import { Tensor, TensorLike, idOf, op } from '../tensor';
import { defineOp } from './registry';

declare module '../tensor' {
  interface Tensor {
    /** Elementwise `2 ** x`. */
    exp2(): Tensor;
    /** Elementwise `exp(x) - 1`, accurate near 0. */
    expm1(): Tensor;
    /** Elementwise base-2 logarithm. */
    log2(): Tensor;
    /** Elementwise base-10 logarithm. */
    log10(): Tensor;
    /** Elementwise `log(1 + x)`, accurate near 0. */
    log1p(): Tensor;
    /** Elementwise `1 / sqrt(x)`. */
    rsqrt(): Tensor;
    /** Elementwise tangent. */
    tan(): Tensor;
    /** Elementwise arcsine. */
    asin(): Tensor;
    /** Elementwise arccosine. */
    acos(): Tensor;
    /** Elementwise arctangent. */
    atan(): Tensor;
    /** Elementwise hyperbolic sine. */
    sinh(): Tensor;
    /** Elementwise hyperbolic cosine. */
    cosh(): Tensor;
    /** Elementwise inverse hyperbolic sine. */
    asinh(): Tensor;
    /** Elementwise inverse hyperbolic cosine. */
    acosh(): Tensor;
    /** Elementwise inverse hyperbolic tangent. */
    atanh(): Tensor;
    /** Elementwise error function. */
    erf(): Tensor;
    /** Elementwise complementary error function `1 - erf(x)`. */
    erfc(): Tensor;
    /** Elementwise inverse error function. */
    erfinv(): Tensor;
    /** Elementwise fractional part `x - trunc(x)`. */
    frac(): Tensor;
    /** Elementwise `log(sigmoid(x))`, computed stably. */
    logSigmoid(): Tensor;
    /** Elementwise `min(max(x, 0), 6)`. */
    relu6(): Tensor;
    /** Elementwise `x > 0 ? x : negativeSlope * x`. */
    leakyRelu(negativeSlope?: number): Tensor;
    /** Elementwise `x > 0 ? x : alpha * (exp(x) - 1)`. */
    elu(alpha?: number): Tensor;
    /** Scaled ELU with PyTorch's constants. */
    selu(): Tensor;
    /** Elementwise `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`. */
    celu(alpha?: number): Tensor;
    /** Gaussian error linear unit; `approximate: 'tanh'` uses the tanh approximation. */
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    /** Elementwise `x * sigmoid(x)`. */
    silu(): Tensor;
    /** Elementwise `x * tanh(softplus(x))`. */
    mish(): Tensor;
    /** Elementwise `log(1 + exp(beta * x)) / beta`, linear where `beta * x > threshold`. */
    softplus(opts?: { beta?: number; threshold?: number }): Tensor;
    /** Elementwise `x / (1 + |x|)`. */
    softsign(): Tensor;
    /** Elementwise clamp into `[minVal, maxVal]`; gradient 0 at the bounds. */
    hardtanh(minVal?: number, maxVal?: number): Tensor;
    /** Elementwise `relu6(x + 3) / 6`. */
    hardsigmoid(): Tensor;
    /** Elementwise `x * relu6(x + 3) / 6`. */
    hardswish(): Tensor;
    /** Replaces NaN (default 0), +inf and -inf (default the dtype's largest/lowest finite values). */
    nanToNum(opts?: { nan?: number; posinf?: number; neginf?: number }): Tensor;
    /** Elementwise `log(x / (1 - x))`, with x clamped into `[eps, 1 - eps]` when eps is given. */
    logit(eps?: number | null): Tensor;
    /** Elementwise `atan(this / other)` in the quadrant of `(other, this)`. */
    atan2(other: Tensor): Tensor;
    /** Elementwise maximum that ignores NaN (NaN only where both are NaN). */
    fmax(other: Tensor): Tensor;
    /** Elementwise minimum that ignores NaN (NaN only where both are NaN). */
    fmin(other: Tensor): Tensor;
    /** C-style remainder: the result has the sign of the dividend. */
    fmod(other: TensorLike): Tensor;
    /** Python-style remainder: the result has the sign of the divisor. */
    remainder(other: TensorLike): Tensor;
    /** Elementwise `sqrt(this ** 2 + other ** 2)`. */
    hypot(other: Tensor): Tensor;
    /** Linear interpolation `this + weight * (end - this)`. */
    lerp(end: Tensor, weight: TensorLike): Tensor;
    /** `this + value * tensor1 * tensor2`. */
    addcmul(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): Tensor;
    /** `this + value * tensor1 / tensor2`. */
    addcdiv(tensor1: Tensor, tensor2: Tensor, opts?: { value?: number }): Tensor;
    /** Elementwise `this * log(other)`, 0 where this is 0 (unless other is NaN). */
    xlogy(other: TensorLike): Tensor;
    /** The magnitude of this with the sign of other. */
    copysign(other: TensorLike): Tensor;
    /** Elementwise `|this - other| <= atol + rtol * |other|` (bool tensor). */
    isclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor;
    /** Whether every element is close to other's (see isclose). */
    allclose(other: Tensor, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
    /** Whether both tensors have the same shape and elements. */
    equal(other: Tensor): boolean;
    /** Elementwise test for NaN. */
    isnan(): Tensor;
    /** Elementwise test for +inf or -inf. */
    isinf(): Tensor;
    /** Elementwise test for a finite value. */
    isfinite(): Tensor;
    /** Elementwise logical AND (nonzero is true), a bool tensor. */
    logicalAnd(other: TensorLike): Tensor;
    /** Elementwise logical OR, a bool tensor. */
    logicalOr(other: TensorLike): Tensor;
    /** Elementwise logical XOR, a bool tensor. */
    logicalXor(other: TensorLike): Tensor;
    /** Elementwise logical NOT, a bool tensor. */
    logicalNot(): Tensor;
    /** Elementwise bitwise AND of integer or bool tensors. */
    bitwiseAnd(other: TensorLike): Tensor;
    /** Elementwise bitwise OR of integer or bool tensors. */
    bitwiseOr(other: TensorLike): Tensor;
    /** Elementwise bitwise XOR of integer or bool tensors. */
    bitwiseXor(other: TensorLike): Tensor;
    /** Elementwise bitwise NOT of an integer or bool tensor. */
    bitwiseNot(): Tensor;
  }
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

function num(v: unknown, opName: string, arg: string): number {
  if (typeof v !== 'number') throw new ArgumentTypeError(`${opName}(): argument '${arg}' must be a number, not ${typeof v}`);
  return v;
}

function ewUnary(self: Tensor, name: string, p0 = 0, p1 = 0): Tensor {
  return op((t) => N.ewUnary(t, UNARY[name], self._id, p0, p1));
}

function ewBinary(self: Tensor, name: string, other: unknown, numbers = true): Tensor {
  if (other instanceof Tensor) return op((t) => N.ewBinary(t, BINARY[name], self._id, other._id, false));
  if (numbers && (typeof other === 'number' || typeof other === 'boolean')) {
    return op((t) => N.ewBinary(t, BINARY[name], self._id, other, true));
  }
  const kinds = numbers ? 'Tensor or number' : 'Tensor';
  throw new ArgumentTypeError(`${name}(): argument 'other' must be ${kinds}, not ${other === null ? 'null' : typeof other}`);
}

type Flags = { differentiable: boolean; gradgrad: boolean };
const DIFF: Flags = { differentiable: true, gradgrad: true };
const NONDIFF: Flags = { differentiable: false, gradgrad: false };

// ---- unary math
const UNARY_DOCS: [string, string][] = [
  ['exp2', 'Elementwise 2 ** x.'],
  ['expm1', 'Elementwise exp(x) - 1.'],
  ['log2', 'Elementwise base-2 logarithm.'],
  ['log10', 'Elementwise base-10 logarithm.'],
  ['log1p', 'Elementwise log(1 + x).'],
  ['rsqrt', 'Elementwise 1 / sqrt(x).'],
  ['tan', 'Elementwise tangent.'],
  ['asin', 'Elementwise arcsine.'],
  ['acos', 'Elementwise arccosine.'],
  ['atan', 'Elementwise arctangent.'],
  ['sinh', 'Elementwise hyperbolic sine.'],
  ['cosh', 'Elementwise hyperbolic cosine.'],
  ['asinh', 'Elementwise inverse hyperbolic sine.'],
  ['acosh', 'Elementwise inverse hyperbolic cosine.'],
  ['atanh', 'Elementwise inverse hyperbolic tangent.'],
  ['erf', 'Elementwise error function.'],
  ['erfc', 'Elementwise complementary error function.'],
  ['erfinv', 'Elementwise inverse error function.'],
  ['frac', 'Elementwise fractional part x - trunc(x).'],
  ['logSigmoid', 'Elementwise log(sigmoid(x)).'],
  ['silu', 'Elementwise x * sigmoid(x).'],
  ['mish', 'Elementwise x * tanh(softplus(x)).'],
  ['hardsigmoid', 'Elementwise relu6(x + 3) / 6.'],
  ['hardswish', 'Elementwise x * relu6(x + 3) / 6.'],
];
for (const [name, doc] of UNARY_DOCS) {
  defineOp({ name, family: 'unary', ...DIFF, doc, method(this: Tensor) { return ewUnary(this, name); } });
}

defineOp({ name: 'relu6', family: 'unary', ...DIFF, doc: 'Elementwise min(max(x, 0), 6).',
  method(this: Tensor) { return op((t) => N.hardtanh(t, this._id, 0, 6)); } });
defineOp({ name: 'leakyRelu', family: 'unary', ...DIFF, doc: 'x > 0 ? x : negativeSlope * x (default slope 0.01).',
  method(this: Tensor, negativeSlope = 0.01) { return ewUnary(this, 'leakyRelu', num(negativeSlope, 'leakyRelu', 'negativeSlope')); } });
defineOp({ name: 'elu', family: 'unary', ...DIFF, doc: 'x > 0 ? x : alpha * (exp(x) - 1).',
  method(this: Tensor, alpha = 1) { return ewUnary(this, 'elu', num(alpha, 'elu', 'alpha'), 1); } });
defineOp({ name: 'selu', family: 'unary', ...DIFF, doc: 'Scaled ELU with fixed alpha and scale.',
  method(this: Tensor) { return ewUnary(this, 'elu', SELU_ALPHA, SELU_SCALE); } });
defineOp({ name: 'celu', family: 'unary', ...DIFF, doc: 'max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).',
  method(this: Tensor, alpha = 1) { return ewUnary(this, 'celu', num(alpha, 'celu', 'alpha')); } });
defineOp({ name: 'gelu', family: 'unary', ...DIFF, doc: "Gaussian error linear unit (approximate: 'none' | 'tanh').",
  method(this: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}) {
    const a = opts.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new RuntimeError('approximate argument must be either none or tanh.');
    return ewUnary(this, a === 'tanh' ? 'geluTanh' : 'gelu');
  } });
defineOp({ name: 'softplus', family: 'unary', ...DIFF, doc: 'log(1 + exp(beta * x)) / beta, linear above threshold.',
  method(this: Tensor, opts: { beta?: number; threshold?: number } = {}) {
    return ewUnary(this, 'softplus', num(opts.beta ?? 1, 'softplus', 'beta'), num(opts.threshold ?? 20, 'softplus', 'threshold'));
  } });
defineOp({ name: 'softsign', family: 'unary', ...DIFF, doc: 'Elementwise x / (1 + |x|).',
  method: composite(function (this: Tensor) { return this.div(this.abs().add(1)); }) });
defineOp({ name: 'hardtanh', family: 'unary', ...DIFF, doc: 'Clamp into [minVal, maxVal] (gradient 0 at the bounds).',
  method(this: Tensor, minVal = -1, maxVal = 1) {
    return op((t) => N.hardtanh(t, this._id, num(minVal, 'hardtanh', 'min_val'), num(maxVal, 'hardtanh', 'max_val')));
  } });
defineOp({ name: 'nanToNum', family: 'unary', ...DIFF, doc: 'Replaces NaN, +inf and -inf with finite numbers.',
  method(this: Tensor, opts: { nan?: number; posinf?: number; neginf?: number } = {}) {
    return op((t) => N.nanToNum(t, this._id, opts.nan ?? null, opts.posinf ?? null, opts.neginf ?? null));
  } });
defineOp({ name: 'logit', family: 'unary', ...DIFF, doc: 'Elementwise log(x / (1 - x)), optionally clamping x into [eps, 1 - eps].',
  method(this: Tensor, eps?: number | null) { return op((t) => N.logit(t, this._id, eps ?? null)); } });

// ---- binary math
defineOp({ name: 'atan2', family: 'binary', ...DIFF, doc: 'Elementwise atan(this / other) with the quadrant of (other, this).',
  method(this: Tensor, other: Tensor) { return ewBinary(this, 'atan2', other, false); } });
defineOp({ name: 'fmax', family: 'binary', ...DIFF, doc: 'Elementwise maximum ignoring NaN.',
  method(this: Tensor, other: Tensor) { return ewBinary(this, 'fmax', other, false); } });
defineOp({ name: 'fmin', family: 'binary', ...DIFF, doc: 'Elementwise minimum ignoring NaN.',
  method(this: Tensor, other: Tensor) { return ewBinary(this, 'fmin', other, false); } });
defineOp({ name: 'fmod', family: 'binary', ...DIFF, doc: 'C-style remainder (sign of the dividend).',
  method(this: Tensor, other: TensorLike) { return ewBinary(this, 'fmod', other); } });
defineOp({ name: 'remainder', family: 'binary', ...DIFF, doc: 'Python-style remainder (sign of the divisor).',
  method(this: Tensor, other: TensorLike) { return ewBinary(this, 'remainder', other); } });
defineOp({ name: 'hypot', family: 'binary', ...DIFF, doc: 'Elementwise sqrt(this ** 2 + other ** 2).',
  method(this: Tensor, other: Tensor) { return ewBinary(this, 'hypot', other, false); } });
defineOp({ name: 'xlogy', family: 'binary', ...DIFF, doc: 'Elementwise this * log(other), 0 where this is 0.',
  method(this: Tensor, other: TensorLike) { return ewBinary(this, 'xlogy', other); } });
defineOp({ name: 'copysign', family: 'binary', ...DIFF, doc: 'The magnitude of this with the sign of other.',
  method(this: Tensor, other: TensorLike) { return ewBinary(this, 'copysign', other); } });
defineOp({ name: 'lerp', family: 'binary', ...DIFF, doc: 'Linear interpolation this + weight * (end - this).',
  method(this: Tensor, end: Tensor, weight: TensorLike) {
    const e = idOf(end, 'lerp', 'end');
    if (typeof weight === 'number') return op((t) => N.lerp(t, this._id, e, weight, true));
    return op((t) => N.lerp(t, this._id, e, idOf(weight, 'lerp', 'weight'), false));
  } });
defineOp({ name: 'addcmul', family: 'binary', ...DIFF, doc: 'this + value * tensor1 * tensor2.',
  method(this: Tensor, t1: Tensor, t2: Tensor, opts: { value?: number } = {}) {
    return op((t) => N.addc(t, this._id, idOf(t1, 'addcmul', 'tensor1'), idOf(t2, 'addcmul', 'tensor2'), num(opts.value ?? 1, 'addcmul', 'value'), false));
  } });
defineOp({ name: 'addcdiv', family: 'binary', ...DIFF, doc: 'this + value * tensor1 / tensor2.',
  method(this: Tensor, t1: Tensor, t2: Tensor, opts: { value?: number } = {}) {
    return op((t) => N.addc(t, this._id, idOf(t1, 'addcdiv', 'tensor1'), idOf(t2, 'addcdiv', 'tensor2'), num(opts.value ?? 1, 'addcdiv', 'value'), true));
  } });

// ---- comparison, logical, bitwise
type CloseOpts = { rtol?: number; atol?: number; equalNan?: boolean };
function isclose_(self: Tensor, other: Tensor, opts: CloseOpts, name: string): Tensor {
  const o = idOf(other, name);
  return op((t) => N.isclose(t, self._id, o, opts.rtol ?? 1e-5, opts.atol ?? 1e-8, opts.equalNan ?? false));
}
defineOp({ name: 'isclose', family: 'comparison', ...NONDIFF, doc: '|this - other| <= atol + rtol * |other|, elementwise.',
  method(this: Tensor, other: Tensor, opts: CloseOpts = {}) { return isclose_(this, other, opts, 'isclose'); } });
defineOp({ name: 'allclose', family: 'comparison', ...NONDIFF, doc: 'Whether every element is close (a boolean).',
  method(this: Tensor, other: Tensor, opts: CloseOpts = {}) { return isclose_(this, other, opts, 'allclose').logicalNot().sum().item() === 0; } });
defineOp({ name: 'equal', family: 'comparison', ...NONDIFF, doc: 'Whether both tensors have the same shape and elements (a boolean).',
  method(this: Tensor, other: Tensor) { return N.equal(this._id, idOf(other, 'equal')); } });
for (const [name, doc] of [['isnan', 'Elementwise test for NaN.'], ['isinf', 'Elementwise test for infinity.'],
  ['isfinite', 'Elementwise test for a finite value.'], ['logicalNot', 'Elementwise logical NOT.']] as const) {
  defineOp({ name, family: 'comparison', ...NONDIFF, doc, method(this: Tensor) { return op((t) => N.predicate(t, this._id, name)); } });
}
for (const [name, doc] of [['logicalAnd', 'Elementwise logical AND.'], ['logicalOr', 'Elementwise logical OR.'],
  ['logicalXor', 'Elementwise logical XOR.'], ['bitwiseAnd', 'Elementwise bitwise AND (integer/bool).'],
  ['bitwiseOr', 'Elementwise bitwise OR (integer/bool).'], ['bitwiseXor', 'Elementwise bitwise XOR (integer/bool).']] as const) {
  defineOp({ name, family: 'comparison', ...NONDIFF, doc, method(this: Tensor, other: TensorLike) { return ewBinary(this, name, other); } });
}
defineOp({ name: 'bitwiseNot', family: 'comparison', ...NONDIFF, doc: 'Elementwise bitwise NOT (integer/bool).',
  method(this: Tensor) { return op((t) => N.predicate(t, this._id, 'bitwiseNot')); } });

// ---------------------------------------------------------------- module-level functions
function self(x: unknown, name: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new ArgumentTypeError(`${name}(): argument 'input' must be Tensor, not ${x === null ? 'null' : typeof x}`);
}

/** Elementwise `2 ** x`. */
export const exp2 = (x: Tensor): Tensor => self(x, 'exp2').exp2();
/** Elementwise `exp(x) - 1`. */
export const expm1 = (x: Tensor): Tensor => self(x, 'expm1').expm1();
/** Elementwise base-2 logarithm. */
export const log2 = (x: Tensor): Tensor => self(x, 'log2').log2();
/** Elementwise base-10 logarithm. */
export const log10 = (x: Tensor): Tensor => self(x, 'log10').log10();
/** Elementwise `log(1 + x)`. */
export const log1p = (x: Tensor): Tensor => self(x, 'log1p').log1p();
/** Elementwise `1 / sqrt(x)`. */
export const rsqrt = (x: Tensor): Tensor => self(x, 'rsqrt').rsqrt();
/** Elementwise tangent. */
export const tan = (x: Tensor): Tensor => self(x, 'tan').tan();
/** Elementwise arcsine. */
export const asin = (x: Tensor): Tensor => self(x, 'asin').asin();
/** Elementwise arccosine. */
export const acos = (x: Tensor): Tensor => self(x, 'acos').acos();
/** Elementwise arctangent. */
export const atan = (x: Tensor): Tensor => self(x, 'atan').atan();
/** Elementwise hyperbolic sine. */
export const sinh = (x: Tensor): Tensor => self(x, 'sinh').sinh();
/** Elementwise hyperbolic cosine. */
export const cosh = (x: Tensor): Tensor => self(x, 'cosh').cosh();
/** Elementwise inverse hyperbolic sine. */
export const asinh = (x: Tensor): Tensor => self(x, 'asinh').asinh();
/** Elementwise inverse hyperbolic cosine. */
export const acosh = (x: Tensor): Tensor => self(x, 'acosh').acosh();
/** Elementwise inverse hyperbolic tangent. */
export const atanh = (x: Tensor): Tensor => self(x, 'atanh').atanh();
/** Elementwise error function. */
export const erf = (x: Tensor): Tensor => self(x, 'erf').erf();
/** Elementwise complementary error function. */
export const erfc = (x: Tensor): Tensor => self(x, 'erfc').erfc();
/** Elementwise inverse error function. */
export const erfinv = (x: Tensor): Tensor => self(x, 'erfinv').erfinv();
/** Elementwise fractional part. */
export const frac = (x: Tensor): Tensor => self(x, 'frac').frac();
/** Elementwise `log(sigmoid(x))`. */
export const logSigmoid = (x: Tensor): Tensor => self(x, 'logSigmoid').logSigmoid();
/** Elementwise `min(max(x, 0), 6)`. */
export const relu6 = (x: Tensor): Tensor => self(x, 'relu6').relu6();
/** Elementwise `x > 0 ? x : negativeSlope * x`. */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => self(x, 'leakyRelu').leakyRelu(negativeSlope);
/** Elementwise ELU. */
export const elu = (x: Tensor, alpha = 1): Tensor => self(x, 'elu').elu(alpha);
/** Elementwise SELU. */
export const selu = (x: Tensor): Tensor => self(x, 'selu').selu();
/** Elementwise CELU. */
export const celu = (x: Tensor, alpha = 1): Tensor => self(x, 'celu').celu(alpha);
/** Gaussian error linear unit. */
export const gelu = (x: Tensor, opts?: { approximate?: 'none' | 'tanh' }): Tensor => self(x, 'gelu').gelu(opts);
/** Elementwise `x * sigmoid(x)`. */
export const silu = (x: Tensor): Tensor => self(x, 'silu').silu();
/** Elementwise `x * tanh(softplus(x))`. */
export const mish = (x: Tensor): Tensor => self(x, 'mish').mish();
/** Elementwise softplus. */
export const softplus = (x: Tensor, opts?: { beta?: number; threshold?: number }): Tensor => self(x, 'softplus').softplus(opts);
/** Elementwise `x / (1 + |x|)`. */
export const softsign = (x: Tensor): Tensor => self(x, 'softsign').softsign();
/** Elementwise clamp into `[minVal, maxVal]`. */
export const hardtanh = (x: Tensor, minVal = -1, maxVal = 1): Tensor => self(x, 'hardtanh').hardtanh(minVal, maxVal);
/** Elementwise `relu6(x + 3) / 6`. */
export const hardsigmoid = (x: Tensor): Tensor => self(x, 'hardsigmoid').hardsigmoid();
/** Elementwise `x * relu6(x + 3) / 6`. */
export const hardswish = (x: Tensor): Tensor => self(x, 'hardswish').hardswish();
/** Replaces NaN and infinities with finite numbers. */
export const nanToNum = (x: Tensor, opts?: { nan?: number; posinf?: number; neginf?: number }): Tensor => self(x, 'nanToNum').nanToNum(opts);
/** Elementwise `log(x / (1 - x))`. */
export const logit = (x: Tensor, eps?: number | null): Tensor => self(x, 'logit').logit(eps);
/** Elementwise `atan(a / b)` in the right quadrant. */
export const atan2 = (a: Tensor, b: Tensor): Tensor => self(a, 'atan2').atan2(b);
/** Elementwise maximum ignoring NaN. */
export const fmax = (a: Tensor, b: Tensor): Tensor => self(a, 'fmax').fmax(b);
/** Elementwise minimum ignoring NaN. */
export const fmin = (a: Tensor, b: Tensor): Tensor => self(a, 'fmin').fmin(b);
/** C-style remainder. */
export const fmod = (a: Tensor, b: TensorLike): Tensor => self(a, 'fmod').fmod(b);
/** Python-style remainder. */
export const remainder = (a: Tensor, b: TensorLike): Tensor => self(a, 'remainder').remainder(b);
/** Elementwise `sqrt(a ** 2 + b ** 2)`. */
export const hypot = (a: Tensor, b: Tensor): Tensor => self(a, 'hypot').hypot(b);
/** Linear interpolation `a + weight * (end - a)`. */
export const lerp = (a: Tensor, end: Tensor, weight: TensorLike): Tensor => self(a, 'lerp').lerp(end, weight);
/** `a + value * t1 * t2`. */
export const addcmul = (a: Tensor, t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor => self(a, 'addcmul').addcmul(t1, t2, opts);
/** `a + value * t1 / t2`. */
export const addcdiv = (a: Tensor, t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor => self(a, 'addcdiv').addcdiv(t1, t2, opts);
/** Elementwise `a * log(b)`, 0 where a is 0. */
export const xlogy = (a: Tensor, b: TensorLike): Tensor => self(a, 'xlogy').xlogy(b);
/** The magnitude of a with the sign of b. */
export const copysign = (a: Tensor, b: TensorLike): Tensor => self(a, 'copysign').copysign(b);
/** Elementwise closeness test (bool tensor). */
export const isclose = (a: Tensor, b: Tensor, opts?: CloseOpts): Tensor => self(a, 'isclose').isclose(b, opts);
/** Whether all elements are close. */
export const allclose = (a: Tensor, b: Tensor, opts?: CloseOpts): boolean => self(a, 'allclose').allclose(b, opts);
/** Whether two tensors have the same shape and elements. */
export const equal = (a: Tensor, b: Tensor): boolean => self(a, 'equal').equal(b);
/** Elementwise test for NaN. */
export const isnan = (x: Tensor): Tensor => self(x, 'isnan').isnan();
/** Elementwise test for infinity. */
export const isinf = (x: Tensor): Tensor => self(x, 'isinf').isinf();
/** Elementwise test for a finite value. */
export const isfinite = (x: Tensor): Tensor => self(x, 'isfinite').isfinite();
/** Elementwise logical AND. */
export const logicalAnd = (a: Tensor, b: TensorLike): Tensor => self(a, 'logicalAnd').logicalAnd(b);
/** Elementwise logical OR. */
export const logicalOr = (a: Tensor, b: TensorLike): Tensor => self(a, 'logicalOr').logicalOr(b);
/** Elementwise logical XOR. */
export const logicalXor = (a: Tensor, b: TensorLike): Tensor => self(a, 'logicalXor').logicalXor(b);
/** Elementwise logical NOT. */
export const logicalNot = (x: Tensor): Tensor => self(x, 'logicalNot').logicalNot();
/** Elementwise bitwise AND. */
export const bitwiseAnd = (a: Tensor, b: TensorLike): Tensor => self(a, 'bitwiseAnd').bitwiseAnd(b);
/** Elementwise bitwise OR. */
export const bitwiseOr = (a: Tensor, b: TensorLike): Tensor => self(a, 'bitwiseOr').bitwiseOr(b);
/** Elementwise bitwise XOR. */
export const bitwiseXor = (a: Tensor, b: TensorLike): Tensor => self(a, 'bitwiseXor').bitwiseXor(b);
/** Elementwise bitwise NOT. */
export const bitwiseNot = (x: Tensor): Tensor => self(x, 'bitwiseNot').bitwiseNot();
