// Runs the cases of test/fixtures/argscan.json (written by scripts/fixtures_argscan.py) at the
// SIMD level TENSORGRAD_ISA selects, on one thread and on two, and compares every value and
// index bit for bit with PyTorch's. Each case is also run in the other layouts that must give
// the same answer: a row reduction (scan) as a reduction (scan) down dim 0 of the transposed
// contiguous copy (the column kernels), and on a transposed view of that copy (strided rows);
// float32 arg-extremes in float64 as well. Run as a child process by test/reduction.test.ts;
// prints one JSON object: the level, the number of checks and every mismatch.
'use strict';
const fs = require('fs');
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'argscan.json'), 'utf8'));
const SPECIAL = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };

// The input of a spec, as scripts/fixtures_argscan.py makes it (the same integer hash).
function make(spec) {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = (Math.imul(i, 2654435761 | 0) + spec.seed * 40503 + 12345) >>> 0;
    const h2 = Math.imul(h ^ (h >>> 15), 2246822519 | 0) >>> 0;
    const u = h / 2 ** 32;
    if (spec.kind === 'rand') v[i] = (u - 0.5) * 2 ** (((h2 >>> 20) % 12) - 6);
    else if (spec.kind === 'near1') v[i] = 1 + (u - 0.5) / 8;
    else v[i] = Math.floor(u * 7) - 3;
  }
  for (const [start, stop, step, s] of spec.fills || []) {
    for (let k = start; k < stop; k += step) v[k] = typeof s === 'string' ? SPECIAL[s] : s;
  }
  const data = spec.dtype === 'float32' ? Float32Array.from(v) : spec.dtype === 'float64' ? v
    : spec.dtype === 'int32' ? Int32Array.from(v) : BigInt64Array.from(v, (x) => BigInt(x));
  return tg.tensor(data, { shape: spec.shape });
}

// A result's bytes as stored by the fixture: NaNs made the default quiet NaN, then base64
// (64 elements or fewer) or the FNV-1a hash of the 32-bit words.
function encode(t) {
  const a = t.contiguous().data();
  const w = new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  if (a instanceof Float32Array) {
    for (let i = 0; i < w.length; i++) if ((w[i] & 0x7fffffff) > 0x7f800000) w[i] = 0x7fc00000;
  } else if (a instanceof Float64Array) {
    for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) (w[2 * i] = 0), (w[2 * i + 1] = 0x7ff80000);
  }
  if (a.length <= 64) return { bits: Buffer.from(w.buffer).toString('base64') };
  let h = 2166136261;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w[i], 16777619) >>> 0;
  return { hash: h };
}

const checks = [], mismatches = [];
function check(name, got, want) {
  checks.push(name);
  const g = encode(got);
  if (JSON.stringify(g) !== JSON.stringify(want)) mismatches.push({ name, got: g, want });
}

// The input in the layouts that must give the same answer along `dim`: [name, tensor, dim, undo]
// where undo maps a result back to the fixture's layout.
function layouts(x, dim) {
  const out = [['', x, dim, (r) => r]];
  if (x.dim() === 2 && dim === 1) {
    const xt = x.t().contiguous();
    out.push([' as columns', xt, 0, (r) => (r.dim() === 2 ? r.t() : r)]);
    out.push([' strided', xt.t(), 1, (r) => r]);
  }
  return out;
}

// float32 cases run in float64 too: the same exact values give the same indices, and values
// that narrow back to PyTorch's float32 ones.
function runArg(c, x, tag) {
  const both = c.input.dtype === 'float32' && c.dim !== null ? [[x, ''], [x.double(), ' float64']] : [[x, '']];
  for (const op of ['max', 'min']) {
    const want = c[op];
    if (c.dim === null) {
      check(`${c.name}: arg${op}()${tag}`, x[`arg${op}`](), want.indices);
      continue;
    }
    for (const [xd, dt] of both) {
      for (const [lay, xs, d, undo] of layouts(xd, c.dim)) {
        const r = xs[op](d);
        const where = `${tag}${dt}${lay}`;
        check(`${c.name}: ${op}(${d}).values${where}`, dt ? undo(r.values).float() : undo(r.values), want.values);
        check(`${c.name}: ${op}(${d}).indices${where}`, undo(r.indices), want.indices);
        check(`${c.name}: arg${op}(${d})${where}`, undo(xs[`arg${op}`](d)), want.indices);
      }
    }
  }
}

function runScan(c, x, tag) {
  for (const op of ['cumsum', 'cumprod', 'cummax', 'cummin']) {
    const want = c[op];
    if (!want) continue;
    for (const [lay, xs, d, undo] of layouts(x, c.dim)) {
      const r = xs[op](d);
      if (op === 'cummax' || op === 'cummin') {
        check(`${c.name}: ${op}(${d}).values${tag}${lay}`, undo(r.values), want.values);
        check(`${c.name}: ${op}(${d}).indices${tag}${lay}`, undo(r.indices), want.indices);
      } else {
        check(`${c.name}: ${op}(${d})${tag}${lay}`, undo(r), want.values);
      }
    }
  }
}

for (const threads of [1, 2]) {
  tg.setNumThreads(threads);
  for (const c of fixture.cases) {
    tg.tidy(() => {
      const x = make(c.input);
      const tag = ` [${threads} thread${threads > 1 ? 's' : ''}]`;
      if (c.max) runArg(c, x, tag);
      else runScan(c, x, tag);
    });
  }
}
process.stdout.write(JSON.stringify({ isa: tg.simdLevel(), torch: fixture.torch, cases: fixture.cases.length, checks: checks.length, mismatches: mismatches.slice(0, 20), mismatchCount: mismatches.length }));
