/**
 * `npm run demo`: trains the two-layer network of the torch "tensors and autograd" tutorial
 * (examples/seed004_two_layer_net.ts): N=64, D_in=1000, H=100, D_out=10, learning rate 1e-6,
 * 500 steps of manual gradient descent with autograd, printing the loss at step 1 and every
 * 100 steps.
 */
import * as tg from '../lib';
import { main as twoLayerNet } from './seed004_two_layer_net';

export function main(log: (...args: unknown[]) => void = console.log): void {
  log(`tensorgrad demo: two-layer network, autograd + manual SGD (BLAS: ${tg.blasInfo()})`);
  const t0 = Date.now();
  twoLayerNet(log);
  log(`done in ${Date.now() - t0} ms`);
}

if (require.main === module) main();
