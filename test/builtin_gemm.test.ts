// The built-in float32 gemms (csrc/cpu/gemm.cpp, Notes [Built-in gemm] and [Packed AVX2
// gemm]) that builds without BLAS use: every SIMD level this CPU runs (the AVX2 level's is
// the packed gemm), on one and two threads, against float64 products of the same operands.
// Child processes force them with TENSORGRAD_GEMM=builtin, so they are tested in builds that
// link OpenBLAS too.
import { execFileSync } from 'child_process';
import * as path from 'path';

const probe = path.join(__dirname, 'helpers', 'builtin_gemm.js');

interface Case { name: string; worst: number; bad: number; nan: number }
interface Report { isa: string; blas: string; cases: Case[]; propagation: { dtype: string; values: (number | string)[] }[] }

function run(isa: string, threads: number, gemm = 'builtin'): Report {
  const env = { ...process.env, TENSORGRAD_ISA: isa, TENSORGRAD_GEMM: gemm };
  return JSON.parse(execFileSync(process.execPath, [probe, String(threads)], { env, encoding: 'utf8' })) as Report;
}

// One test per product of the child's report: within 2 K eps |A||B| of the float64 product.
function casesWithinBound(r: Report): void {
  test.each(r.cases.map((c) => [c.name, c] as const))('%s: within 2 K eps |A||B| of the float64 product', (_name, c) => {
    expect(c.nan).toBe(0);
    expect(c.bad).toBe(0);
    expect(c.worst).toBeLessThan(1);
  });
}
function float32NanPropagates(r: Report): void {
  test('0 * inf and 0 * NaN give NaN', () => {
    expect(r.propagation[0]).toEqual({ dtype: 'float32', values: ['nan', 'nan', 'nan', 'nan'] });
  });
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
  casesWithinBound(r);
});

// With BLAS, products of 1 MFLOP and more run as one BLAS call per block of columns (or rows)
// on each pool thread (Note [BLAS threads]): the block edges must not show in the result.
const blasReports = [1, 2].map((threads) => [threads, run('avx512', threads, '')] as const);
describe.each(blasReports)('float32 gemm without TENSORGRAD_GEMM, %i thread(s)', (_threads, r) => {
  casesWithinBound(r);
});

// The direct gemm (Note [Direct gemm]) on every shape it can take, forced with
// TENSORGRAD_GEMM=direct: on a CPU without AVX-512 the children run BLAS instead.
const directReports = [1, 2].map((threads) => [threads, run('avx512', threads, 'direct')] as const);
describe.each(directReports)('float32 gemm with TENSORGRAD_GEMM=direct, %i thread(s)', (_threads, r) => {
  test('the child reports the forced mode', () => {
    expect(r.blas).toMatch(/TENSORGRAD_GEMM=direct/);
  });
  float32NanPropagates(r);
  casesWithinBound(r);
});

// The packed AVX2 gemm (Note [Packed AVX2 gemm]), which AVX2 CPUs run for every float32
// product, forced with TENSORGRAD_GEMM=packed at the AVX2 level, on the shapes around its
// panel and block edges: on a CPU without AVX2 the children run BLAS instead.
const packedReports = [1, 2].map((threads) => [threads, run('avx2', threads, 'packed')] as const);
describe.each(packedReports)('float32 gemm with TENSORGRAD_GEMM=packed, %i thread(s)', (_threads, r) => {
  test('the child ran the packed gemm where the CPU has AVX2', () => {
    expect(r.blas).toMatch(r.isa === 'avx2' ? /\(TENSORGRAD_GEMM=packed\)$/ : /unused: no AVX2 level/);
  });
  float32NanPropagates(r);
  casesWithinBound(r);
});
