/**
 * Seed 003 with `tg.nn` and `tg.optim`: the "simple network, now using autograd" of
 * examples/seed003_introducing_torch_autograd.ts (Posit AI Weblog, "Introducing torch
 * autograd"), with the hand-written layers, loss and update replaced by `nn.Sequential`,
 * `nn.MSELoss({ reduction: 'sum' })` and `optim.SGD` — what the blog's follow-up posts do
 * with `nn_sequential` and `optim_sgd`.
 *
 * Same data (y = 0.2 x1 - 1.3 x2 - 0.5 x3 + noise, 100 rows), sizes (3 -> 32 -> 1) and
 * learning rate (1e-4) as the manual version. Its loss `(y_pred - y)$pow(2)$sum()` is a
 * sum, hence `reduction: 'sum'`. Weights are standard normal and biases zero, drawn as the
 * manual version draws them, so the two runs start from the same point.
 *
 * Run: `node dist/examples/seed003_nn.js` after `npx tsc -p tsconfig.json`.
 */
import * as tg from '../lib';
import { Log, rNum } from './util';

const { nn, optim } = tg;

/** The seed's data and initial weights, drawn from the generator in the manual version's order. */
function seedData(): { xs: tg.Tensor; ys: tg.Tensor; w1: tg.Tensor; w2: tg.Tensor } {
  const n = 100;
  const xs = tg.randn(n, 3);
  const ys = xs
    .index(':', 0, null)
    .mul(0.2)
    .sub(xs.index(':', 1, null).mul(1.3))
    .sub(xs.index(':', 2, null).mul(0.5))
    .add(tg.randn(n, 1));
  const w1 = tg.randn(3, 32);
  const w2 = tg.randn(32, 1);
  return { xs, ys, w1, w2 };
}

/** Runs `steps` SGD steps (200 as in the seed) and returns the loss of every step. */
export function main(log: Log = console.log, steps = 200): number[] {
  tg.manualSeed(3);
  // The manual version first draws a preview network's data and weights; draw (and drop)
  // the same numbers so that the complete code below trains on the same data.
  seedData();
  const { xs, ys, w1, w2 } = seedData();

  // 3 -> 32 -> ReLU -> 1, with the seed's initialisation (normal weights, zero biases)
  // instead of Linear's default; Linear stores its weight as (out, in).
  const model = new nn.Sequential(new nn.Linear(3, 32), new nn.ReLU(), new nn.Linear(32, 1));
  tg.noGrad(() => {
    const [l1, l2] = [model.at(0), model.at(2)] as tg.nn.Linear[];
    l1.weight.copy_(w1.t());
    l2.weight.copy_(w2.t());
    nn.init.zeros_(l1.bias!);
    nn.init.zeros_(l2.bias!);
  });

  const lossFn = new nn.MSELoss({ reduction: 'sum' });
  const optimizer = new optim.SGD(model.parameters(), { lr: 1e-4 });

  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    tg.tidy(() => {
      const loss = lossFn.call(model.call(xs), ys);
      const value = loss.item() as number;
      losses.push(value);
      if (t % 10 === 0) log(`Epoch:  ${t}    Loss:  ${rNum(value)}`);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    });
  }
  return losses;
}

if (require.main === module) main();
