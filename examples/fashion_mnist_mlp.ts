/**
 * A multi-layer perceptron on Fashion-MNIST: 784 -> 512 -> ReLU -> 256 -> ReLU -> 10 with
 * PyTorch's default Linear initialisation, Adam (lr 1e-3, halved after each epoch),
 * cross-entropy, batch 64, inputs normalised. Three epochs reach about 88% test accuracy
 * (README "Training" has the measured numbers).
 *
 * Run: `npm run train:mlp -- --epochs 3 --save mlp.safetensors` (after `npm run build`),
 * then `npm run train:mlp -- --epochs 1 --resume mlp.safetensors` to train a fourth epoch.
 * Options: --epochs, --batch-size, --limit N, --test-limit N, --threads, --lr, --lr-decay,
 * --seed, --save PATH, --resume PATH, --data DIR, --no-progress (or TG_EPOCHS, TG_BATCH_SIZE, ...).
 */
import * as tg from '../lib';
import { cli } from './fashion_mnist_train';

const { nn } = tg;

/** The MLP, freshly initialised from the global generator. */
export function makeMLP(): tg.nn.Sequential {
  return new nn.Sequential(new nn.Flatten(), new nn.Linear(28 * 28, 512), new nn.ReLU(), new nn.Linear(512, 256), new nn.ReLU(), new nn.Linear(256, 10));
}

if (require.main === module) cli('fashion_mnist_mlp', makeMLP);
