// The float32 convolution paths of csrc/cpu/conv_kernels.cpp against the same convolution in
// float64 (whose kernels take the plain im2col + gemm path), at the SIMD level TENSORGRAD_ISA
// selects, since each level has a path of its own for stride-1 convolutions: the implicit-gemm
// tile at AVX-512 (Note [Implicit conv]), the packed gemm's tap matrices at AVX2 (Note [Tap
// matrices]), im2col at the baseline; strided ones run im2col with the products split into
// blocks the direct gemm takes (Note [Conv products]). Each case runs on one and on two
// threads. `node conv_paths.js` prints one JSON object: the level, and per case the relative
// error of each output on each thread count and whether the two thread counts agree bit for bit.
// Run as a child process per level by test/conv_paths.test.ts.
'use strict';
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

const F = tg.nn.functional;

// { name, x, w, opts, bias?, transposed?, permuted? (x given as a view with H and W swapped) }
const CASES = [
  { name: 'the bench conv: 3x3, padding 1, bias', x: [4, 16, 32, 32], w: [32, 16, 3, 3], opts: { padding: 1 }, bias: true },
  { name: 'batch 1, 3 channels', x: [1, 3, 24, 24], w: [8, 3, 3, 3], opts: { padding: 1 }, bias: true },
  { name: 'odd sizes, 5x2 kernel, no padding', x: [2, 5, 26, 40], w: [17, 5, 5, 2], opts: {} },
  { name: 'padding per dim, groups 2', x: [2, 4, 30, 25], w: [6, 2, 3, 5], opts: { padding: [1, 2], groups: 2 }, bias: true },
  { name: 'dilation 2', x: [3, 6, 28, 32], w: [20, 6, 3, 3], opts: { padding: 2, dilation: 2 } },
  { name: 'padding beyond d (k - 1) (input gradient off the padded paths)', x: [2, 3, 28, 28], w: [9, 3, 3, 3], opts: { padding: 3 } },
  { name: 'rows of 12 (3/4 of a vector)', x: [2, 5, 12, 12], w: [24, 5, 3, 3], opts: { padding: 1 }, bias: true },
  { name: '1x1 with padding', x: [2, 8, 30, 30], w: [8, 8, 1, 1], opts: { padding: 1 }, bias: true },
  { name: '48 output channels (a masked half tile)', x: [2, 4, 32, 32], w: [48, 4, 3, 3], opts: { padding: [0, 1] } },
  { name: 'narrow rows (implicit path not taken)', x: [3, 4, 10, 10], w: [8, 4, 3, 3], opts: { padding: 1 } },
  // Tap matrices: rows shorter than a vector (taps packed one by one), and 216 taps (two
  // blocks of rows in the weight gradient, a 4 + 4-row edge: 216 = 144 + 72, 72 = 6 x 12).
  { name: 'rows of 5', x: [2, 3, 7, 7], w: [6, 3, 3, 3], opts: {}, bias: true },
  { name: '24 channels (216 taps)', x: [2, 24, 14, 14], w: [10, 24, 3, 3], opts: { padding: 1 }, bias: true },
  { name: 'non-contiguous input', x: [2, 6, 32, 29], w: [16, 6, 3, 3], opts: { padding: 1 }, bias: true, permuted: true },
  { name: 'transposed, stride 1', x: [2, 12, 30, 30], w: [12, 8, 3, 3], opts: { padding: 1 }, bias: true, transposed: true },
  { name: 'transposed, groups 2, dilation 2', x: [2, 8, 27, 30], w: [8, 3, 3, 3], opts: { padding: 1, dilation: 2, groups: 2 }, transposed: true },
  // Strided: column blocks of the forward and input-grad products (L = 35 * 35 > 512), and the
  // weight gradient on gy^T, whole (L * Og < 2^17) and in blocks of L (64 * 2304 >= 2^17).
  { name: 'stride 2, L = 1225', x: [2, 8, 70, 70], w: [40, 8, 3, 3], opts: { stride: 2, padding: 1 }, bias: true },
  { name: 'stride 2, weight gradient in blocks of L', x: [1, 4, 96, 96], w: [64, 4, 3, 3], opts: { stride: 2, padding: 1 } },
  { name: 'stride 2, dilation 2, groups 2', x: [2, 6, 40, 37], w: [12, 3, 3, 3], opts: { stride: 2, padding: 2, dilation: 2, groups: 2 } },
];

// y, and the gradients of <y, gy> for x, w (and b), in float64 arrays.
function run(c, dtype, seed) {
  return tg.tidy(() => {
    tg.manualSeed(seed);
    const base = tg.randn(c.permuted ? [c.x[0], c.x[1], c.x[3], c.x[2]] : c.x);
    const leaf = base.to(dtype).requiresGrad_();
    const x = c.permuted ? leaf.transpose(2, 3) : leaf;
    const w = tg.randn(c.w).to(dtype).requiresGrad_();
    const outCh = c.transposed ? c.w[1] * (c.opts.groups ?? 1) : c.w[0];
    const b = c.bias ? tg.randn([outCh]).to(dtype).requiresGrad_() : null;
    const y = c.transposed ? F.convTranspose2d(x, w, b, c.opts) : F.conv2d(x, w, b, c.opts);
    tg.manualSeed(seed + 1);
    y.backward(tg.randn(y.shape).to(dtype));
    const outs = [y, leaf.grad, w.grad, ...(b ? [b.grad] : [])];
    return outs.map((t) => Float64Array.from(t.to('float64').flatten().toArray()));
  });
}

// max |a - r| / max |r|
function relErr(a, r) {
  let err = 0, scale = 0;
  for (let i = 0; i < r.length; i++) {
    err = Math.max(err, Math.abs(a[i] - r[i]));
    scale = Math.max(scale, Math.abs(r[i]));
  }
  return a.length === r.length ? err / scale : Infinity;
}

function withThreads(n, f) {
  const prev = tg.getNumThreads();
  try {
    tg.setNumThreads(n);
    return f();
  } finally {
    tg.setNumThreads(prev);
  }
}

const sameBits = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

const cases = CASES.map((c) => {
  const ref = run(c, 'float64', 11);
  const one = withThreads(1, () => run(c, 'float32', 11));
  const two = withThreads(2, () => run(c, 'float32', 11));
  return {
    name: c.name,
    batch: c.x[0],
    outputs: ref.length,
    errors: [one, two].map((got) => (got.length === ref.length ? got.map((g, k) => relErr(g, ref[k])) : [Infinity])),
    // the output and the input gradient on one and on two threads
    sameBits: sameBits(one[0], two[0]) && sameBits(one[1], two[1]),
  };
});
process.stdout.write(JSON.stringify({ isa: tg.simdLevel(), cases }));
