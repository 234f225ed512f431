// Small assertion helpers shared by the spec tests.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Tensor } from '../../lib';

/** The error `f` throws; fails the test when it throws nothing. */
export function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error to be thrown');
}

/** A tensor's values as nested arrays (null stays null). */
export const arr = (x: Tensor | null): unknown => (x === null ? null : x.toArray());

/** Runs `f` with process.emitWarning spied (and silenced); returns the warning texts. */
export function warningsOf(f: () => void): string[] {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    f();
    return spy.mock.calls.map((c) => String(c[0]));
  } finally {
    spy.mockRestore();
  }
}

/** What test/helpers/levels.js reports for one suite at one SIMD level. */
export interface LevelReport { isa: string; cases: number; mismatches: unknown[] }

/**
 * Runs a suite of test/helpers/levels.js in a child process at each SIMD level (TENSORGRAD_ISA
 * caps the level); a level the CPU lacks falls back to a lower one, reported once under its name.
 */
export function atEveryLevel(suite: 'ternary' | 'nanToNum' | 'prod' | 'sum'): LevelReport[] {
  const probe = path.join(__dirname, 'levels.js');
  const reports = new Map<string, LevelReport>();
  for (const isa of ['avx512', 'avx2', 'baseline']) {
    const out = execFileSync(process.execPath, [probe, suite], { env: { ...process.env, TENSORGRAD_ISA: isa }, encoding: 'utf8' });
    const r = JSON.parse(out) as LevelReport;
    if (!reports.has(r.isa)) reports.set(r.isa, r);
  }
  return [...reports.values()];
}
