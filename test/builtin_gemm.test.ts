// The built-in float32 gemm (csrc/cpu/gemm.cpp, Note [Built-in gemm]) that builds without
// BLAS use: every SIMD level's register tile this CPU runs, on one and two threads, against
// float64 products of the same operands. Child processes force it with
// TENSORGRAD_GEMM=builtin, so it is tested in builds that link OpenBLAS too.
import { execFileSync } from 'child_process';
import * as path from 'path';

const probe = path.join(__dirname, 'helpers', 'builtin_gemm.js');

interface Case { name: string; worst: number; bad: number; nan: number }
interface Report { isa: string; blas: string; cases: Case[]; propagation: { dtype: string; values: (number | string)[] }[] }

function run(isa: string, threads: number, gemm = 'builtin'): Report {
  const env = { ...process.env, TENSORGRAD_ISA: isa, TENSORGRAD_GEMM: gemm };
  return JSON.parse(execFileSync(process.execPath, [probe, String(threads)], { env, encoding: 'utf8' })) as Report;
}

// Each level once; a level the CPU lacks falls back to a lower one, measured under its name.
const reports: [string, number, Report][] = [];
for (const isa of ['avx512', 'avx2', 'baseline']) {
  for (const threads of [1, 2]) {
    const r = run(isa, threads);
    if (!reports.some(([level, t]) => level === r.isa && t === threads)) reports.push([r.isa, threads, r]);
  }
}

describe.each(reports)('built-in float32 gemm, %s tile, %i thread(s)', (_isa, _threads, r) => {
  test('the child used the built-in gemm', () => {
    expect(r.blas).toMatch(/^builtin/);
  });
  test('0 * inf and 0 * NaN give NaN in float32 and float64', () => {
    // [[0, 1], [0, 0]] @ [[inf, nan], [2, 3]] = [[nan, nan], [nan, nan]]
    expect(r.propagation).toEqual(['float32', 'float64'].map((dtype) => ({ dtype, values: ['nan', 'nan', 'nan', 'nan'] })));
  });
  test.each(r.cases.map((c) => [c.name, c] as const))('%s: within 2 K eps |A||B| of the float64 product', (_name, c) => {
    expect(c.nan).toBe(0);
    expect(c.bad).toBe(0);
    expect(c.worst).toBeLessThan(1);
  });
});

// With BLAS, products of 1 MFLOP and more run as one BLAS call per block of columns (or rows)
// on each pool thread (Note [BLAS threads]): the block edges must not show in the result.
const blasReports = [1, 2].map((threads) => [threads, run('avx512', threads, '')] as const);
describe.each(blasReports)('float32 gemm without TENSORGRAD_GEMM, %i thread(s)', (_threads, r) => {
  test.each(r.cases.map((c) => [c.name, c] as const))('%s: within 2 K eps |A||B| of the float64 product', (_name, c) => {
    expect(c.nan).toBe(0);
    expect(c.bad).toBe(0);
    expect(c.worst).toBeLessThan(1);
  });
});

// The direct gemm (Note [Direct gemm]) on every shape it can take, forced with
// TENSORGRAD_GEMM=direct: on a CPU without AVX-512 the children run BLAS instead.
const directReports = [1, 2].map((threads) => [threads, run('avx512', threads, 'direct')] as const);
describe.each(directReports)('float32 gemm with TENSORGRAD_GEMM=direct, %i thread(s)', (_threads, r) => {
  test('the child reports the forced mode', () => {
    expect(r.blas).toMatch(/TENSORGRAD_GEMM=direct/);
  });
  test('0 * inf and 0 * NaN give NaN', () => {
    expect(r.propagation[0]).toEqual({ dtype: 'float32', values: ['nan', 'nan', 'nan', 'nan'] });
  });
  test.each(r.cases.map((c) => [c.name, c] as const))('%s: within 2 K eps |A||B| of the float64 product', (_name, c) => {
    expect(c.nan).toBe(0);
    expect(c.bad).toBe(0);
    expect(c.worst).toBeLessThan(1);
  });
});
