#!/usr/bin/env node
'use strict';
/**
 * Times loops that never dispose (tensors freed only by the garbage collector) in two builds
 * of tensorgrad, one fresh process per build and workload, alternating builds:
 *
 *   node bench/gc_ab.js OLD_DIR NEW_DIR [--rounds 4] [--seconds 3] [--threads 1] [--workloads a,b]
 *
 * OLD_DIR and NEW_DIR are tensorgrad checkouts with dist/ and build/Release/ built. GC loops
 * cannot share a process the way bench/ab.js runs its builds: the two builds would share one
 * V8 heap and collect each other's garbage. Each process runs its workload for --seconds,
 * and reports the mean step time over all its steps, over the last half (steady state) and
 * over the first 100 steps, and the most live + cached native bytes it saw. The workloads:
 *
 *   seed003gc, seed004gc  the seed loops of bench/workloads.js without tidy;
 *   chain4M, chain16M     `x.abs().rsqrt()` over 1M and 4M float32 elements, results dropped.
 */
const { execFileSync } = require('child_process');
const path = require('path');

const WORKLOADS = ['seed003gc', 'seed004gc', 'chain4M', 'chain16M'];

function worker(dir, name, seconds, threads) {
  const { performance } = require('perf_hooks');
  const tg = require(path.resolve(dir));
  tg.setNumThreads(threads);
  let step;
  if (name.startsWith('seed')) {
    const { trainingSteps } = require('./workloads');
    const steps = trainingSteps(tg);
    step = name === 'seed003gc' ? steps.seed003(false) : steps.seed004(false);
  } else {
    const x = tg.randn(name === 'chain4M' ? 1 << 20 : 1 << 22);
    step = () => {
      x.abs().rsqrt();
    };
  }
  const base = tg.memoryStats().liveBytes;
  const times = [];
  let most = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
    const s = tg.memoryStats();
    most = Math.max(most, s.liveBytes + s.cachedBytes - base);
  }
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  const first = times.slice(0, Math.min(100, times.length));
  const steady = times.slice(Math.floor(times.length / 2));
  return { steps: times.length, allMs: mean(times), firstMs: mean(first), steadyMs: mean(steady), mostMiB: most / 2 ** 20 };
}

function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--worker') {
    const [, dir, name, seconds, threads] = argv;
    process.stdout.write(JSON.stringify(worker(dir, name, Number(seconds), Number(threads))));
    return;
  }
  const dirs = [];
  const o = { rounds: 4, seconds: 3, threads: 1, workloads: WORKLOADS };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') o.rounds = Number(argv[++i]);
    else if (argv[i] === '--seconds') o.seconds = Number(argv[++i]);
    else if (argv[i] === '--threads') o.threads = Number(argv[++i]);
    else if (argv[i] === '--workloads') o.workloads = argv[++i].split(',');
    else dirs.push(argv[i]);
  }
  if (dirs.length !== 2) {
    process.stderr.write('usage: node bench/gc_ab.js OLD_DIR NEW_DIR [--rounds 4] [--seconds 3] [--threads 1] [--workloads a,b]\n');
    process.exit(2);
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const fmt = (v) => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(2)} ms`);
  console.log(`| workload | old, all steps | new, all steps | new / old | old steady | new steady | new / old | old first 100 | new first 100 | old most MiB | new most MiB |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const name of o.workloads) {
    const runs = [[], []];
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const b of order) {
        const out = execFileSync(process.execPath, [__filename, '--worker', dirs[b], name, String(o.seconds), String(o.threads)]);
        runs[b].push(JSON.parse(out.toString()));
      }
    }
    const m = (b, k) => median(runs[b].map((x) => x[k]));
    console.log(
      `| ${name} | ${fmt(m(0, 'allMs'))} | ${fmt(m(1, 'allMs'))} | ${(m(1, 'allMs') / m(0, 'allMs')).toFixed(2)}× | ${fmt(m(0, 'steadyMs'))} | ${fmt(m(1, 'steadyMs'))} | ${(m(1, 'steadyMs') / m(0, 'steadyMs')).toFixed(2)}× | ` +
        `${fmt(m(0, 'firstMs'))} | ${fmt(m(1, 'firstMs'))} | ${m(0, 'mostMiB').toFixed(0)} | ${m(1, 'mostMiB').toFixed(0)} |`,
    );
  }
}

main();
