/**
 * Tensor factories. Shapes may be given as varargs or an array (`ones(2, 2)`,
 * `ones([2, 2])`), optionally followed by an options object.
 */
import { ArgumentTypeError, DeviceError, ValueError } from './errors';
import { DTypeName, N } from './native';
import { DType, Tensor, op, shapeArgs } from './tensor';

/** Options accepted by every factory. */
export interface TensorOptions {
  /** Element type; float32 unless stated otherwise. */
  dtype?: DType;
  /** Make the result a leaf that requires grad. */
  requiresGrad?: boolean;
  /** Only `"cpu"` in this build. */
  device?: string;
}

type ShapeAndOptions = (number | number[] | TensorOptions)[];

function checkDevice(device: string | undefined): void {
  if (device === undefined || device === 'cpu') return;
  if (device.startsWith('cuda')) throw new DeviceError('tensorgrad was built without CUDA');
  throw new DeviceError(`Expected one of cpu, cuda device type at start of device string: ${device}`);
}

function split(args: ShapeAndOptions, op: string): [number[], TensorOptions] {
  let opts: TensorOptions = {};
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    opts = last as TensorOptions;
    args = args.slice(0, -1);
  }
  return [shapeArgs(args as (number | number[])[], op), opts];
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) N.setRequiresGrad(t._id, true);
  return t;
}

/** Uninitialised memory of the given shape. */
export function empty(...args: ShapeAndOptions): Tensor {
  const [shape, o] = split(args, 'empty');
  checkDevice(o.device);
  return finish(op((t) => N.empty(t, shape, o.dtype ?? 'float32')), o);
}

/** A tensor filled with `value`. */
export function full(shape: number[], value: number, opts: TensorOptions = {}): Tensor {
  checkDevice(opts.device);
  const dt = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  return finish(op((t) => N.full(t, shapeArgs([shape], 'full'), Number(value), dt)), opts);
}

/** A tensor of zeros. */
export function zeros(...args: ShapeAndOptions): Tensor {
  const [shape, o] = split(args, 'zeros');
  return full(shape, 0, o);
}

/** A tensor of ones. */
export function ones(...args: ShapeAndOptions): Tensor {
  const [shape, o] = split(args, 'ones');
  return full(shape, 1, o);
}

/**
 * Values from `start` to `end` (exclusive) by `step`: `arange(5)`, `arange(1, 4)`,
 * `arange(0, 1, 0.25)`. int64 when all arguments are integers, else float32.
 */
export function arange(end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, step: number, opts?: TensorOptions): Tensor;
export function arange(...rest: unknown[]): Tensor {
  const args = rest as (number | TensorOptions)[];
  let o: TensorOptions = {};
  if (typeof args[args.length - 1] === 'object') o = args.pop() as TensorOptions;
  const nums = args as number[];
  for (const v of nums) if (typeof v !== 'number') throw new ArgumentTypeError('arange(): arguments must be numbers');
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  checkDevice(o.device);
  const dt = o.dtype ?? (nums.every(Number.isInteger) ? 'int64' : 'float32');
  return finish(op((t) => N.arange(t, start, end, step, dt)), o);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  checkDevice(opts.device);
  return finish(op((t) => N.linspace(t, start, end, steps, opts.dtype ?? 'float32')), opts);
}

/** The identity matrix (n x n, or n x m). */
export function eye(n: number, m?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  if (typeof m === 'object') {
    opts = m;
    m = undefined;
  }
  checkDevice(opts.device);
  return finish(op((t) => N.eye(t, n, (m as number | undefined) ?? n, opts.dtype ?? 'float32')), opts);
}

/** Uniform random values in [0, 1). */
export function rand(...args: ShapeAndOptions): Tensor {
  const [shape, o] = split(args, 'rand');
  checkDevice(o.device);
  return finish(op((t) => N.rand(t, shape, o.dtype ?? 'float32')), o);
}

/** Standard normal random values. */
export function randn(...args: ShapeAndOptions): Tensor {
  const [shape, o] = split(args, 'randn');
  checkDevice(o.device);
  return finish(op((t) => N.randn(t, shape, o.dtype ?? 'float32')), o);
}

/** Random integers in [low, high): `randint(10, [3])` or `randint(2, 10, [3])`; int64 by default. */
export function randint(high: number, shape: number[], opts?: TensorOptions): Tensor;
export function randint(low: number, high: number, shape: number[], opts?: TensorOptions): Tensor;
export function randint(a: number, b: number | number[], c?: number[] | TensorOptions, d?: TensorOptions): Tensor {
  let low = 0, high: number, shape: number[], o: TensorOptions;
  if (Array.isArray(b)) {
    high = a;
    shape = b;
    o = (c as TensorOptions) ?? {};
  } else {
    low = a;
    high = b;
    shape = c as number[];
    o = d ?? {};
  }
  checkDevice(o.device);
  return finish(op((t) => N.randint(t, low, high, shapeArgs([shape], 'randint'), o.dtype ?? 'int64')), o);
}

/** Seeds the default random generator. */
export function manualSeed(seed: number): void {
  N.manualSeed(seed);
}

// ---- *Like forms: same shape and dtype as `t` unless overridden ----
function likeOpts(t: Tensor, o: TensorOptions): TensorOptions {
  return { dtype: o.dtype ?? t.dtype, requiresGrad: o.requiresGrad, device: o.device };
}
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zeros(t.shape, likeOpts(t, opts));
}
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return ones(t.shape, likeOpts(t, opts));
}
export function fullLike(t: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  return full(t.shape, value, likeOpts(t, opts));
}
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return empty(t.shape, likeOpts(t, opts));
}
export function randLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return rand(t.shape, likeOpts(t, opts));
}
export function randnLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return randn(t.shape, likeOpts(t, opts));
}
export function randintLike(t: Tensor, low: number, high: number, opts: TensorOptions = {}): Tensor {
  return randint(low, high, t.shape, likeOpts(t, opts));
}

// ---- tensor(data) ----
type Nested = number | boolean | Nested[];

function inferShape(data: unknown, shape: number[], dim: number): void {
  if (Array.isArray(data)) {
    if (shape.length <= dim) shape.push(data.length);
    else if (shape[dim] !== data.length) {
      throw new ValueError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${data.length})`);
    }
    for (const d of data) inferShape(d, shape, dim + 1);
  } else if (dim < shape.length) {
    throw new ValueError(`expected sequence of length ${shape[dim]} at dim ${dim} (got a scalar)`);
  }
}

function flatten(data: Nested, out: (number | boolean)[]): void {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
}

const TYPED: Record<DTypeName, (values: (number | boolean)[]) => ArrayBufferView> = {
  float32: (v) => Float32Array.from(v, Number),
  float64: (v) => Float64Array.from(v, Number),
  int32: (v) => Int32Array.from(v, (x) => Math.trunc(Number(x))),
  int64: (v) => BigInt64Array.from(v, (x) => BigInt(Math.trunc(Number(x)))),
  bool: (v) => Uint8Array.from(v, (x) => (x ? 1 : 0)),
  uint8: (v) => Uint8Array.from(v, (x) => Number(x) & 255),
};

function typedDtype(a: ArrayBufferView): DTypeName | null {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint8Array) return 'uint8';
  return null;
}

/**
 * A tensor from a number, nested arrays, or a TypedArray (1-D, or `opts.shape`).
 * Numbers default to float32 (JS cannot tell `1` from `1.0`), booleans to bool, and
 * TypedArrays to their own element type.
 */
export function tensor(data: Nested | ArrayBufferView | Tensor, opts: TensorOptions & { shape?: number[] } = {}): Tensor {
  checkDevice(opts.device);
  if (data instanceof Tensor) {
    const t = data.detach().clone();
    return finish(opts.dtype ? t.to(opts.dtype) : t, opts);
  }
  if (ArrayBuffer.isView(data)) {
    const own = typedDtype(data);
    if (!own) throw new ArgumentTypeError(`tensor(): unsupported TypedArray ${data.constructor.name}`);
    const len = (data as unknown as ArrayLike<unknown>).length;
    const shape = opts.shape ?? [len];
    const values = own === 'int64' ? Array.from(data as BigInt64Array, Number) : Array.from(data as unknown as ArrayLike<number>);
    const dt = opts.dtype ?? own;
    const buf = dt === own ? data : TYPED[dt](values);
    return finish(op((t) => N.fromData(t, buf, shape, dt)), opts);
  }
  const shape: number[] = [];
  inferShape(data, shape, 0);
  const flat: (number | boolean)[] = [];
  flatten(data as Nested, flat);
  for (const v of flat) {
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ArgumentTypeError(`tensor(): could not infer dtype of ${typeof v}`);
    }
  }
  const dt: DTypeName = opts.dtype ?? (flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float32');
  return finish(op((t) => N.fromData(t, TYPED[dt](flat), shape, dt)), opts);
}
