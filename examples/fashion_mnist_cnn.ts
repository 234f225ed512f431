/**
 * A small convolutional network on Fashion-MNIST:
 * conv 3x3 (1 -> 32) -> batch norm -> ReLU -> max-pool 2 -> conv 3x3 (32 -> 64) -> batch norm ->
 * ReLU -> max-pool 2 -> flatten -> 1600 -> 128 -> ReLU -> 10, PyTorch's default
 * initialisation, Adam (lr 1e-3, halved after each epoch), cross-entropy, batch 64, inputs
 * normalised. Three epochs reach about 90% test accuracy (README "Training" has the measured
 * numbers).
 *
 * Run: `npm run train:cnn -- --epochs 3 --save cnn.safetensors` (after `npm run build`).
 * Options as examples/fashion_mnist_mlp.ts.
 */
import * as tg from '../lib';
import { cli } from './fashion_mnist_train';

const { nn } = tg;

/** The CNN, freshly initialised from the global generator. */
export function makeCNN(): tg.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 32, 3),
    new nn.BatchNorm2d(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3),
    new nn.BatchNorm2d(64),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(64 * 5 * 5, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
}

if (require.main === module) cli('fashion_mnist_cnn', makeCNN);
