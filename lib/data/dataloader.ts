/**
 * `DataLoader`: iterates a dataset in (optionally shuffled) batches, as PyTorch's
 * single-process `torch.utils.data.DataLoader`.
 */
import { ArgumentTypeError, ValueError } from '../errors';
import { tensor } from '../creation';
import { indexSelect } from '../ops/indexing';
import { Collated, defaultCollate } from './collate';
import { DatasetLike, TensorDataset } from './dataset';
import { Generator, generatorFromGlobalSeed } from './generator';

/** Options of a DataLoader (PyTorch's keyword arguments in camelCase). */
export interface DataLoaderOptions<T, B = Collated<T>> {
  /** Samples per batch (default 1); `null` yields single samples without batching. */
  batchSize?: number | null;
  /** Draw a fresh random order every epoch (default false). */
  shuffle?: boolean;
  /** The generator for shuffling; without one, each epoch's order is seeded from the global RNG. */
  generator?: Generator;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch; `defaultCollate` when absent (with `batchSize: null`, called on each sample). */
  collateFn?: (samples: T[]) => B;
}

/**
 * Iterates `dataset` in batches: `for (const [x, y] of new DataLoader(ds, { batchSize: 64,
 * shuffle: true })) ...`. Each `for...of` is one epoch. For a `TensorDataset` with the default
 * collate, a batch is one `indexSelect` per tensor rather than a stack of rows.
 *
 * Shuffling with a seeded `generator` gives PyTorch's order for the same seed: like
 * PyTorch's iterator, each epoch first draws one 64-bit base seed from the generator, then
 * takes `randperm(len(dataset))` and, once the epoch runs to its end, one more discarded
 * `randperm` (Note [Generator and PyTorch's order] in generator.ts).
 */
export class DataLoader<T = unknown, B = Collated<T>> implements Iterable<B> {
  /** The dataset being loaded. */
  readonly dataset: DatasetLike<T>;
  /** Samples per batch, or null for unbatched loading. */
  readonly batchSize: number | null;
  /** Whether each epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether a last partial batch is dropped. */
  readonly dropLast: boolean;
  /** The shuffling generator, if one was given. */
  readonly generator?: Generator;
  private readonly collateFn?: (samples: T[]) => B;

  constructor(dataset: DatasetLike<T>, opts: DataLoaderOptions<T, B> = {}) {
    if (dataset === null || typeof dataset !== 'object' || typeof (dataset as DatasetLike<T>).get !== 'function') {
      throw new ArgumentTypeError('DataLoader: dataset must have get(i) and length');
    }
    const n = dataset.length;
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`DataLoader: dataset length must be a non-negative integer, got ${n}`);
    const bs = opts.batchSize === undefined ? 1 : opts.batchSize;
    if (bs !== null && (!Number.isInteger(bs) || bs <= 0)) {
      throw new ValueError(`batch_size should be a positive integer value, but got batch_size=${bs}`);
    }
    if (bs === null && opts.dropLast) {
      throw new ValueError('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    if (opts.generator !== undefined && !(opts.generator instanceof Generator)) {
      throw new ArgumentTypeError('DataLoader: generator must be a tg.data.Generator');
    }
    this.dataset = dataset;
    this.batchSize = bs;
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    this.collateFn = opts.collateFn;
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch's sample order. */
  private order(): number[] {
    const n = this.dataset.length;
    // PyTorch's iterator draws its base seed from the loader's generator every epoch, even
    // unshuffled; drawing it too keeps a shared generator in step with PyTorch's.
    if (this.generator) this.generator.random64();
    if (!this.shuffle) return Array.from({ length: n }, (_, i) => i);
    return (this.generator ?? generatorFromGlobalSeed()).randperm(n);
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.order();
    const bs = this.batchSize;
    if (bs === null) {
      for (const i of order) {
        const s = this.dataset.get(i);
        // PyTorch calls collate_fn on each lone sample when batching is off.
        yield (this.collateFn ? (this.collateFn as unknown as (x: T) => B)(s) : s) as B;
      }
    } else {
      const fast = this.dataset instanceof TensorDataset && this.collateFn === undefined;
      const nBatches = this.length;
      for (let b = 0; b < nBatches; b++) {
        const idx = order.slice(b * bs, (b + 1) * bs);
        if (fast) {
          const it = tensor(BigInt64Array.from(idx, BigInt));
          const batch = (this.dataset as unknown as TensorDataset).tensors.map((t) => indexSelect(t, 0, it));
          it.dispose();
          yield batch as unknown as B;
        } else {
          const samples = idx.map((i) => this.dataset.get(i));
          yield (this.collateFn ?? (defaultCollate as (s: T[]) => B))(samples);
        }
      }
    }
    // PyTorch's RandomSampler takes a second randperm(n) (for num_samples % n extra samples,
    // here none) when it is run to the end; an epoch iterated to completion advances a shared
    // generator by that too. A loop left with `break` does not get here, nor does PyTorch's.
    if (this.shuffle && this.generator) this.generator.randperm(this.dataset.length);
  }
}
