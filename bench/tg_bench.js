#!/usr/bin/env node
'use strict';
/**
 * tensorgrad side of the benchmark suite. Started by bench/run.js, once per process round;
 * bench/torch_bench.py is its PyTorch twin and must keep the same workload ids, shapes and
 * timing rules (see bench/README.md).
 *
 *   node --expose-gc bench/tg_bench.js --threads 1 [--sections overhead,backward,...] [--quick]
 *
 * Prints one JSON object on stdout: { meta, results: { id: { median, reps, inner } | { na } } },
 * times in seconds per call. Thread count: the runner sets OPENBLAS_NUM_THREADS (and the
 * OMP/MKL variables) in the environment; tg.setNumThreads(n) is called too when it exists.
 *
 * Memory rule: wherever Python would free a tensor (its refcount drops), this side frees it
 * too, with dispose() or a tidy() scope. Variants named *_gc leave freeing to the GC.
 */
const path = require('path');
const { performance } = require('perf_hooks');
const { bench, timePerCall, parseArgs, SECTIONS, GC_WARMUP_S, MM_SHAPES, EW_SIZES, UNARY_N, UNARY_OPS, unaryRange, BINARY_OPS, OPS, RED_SHAPES } = require('./common');
const { trainingSteps } = require('./workloads');

const args = parseArgs(process.argv.slice(2));
const THREADS = args.threads;
const QUICK = args.quick;

let tg;
try {
  // TG_BENCH_ROOT: the runner's snapshot of the build (bench/.build/snapshot); else the repo.
  tg = require(path.resolve(process.env.TG_BENCH_ROOT || path.join(__dirname, '..')));
} catch (e) {
  process.stderr.write(`tg_bench: cannot load tensorgrad (${e.message}). Run \`npm run build\` first.\n`);
  process.exit(2);
}
if (typeof tg.setNumThreads === 'function') tg.setNumThreads(THREADS);
tg.manualSeed(0);

const gc = typeof global.gc === 'function' ? global.gc : () => {};
const results = {};
const opt = { quick: QUICK };

function record(id, fn, o = {}) {
  gc();
  try {
    results[id] = fn === null ? { na: o.na || 'missing op' } : bench(fn, { ...opt, ...o });
    // The warm-up's mean time per call, as a row of its own (see bench/README.md).
    const warm = results[id].warm;
    if (warm) results[`${id}_warm`] = { median: warm.mean, reps: 1, inner: warm.calls };
  } catch (e) {
    results[id] = { na: `error: ${String(e && e.message).split('\n')[0].slice(0, 120)}` };
  }
}

// ---------------------------------------------------------------- per-op overhead
function secOverhead() {
  const x = tg.randn(2, 2), y = tg.randn(2, 2);
  const xg = tg.randn(2, 2, { requiresGrad: true }), yg = tg.randn(2, 2, { requiresGrad: true });
  const N = 1000; // ops per timed call; results are reported per op by the runner
  const per = { ops: N };
  record('ovh_add', () => { for (let i = 0; i < N; i++) x.add(y).dispose(); }, per);
  record('ovh_add_tidy', () => tg.tidy(() => { for (let i = 0; i < N; i++) x.add(y); }), per);
  record('ovh_addg', () => { for (let i = 0; i < N; i++) xg.add(yg).dispose(); }, per);
  record('ovh_nograd', () => tg.noGrad(() => { for (let i = 0; i < N; i++) xg.add(yg).dispose(); }), per);
  record('ovh_add_gc', () => { for (let i = 0; i < N; i++) x.add(y); }, per);
  record('ovh_addg_gc', () => { for (let i = 0; i < N; i++) xg.add(yg); }, per);
}

// ---------------------------------------------------------------- backward over a 100-op chain
function chain(x) {
  let y = x;
  for (let i = 0; i < 50; i++) {
    y = y.mul(1.001);
    y = y.add(0.001);
  }
  return y.sum(); // 100 chained ops + sum = 101 graph nodes
}

function secBackward() {
  const x = tg.randn(2, 2, { requiresGrad: true });
  record('fwd_node', () => tg.tidy(() => { chain(x); }), { ops: 101 });
  // Backward only: build G graphs untimed, then time their backward passes.
  const G = 100;
  record(
    'bwd_node',
    () => {
      const outs = [];
      let t = 0;
      tg.tidy(() => {
        for (let g = 0; g < G; g++) outs.push(chain(x));
        const t0 = performance.now();
        for (const o of outs) o.backward();
        t = (performance.now() - t0) / 1e3;
      });
      return t;
    },
    { ops: 101 * G, timed: true },
  );
}

// ---------------------------------------------------------------- mm
function secMm() {
  for (const [M, K, N, id] of MM_SHAPES) {
    const a = tg.randn(M, K), b = tg.randn(K, N);
    record(id, () => a.mm(b).dispose(), { big: M >= 1024 });
    a.dispose();
    b.dispose();
  }
}

// ---------------------------------------------------------------- elementwise
const UNARY = ['exp', 'tanh', 'sigmoid'];

function secElementwise() {
  for (const [n, label] of EW_SIZES) {
    const a = tg.rand(n), b = tg.rand(n);
    const src = tg.rand(n).sub(0.5); // in-place ops restart from these values each call
    const bm = tg.rand(n).mul(0.002).add(0.999); // mul_ operand near 1 (values stay normal)
    const flush = n >= 8 << 20 ? tg.empty(16 << 20) : null; // evicts the reset from cache
    record(`ew_add_${label}`, () => a.add(b).dispose());
    record(`ew_mul_${label}`, () => a.mul(b).dispose());
    for (const u of UNARY) record(`ew_${u}_${label}`, () => a[u]().dispose());
    // In place: each timed call starts from the same values (untimed reset).
    const buf = tg.empty(n);
    const reset = () => {
      buf.copy_(src);
      if (flush) flush.fill_(1);
    };
    record(`ew_add_ip_${label}`, timePerCall(reset, () => buf.add_(b)), { timed: true });
    record(`ew_mul_ip_${label}`, timePerCall(reset, () => buf.mul_(bm)), { timed: true });
    for (const u of UNARY) record(`ew_${u}_ip_${label}`, timePerCall(reset, () => buf[`${u}_`]()), { timed: true });
    for (const t of [a, b, src, bm, buf, flush]) if (t) t.dispose();
  }
}

// ---------------------------------------------------------------- more unary ops
function secUnary() {
  for (const op of UNARY_OPS) {
    const [lo, hi] = unaryRange(op);
    const x = tg.tidy(() => tg.rand(UNARY_N).mul(hi - lo).add(lo));
    const f = op === 'clamp' ? () => x.clamp(-1, 1) : () => x[op]();
    record(`un_${op}_1M`, () => f().dispose());
    x.dispose();
  }
}

// ---------------------------------------------------------------- binary ops
function secBinary() {
  const a = tg.tidy(() => tg.rand(UNARY_N).mul(6).sub(3));
  const b = tg.tidy(() => tg.rand(UNARY_N).mul(2).add(0.5));
  const calls = {
    atan2: () => tg.atan2(a, b), hypot: () => tg.hypot(a, b), pow: () => tg.pow(b, a), powScalar: () => b.pow(2.5),
    rpow: () => tg.pow(2, a), fmod: () => tg.fmod(a, b), remainder: () => tg.remainder(a, b), xlogy: () => tg.xlogy(a, b),
    divFloor: () => a.div(b, { roundingMode: 'floor' }), maximum: () => tg.maximum(a, b), lerp: () => a.lerp(b, 0.3),
    addcmul: () => a.addcmul(a, b, { value: 0.5 }),
  };
  for (const op of BINARY_OPS) record(`bin_${op}_1M`, () => calls[op]().dispose());
  a.dispose();
  b.dispose();
}

// ---------------------------------------------------------------- reductions and softmax
function rowMaxSupported() {
  // max(dim, keepdim) -> row maxima? Detect rather than assume (tensorgrad has only max() today).
  try {
    const r = tg.tidy(() => tg.tensor([[1, 2], [4, 3]]).max(1, true).shape.join('x'));
    return r === '2x1';
  } catch {
    return false;
  }
}

function secReduce() {
  const rowMax = rowMaxSupported();
  const softmax = typeof tg.softmax === 'function' ? (x) => tg.softmax(x, 1)
    : typeof tg.Tensor.prototype.softmax === 'function' ? (x) => x.softmax(1) : null;
  for (const [R, C, label] of RED_SHAPES) {
    const x = tg.randn(R, C);
    record(`sum_all_${label}`, () => x.sum().dispose());
    record(`sum_rows_${label}`, () => x.sum(1).dispose());
    record(`softmax_${label}`, softmax && (() => softmax(x).dispose()), { na: 'no softmax op' });
    record(`logsoftmax_${label}`, () => x.logSoftmax(1).dispose());
    record(`norm_${label}`, () => x.norm().dispose());
    // Composed: exp(x - max) / sum(exp) over rows. Without max(dim) the shift is the global
    // max, which is the same softmax mathematically (less robust to rows far below it).
    const composed = rowMax
      ? () => tg.tidy(() => { const e = x.sub(x.max(1, true)).exp(); e.div(e.sum(1, true)); })
      : () => tg.tidy(() => { const e = x.sub(x.max()).exp(); e.div(e.sum(1, true)); });
    record(`softmax_composed_${label}`, composed);
    x.dispose();
  }
  results._softmax_shift = { note: rowMax ? 'row max' : 'global max (no max(dim))' };
}

// ---------------------------------------------------------------- training-path and indexing ops
function secOps() {
  const F = tg.nn.functional;
  const keep = [];
  const k = (t) => (keep.push(t), t);
  const m = k(tg.randn(1024, 1024)), src = k(tg.randn(1024, 1024));
  const idx = k(tg.randint(0, 1024, [1024, 1024]));
  const e = k(tg.randn(10000, 128)), rows = k(tg.randint(0, 10000, [4096]));
  const near1 = k(tg.tidy(() => tg.rand(1024, 1024).mul(0.02).add(0.99)));
  const x = k(tg.randn(UNARY_N));
  const special = k(x.clone());
  tg.tidy(() => {
    special.index('0:1000').fill_(NaN);
    special.index('1000:2000').fill_(Infinity);
  });
  const seq = k(tg.randn([32, 128, 256], { requiresGrad: true }));
  const lnW = k(tg.ones(256, { requiresGrad: true })), lnB = k(tg.zeros(256, { requiresGrad: true }));
  const img = k(tg.randn([32, 16, 32, 32], { requiresGrad: true }));
  const cw = k(tg.randn([32, 16, 3, 3], { requiresGrad: true })), cb = k(tg.randn(32, { requiresGrad: true }));
  const perm = k(tg.tidy(() => tg.randn(1024).argsort())), mask = k(tg.tidy(() => tg.rand(1024, 1024).gt(0.5)));
  const xg = k(tg.randn([UNARY_N], { requiresGrad: true })), y = k(tg.randn(UNARY_N));
  const t01 = k(tg.tidy(() => tg.rand(UNARY_N).gt(0.5).float()));
  const calls = {
    gather1: () => m.gather(1, idx), scatter_add0: () => m.scatterAdd(0, idx, src), index_select: () => e.indexSelect(0, rows),
    cat1: () => tg.cat([m, m], 1), max1: () => m.max(1), argmax1: () => m.argmax(1), cumsum1: () => m.cumsum(1),
    prod1: () => near1.prod(1), topk10: () => m.topk(10, 1), sort1: () => m.sort(1), nan_to_num: () => special.nanToNum(),
    gelu: () => tg.gelu(x),
    flip1: () => m.flip(1), roll1: () => m.roll(3, 1), index_select1: () => m.indexSelect(1, perm), cummax1: () => m.cummax(1),
    nonzero: () => mask.nonzero(), masked_select: () => m.maskedSelect(mask), index_mask: () => m.index(mask),
    mse_loss: () => { xg.grad = null; F.mseLoss(xg, y).backward(); },
    bce_logits: () => { xg.grad = null; F.binaryCrossEntropyWithLogits(xg, t01).backward(); },
    tril: () => m.tril(),
    layer_norm: () => F.layerNorm(seq, [256], lnW, lnB).sum().backward(),
    conv2d: () => F.conv2d(img, cw, cb, { padding: 1 }).sum().backward(),
  };
  for (const [id] of OPS) record(`op_${id}`, () => tg.tidy(() => { calls[id](); }));
  for (const t of keep) t.dispose();
}

// ---------------------------------------------------------------- seed loops and MLP
const { seed003, seed004, mlp } = trainingSteps(tg);

function secLoops() {
  record('loop003', seed003(true), { big: true });
  record('loop004', seed004(true), { big: true });
  // The GC-freed loops are timed in their steady state, after GC_WARMUP_S of steps: see
  // bench/README.md, "The GC-freed loops".
  record('loop003_gc', seed003(false), { big: true, warmup: GC_WARMUP_S });
  record('loop004_gc', seed004(false), { big: true, warmup: GC_WARMUP_S });
}

function secMlp() {
  record('mlp', mlp(), { big: true });
}

const SECTION_FNS = { overhead: secOverhead, backward: secBackward, mm: secMm, elementwise: secElementwise, unary: secUnary, binary: secBinary,
  reduce: secReduce, ops: secOps, loops: secLoops, mlp: secMlp };

const t0 = performance.now();
const sectionSeconds = {};
for (const s of args.sections || SECTIONS) {
  if (!SECTION_FNS[s]) throw new Error(`unknown section ${s}`);
  const ts = performance.now();
  SECTION_FNS[s]();
  sectionSeconds[s] = +((performance.now() - ts) / 1e3).toFixed(2);
}
const meta = {
  side: 'tensorgrad',
  threads: THREADS,
  blas: tg.blasInfo(),
  setNumThreads: typeof tg.setNumThreads === 'function',
  node: process.version,
  openblasCoretype: process.env.OPENBLAS_CORETYPE ?? null,
  openblasThreads: process.env.OPENBLAS_NUM_THREADS ?? null,
  wall_s: (performance.now() - t0) / 1e3,
  section_s: sectionSeconds,
};
process.stdout.write(JSON.stringify({ meta, results }) + '\n');
