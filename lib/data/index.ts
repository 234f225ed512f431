/**
 * The data pipeline (PyTorch's `torch.utils.data` plus an IDX reader): datasets, a batching
 * DataLoader with PyTorch's default collate and seeded shuffling, and Fashion-MNIST.
 */
export { Dataset, TensorDataset, Subset, randomSplit } from './dataset';
export type { DatasetLike } from './dataset';
export { DataLoader } from './dataloader';
export type { DataLoaderOptions } from './dataloader';
export { defaultCollate } from './collate';
export type { Collated } from './collate';
export { Generator } from './generator';
export { readIdx, parseIdx } from './idx';
export { FashionMNIST, loadFashionMNIST, FASHION_MNIST_ROOT } from './fashion_mnist';
