/**
 * Seed 004 — torch for R vignette "tensors-and-autograd" (an R port of Justin Johnson's
 * PyTorch tutorial): a two-layer network trained with autograd and manual gradient descent.
 *
 * The R code in tensorgrad's TypeScript API. The data are random (`torch_randn`), so R's
 * printed losses cannot be reproduced; we seed the generator and the loss falls the same
 * way, from ~3e7 at step 1 to ~1e-4 at step 500.
 *
 * Run: `node dist/examples/seed004_two_layer_net.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, rNum } from './util';

export function main(log: Log = console.log): void {
  // if (cuda_is_available()) device <- torch_device("cuda") else device <- torch_device("cpu")
  // (tensorgrad is CPU-only)
  const device = 'cpu';

  tg.manualSeed(4);

  // N is batch size; D_in is input dimension;
  // H is hidden dimension; D_out is output dimension.
  const N = 64;
  const D_in = 1000;
  const H = 100;
  const D_out = 10;

  // Create random input and output data
  // Setting requires_grad=FALSE (the default) indicates that we do not need to
  // compute gradients with respect to these Tensors during the backward pass.
  const x = tg.randn(N, D_in, { device });
  const y = tg.randn(N, D_out, { device });

  // Randomly initialize weights
  // Setting requires_grad=TRUE indicates that we want to compute gradients with
  // respect to these Tensors during the backward pass.
  const w1 = tg.randn(D_in, H, { device, requiresGrad: true });
  const w2 = tg.randn(H, D_out, { device, requiresGrad: true });

  const learningRate = 1e-6;
  for (let t = 1; t <= 500; t++) {
    // Forward pass: compute predicted y using operations on Tensors; these
    // are exactly the same operations we used to compute the forward pass using
    // Tensors, but we do not need to keep references to intermediate values since
    // we are not implementing the backward pass by hand.
    const yPred = x.mm(w1).clamp({ min: 0 }).mm(w2);

    // Compute and print loss using operations on Tensors.
    // Now loss is a Tensor of shape (1,)
    const loss = yPred.sub(y).pow(2).sum();
    // cat("Step:", t, ":", as.numeric(loss), "\n")
    if (t % 100 === 0 || t === 1) log(`Step: ${t} : ${rNum(loss.item() as number)}`);

    // Use autograd to compute the backward pass. This call will compute the
    // gradient of loss with respect to all Tensors with requires_grad=True.
    // After this call w1$grad and w2$grad will be Tensors holding the gradient
    // of the loss with respect to w1 and w2 respectively.
    loss.backward();

    // Manually update weights using gradient descent. Wrap in `with_no_grad`
    // because weights have requires_grad=TRUE, but we don't need to track this
    // in autograd.
    // You can also use optim_sgd to achieve this.
    tg.noGrad(() => {
      // operations suffixed with an `_` operates on in-place on the tensor.
      w1.sub_(w1.grad!.mul(learningRate));
      w2.sub_(w2.grad!.mul(learningRate));

      // Manually zero the gradients after updating weights
      w1.grad!.zero_();
      w2.grad!.zero_();
    });
  }
}

if (require.main === module) main();
