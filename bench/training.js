#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:training`: the training workloads of examples/ run by tensorgrad and by
 * PyTorch (bench/torch_training.py), one after the other, each in its own process with the
 * same thread count, and printed side by side as Markdown.
 *
 *   node bench/training.js [--threads 2] [--workloads seed004,mlp,cnn] [--epochs 3] [--limit N]
 *                          [--omp-wait-policy PASSIVE|ACTIVE|unset] [--no-torch] [--json FILE]
 *
 * Workloads: seed004 (examples/seed004_nn.ts, 500 SGD steps), mlp and cnn
 * (examples/fashion_mnist_{mlp,cnn}.ts: same architecture, default initialisation, Adam 1e-3
 * halved per epoch, batch 64, normalised inputs, seed 0 on both sides). Times are of the training pass only
 * (evaluation is timed apart). Needs the build (`npm run build`) and, for the PyTorch columns,
 * a Python with torch: $TORCH_PYTHON, bench/.venv/bin/python or python3.
 *
 * Internal: `node bench/training.js --worker WORKLOAD THREADS EPOCHS LIMIT` is the tensorgrad side.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const WORKLOADS = ['seed004', 'mlp', 'cnn'];

// ---------------------------------------------------------------- tensorgrad side (a worker process)
function worker([workload, threads, epochs, limit]) {
  const tg = require(path.join(ROOT, 'dist', 'lib'));
  tg.setNumThreads(Number(threads));
  let res;
  if (workload === 'seed004') {
    const { main } = require(path.join(ROOT, 'dist', 'examples', 'seed004_nn.js'));
    const t0 = performance.now();
    const losses = main(() => undefined, 500);
    const sec = (performance.now() - t0) / 1000;
    res = { steps: 500, seconds: sec, msPerStep: (sec / 500) * 1000, firstLoss: losses[0], finalLoss: losses[499] };
  } else {
    const { train, DEFAULT_OPTIONS } = require(path.join(ROOT, 'dist', 'examples', 'fashion_mnist_train.js'));
    const make = workload === 'mlp'
      ? require(path.join(ROOT, 'dist', 'examples', 'fashion_mnist_mlp.js')).makeMLP
      : require(path.join(ROOT, 'dist', 'examples', 'fashion_mnist_cnn.js')).makeCNN;
    const opts = { ...DEFAULT_OPTIONS, epochs: Number(epochs), limit: Number(limit) > 0 ? Number(limit) : null, threads: Number(threads), progress: false };
    const r = train(workload, make, opts, () => undefined);
    res = {
      epochs: r.epochs.map((e) => ({ epoch: e.epoch, trainSeconds: e.trainSeconds, msPerStep: (e.trainSeconds / Math.ceil((opts.limit ?? 60000) / opts.batchSize)) * 1000, trainLoss: e.trainLoss, testAccuracy: e.testAccuracy, evalSeconds: e.evalSeconds })),
    };
  }
  res.library = `tensorgrad ${require(path.join(ROOT, 'package.json')).version} (${tg.blasInfo()}, ${tg.simdLevel()})`;
  res.threads = tg.getNumThreads();
  process.stdout.write(JSON.stringify(res) + '\n');
}

if (process.argv[2] === '--worker') {
  worker(process.argv.slice(3));
  return;
}

// ---------------------------------------------------------------- runner
function usage(msg) {
  if (msg) process.stderr.write(`training.js: ${msg}\n`);
  process.stderr.write('usage: node bench/training.js [--threads 2] [--workloads seed004,mlp,cnn] [--epochs 3] [--limit N]\n' +
    '                              [--omp-wait-policy PASSIVE|ACTIVE|unset] [--no-torch] [--json FILE]\n');
  process.exit(msg ? 2 : 0);
}
const opts = { threads: Math.min(os.cpus().length, 2), workloads: WORKLOADS, epochs: 3, limit: 0, ompWait: 'PASSIVE', torch: true, json: null };
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    const val = () => (i + 1 < a.length ? a[++i] : usage(`${k} needs a value`));
    if (k === '--threads') opts.threads = Number(val());
    else if (k === '--workloads') opts.workloads = val().split(',').filter(Boolean);
    else if (k === '--epochs') opts.epochs = Number(val());
    else if (k === '--limit') opts.limit = Number(val());
    else if (k === '--omp-wait-policy') opts.ompWait = val().toUpperCase();
    else if (k === '--no-torch') opts.torch = false;
    else if (k === '--json') opts.json = val();
    else if (k === '-h' || k === '--help') usage();
    else usage(`unknown argument ${k}`);
  }
  if (!(Number.isInteger(opts.threads) && opts.threads >= 1)) usage('--threads takes a positive integer');
  if (!(Number.isInteger(opts.epochs) && opts.epochs >= 1)) usage('--epochs takes a positive integer');
  if (!(Number.isInteger(opts.limit) && opts.limit >= 0)) usage('--limit takes a non-negative integer');
  for (const w of opts.workloads) if (!WORKLOADS.includes(w)) usage(`unknown workload ${w} (known: ${WORKLOADS.join(', ')})`);
  if (!['PASSIVE', 'ACTIVE', 'UNSET'].includes(opts.ompWait)) usage('--omp-wait-policy takes PASSIVE, ACTIVE or unset');
}
const log = (s) => process.stderr.write(s + '\n');

if (!fs.existsSync(path.join(ROOT, 'dist', 'examples', 'fashion_mnist_train.js'))) {
  log('bench:training: dist/examples is missing; build first with `npm run build` (or `npx tsc -p tsconfig.json`).');
  process.exit(1);
}

function findPython() {
  const cands = [process.env.TORCH_PYTHON, path.join(__dirname, '.venv', 'bin', 'python'), 'python3'].filter(Boolean);
  for (const py of cands) {
    const r = spawnSync(py, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 120e3 });
    if (r.status === 0) return py;
  }
  return null;
}
const py = opts.torch ? findPython() : null;
if (opts.torch && !py) log('bench:training: no Python with torch and numpy found (set TORCH_PYTHON or create bench/.venv); PyTorch columns are n/a');

const env = { ...process.env };
for (const k of ['OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS']) env[k] = String(opts.threads);
if (opts.ompWait === 'UNSET') delete env.OMP_WAIT_POLICY;
else env.OMP_WAIT_POLICY = opts.ompWait;

function run(side, workload) {
  const args = [workload, String(opts.threads), String(opts.epochs), String(opts.limit)];
  const [cmd, argv] = side === 'tensorgrad' ? [process.execPath, [__filename, '--worker', ...args]] : [py, [path.join(__dirname, 'torch_training.py'), ...args]];
  const load = os.loadavg()[0];
  const t = Date.now();
  log(`bench:training: ${side} ${workload} (load ${load.toFixed(2)}) ...`);
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', cwd: ROOT, maxBuffer: 16 << 20 });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    log(`bench:training:   ${side} ${workload} failed after ${secs} s: ${(r.stderr || String(r.error)).trim().slice(-600)}`);
    return null;
  }
  log(`bench:training:   done in ${secs} s`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop());
  res.loadBefore = load;
  res.loadAfter = os.loadavg()[0];
  return res;
}

const results = {};
for (const w of opts.workloads) {
  results[w] = { tensorgrad: run('tensorgrad', w), torch: py ? run('torch', w) : null };
}

// ---------------------------------------------------------------- report
const f = (v, d = 1) => (v === undefined || v === null ? 'n/a' : v.toFixed(d));
const pct = (v) => (v === undefined || v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
const md = [];
const any = Object.values(results).flatMap((r) => [r.tensorgrad, r.torch]).find(Boolean);
md.push(`## Training runs (${new Date().toISOString().slice(0, 10)})`);
md.push('');
md.push(`- machine: ${os.cpus()[0].model}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`);
md.push(`- threads: ${opts.threads} on both sides (OMP/MKL/OPENBLAS_NUM_THREADS=${opts.threads}, OMP_WAIT_POLICY=${opts.ompWait === 'UNSET' ? '(unset)' : opts.ompWait})`);
md.push(`- ${any ? `${results[opts.workloads[0]].tensorgrad?.library ?? ''}; ${Object.values(results).find((r) => r.torch)?.torch.library ?? 'PyTorch n/a'}` : ''}`);
md.push(`- epochs: ${opts.epochs}${opts.limit ? `, training on the first ${opts.limit} images` : ''}; times are of the training pass (evaluation apart); load average (1 min) before/after each run in the last column`);
md.push('');
if (results.seed004) {
  const { tensorgrad: a, torch: b } = results.seed004;
  md.push('| seed 004 (500 SGD steps, 64x1000 -> 100 -> 10) | ms/step | first loss | final loss | load |');
  md.push('|---|---:|---:|---:|---|');
  for (const [name, r] of [['tensorgrad', a], ['PyTorch', b]]) {
    md.push(`| ${name} | ${f(r?.msPerStep, 3)} | ${r ? r.firstLoss.toExponential(4) : 'n/a'} | ${r ? r.finalLoss.toExponential(3) : 'n/a'} | ${r ? `${f(r.loadBefore, 2)}/${f(r.loadAfter, 2)}` : ''} |`);
  }
  md.push(`| tensorgrad / PyTorch time | ${ratio(a?.msPerStep, b?.msPerStep)} | | | |`);
  md.push('');
}
for (const w of ['mlp', 'cnn']) {
  if (!results[w]) continue;
  const { tensorgrad: a, torch: b } = results[w];
  md.push(`| Fashion-MNIST ${w.toUpperCase()} | epoch | s/epoch | ms/step | train loss | test accuracy | eval s | load |`);
  md.push('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const [name, r] of [['tensorgrad', a], ['PyTorch', b]]) {
    if (!r) {
      md.push(`| ${name} | n/a | | | | | | |`);
      continue;
    }
    r.epochs.forEach((e, i) => md.push(`| ${i === 0 ? name : ''} | ${e.epoch} | ${f(e.trainSeconds)} | ${f(e.msPerStep, 2)} | ${f(e.trainLoss, 4)} | ${pct(e.testAccuracy)} | ${f(e.evalSeconds, 2)} | ${i === 0 ? `${f(r.loadBefore, 2)}/${f(r.loadAfter, 2)}` : ''} |`));
  }
  const mean = (r) => (r ? r.epochs.reduce((s, e) => s + e.trainSeconds, 0) / r.epochs.length : null);
  md.push(`| tensorgrad / PyTorch time per epoch | | ${ratio(mean(a), mean(b))} | | | | | |`);
  md.push('');
}
process.stdout.write(md.join('\n') + '\n');
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ opts, results }, null, 2));
