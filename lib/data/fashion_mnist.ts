/**
 * Fashion-MNIST from its IDX files, as a TensorDataset of (image, label) pairs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValueError } from '../errors';
import { TensorDataset } from './dataset';
import { readIdx } from './idx';

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist';

function findFile(root: string, stem: string): string {
  // The flat layout (Debian, the dataset's own repository) or torchvision's FashionMNIST/raw.
  const dirs = [root, path.join(root, 'FashionMNIST', 'raw')];
  for (const dir of dirs) {
    for (const name of [stem, stem + '.gz']) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new ValueError(`FashionMNIST: ${stem}[.gz] not found in ${dirs.join(' or ')}`);
}

/**
 * Fashion-MNIST (60000 training or 10000 test images of 10 clothing classes). `get(i)` is
 * `[image, label]`: images float32 in [0, 1] shaped (N, 1, 28, 28) (torchvision's `ToTensor`
 * scaling), labels int64 (N). Reads `train-*` or `t10k-*` IDX files (plain or .gz) from `root`.
 */
export class FashionMNIST extends TensorDataset {
  /** The class names, indexed by label. */
  static readonly classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  /** The class names, indexed by label. */
  readonly classes = FashionMNIST.classes;
  /** Whether this is the training split. */
  readonly train: boolean;

  constructor(root: string = FASHION_MNIST_ROOT, opts: { train?: boolean } = {}) {
    const train = opts.train ?? true;
    const prefix = train ? 'train' : 't10k';
    const raw = readIdx(findFile(root, `${prefix}-images-idx3-ubyte`));
    const rawLabels = readIdx(findFile(root, `${prefix}-labels-idx1-ubyte`));
    if (raw.dim() !== 3 || raw.dtype !== 'uint8' || rawLabels.dim() !== 1 || rawLabels.shape[0] !== raw.shape[0]) {
      throw new ValueError(`FashionMNIST: expected uint8 images (N, 28, 28) and N labels, got images [${raw.shape}] ${raw.dtype} and labels [${rawLabels.shape}]`);
    }
    const [n, h, w] = raw.shape;
    const f = raw.to('float32');
    const images = f.div(255).view(n, 1, h, w);
    const labels = rawLabels.to('int64');
    for (const t of [raw, f, rawLabels]) t.dispose();
    super(images, labels);
    this.train = train;
  }
}

/** Fashion-MNIST as a TensorDataset (the same as `new FashionMNIST(root, opts)`). */
export function loadFashionMNIST(root: string = FASHION_MNIST_ROOT, opts: { train?: boolean } = {}): FashionMNIST {
  return new FashionMNIST(root, opts);
}
