/**
 * `defaultCollate`: how a DataLoader turns a list of samples into a batch, following
 * PyTorch's `default_collate` (tensors stacked, numbers to tensors, arrays and objects
 * collated field by field).
 */
import { ArgumentTypeError, RuntimeError } from '../errors';
import { tensor } from '../creation';
import { stack } from '../ops/movement';
import { Tensor } from '../tensor';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The type `defaultCollate` makes of a batch of samples of type `T`. */
export type Collated<T> = T extends Tensor | number | boolean | bigint | ArrayBufferView
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : unknown;

/**
 * Collates a batch of samples the way PyTorch's `default_collate` does:
 * - tensors: `stack(batch, 0)` (equal shapes required);
 * - numbers: a 1-D tensor, int64 when every number is an integer (Python ints) and float64
 *   otherwise (Python floats; JS cannot tell `1` from `1.0`, so a batch of whole floats
 *   becomes int64); booleans: bool; bigints: int64;
 * - TypedArrays (numpy arrays' role): each made a tensor, then stacked;
 * - strings: the batch unchanged;
 * - arrays (tuples): collated position by position (all samples the same length);
 * - plain objects: collated key by key (keys of the first sample).
 */
export function defaultCollate(batch: unknown[]): unknown {
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new ArgumentTypeError('default_collate: expected a non-empty array of samples');
  }
  const elem = batch[0];
  const same = (pred: (x: unknown) => boolean, what: string): void => {
    for (const x of batch) {
      if (!pred(x)) throw new ArgumentTypeError(`default_collate: batch mixes ${what} with ${describe(x)}`);
    }
  };
  if (elem instanceof Tensor) {
    same((x) => x instanceof Tensor, 'Tensor');
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === 'number') {
    same((x) => typeof x === 'number', 'number');
    const nums = batch as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? 'int64' : 'float64' });
  }
  if (typeof elem === 'boolean') {
    same((x) => typeof x === 'boolean', 'boolean');
    return tensor(batch as boolean[], { dtype: 'bool' });
  }
  if (typeof elem === 'bigint') {
    same((x) => typeof x === 'bigint', 'bigint');
    return tensor(BigInt64Array.from(batch as bigint[]));
  }
  if (typeof elem === 'string') return batch;
  if (ArrayBuffer.isView(elem)) {
    const ts = batch.map((x) => tensor(x as Float32Array));
    const out = stack(ts, 0);
    for (const t of ts) t.dispose();
    return out;
  }
  if (Array.isArray(elem)) {
    same(Array.isArray, 'array');
    const n = elem.length;
    if (!(batch as unknown[][]).every((x) => x.length === n)) {
      throw new RuntimeError('each element in list of batch should be of equal size');
    }
    return Array.from({ length: n }, (_, k) => defaultCollate((batch as unknown[][]).map((x) => x[k])));
  }
  if (isPlainObject(elem)) {
    same(isPlainObject, 'object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = defaultCollate((batch as Record<string, unknown>[]).map((x) => x[key]));
    }
    return out;
  }
  throw new ArgumentTypeError(
    `default_collate: batch must contain tensors, typed arrays, numbers, dicts or lists; found ${describe(elem)}`,
  );
}
