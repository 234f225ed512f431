/**
 * Map-style datasets (PyTorch's `torch.utils.data.Dataset` family): anything with `get(i)`
 * and `length`, the tensor-backed `TensorDataset`, index views (`Subset`) and `randomSplit`.
 */
import { IndexError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { warn } from '../warnings';
import { Generator, generatorFromGlobalSeed } from './generator';

/** What a DataLoader needs from a dataset: random access by index and a length. */
export interface DatasetLike<T> {
  /** The sample at index `i` (0 <= i < length). */
  get(i: number): T;
  /** The number of samples. */
  readonly length: number;
}

/** A map-style dataset: subclass it and implement `get(i)` and `length`. */
export abstract class Dataset<T> implements DatasetLike<T> {
  /** The sample at index `i` (PyTorch's `__getitem__`). */
  abstract get(i: number): T;
  /** The number of samples (PyTorch's `__len__`). */
  abstract get length(): number;
}

function checkIndex(i: number, n: number, what: string): number {
  if (!Number.isInteger(i)) throw new IndexError(`${what}: index must be an integer, got ${i}`);
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) throw new IndexError(`${what}: index ${i} is out of range for a dataset of length ${n}`);
  return j;
}

/**
 * Samples are the rows of tensors sharing their first dimension: `get(i)` is
 * `[t0[i], t1[i], ...]` (views). A DataLoader batches it with one `indexSelect` per tensor.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, all with the same size along dim 0. */
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new ValueError('TensorDataset: expected at least one tensor');
    for (const t of tensors) {
      if (!(t instanceof Tensor)) throw new ValueError(`TensorDataset: expected tensors, got ${typeof t}`);
      if (t.dim() === 0) throw new ValueError('TensorDataset: tensors must have at least one dimension (got a 0-d tensor)');
    }
    const n = tensors[0].shape[0];
    if (!tensors.every((t) => t.shape[0] === n)) {
      throw new ValueError(`Size mismatch between tensors: first dimensions are ${tensors.map((t) => t.shape[0]).join(', ')}`);
    }
    this.tensors = tensors;
  }

  override get(i: number): Tensor[] {
    const j = checkIndex(i, this.length, 'TensorDataset');
    return this.tensors.map((t) => t.index(j));
  }

  override get length(): number {
    return this.tensors[0].shape[0];
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  constructor(
    /** The underlying dataset. */
    readonly dataset: DatasetLike<T>,
    /** Indices into `dataset`. */
    readonly indices: number[],
  ) {
    super();
  }

  override get(i: number): T {
    return this.dataset.get(this.indices[checkIndex(i, this.indices.length, 'Subset')]);
  }

  override get length(): number {
    return this.indices.length;
  }
}

/**
 * Splits `dataset` into non-overlapping random subsets of the given `lengths`, as PyTorch's
 * `random_split`: counts summing to the dataset's length, or fractions summing to 1 (each
 * floor(n * frac), the remainder dealt one by one from the first split). With a seeded
 * `generator` the split equals PyTorch's for the same seed; without one, it is drawn from the
 * global RNG (reproducible after `manualSeed`).
 */
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: number[], generator?: Generator): Subset<T>[] {
  const n = dataset.length;
  let counts = lengths.slice();
  const total = counts.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, Math.abs(total)) && total <= 1) {
    counts = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new ValueError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
    counts.forEach((c, i) => {
      if (c === 0) warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
  }
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0) throw new ValueError(`randomSplit(): lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(', ')}]`);
  }
  if (counts.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError('Sum of input lengths does not equal the length of the input dataset!');
  }
  const perm = (generator ?? generatorFromGlobalSeed()).randperm(n);
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.slice(offset, offset + c)));
    offset += c;
  }
  return out;
}
