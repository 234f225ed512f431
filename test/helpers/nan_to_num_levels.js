// Runs the nanToNum cases of test/fixtures/elementwise.json (those with a `nanToNum` field: the
// options and whether the input is transposed; written by scripts/fixtures_elementwise.py) at the
// SIMD level TENSORGRAD_ISA selects and compares every value bit for bit with PyTorch's. Run as a
// child process by test/elementwise.test.ts; prints one JSON object: the level, the number of
// cases and the first mismatch of each case that has one.
'use strict';
const fs = require('fs');
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'elementwise.json'), 'utf8'));
const dec = (v) => (Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const same = (x, y) => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));

const cases = fixture.cases.filter((c) => c.nanToNum);
const mismatches = [];
for (const c of cases) {
  const x = tg.tensor(dec(c.inputs[0].data), { dtype: c.inputs[0].dtype });
  const opts = Object.fromEntries(Object.entries(c.nanToNum.opts).map(([k, v]) => [k, dec(v)]));
  const out = (c.nanToNum.strided ? x.t() : x).nanToNum(opts);
  const want = dec(c.out.data).flat();
  const got = Array.from(out.contiguous().data());
  if (out.dtype !== c.out.dtype || got.length !== want.length) mismatches.push({ name: c.name, dtype: out.dtype, got: got.length });
  else {
    const i = got.findIndex((g, k) => !same(g, want[k]));
    if (i >= 0) mismatches.push({ name: c.name, index: i, got: show(got[i]), want: show(want[i]) });
  }
}
process.stdout.write(JSON.stringify({ isa: tg.simdLevel(), cases: cases.length, mismatches }));
