/**
 * Seed 004 with `tg.nn` and `tg.optim`: the two-layer network of
 * examples/seed004_two_layer_net.ts (the torch for R vignette "tensors-and-autograd"), with
 * the hand-written forward pass, loss and update replaced by `nn.Sequential`,
 * `nn.MSELoss({ reduction: 'sum' })` and `optim.SGD` — the vignette's own next step
 * ("You can also use optim_sgd to achieve this").
 *
 * Same data, sizes and learning rate as the manual version. The manual loss is
 * `(y_pred - y)$pow(2)$sum()`, a sum, hence `reduction: 'sum'` (the default 'mean' would
 * divide every gradient by N * D_out = 640 and need a 640 times larger rate). The weights are
 * drawn as the manual version draws them (standard normal, in its (in, out) layout, no
 * biases), so both runs start from the same point and their loss curves coincide.
 *
 * Run: `node dist/examples/seed004_nn.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, rNum } from './util';

const { nn, optim } = tg;

/** Runs `steps` SGD steps (500 as in the seed) and returns the loss of every step. */
export function main(log: Log = console.log, steps = 500): number[] {
  tg.manualSeed(4);

  // N is batch size; D_in is input dimension; H is hidden dimension; D_out is output dimension.
  const N = 64;
  const D_in = 1000;
  const H = 100;
  const D_out = 10;

  // Create random input and output data
  const x = tg.randn(N, D_in);
  const y = tg.randn(N, D_out);

  // The seed's initialisation, w1 <- torch_randn(D_in, H); w2 <- torch_randn(H, D_out),
  // drawn before the model (whose Linear layers draw their default init) so the numbers match.
  const w1 = tg.randn(D_in, H);
  const w2 = tg.randn(H, D_out);

  // y_pred = relu(x w1) w2, as a model: Linear stores its weight as (out, in).
  const model = new nn.Sequential(new nn.Linear(D_in, H, { bias: false }), new nn.ReLU(), new nn.Linear(H, D_out, { bias: false }));
  tg.noGrad(() => {
    (model.at(0) as tg.nn.Linear).weight.copy_(w1.t());
    (model.at(2) as tg.nn.Linear).weight.copy_(w2.t());
  });

  const lossFn = new nn.MSELoss({ reduction: 'sum' });
  const learningRate = 1e-6;
  const optimizer = new optim.SGD(model.parameters(), { lr: learningRate });

  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    tg.tidy(() => {
      // Forward pass and loss
      const loss = lossFn.call(model.call(x), y);
      const value = loss.item() as number;
      losses.push(value);
      if (t % 100 === 0 || t === 1) log(`Step: ${t} : ${rNum(value)}`);

      // Zero the gradients, backpropagate, update the weights
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    });
  }
  return losses;
}

if (require.main === module) main();
