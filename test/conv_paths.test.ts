/**
 * The float32 convolution paths of csrc/cpu/conv_kernels.cpp against the same convolution in
 * float64 (whose kernels take the plain im2col + gemm path): the implicit-gemm tile of
 * stride-1 convolutions (Note [Implicit conv]: forward, input gradient, weight gradient, and
 * the transposed convolution, which runs the input-gradient kernel), and the products split
 * into blocks the direct gemm takes (Note [Conv products]) for strided ones. On CPUs without
 * AVX-512 the same cases check the fallback paths. Each case runs on one and on two threads.
 */
import * as tg from '../lib';
import { Tensor } from '../lib';

const F = tg.nn.functional;

interface Case {
  name: string;
  x: number[];
  w: number[];
  opts: { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; groups?: number };
  bias?: boolean;
  transposed?: boolean;
  permuted?: boolean; // x given as a non-contiguous view (H and W swapped)
}

const CASES: Case[] = [
  { name: 'the bench conv: 3x3, padding 1, bias', x: [4, 16, 32, 32], w: [32, 16, 3, 3], opts: { padding: 1 }, bias: true },
  { name: 'batch 1, 3 channels', x: [1, 3, 24, 24], w: [8, 3, 3, 3], opts: { padding: 1 }, bias: true },
  { name: 'odd sizes, 5x2 kernel, no padding', x: [2, 5, 26, 40], w: [17, 5, 5, 2], opts: {} },
  { name: 'padding per dim, groups 2', x: [2, 4, 30, 25], w: [6, 2, 3, 5], opts: { padding: [1, 2], groups: 2 }, bias: true },
  { name: 'dilation 2', x: [3, 6, 28, 32], w: [20, 6, 3, 3], opts: { padding: 2, dilation: 2 } },
  { name: 'padding beyond d (k - 1) (input gradient off the implicit path)', x: [2, 3, 28, 28], w: [9, 3, 3, 3], opts: { padding: 3 } },
  { name: 'rows of 12 (3/4 of a vector)', x: [2, 5, 12, 12], w: [24, 5, 3, 3], opts: { padding: 1 }, bias: true },
  { name: '1x1 with padding', x: [2, 8, 30, 30], w: [8, 8, 1, 1], opts: { padding: 1 }, bias: true },
  { name: '48 output channels (a masked half tile)', x: [2, 4, 32, 32], w: [48, 4, 3, 3], opts: { padding: [0, 1] } },
  { name: 'narrow rows (implicit path not taken)', x: [3, 4, 10, 10], w: [8, 4, 3, 3], opts: { padding: 1 } },
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
function run(c: Case, dtype: 'float32' | 'float64', seed: number): Float64Array[] {
  return tg.tidy(() => {
    tg.manualSeed(seed);
    const base = tg.randn(c.permuted ? [c.x[0], c.x[1], c.x[3], c.x[2]] : c.x);
    const leaf = base.to(dtype).requiresGrad_();
    const x = c.permuted ? leaf.transpose(2, 3) : leaf;
    const w = tg.randn(c.w).to(dtype).requiresGrad_();
    const outCh = c.transposed ? c.w[1] * (c.opts.groups ?? 1) : c.w[0];
    const b = c.bias ? tg.randn([outCh]).to(dtype).requiresGrad_() : null;
    const y: Tensor = c.transposed ? F.convTranspose2d(x, w, b, c.opts) : F.conv2d(x, w, b, c.opts);
    tg.manualSeed(seed + 1);
    y.backward(tg.randn(y.shape).to(dtype));
    const outs = [y, leaf.grad!, w.grad!, ...(b ? [b.grad!] : [])];
    return outs.map((t) => Float64Array.from(t.to('float64').flatten().toArray() as number[]));
  });
}

// max |a - r| / max |r|: float32 rounding over a few hundred terms stays near 1e-6.
function relErr(a: Float64Array, r: Float64Array): number {
  let err = 0, scale = 0;
  for (let i = 0; i < r.length; i++) {
    err = Math.max(err, Math.abs(a[i] - r[i]));
    scale = Math.max(scale, Math.abs(r[i]));
  }
  return err / scale;
}

function withThreads<T>(n: number, f: () => T): T {
  const prev = tg.getNumThreads();
  try {
    tg.setNumThreads(n);
    return f();
  } finally {
    tg.setNumThreads(prev);
  }
}

describe('float32 conv paths against float64', () => {
  test.each(CASES)('$name', (c) => {
    const ref = run(c, 'float64', 11);
    const one = withThreads(1, () => run(c, 'float32', 11));
    const two = withThreads(2, () => run(c, 'float32', 11));
    for (const got of [one, two]) {
      expect(got.length).toBe(ref.length);
      got.forEach((g, k) => {
        expect(g.length).toBe(ref[k].length);
        expect(relErr(g, ref[k])).toBeLessThan(4e-6);
      });
    }
    // The output and the input gradient are one pass over k per element whatever the split,
    // so they have the same bits on one thread and on two where tensorgrad's own kernels (the
    // AVX-512 tile and direct gemm) form every product, or where each sample's product runs
    // whole on one thread (batch >= 2). A batch of one under OpenBLAS is split into row or
    // column blocks, and OpenBLAS's kernels round a block's edges differently from its
    // middle. (The weight gradient sums per-part partials.)
    if (tg.simdLevel() === 'avx512' || c.x[0] >= 2) {
      expect(two[0]).toEqual(one[0]);
      expect(two[1]).toEqual(one[1]);
    }
  });
});
