'use strict';
/**
 * Shared by bench/run.js and bench/tg_bench.js: the timing rule, argument parsing and the
 * workload shapes. bench/torch_bench.py repeats the rule and shapes in Python; keep them in step.
 *
 * Timing rule (both sides): one warm-up call (two for fast calls), then either
 *  - fast calls: an inner loop calibrated so that `reps` samples take about `minTime` in all;
 *  - slow calls (one call > minTime / reps): one call per sample, 3..reps samples within maxTime.
 * A sample is the mean time per call of its inner loop; the result is the median sample,
 * divided by `ops` (e.g. 1000 ops per call in the overhead loops).
 *
 * `warmup` (seconds): calls fn for that long before the rule starts, for workloads whose
 * steady state takes a while to reach (the GC-freed loops: until V8 first collects, the dead
 * tensors in flight keep growing and every step maps fresh memory). The result then
 * carries `warm: { calls, mean }`, the warm-up's call count and mean seconds per call. `quick`
 * runs skip the warm-up.
 */
const { performance } = require('perf_hooks');

const SECTIONS = ['overhead', 'backward', 'mm', 'elementwise', 'unary', 'binary', 'reduce', 'ops', 'loops', 'mlp'];

// Seconds of steps the GC-freed loops run before they are timed (bench/README.md, "The
// GC-freed loops"); the runner's row labels quote it.
const GC_WARMUP_S = 1.5;

// [M, K, N, id]
const MM_SHAPES = [
  [64, 64, 64, 'mm_64'],
  [128, 128, 128, 'mm_128'],
  [256, 256, 256, 'mm_256'],
  [512, 512, 512, 'mm_512'],
  [1024, 1024, 1024, 'mm_1024'],
  [2048, 2048, 2048, 'mm_2048'],
  [64, 1000, 100, 'mm_64x1000x100'],
  [64, 100, 10, 'mm_64x100x10'],
];
const EW_SIZES = [
  [1 << 20, '1M'],
  [16 << 20, '16M'],
];
// The 'unary' section: more float32 ops over 1M elements, allocating, over the inputs of
// unaryRange; clamp to [-1, 1]; the activations with PyTorch's defaults.
const UNARY_N = 1 << 20;
const UNARY_OPS = ['sqrt', 'abs', 'log', 'sin', 'cos', 'clamp', 'erf', 'leakyRelu', 'gelu', 'silu', 'expm1', 'log1p', 'elu',
  'softplus', 'logSigmoid', 'mish', 'floor', 'round', 'reciprocal', 'hardswish', 'exp2', 'log2', 'log10',
  'tan', 'atan', 'asin', 'acos', 'sinh', 'cosh', 'atanh', 'asinh', 'acosh', 'erfc', 'erfinv', 'logit'];
// [lo, hi): the inputs a unary op is timed on, inside its domain (bench/torch_bench.py's
// unary_range is the same rule).
function unaryRange(op) {
  if (['sqrt', 'log', 'log1p', 'log2', 'log10'].includes(op)) return [0.5, 1.5];
  if (['asin', 'acos', 'atanh', 'erfinv'].includes(op)) return [-0.99, 0.99];
  if (op === 'acosh') return [1, 4];
  if (op === 'logit') return [0.01, 0.99];
  return [-3, 3];
}
// The 'binary' section: float32 ops of two 1M-element tensors, a from [-3, 3) and b from
// [0.5, 2.5) (so fmod, remainder, xlogy and the rounded divisions see no zero divisor, and pow a
// positive base: pow takes b as the base and a as the exponent), plus x.pow(2.5) and 2 ** x.
const BINARY_OPS = ['atan2', 'hypot', 'pow', 'powScalar', 'rpow', 'fmod', 'remainder', 'xlogy', 'divFloor', 'maximum', 'lerp', 'addcmul'];
// Training-path and indexing ops, float32, one call each (tg_bench.js secOps, torch_bench.py
// sec_ops build the same inputs): [id, label]. m is 1024x1024, x 1M elements; fwd+bwd rows
// run out.sum().backward() on leaves that require grad.
const OPS = [
  ['gather1', 'm.gather(1, idx) (idx random in [0, 1024))'],
  ['scatter_add0', 'm.scatterAdd(0, idx, src)'],
  ['index_select', 'e.indexSelect(0, 4096 indices) (e 10000x128)'],
  ['cat1', 'cat([m, m], 1)'],
  ['max1', 'm.max(1) (values and indices)'],
  ['argmax1', 'm.argmax(1)'],
  ['cumsum1', 'm.cumsum(1)'],
  ['prod1', 'm.prod(1) (values near 1)'],
  ['topk10', 'm.topk(10, 1)'],
  ['sort1', 'm.sort(1)'],
  ['nan_to_num', 'x.nanToNum() (x with NaN and inf)'],
  ['gelu', 'gelu(x) (erf form)'],
  ['flip1', 'm.flip(1)'],
  ['roll1', 'm.roll(3, 1)'],
  ['index_select1', 'm.indexSelect(1, 1024 indices) (a permutation)'],
  ['cummax1', 'm.cummax(1) (values and indices)'],
  ['nonzero', 'mask.nonzero() (mask 1024x1024 bool, about half set)'],
  ['masked_select', 'm.maskedSelect(mask)'],
  ['index_mask', 'm.index(mask) (PyTorch m[mask])'],
  ['mse_loss', 'mseLoss(xg, y), mean: fwd+bwd (xg 1M, requires grad)'],
  ['bce_logits', 'binaryCrossEntropyWithLogits(xg, t), mean: fwd+bwd (t 0/1)'],
  ['tril', 'm.tril()'],
  ['layer_norm', 'layerNorm [32,128,256] over 256, weight and bias: fwd+bwd'],
  ['conv2d', 'conv2d 32x16x32x32, 32 3x3 filters, padding 1, bias: fwd+bwd'],
];
// [rows, cols, label]: reductions over rows (dim 1)
const RED_SHAPES = [
  [1024, 1024, '1M'],
  [4096, 4096, '16M'],
];

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Median seconds per op of fn(); with o.timed, fn() returns its own elapsed seconds. */
function bench(fn, o = {}) {
  const quick = !!o.quick;
  const minTime = quick ? 0.05 : o.big ? 0.4 : 0.12;
  const maxTime = quick ? 0.2 : o.big ? 1.0 : 0.35;
  let reps = quick ? 3 : o.reps || 7;
  const call = o.timed
    ? fn
    : () => {
        const t0 = performance.now();
        fn();
        return (performance.now() - t0) / 1e3;
      };
  let warm;
  if (o.warmup && !quick) {
    let spent = 0, calls = 0;
    while (spent < o.warmup) {
      spent += call();
      calls++;
    }
    warm = { calls, mean: spent / calls };
  }
  const first = call();
  let inner = 1;
  if (first < minTime / reps) {
    call();
    let total = 0, n = 0;
    while (total < 0.02) {
      total += call();
      n++;
    }
    inner = Math.max(1, Math.floor(minTime / reps / (total / n)));
  } else {
    reps = Math.max(3, Math.min(reps, Math.floor(maxTime / first)));
  }
  const samples = [];
  for (let r = 0; r < reps; r++) {
    let t = 0;
    for (let i = 0; i < inner; i++) t += call();
    samples.push(t / inner);
  }
  const ops = o.ops || 1;
  const out = { median: median(samples) / ops, min: Math.min(...samples) / ops, max: Math.max(...samples) / ops, reps, inner };
  if (warm) out.warm = warm;
  return out;
}

/** A timed-mode function: runs reset() untimed, then returns the seconds op() took. */
function timePerCall(reset, op) {
  return () => {
    reset();
    const t0 = performance.now();
    op();
    return (performance.now() - t0) / 1e3;
  };
}

function parseArgs(argv) {
  const a = { threads: 1, sections: null, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--threads') a.threads = Number(argv[++i]);
    else if (k === '--sections') a.sections = argv[++i].split(',').filter(Boolean);
    else if (k === '--quick') a.quick = true;
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

module.exports = { SECTIONS, GC_WARMUP_S, MM_SHAPES, EW_SIZES, UNARY_N, UNARY_OPS, unaryRange, BINARY_OPS, OPS, RED_SHAPES, median, bench, timePerCall, parseArgs };
