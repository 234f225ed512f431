// Runs the ternary cases of test/fixtures/elementwise.json (lerp, addcmul and addcdiv, written by
// scripts/fixtures_elementwise.py) at the SIMD level TENSORGRAD_ISA selects and compares every
// value bit for bit with PyTorch's at the matching capability: `out` (AVX2, AVX-512) or
// `outDefault` (the baseline level). Run as a child process by test/elementwise.test.ts; prints
// one JSON object: the level and the first mismatch of each case that has one.
'use strict';
const fs = require('fs');
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'elementwise.json'), 'utf8'));
const dec = (v) => (Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const load = (p) => tg.tensor(dec(p.data), { dtype: p.dtype });
const same = (x, y) => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));

const isa = tg.simdLevel();
const mismatches = [];
for (const c of fixture.ternary) {
  const [a0, b, w] = c.inputs.map(load);
  const a = c.layout === 'strided' ? a0.t() : a0;
  let out;
  if (c.op === 'lerp') out = w ? tg.lerp(a, b, w) : a.lerp(b, c.number);
  else out = c.op === 'addcmul' ? a.addcmul(b, w, { value: c.number }) : a.addcdiv(b, w, { value: c.number });
  const want = dec((isa === 'baseline' ? c.outDefault : c.out).data).flat();
  const got = Array.from(out.contiguous().data());
  const name = `${c.op}(${c.number ?? 'tensor'}) ${c.inputs[0].dtype} ${c.layout}`;
  if (got.length !== want.length) mismatches.push({ name, got: got.length, want: want.length });
  else {
    const i = got.findIndex((g, k) => !same(g, want[k]));
    if (i >= 0) mismatches.push({ name, index: i, got: show(got[i]), want: show(want[i]) });
  }
}
process.stdout.write(JSON.stringify({ isa, cases: fixture.ternary.length, mismatches }));
