'use strict';
/**
 * One optimizer step over the parameters of a 784-512-512-10 MLP (float32, ~670k values, grads
 * set once): tensorgrad's fused native step against PyTorch's (bench/optim_bench.py, run in the
 * same shell with the same thread count). Not part of `npm test`.
 *
 *   npx tsc -p tsconfig.json && node bench/optim_bench.js [--threads 1,2]
 */
const { execFileSync } = require('child_process');
const path = require('path');
const { performance } = require('perf_hooks');
const tg = require('../dist/lib');

const SHAPES = [[512, 784], [512], [512, 512], [512], [10, 512], [10]];

function params() {
  tg.manualSeed(0);
  return SHAPES.map((s) => {
    const p = tg.randn(s).requiresGrad_();
    p.grad = tg.randn(s);
    return p;
  });
}

function timeit(step, reps = 200) {
  for (let i = 0; i < 10; ++i) step();
  const samples = [];
  for (let i = 0; i < reps; ++i) {
    const t = performance.now();
    step();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1] * 1e3;
}

function python() {
  for (const p of [process.env.TORCH_PYTHON, path.join(__dirname, '.venv/bin/python'), '/work/main/bench/.venv/bin/python', 'python3']) {
    if (!p) continue;
    try {
      execFileSync(p, ['-c', 'import torch'], { stdio: 'ignore' });
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

const arg = process.argv.indexOf('--threads');
const threads = arg > 0 ? process.argv[arg + 1].split(',').map(Number) : [1, require('os').cpus().length];
const py = python();
console.log(`| threads | step | tensorgrad (µs) | torch foreach=False (µs) | torch foreach=True (µs) | tg / torch single | tg / torch foreach |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const n of threads) {
  tg.setNumThreads(n);
  const sgd = new tg.optim.SGD(params(), { lr: 1e-3, momentum: 0.9 });
  const adam = new tg.optim.Adam(params(), { lr: 1e-3 });
  const ours = { sgd_momentum: timeit(() => sgd.step()), adam: timeit(() => adam.step()) };
  const ref = py ? JSON.parse(execFileSync(py, [path.join(__dirname, 'optim_bench.py'), String(n)], { encoding: 'utf8' })) : {};
  for (const k of ['sgd_momentum', 'adam']) {
    const s = ref[`${k}_single`], f = ref[`${k}_foreach`];
    const fmt = (v) => (v === undefined ? 'n/a' : v.toFixed(1));
    const ratio = (v) => (v === undefined ? 'n/a' : (ours[k] / v).toFixed(2));
    console.log(`| ${n} | ${k} | ${ours[k].toFixed(1)} | ${fmt(s)} | ${fmt(f)} | ${ratio(s)} | ${ratio(f)} |`);
  }
}
