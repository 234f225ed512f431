// Runs float32 products through the built-in gemm (the child is started with
// TENSORGRAD_GEMM=builtin, and TENSORGRAD_ISA picks the register tile's SIMD level), the
// direct or packed gemm (TENSORGRAD_GEMM=direct or packed), or the default gemm split over
// the pool when started without it, and compares each with the
// float64 product of the same operands. Run by test/builtin_gemm.test.ts; prints one JSON
// object.
'use strict';
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

tg.setNumThreads(Number(process.argv[2] || 1));
let seed = 12345;
function uniform(n) {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    v[i] = seed / 2 ** 32 - 0.5;
  }
  return v;
}
function matrix(rows, cols, transposed) {
  // transposed: stored cols x rows, used through .t() (a column-major operand)
  return transposed ? tg.tensor(uniform(rows * cols)).reshape([cols, rows]).t() : tg.tensor(uniform(rows * cols)).reshape([rows, cols]);
}

// [M, N, K, A transposed, B transposed]: edges of the 6-row and 2-vector tiles, K past one
// 256-deep block, N past one 2048-wide block, the seed and MLP shapes.
const shapes = [
  [1, 1, 1, false, false], [5, 7, 3, false, false], [6, 32, 1, false, false], [7, 33, 5, true, false],
  [13, 100, 64, true, true], [64, 100, 1000, false, false], [1000, 100, 64, true, false], [3, 2100, 9, false, true],
  [300, 17, 300, false, true], [50, 50, 50, true, true], [256, 512, 784, false, false],
  // Small K and narrow N (the MLP's last layer): with BLAS on two threads, split by rows.
  [256, 512, 10, false, true], [512, 10, 256, true, false], [256, 10, 512, false, false],
];
const cases = [];
function check(name, got, a, b, extra) {
  // |C32 - C64| <= 2 K eps32 (|A| |B|) elementwise, the usual bound for a K-term dot product.
  const want = a.double().mm(b.double());
  const bound = a.double().abs().mm(b.double().abs());
  const K = a.shape[1];
  const g = got.double().data(), w = (extra ? extra(want) : want).data(), bd = bound.data();
  let worst = 0, bad = 0, nan = 0;
  for (let i = 0; i < g.length; i++) {
    if (Number.isNaN(g[i])) nan++;
    const r = Math.abs(g[i] - w[i]) / (2 * K * 2 ** -24 * bd[i] + 1e-30);
    if (r > 1) bad++;
    worst = Math.max(worst, r);
  }
  cases.push({ name, worst, bad, nan });
}
// The direct gemm's edges (TENSORGRAD_GEMM=direct sends it every shape): rows past the 8-
// and 4-row tiles, columns in 32-wide tiles and 17-31, 9-16, 1-8 wide edges, A transposed.
if (process.env.TENSORGRAD_GEMM === 'direct') {
  for (const M of [1, 3, 4, 5, 8, 9, 12, 15]) {
    for (const N of [1, 8, 9, 16, 17, 31, 32, 33, 100]) shapes.push([M, N, 7, M % 2 === 1, false]);
  }
  // Narrow edges run apart from 16 rows (Note [Narrow edges]): 32-row column tiles when A is
  // transposed, 16-k dot products (K from 64, with a K tail) when it is not.
  for (const M of [16, 17, 40, 100]) {
    for (const N of [4, 5, 8, 37, 100]) {
      for (const ta of [false, true]) shapes.push([M, N, [64, 81, 100][(M + N) % 3], ta, false]);
    }
  }
}
// The packed AVX2 gemm's edges (TENSORGRAD_GEMM=packed): rows around its 6-row panels and
// 144-row blocks, columns around its 16-wide panels, K around the 8-deep transposes and the
// 256-deep blocks, each operand in both layouts.
if (process.env.TENSORGRAD_GEMM === 'packed') {
  // N = 1 (matrix-vector products, run as their transposes) too.
  for (const [M, N, K] of [[1, 1, 1], [5, 15, 7], [6, 16, 8], [7, 17, 9], [143, 8, 257], [145, 33, 17], [289, 100, 513],
    [7, 1, 9], [300, 1, 513]]) {
    for (const ta of [false, true]) for (const tb of [false, true]) shapes.push([M, N, K, ta, tb]);
  }
}
for (const [M, N, K, ta, tb] of shapes) {
  const a = matrix(M, K, ta), b = matrix(K, N, tb);
  check(`${M}x${K}${ta ? 'T' : ''} @ ${K}x${N}${tb ? 'T' : ''}`, a.mm(b), a, b);
}
// Operands inside larger rows (leading dimension > columns): A and B as column slices.
{
  const a = tg.tensor(uniform(37 * 50)).reshape([37, 50]).index(':', '3:43');
  const b = tg.tensor(uniform(40 * 70)).reshape([40, 70]).index(':', '5:58');
  check('37x40 @ 40x53, both sliced from wider rows', a.mm(b), a, b);
}
// addmm: beta 0 ignores NaN in the input; beta 0.5 and alpha 2 scale both terms.
{
  const a = matrix(20, 70, false), b = matrix(70, 45, false);
  const nanInput = tg.full([20, 45], NaN);
  check('addmm beta=0 over NaN input', nanInput.addmm(a, b, { beta: 0 }), a, b);
  const c = tg.tensor(uniform(20 * 45)).reshape([20, 45]);
  check('addmm beta=0.5 alpha=2', c.addmm(a, b, { beta: 0.5, alpha: 2 }), a, b, (w) => w.mul(2).add(c.double().mul(0.5)));
  check('addmm beta=1 alpha=-3', c.addmm(a, b, { alpha: -3 }), a, b, (w) => w.mul(-3).add(c.double()));
}
// The same on narrow edges (36 = 32 + 4 columns), A row-major and transposed.
for (const ta of [false, true]) {
  const a = matrix(40, 70, ta), b = matrix(70, 36, false);
  const c = tg.tensor(uniform(40 * 36)).reshape([40, 36]);
  const t = ta ? 'T' : '';
  check(`addmm beta=0.5 alpha=2, 40x70${t} @ 70x36`, c.addmm(a, b, { beta: 0.5, alpha: 2 }), a, b, (w) => w.mul(2).add(c.double().mul(0.5)));
  check(`addmm beta=0 over NaN, 40x70${t} @ 70x36`, tg.full([40, 36], NaN).addmm(a, b, { beta: 0 }), a, b);
}
// 0 * inf and 0 * NaN are NaN in every float dtype (the generic kernel once skipped zeros of A).
const propagation = ['float32', 'float64'].map((dtype) => {
  const a = tg.tensor([[0, 1], [0, 0]], { dtype }), b = tg.tensor([[Infinity, NaN], [2, 3]], { dtype });
  return { dtype, values: Array.from(a.mm(b).data(), (v) => (Number.isNaN(v) ? 'nan' : v)) };
});
process.stdout.write(JSON.stringify({ isa: tg.simdLevel(), blas: tg.blasInfo(), cases, propagation }));
