// Fixture checks that must hold bit for bit at every SIMD level, run at the level TENSORGRAD_ISA
// selects: `node levels.js SUITE` prints one JSON object, the level, the number of cases and the
// first mismatch of each case that has one. Run as a child process per level by
// test/helpers/check.ts's atEveryLevel. Suites:
//   ternary   lerp, addcmul and addcdiv (test/fixtures/elementwise.json's ternary cases), against
//             PyTorch at the matching capability: `out` (AVX2, AVX-512) or `outDefault` (baseline).
//   nanToNum  elementwise.json's cases with a `nanToNum` field (the options, and whether the input
//             is transposed).
//   prod      test/fixtures/prod.json (Note [Row products] in csrc/cpu/vec_kernels.inc): rows of
//             random values near 1 (inputs from the same generator as scripts/fixtures_reduction.py),
//             leading and strided dims, and rows with zeros, infinities and NaN.
//   sum       float32 row sums, whole sums and means against sumModel below, the summation order
//             Note [Parallel row sums] and sum_blocks (csrc/cpu/vec_kernels.inc) define.
'use strict';
const fs = require('fs');
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

const fixture = (name) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8'));
const dec = (v) => (Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const same = (x, y) => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
const isa = tg.simdLevel();

// scripts/fixtures_reduction.py's lcg_values: count values 1 + (u - 1/2) / 50 from a 32-bit LCG.
function lcgValues(count, seed) {
  const vals = new Array(count);
  for (let i = 0; i < count; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    vals[i] = 1 + (seed / 2 ** 32 - 0.5) * 0.02;
  }
  return vals;
}

// The float64 total that csrc/cpu/vec_kernels.inc's sum_blocks forms for vals (float32 values),
// before the result is rounded to float32: blocks of 4096; in each, 32 float32 lanes (lane k
// takes the elements i = k mod 32), folded in float64 as a tree (lane k adds lane k + w for
// w = 16, 8, 4, 2, 1); the block sums added in float64, in order.
function sumOrder(vals) {
  let total = 0;
  for (let b = 0; b < vals.length; b += 4096) {
    const e = Math.min(vals.length, b + 4096);
    const acc = new Float32Array(32);
    for (let i = b; i < e; i++) acc[(i - b) % 32] += vals[i];
    const d = Float64Array.from(acc);
    for (let w = 16; w >= 1; w /= 2) for (let k = 0; k < w; k++) d[k] += d[k + w];
    total += d[0];
  }
  return total;
}

// Each suite: [{ name, got: Tensor, want: nested values }].
const suites = {
  ternary() {
    const load = (p) => tg.tensor(dec(p.data), { dtype: p.dtype });
    return fixture('elementwise.json').ternary.map((c) => {
      const [a0, b, w] = c.inputs.map(load);
      const a = c.layout === 'strided' ? a0.t() : a0;
      let got;
      if (c.op === 'lerp') got = w ? tg.lerp(a, b, w) : a.lerp(b, c.number);
      else got = c.op === 'addcmul' ? a.addcmul(b, w, { value: c.number }) : a.addcdiv(b, w, { value: c.number });
      const name = `${c.op}(${c.number ?? 'tensor'}) ${c.inputs[0].dtype} ${c.layout}`;
      return { name, got, want: (isa === 'baseline' ? c.outDefault : c.out).data };
    });
  },
  nanToNum() {
    return fixture('elementwise.json').cases.filter((c) => c.nanToNum).map((c) => {
      const x = tg.tensor(dec(c.inputs[0].data), { dtype: c.inputs[0].dtype });
      const opts = Object.fromEntries(Object.entries(c.nanToNum.opts).map(([k, v]) => [k, dec(v)]));
      return { name: c.name, got: (c.nanToNum.strided ? x.t() : x).nanToNum(opts), want: c.out.data };
    });
  },
  prod() {
    const f = fixture('prod.json');
    const out = [];
    for (const dtype of ['float32', 'float64']) {
      for (const r of f.rows[dtype]) {
        const a = tg.tensor(lcgValues(2 * r.n, r.n), { dtype }).reshape(2, r.n);
        out.push({ name: `${dtype} [2, ${r.n}].prod(1)`, got: a.prod(1), want: r.prod1 });
        out.push({ name: `${dtype} [2, ${r.n}].prod()`, got: a.prod(), want: [r.prod] });
      }
      for (const c of f.leading[dtype]) {
        const a = tg.tensor(lcgValues(c.shape.reduce((p, s) => p * s, 1), c.seed), { dtype }).reshape(c.shape);
        const got = c.dim === -1 ? a.t().prod(1) : a.prod(c.dim);
        out.push({ name: `${dtype} [${c.shape}] ${c.dim === -1 ? '.t().prod(1)' : `.prod(${c.dim})`}`, got, want: c.out });
      }
      const s = f.special[dtype];
      out.push({ name: `${dtype} special rows`, got: tg.tensor(dec(s.inputs), { dtype }).prod(1), want: s.prod1 });
    }
    return out;
  },
  sum() {
    const out = [];
    for (const n of [1, 31, 32, 33, 100, 1000, 4096, 4097, 9000, 100003]) {
      const vals = Float32Array.from(lcgValues(3 * n, n), (v) => (v - 1) * 100);
      const a = tg.tensor(vals).reshape(3, n);
      const rows = [0, 1, 2].map((r) => sumOrder(vals.subarray(r * n, (r + 1) * n)));
      out.push({ name: `[3, ${n}].sum(1)`, got: a.sum(1), want: rows.map(Math.fround) });
      out.push({ name: `[3, ${n}].mean(1)`, got: a.mean(1), want: rows.map((t) => Math.fround(t / n)) });
      out.push({ name: `[3, ${n}].sum()`, got: a.sum(), want: [Math.fround(sumOrder(vals))] });
    }
    return out;
  },
};

const cases = suites[process.argv[2]]();
const mismatches = [];
for (const { name, got, want } of cases) {
  const g = Array.from(got.contiguous().data());
  const w = dec(want).flat(Infinity);
  if (g.length !== w.length) mismatches.push({ name, got: g.length, want: w.length });
  else {
    const i = g.findIndex((v, k) => !same(v, w[k]));
    if (i >= 0) mismatches.push({ name, index: i, got: show(g[i]), want: show(w[i]) });
  }
}
process.stdout.write(JSON.stringify({ isa, cases: cases.length, mismatches }));
