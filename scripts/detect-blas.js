#!/usr/bin/env node
// Decides at configure time whether the addon links OpenBLAS (through its CBLAS
// header) or uses tensorgrad's built-in gemm. Used by binding.gyp; CMakeLists.txt
// does the same search with find_path/find_library and honours the same variable.
//
// TENSORGRAD_BLAS (environment):
//   unset | auto     use OpenBLAS when found and a test program links and runs, else built-in
//   none | builtin   never use BLAS (built-in gemm)
//   openblas         like auto, but fail the build when OpenBLAS is not usable
//   openblas-static  link libopenblas.a into the addon with its symbols hidden
//                    (-Wl,--exclude-libs,ALL); for prebuilt binaries; fails when not usable
// TENSORGRAD_OPENBLAS_DIR: a prefix with include/cblas.h and lib/libopenblas.*,
//   searched before the system locations.
//
// Modes (one per gyp expansion; each prints one line on stdout):
//   --defines       'TG_HAVE_CBLAS=1 TG_HAVE_OPENBLAS=1' or nothing
//   --include-dirs  the directory holding cblas.h, or nothing
//   --libs          linker arguments, or nothing
//   --name          one-line summary for TG_BLAS_NAME, e.g.
//                   'openblas 0.3.21 (/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so)'
//                   or 'builtin'; also reports the choice on stderr
//   --json          everything above as JSON
//   (no mode)       human-readable report
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const mode = process.argv[2] || '--report';
const request = String(process.env.TENSORGRAD_BLAS || 'auto').trim().toLowerCase();
const VALID = ['auto', '', 'none', 'builtin', 'off', 'openblas', 'openblas-static'];

function fail(msg) {
  process.stderr.write(`tensorgrad: ${msg}\n`);
  process.exit(1);
}

if (!VALID.includes(request)) {
  fail(`TENSORGRAD_BLAS=${process.env.TENSORGRAD_BLAS} is not one of auto, none, openblas, openblas-static`);
}

const exists = (p) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: !r.error && r.status === 0, stdout: r.stdout || '', stderr: r.stderr || '' };
}

function multiarch() {
  const r = run(process.env.CC || 'cc', ['-print-multiarch']);
  const t = r.ok ? r.stdout.trim() : '';
  if (t) return [t];
  return { x64: ['x86_64-linux-gnu'], arm64: ['aarch64-linux-gnu'] }[process.arch] || [];
}

// Candidate (include dir, lib dir) pairs, most specific first.
function candidates() {
  const out = [];
  const add = (inc, lib, how) => out.push({ inc: path.resolve(inc), lib: path.resolve(lib), how });
  const prefix = process.env.TENSORGRAD_OPENBLAS_DIR;
  if (prefix) {
    add(path.join(prefix, 'include'), path.join(prefix, 'lib'), 'TENSORGRAD_OPENBLAS_DIR');
    add(path.join(prefix, 'include', 'openblas'), path.join(prefix, 'lib'), 'TENSORGRAD_OPENBLAS_DIR');
    add(path.join(prefix, 'include'), path.join(prefix, 'lib64'), 'TENSORGRAD_OPENBLAS_DIR');
  }
  const pc = run('pkg-config', ['--variable=includedir', 'openblas']);
  const pcl = run('pkg-config', ['--variable=libdir', 'openblas']);
  if (pc.ok && pcl.ok && pc.stdout.trim() && pcl.stdout.trim()) {
    add(pc.stdout.trim(), pcl.stdout.trim(), 'pkg-config');
  }
  for (const t of multiarch()) {
    // Debian/Ubuntu libopenblas-dev: headers and libs in per-variant directories.
    for (const v of ['openblas-pthread', 'openblas-openmp', 'openblas-serial']) {
      add(`/usr/include/${t}/${v}`, `/usr/lib/${t}/${v}`, 'debian');
    }
    // Debian's alternatives symlinks.
    add(`/usr/include/${t}`, `/usr/lib/${t}`, 'debian-alternatives');
  }
  add('/usr/include/openblas', '/usr/lib64', 'fedora'); // openblas-devel
  add('/usr/include/openblas', '/usr/lib', 'generic');
  add('/usr/include', '/usr/lib64', 'generic');
  add('/usr/include', '/usr/lib', 'generic');
  add('/usr/local/include', '/usr/local/lib', 'generic');
  add('/opt/OpenBLAS/include', '/opt/OpenBLAS/lib', 'openblas-default-prefix');
  add('/opt/homebrew/opt/openblas/include', '/opt/homebrew/opt/openblas/lib', 'homebrew');
  add('/usr/local/opt/openblas/include', '/usr/local/opt/openblas/lib', 'homebrew');
  return out;
}

const SO = process.platform === 'darwin' ? 'libopenblas.dylib' : 'libopenblas.so';
const isSystemDir = (d) => /^\/(usr\/)?lib(32|64)?(\/|$)/.test(d);

function version(inc) {
  try {
    const cfg = fs.readFileSync(path.join(inc, 'openblas_config.h'), 'utf8');
    const m = /#define\s+OPENBLAS_VERSION\s+"\s*OpenBLAS\s+([^"\s]+)\s*"/.exec(cfg);
    return m ? m[1] : '';
  } catch {
    return '';
  }
}

// A test program that needs what the addon needs: the CBLAS header, cblas_sgemm,
// and OpenBLAS's thread control. It must compile, link and run.
const TEST_PROGRAM = `
#include <cblas.h>
int main() {
  float a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {0, 0, 0, 0};
  openblas_set_num_threads(1);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1.0f, a, 2, b, 2, 0.0f, c, 2);
  return (c[0] == 19 && c[1] == 22 && c[2] == 43 && c[3] == 50) ? 0 : 1;
}
`;

function libArgs(c, isStatic) {
  if (isStatic) {
    // Pull only the objects we use from the archive and keep them out of the
    // addon's dynamic symbol table.
    return [path.join(c.lib, 'libopenblas.a'), '-Wl,--exclude-libs,ALL', '-lm', '-lpthread'];
  }
  const args = [`-L${c.lib}`, '-lopenblas'];
  if (!isSystemDir(c.lib)) args.push(`-Wl,-rpath,${c.lib}`);
  return args;
}

function tryCandidate(c, isStatic, tmp) {
  if (!exists(path.join(c.inc, 'cblas.h'))) return null;
  const libFile = path.join(c.lib, isStatic ? 'libopenblas.a' : SO);
  if (!exists(libFile)) return null;
  const cxx = (process.env.CXX || 'c++').split(/\s+/).filter(Boolean);
  const exe = path.join(tmp, 'blas-test');
  const src = path.join(tmp, 'blas-test.cpp');
  fs.writeFileSync(src, TEST_PROGRAM);
  const args = [...cxx.slice(1), src, `-I${c.inc}`, '-o', exe, ...libArgs(c, isStatic), '-pthread'];
  const built = run(cxx[0], args);
  if (!built.ok) {
    // Static archive built with gfortran pieces: retry with the runtime (shared) library.
    if (isStatic) {
      const retry = run(cxx[0], [...args, '-lgfortran']);
      if (retry.ok && run(exe, []).ok) return { ...c, libFile, extra: ['-lgfortran'] };
    }
    return { rejected: `${c.inc} + ${libFile}: test program did not build: ${built.stderr.trim().split('\n')[0] || '?'}` };
  }
  const ran = run(exe, [], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (!ran.ok) return { rejected: `${c.inc} + ${libFile}: test program built but did not run correctly` };
  return { ...c, libFile, extra: [] };
}

function detect() {
  if (['none', 'builtin', 'off'].includes(request)) {
    return { found: false, reason: `TENSORGRAD_BLAS=${request}` };
  }
  const isStatic = request === 'openblas-static';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-blas-'));
  const rejected = [];
  try {
    const seen = new Set();
    for (const c of candidates()) {
      const key = `${c.inc}|${c.lib}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const r = tryCandidate(c, isStatic, tmp);
      if (r && r.rejected) rejected.push(r.rejected);
      else if (r) return { found: true, isStatic, ...r, version: version(r.inc) };
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { found: false, reason: 'no usable OpenBLAS with cblas.h found', rejected };
}

const r = detect();
if (!r.found && request.startsWith('openblas')) {
  fail(
    `TENSORGRAD_BLAS=${request} but ${r.reason}` +
      (r.rejected && r.rejected.length ? `:\n  ${r.rejected.join('\n  ')}` : '') +
      '\n  (Debian/Ubuntu: apt-get install libopenblas-dev; or set TENSORGRAD_OPENBLAS_DIR)'
  );
}

// Only characters that survive gyp, make, the shell and a C string literal unchanged.
const sanitize = (s) => s.replace(/[^A-Za-z0-9 ._/()+,:=@-]/g, '_');
const name = r.found
  ? sanitize(`openblas${r.isStatic ? '-static' : ''}${r.version ? ' ' + r.version : ''} (${r.libFile})`)
  : 'builtin';
const defines = r.found ? ['TG_HAVE_CBLAS=1', 'TG_HAVE_OPENBLAS=1'] : [];
const includeDirs = r.found ? [r.inc] : [];
const libs = r.found ? [...libArgs(r, r.isStatic), ...r.extra] : [];

switch (mode) {
  case '--defines':
    process.stdout.write(defines.join(' ') + '\n');
    break;
  case '--include-dirs':
    process.stdout.write(includeDirs.join(' ') + '\n');
    break;
  case '--libs':
    process.stdout.write(libs.join(' ') + '\n');
    break;
  case '--name':
    process.stderr.write(
      `tensorgrad: BLAS: ${name}` + (r.found ? ` [found via ${r.how}]` : ` (${r.reason}; using the built-in gemm)`) + '\n'
    );
    process.stdout.write(name + '\n');
    break;
  case '--json':
    process.stdout.write(JSON.stringify({ name, defines, includeDirs, libs, rejected: r.rejected || [] }, null, 2) + '\n');
    break;
  case '--report':
    process.stdout.write(`BLAS: ${name}\n`);
    if (r.found) process.stdout.write(`  found via ${r.how}\n  include: ${r.inc}\n  libs: ${libs.join(' ')}\n`);
    else process.stdout.write(`  ${r.reason}\n`);
    for (const x of r.rejected || []) process.stdout.write(`  rejected: ${x}\n`);
    break;
  default:
    fail(`detect-blas.js: unknown mode ${mode}`);
}
