/**
 * Module-level forms of the tensor ops (`tg.add(a, b)`, `tg.mm(a, b)`), for code written in
 * PyTorch's `torch.add(a, b)` style. Each forwards to the Tensor method.
 */
import { ArgumentTypeError } from './errors';
import { BINARY, N } from './native';
import { tensor } from './creation';
import { Index, Tensor, TensorLike, ValuesIndices, op, idOf } from './tensor';

function asTensor(x: unknown, name: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new ArgumentTypeError(`${name}(): argument 'input' must be Tensor, not ${typeof x}`);
}

// A number first operand (`sub(10, a)`) runs the reflected op.
function reflected(name: string, a: TensorLike, b: TensorLike, alpha?: number): Tensor {
  if (typeof a === 'number' && b instanceof Tensor) {
    if (alpha !== undefined && alpha !== 1) return reflected(name, a, b.mul(alpha));
    return op((t) => N.binaryScalar(t, BINARY[name], b._id, a, undefined, true));
  }
  const x = asTensor(a, name);
  switch (name) {
    case 'add': return x.add(b, { alpha });
    case 'sub': return x.sub(b, { alpha });
    case 'mul': return x.mul(b);
    case 'div': return x.div(b);
    default: return x.pow(b);
  }
}

export const add = (a: TensorLike, b: TensorLike, opts?: { alpha?: number }): Tensor => reflected('add', a, b, opts?.alpha);
export const sub = (a: TensorLike, b: TensorLike, opts?: { alpha?: number }): Tensor => reflected('sub', a, b, opts?.alpha);
export const mul = (a: TensorLike, b: TensorLike): Tensor => reflected('mul', a, b);
export const div = (a: TensorLike, b: TensorLike, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor =>
  opts?.roundingMode ? asTensor(a, 'div').div(b, opts) : reflected('div', a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => reflected('pow', a, b);
export const neg = (a: Tensor): Tensor => asTensor(a, 'neg').neg();
export const exp = (a: Tensor): Tensor => asTensor(a, 'exp').exp();
export const log = (a: Tensor): Tensor => asTensor(a, 'log').log();
export const sqrt = (a: Tensor): Tensor => asTensor(a, 'sqrt').sqrt();
export const abs = (a: Tensor): Tensor => asTensor(a, 'abs').abs();
export const sign = (a: Tensor): Tensor => asTensor(a, 'sign').sign();
export const relu = (a: Tensor): Tensor => asTensor(a, 'relu').relu();
export const sin = (a: Tensor): Tensor => asTensor(a, 'sin').sin();
export const cos = (a: Tensor): Tensor => asTensor(a, 'cos').cos();
export const tanh = (a: Tensor): Tensor => asTensor(a, 'tanh').tanh();
export const sigmoid = (a: Tensor): Tensor => asTensor(a, 'sigmoid').sigmoid();
export const floor = (a: Tensor): Tensor => asTensor(a, 'floor').floor();
export const ceil = (a: Tensor): Tensor => asTensor(a, 'ceil').ceil();
export const round = (a: Tensor, opts?: { decimals?: number }): Tensor => asTensor(a, 'round').round(opts);
export const maximum = (a: Tensor, b: Tensor): Tensor => asTensor(a, 'maximum').maximum(b);
export const minimum = (a: Tensor, b: Tensor): Tensor => asTensor(a, 'minimum').minimum(b);
/** Clamps into `[min, max]` (numbers or tensors); either bound may be omitted. */
export function clamp(a: Tensor, opts: { min?: TensorLike | null; max?: TensorLike | null }): Tensor;
export function clamp(a: Tensor, min: TensorLike | null | undefined, max?: TensorLike | null): Tensor;
export function clamp(a: Tensor, min: { min?: TensorLike | null; max?: TensorLike | null } | TensorLike | null | undefined, max?: TensorLike | null): Tensor {
  const x = asTensor(a, 'clamp');
  return min !== null && min !== undefined && typeof min === 'object' && !(min instanceof Tensor) ? x.clamp(min) : x.clamp(min, max);
}
export const sum = (a: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => asTensor(a, 'sum').sum(dim, keepdim);
export const mean = (a: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => asTensor(a, 'mean').mean(dim, keepdim);
export const argmax = (a: Tensor, dim?: number | null, keepdim = false): Tensor => asTensor(a, 'argmax').argmax(dim, keepdim);
export const argmin = (a: Tensor, dim?: number | null, keepdim = false): Tensor => asTensor(a, 'argmin').argmin(dim, keepdim);
/** `max(a)`: the largest element; `max(a, dim, keepdim)`: `[values, indices]` along dim. */
export function max(a: Tensor): Tensor;
export function max(a: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(a: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? asTensor(a, 'max').max() : asTensor(a, 'max').max(dim, keepdim);
}
/** `min(a)`: the smallest element; `min(a, dim, keepdim)`: `[values, indices]` along dim. */
export function min(a: Tensor): Tensor;
export function min(a: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(a: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? asTensor(a, 'min').min() : asTensor(a, 'min').min(dim, keepdim);
}
export const mm = (a: Tensor, b: Tensor): Tensor => asTensor(a, 'mm').mm(b);
export const bmm = (a: Tensor, b: Tensor): Tensor => asTensor(a, 'bmm').bmm(b);
export const mv = (a: Tensor, v: Tensor): Tensor => asTensor(a, 'mv').mv(v);
export const dot = (a: Tensor, b: Tensor): Tensor => asTensor(a, 'dot').dot(b);
export const matmul = (a: Tensor, b: Tensor): Tensor => asTensor(a, 'matmul').matmul(b);
export const t = (a: Tensor): Tensor => asTensor(a, 't').t();
export const transpose = (a: Tensor, d0: number, d1: number): Tensor => asTensor(a, 'transpose').transpose(d0, d1);
export const permute = (a: Tensor, dims: number[]): Tensor => asTensor(a, 'permute').permute(dims);
export const reshape = (a: Tensor, shape: number[]): Tensor => asTensor(a, 'reshape').reshape(shape);
export const squeeze = (a: Tensor, dim?: number): Tensor => asTensor(a, 'squeeze').squeeze(dim);
export const unsqueeze = (a: Tensor, dim: number): Tensor => asTensor(a, 'unsqueeze').unsqueeze(dim);
export const clone = (a: Tensor): Tensor => asTensor(a, 'clone').clone();
export const index = (a: Tensor, ...indices: Index[]): Tensor => asTensor(a, 'index').index(...indices);
export const eq = (a: Tensor, b: TensorLike): Tensor => asTensor(a, 'eq').eq(b);
export const ne = (a: Tensor, b: TensorLike): Tensor => asTensor(a, 'ne').ne(b);
export const lt = (a: Tensor, b: TensorLike): Tensor => asTensor(a, 'lt').lt(b);
export const le = (a: Tensor, b: TensorLike): Tensor => asTensor(a, 'le').le(b);
export const gt = (a: Tensor, b: TensorLike): Tensor => asTensor(a, 'gt').gt(b);
export const ge = (a: Tensor, b: TensorLike): Tensor => asTensor(a, 'ge').ge(b);

/**
 * `cond ? a : b` elementwise, with broadcasting. `a` or `b` may be a number, which takes part
 * in type promotion like a Python scalar (`where(c, x, 0)` keeps x's dtype).
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = [whereOperand(a, b, 'input'), whereOperand(b, a, 'other')];
  return op((out) => N.where(out, idOf(cond, 'where', 'condition'), idOf(x, 'where', 'input'), idOf(y, 'where', 'other')));
}

// A number operand of where() as a 0-d tensor: int64 for integers (float32 next to a float
// tensor, bool for booleans), float32 for other numbers unless the tensor operand is float64.
function whereOperand(v: TensorLike, other: TensorLike, arg: string): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'boolean') return tensor(v, { dtype: 'bool' });
  if (typeof v !== 'number') throw new ArgumentTypeError(`where(): argument '${arg}' must be Tensor or number, not ${typeof v}`);
  const od = other instanceof Tensor ? other.dtype : undefined;
  const isFloat = od === 'float32' || od === 'float64';
  if (Number.isInteger(v) && !isFloat) return tensor(v, { dtype: od && od !== 'bool' ? od : 'int64' });
  return tensor(v, { dtype: od === 'float64' ? 'float64' : 'float32' });
}
