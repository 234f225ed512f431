/**
 * Deterministic float64 test inputs: small, seeded, optionally kept away from kinks, and
 * optionally non-contiguous (a transposed or strided leaf).
 */
import * as tg from '../../lib';
import { prng } from '../../lib/autograd/gradcheck'; // seeded, so samples are the same on every run
import { Tensor } from '../../lib';

/** `t(data)`: a float64 leaf that requires grad (the spec's `t([..], rg)`). */
export function t(data: number | unknown[], requiresGrad = true): Tensor {
  return tg.tensor(data as number[], { dtype: 'float64', requiresGrad });
}

/** A float64 tensor that does not require grad. */
export function c(data: number | unknown[]): Tensor {
  return tg.tensor(data as number[], { dtype: 'float64' });
}

let counter = 1;

export interface MakeOptions {
  /** Lower bound of the uniform values (default -2). */
  lo?: number;
  /** Upper bound (default 2). */
  hi?: number;
  /** Keep every value at least `margin` away from these points. */
  avoid?: number[];
  /** Keep every value at least `margin` away from every multiple of this step (e.g. 0.5). */
  avoidMultiplesOf?: number;
  /** Distance kept from the avoided points (default 0.15). */
  margin?: number;
  /** Make the leaf non-contiguous: transposed (2+ dims) or every other element (1 dim). */
  nonContig?: boolean;
  /** Whether the result requires grad (default true). */
  requiresGrad?: boolean;
  /** Seed; by default a fresh deterministic one per call. */
  seed?: number;
}

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function values(n: number, o: MakeOptions): Float64Array {
  const next = prng(o.seed ?? counter++ * 7919);
  const lo = o.lo ?? -2;
  const hi = o.hi ?? 2;
  const margin = o.margin ?? 0.15;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let tries = 0; ; tries++) {
      const v = lo + (hi - lo) * next();
      let ok = true;
      for (const p of o.avoid ?? []) if (Math.abs(v - p) < margin) ok = false;
      if (o.avoidMultiplesOf) {
        const q = o.avoidMultiplesOf;
        const d = Math.abs(v - Math.round(v / q) * q);
        if (d < margin) ok = false;
      }
      if (ok || tries > 1000) {
        out[i] = v;
        break;
      }
    }
  }
  return out;
}

/** A seeded float64 tensor of `shape` (a leaf requiring grad unless told otherwise). */
export function make(shape: number[], o: MakeOptions = {}): Tensor {
  const rg = o.requiresGrad ?? true;
  const n = numel(shape);
  let x: Tensor;
  if (o.nonContig && shape.length >= 2) {
    const sw = [...shape];
    const k = sw.length;
    [sw[k - 2], sw[k - 1]] = [sw[k - 1], sw[k - 2]];
    x = tg.tensor(values(n, o), { dtype: 'float64', shape: sw }).transpose(-2, -1).detach();
  } else if (o.nonContig && shape.length === 1) {
    x = tg.tensor(values(2 * n, o), { dtype: 'float64', shape: [n, 2] }).index(':', 0).detach();
  } else {
    x = tg.tensor(values(n, o), { dtype: 'float64', shape });
  }
  if (rg) x.requiresGrad_(true);
  return x;
}

/** Positive values in [lo, hi] (default [0.5, 2]). */
export function pos(shape: number[], o: MakeOptions = {}): Tensor {
  return make(shape, { lo: 0.5, hi: 2, ...o });
}

/** Values of either sign with |v| in [0.5, 2] (safe for division, reciprocal, abs, ...). */
export function nonzero(shape: number[], o: MakeOptions = {}): Tensor {
  return make(shape, { lo: -2, hi: 2, avoid: [0], margin: 0.5, ...o });
}

/** A bool condition tensor (does not require grad). */
export function mask(shape: number[], seed = 1): Tensor {
  const v = values(numel(shape), { lo: 0, hi: 1, seed });
  return tg.tensor(Uint8Array.from(v, (x) => (x > 0.5 ? 1 : 0)), { shape, dtype: 'bool' });
}

/** `expect(actual).toBeClose(expected)` on nested arrays, elementwise within `tol`. */
export function closeTo(actual: unknown, expected: unknown, tol = 1e-12, path = ''): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      throw new Error(`at ${path || 'root'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
    expected.forEach((e, i) => closeTo((actual as unknown[])[i], e, tol, `${path}[${i}]`));
    return;
  }
  const a = actual as number;
  const e = expected as number;
  if (typeof a !== 'number') throw new Error(`at ${path || 'root'}: expected number ${e}, got ${JSON.stringify(actual)}`);
  if (Number.isNaN(e) ? !Number.isNaN(a) : !(a === e || Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
    throw new Error(`at ${path || 'root'}: expected ${e}, got ${a}`);
  }
}

/** A float64 leaf requiring grad from a fixture's `{shape, values}` (nested values). */
export function fixtureLeaf(f: { shape: number[]; values: unknown }): Tensor {
  const flat = f.shape.length === 0 ? [f.values as number] : ((f.values as unknown[]).flat(Infinity) as number[]);
  return tg.tensor(Float64Array.from(flat), { dtype: 'float64', shape: f.shape }).requiresGrad_();
}
