/**
 * Seed 003 — "Posit AI Weblog: Introducing torch autograd" (R torch; a machine-reworded
 * copy of the blog post, so "z$imply()" is `z$mean()` and "loss$merchandise()" is
 * `loss$item()`).
 *
 * Every R code example of the post, in order, in tensorgrad's TypeScript API. The post shows
 * the output of its first two snippets (`MeanBackward0` and the 0.25 gradient) but lost
 * their code; that code is restored from the original post. Tensors print in PyTorch's
 * format instead of R's `torch_tensor ... [ CPUFloatType{2,2} ]`.
 *
 * Run: `node dist/examples/seed003_introducing_torch_autograd.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, rNum } from './util';

/** Prints `fn$next_functions` as R prints a list; a scalar operand's empty slot is `NULL`. */
function printNextFunctions(log: Log, fn: tg.GradFn): void {
  fn.nextFunctions.forEach(([next], i) => {
    log(`[[${i + 1}]]`);
    log(next ? next.name : 'NULL');
  });
}

export function main(log: Log = console.log): void {
  // ## Autograd fundamentals

  // x <- torch_ones(2, 2, requires_grad = TRUE)
  // y <- x$mean()
  // y$grad_fn
  const x = tg.ones(2, 2, { requiresGrad: true });
  const y = x.mean();
  log(y.gradFn!.name); // MeanBackward0

  // y$backward()
  // x$grad
  y.backward();
  log(String(x.grad));

  // ## Digging deeper

  // x1 <- torch_ones(2, 2, requires_grad = TRUE)
  // x2 <- torch_tensor(1.1, requires_grad = TRUE)
  // y <- x1 * (x2 + 2)
  // z <- y$pow(2) * 3
  // out <- z$mean()
  const x1 = tg.ones(2, 2, { requiresGrad: true });
  const x2 = tg.tensor([1.1], { requiresGrad: true });
  const y2 = x1.mul(x2.add(2));
  const z = y2.pow(2).mul(3);
  const out = z.mean();

  // y$retain_grad()
  // z$retain_grad()
  y2.retainGrad();
  z.retainGrad();

  // how to compute the gradient for mean, the last operation executed
  log(out.gradFn!.name);
  // how to compute the gradient for the multiplication by 3 in z = y.pow(2) * 3
  // (R: MulBackward1; PyTorch 2.x and tensorgrad: MulBackward0)
  printNextFunctions(log, out.gradFn!);
  const mulBy3 = out.gradFn!.nextFunctions[0][0]!;
  // how to compute the gradient for pow in z = y.pow(2) * 3
  printNextFunctions(log, mulBy3);
  const pow = mulBy3.nextFunctions[0][0]!;
  // how to compute the gradient for the multiplication in y = x * (x + 2)
  printNextFunctions(log, pow);
  const mul = pow.nextFunctions[0][0]!;
  // how to compute the gradient for the two branches of y = x * (x + 2),
  // where the left branch is a leaf node (AccumulateGrad for x1)
  // (R: AddBackward1; PyTorch 2.x and tensorgrad: AddBackward0)
  printNextFunctions(log, mul);
  const add = mul.nextFunctions[1][0]!;
  // here we arrive at the other leaf node (AccumulateGrad for x2)
  printNextFunctions(log, add);

  // out$backward()
  // z$grad; y$grad; x2$grad; x1$grad
  out.backward();
  log(String(z.grad));
  log(String(y2.grad));
  log(String(x2.grad));
  log(String(x1.grad));

  // ## The simple network, now using autograd
  //
  // Forward pass, loss and backward pass in three lines, here on data and weights set up
  // as in the complete code below. Random data cannot reproduce R's numbers; we seed.
  tg.manualSeed(3);
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

  // The complete code:

  // library(torch)

  // ### generate training data ----------------------------------------------

  // input dimensionality (number of input features)
  const dIn = 3;
  // output dimensionality (number of predicted features)
  const dOut = 1;
  // number of observations in training set
  const n = 100;

  // create random data
  const xs = tg.randn(n, dIn);
  const ys = xs
    .index(':', 0, null)
    .mul(0.2)
    .sub(xs.index(':', 1, null).mul(1.3))
    .sub(xs.index(':', 2, null).mul(0.5))
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

    const yPred = xs.mm(w1).add(b1).clamp({ min: 0 }).mm(w2).add(b2);

    // ### -------- compute loss --------
    const loss = yPred.sub(ys).pow(2).sum();
    // cat("Epoch: ", t, "   Loss: ", loss$item(), "\n")
    if (t % 10 === 0) log(`Epoch:  ${t}    Loss:  ${rNum(loss.item() as number)}`);

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
