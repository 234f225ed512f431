'use strict';
/**
 * The suite's MLP step (bench/workloads.js: batch 256, 784-512-512-10, ReLU, MSE, SGD by
 * hand) timed phase by phase, in tensorgrad and then in PyTorch (bench/mlp_parts.py, found as
 * bench/run.js finds Python), on the same thread count: where a step's time goes on each side.
 * Phases are timed with hrtime around synchronous calls, so their sum is the step.
 *
 *   node bench/mlp_parts.js [--threads 2] [--steps 300]
 */
const path = require('path');
const { spawnSync } = require('child_process');
const tg = require('..');
const { trainingSteps } = require('./workloads');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const threads = arg('threads', 2), steps = arg('steps', 300);
tg.setNumThreads(threads);

const { x, y, params } = trainingSteps(tg).mlpData();
const acc = new Map();
let last = 0n;
const mark = (name) => {
  const t = process.hrtime.bigint();
  acc.set(name, (acc.get(name) || 0n) + (t - last));
  last = t;
};
const step = () =>
  tg.tidy(() => {
    last = process.hrtime.bigint();
    let h = x.mm(params[0]); mark('mm1');
    h = h.add(params[1]).relu(); mark('add1, relu1');
    h = h.mm(params[2]); mark('mm2');
    h = h.add(params[3]).relu(); mark('add2, relu2');
    const yPred = h.mm(params[4]).add(params[5]); mark('mm3, add3');
    const loss = yPred.sub(y).pow(2).mean(); mark('loss');
    loss.backward(); mark('backward');
    tg.noGrad(() => {
      for (const p of params) {
        const g = p.grad.mul(1e-2); mark('sgd: grad * lr');
        p.sub_(g); mark('sgd: sub_');
        p.grad.zero_(); mark('sgd: zero_');
      }
    });
  });

for (let i = 0; i < 50; i++) step();
acc.clear();
const t0 = process.hrtime.bigint();
for (let i = 0; i < steps; i++) step();
const ours = Object.fromEntries([...acc].map(([k, v]) => [k, Number(v) / 1e3 / steps]));
ours.step = Number(process.hrtime.bigint() - t0) / 1e3 / steps;

let theirs = null;
for (const py of [process.env.TORCH_PYTHON, path.join(__dirname, '.venv', 'bin', 'python'), 'python3'].filter(Boolean)) {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const r = spawnSync(py, [path.join(__dirname, 'mlp_parts.py'), String(threads), String(steps)], { encoding: 'utf8', env });
  if (r.status === 0) {
    theirs = JSON.parse(r.stdout.trim().split('\n').pop());
    break;
  }
}
console.log(`MLP step by phase, ${threads} thread(s), ${steps} steps (µs per step)\n`);
console.log('| phase | tensorgrad | PyTorch | tg / PT |\n|---|---:|---:|---:|');
for (const k of Object.keys(ours)) {
  const a = ours[k], b = theirs ? theirs[k] : undefined;
  console.log(`| ${k} | ${a.toFixed(1)} | ${b === undefined ? 'n/a' : b.toFixed(1)} | ${b ? (a / b).toFixed(2) + '×' : ''} |`);
}
