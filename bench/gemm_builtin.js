// GFLOP/s of float32 products at the seed-004, MLP and square shapes, one line per run.
// Compares the built-in gemm with OpenBLAS in the same build (csrc/cpu/gemm.cpp, Note
// [Built-in gemm]); not a PyTorch comparison (npm run bench does that):
//   node bench/gemm_builtin.js [threads]                          # OpenBLAS
//   TENSORGRAD_GEMM=builtin node bench/gemm_builtin.js [threads]  # built-in gemm
'use strict';
const path = require('path');
const tg = require(path.join(__dirname, '..'));

tg.setNumThreads(Number(process.argv[2] || 1));
function medianMicros(fn, reps) {
  for (let i = 0; i < 3; i++) fn();
  const ts = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    ts.push(Number(process.hrtime.bigint() - t0) / reps / 1e3);
  }
  return ts.sort((a, b) => a - b)[3];
}
// [M, N, K, A transposed]
const shapes = [[64, 100, 1000, false], [1000, 100, 64, true], [256, 512, 784, false], [512, 512, 512, false], [1024, 1024, 1024, false]];
const out = [`${tg.blasInfo()}, ${tg.getNumThreads()} thread(s)`];
for (const [M, N, K, ta] of shapes) {
  const a = ta ? tg.randn(K, M).t() : tg.randn(M, K), b = tg.randn(K, N);
  const flops = 2 * M * N * K;
  const us = medianMicros(() => a.mm(b).dispose(), Math.max(1, Math.round(2e8 / flops)));
  out.push(`${M}x${N}x${K}${ta ? ' (A^T)' : ''}: ${(flops / us / 1e3).toFixed(1)} GFLOP/s`);
}
console.log(out.join(' | '));
