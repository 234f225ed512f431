#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: tensorgrad vs PyTorch on the workloads of the "CPU speed and memory" issue,
 * in the same run, environment and thread count, with hardware probes for peak FLOP/s and
 * memory bandwidth. Not part of `npm test`. See bench/README.md.
 *
 *   node bench/run.js [--threads 1,2] [--procs 3] [--sections mm,loops] [--quick]
 *                     [--no-torch] [--no-probes] [--no-coretype] [--omp-wait-policy PASSIVE|ACTIVE]
 *                     [--json FILE] [--out FILE]
 *   node bench/run.js --report FILE.json     re-render a run saved with --json
 */
const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { SECTIONS, GC_WARMUP_S, MM_SHAPES, EW_SIZES, UNARY_N, UNARY_OPS, BINARY_OPS, OPS, RED_SHAPES, median } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const BENCH = __dirname;
const BUILD = path.join(BENCH, '.build');

// ---------------------------------------------------------------- arguments
function usage(msg) {
  if (msg) process.stderr.write(`run.js: ${msg}\n`);
  process.stderr.write(
    'usage: node bench/run.js [--threads 1,2] [--procs 3] [--sections a,b] [--quick] [--no-torch]\n' +
      '                         [--no-probes] [--no-coretype] [--omp-wait-policy PASSIVE|ACTIVE]\n' +
      '                         [--json FILE] [--out FILE]\n' +
      '       node bench/run.js --report FILE.json   (re-render a run saved with --json)\n' +
      `sections: ${SECTIONS.join(', ')}\n`,
  );
  process.exit(msg ? 2 : 0);
}
const opts = { threads: [1, 2], procs: 3, sections: SECTIONS, quick: false, torch: true, probes: true, coretype: true, json: null, out: null, ompWait: null, report: null };
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    const val = () => (i + 1 < a.length ? a[++i] : usage(`${k} needs a value`));
    if (k === '--threads') opts.threads = val().split(',').map(Number);
    else if (k === '--procs') opts.procs = Number(val());
    else if (k === '--sections') opts.sections = val().split(',').filter(Boolean);
    else if (k === '--quick') opts.quick = true;
    else if (k === '--no-torch') opts.torch = false;
    else if (k === '--no-probes') opts.probes = false;
    else if (k === '--no-coretype') opts.coretype = false;
    else if (k === '--json') opts.json = val();
    else if (k === '--omp-wait-policy') opts.ompWait = val().toUpperCase();
    else if (k === '--report') opts.report = val();
    else if (k === '--out') opts.out = val();
    else if (k === '-h' || k === '--help') usage();
    else usage(`unknown argument ${k}`);
  }
  if (opts.threads.some((t) => !(t >= 1 && Number.isInteger(t)))) usage('--threads takes positive integers, e.g. 1 or 1,2');
  if (!(opts.procs >= 1)) usage('--procs must be >= 1');
  for (const s of opts.sections) if (!SECTIONS.includes(s)) usage(`unknown section ${s}`);
  if (opts.quick && !process.argv.includes('--procs')) opts.procs = 1;
  if (opts.ompWait && !['PASSIVE', 'ACTIVE'].includes(opts.ompWait)) usage('--omp-wait-policy takes PASSIVE or ACTIVE');
}

const log = (s) => process.stderr.write(s + '\n');
const t0Run = Date.now();

// ---------------------------------------------------------------- checks: the tensorgrad build
function newest(dir, re) {
  let best = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) best = Math.max(best, newest(p, re));
    else if (re.test(e.name)) best = Math.max(best, fs.statSync(p).mtimeMs);
  }
  return best;
}
function checkBuild() {
  const dist = path.join(ROOT, 'dist', 'lib', 'index.js');
  const addon = path.join(ROOT, 'build', 'Release', 'tensorgrad.node');
  if (!fs.existsSync(dist)) {
    log('bench: dist/lib/index.js is missing; build first with `npm run build` (or `npx tsc -p tsconfig.json` for the TS part).');
    process.exit(2);
  }
  const notes = [];
  if (fs.existsSync(addon) && newest(path.join(ROOT, 'csrc'), /\.(cpp|h|cc|hpp)$/) > fs.statSync(addon).mtimeMs) {
    notes.push('build/Release/tensorgrad.node is older than csrc/ (run `npm run build`)');
  }
  if (newest(path.join(ROOT, 'lib'), /\.ts$/) > fs.statSync(dist).mtimeMs) {
    notes.push('dist/ is older than lib/ (run `npx tsc -p tsconfig.json`)');
  }
  for (const n of notes) log(`bench: warning: ${n}; timing what is built.`);
  return notes;
}

// ---------------------------------------------------------------- snapshot of the build
// Others may rebuild build/Release or dist/ while the suite runs; every worker loads one
// copy taken at the start (package.json + dist/lib + the addon), so no run mixes builds.
const SNAPSHOT = path.join(BUILD, 'snapshot');
function snapshotBuild() {
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  fs.mkdirSync(path.join(SNAPSHOT, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(SNAPSHOT, 'package.json'));
  fs.cpSync(path.join(ROOT, 'dist', 'lib'), path.join(SNAPSHOT, 'dist', 'lib'), { recursive: true });
  const addon = path.join(ROOT, 'build', 'Release', 'tensorgrad.node');
  if (fs.existsSync(addon)) {
    fs.mkdirSync(path.join(SNAPSHOT, 'build', 'Release'), { recursive: true });
    fs.copyFileSync(addon, path.join(SNAPSHOT, 'build', 'Release', 'tensorgrad.node'));
  }
  if (fs.existsSync(path.join(ROOT, 'prebuilds'))) fs.cpSync(path.join(ROOT, 'prebuilds'), path.join(SNAPSHOT, 'prebuilds'), { recursive: true });
  const st = fs.existsSync(addon) ? fs.statSync(addon) : null;
  return st ? `addon built ${new Date(st.mtimeMs).toISOString().slice(0, 19).replace('T', ' ')} UTC` : 'prebuilt addon';
}

// ---------------------------------------------------------------- probes
function buildProbe(name, flags) {
  const src = path.join(BENCH, 'probes', `${name}.cpp`);
  const bin = path.join(BUILD, name);
  if (fs.existsSync(bin) && fs.statSync(bin).mtimeMs >= fs.statSync(src).mtimeMs) return bin;
  fs.mkdirSync(BUILD, { recursive: true });
  const cxx = process.env.CXX || 'g++';
  const r = spawnSync(cxx, ['-O3', '-march=native', ...flags, src, '-o', bin], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`bench: could not build probe ${name} with ${cxx}: ${(r.stderr || r.error || '').toString().trim().split('\n')[0]}`);
    return null;
  }
  return bin;
}
function runProbe(bin, argv) {
  if (!bin) return null;
  const r = spawnSync(bin, argv, { encoding: 'utf8', timeout: 120e3 });
  try {
    return JSON.parse(r.stdout);
  } catch {
    log(`bench: probe ${path.basename(bin)} failed: ${(r.stderr || r.error || '').toString().trim()}`);
    return null;
  }
}
const BW_KERNELS = ['copy', 'scale', 'add', 'triad', 'copy_nt', 'triad_nt'];
function probes(threads) {
  const out = {};
  if (!opts.probes) return out;
  const peakBin = buildProbe('peak_fma', ['-pthread']);
  const streamBin = buildProbe('stream', ['-fopenmp']);
  for (const T of threads) {
    // Peak: best repetition of the best ISA. Bandwidth: best repetition of the best STREAM
    // kernel. Best, not median: on a shared machine the probes measure what the hardware can
    // do when the workload gets it, which is what "fraction of peak" compares against.
    const p = runProbe(peakBin, [String(T), '2000000', opts.quick ? '12' : '25']);
    const s = runProbe(streamBin, [String(T), '32', opts.quick ? '4' : '9']);
    out[T] = {
      peak: p ? Math.max(...['avx512', 'avx2'].filter((k) => p[k]).map((k) => p[k].max)) : null,
      peakRaw: p,
      bw: s ? Math.max(...BW_KERNELS.filter((k) => s[k]).map((k) => s[k].max)) : null,
      streamRaw: s,
    };
  }
  return out;
}
/** Probes run before and after the workloads; keep the better figures of the two runs. */
function mergeProbes(a, b) {
  const out = {};
  for (const T of Object.keys(a)) {
    const x = a[T], y = b[T] || {};
    out[T] = (y.peak || 0) > (x.peak || 0) ? { ...x, peak: y.peak, peakRaw: y.peakRaw } : { ...x };
    if ((y.bw || 0) > (x.bw || 0)) Object.assign(out[T], { bw: y.bw, streamRaw: y.streamRaw });
  }
  return out;
}

// ---------------------------------------------------------------- python with torch
function findPython() {
  const cands = [];
  if (process.env.TORCH_PYTHON) cands.push(process.env.TORCH_PYTHON);
  cands.push(path.join(BENCH, '.venv', 'bin', 'python'), 'python3');
  const tried = [];
  for (const py of cands) {
    const r = spawnSync(py, ['-W', 'ignore', '-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120e3 });
    if (r.status === 0) return { py, version: r.stdout.trim(), tried };
    tried.push(`${py}: ${r.error ? r.error.code : (r.stderr || '').trim().split('\n').pop()}`);
  }
  return { py: null, version: null, tried };
}

// ---------------------------------------------------------------- workers
function runWorker(side, T, env, sections, name) {
  const argv = ['--threads', String(T), '--sections', sections.join(',')];
  if (opts.quick) argv.push('--quick');
  const [cmd, args] = side === 'tg'
    ? [process.execPath, ['--expose-gc', path.join(BENCH, 'tg_bench.js'), ...argv]]
    : [pyInfo.py, [path.join(BENCH, 'torch_bench.py'), ...argv]];
  const t = Date.now();
  const r = spawnSync(cmd, args, { env: { ...env, TG_BENCH_ROOT: SNAPSHOT }, encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT });
  const secs = ((Date.now() - t) / 1e3).toFixed(1);
  if (r.status !== 0) {
    log(`bench:   ${side} failed after ${secs} s (status ${r.status}): ${(r.stderr || String(r.error)).trim().slice(-600)}`);
    return null;
  }
  try {
    const lines = r.stdout.trim().split('\n');
    const data = JSON.parse(lines[lines.length - 1]);
    log(`bench:   ${name || (side === 'tg' ? 'tensorgrad' : 'pytorch')} ${secs} s`);
    return data;
  } catch (e) {
    log(`bench:   ${side}: unreadable output (${e.message})`);
    return null;
  }
}

/** Median over processes of each id's per-process median, with the spread of those medians. */
function aggregate(runs) {
  const byId = {};
  for (const run of runs) {
    if (!run) continue;
    for (const [id, r] of Object.entries(run.results)) {
      if (id.startsWith('_')) continue;
      byId[id] = byId[id] || { vals: [], na: null };
      if (typeof r.median === 'number') byId[id].vals.push(r.median);
      else byId[id].na = r.na;
    }
  }
  const out = {};
  for (const [id, { vals, na }] of Object.entries(byId)) {
    if (!vals.length) out[id] = { na };
    else {
      const m = median(vals);
      out[id] = { median: m, spread: vals.length > 1 ? (Math.max(...vals) - Math.min(...vals)) / m : null, n: vals.length, vals };
    }
  }
  return out;
}

// ---------------------------------------------------------------- the rows of the table
// kind: us = µs per op/node; t = time per call; flops / bytes per call give the "of peak" column.
function rows(sections) {
  const R = [];
  const has = (s) => sections.includes(s);
  if (has('overhead')) {
    R.push({ group: 'Per-op overhead (µs per op, 2x2, loop of 1000)' });
    R.push({ id: 'ovh_add', label: 'x + y, no grad (dispose each)', kind: 'us' });
    R.push({ id: 'ovh_add_tidy', label: 'x + y, no grad (tidy per 1000)', kind: 'us', torch: 'ovh_add' });
    R.push({ id: 'ovh_add_gc', label: 'x + y, no grad (no dispose, GC)', kind: 'us', torch: 'ovh_add' });
    R.push({ id: 'ovh_addg', label: 'x + y, records grad (dispose each)', kind: 'us' });
    R.push({ id: 'ovh_addg_gc', label: 'x + y, records grad (no dispose, GC)', kind: 'us', torch: 'ovh_addg' });
    R.push({ id: 'ovh_nograd', label: 'x + y, requires grad, under noGrad', kind: 'us' });
  }
  if (has('backward')) {
    R.push({ group: 'Autograd, chain of 100 ops (mul, add) + sum on 2x2 (µs per node)' });
    R.push({ id: 'fwd_node', label: 'forward, recording', kind: 'us' });
    R.push({ id: 'bwd_node', label: 'backward', kind: 'us' });
  }
  if (has('mm')) {
    R.push({ group: 'mm, float32 (allocating result)' });
    for (const [M, K, N, id] of MM_SHAPES) {
      R.push({ id, label: M === K && K === N ? `mm ${M}` : `mm ${M}x${K} @ ${K}x${N}`, kind: 't', flops: 2 * M * K * N, mm: M });
    }
  }
  if (has('elementwise')) {
    for (const [n, label] of EW_SIZES) {
      R.push({ group: `Elementwise, ${label} float32 (GB/s counts minimal traffic)` });
      for (const ip of [false, true]) {
        for (const op of ['add', 'mul', 'exp', 'tanh', 'sigmoid']) {
          const bin = op === 'add' || op === 'mul';
          const name = ip ? `a.${op}_(${bin ? 'b' : ''})` : bin ? `a.${op}(b)` : `a.${op}()`;
          R.push({ id: `ew_${op}${ip ? '_ip' : ''}_${label}`, label: `${name}${ip ? ' in place' : ''}`, kind: 't', bytes: (bin ? 12 : 8) * n, ew: { op, ip, label } });
        }
      }
    }
  }
  if (has('unary')) {
    R.push({ group: 'More unary ops, 1M float32, allocating (GB/s counts minimal traffic)' });
    for (const op of UNARY_OPS) {
      R.push({ id: `un_${op}_1M`, label: op === 'clamp' ? 'a.clamp(-1, 1)' : `a.${op}()`, kind: 't', bytes: 8 * UNARY_N });
    }
  }
  if (has('binary')) {
    R.push({ group: 'Binary ops, 1M float32 each, allocating (a in [-3, 3), b in [0.5, 2.5); GB/s counts minimal traffic)' });
    const labels = { pow: 'pow(b, a)', powScalar: 'b.pow(2.5)', rpow: 'pow(2, a)', divFloor: "a.div(b, 'floor')",
      lerp: 'a.lerp(b, 0.3)', addcmul: 'a.addcmul(a, b, 0.5)' };
    for (const op of BINARY_OPS) {
      const unaryForm = op === 'powScalar' || op === 'rpow';
      R.push({ id: `bin_${op}_1M`, label: labels[op] ?? `${op}(a, b)`, kind: 't', bytes: (unaryForm ? 8 : 12) * UNARY_N });
    }
  }
  if (has('reduce')) {
    for (const [Rr, C, label] of RED_SHAPES) {
      R.push({ group: `Reductions, ${Rr}x${C} (${label}) float32` });
      R.push({ id: `sum_all_${label}`, label: 'x.sum()', kind: 't', bytes: 4 * Rr * C });
      R.push({ id: `sum_rows_${label}`, label: 'x.sum(1) (over rows)', kind: 't', bytes: 4 * Rr * C });
      R.push({ id: `softmax_${label}`, label: 'softmax(x, 1) (native op)', kind: 't', bytes: 8 * Rr * C });
      R.push({ id: `logsoftmax_${label}`, label: 'logSoftmax(x, 1)', kind: 't', bytes: 8 * Rr * C });
      R.push({ id: `norm_${label}`, label: 'x.norm() (2-norm of all)', kind: 't', bytes: 4 * Rr * C });
      R.push({ id: `softmax_composed_${label}`, label: 'softmax composed: exp(x - max) / sum', kind: 't', bytes: 8 * Rr * C });
    }
  }
  if (has('ops')) {
    R.push({ group: 'Training-path and indexing ops, float32 (m 1024x1024, x 1M)' });
    for (const [id, label] of OPS) R.push({ id: `op_${id}`, label, kind: 't' });
  }
  // Matmul FLOPs per step: forward and weight gradients (2 x 2MNK each), plus the input
  // gradients autograd needs: every layer but the first (x does not require grad).
  const seedFlops004 = 2 * 2 * 64 * (1000 * 100 + 100 * 10) + 2 * 64 * 100 * 10;
  const mlpFlops = 2 * 2 * 256 * (784 * 512 + 512 * 512 + 512 * 10) + 2 * 256 * (512 * 512 + 512 * 10);
  if (has('loops')) {
    R.push({ group: 'Seed loops, per step (forward, backward, manual SGD)' });
    R.push({ id: 'loop003', label: 'seed 003: x 100x3, hidden 32 (tidy)', kind: 't', loop: true });
    // The GC rows time the steady state; the "first N s" rows the warm-up before it
    // (bench/README.md, "The GC-freed loops").
    R.push({ id: 'loop003_gc', label: 'seed 003, no dispose (GC, steady state)', kind: 't', torch: 'loop003' });
    R.push({ id: 'loop003_gc_warm', label: `seed 003, no dispose: first ${GC_WARMUP_S} s`, kind: 't', torch: 'loop003' });
    R.push({ id: 'loop004', label: 'seed 004: N=64, 1000-100-10 (tidy)', kind: 't', flops: seedFlops004, loop: true });
    R.push({ id: 'loop004_gc', label: 'seed 004, no dispose (GC, steady state)', kind: 't', flops: seedFlops004, torch: 'loop004' });
    R.push({ id: 'loop004_gc_warm', label: `seed 004, no dispose: first ${GC_WARMUP_S} s`, kind: 't', flops: seedFlops004, torch: 'loop004' });
  }
  if (has('mlp')) {
    R.push({ group: 'MLP training step, batch 256, 784-512-512-10, ReLU, MSE, SGD' });
    R.push({ id: 'mlp', label: 'MLP step (tidy)', kind: 't', flops: mlpFlops, loop: true });
  }
  return R;
}

// ---------------------------------------------------------------- formatting
function fmtTime(s, kind) {
  if (s === undefined || s === null) return 'n/a';
  if (kind === 'us') return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} µs`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 1e-2 ? 3 : 2)} ms`;
  return `${s.toFixed(2)} s`;
}
function fmtRate(row, s, probe) {
  if (typeof s !== 'number') return '';
  if (row.flops) {
    const gf = row.flops / s / 1e9;
    return probe && probe.peak ? `${gf.toFixed(1)} GF/s = ${((100 * gf) / probe.peak).toFixed(0)}%` : `${gf.toFixed(1)} GF/s`;
  }
  if (row.bytes) {
    const gb = row.bytes / s / 1e9;
    return probe && probe.bw ? `${gb.toFixed(1)} GB/s = ${((100 * gb) / probe.bw).toFixed(0)}%` : `${gb.toFixed(1)} GB/s`;
  }
  return '';
}
const pct = (x) => (x === null || x === undefined ? '' : x > 9.99 ? '>999%' : `${(100 * x).toFixed(0)}%`);

// A median whose process medians disagree by more than this (max - min > median) is flagged †.
const NOISY = 1;
function table(T, tgAgg, ptAgg, probe) {
  const lines = [];
  lines.push(`| workload | tensorgrad | PyTorch | tg / PT | tensorgrad, of peak | PyTorch, of peak | spread tg / PT |`);
  lines.push(`|---|---:|---:|---:|---:|---:|---:|`);
  for (const row of rows(opts.sections)) {
    if (row.group) {
      lines.push(`| **${row.group}** | | | | | | |`);
      continue;
    }
    const a = tgAgg[row.id] || { na: 'not run' };
    const b = ptAgg ? ptAgg[row.torch || row.id] || { na: 'not run' } : { na: 'no torch' };
    const ratio = typeof a.median === 'number' && typeof b.median === 'number' ? `${(a.median / b.median).toFixed(2)}×` : 'n/a';
    const spread = `${pct(a.spread) || '–'} / ${row.torch ? '(same)' : pct(b.spread) || '–'}`;
    const flag = (x) => (x.spread > NOISY ? ' †' : '');
    lines.push(`| ${row.label} | ${fmtTime(a.median, row.kind)}${flag(a)} | ${fmtTime(b.median, row.kind)}${flag(b)} | ${ratio} | ${fmtRate(row, a.median, probe)} | ${fmtRate(row, b.median, probe)} | ${spread} |`);
  }
  if (lines.some((l) => l.includes(' †'))) {
    lines.push('');
    lines.push(`† the ${opts.procs} processes disagreed by more than 100% (see the spread column): a busy machine; rerun before trusting that row.`);
  }
  return lines.join('\n');
}

function coretypeTable(mainAgg, altAgg, mainLabel, altLabel) {
  const lines = [`| workload | tensorgrad, ${mainLabel} | tensorgrad, ${altLabel} | ${altLabel} / ${mainLabel} |`, '|---|---:|---:|---:|'];
  for (const row of rows(opts.sections)) {
    if (row.group || !(row.mm || row.loop || row.id === 'loop004_gc')) continue;
    const a = mainAgg[row.id], b = altAgg[row.id];
    if (!a || !b) continue;
    const r = typeof a.median === 'number' && typeof b.median === 'number' ? `${(b.median / a.median).toFixed(2)}×` : 'n/a';
    lines.push(`| ${row.label} | ${fmtTime(a.median, row.kind)}${row.flops && a.median ? ` (${(row.flops / a.median / 1e9).toFixed(0)} GF/s)` : ''} | ${fmtTime(b.median, row.kind)}${row.flops && b.median ? ` (${(row.flops / b.median / 1e9).toFixed(0)} GF/s)` : ''} | ${r} |`);
  }
  return lines.join('\n');
}

// The issue's targets, checked against one thread count's results.
function targets(T, tg, pt, probe) {
  const out = [];
  const val = (agg, id) => (agg && agg[id] && typeof agg[id].median === 'number' ? agg[id].median : null);
  const both = (id) => [[tg, id], [pt, id]];
  const ratioOf = (id, torchId = id) => {
    const a = val(tg, id), b = val(pt, torchId);
    return a !== null && b !== null ? a / b : null;
  };
  const noisy = (...ids) => ids.some(([agg, id]) => agg && agg[id] && agg[id].spread > NOISY);
  const check = (name, got, want, fmt, lowerIsBetter, ids = []) => {
    let status;
    if (got === null) status = 'n/a';
    else if (lowerIsBetter ? got <= want : got >= want) status = 'met';
    else if (lowerIsBetter) status = `missed: ${(got / want).toFixed(2)}× too slow`;
    else status = `missed by ${(100 * (want - got)).toFixed(1)} points`;
    if (got !== null && noisy(...ids)) status += ' (†, noisy)';
    out.push(`| ${name} | ${lowerIsBetter ? '≤' : '≥'} ${fmt(want)} | ${got === null ? 'n/a' : fmt(got)} | ${status} |`);
  };
  const x = (v) => `${v.toFixed(2)}×`;
  const p = (v) => `${(100 * v).toFixed(0)}%`;
  const has = (s) => opts.sections.includes(s);
  if (has('overhead')) {
    check('per-op overhead, x + y no grad (tg / PT)', ratioOf('ovh_add'), 0.8, x, true, both('ovh_add'));
    check('per-op overhead, x + y recording grad (tg / PT)', ratioOf('ovh_addg'), 0.8, x, true, both('ovh_addg'));
  }
  if (has('backward')) check('backward per node (tg / PT)', ratioOf('bwd_node'), 0.6, x, true, both('bwd_node'));
  if (has('mm') && probe && probe.peak) {
    const want = T === 1 ? 0.85 : 0.75;
    for (const [M, K, N, id] of MM_SHAPES) {
      if (M < 256 || M !== K || K !== N) continue;
      const s = val(tg, id);
      check(`mm ${M}: fraction of peak (${T} thread${T > 1 ? 's' : ''})`, s === null ? null : (2 * M * K * N) / s / 1e9 / probe.peak, want, p, false, [[tg, id]]);
    }
  }
  const loopWant = T === 1 ? 0.6 : 0.75;
  if (has('loops')) {
    check('seed 003 loop per step (tg / PT)', ratioOf('loop003'), loopWant, x, true, both('loop003'));
    check('seed 004 loop per step (tg / PT)', ratioOf('loop004'), loopWant, x, true, both('loop004'));
  }
  if (has('mlp')) check('MLP step (tg / PT)', ratioOf('mlp'), loopWant, x, true, both('mlp'));
  if (has('elementwise')) {
    for (const op of ['add', 'mul', 'exp', 'tanh', 'sigmoid']) check(`16M ${op}, allocating: tg / PT (≥ 4× faster)`, ratioOf(`ew_${op}_16M`), 0.25, x, true, both(`ew_${op}_16M`));
    if (probe && probe.bw) {
      for (const op of ['add', 'mul', 'exp', 'tanh', 'sigmoid']) {
        const s = val(tg, `ew_${op}_ip_16M`);
        const bytes = (op === 'add' || op === 'mul' ? 12 : 8) * (16 << 20);
        const label = op === 'add' || op === 'mul' ? `16M ${op}_ in place: fraction of bandwidth` : `16M ${op}_ in place: memory-bound (fraction of bandwidth)`;
        check(label, s === null ? null : bytes / s / 1e9 / probe.bw, 0.8, p, false, [[tg, `ew_${op}_ip_16M`]]);
      }
    }
  }
  return ['| target | wanted | measured | status |', '|---|---:|---:|---|', ...out].join('\n');
}

// ---------------------------------------------------------------- report
/** Renders a run (the object --json saves) as Markdown. */
function render(report) {
  const M = report.meta;
  opts.sections = M.sections;
  opts.procs = M.procs;
  const probe = report.probe || {};
  const md = [];
  md.push(`## tensorgrad vs PyTorch, CPU (${report.date.slice(0, 10)})`);
  md.push('');
  md.push(`- machine: ${M.cpuModel}, ${M.cpus} CPUs; load average ${M.loadStart.toFixed(2)} at start, ${M.loadEnd.toFixed(2)} at end${Math.max(M.loadStart, M.loadEnd) > 0.5 * M.cpus ? ' (busy machine: expect noise)' : ''}`);
  md.push(`- tensorgrad: git ${M.gitHead} (${M.buildWhen}, snapshot in bench/.build/snapshot); node ${M.node}, BLAS ${M.tg.blas}${M.tg.setNumThreads ? ', tg.setNumThreads(n) called' : ' (no tg.setNumThreads: threads via OPENBLAS_NUM_THREADS only; elementwise ops are single-threaded)'}`);
  md.push(`- PyTorch: ${M.torch.version ? `${M.torch.version} (${M.torch.py})` : `n/a — no importable torch (${M.torch.tried.join('; ')}). Create bench/.venv: \`python3 -m venv bench/.venv && bench/.venv/bin/pip install torch\`, or set TORCH_PYTHON`}`);
  md.push(`- OPENBLAS_CORETYPE=${M.coretype ?? '(unset)'} in the environment of both sides (tensorgrad's OpenBLAS runs its ${M.mainCore ?? 'n/a'} kernels${M.coretype && M.mainCore === M.autoCore ? ': tensorgrad hides an older CORETYPE from OpenBLAS' : ''}; PyTorch uses MKL); OMP/MKL/OPENBLAS_NUM_THREADS = thread count; OMP_WAIT_POLICY=${M.ompWait ?? '(unset: OpenMP default, threads spin-wait)'}`);
  md.push(`- medians over ${M.procs} process${M.procs > 1 ? 'es' : ''} per side (interleaved), each the median of its repetitions${M.quick ? '; --quick: short runs, indicative only' : ''}`);
  if (M.buildNotes.length) md.push(`- warning: ${M.buildNotes.join('; ')}`);
  for (const T of M.threads) {
    const P = probe[T];
    const R = report.byThreads[T];
    md.push('');
    md.push(`### ${T} thread${T > 1 ? 's' : ''}`);
    md.push('');
    const [l0, l1] = R.load;
    const busy = Math.max(l0, l1) + T > M.cpus + 0.5;
    md.push(`Load average ${l0.toFixed(2)} before, ${l1.toFixed(2)} after these runs (${M.cpus} CPUs)${busy ? `: other processes competed for the cores, so ${T > 1 ? 'the second thread often waited for a core and ' : ''}absolute numbers are low and noisy` : ''}.`);
    if (busy && T > 1 && !M.ompWait) {
      md.push('PyTorch\'s OpenMP threads spin-wait by default; on a busy machine a parallel region can then stall for a scheduler slice (~8-16 ms), which shows as PyTorch times near 8 or 16 ms. `--omp-wait-policy PASSIVE` removes that artefact.');
    }
    md.push('');
    if (P && P.peak) {
      const pr = P.peakRaw;
      const sr = P.streamRaw;
      md.push(`Probes: peak ${P.peak.toFixed(0)} GFLOP/s (FMA, best repetition: ${['avx512', 'avx2'].filter((k) => pr[k]).map((k) => `${k} ${pr[k].max.toFixed(0)}, median ${pr[k].median.toFixed(0)}`).join('; ')}); ` +
        `bandwidth ${P.bw.toFixed(1)} GB/s (best STREAM kernel, best repetition; medians: ${BW_KERNELS.concat('sum').filter((k) => sr[k]).map((k) => `${k} ${sr[k].median.toFixed(1)}`).join(', ')}); first touch of fresh pages ${sr.first_touch} GB/s.`);
    } else md.push('Probes: n/a (no g++ or --no-probes): "of peak" columns show rates only.');
    md.push('');
    md.push(table(T, R.tg, R.pt, P));
    if (R.softmaxShift) md.push(`\nSoftmax composed in tensorgrad shifts by the ${R.softmaxShift.note}; PyTorch's composed row uses x.amax(1).`);
    if (R.alt) {
      const mainLabel = `OpenBLAS ${M.mainCore}`;
      const altLabel = `OpenBLAS ${M.altCore}`;
      md.push('');
      md.push(`OPENBLAS_CORETYPE effect on tensorgrad (${T} thread${T > 1 ? 's' : ''}): the environment above gives OpenBLAS's ${M.mainCore} kernels; ${M.altDesc} gives ${M.altCore}. Same interleaved processes:`);
      md.push('');
      md.push(coretypeTable(R.tg, R.alt, mainLabel, altLabel));
    }
    md.push('');
    md.push(`Targets (${T} thread${T > 1 ? 's' : ''}):`);
    md.push('');
    md.push(targets(T, R.tg, R.pt, P));
  }
  md.push('');
  md.push(`(total ${M.totalSeconds.toFixed(0)} s)`);
  return md.join('\n') + '\n';
}

// ---------------------------------------------------------------- main
if (opts.report) {
  // Re-render a saved run (--json) with this version of the table code.
  process.stdout.write(render(JSON.parse(fs.readFileSync(opts.report, 'utf8'))));
  process.exit(0);
}
const buildNotes = checkBuild();
const buildWhen = snapshotBuild();
const gitHead = (() => {
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no', '--', 'csrc', 'lib'], { encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in csrc/ or lib/` : head;
  } catch {
    return 'unknown';
  }
})();
const tgMeta = JSON.parse(execFileSync(process.execPath, ['-e', "const tg=require(process.argv[1]);console.log(JSON.stringify({blas:tg.blasInfo(),setNumThreads:typeof tg.setNumThreads==='function'}))", SNAPSHOT], { encoding: 'utf8' }));
const pyInfo = opts.torch ? findPython() : { py: null, version: null, tried: ['--no-torch'] };
const coretype = process.env.OPENBLAS_CORETYPE;
const cpuModel = (() => {
  try {
    const l = execFileSync('lscpu', { encoding: 'utf8' }).split('\n').find((s) => s.startsWith('Model name'));
    return l ? l.split(':')[1].trim() : os.cpus()[0].model;
  } catch {
    return os.cpus()[0].model;
  }
})();

// OPENBLAS_CORETYPE: which OpenBLAS core the tensorgrad workers really get (OPENBLAS_VERBOSE=2
// makes OpenBLAS print it on load; tensorgrad itself may hide an older CORETYPE from OpenBLAS,
// see Note [OPENBLAS_CORETYPE] in lib/native.ts), and an environment giving the other one.
function openblasCore(env) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(SNAPSHOT)})`], { env: { ...env, OPENBLAS_VERBOSE: '2' }, encoding: 'utf8' });
  const m = /Core:\s*(\S+)/.exec(`${r.stdout}\n${r.stderr}`);
  return m ? m[1] : null;
}
const baseEnv = { ...process.env };
const noCoreEnv = { ...process.env };
delete noCoreEnv.OPENBLAS_CORETYPE;
delete noCoreEnv.TENSORGRAD_KEEP_OPENBLAS_CORETYPE;
const mainCore = openblasCore(baseEnv);
const autoCore = openblasCore(noCoreEnv);
let altEnvExtra = null; // applied on top of each thread count's environment
let altDesc = null;
if (mainCore && autoCore) {
  if (mainCore === autoCore) {
    altEnvExtra = { OPENBLAS_CORETYPE: coretype || 'Haswell', TENSORGRAD_KEEP_OPENBLAS_CORETYPE: '1' };
    altDesc = `OPENBLAS_CORETYPE=${altEnvExtra.OPENBLAS_CORETYPE} kept in force (TENSORGRAD_KEEP_OPENBLAS_CORETYPE=1)`;
  } else {
    altEnvExtra = { OPENBLAS_CORETYPE: undefined, TENSORGRAD_KEEP_OPENBLAS_CORETYPE: undefined };
    altDesc = 'OPENBLAS_CORETYPE unset';
  }
}
const altCore = altEnvExtra ? openblasCore(applyEnv(baseEnv, altEnvExtra)) : null;
if (altCore === mainCore) altEnvExtra = null;
function applyEnv(env, extra) {
  const e = { ...env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete e[k];
    else e[k] = v;
  }
  return e;
}
log(`bench: tensorgrad ${tgMeta.blas}; PyTorch ${pyInfo.version ? `${pyInfo.version} (${pyInfo.py})` : 'not found'}; OPENBLAS_CORETYPE=${coretype ?? '(unset)'} -> OpenBLAS core ${mainCore ?? 'n/a'}`);
const loadStart = os.loadavg();
log('bench: probes (peak FMA, STREAM bandwidth)...');
const probeStart = probes(opts.threads);

const report = { date: new Date().toISOString(), meta: null, probe: null, byThreads: {} };

for (const T of opts.threads) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(T), OMP_NUM_THREADS: String(T), MKL_NUM_THREADS: String(T) };
  if (opts.ompWait) env.OMP_WAIT_POLICY = opts.ompWait;
  const tgRuns = [], ptRuns = [];
  const loadBefore = os.loadavg()[0];
  // The other OpenBLAS core (see openblasCore): tensorgrad's BLAS-bound sections once more in
  // every round, interleaved like the rest.
  const altRuns = [];
  const altSections = opts.sections.filter((s) => ['mm', 'loops', 'mlp'].includes(s));
  const doAlt = opts.coretype && altEnvExtra && altSections.length;
  for (let p = 0; p < opts.procs; p++) {
    log(`bench: threads=${T}, round ${p + 1}/${opts.procs}`);
    const order = p % 2 === 0 ? ['tg', 'pt', 'alt'] : ['alt', 'pt', 'tg'];
    for (const side of order) {
      if (side === 'tg') tgRuns.push(runWorker('tg', T, env, opts.sections));
      else if (side === 'pt' && pyInfo.py) ptRuns.push(runWorker('pt', T, env, opts.sections));
      else if (side === 'alt' && doAlt) altRuns.push(runWorker('tg', T, applyEnv(env, altEnvExtra), altSections, `tensorgrad (OpenBLAS ${altCore})`));
    }
  }
  const alt = altRuns.some(Boolean) ? altRuns : null;
  report.byThreads[T] = {
    tg: aggregate(tgRuns),
    pt: ptRuns.some(Boolean) ? aggregate(ptRuns) : null,
    alt: alt ? aggregate(alt) : null,
    load: [loadBefore, os.loadavg()[0]],
    tgProcs: tgRuns.filter(Boolean).length,
    ptProcs: ptRuns.filter(Boolean).length,
    softmaxShift: (tgRuns.find((r) => r && r.results._softmax_shift) || { results: {} }).results._softmax_shift,
  };
}
const loadEnd = os.loadavg();
log('bench: probes again...');
const probe = mergeProbes(probeStart, probes(opts.threads));
report.probe = probe;

report.meta = {
  sections: opts.sections, procs: opts.procs, quick: opts.quick, threads: opts.threads,
  cpuModel, cpus: os.cpus().length, loadStart: loadStart[0], loadEnd: loadEnd[0],
  gitHead, buildWhen, buildNotes, node: process.version, tg: tgMeta,
  torch: { version: pyInfo.version, py: pyInfo.py, tried: pyInfo.tried },
  coretype: coretype ?? null, mainCore, autoCore, altCore, altDesc,
  ompWait: opts.ompWait || process.env.OMP_WAIT_POLICY || null,
  totalSeconds: (Date.now() - t0Run) / 1e3,
};
const text = render(report);
process.stdout.write('\n' + text);
if (!pyInfo.py && opts.torch) {
  log('\nbench: PyTorch columns are n/a: no python with torch found. Try: python3 -m venv bench/.venv && bench/.venv/bin/pip install torch');
}
if (opts.out) fs.writeFileSync(opts.out, text);
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(report, null, 1));
