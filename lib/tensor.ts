/**
 * The Tensor class: a thin handle over a native TensorImpl (see lib/native.ts). Every
 * method normalises its arguments and makes one native call; no math happens here.
 */
import { inspect } from 'util';
import { ArgumentTypeError, DeviceError, DTypeError, IndexError, NotImplementedError, RuntimeError, ShapeError, ValueError } from './errors';
import { captureUserStack } from './autograd/anomaly';
import { formatTensor } from './format';
import { track } from './memory';
import { BINARY, DTypeName, IndexItem, Made, N, REDUCE, UNARY } from './native';
import { warn } from './warnings';

/** Element types. float32 is the default for floating data, int64 for integer indices. */
export type DType = DTypeName;
/** A tensor or a plain number (a Python-style scalar operand). */
export type TensorLike = Tensor | number;
/** One index of `Tensor.index`: an integer, a slice string like `"1:3"`, `":"`, `"::2"`, `"..."`, or `null` (new axis). */
export type Index = number | string | null | Tensor; // tensors: advanced indexing (lib/ops/indexing.ts)

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep the graph's saved tensors so backward can run through it again. Defaults to createGraph. */
  retainGraph?: boolean;
  /** Record the backward pass itself, so gradients can be differentiated again. */
  createGraph?: boolean;
  /** Accumulate gradients only into these tensors. */
  inputs?: Tensor[];
}

/** A handle returned by `registerHook`; `remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** A node of the backward graph (PyTorch's `grad_fn`). */
export class GradFn {
  /** @internal */
  constructor(readonly _id: number) {}
  /** PyTorch's node name, e.g. `MulBackward0` or `torch::autograd::AccumulateGrad`. */
  get name(): string {
    return N.nodeName(this._id);
  }
  /** One `[node | null, inputNr]` pair per input of the forward op, in argument order. */
  get nextFunctions(): [GradFn | null, number][] {
    return N.nodeNext(this._id) as [GradFn | null, number][];
  }
  /** Shapes of the tensors this node saved for backward (kept after they are freed). */
  get savedShapes(): number[][] {
    return N.nodeSavedShapes(this._id);
  }
  /** For an `AccumulateGrad` node: the leaf tensor it accumulates into. */
  get variable(): Tensor | undefined {
    return N.nodeVariable(this._id) as Tensor | undefined;
  }
  toString(): string {
    return `<${this.name}>`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

const NON_LEAF_GRAD_WARNING =
  'The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won\'t be ' +
  'populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, ' +
  'use .retainGrad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the ' +
  'leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.';

export const CREATE_GRAPH_WARNING =
  'Using backward() with createGraph: true will create a reference cycle between the parameter and its gradient ' +
  'which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you ' +
  'have to use this function, make sure to reset the .grad fields of your parameters to null after use to break ' +
  'the cycle and avoid the leak.';

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** @internal The handle id of a tensor argument, with a clear error for anything else. */
export function idOf(x: unknown, op: string, arg = 'other'): number {
  if (x instanceof Tensor) return x._id;
  throw new ArgumentTypeError(`${op}(): argument '${arg}' must be Tensor, not ${typeName(x)}`);
}

/** @internal Wraps the result of a native call that made a tensor for `t`. */
export function made(t: Tensor, r: Made): Tensor {
  if (typeof r === 'number') {
    t._id = r;
    track(t);
    return t;
  }
  return r as Tensor;
}

/** @internal Runs a native op that creates one tensor. */
export function op(f: (out: Tensor) => Made): Tensor {
  const t = new Tensor();
  return made(t, f(t));
}

function checkInt(v: unknown, op: string, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ArgumentTypeError(`${op}(): argument '${arg}' must be an integer, not ${typeName(v)}`);
  }
  return v;
}

function binary(name: string, self: Tensor, other: unknown, alpha?: number, reversed = false): Tensor {
  const code = BINARY[name];
  if (other instanceof Tensor) return op((t) => N.binary(t, code, self._id, other._id, alpha));
  if (typeof other === 'number' || typeof other === 'boolean') {
    return op((t) => N.binaryScalar(t, code, self._id, other, alpha, reversed));
  }
  throw new ArgumentTypeError(`${name}(): argument 'other' must be Tensor or number, not ${typeName(other)}`);
}

function binaryInplace(name: string, self: Tensor, other: unknown, alpha?: number): Tensor {
  const code = BINARY[name];
  if (other instanceof Tensor) N.binaryInplace(code, self._id, other._id, alpha, false);
  else if (typeof other === 'number' || typeof other === 'boolean') N.binaryInplace(code, self._id, other, alpha, true);
  else throw new ArgumentTypeError(`${name}_(): argument 'other' must be Tensor or number, not ${typeName(other)}`);
  return self;
}

/** Parses `index()` arguments into the native index spec. */
function parseIndex(items: Index[]): IndexItem[] {
  return items.map((it): IndexItem => {
    if (it === null) return ['n'];
    if (typeof it === 'number') {
      if (!Number.isInteger(it)) throw new IndexError(`index(): an integer index was expected, got ${it}`);
      return ['i', it];
    }
    if (typeof it === 'string') {
      const s = it.trim();
      if (s === '...') return ['e'];
      const parts = s.split(':');
      if (parts.length < 2 || parts.length > 3) {
        if (/^-?\d+$/.test(s)) return ['i', Number(s)];
        throw new IndexError(`index(): cannot parse index '${it}' (expected e.g. ":", "1:3", "::2", "..." or an integer)`);
      }
      const num = (p: string | undefined): number | null => {
        if (p === undefined || p.trim() === '') return null;
        if (!/^\s*-?\d+\s*$/.test(p)) throw new IndexError(`index(): cannot parse slice '${it}'`);
        return Number(p);
      };
      return ['s', num(parts[0]), num(parts[1]), num(parts[2])];
    }
    throw new IndexError(`index(): unsupported index of type ${typeName(it)}`);
  });
}

function unflatten(flat: ArrayLike<number | boolean>, shape: number[]): unknown {
  if (shape.length === 0) return flat[0];
  const build = (dim: number, offset: number): unknown[] => {
    const n = shape[dim];
    const out: unknown[] = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = flat[offset + i];
      return out;
    }
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
    for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
    return out;
  };
  return build(0, 0);
}

/**
 * A multi-dimensional array with autograd, mirroring `torch.Tensor` in camelCase.
 * Create tensors with `tensor()`, `zeros()`, `randn()` and friends, not with `new`.
 */
export class Tensor {
  /** @internal Handle id into the native slot table; -1 once disposed. */
  _id = -1;

  // ---------------------------------------------------------------- reading
  /** The sizes of each dimension. */
  get shape(): number[] {
    return N.shape(this._id);
  }
  /** The element type. */
  get dtype(): DType {
    return N.dtype(this._id);
  }
  /** The device holding the data, e.g. `"cpu"`. */
  get device(): string {
    return N.device(this._id);
  }
  /** `size()` is the shape; `size(d)` the size of dim d (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const s = this.shape;
    if (dim === undefined) return s;
    const d = dim < 0 ? dim + s.length : dim;
    if (d < 0 || d >= s.length) {
      throw new IndexError(`Dimension out of range (expected to be in range of [${-s.length}, ${s.length - 1}], but got ${dim})`);
    }
    return s[d];
  }
  /** Strides of each dimension, in elements. */
  stride(): number[] {
    return N.strides(this._id);
  }
  /** Number of elements. */
  numel(): number {
    return N.numel(this._id);
  }
  /** Number of dimensions. */
  dim(): number {
    return N.dim(this._id);
  }
  /** Whether the elements are laid out contiguously in row-major order. */
  isContiguous(): boolean {
    return N.isContiguous(this._id);
  }
  /** The version counter: bumped by every in-place write to this tensor or its views. */
  get version(): number {
    return N.version(this._id);
  }
  /** The value of a one-element tensor as a JS number (boolean for bool tensors). */
  item(): number | boolean {
    return N.item(this._id);
  }
  /** A copy of the elements as a TypedArray in row-major order (int64 as BigInt64Array). */
  data(): Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array {
    return N.data(this._id);
  }
  /** The elements as nested JS arrays of numbers (booleans for bool tensors). */
  toArray(): unknown {
    const d = N.data(this._id);
    const dt = this.dtype;
    let flat: ArrayLike<number | boolean>;
    // By dtype, not instanceof: the addon's typed arrays may come from another realm (jest).
    if (dt === 'int64') flat = Array.from(d as BigInt64Array, (v) => Number(v));
    else if (dt === 'bool') flat = Array.from(d as Uint8Array, (v) => v !== 0);
    else flat = d as ArrayLike<number>;
    return unflatten(flat, this.shape);
  }
  /** PyTorch's printed form: `tensor([1., 2.], requiresGrad=true)`. */
  toString(): string {
    if (this._id < 0) return 'tensor(<disposed>)';
    const suffixes: string[] = [];
    const fn = this.gradFn;
    if (fn) suffixes.push(`gradFn=<${fn.name}>`);
    else if (this.requiresGrad) suffixes.push('requiresGrad=true');
    return formatTensor({ data: N.data(this._id), shape: this.shape, dtype: this.dtype }, suffixes);
  }
  [inspect.custom](): string {
    return this.toString();
  }

  // ---------------------------------------------------------------- lifetime
  /** Frees this tensor's handle now; using it afterwards throws. Idempotent. */
  dispose(): void {
    if (this._id >= 0) {
      N.release(this._id);
      this._id = -1;
    }
  }
  /** `using t = ...` support: disposes at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
  /** Whether `dispose()` was called (or a tidy scope freed it). */
  get isDisposed(): boolean {
    return this._id < 0;
  }

  // ---------------------------------------------------------------- autograd
  /** Whether gradients are computed for this tensor. Settable on leaves. */
  get requiresGrad(): boolean {
    return N.requiresGrad(this._id);
  }
  set requiresGrad(v: boolean) {
    if (v && !N.isLeaf(this._id)) throw new RuntimeError('you can only change requires_grad flags of leaf variables.');
    N.setRequiresGrad(this._id, !!v);
  }
  /** Sets requiresGrad in place (leaves only) and returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    N.setRequiresGrad(this._id, requiresGrad);
    return this;
  }
  /** True for tensors not produced by a recorded op (gradFn is null). */
  get isLeaf(): boolean {
    return N.isLeaf(this._id);
  }
  /** The node that produced this tensor in the recorded graph, or null for leaves. */
  get gradFn(): GradFn | null {
    return N.gradFn(this._id) as GradFn | null;
  }
  /** The accumulated gradient, or null. Leaves and retainGrad() tensors receive one. */
  get grad(): Tensor | null {
    const g = N.getGrad(this._id) as Tensor | null;
    if (g === null && !N.isLeaf(this._id) && !N.retainsGrad(this._id)) warn(NON_LEAF_GRAD_WARNING);
    return g;
  }
  set grad(g: Tensor | null) {
    if (g !== null && g !== undefined && !(g instanceof Tensor)) {
      throw new ArgumentTypeError(`assigned grad expected to be a Tensor or null but got grad of type ${typeName(g)}`);
    }
    N.setGrad(this._id, g ? g._id : null);
  }
  /** Makes this non-leaf tensor keep its .grad after backward. */
  retainGrad(): void {
    N.retainGrad(this._id);
  }
  /** Whether retainGrad() was called on this non-leaf tensor. */
  get retainsGrad(): boolean {
    return N.retainsGrad(this._id);
  }
  /**
   * Computes the gradient of this tensor w.r.t. graph leaves and accumulates it into their
   * `.grad`. `gradient` is required unless this tensor has one element.
   */
  backward(gradient?: Tensor | null | BackwardOptions, opts: BackwardOptions = {}): void {
    if (gradient && !(gradient instanceof Tensor)) {
      opts = gradient as BackwardOptions;
      gradient = undefined;
    }
    const create = !!opts.createGraph;
    const keep = opts.retainGraph ?? create;
    if (create) warn(CREATE_GRAPH_WARNING);
    let inputs: number[] | null = null;
    if (opts.inputs !== undefined) {
      if (opts.inputs.length === 0) throw new RuntimeError('`inputs` argument to `backward()` cannot be empty.');
      inputs = opts.inputs.map((t) => idOf(t, 'backward', 'inputs'));
    }
    const g = gradient ? idOf(gradient, 'backward', 'gradient') : null;
    N.backward([this._id], [g], keep, create, inputs);
  }
  /**
   * Registers `hook(grad)` to run when this tensor's gradient is computed; returning a
   * tensor replaces the gradient. The graph keeps the hook: a hook that refers to this tensor
   * keeps it alive until it is disposed (or its tidy scope ends).
   */
  registerHook(hook: (grad: Tensor) => Tensor | void | undefined | null): RemovableHandle {
    if (typeof hook !== 'function') throw new ArgumentTypeError('registerHook(): hook must be a function');
    const [id, node] = N.registerHook(this._id, hook as (g: unknown) => unknown, hook.name || '<anonymous>');
    // A non-leaf's hook stays on the node it was registered on, also after an in-place op
    // gives this tensor a new gradFn (J3); `node` refers to that node without keeping it alive.
    return { remove: () => N.removeHook(node || this._id < 0 ? null : this._id, id, node) };
  }
  /**
   * Registers `hook(tensor)` to run after a gradient was accumulated into this leaf's .grad
   * (in noGrad unless the backward builds a graph); it may update the tensor in place.
   */
  registerPostAccumulateGradHook(hook: (tensor: Tensor) => void): RemovableHandle {
    if (typeof hook !== 'function') throw new ArgumentTypeError('registerPostAccumulateGradHook(): hook must be a function');
    const id = N.registerPostAccumulateHook(this._id, hook as (t: unknown) => void);
    return {
      remove: () => {
        if (this._id >= 0) N.removePostAccumulateHook(this._id, id);
      },
    };
  }
  /** A new tensor sharing data (and version counter) with this one, outside the graph. */
  detach(): Tensor {
    return op((t) => N.detach(t, this._id));
  }
  /** Detaches this tensor from the graph in place, making it a leaf. */
  detach_(): this {
    N.detachInplace(this._id);
    return this;
  }
  /** Whether this tensor was created in inference mode. */
  isInference(): boolean {
    return N.isInference(this._id);
  }

  // ---------------------------------------------------------------- arithmetic
  /** `this + alpha * other`. */
  add(other: TensorLike, opts?: { alpha?: number }): Tensor {
    return binary('add', this, other, opts?.alpha);
  }
  /** `this - alpha * other`. */
  sub(other: TensorLike, opts?: { alpha?: number }): Tensor {
    return binary('sub', this, other, opts?.alpha);
  }
  /** Elementwise product. */
  mul(other: TensorLike): Tensor {
    return binary('mul', this, other);
  }
  /**
   * Elementwise true division (integers divide to float32); with `roundingMode` 'trunc' or
   * 'floor' the quotient is rounded (integer division for integer dtypes, like PyTorch).
   */
  div(other: TensorLike, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor {
    const mode = opts?.roundingMode;
    if (mode === undefined || mode === null) return binary('div', this, other);
    if (typeof other === 'number') return op((t) => N.divMode(t, this._id, other, true, mode));
    return op((t) => N.divMode(t, this._id, idOf(other, 'div'), false, mode));
  }
  /** `this ** exponent` for a number or tensor exponent. */
  pow(exponent: TensorLike): Tensor {
    return binary('pow', this, exponent);
  }
  /** Elementwise maximum (NaN propagates). */
  maximum(other: Tensor): Tensor {
    return binary('maximum', this, other);
  }
  /** Elementwise minimum (NaN propagates). */
  minimum(other: Tensor): Tensor {
    return binary('minimum', this, other);
  }
  /** `-this`. */
  neg(): Tensor {
    return this.unary('neg');
  }
  /** Elementwise `e ** x`. */
  exp(): Tensor {
    return this.unary('exp');
  }
  /** Elementwise natural logarithm. */
  log(): Tensor {
    return this.unary('log');
  }
  /** Elementwise square root. */
  sqrt(): Tensor {
    return this.unary('sqrt');
  }
  /** Elementwise absolute value. */
  abs(): Tensor {
    return this.unary('abs');
  }
  /** Elementwise sign: -1, 0 or 1 (zero gradient). */
  sign(): Tensor {
    return this.unary('sign');
  }
  /** Elementwise `max(x, 0)`. */
  relu(): Tensor {
    return this.unary('relu');
  }
  /** Elementwise sine. */
  sin(): Tensor {
    return this.unary('sin');
  }
  /** Elementwise cosine. */
  cos(): Tensor {
    return this.unary('cos');
  }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor {
    return this.unary('tanh');
  }
  /** Elementwise logistic function `1 / (1 + e ** -x)`. */
  sigmoid(): Tensor {
    return this.unary('sigmoid');
  }
  /** Elementwise `1 / x`. */
  reciprocal(): Tensor {
    return this.unary('reciprocal');
  }
  /** Elementwise `x * x`. */
  square(): Tensor {
    return this.unary('square');
  }
  /** Elementwise floor (zero gradient). */
  floor(): Tensor {
    return this.unary('floor');
  }
  /** Elementwise ceiling (zero gradient). */
  ceil(): Tensor {
    return this.unary('ceil');
  }
  /** Elementwise rounding, half to even, optionally to `decimals` places (zero gradient). */
  round(opts?: { decimals?: number }): Tensor {
    const decimals = opts?.decimals ?? 0;
    if (decimals === 0) return this.unary('round');
    return op((t) => N.roundDecimals(t, this._id, checkInt(decimals, 'round', 'decimals')));
  }
  /** Elementwise truncation toward zero (zero gradient). */
  trunc(): Tensor {
    return this.unary('trunc');
  }
  private unary(name: string): Tensor {
    return op((t) => N.unary(t, UNARY[name], this._id));
  }
  /** Clamps into `[min, max]`; either bound may be omitted, and bounds may be tensors (broadcast). */
  clamp(opts: { min?: TensorLike | null; max?: TensorLike | null }): Tensor;
  clamp(min: TensorLike | null | undefined, max?: TensorLike | null): Tensor;
  clamp(a: { min?: TensorLike | null; max?: TensorLike | null } | TensorLike | null | undefined, b?: TensorLike | null): Tensor {
    const { min, max } = a !== null && a !== undefined && typeof a === 'object' && !(a instanceof Tensor) ? a : { min: a, max: b };
    if (min instanceof Tensor || max instanceof Tensor) {
      const bound = (v: TensorLike | null | undefined, arg: string): [number | null, boolean] =>
        v === null || v === undefined ? [null, false] : typeof v === 'number' ? [v, true] : [idOf(v, 'clamp', arg), false];
      const [lo, loNum] = bound(min, 'min');
      const [hi, hiNum] = bound(max, 'max');
      return op((t) => N.clampTensor(t, this._id, lo, loNum, hi, hiNum));
    }
    return op((t) => N.clamp(t, this._id, min ?? null, max ?? null));
  }

  // ---------------------------------------------------------------- comparisons
  /** Elementwise `==`, a bool tensor. */
  eq(other: TensorLike): Tensor {
    return binary('eq', this, other);
  }
  /** Elementwise `!=`, a bool tensor. */
  ne(other: TensorLike): Tensor {
    return binary('ne', this, other);
  }
  /** Elementwise `<`, a bool tensor. */
  lt(other: TensorLike): Tensor {
    return binary('lt', this, other);
  }
  /** Elementwise `<=`, a bool tensor. */
  le(other: TensorLike): Tensor {
    return binary('le', this, other);
  }
  /** Elementwise `>`, a bool tensor. */
  gt(other: TensorLike): Tensor {
    return binary('gt', this, other);
  }
  /** Elementwise `>=`, a bool tensor. */
  ge(other: TensorLike): Tensor {
    return binary('ge', this, other);
  }

  // ---------------------------------------------------------------- reductions
  /** Sum of all elements, or over `dim` (a dim or list of dims). */
  sum(dim?: number | number[] | null, keepdim = false): Tensor {
    return this.reduce('sum', dim, keepdim);
  }
  /** Mean of all elements, or over `dim` (a dim or list of dims). */
  mean(dim?: number | number[] | null, keepdim = false): Tensor {
    return this.reduce('mean', dim, keepdim);
  }
  /**
   * `max()`: the largest element (ties share the gradient). `max(dim, keepdim)`: the largest
   * values along `dim` and their indices, as `[values, indices]` that also has `.values` and
   * `.indices` (the gradient goes to the returned index, the first on ties).
   */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    if (dim === undefined) return op((t) => N.reduce(t, REDUCE.max, this._id, null, false));
    return extremeDim(this, dim, keepdim, true);
  }
  /** `min()` / `min(dim, keepdim)`: like `max`. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    if (dim === undefined) return op((t) => N.reduce(t, REDUCE.min, this._id, null, false));
    return extremeDim(this, dim, keepdim, false);
  }
  /** Index of the largest element: over the flattened tensor, or along `dim` (int64). */
  argmax(dim?: number | null, keepdim = false): Tensor {
    const d = dim === undefined || dim === null ? null : checkInt(dim, 'argmax', 'dim');
    return op((t) => N.argExtreme(t, this._id, d, keepdim, true));
  }
  /** Index of the smallest element: over the flattened tensor, or along `dim` (int64). */
  argmin(dim?: number | null, keepdim = false): Tensor {
    const d = dim === undefined || dim === null ? null : checkInt(dim, 'argmin', 'dim');
    return op((t) => N.argExtreme(t, this._id, d, keepdim, false));
  }
  private reduce(name: string, dim: number | number[] | null | undefined, keepdim: boolean): Tensor {
    const dims = dim === undefined || dim === null ? null : Array.isArray(dim) ? dim : [dim];
    if (dims) dims.forEach((d) => checkInt(d, name, 'dim'));
    return op((t) => N.reduce(t, REDUCE[name], this._id, dims, keepdim));
  }

  // ---------------------------------------------------------------- linear algebra
  /** Matrix product of two 2-D tensors. */
  mm(other: Tensor): Tensor {
    return op((t) => N.mm(t, this._id, idOf(other, 'mm', 'mat2')));
  }
  /** Batched matrix product of two 3-D tensors. */
  bmm(other: Tensor): Tensor {
    return op((t) => N.bmm(t, this._id, idOf(other, 'bmm', 'mat2')));
  }
  /** Matrix-vector product. */
  mv(vec: Tensor): Tensor {
    return op((t) => N.mv(t, this._id, idOf(vec, 'mv', 'vec')));
  }
  /** Dot product of two 1-D tensors. */
  dot(other: Tensor): Tensor {
    return op((t) => N.dot(t, this._id, idOf(other, 'dot')));
  }
  /** PyTorch's matmul: dot, mv, mm or batched matmul with broadcasting, by rank. */
  matmul(other: Tensor): Tensor {
    return op((t) => N.matmul(t, this._id, idOf(other, 'matmul')));
  }

  // ---------------------------------------------------------------- shape and views
  /** A view with a new shape (one dim may be -1); the data must be viewable. */
  view(...shape: (number | number[])[]): Tensor {
    return op((t) => N.view(t, this._id, shapeArgs(shape, 'view')));
  }
  /** A tensor with a new shape: a view when possible, otherwise a copy. */
  reshape(...shape: (number | number[])[]): Tensor {
    return op((t) => N.reshape(t, this._id, shapeArgs(shape, 'reshape')));
  }
  /** Swaps two dims (a view). */
  transpose(dim0: number, dim1: number): Tensor {
    return op((t) => N.transpose(t, this._id, checkInt(dim0, 'transpose', 'dim0'), checkInt(dim1, 'transpose', 'dim1')));
  }
  /** Transpose of a tensor with at most 2 dims (a view). */
  t(): Tensor {
    return op((t) => N.t(t, this._id));
  }
  /** Reorders the dims (a view). */
  permute(...dims: (number | number[])[]): Tensor {
    return op((t) => N.permute(t, this._id, shapeArgs(dims, 'permute')));
  }
  /** Broadcasts to a larger shape without copying (-1 keeps a size). */
  expand(...shape: (number | number[])[]): Tensor {
    return op((t) => N.expand(t, this._id, shapeArgs(shape, 'expand')));
  }
  /** Expands to `other`'s shape. */
  expandAs(other: Tensor): Tensor {
    return this.expand(other.shape);
  }
  /** Removes size-1 dims (all, or only `dim`). */
  squeeze(dim?: number): Tensor {
    return op((t) => N.squeeze(t, this._id, dim === undefined ? null : checkInt(dim, 'squeeze', 'dim')));
  }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor {
    return op((t) => N.unsqueeze(t, this._id, checkInt(dim, 'unsqueeze', 'dim')));
  }
  /** This tensor if contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    return op((t) => N.contiguous(t, this._id));
  }
  /** A copy (recorded: gradients flow back). */
  clone(): Tensor {
    return op((t) => N.clone(t, this._id));
  }
  /**
   * Views of each index along `dim`, with that dim removed. The views share one graph node
   * and may not be modified in place while recording.
   */
  unbind(dim = 0): Tensor[] {
    return N.unbind(this._id, checkInt(dim, 'unbind', 'dim')) as Tensor[];
  }
  /**
   * Splits into views along `dim`: pieces of `splitSize` (the last may be smaller), or of
   * the given sizes, which must add up to the dim's size.
   */
  split(splitSize: number | number[], dim = 0): Tensor[] {
    const size = Array.isArray(splitSize)
      ? splitSize.map((s) => checkInt(s, 'split', 'split_size'))
      : checkInt(splitSize, 'split', 'split_size');
    return N.split(this._id, size, checkInt(dim, 'split', 'dim')) as Tensor[];
  }
  /** Splits into `chunks` views along `dim` (fewer when the dim is too small). */
  chunk(chunks: number, dim = 0): Tensor[] {
    return N.chunk(this._id, checkInt(chunks, 'chunk', 'chunks'), checkInt(dim, 'chunk', 'dim')) as Tensor[];
  }
  /** A view with explicit sizes, strides and storage offset. */
  asStrided(size: number[], stride: number[], storageOffset = 0): Tensor {
    return op((t) => N.asStrided(t, this._id, size, stride, storageOffset));
  }
  /**
   * Basic indexing, mirroring Python's `x[...]`: `x.index(":", 0, null)` is `x[:, 0, None]`.
   * Integers select, strings slice (`"1:3"`, `"::2"`, `":"`), `"..."` skips dims, `null` adds one.
   */
  index(...indices: Index[]): Tensor {
    return op((t) => N.index(t, this._id, parseIndex(indices)));
  }
  /**
   * Writes `value` into `this[indices]` in place, like Python's `x[...] = value`; the last
   * argument is the value (a tensor, broadcast to the indexed shape, or a number).
   */
  indexPut_(...args: [...Index[], TensorLike] | [...Index[], TensorLike, { accumulate?: boolean }]): this { // tensor indices + accumulate: lib/ops/indexing.ts
    const value = args[args.length - 1];
    const spec = parseIndex(args.slice(0, -1) as Index[]);
    if (value instanceof Tensor) N.indexSet(this._id, spec, value._id, false);
    else if (typeof value === 'number' || typeof value === 'boolean') N.indexSet(this._id, spec, value, true);
    else throw new ArgumentTypeError(`indexPut_(): value must be a Tensor or number, not ${typeName(value)}`);
    return this;
  }

  // ---------------------------------------------------------------- dtype
  /** A copy converted to `dtype` (this tensor itself if it already has that dtype). */
  to(dtype: DType): Tensor {
    if (dtype === ('cpu' as string)) return this;
    if (dtype === ('cuda' as string)) throw new DeviceError('tensorgrad was built without CUDA');
    return op((t) => N.toDtype(t, this._id, dtype));
  }
  /** A float32 copy (this tensor if already float32). */
  float(): Tensor {
    return this.to('float32');
  }
  /** A float64 copy (this tensor if already float64). */
  double(): Tensor {
    return this.to('float64');
  }
  /** An int32 copy (this tensor if already int32). */
  int(): Tensor {
    return this.to('int32');
  }
  /** An int64 copy (this tensor if already int64). */
  long(): Tensor {
    return this.to('int64');
  }
  /** A bool copy (this tensor if already bool). */
  bool(): Tensor {
    return this.to('bool');
  }

  // ---------------------------------------------------------------- in place
  /** In-place `this += alpha * other`. */
  add_(other: TensorLike, opts?: { alpha?: number }): this {
    return binaryInplace('add', this, other, opts?.alpha) as this;
  }
  /** In-place `this -= alpha * other`. */
  sub_(other: TensorLike, opts?: { alpha?: number }): this {
    return binaryInplace('sub', this, other, opts?.alpha) as this;
  }
  /** In-place elementwise product. */
  mul_(other: TensorLike): this {
    return binaryInplace('mul', this, other) as this;
  }
  /** In-place true division. */
  div_(other: TensorLike): this {
    return binaryInplace('div', this, other) as this;
  }
  /** In-place power with a number exponent. */
  pow_(exponent: number): this {
    return binaryInplace('pow', this, exponent) as this;
  }
  /** In-place negation. */
  neg_(): this {
    return this.unary_('neg');
  }
  /** In-place exp. */
  exp_(): this {
    return this.unary_('exp');
  }
  /** In-place natural logarithm. */
  log_(): this {
    return this.unary_('log');
  }
  /** In-place square root. */
  sqrt_(): this {
    return this.unary_('sqrt');
  }
  /** In-place absolute value. */
  abs_(): this {
    return this.unary_('abs');
  }
  /** In-place relu. */
  relu_(): this {
    return this.unary_('relu');
  }
  /** In-place sine. */
  sin_(): this {
    return this.unary_('sin');
  }
  /** In-place cosine. */
  cos_(): this {
    return this.unary_('cos');
  }
  /** In-place tanh. */
  tanh_(): this {
    return this.unary_('tanh');
  }
  /** In-place sigmoid. */
  sigmoid_(): this {
    return this.unary_('sigmoid');
  }
  private unary_(name: string): this {
    N.unaryInplace(UNARY[name], this._id);
    return this;
  }
  /** Clamps in place. */
  clamp_(opts: { min?: number | null; max?: number | null }): this;
  clamp_(min: number | null, max?: number | null): this;
  clamp_(a: { min?: number | null; max?: number | null } | number | null, b?: number | null): this {
    const { min, max } = a !== null && typeof a === 'object' ? a : { min: a, max: b };
    N.clampInplace(this._id, min ?? null, max ?? null);
    return this;
  }
  /** Sets every element to zero. */
  zero_(): this {
    N.fillInplace(this._id, 0);
    return this;
  }
  /** Sets every element to `value`. */
  fill_(value: number | boolean): this {
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ArgumentTypeError(`fill_(): argument 'value' must be a number, not ${typeName(value)}`);
    }
    N.fillInplace(this._id, value);
    return this;
  }
  /** Copies `src` (broadcast, converted) into this tensor. */
  copy_(src: Tensor): this {
    N.copyInplace(this._id, idOf(src, 'copy_', 'src'));
    return this;
  }
}

/** `[values, indices]` of `max(dim)` / `min(dim)`, also readable as `.values` / `.indices`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

function extremeDim(self: Tensor, dim: number, keepdim: boolean, isMax: boolean): ValuesIndices {
  checkInt(dim, isMax ? 'max' : 'min', 'dim');
  const v = new Tensor();
  const i = new Tensor();
  const [rv, ri] = N.extremeDim(v, i, self._id, dim, keepdim, isMax);
  const values = made(v, rv);
  const indices = made(i, ri);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** @internal Normalises `(2, 3)` / `([2, 3])` shape arguments. */
export function shapeArgs(args: (number | number[])[], op: string): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? (args[0] as number[]) : (args as number[]);
  for (const s of flat) {
    if (typeof s !== 'number' || !Number.isInteger(s)) {
      throw new ArgumentTypeError(`${op}(): sizes must be integers, got ${typeName(s)} (${String(s)})`);
    }
  }
  return flat;
}

N.init({
  tensorFactory: () => {
    const t = new Tensor();
    track(t);
    return t;
  },
  nodeFactory: (id: number) => new GradFn(id),
  warn: (message: string, category: string) => warn(message, category),
  captureStack: captureUserStack,
  errors: {
    Runtime: RuntimeError,
    Shape: ShapeError,
    DType: DTypeError,
    Device: DeviceError,
    Index: IndexError,
    Type: ArgumentTypeError,
    Value: ValueError,
    NotImplemented: NotImplementedError,
  },
});
