/**
 * The float32 convolution paths of csrc/cpu/conv_kernels.cpp against the same convolution in
 * float64, at every SIMD level this CPU runs (each has its own path for stride-1
 * convolutions; test/helpers/conv_paths.js lists the cases), on one and on two threads.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

interface CaseReport { name: string; batch: number; outputs: number; errors: number[][]; sameBits: boolean }
interface Report { isa: string; cases: CaseReport[] }

const probe = path.join(__dirname, 'helpers', 'conv_paths.js');

// Each level once; a level the CPU lacks falls back to a lower one, reported under its name.
const reports = new Map<string, Report>();
for (const isa of ['avx512', 'avx2', 'baseline']) {
  const r = JSON.parse(execFileSync(process.execPath, [probe], { env: { ...process.env, TENSORGRAD_ISA: isa }, encoding: 'utf8' })) as Report;
  if (!reports.has(r.isa)) reports.set(r.isa, r);
}

describe.each([...reports.values()].map((r) => [r.isa, r] as const))('float32 conv paths at the %s level', (isa, r) => {
  test.each(r.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // y, gx, gw (and gb), on one thread and on two: float32 rounding over a few hundred
    // terms stays near 1e-6 of the largest value.
    for (const errs of c.errors) {
      expect(errs.length).toBe(c.outputs);
      for (const e of errs) expect(e).toBeLessThan(4e-6);
    }
    // The output and the input gradient are one pass over k per element whatever the split,
    // so they have the same bits on one thread and on two where tensorgrad's own kernels (the
    // AVX-512 tile and direct gemm, the packed AVX2 gemm) form every product, or where each
    // sample's product runs whole on one thread (batch >= 2). A batch of one under OpenBLAS
    // (the baseline level) is split into row or column blocks, and OpenBLAS's kernels round a
    // block's edges differently from its middle. (The weight gradient sums per-part partials.)
    if (isa !== 'baseline' || c.batch >= 2) expect(c.sameBits).toBe(true);
  });
});
