#!/usr/bin/env node
'use strict';
/**
 * Times two builds of tensorgrad against each other in one process, batch for batch:
 *
 *   node bench/ab.js OLD NEW [--threads 1,2] [--workloads loop004,mlp,mm_256] [--rounds 16]
 *
 * OLD and NEW are addon files (`.node`, staged with this checkout's dist/ in a temporary
 * package) or package directories (a tensorgrad checkout with dist/ and build/Release/).
 * Workloads: loop003, loop004, mlp (bench/workloads.js), the mm shapes of bench/common.js,
 * and float32 elementwise ops named OP_SIZE, with a trailing `_` for the in-place form:
 * add_16M_ is `a.add_(b)` over 16M elements, exp_1M is `a.exp()` over 1M (OP: add, sub, mul,
 * div, relu, exp, tanh, sigmoid and the ops of bench/common.js's UNARY_OPS, clamp to [-1, 1];
 * in place only add, sub, mul, div, relu, abs, sqrt, exp, tanh, sigmoid, log, sin, cos and clamp;
 * SIZE: a count with an optional K or M), and float32 reductions of a square matrix of SIZE
 * elements named RED_SIZE (RED: sum, sumrows for x.sum(1), norm, max), and conv2d forward +
 * backward steps (CONV_SHAPES below): conv2d is bench/tg_bench.js's row (32x16x32x32, 32 3x3
 * filters, padding 1, bias), the others 1x1, strided, grouped, dilated and float64 variants,
 * and copies of a square float32 matrix m of SIZE elements: cat0_SIZE and cat1_SIZE for
 * tg.cat([m, m], 0 or 1), clone_SIZE for m.clone(), gather0_SIZE and gather1_SIZE for
 * m.gather(0 or 1, idx), scatter_add0_SIZE and scatter_add1_SIZE for
 * m.scatterAdd(0 or 1, idx, m), idx random, and roll_SIZE for m.roll(3, 1); sumgrad_SIZE for
 * x.sum().backward() (x of SIZE elements requiring grad, its .grad reset each step);
 * index_select and layer_norm are bench/tg_bench.js's indexSelect and layerNorm rows.
 *
 * Why one process: on a shared host, speed drifts by 10-30% from minute to minute, more than
 * most changes worth measuring. Alternating processes sees that drift as noise; batches of
 * the two builds taken back to back (in ABBA order) see the same host, so the median of
 * their per-round ratios is steady to a few percent. Each build keeps its own thread pool;
 * with a dynamically linked BLAS both share one OpenBLAS.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { MM_SHAPES, UNARY_OPS, median, unaryRange } = require('./common');
const { trainingSteps } = require('./workloads');

const repo = path.join(__dirname, '..');

function usage(msg) {
  process.stderr.write(`ab: ${msg}\nusage: node bench/ab.js OLD NEW [--threads 1,2] [--workloads loop004,mlp] [--rounds 16]\n`);
  process.exit(2);
}

function parse(argv) {
  const a = { builds: [], threads: [1, 2], workloads: ['loop003', 'loop004', 'mlp'], rounds: 16 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--threads') a.threads = argv[++i].split(',').map(Number);
    else if (k === '--workloads') a.workloads = argv[++i].split(',').filter(Boolean);
    else if (k === '--rounds') a.rounds = Number(argv[++i]);
    else if (k.startsWith('--')) usage(`unknown option ${k}`);
    else a.builds.push(k);
  }
  if (a.builds.length !== 2) usage('give exactly two builds');
  if (!(a.rounds >= 2)) usage('--rounds must be at least 2');
  return a;
}

// A package directory for an addon file: this checkout's package.json and dist/ (copied, so
// that the two builds load as separate modules) around it.
function stage(nodeFile, tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tg-ab-${tag}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(repo, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(repo, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(nodeFile, path.join(dir, 'build', 'Release', 'tensorgrad.node'));
  return dir;
}

function load(spec, tag) {
  const p = path.resolve(spec);
  if (!fs.existsSync(p)) usage(`${spec} does not exist`);
  const dir = fs.statSync(p).isDirectory() ? p : stage(p, tag);
  return require(dir);
}

const EW_OPS = ['add', 'sub', 'mul', 'div', 'relu', 'exp', 'tanh', 'sigmoid', ...UNARY_OPS];

// One step of a workload, built against tg.
function makeWorkload(tg, id) {
  const steps = trainingSteps(tg);
  if (id === 'loop003') return steps.seed003(true);
  if (id === 'loop004') return steps.seed004(true);
  if (id === 'mlp') return steps.mlp();
  const ew = /^([a-zA-Z0-9]+)_(\d+)([KM]?)(_?)$/.exec(id);
  if (ew && EW_OPS.includes(ew[1])) return elementwise(tg, ew[1], Number(ew[2]) * ({ K: 1 << 10, M: 1 << 20 }[ew[3]] ?? 1), ew[4] === '_');
  const red = /^(sum|sumrows|norm|max)_(\d+)([KM]?)$/.exec(id);
  if (red) return reduction(tg, red[1], Number(red[2]) * ({ K: 1 << 10, M: 1 << 20 }[red[3]] ?? 1));
  const mv = /^(cat0|cat1|clone|gather0|gather1|scatter_add0|scatter_add1|roll|sumgrad)_(\d+)([KM]?)$/.exec(id);
  if (mv) return movement(tg, mv[1], Number(mv[2]) * ({ K: 1 << 10, M: 1 << 20 }[mv[3]] ?? 1));
  if (id === 'index_select') {
    // bench/tg_bench.js's row: 4096 random rows of a 10000 x 128 float32 table.
    const e = tg.randn(10000, 128), rows = tg.randint(0, 10000, [4096]);
    return () => e.indexSelect(0, rows).dispose();
  }
  if (id === 'layer_norm') {
    // bench/tg_bench.js's row: forward and backward over [32, 128, 256], normalized over 256.
    const seq = tg.randn([32, 128, 256], { requiresGrad: true });
    const w = tg.ones(256, { requiresGrad: true }), b = tg.zeros(256, { requiresGrad: true });
    return () => tg.tidy(() => { tg.nn.functional.layerNorm(seq, [256], w, b).sum().backward(); });
  }
  if (CONV_SHAPES[id]) return convStep(tg, CONV_SHAPES[id]);
  const shape = MM_SHAPES.find((s) => s[3] === id);
  if (!shape) usage(`unknown workload ${id} (loop003, loop004, mlp, ${MM_SHAPES.map((s) => s[3]).join(', ')})`);
  const [M, K, N] = shape;
  const a = tg.randn(M, K), b = tg.randn(K, N);
  return () => a.mm(b).dispose();
}

// [input shape, weight shape, conv2d options, dtype]: `F.conv2d(x, w, b, opts).sum().backward()`
// with x, w and the bias b requiring grad (gradients accumulate, as in bench/tg_bench.js).
const CONV_SHAPES = {
  conv2d: [[32, 16, 32, 32], [32, 16, 3, 3], { padding: 1 }],
  conv1x1: [[32, 64, 16, 16], [64, 64, 1, 1], {}],
  conv_s2: [[32, 16, 32, 32], [32, 16, 3, 3], { padding: 1, stride: 2 }],
  conv_g4: [[32, 32, 32, 32], [32, 8, 3, 3], { padding: 1, groups: 4 }],
  conv_d2: [[32, 16, 32, 32], [32, 16, 3, 3], { padding: 2, dilation: 2 }],
  conv_f64: [[32, 16, 32, 32], [32, 16, 3, 3], { padding: 1 }, 'float64'],
};

function convStep(tg, [xs, ws, opts, dtype = 'float32']) {
  const p = (shape) => tg.randn(shape, { dtype, requiresGrad: true });
  const x = p(xs), w = p(ws), b = p([ws[0]]);
  return () => tg.tidy(() => { tg.nn.functional.conv2d(x, w, b, opts).sum().backward(); });
}

// One elementwise op over n float32 elements, from values in [-3, 3] (a unary op's
// unaryRange; b near 1). In place, steps alternate the binary ops with their inverses so the values
// stay put, and log_ with exp_ (so log_1M_ times the two); repeated tanh_, sigmoid_, relu_,
// abs_, sqrt_, sin_, cos_ and clamp_ stay bounded, and exp_ is followed by a clamp_ (timed
// with it).
function elementwise(tg, op, n, inPlace) {
  const binary = ['add', 'sub', 'mul', 'div'].includes(op);
  const [lo, hi] = binary ? [-3, 3] : unaryRange(op);
  const a = tg.tidy(() => tg.rand(n).mul(hi - lo).add(lo)), b = tg.tidy(() => tg.rand(n).mul(0.01).add(0.995));
  const name = op + (inPlace ? '_' : '');
  const f = binary ? (x) => x[name](b) : op === 'clamp' ? (x) => x[name](-1, 1) : (x) => x[name]();
  const undo = { add: (x) => x.sub_(b), sub: (x) => x.add_(b), mul: (x) => x.div_(b), div: (x) => x.mul_(b), log: (x) => x.exp_() }[op];
  if (!inPlace) return () => f(a).dispose();
  let flip = false;
  return () => {
    flip = !flip;
    if (flip || !undo) f(a);
    else undo(a);
    if (op === 'exp') a.clamp_({ min: -3, max: 3 });
  };
}

// One reduction of a float32 side x side matrix of about n elements (randn).
function reduction(tg, op, n) {
  const side = Math.round(Math.sqrt(n));
  const x = tg.randn(side, side);
  const f = { sum: () => x.sum(), sumrows: () => x.sum(1), norm: () => x.norm(), max: () => x.max() }[op];
  return () => f().dispose();
}

// A copy of a float32 side x side matrix m of about n elements: cat([m, m], 0 or 1), m.clone(),
// m.gather(0 or 1, idx) or m.scatterAdd(0 or 1, idx, m) with idx random in [0, side),
// m.roll(3, 1), or the gradient of x.sum() for x like m.
function movement(tg, op, n) {
  const side = Math.round(Math.sqrt(n));
  const m = tg.randn(side, side), idx = tg.randint(0, side, [side, side]);
  const x = op === 'sumgrad' ? tg.randn([side, side], { requiresGrad: true }) : null;
  const f = {
    cat0: () => tg.cat([m, m], 0), cat1: () => tg.cat([m, m], 1), clone: () => m.clone(),
    gather0: () => m.gather(0, idx), gather1: () => m.gather(1, idx),
    scatter_add0: () => m.scatterAdd(0, idx, m), scatter_add1: () => m.scatterAdd(1, idx, m), roll: () => m.roll(3, 1),
    sumgrad: () => { x.grad = null; x.sum().backward(); return x.grad; },
  }[op];
  return () => f().dispose();
}

function batch(step, inner) {
  const t0 = performance.now();
  for (let i = 0; i < inner; i++) step();
  return (performance.now() - t0) / inner / 1e3;
}

function fmt(s) {
  return s >= 1e-3 ? `${(s * 1e3).toFixed(3)} ms` : `${(s * 1e6).toFixed(1)} µs`;
}

function main() {
  const args = parse(process.argv.slice(2));
  const libs = [load(args.builds[0], 'a'), load(args.builds[1], 'b')];
  if (libs[0] === libs[1]) usage('both builds resolve to the same module');
  const rows = [];
  for (const threads of args.threads) {
    for (const id of args.workloads) {
      libs.forEach((tg) => tg.setNumThreads(threads));
      const steps = libs.map((tg) => makeWorkload(tg, id));
      // Batches of about 50 ms, after a warm-up of a few batches each.
      const once = batch(steps[0], 3);
      const inner = Math.max(1, Math.round(0.05 / Math.max(once, 1e-7)));
      for (let w = 0; w < 3; w++) steps.forEach((s) => batch(s, inner));
      const times = [[], []], ratios = [];
      for (let r = 0; r < args.rounds; r++) {
        const order = r % 2 ? [1, 0] : [0, 1];
        const t = [];
        for (const k of order) t[k] = batch(steps[k], inner);
        times[0].push(t[0]);
        times[1].push(t[1]);
        ratios.push(t[1] / t[0]);
      }
      const sorted = [...ratios].sort((p, q) => p - q);
      const q = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
      rows.push(`| ${id} | ${threads} | ${fmt(median(times[0]))} | ${fmt(median(times[1]))} | ${median(ratios).toFixed(3)}× | ${q(0.25).toFixed(3)}-${q(0.75).toFixed(3)} |`);
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
  }
  const header = [
    `A: ${args.builds[0]}  B: ${args.builds[1]}  (${args.rounds} rounds of ABBA batches, ${os.cpus().length} CPUs, ${libs[0].blasInfo()})`,
    '',
    '| workload | threads | A | B | B / A (median of rounds) | middle half of rounds |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  process.stdout.write([...header, ...rows].join('\n') + '\n');
}

main();
