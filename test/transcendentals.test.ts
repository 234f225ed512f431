// Accuracy of the vectorized float32 exp, tanh and sigmoid (csrc/cpu/vec_kernels.inc) at every
// SIMD level this CPU runs, against float64 references: a kernel that is fast but wrong at one
// level would otherwise only show on machines that select that level.
import { execFileSync } from 'child_process';
import * as path from 'path';

const probe = path.join(__dirname, 'helpers', 'transcendental_ulp.js');

interface Stats { maxUlp: number; meanUlp: number; worstAt: number; specials: string[] }
type Report = { isa: string } & Record<'exp' | 'tanh' | 'sigmoid', Stats>;

function measure(isa: string): Report {
  const out = execFileSync(process.execPath, [probe], { env: { ...process.env, TENSORGRAD_ISA: isa }, encoding: 'utf8' });
  return JSON.parse(out) as Report;
}

// Each level once; a level the CPU lacks falls back to a lower one, measured under its name.
const reports = new Map<string, Report>();
for (const isa of ['avx512', 'avx2', 'baseline']) {
  const r = measure(isa);
  if (!reports.has(r.isa)) reports.set(r.isa, r);
}

const tiny = String(Math.fround(1e-45)); // the smallest subnormal

describe.each([...reports.values()].map((r) => [r.isa, r] as const))('float32 transcendentals, %s kernels', (_isa, r) => {
  // f(0), f(-0), f(inf), f(-inf), f(NaN), f(1e-45), f(-1e-45), f(200), f(-200)
  test('exp: within 1 ulp over [-103.9, 88.7] (subnormal results included); specials', () => {
    expect(r.exp.maxUlp).toBeLessThanOrEqual(1);
    expect(r.exp.meanUlp).toBeLessThan(0.15);
    expect(r.exp.specials).toEqual(['1', '1', 'Infinity', '0', 'NaN', '1', '1', 'Infinity', '0']);
  });
  test('tanh: within 2 ulp over [-12, 12] and near 0 (odd, exact for tiny x); specials', () => {
    expect(r.tanh.maxUlp).toBeLessThanOrEqual(2);
    expect(r.tanh.meanUlp).toBeLessThan(0.15);
    expect(r.tanh.specials).toEqual(['0', '-0', '1', '-1', 'NaN', tiny, `-${tiny}`, '1', '-1']);
  });
  test('sigmoid: within 2 ulp over [-88.7, 100]; specials', () => {
    expect(r.sigmoid.maxUlp).toBeLessThanOrEqual(2);
    expect(r.sigmoid.meanUlp).toBeLessThan(0.25);
    expect(r.sigmoid.specials).toEqual(['0.5', '0.5', '1', '0', 'NaN', '0.5', '0.5', '1', '0']);
  });
});
