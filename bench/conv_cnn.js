#!/usr/bin/env node
// Times forward + backward of the small Fashion-MNIST CNN's convolutions in tensorgrad:
// conv 1->32 3x3, relu, conv 32->64 3x3, relu, on [B, 1, 28, 28] float32, backward from a
// fixed random gradient (what the layers above would send). Prints ms per step and the
// projected seconds per 60k-image epoch for these layers.
// Compare with bench/conv_cnn.py (PyTorch) in the same shell:
//   node bench/conv_cnn.js [threads] && /work/main/bench/.venv/bin/python bench/conv_cnn.py [threads]
'use strict';
const path = require('path');
const { performance } = require('perf_hooks');
const tg = require(path.resolve(process.env.TG_BENCH_ROOT || path.join(__dirname, '..')));
const F = tg.nn.functional;

const threads = Number(process.argv[2] || 2);
tg.setNumThreads(threads);
tg.manualSeed(0);
const w1 = tg.randn([32, 1, 3, 3]).mul(0.3).requiresGrad_(), b1 = tg.zeros([32]).requiresGrad_();
const w2 = tg.randn([64, 32, 3, 3]).mul(0.06).requiresGrad_(), b2 = tg.zeros([64]).requiresGrad_();

function step(x, gy) {
  tg.tidy(() => {
    const h = F.conv2d(F.conv2d(x, w1, b1).relu(), w2, b2).relu();
    h.backward(gy);
  });
  for (const p of [w1, b1, w2, b2]) { p.grad.dispose(); p.grad = null; }
}

for (const B of [64, 128]) {
  const x = tg.randn([B, 1, 28, 28]), gy = tg.randn([B, 64, 24, 24]);
  for (let i = 0; i < 3; i++) step(x, gy);
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    step(x, gy);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  // min and median: on a shared machine the minimum is the steadier number.
  const ms = times[times.length >> 1], best = times[0];
  console.log(`tensorgrad threads=${threads} batch=${B}: min ${best.toFixed(1)} / median ${ms.toFixed(1)} ms per step fwd+bwd, ` +
    `${((best * 60000) / B / 1000).toFixed(1)} s per 60k images (at the min)`);
  x.dispose();
  gy.dispose();
}
