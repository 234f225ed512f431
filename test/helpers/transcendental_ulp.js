// Measures the float32 exp, exp2, tanh, sigmoid, sqrt, abs, log, log2, log10, sin, cos, tan,
// atan, asin, acos, erf, erfc, erfinv, expm1, log1p, sinh, cosh, atanh, asinh and acosh kernels,
// the silu, gelu, elu, softplus, logSigmoid and mish activations, and floor, ceil, round, trunc
// and frac, logit, the binary maximum, minimum, fmod, remainder, xlogy, div's roundings, atan2 and
// hypot, and pow (tensor and scalar exponents, and a scalar base), against float64 references, in
// ulps; and gelu's fused gradient.
// Run as a child process by test/transcendentals.test.ts, once per SIMD level
// (TENSORGRAD_ISA caps the level the addon selects); prints one JSON object.
'use strict';
const path = require('path');
const tg = require(path.join(__dirname, '..', '..'));

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
// Position of a float32 on the number line in ulps (monotonic across zero).
function ordinal(v) {
  f32[0] = v;
  return i32[0] < 0 ? -2147483648 - i32[0] : i32[0];
}
function ulps(got, want) {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  return Math.abs(ordinal(got) - ordinal(want));
}

// The range each function is measured over: exp's whole finite range down into subnormal
// results; sigmoid where 1 + e^-x is finite (below that both tensorgrad and PyTorch return 0).
// `extra` adds log-spaced points: log over every binade (subnormals included), sin, cos and tan
// out to 2^30, past the 1e6 where the kernel hands lanes to libm, atan over every binade.
const binades = (from, to) => {
  const xs = [];
  for (let e = from; e < to; e += 0.01) xs.push(2 ** e, -(2 ** e));
  return xs;
};
// erf in float64 by its Taylor series: below |x| = 4 the largest term is under e^16, so at
// least nine digits survive, plenty for a float32 reference; beyond, erf rounds to +-1.
function erf(x) {
  if (Math.abs(x) >= 4) return Math.sign(x);
  let sum = 0;
  for (let n = 0, t = x; n < 200; n++, t *= (-x * x) / n) {
    const term = t / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
// erfc in float64: 1 - erf below |x| = 2 (erfc(2) = 0.0047, so under three of erf's digits
// cancel), Lentz's continued fraction e^-x^2 / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / ...)))
// beyond (x^2 is exact for a float32 x), and 2 - erfc(-x) below -2.
function erfc(x) {
  if (x > -2 && x < 2) return 1 - erf(x);
  if (x < 0) return 2 - erfc(-x);
  if (!(x < 30)) return Number.isNaN(x) ? NaN : 0;
  let f = x, C = x, D = 0;
  for (let n = 1; n < 1000; n++) {
    D = 1 / (x + (n / 2) * D);
    C = x + n / 2 / C;
    f *= C * D;
    if (Math.abs(C * D - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}
// erfinv in float64 by Halley steps on erf from a rough start, on erfc for |y| > 1/2 (1 - |y| is
// exact for a float32 y, where erf(x) - y would cancel); each step cubes the error.
function erfinv(y) {
  const a = Math.abs(y);
  if (!(a < 1)) return a === 1 ? Math.sign(y) * Infinity : NaN;
  let x = a < 0.7 ? a * (0.886 + 0.232 * a * a) : Math.sqrt(-Math.log((1 - a) * (1 + a))) * 0.93;
  for (let i = 0; i < 6 && x !== 0; i++) {
    const r = a < 0.5 ? erf(x) - a : 1 - a - erfc(x);
    const q = r / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
    x -= q / (1 + x * q);
  }
  return y < 0 ? -x : x;
}
// Ties to even, as std::nearbyint and PyTorch's round (Math.round takes ties up).
function roundHalfEven(x) {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
const roundingPoints = [];
for (let k = -600; k <= 600; k++) {
  for (const d of [0.5, 0.49999997, 0.50000006, 0.25, 0.75]) roundingPoints.push(k + d, -(k + d));
}
for (const e of [22, 23, 24]) {
  for (let d = -3; d <= 3; d++) roundingPoints.push(2 ** e + d * 0.5, -(2 ** e) - d * 0.5);
}
// softplus with PyTorch's default threshold: x itself past 20.
const softplus = (x) => (x > 20 ? x : Math.log1p(Math.exp(x)));
const cases = {
  exp: { ref: Math.exp, lo: -103.9, hi: 88.7 },
  tanh: { ref: Math.tanh, lo: -12, hi: 12 },
  sigmoid: { ref: (x) => 1 / (1 + Math.exp(-x)), lo: -88.7, hi: 100 },
  // Exact: a float64 square root rounded to float32 is the correctly rounded float32 one.
  sqrt: { ref: Math.sqrt, lo: 0, hi: 1e6 },
  abs: { ref: Math.abs, lo: -1e6, hi: 1e6 },
  log: { ref: Math.log, lo: 0, hi: 4, extra: binades(-149, 128) },
  log2: { ref: Math.log2, lo: 0, hi: 4, extra: binades(-149, 128) },
  log10: { ref: Math.log10, lo: 0, hi: 4, extra: binades(-149, 128) },
  exp2: { ref: (x) => 2 ** x, lo: -150, hi: 128 },
  sin: { ref: Math.sin, lo: -1e4, hi: 1e4, extra: binades(0, 30) },
  cos: { ref: Math.cos, lo: -1e4, hi: 1e4, extra: binades(0, 30) },
  tan: { ref: Math.tan, lo: -1e4, hi: 1e4, extra: binades(0, 30) },
  // atan's formula changes at |x| = 1, asin and acos's at |x| = 1/2; past +-1 they give NaN. The
  // `edges` are reported as values.
  atan: { ref: Math.atan, lo: -4, hi: 4, extra: binades(-149, 128), edges: [1, -1] },
  asin: { ref: Math.asin, lo: -1.0001, hi: 1.0001, edges: [1, -1, 0.5, -0.5] },
  acos: { ref: Math.acos, lo: -1.0001, hi: 1.0001, edges: [1, -1, 0.5, -0.5] },
  erf: { ref: erf, lo: -5, hi: 5 },
  // erfc down to where it rounds to 0 (10.0542; subnormal results from 9.2), erfinv over [-1, 1]
  // with the points within a few ulps of +-1. `edges` as for atan: erfc near underflow, erfinv
  // at +-1, past them, and on either side of its split at 0.7.
  erfc: { ref: erfc, lo: -5, hi: 10.1, edges: [10.05, 10.0542, 10.06, 9.5, -3.74, -4] },
  erfinv: {
    ref: erfinv, lo: -1, hi: 1, extra: [...Array(64)].flatMap((_, k) => [1 - k * 2 ** -24, -1 + k * 2 ** -24]),
    edges: [1, -1, 0.70000005, -0.69999993, 0.99999994, -0.99999994, 1.0000001, -1.0000001],
  },
  // The activations from x = -1 up, where 1 + erf and 1 + tanh do not cancel much (below,
  // every float32 evaluation of these formulas, PyTorch's included, loses relative precision).
  // gelu's kernel does not evaluate that formula (Note [gelu]) and keeps its precision below -1
  // too: geluLow measures it down to where gelu rounds to -0, against x erfc(-x / sqrt 2) / 2.
  silu: { ref: (x) => x / (1 + Math.exp(-x)), lo: -80, hi: 80 },
  gelu: { ref: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)), lo: -1, hi: 10 },
  geluLow: { ref: (x) => 0.5 * x * erfc(-x * Math.SQRT1_2), lo: -14.5, hi: -1 },
  geluTanh: { ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), lo: -1, hi: 10 },
  expm1: { ref: Math.expm1, lo: -20, hi: 88.7 },
  log1p: { ref: Math.log1p, lo: -1, hi: 4, extra: binades(-149, 128).filter((x) => x > -1) },
  // The activations on expm1 and log1p, over their whole useful range (no cancellation).
  elu: { ref: (x) => (x > 0 ? x : Math.expm1(x)), lo: -20, hi: 20 },
  softplus: { ref: softplus, lo: -100, hi: 30 },
  logSigmoid: { ref: (x) => -softplus(-x), lo: -30, hi: 100 },
  mish: { ref: (x) => x * Math.tanh(softplus(x)), lo: -20, hi: 30 },
  // Exact: rounding (the baseline level emulates the instruction AVX2 and AVX-512 have), over
  // halves, near-halves and the 2^23 edge past which every float is an integer.
  floor: { ref: Math.floor, lo: -1e4, hi: 1e4, extra: roundingPoints },
  ceil: { ref: Math.ceil, lo: -1e4, hi: 1e4, extra: roundingPoints },
  round: { ref: roundHalfEven, lo: -1e4, hi: 1e4, extra: roundingPoints },
  trunc: { ref: Math.trunc, lo: -1e4, hi: 1e4, extra: roundingPoints },
  frac: { ref: (x) => x - Math.trunc(x), lo: -1e4, hi: 1e4, extra: roundingPoints },
  // The hyperbolic functions over their whole finite range: sinh and cosh up to where they
  // overflow (89.4, past exp's 88.72); atanh on (-1, 1) with the points within a few ulps of
  // +-1; asinh and acosh over every binade (up to 2^128, where x^2 would overflow).
  sinh: { ref: Math.sinh, lo: -89.4, hi: 89.4 },
  cosh: { ref: Math.cosh, lo: -89.4, hi: 89.4 },
  atanh: { ref: Math.atanh, lo: -1, hi: 1, extra: [...Array(64)].flatMap((_, k) => [1 - k * 2 ** -24, -1 + k * 2 ** -24]) },
  asinh: { ref: Math.asinh, lo: -1e4, hi: 1e4, extra: binades(-149, 128) },
  acosh: { ref: Math.acosh, lo: 1, hi: 1e4, extra: [...binades(0, 128).filter((x) => x >= 1), ...[...Array(64)].map((_, k) => 1 + k * 2 ** -23)] },
  // logit's float32 formula, log(x / (1 - x)) with 1 - x and the quotient rounded to float32 (as
  // PyTorch computes it), against an exact log: the quotient's rounding is the formula's, and
  // near x = 1/2, where logit crosses 0, no float32 evaluation of it keeps relative precision.
  logit: { ref: (x) => Math.log(Math.fround(x / Math.fround(1 - x))), lo: 0, hi: 1, extra: binades(-149, 0).filter((x) => x > 0) },
};
const apply = {
  gelu: (t) => t.gelu(), geluLow: (t) => t.gelu(), geluTanh: (t) => t.gelu({ approximate: 'tanh' }), elu: (t) => tg.elu(t), softplus: (t) => tg.softplus(t),
  logSigmoid: (t) => tg.logSigmoid(t), mish: (t) => tg.mish(t), logit: (t) => tg.logit(t),
};
const N = 1 << 20;
const out = { isa: tg.simdLevel() };
for (const [op, { ref, lo, hi, extra = [], edges }] of Object.entries(cases)) {
  const xs = [];
  for (let i = 0; i < N; i++) xs.push(lo + (hi - lo) * (i / (N - 1)));
  // Both signs of 2^-40 .. 1, log-spaced, where relative precision near 0 matters.
  for (let e = -40; e < 0; e += 0.005) xs.push(2 ** e, -(2 ** e));
  xs.push(...extra);
  const x = Float32Array.from(xs);
  const y = (apply[op] ?? ((t) => t[op]()))(tg.tensor(x)).data();
  let max = 0, sum = 0, worstAt = 0;
  for (let i = 0; i < x.length; i++) {
    const d = ulps(y[i], Math.fround(ref(x[i])));
    if (d > max) { max = d; worstAt = x[i]; }
    sum += d;
  }
  // Specials, in a vector long enough for the SIMD path (and through the scalar tail).
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 200, -200];
  const sv = (apply[op] ?? ((t) => t[op]()))(tg.tensor(Float32Array.from([...Array(32)].flatMap(() => specials)))).data();
  const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
  out[op] = { maxUlp: max, meanUlp: sum / x.length, worstAt, specials: Array.from(sv.slice(0, specials.length), show) };
  if (edges) out[op].edges = Array.from((apply[op] ?? ((t) => t[op]()))(tg.tensor(Float32Array.from(edges))).data(), show);
}

// exp and sigmoid take a shorter path for vectors whose every lane lies in exp's normal range
// (Note [exp's normal range]) and the full-range one for the others. The same inputs, in that
// range, are measured twice: alone, and with every fourth element replaced by a value out of it
// (so every vector, of 4, 8 or 16 lanes, takes the full path); `differing` counts the results
// whose bits differ between the two runs.
out.rangePaths = {};
for (const [op, lo, hi, poison] of [['exp', -86.9, 87.9, 100], ['sigmoid', -87.9, 86.9, -100]]) {
  const ref = cases[op].ref;
  const x = new Float32Array(N);
  for (let i = 0; i < N; i++) x[i] = lo + (hi - lo) * (i / (N - 1));
  const mixed = x.slice();
  for (let i = 0; i < N; i += 4) mixed[i] = poison;
  const fast = tg.tensor(x)[op]().data(), full = tg.tensor(mixed)[op]().data();
  let maxFast = 0, maxFull = 0, differing = 0;
  for (let i = 0; i < N; i++) {
    if (i % 4 === 0) continue;
    const want = Math.fround(ref(x[i]));
    maxFast = Math.max(maxFast, ulps(fast[i], want));
    maxFull = Math.max(maxFull, ulps(full[i], want));
    if (!Object.is(fast[i], full[i])) differing++;
  }
  out.rangePaths[op] = { maxUlpFast: maxFast, maxUlpFull: maxFull, differing };
}

// The random pairs below come from one deterministic generator, so a failure reproduces.
let seed = 0x2545f491;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);

// The binary kernels, over pairs: x with exponents over the whole float32 range against y from
// a narrower one (so quotients from tiny to 2^200 and beyond, where fmod leaves its fast path),
// both signs, exact multiples, and every pair of the specials. fmod and remainder are exact;
// JS's % is fmod in float64, exact for float32 operands, so rounding it to float32 changes nothing.
const remainderRef = (x, y) => {
  const m = x % y;
  return m !== 0 && (y < 0) !== (m < 0) ? Math.fround(m + y) : m;
};
// PyTorch's floor division (div_floor_floating), each step rounded to float32 as the kernel does.
const fr = Math.fround;
function divFloorRef(a, b) {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = fr(fr(a - mod) / b);
  if (mod !== 0 && (b < 0) !== (mod < 0)) div = fr(div - 1);
  if (div === 0) return fr(a / b) < 0 || Object.is(fr(a / b), -0) ? -0 : 0;
  const fl = Math.floor(div);
  return fr(div - fl) > 0.5 ? fl + 1 : fl;
}
const maxMin = (pick) => (x, y) => (Number.isNaN(x) ? x : Number.isNaN(y) ? y : pick(x, y) ? x : y);
const binaryCases = {
  maximum: { ref: maxMin((x, y) => x > y), apply: (a, b) => tg.maximum(a, b) },
  minimum: { ref: maxMin((x, y) => x < y), apply: (a, b) => tg.minimum(a, b) },
  divTrunc: { ref: (x, y) => Math.trunc(fr(x / y)), apply: (a, b) => a.div(b, { roundingMode: 'trunc' }) },
  divFloor: { ref: divFloorRef, apply: (a, b) => a.div(b, { roundingMode: 'floor' }) },
  fmod: { ref: (x, y) => x % y, apply: (a, b) => tg.fmod(a, b) },
  remainder: { ref: remainderRef, apply: (a, b) => tg.remainder(a, b) },
  // y > 0 only (log of a negative y is NaN either way); x log(y) in float64, exactly rounded.
  xlogy: { ref: (x, y) => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log(y)), apply: (a, b) => tg.xlogy(a, b), positiveY: true },
};
const pairSpecials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1, -1, 3, -3, 1e30, -2.5];
for (const [op, { ref, apply: f, positiveY }] of Object.entries(binaryCases)) {
  const xs = [], ys = [];
  for (let i = 0; i < N; i++) {
    const sign = () => (rand() < 0.5 ? -1 : 1);
    const y = (positiveY ? 1 : sign()) * (1 + rand()) * 2 ** Math.floor(rand() * 60 - 30);
    const x = i % 16 === 0 ? Math.fround(y) * Math.floor(rand() * 1000) * sign() : sign() * (1 + rand()) * 2 ** Math.floor(rand() * 276 - 149);
    xs.push(x), ys.push(y);
  }
  const x = Float32Array.from(xs), yv = Float32Array.from(ys);
  const got = f(tg.tensor(x), tg.tensor(yv)).data();
  let max = 0, sum = 0, worstAt = 0;
  for (let i = 0; i < N; i++) {
    const d = ulps(got[i], Math.fround(ref(x[i], yv[i])));
    if (d > max) { max = d; worstAt = x[i]; }
    sum += d;
  }
  // Every pair of the specials, repeated so the vector path sees them.
  const sx = [], sy = [];
  for (let r = 0; r < 4; r++) for (const a of pairSpecials) for (const b of pairSpecials) sx.push(a), sy.push(b);
  const sg = f(tg.tensor(Float32Array.from(sx)), tg.tensor(Float32Array.from(sy))).data();
  let specialMismatches = 0;
  for (let i = 0; i < sx.length; i++) {
    const want = Math.fround(ref(Math.fround(sx[i]), Math.fround(sy[i])));
    if (!(Object.is(sg[i], want) || (Number.isNaN(sg[i]) && Number.isNaN(want)))) specialMismatches++;
  }
  out[op] = { maxUlp: max, meanUlp: sum / N, worstAt, specials: [], specialMismatches };
}

// pow, against Math.pow of the float32 inputs (float64, rounded once to float32).
function powStats(xs, ys, got) {
  let max = 0, sum = 0, worstAt = null;
  for (let i = 0; i < xs.length; i++) {
    const d = ulps(got[i], Math.fround(Math.pow(xs[i], ys[i])));
    if (d > max) { max = d; worstAt = [xs[i], ys[i]]; }
    sum += d;
  }
  return { maxUlp: max, meanUlp: sum / xs.length, worstAt, count: xs.length };
}
const M = 1 << 18;
const pairs = (gen) => {
  const xs = new Float32Array(M), ys = new Float32Array(M);
  for (let i = 0; i < M; i++) [xs[i], ys[i]] = gen(i);
  return [xs, ys];
};
// The results near overflow and underflow: y chosen so that y log2(x) lies in [126, 128.5]
// (from x = 2 up) or [-152, -120] (subnormal results and rounding to 0), for x > 1 and x < 1.
const nearEdge = () => {
  const x = rand() < 0.5 ? 1.01 + 999 * rand() : 1e-3 + 0.98 * rand();
  const t = rand() < 0.5 ? 126 + 2.5 * rand() : -152 + 32 * rand();
  return [x, t / Math.log2(Math.fround(x))];
};
const powSets = {
  // Bases in (0, 1e3], exponents in [-30, 30].
  wide: pairs(() => [1e3 * (1 - rand()), -30 + 60 * rand()]),
  // Bases over every binade (subnormals included) with exponents that keep most results finite.
  binades: pairs(() => { const e = -149 + 276 * rand(); return [2 ** e, (-120 + 240 * rand()) / Math.abs(e || 1)]; }),
  nearEdge: pairs(nearEdge),
  // Negative bases with integer exponents (odd ones negative).
  negative: pairs(() => [-1e3 * (1 - rand()), Math.round(-30 + 60 * rand())]),
  // Near 1, where log2(x) is small and y large.
  nearOne: pairs(() => [1 + (rand() - 0.5) * 2 ** -10, (rand() - 0.5) * 2 ** 20]),
};
out.pow = {};
for (const [name, [xs, ys]] of Object.entries(powSets)) {
  out.pow[name] = powStats(xs, ys, tg.pow(tg.tensor(xs), tg.tensor(ys)).data());
}
// The scalar forms: x.pow(e) over (0, 1e3] and every binade (and negative x for integer e), and
// b^x (rpow) over the exponents where b^x is finite and down into subnormal results.
for (const e of [2.5, -1.5, 0.3, 7, 1e-3, 100]) {
  const xs = [];
  for (let i = 0; i < M; i++) xs.push(1e3 * (1 - rand()));
  for (let k = -149; k < 128; k += 0.01) xs.push(2 ** k, ...(Number.isInteger(e) ? [-(2 ** k)] : []));
  const x = Float32Array.from(xs);
  out.pow[`x^${e}`] = powStats(x, new Float32Array(x.length).fill(e), tg.tensor(x).pow(e).data());
}
for (const [name, b] of [['2', 2], ['10', 10], ['0.5', 0.5], ['e', Math.E], ['-3', -3]]) {
  const fb = Math.fround(b);
  const lim = 152 / Math.abs(Math.log2(Math.abs(fb)));
  const ys = [];
  for (let i = 0; i < M; i++) ys.push(b < 0 ? Math.round(-lim + 2 * lim * rand()) : -lim + 2 * lim * rand());
  const y = Float32Array.from(ys);
  out.pow[`${name}^y`] = powStats(new Float32Array(y.length).fill(fb), y, tg.pow(b, tg.tensor(y)).data());
}
// Every pair of special values, tensor-tensor and through the scalar forms, in vectors long
// enough for the SIMD path and with a scalar tail. The expected values are C's pow: Math.pow's,
// except that 1^y is 1 for every y and (-1)^+-inf is 1 (JS gives NaN for those).
const cpow = (a, b) => (b === 0 || a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b));
const specialValues = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 2.5, -2.5, 1e-45, -1e-45, 3e38, -3e38, 2 ** 24 + 2, -(2 ** 25)];
const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
const mismatches = [];
const check = (form, a, b, got) => {
  const want = Math.fround(cpow(Math.fround(a), Math.fround(b)));
  const ok = Object.is(got, want) || ulps(got, want) <= 1 && got !== 0 && Number.isFinite(got) && Number.isFinite(want);
  if (!ok) mismatches.push(`${form}: pow(${show(a)}, ${show(b)}) = ${show(got)}, want ${show(want)}`);
};
{
  const as = [], bs = [];
  for (const a of specialValues) for (const b of specialValues) as.push(a), bs.push(b);
  for (const len of [as.length, 7]) {
    const r = tg.pow(tg.tensor(Float32Array.from(as.slice(0, len))), tg.tensor(Float32Array.from(bs.slice(0, len)))).data();
    for (let i = 0; i < len; i++) check(`tensor^tensor (${len})`, as[i], bs[i], r[i]);
  }
  const vals = Float32Array.from([...Array(3)].flatMap(() => specialValues));
  // x.pow(e) for e = 1, 2, 3, +-0.5, -1 and -2 takes PyTorch's exact forms instead (x * x,
  // sqrt, ...; sqrt(-0) is -0 where pow(-0, 0.5) is +0), so those are left out here.
  const exactForms = [1, 2, 3, 0.5, -0.5, -1, -2];
  for (const e of specialValues) {
    const r = tg.tensor(vals).pow(e).data();
    if (!exactForms.includes(e)) for (let i = 0; i < vals.length; i++) check(`x.pow(${show(e)})`, vals[i], e, r[i]);
    const q = tg.pow(e, tg.tensor(vals)).data();
    for (let i = 0; i < vals.length; i++) check(`pow(${show(e)}, x)`, e, vals[i], q[i]);
  }
}
out.pow.mismatches = mismatches;

// The binary atan2(y, x) and hypot(x, y) over pairs: an even grid of [-4, 4]^2, then random pairs
// (a fixed seed) in all four quadrants: both magnitudes log-uniform over 2^-40 .. 2^40, over the
// whole float32 range (subnormals included, so the ratio under- and overflows), and with ratios
// 10^-30 .. 10^30 around 2^-60 .. 2^60; near the diagonal |y| = |x| and next to +-pi/4 of it.
const signed = (v) => (rand() < 0.5 ? -v : v);
const logUniform = (lo, hi) => signed(2 ** (lo + (hi - lo) * rand()));
const as = [], bs = [];
for (let i = 0; i < 512; i++) {
  for (let j = 0; j < 512; j++) as.push(-4 + (8 * i) / 511), bs.push(-4 + (8 * j) / 511);
}
for (let i = 0; i < 1 << 18; i++) as.push(logUniform(-40, 40)), bs.push(logUniform(-40, 40));
for (let i = 0; i < 1 << 18; i++) as.push(logUniform(-149, 128)), bs.push(logUniform(-149, 128));
for (let i = 0; i < 1 << 18; i++) {
  const b = logUniform(-60, 60);
  as.push(signed(Math.abs(b) * 10 ** (-30 + 60 * rand()))), bs.push(b);
}
for (let i = 0; i < 1 << 16; i++) {
  const b = logUniform(-20, 20);
  as.push(signed(Math.abs(b) * (1 + (rand() - 0.5) * 2 ** -(1 + 22 * rand())))), bs.push(b);
}
const a32 = Float32Array.from(as), b32 = Float32Array.from(bs);
// Pairs of specials (as JS Math.atan2 and Math.hypot define them, which is C's), each in a vector
// long enough for the SIMD path and through the scalar tail; the expected values are computed
// here (Math.fround of the float64 result) and reported beside what the kernel gave.
const sp = [0, -0, Infinity, -Infinity, NaN, 1, -1, 1e-45, -1e-45, 3e38, -3e38, 1e-30, 1e30];
const spA = [], spB = [];
for (const a of sp) for (const b of sp) spA.push(a), spB.push(b);
const atan2HypotCases = {
  atan2: { ref: Math.atan2, apply: (a, b) => tg.atan2(a, b) },
  hypot: { ref: Math.hypot, apply: (a, b) => tg.hypot(a, b) },
};
for (const [op, { ref, apply }] of Object.entries(atan2HypotCases)) {
  const y = apply(tg.tensor(a32), tg.tensor(b32)).data();
  let max = 0, sum = 0, worstAt = [0, 0];
  for (let i = 0; i < a32.length; i++) {
    const d = ulps(y[i], Math.fround(ref(a32[i], b32[i])));
    if (d > max) { max = d; worstAt = [a32[i], b32[i]]; }
    sum += d;
  }
  const reps = 3;  // 3 x 169 pairs: whole vectors and a tail at every level
  const sa = Float32Array.from([...Array(reps)].flatMap(() => spA)), sb = Float32Array.from([...Array(reps)].flatMap(() => spB));
  const got = Array.from(apply(tg.tensor(sa), tg.tensor(sb)).data(), show);
  const want = Array.from(sa, (a, i) => show(Math.fround(ref(a, sb[i]))));
  const wrong = [];
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) wrong.push(`${op}(${show(sa[i])}, ${show(sb[i])}) = ${got[i]}, want ${want[i]}`);
  }
  out[op] = { maxUlp: max, meanUlp: sum / a32.length, worstAt, wrongSpecials: wrong };
}
// Softmax and logSoftmax rows (Note [Softmax rows]) of lengths around the 16-element step and
// the 4096-element block, against float64. Errors in units of 2^-24: for softmax relative to
// the value and to max(1, |x - max|) (x - max rounds in float32, as in PyTorch, and exp
// scales that rounding by |x - max|); for logSoftmax absolute, over max(1, |x - max|, |value|).
const softmaxRows = { softmax: 0, logSoftmax: 0 };
for (const n of [1, 5, 16, 17, 31, 100, 4096, 4097, 10000]) {
  const v = Float32Array.from({ length: n }, () => rand() * 30 - 15);
  const x = tg.tensor(v).reshape(1, n);
  const sm = x.softmax(1).data(), ls = x.logSoftmax(1).data();
  const m = v.reduce((a, b) => Math.max(a, b), -Infinity);
  const total = v.reduce((acc, a) => acc + Math.exp(a - m), 0);
  for (let i = 0; i < n; i++) {
    const d = v[i] - m, scale = Math.max(1, Math.abs(d));
    const want = Math.exp(d) / total, wantLog = d - Math.log(total);
    softmaxRows.softmax = Math.max(softmaxRows.softmax, Math.abs(sm[i] - want) / (want * scale * 2 ** -24));
    softmaxRows.logSoftmax = Math.max(softmaxRows.logSoftmax, Math.abs(ls[i] - wantLog) / (Math.max(scale, Math.abs(wantLog)) * 2 ** -24));
  }
}
// Rows with NaN, +inf, -inf entries and all -inf, each 21 long (a vector step and a tail).
softmaxRows.specials = [NaN, Infinity, -Infinity].flatMap((special) =>
  [0, 20].map((at) => {
    const v = Array.from({ length: 21 }, (_, i) => (i === at ? special : i / 7));
    const x = tg.tensor(v).reshape(1, 21);
    return [x.softmax(1).data(), x.logSoftmax(1).data()].map((r) => `${show(r[at])} ${show(r[at === 0 ? 20 : 0])}`).join(' / ');
  }),
);
const allNegInf = tg.full([1, 21], -Infinity);
softmaxRows.specials.push(`${show(allNegInf.softmax(1).data()[0])} / ${show(allNegInf.logSoftmax(1).data()[0])}`);
out.softmaxRows = softmaxRows;

// gelu's gradient Phi(x) + x phi(x) through its fused backward kernel (Note [gelu]), over [-14.5,
// 14.5] and both signs of 2^-40 .. 1, against float64. It crosses 0 near x = -0.75, so the error
// is measured in units of 2^-24 times the larger of its two terms (as no float32 evaluation of the
// sum keeps relative precision there), or of the smallest normal float where both are below it;
// specials as for the unary ops.
{
  const xs = [];
  for (let i = 0; i < N; i++) xs.push(-14.5 + 29 * (i / (N - 1)));
  for (let e = -40; e < 0; e += 0.005) xs.push(2 ** e, -(2 ** e));
  const gradOf = (v) => {
    const x = tg.tensor(Float32Array.from(v), { requiresGrad: true });
    x.gelu().backward(tg.onesLike(x));
    return x.grad.data();
  };
  const x32 = Float32Array.from(xs);
  const g = gradOf(x32);
  let max = 0, worstAt = 0;
  for (let i = 0; i < x32.length; i++) {
    const x = x32[i];
    const cdf = 0.5 * erfc(-x * Math.SQRT1_2), xpdf = (x * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI);
    const d = Math.abs(g[i] - (cdf + xpdf)) / (Math.max(cdf, Math.abs(xpdf), 2 ** -126) * 2 ** -24);
    if (d > max) { max = d; worstAt = x; }
  }
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 200, -200];
  const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
  out.geluGrad = { maxErr: max, worstAt, specials: Array.from(gradOf([...Array(32)].flatMap(() => specials)).slice(0, 9), show) };
}
process.stdout.write(JSON.stringify(out));
