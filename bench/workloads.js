'use strict';
/**
 * The training-step workloads of the benchmark suite, built against a given tensorgrad
 * instance: bench/tg_bench.js times them against PyTorch (bench/torch_bench.py has their
 * twins), and bench/ab.js times two builds of tensorgrad against each other in one process.
 * Each constructor makes its data and parameters and returns a function running one step.
 */

/** @param {typeof import('..')} tg */
function trainingSteps(tg) {
  // Plain SGD by hand, parameter by parameter, as the seeds write it.
  function sgdStep(params, lr) {
    tg.noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad.mul(lr));
        p.grad.zero_();
      }
    });
  }

  function seed003(dispose) {
    // seeds/003: n=100, d_in=3, d_hidden=32, d_out=1, biases, lr 1e-4, manual SGD.
    const n = 100, dIn = 3, dH = 32, dOut = 1;
    const x = tg.randn(n, dIn);
    const y = tg.tidy(() =>
      x.index(':', '0:1').mul(0.2).sub(x.index(':', '1:2').mul(1.3)).sub(x.index(':', '2:3').mul(0.5)).add(tg.randn(n, 1)),
    );
    const w1 = tg.randn(dIn, dH, { requiresGrad: true }), w2 = tg.randn(dH, dOut, { requiresGrad: true });
    const b1 = tg.zeros(1, dH, { requiresGrad: true }), b2 = tg.zeros(1, dOut, { requiresGrad: true });
    const params = [w1, w2, b1, b2];
    const lr = 1e-4;
    const step = () => {
      const yPred = x.mm(w1).add(b1).clamp({ min: 0 }).mm(w2).add(b2);
      const loss = yPred.sub(y).pow(2).sum();
      loss.backward();
      sgdStep(params, lr);
    };
    return dispose ? () => tg.tidy(step) : step;
  }

  function seed004(dispose) {
    // seeds/004: N=64, D_in=1000, H=100, D_out=10, lr 1e-6, manual SGD, no biases.
    const N = 64, dIn = 1000, H = 100, dOut = 10;
    const x = tg.randn(N, dIn), y = tg.randn(N, dOut);
    const w1 = tg.randn(dIn, H, { requiresGrad: true }), w2 = tg.randn(H, dOut, { requiresGrad: true });
    const lr = 1e-6;
    const step = () => {
      const yPred = x.mm(w1).clamp({ min: 0 }).mm(w2);
      const loss = yPred.sub(y).pow(2).sum();
      loss.backward();
      tg.noGrad(() => {
        w1.sub_(w1.grad.mul(lr));
        w2.sub_(w2.grad.mul(lr));
        w1.grad.zero_();
        w2.grad.zero_();
      });
    };
    return dispose ? () => tg.tidy(step) : step;
  }

  // The MLP's data and parameters: batch 256, 784-512-512-10 (weights [in, out], biases).
  function mlpData() {
    const B = 256, sizes = [784, 512, 512, 10];
    const x = tg.randn(B, 784), y = tg.randn(B, 10);
    const params = [];
    for (let i = 0; i < 3; i++) {
      const w = tg.tidy(() => tg.randn(sizes[i], sizes[i + 1]).mul(Math.sqrt(2 / sizes[i])));
      w.requiresGrad = true;
      params.push(w, tg.zeros(sizes[i + 1], { requiresGrad: true }));
    }
    return { x, y, params };
  }

  function mlp() {
    // ReLU, MSE, SGD by hand.
    const { x, y, params } = mlpData();
    const lr = 1e-2;
    return () =>
      tg.tidy(() => {
        let h = x.mm(params[0]).add(params[1]).relu();
        h = h.mm(params[2]).add(params[3]).relu();
        const yPred = h.mm(params[4]).add(params[5]);
        const loss = yPred.sub(y).pow(2).mean();
        loss.backward();
        sgdStep(params, lr);
      });
  }

  return { seed003, seed004, mlp, mlpData };
}

module.exports = { trainingSteps };
