/**
 * Seed 000 — "Automatic differentiation with autograd" (R torch, Posit AI blog).
 *
 * Every R code example of the document, in order, in tensorgrad's TypeScript API. R's
 * `x$grad` is `x.grad`, `torch_ones(2, 2, requires_grad = TRUE)` is
 * `tg.ones(2, 2, { requiresGrad: true })`, `with_no_grad({...})` is `tg.noGrad(() => {...})`,
 * and R's 1-based `x[, 1, NULL]` is `x.index(':', 0, null)` (Python's `x[:, 0, None]`).
 * Tensors print in PyTorch's format instead of R's `torch_tensor ... [ CPUFloatType{2,2} ]`.
 *
 * Run: `node dist/examples/seed000_autograd_basics.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, rNum } from './util';

/**
 * Prints `fn$next_functions` the way R prints a list: `[[1]]`, then the node's name. A
 * scalar operand (the `2` in `x2 + 2`, the `3` in `* 3`) has no node: PyTorch 2.x keeps a
 * `(None, 0)` slot for it, printed here as `NULL`.
 */
function printNextFunctions(log: Log, fn: tg.GradFn): void {
  fn.nextFunctions.forEach(([next], i) => {
    log(`[[${i + 1}]]`);
    log(next ? next.name : 'NULL');
  });
}

export function main(log: Log = console.log): void {
  // ## Autograd basics

  // library(torch)
  // x <- torch_ones(2, 2, requires_grad = TRUE)
  const x = tg.ones(2, 2, { requiresGrad: true });

  // y <- x$mean()
  const y = x.mean();

  // y$grad_fn
  log(y.gradFn!.name); // MeanBackward0

  // y$backward()
  y.backward();

  // x$grad
  log(String(x.grad)); // 0.25 everywhere

  // ## Digging deeper

  // x1 <- torch_ones(2, 2, requires_grad = TRUE)
  // x2 <- torch_tensor(1.1, requires_grad = TRUE)
  const x1 = tg.ones(2, 2, { requiresGrad: true });
  const x2 = tg.tensor([1.1], { requiresGrad: true });

  // y <- x1 * (x2 + 2)
  const y2 = x1.mul(x2.add(2));

  // z <- y$pow(2) * 3
  const z = y2.pow(2).mul(3);

  // out <- z$mean()
  const out = z.mean();

  // y$retain_grad()
  // z$retain_grad()
  y2.retainGrad();
  z.retainGrad();

  // how to compute the gradient for mean, the last operation executed
  // out$grad_fn
  log(out.gradFn!.name);
  // how to compute the gradient for the multiplication by 3 in z = y.pow(2) * 3
  // out$grad_fn$next_functions
  // (R prints MulBackward1 for this node; PyTorch 2.x, and tensorgrad, name it MulBackward0)
  const mulBy3 = out.gradFn!.nextFunctions[0][0]!;
  printNextFunctions(log, out.gradFn!);
  // how to compute the gradient for pow in z = y.pow(2) * 3
  // out$grad_fn$next_functions[[1]]$next_functions
  const pow = mulBy3.nextFunctions[0][0]!;
  printNextFunctions(log, mulBy3);
  // how to compute the gradient for the multiplication in y = x * (x + 2)
  // out$grad_fn$next_functions[[1]]$next_functions[[1]]$next_functions
  const mul = pow.nextFunctions[0][0]!;
  printNextFunctions(log, pow);
  // how to compute the gradient for the two branches of y = x * (x + 2),
  // where the left branch is a leaf node (AccumulateGrad for x1)
  // out$grad_fn$next_functions[[1]]$next_functions[[1]]$next_functions[[1]]$next_functions
  // (R prints AddBackward1 for x2 + 2; PyTorch 2.x names it AddBackward0)
  const add = mul.nextFunctions[1][0]!;
  printNextFunctions(log, mul);
  // here we arrive at the other leaf node (AccumulateGrad for x2)
  // out$grad_fn$next_functions[[1]]$next_functions[[1]]$next_functions[[1]]$next_functions[[2]]$next_functions
  printNextFunctions(log, add);

  // out$backward()
  out.backward();

  // z$grad
  // y$grad
  // x2$grad
  // x1$grad
  log(String(z.grad));
  log(String(y2.grad));
  log(String(x2.grad));
  log(String(x1.grad));

  // ## The simple network, now using autograd
  //
  // The three lines that do forward pass, loss and backward pass; x, y and the weights
  // are set up here the way the complete code below sets them up. (The data are random;
  // R's numbers cannot be reproduced, so we seed our own generator to make runs repeatable.)
  tg.manualSeed(0);
  {
    const x = tg.randn(100, 3);
    const y = x.index(':', 0, null).mul(0.2).sub(x.index(':', 1, null).mul(1.3)).sub(x.index(':', 2, null).mul(0.5)).add(tg.randn(100, 1));
    const w1 = tg.randn(3, 32, { requiresGrad: true });
    const w2 = tg.randn(32, 1, { requiresGrad: true });
    const b1 = tg.zeros(1, 32, { requiresGrad: true });
    const b2 = tg.zeros(1, 1, { requiresGrad: true });

    // y_pred <- x$mm(w1)$add(b1)$clamp(min = 0)$mm(w2)$add(b2)
    const yPred = x.mm(w1).add(b1).clamp({ min: 0 }).mm(w2).add(b2);

    // loss <- (y_pred - y)$pow(2)$sum()
    const loss = yPred.sub(y).pow(2).sum();

    // loss$backward()
    loss.backward();
  }

  // Here is the complete code.
  trainNetwork(log);
}

/** The complete code of the document's network: a 3-32-1 MLP trained with manual SGD. */
function trainNetwork(log: Log = console.log): void {
  // library(torch)

  // ### generate training data ----------------------------------------------

  // input dimensionality (number of input features)
  const dIn = 3;
  // output dimensionality (number of predicted features)
  const dOut = 1;
  // number of observations in training set
  const n = 100;

  // create random data
  // x <- torch_randn(n, d_in)
  // y <- x[, 1, NULL] * 0.2 - x[, 2, NULL] * 1.3 - x[, 3, NULL] * 0.5 + torch_randn(n, 1)
  const x = tg.randn(n, dIn);
  const y = x
    .index(':', 0, null)
    .mul(0.2)
    .sub(x.index(':', 1, null).mul(1.3))
    .sub(x.index(':', 2, null).mul(0.5))
    .add(tg.randn(n, 1));

  // ### initialize weights ---------------------------------------------------

  // dimensionality of hidden layer
  const dHidden = 32;
  // weights connecting input to hidden layer
  const w1 = tg.randn(dIn, dHidden, { requiresGrad: true });
  // weights connecting hidden to output layer
  const w2 = tg.randn(dHidden, dOut, { requiresGrad: true });

  // hidden layer bias
  const b1 = tg.zeros(1, dHidden, { requiresGrad: true });
  // output layer bias
  const b2 = tg.zeros(1, dOut, { requiresGrad: true });

  // ### network parameters ---------------------------------------------------

  const learningRate = 1e-4;

  // ### training loop --------------------------------------------------------

  for (let t = 1; t <= 200; t++) {
    // ### -------- Forward pass --------

    const yPred = x.mm(w1).add(b1).clamp({ min: 0 }).mm(w2).add(b2);

    // ### -------- compute loss --------
    const loss = yPred.sub(y).pow(2).sum();
    // cat("Epoch: ", t, "    Loss: ", loss$item(), "\n")
    if (t % 10 === 0) log(`Epoch:  ${t}     Loss:  ${rNum(loss.item() as number)}`);

    // ### -------- Backpropagation --------

    // compute gradient of loss w.r.t. all tensors with requires_grad = TRUE
    loss.backward();

    // ### -------- Update weights --------

    // Wrap in with_no_grad() because this is a part we DON'T
    // want to record for automatic gradient computation
    tg.noGrad(() => {
      w1.sub_(w1.grad!.mul(learningRate));
      w2.sub_(w2.grad!.mul(learningRate));
      b1.sub_(b1.grad!.mul(learningRate));
      b2.sub_(b2.grad!.mul(learningRate));

      // Zero gradients after every pass, as they'd accumulate otherwise
      w1.grad!.zero_();
      w2.grad!.zero_();
      b1.grad!.zero_();
      b2.grad!.zero_();
    });
  }
}

if (require.main === module) main();
