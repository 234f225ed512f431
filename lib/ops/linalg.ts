/**
 * Linear algebra (op family 'linalg'): addmm, addmv, baddbmm and vector norms are native
 * ops with PyTorch's nodes (csrc/ops/linalg_ext.cpp); outer, kron, cross, einsum and the
 * matrix norms are compositions of differentiable ops (mm/bmm/mv, mul, add, reshape,
 * permute, diagonal, sum, indexSelect), so their gradients and double backward come from
 * those ops' formulas.
 */
import { ArgumentTypeError, RuntimeError, ShapeError, ValueError } from '../errors';
import { composite } from '../memory';
import { N } from '../native';
import { op, Tensor } from '../tensor';
import { defineOp } from './registry';
import './indexing';
import { typeName, tensor } from './args';

declare module '../tensor' {
  interface Tensor {
    /** `beta * this + alpha * (mat1 @ mat2)` for matrices mat1, mat2. */
    addmm(mat1: Tensor, mat2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    /** `beta * this + alpha * (mat @ vec)`. */
    addmv(mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    /** `beta * this + alpha * bmm(batch1, batch2)`. */
    baddbmm(batch1: Tensor, batch2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    /** The outer product of two 1-D tensors. */
    outer(vec2: Tensor): Tensor;
    /** The Kronecker product. */
    kron(other: Tensor): Tensor;
    /** `einsum(equation, this, ...others)`. */
    einsum(equation: string, ...others: Tensor[]): Tensor;
    /** The vector `p`-norm over `dim` (all elements when omitted), as `linalg.vectorNorm`. */
    norm(p?: number, dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** `linalg.vectorNorm(this, ord, dim, keepdim)`. */
    vectorNorm(ord?: number, dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** `linalg.matrixNorm(this, ord, dim, keepdim)`. */
    matrixNorm(ord?: number | 'fro' | 'nuc', dim?: [number, number], keepdim?: boolean): Tensor;
    /** The cross product of 3-vectors along `dim` (default -1), inputs broadcast. */
    cross(other: Tensor, dim?: number): Tensor;
  }
}

function checkDim(t: Tensor, n: number, text: string): void {
  if (t.dim() !== n) throw new ShapeError(`${text}, got ${t.dim()}-D tensor`);
}

const diff = { family: 'linalg' as const, differentiable: true, gradgrad: true };

defineOp({
  name: 'addmm', ...diff, doc: 'beta * input + alpha * (mat1 @ mat2).',
  method(this: Tensor, mat1: Tensor, mat2: Tensor, opts: { beta?: number; alpha?: number } = {}) {
    checkDim(tensor(mat1, 'addmm', 'mat1'), 2, 'mat1 must be a matrix');
    checkDim(tensor(mat2, 'addmm', 'mat2'), 2, 'mat2 must be a matrix');
    return op((t) => N.addmm(t, 0, this._id, mat1._id, mat2._id, opts.beta ?? 1, opts.alpha ?? 1));
  },
});
defineOp({
  name: 'addmv', ...diff, doc: 'beta * input + alpha * (mat @ vec).',
  method(this: Tensor, mat: Tensor, vec: Tensor, opts: { beta?: number; alpha?: number } = {}) {
    checkDim(tensor(mat, 'addmv', 'mat'), 2, 'vector + matrix @ vector expected, mat must be a matrix');
    checkDim(tensor(vec, 'addmv', 'vec'), 1, 'vector + matrix @ vector expected, vec must be a vector');
    return op((t) => N.addmm(t, 1, this._id, mat._id, vec._id, opts.beta ?? 1, opts.alpha ?? 1));
  },
});
defineOp({
  name: 'baddbmm', ...diff, doc: 'beta * input + alpha * bmm(batch1, batch2).',
  method(this: Tensor, batch1: Tensor, batch2: Tensor, opts: { beta?: number; alpha?: number } = {}) {
    checkDim(tensor(batch1, 'baddbmm', 'batch1'), 3, 'batch1 must be a 3D tensor');
    checkDim(tensor(batch2, 'baddbmm', 'batch2'), 3, 'batch2 must be a 3D tensor');
    return op((t) => N.addmm(t, 2, this._id, batch1._id, batch2._id, opts.beta ?? 1, opts.alpha ?? 1));
  },
});
defineOp({
  name: 'outer', ...diff, doc: 'Outer product of two vectors.',
  method: composite(function (this: Tensor, vec2: Tensor) {
    tensor(vec2, 'outer', 'vec2');
    if (this.dim() !== 1 || vec2.dim() !== 1) {
      throw new ShapeError(`outer: expected 1-D tensors, but got ${this.dim()}-D and ${vec2.dim()}-D tensors`);
    }
    return this.unsqueeze(1).mul(vec2.unsqueeze(0));
  }),
});
defineOp({
  name: 'kron', ...diff, doc: 'Kronecker product.',
  method: composite(function (this: Tensor, other: Tensor) {
    tensor(other, 'kron', 'other');
    const nd = Math.max(this.dim(), other.dim());
    const sa = [...Array(nd - this.dim()).fill(1), ...this.shape];
    const sb = [...Array(nd - other.dim()).fill(1), ...other.shape];
    const a = this.reshape(sa.flatMap((s) => [s, 1]));
    const b = other.reshape(sb.flatMap((s) => [1, s]));
    // The product is fresh, so its reshape is PyTorch's _unsafe_view (UnsafeViewBackward0).
    const prod = a.mul(b);
    return op((t) => N.unsafeView(t, prod._id, sa.map((s, i) => s * sb[i])));
  }),
});
defineOp({
  name: 'cross', ...diff, doc: 'Cross product of 3-vectors along a dim.',
  method(this: Tensor, other: Tensor, dim = -1) {
    tensor(other, 'cross', 'other');
    if (!Number.isInteger(dim)) throw new ArgumentTypeError(`linalg.cross(): argument 'dim' must be an integer, not ${typeName(dim)}`);
    // Ranks are equalized here (PyTorch broadcasts them); the native op checks and broadcasts sizes.
    const nd = Math.max(this.dim(), other.dim());
    const [a, b] = [this, other].map((t) => (t.dim() === nd ? t : t.reshape([...Array(nd - t.dim()).fill(1), ...t.shape])));
    return op((t) => N.linalgCross(t, a._id, b._id, dim));
    },
});
defineOp({
  name: 'einsum', ...diff, doc: 'Einstein summation over an equation string (with "...").',
  method(this: Tensor, equation: string, ...others: Tensor[]) {
    return einsum(equation, this, ...others);
  },
});

function dimsOf(dim: number | number[] | null | undefined): number[] {
  if (dim === null || dim === undefined) return [];
  const list = typeof dim === 'number' ? [dim] : dim;
  if (!Array.isArray(list) || list.some((d) => !Number.isInteger(d))) {
    throw new ArgumentTypeError(`linalg.vector_norm(): argument 'dim' must be an int or a tuple of ints, not ${typeName(dim)}`);
  }
  return list;
}

function vectorNormImpl(x: Tensor, ord: number, dim: number | number[] | null | undefined, keepdim: boolean): Tensor {
  if (typeof ord !== 'number') throw new ArgumentTypeError(`linalg.vector_norm(): argument 'ord' must be a number, not ${typeName(ord)}`);
  return op((t) => N.vectorNorm(t, x._id, ord, dimsOf(dim), !!keepdim));
}

function svdvals(a: Tensor): Tensor {
  return op((t) => N.svdvals(t, a._id));
}

const matrixNormImpl = composite(function (a: Tensor, ord: number | 'fro' | 'nuc', dim: [number, number], keepdim: boolean): Tensor {
  if (a.dim() < 2) throw new RuntimeError(`linalg.matrix_norm: The input tensor A must have at least 2 dimensions.`);
  if (ord === 'fro') return vectorNormImpl(a, 2, dim, keepdim);
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    const nd = a.dim();
    const [d0, d1] = dim.map((d) => (d < 0 ? d + nd : d));
    // 1: max over columns of the column sums; inf: max over rows of the row sums.
    const [sumDim, extDim] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
    const sums = vectorNormImpl(a, 1, sumDim, keepdim);
    const e = keepdim || extDim < sumDim ? extDim : extDim - 1;
    return ord > 0 ? sums.amax(e, keepdim) : sums.amin(e, keepdim);
  }
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // As PyTorch: the singular values of A with the two dims moved last, then their max (2),
    // min (-2) or sum ('nuc').
    // With keepdim the reduced dims come back by the inverse permutation (PermuteBackward0).
    const nd = a.dim();
    const [d0, d1] = dim.map((d) => (d < 0 ? d + nd : d));
    const perm = [...Array(nd).keys()].filter((d) => d !== d0 && d !== d1).concat([d0, d1]);
    const sv = svdvals(a.permute(perm));
    const r = ord === 'nuc' ? sv.sum(-1, keepdim) : ord === 2 ? sv.amax(-1, keepdim) : sv.amin(-1, keepdim);
    return keepdim ? r.unsqueeze(-1).permute(perm.map((_, i) => perm.indexOf(i))) : r;
  }
  throw new RuntimeError(`linalg.matrix_norm: Order ${ord} not supported.`);
});

defineOp({
  name: 'svdvals', family: 'linalg', differentiable: true, gradgrad: false,
  doc: 'Singular values of the matrices in the last two dims, descending (linalg.svdvals; first derivatives only).',
});
defineOp({
  name: 'vectorNorm', ...diff, doc: 'Vector p-norm over dims (linalg.vectorNorm).',
  method(this: Tensor, ord = 2, dim: number | number[] | null = null, keepdim = false) {
    return vectorNormImpl(this, ord, dim, keepdim);
  },
});
defineOp({
  name: 'matrixNorm', ...diff, doc: "Matrix norm: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf (linalg.matrixNorm).",
  method(this: Tensor, ord: number | 'fro' | 'nuc' = 'fro', dim: [number, number] = [-2, -1], keepdim = false) {
    return matrixNormImpl(this, ord, dim, keepdim);
  },
});

/**
 * `tg.linalg`: vectorNorm, matrixNorm, norm (a vector norm, or a matrix norm for a string
 * ord or two dims or a 2-D input with an ord and no dim) and cross.
 */
export const linalg = {
  /** The vector `ord`-norm of `x` over `dim` (all elements when null). */
  vectorNorm(x: Tensor, ord = 2, dim: number | number[] | null = null, keepdim = false): Tensor {
    return vectorNormImpl(tensor(x, 'linalg.vector_norm', 'x'), ord, dim, keepdim);
  },
  /** The singular values of the matrices in `a`'s last two dims, in descending order. */
  svdvals(a: Tensor): Tensor {
    return svdvals(tensor(a, 'linalg.svdvals', 'A'));
  },
  /** The matrix norm ('fro', 'nuc', 1, -1, 2, -2, inf, -inf) over the two dims `dim`. */
  matrixNorm(a: Tensor, ord: number | 'fro' | 'nuc' = 'fro', dim: [number, number] = [-2, -1], keepdim = false): Tensor {
    return matrixNormImpl(tensor(a, 'linalg.matrix_norm', 'A'), ord, dim, keepdim);
  },
  /** PyTorch's linalg.norm dispatch between the vector and the matrix norm. */
  norm(a: Tensor, ord: number | 'fro' | 'nuc' | null = null, dim: number | number[] | null = null, keepdim = false): Tensor {
    tensor(a, 'linalg.norm', 'A');
    const dims = dimsOf(dim);
    if (typeof ord === 'string' || dims.length === 2 || (ord !== null && dim === null && a.dim() === 2)) {
      return matrixNormImpl(a, ord ?? 'fro', (dims.length === 2 ? dims : [-2, -1]) as [number, number], keepdim);
    }
    if (ord !== null && dim === null && a.dim() !== 1) throw new RuntimeError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${a.dim()}D.`);
    return vectorNormImpl(a, ord ?? 2, dim, keepdim);
  },
  /** The cross product of 3-vectors along `dim`. */
  cross(a: Tensor, b: Tensor, dim = -1): Tensor {
    return tensor(a, 'linalg.cross', 'input').cross(b, dim);
  },
};

/** `beta * input + alpha * (mat1 @ mat2)`. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  return tensor(input, 'addmm', 'input').addmm(mat1, mat2, opts);
}
/** `beta * input + alpha * (mat @ vec)`. */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  return tensor(input, 'addmv', 'input').addmv(mat, vec, opts);
}
/** `beta * input + alpha * bmm(batch1, batch2)`. */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  return tensor(input, 'baddbmm', 'input').baddbmm(batch1, batch2, opts);
}
/** The outer product of two 1-D tensors. */
export function outer(input: Tensor, vec2: Tensor): Tensor {
  return tensor(input, 'outer', 'input').outer(vec2);
}
/** The Kronecker product of two tensors. */
export function kron(input: Tensor, other: Tensor): Tensor {
  return tensor(input, 'kron', 'input').kron(other);
}
/** The cross product of 3-vectors along `dim`. */
export function cross(input: Tensor, other: Tensor, dim = -1): Tensor {
  return tensor(input, 'cross', 'input').cross(other, dim);
}

// ---- einsum
const ELL = -1; // the ellipsis token while parsing

function parseTerm(term: string, eq: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '.') {
      if (term.slice(i, i + 3) !== '...' || out.includes(ELL)) throw new ValueError(`einsum(): invalid ellipsis in equation '${eq}'`);
      out.push(ELL);
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) out.push(c.charCodeAt(0));
    else if (c !== ' ') throw new ValueError(`einsum(): invalid subscript given at index ${eq.indexOf(term) + i} in the equation string, subscripts must be in [a-zA-Z]`);
  }
  return out;
}

/**
 * Einstein summation: `einsum('ij,jk->ik', a, b)`. Labels are letters; `...` stands for
 * broadcast leading dims; without `->` the output is the ellipsis dims then the labels seen
 * once, alphabetically. Repeated labels take diagonals; operands then contract pairwise
 * by bmm (labels nothing later needs are summed out first).
 */
export const einsum = composite(function einsum(equation: string, ...operands: (Tensor | Tensor[])[]): Tensor {
  if (typeof equation !== 'string') throw new ArgumentTypeError(`einsum(): argument 'equation' must be str, not ${typeName(equation)}`);
  const ops: Tensor[] = operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : (operands as Tensor[]);
  ops.forEach((t, i) => tensor(t, 'einsum', `operands[${i}]`));
  const [lhs, rhs] = equation.split('->');
  const terms = lhs.split(',');
  if (terms.length > ops.length) throw new ValueError('einsum(): more operands were provided than specified in the equation'.replace('more', 'fewer'));
  if (terms.length < ops.length) throw new ValueError('einsum(): more operands were provided than specified in the equation');
  // Ellipsis dims get labels -2, -3, ... counted from the right.
  let nEll = 0;
  const labels = terms.map((term, k) => {
    const l = parseTerm(term, equation);
    const named = l.filter((x) => x !== ELL).length;
    const t = ops[k];
    if (l.includes(ELL) ? t.dim() < named : t.dim() !== named) {
      throw new ShapeError(`einsum(): the number of subscripts in the equation (${named}) ${l.includes(ELL) ? 'is more than' : 'does not match'} the number of dimensions (${t.dim()}) for operand ${k}${l.includes(ELL) ? '' : ' and no ellipsis was given'}`);
    }
    const e = t.dim() - named;
    nEll = Math.max(nEll, l.includes(ELL) ? e : 0);
    return l.flatMap((x) => (x === ELL ? Array.from({ length: e }, (_, j) => -2 - (e - 1 - j)) : [x]));
  });
  const ellLabels = Array.from({ length: nEll }, (_, j) => -2 - (nEll - 1 - j));
  let outLabels: number[];
  if (rhs !== undefined) {
    outLabels = parseTerm(rhs, equation).flatMap((x) => (x === ELL ? ellLabels : [x]));
    for (const x of outLabels) {
      if (x >= 0 && !labels.some((l) => l.includes(x))) {
        throw new ValueError(`einsum(): output subscript ${String.fromCharCode(x)} does not appear in the equation for any input operand`);
      }
    }
  } else {
    const counts = new Map<number, number>();
    labels.flat().forEach((x) => counts.set(x, (counts.get(x) ?? 0) + 1));
    outLabels = [...ellLabels, ...[...counts.keys()].filter((x) => x >= 0 && counts.get(x) === 1).sort((a, b) => a - b)];
  }
  // Repeated labels within one operand take the diagonal.
  const prepared = ops.map((t, k) => {
    let l = labels[k].slice();
    let x = t;
    for (;;) {
      const i = l.findIndex((v, j) => l.indexOf(v) !== j);
      if (i < 0) break;
      const first = l.indexOf(l[i]);
      const lab = l[i];
      if (x.shape[first] !== x.shape[i]) {
        throw new ShapeError(`einsum(): subscript ${String.fromCharCode(lab)} is repeated for operand ${k} but the sizes don't match, ${x.shape[first]} != ${x.shape[i]}`);
      }
      x = x.diagonal(0, first, i);
      l = l.filter((_, j) => j !== first && j !== i).concat([lab]);
    }
    return { x, l };
  });
  // Labels no later operand or the output needs are summed out of each operand first; then
  // the operands contract pairwise, left to right, as one bmm each.
  const keepAfter = (k: number): Set<number> => new Set([...outLabels, ...prepared.slice(k + 1).flatMap((p) => p.l)]);
  const sumOut = (x: Tensor, l: number[], keep: Set<number>, other: number[]): { x: Tensor; l: number[] } => {
    const drop = l.map((v, i) => (!keep.has(v) && !other.includes(v) ? i : -1)).filter((i) => i >= 0);
    return drop.length ? { x: x.sum(drop), l: l.filter((_, i) => !drop.includes(i)) } : { x, l };
  };
  let cur = sumOut(prepared[0].x, prepared[0].l, keepAfter(0), prepared.length > 1 ? prepared[1].l : []);
  for (let k = 1; k < prepared.length; k++) {
    const keep = keepAfter(k);
    const A = sumOut(cur.x, cur.l, keep, prepared[k].l);
    const B = sumOut(prepared[k].x, prepared[k].l, keep, A.l);
    cur = contractPair(A.x, A.l, B.x, B.l, keep);
  }
  // The last operand: sum what the output lacks, then order as the output.
  const fin = sumOut(cur.x, cur.l, new Set(outLabels), []);
  const perm = outLabels.map((v) => fin.l.indexOf(v));
  return perm.length > 1 && perm.some((p, i) => p !== i) ? fin.x.permute(perm) : fin.x;
});

/**
 * One einsum contraction: A's and B's labels split into batch (both, kept), contracted (both,
 * not kept), A-only and B-only; A as [batch, M, K] and B as [batch, K, N] (size-1 dims
 * broadcast) multiply by bmm into batch + A-only + B-only labels.
 */
function contractPair(a: Tensor, la: number[], b: Tensor, lb: number[], keep: Set<number>): { x: Tensor; l: number[] } {
  const size = (v: number): number => Math.max(la.includes(v) ? a.shape[la.indexOf(v)] : 1, lb.includes(v) ? b.shape[lb.indexOf(v)] : 1);
  const batch = la.filter((v) => lb.includes(v) && keep.has(v));
  const contr = la.filter((v) => lb.includes(v) && !keep.has(v));
  const aOnly = la.filter((v) => !lb.includes(v));
  const bOnly = lb.filter((v) => !la.includes(v));
  const arrange = (x: Tensor, l: number[], order: number[]): Tensor => {
    const perm = order.map((v) => l.indexOf(v));
    const y = perm.length > 1 ? x.permute(perm) : x;
    return y.expand(order.map(size));
  };
  const p = (vs: number[]): number => vs.reduce((acc, v) => acc * size(v), 1);
  const A = arrange(a, la, [...batch, ...aOnly, ...contr]).reshape([p(batch), p(aOnly), p(contr)]);
  const B = arrange(b, lb, [...batch, ...contr, ...bOnly]).reshape([p(batch), p(contr), p(bOnly)]);
  const r = A.bmm(B).reshape([...batch, ...aOnly, ...bOnly].map(size));
  return { x: r, l: [...batch, ...aOnly, ...bOnly] };
}
