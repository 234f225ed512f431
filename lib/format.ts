/**
 * PyTorch-compatible tensor printing.
 *
 * Reproduces the output of `repr(tensor)` in PyTorch 2.x (torch/_tensor_str.py)
 * with the default print options: precision 4, threshold 1000, edgeitems 3,
 * linewidth 80, automatic scientific-notation choice.
 *
 * Differences from PyTorch are limited to naming: dtype suffixes read
 * `dtype=float64` instead of `dtype=torch.float64`, and callers supply their
 * own suffix strings (e.g. `requiresGrad=true`, `gradFn=<MeanBackward0>`).
 */

export interface FormatInput {
  data: ArrayLike<number | bigint | boolean>;
  shape: number[];
  dtype: 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8';
}

type DType = FormatInput['dtype'];
type Scalar = number | bigint | boolean;

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGEITEMS = 3;
const LINEWIDTH = 80;
const PREFIX = 'tensor(';
const INDENT = PREFIX.length;

// ---------------------------------------------------------------------------
// Exact decimal formatting of doubles (Python `format(x, '.Nf')` / `'.Ne'`).
//
// JavaScript's toFixed/toExponential break exact ties away from zero, while
// Python rounds the exact binary value half-to-even (e.g. 0.03125 -> "0.0312"),
// and toExponential writes "e+0" rather than "e+00". So we do it exactly with
// BigInt arithmetic on the binary representation.
// ---------------------------------------------------------------------------

const BIG0 = BigInt(0);
const BIG1 = BigInt(1);
const BIG2 = BigInt(2);
const BIG10 = BigInt(10);

const f64View = new DataView(new ArrayBuffer(8));
const pow10Cache: bigint[] = [];

function pow10(n: number): bigint {
  let p = pow10Cache[n];
  if (p === undefined) {
    p = BIG10 ** BigInt(n);
    pow10Cache[n] = p;
  }
  return p;
}

/** Exact rational num/den of a finite, positive double. */
function toRational(a: number): [bigint, bigint] {
  f64View.setFloat64(0, a);
  const hi = f64View.getUint32(0);
  const lo = f64View.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = BigInt(hi & 0xfffff) * BigInt(0x100000000) + BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074; // subnormal
  } else {
    mant += BIG1 << BigInt(52);
    exp = biased - 1075;
  }
  if (exp >= 0) return [mant << BigInt(exp), BIG1];
  return [mant, BIG1 << BigInt(-exp)];
}

/** Round num/den to an integer, ties to even. */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * BIG2;
  if (r2 > den || (r2 === den && q % BIG2 === BIG1)) return q + BIG1;
  return q;
}

function nonFiniteStr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  return x > 0 ? 'inf' : '-inf';
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Python `format(x, '.{p}f')`. */
function pyFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  const sign = isNegative(x) ? '-' : '';
  const a = Math.abs(x);
  let digits: string;
  if (a === 0) {
    digits = '0'.repeat(p + 1);
  } else {
    const [num, den] = toRational(a);
    digits = divRoundHalfEven(num * pow10(p), den).toString();
    if (digits.length < p + 1) digits = '0'.repeat(p + 1 - digits.length) + digits;
  }
  if (p === 0) return sign + digits;
  return sign + digits.slice(0, digits.length - p) + '.' + digits.slice(digits.length - p);
}

/** Compare the rational num/den with 10^e: negative, zero or positive. */
function cmpPow10(num: bigint, den: bigint, e: number): number {
  const l = e >= 0 ? num : num * pow10(-e);
  const r = e >= 0 ? den * pow10(e) : den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Python `format(x, '.{p}e')`. */
function pyExp(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  const sign = isNegative(x) ? '-' : '';
  const a = Math.abs(x);
  let digits: string;
  let e10 = 0;
  if (a === 0) {
    digits = '0'.repeat(p + 1);
  } else {
    const [num, den] = toRational(a);
    e10 = Math.floor(Math.log10(a));
    // Make 10^e10 <= a < 10^(e10+1) hold exactly.
    while (cmpPow10(num, den, e10) < 0) e10--;
    while (cmpPow10(num, den, e10 + 1) >= 0) e10++;
    const s = p - e10;
    let n =
      s >= 0 ? divRoundHalfEven(num * pow10(s), den) : divRoundHalfEven(num, den * pow10(-s));
    if (n >= pow10(p + 1)) {
      // Rounded up to the next power of ten (e.g. 9.99996 -> 1.0000e+01).
      n = n / BIG10;
      e10++;
    }
    digits = n.toString();
  }
  const mantissa = p > 0 ? digits[0] + '.' + digits.slice(1) : digits;
  const expAbs = Math.abs(e10);
  const expStr = (e10 < 0 ? '-' : '+') + (expAbs < 10 ? '0' : '') + String(expAbs);
  return sign + mantissa + 'e' + expStr;
}

// ---------------------------------------------------------------------------
// Value normalisation
// ---------------------------------------------------------------------------

function isFloatDType(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

function toNumber(v: Scalar): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number(v);
}

/** Element reader that applies the dtype's value semantics (float32 rounding etc.). */
function valueReader(t: FormatInput): (i: number) => Scalar {
  const data = t.data;
  switch (t.dtype) {
    case 'float32':
      return (i) => Math.fround(toNumber(data[i]));
    case 'float64':
      return (i) => toNumber(data[i]);
    case 'bool':
      return (i) => {
        const v = data[i];
        if (typeof v === 'boolean') return v;
        if (typeof v === 'bigint') return v !== BIG0;
        return v !== 0 && !Number.isNaN(v);
      };
    default:
      return (i) => {
        const v = data[i];
        return typeof v === 'boolean' ? (v ? 1 : 0) : v;
      };
  }
}

function intStr(v: Scalar): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v).toString();
  return String(v); // String(-0) === "0", like Python's int
}

// ---------------------------------------------------------------------------
// _Formatter
// ---------------------------------------------------------------------------

interface Formatter {
  floating: boolean;
  intMode: boolean;
  sciMode: boolean;
  maxWidth: number;
}

function strLen(s: string): number {
  return Array.from(s).length;
}

function buildFormatter(at: (i: number) => Scalar, indices: number[], dtype: DType): Formatter {
  const f: Formatter = { floating: isFloatDType(dtype), intMode: true, sciMode: false, maxWidth: 1 };

  if (!f.floating) {
    for (const i of indices) {
      f.maxWidth = Math.max(f.maxWidth, scalarStr(f, at(i)).length);
    }
    return f;
  }

  const nz: number[] = [];
  for (const i of indices) {
    const v = at(i) as number;
    if (Number.isFinite(v) && v !== 0) nz.push(v);
  }
  if (nz.length === 0) return f;

  let absMin = Infinity;
  let absMax = 0;
  for (const v of nz) {
    const a = Math.abs(v);
    if (a < absMin) absMin = a;
    if (a > absMax) absMax = a;
    if (f.intMode && v !== Math.ceil(v)) f.intMode = false;
  }
  f.sciMode = absMax / absMin > 1000.0 || absMax > 1.0e8 || absMin < 1.0e-4;

  for (const v of nz) {
    let len: number;
    if (f.sciMode) len = pyExp(v, PRECISION).length;
    else if (f.intMode) len = pyFixed(v, 0).length + 1; // room for the trailing "."
    else len = pyFixed(v, PRECISION).length;
    if (len > f.maxWidth) f.maxWidth = len;
  }
  return f;
}

function scalarStr(f: Formatter, v: Scalar): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return intStr(v);
}

function formatValue(f: Formatter, v: Scalar): string {
  let ret: string;
  if (f.floating) {
    const x = v as number;
    if (f.sciMode) {
      ret = pyExp(x, PRECISION);
    } else if (f.intMode) {
      ret = pyFixed(x, 0);
      if (Number.isFinite(x)) ret += '.';
    } else {
      ret = pyFixed(x, PRECISION);
    }
  } else {
    ret = scalarStr(f, v);
  }
  const pad = f.maxWidth - ret.length;
  return pad > 0 ? ' '.repeat(pad) + ret : ret;
}

// ---------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------

/** Indices kept by a summarized print along one dimension of size n. */
function keptIndices(n: number, summarize: boolean): number[] {
  const out: number[] = [];
  if (summarize && n > 2 * EDGEITEMS) {
    for (let i = 0; i < EDGEITEMS; i++) out.push(i);
    for (let i = n - EDGEITEMS; i < n; i++) out.push(i);
  } else {
    for (let i = 0; i < n; i++) out.push(i);
  }
  return out;
}

/** Flat offsets of the elements that PyTorch's get_summarized_data keeps. */
function collectIndices(
  shape: number[],
  strides: number[],
  dim: number,
  offset: number,
  summarize: boolean,
  out: number[],
): void {
  if (dim === shape.length) {
    out.push(offset);
    return;
  }
  for (const i of keptIndices(shape[dim], summarize)) {
    collectIndices(shape, strides, dim + 1, offset + i * strides[dim], summarize, out);
  }
}

interface Ctx {
  at: (i: number) => Scalar;
  shape: number[];
  strides: number[];
  summarize: boolean;
  fmt: Formatter;
}

function vectorStr(ctx: Ctx, offset: number, indent: number): string {
  const dim = ctx.shape.length - 1;
  const n = ctx.shape[dim];
  const stride = ctx.strides[dim];
  const elementLength = ctx.fmt.maxWidth + 2;
  const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / elementLength));

  const data: string[] = [];
  const fmtAt = (i: number) => formatValue(ctx.fmt, ctx.at(offset + i * stride));
  if (ctx.summarize && n > 2 * EDGEITEMS) {
    for (let i = 0; i < EDGEITEMS; i++) data.push(fmtAt(i));
    data.push(' ...');
    for (let i = n - EDGEITEMS; i < n; i++) data.push(fmtAt(i));
  } else {
    for (let i = 0; i < n; i++) data.push(fmtAt(i));
  }

  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) {
    lines.push(data.slice(i, i + perLine).join(', '));
  }
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStrAt(ctx: Ctx, dim: number, offset: number, indent: number): string {
  const remaining = ctx.shape.length - dim;
  if (remaining === 0) return formatValue(ctx.fmt, ctx.at(offset));
  if (remaining === 1) return vectorStr(ctx, offset, indent);

  const n = ctx.shape[dim];
  const stride = ctx.strides[dim];
  const sub = (i: number) => tensorStrAt(ctx, dim + 1, offset + i * stride, indent + 1);
  const slices: string[] = [];
  if (ctx.summarize && n > 2 * EDGEITEMS) {
    for (let i = 0; i < EDGEITEMS; i++) slices.push(sub(i));
    slices.push('...');
    for (let i = n - EDGEITEMS; i < n; i++) slices.push(sub(i));
  } else {
    for (let i = 0; i < n; i++) slices.push(sub(i));
  }
  return '[' + slices.join(',' + '\n'.repeat(remaining - 1) + ' '.repeat(indent + 1)) + ']';
}

function validate(t: FormatInput): number {
  let numel = 1;
  for (const d of t.shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`format: invalid shape [${t.shape.join(', ')}]`);
    }
    numel *= d;
  }
  if (t.data.length !== numel) {
    throw new Error(
      `format: data has ${t.data.length} elements but shape [${t.shape.join(', ')}] needs ${numel}`,
    );
  }
  return numel;
}

/** PyTorch's _tensor_str(self, indent). */
function tensorStr(t: FormatInput, indent: number): string {
  const numel = validate(t);
  if (numel === 0) return '[]';

  const summarize = numel > THRESHOLD;
  const shape = t.shape;
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const at = valueReader(t);
  const indices: number[] = [];
  collectIndices(shape, strides, 0, 0, summarize, indices);
  const fmt = buildFormatter(at, indices, t.dtype);
  return tensorStrAt({ at, shape, strides, summarize, fmt }, 0, 0, indent);
}

function sizeStr(shape: number[]): string {
  // Python's str(tuple)
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** PyTorch's _add_suffixes (force_newline is always false for dense tensors). */
function addSuffixes(tensorString: string, suffixes: string[], indent: number): string {
  const parts = [tensorString];
  let lastLineLen = tensorString.length - tensorString.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    const suffixLen = strLen(suffix);
    if (lastLineLen + suffixLen + 2 > LINEWIDTH) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffixLen;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffixLen + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** The body PyTorch prints between `tensor(` and the closing `)`, without suffixes, e.g. "[[1., 1.],\n        [1., 1.]]" (the continuation indent is for the `tensor(` prefix). */
export function formatData(t: FormatInput): string {
  return tensorStr(t, INDENT);
}

/** Full repr: `tensor(<body>[, <suffix>...])`. suffixes are appended comma-separated in order, e.g. ["requiresGrad=true"] or ["gradFn=<MeanBackward0>"]; a dtype suffix `dtype=float64` is inserted first automatically when dtype is not the default for its kind (float32 for floats, int64 for integers, bool never gets one). Also handles PyTorch's rule of putting `size=(0, 3)` for empty non-1-D tensors. Long suffix lists wrap onto a new line exactly as PyTorch does when the last line would exceed linewidth.
 *
 * Like PyTorch, an *empty* tensor prints its dtype whenever it is not float32 (including int64 and
 * bool, e.g. `tensor([], dtype=int64)`), since there are no elements to infer it from. */
export function formatTensor(t: FormatInput, suffixes: string[] = []): string {
  const body = tensorStr(t, INDENT);
  const all: string[] = [];
  if (t.data.length === 0) {
    // PyTorch: empty tensors print their shape unless 1-D, and their dtype
    // whenever it is not the default float dtype (even int64/bool), since
    // there are no elements to infer it from.
    if (t.shape.length !== 1) all.push('size=' + sizeStr(t.shape));
    if (t.dtype !== 'float32') all.push('dtype=' + t.dtype);
  } else if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') {
    all.push('dtype=' + t.dtype);
  }
  for (const s of suffixes) all.push(s);
  return addSuffixes(PREFIX + body, all, INDENT);
}
