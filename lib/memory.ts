/**
 * Deterministic release of native memory: `tidy(fn)` scopes and the memory statistics.
 * Tensors created inside a tidy scope are freed when it ends, except those it returns.
 * Outside any scope a tensor's memory is freed when it is disposed or, at the latest, after
 * its JS object is garbage collected (see csrc/binding/env_data.h, Note [Tensor handles]).
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { N } from './native';

/** What a tidy scope tracks: anything with an id and a dispose method (a Tensor). */
export interface Disposable {
  _id: number;
  dispose(): void;
}

const scopes: Disposable[][] = [];

/** @internal Records a newly created tensor in the innermost tidy scope. */
export function track(t: Disposable): void {
  const n = scopes.length;
  if (n > 0) scopes[n - 1].push(t);
}

/**
 * @internal Runs `fn` outside every tidy scope: the tensors it creates belong to no scope and
 * live until disposed (long-lived state such as optimizer buffers made inside a user's tidy).
 */
export function untracked<T>(fn: () => T): T {
  const saved = scopes.splice(0, scopes.length);
  try {
    return fn();
  } finally {
    scopes.push(...saved);
  }
}

function collectKept(value: unknown, keep: Set<Disposable>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if ('_id' in (value as object) && typeof (value as Disposable).dispose === 'function') {
    keep.add(value as Disposable);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectKept(v, keep, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value as object)) collectKept(v, keep, depth + 1);
  }
}

/**
 * Runs `fn` and frees every tensor created during it except those in its result (a tensor,
 * or arrays / plain objects of tensors). Kept tensors move to the enclosing scope.
 * `fn` must be synchronous: a returned Promise is rejected with an error.
 */
export function tidy<T>(fn: () => T): T {
  scopes.push([]);
  let result: T;
  let ok = false;
  try {
    result = fn();
    ok = true;
  } finally {
    const created = scopes.pop() as Disposable[];
    const keep = new Set<Disposable>();
    if (ok) collectKept(result!, keep);
    const ids: number[] = [];
    for (const t of created) {
      if (keep.has(t)) continue;
      if (t._id >= 0) ids.push(t._id);
      t._id = -1;
    }
    if (ids.length) N.releaseMany(ids);
    const parent = scopes[scopes.length - 1];
    if (parent) for (const t of keep) parent.push(t);
  }
  if (result! instanceof Promise) {
    throw new TypeError('tidy(fn): fn returned a Promise; tidy scopes only cover synchronous code');
  }
  return result!;
}

/**
 * @internal `f` running in a tidy scope, for ops written in TS as several tensor ops. Their
 * intermediates go back to the allocator's cache as the op returns; left to the garbage
 * collector, each new one faulted in fresh pages (1M-element softsign: 4.5 ms, against 0.4 ms
 * scoped). The autograd graph keeps what backward needs: disposing a handle drops only its
 * reference.
 */
export function composite<This, A extends unknown[], R>(f: (this: This, ...args: A) => R): (this: This, ...args: A) => R {
  return function (this: This, ...args: A): R {
    return tidy(() => f.apply(this, args));
  };
}

/** Live, cached and peak native bytes, and the number of live tensor handles. */
export interface MemoryStats {
  /** Bytes held by tensors (rounded up to the allocator's size classes). */
  liveBytes: number;
  /** Freed bytes kept by the caching allocator for reuse. */
  cachedBytes: number;
  /** Highest liveBytes since start or the last resetPeakMemory(). */
  peakBytes: number;
  /** Allocations served, and how many of them reused cached memory. */
  allocations: number;
  cacheHits: number;
  /** Tensor handles held by JS objects (not yet disposed or collected). */
  liveTensors: number;
}

/** Native memory statistics of the CPU allocator. */
export function memoryStats(): MemoryStats {
  return N.memoryStats();
}

/** Returns the allocator's cached (free) memory to the operating system. */
export function emptyCache(): void {
  N.emptyCache();
}

/** Resets `peakBytes` to the current live bytes. */
export function resetPeakMemory(): void {
  N.resetPeakMemory();
}

type GcFunction = (options?: { type?: 'minor' | 'major' }) => void;
let gcFunction: GcFunction | null | undefined; // undefined: not looked up yet; null: unavailable

/** V8's `gc` from a fresh context, exposing it there only if the process did not. */
function lookUpGc(): GcFunction | null {
  const probe = () => vm.runInNewContext('typeof gc === "function" ? gc : undefined') as GcFunction | undefined;
  let fn = probe();
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!fn && !options.some((o) => /^--expose[-_]gc/.test(o))) {
    v8.setFlagsFromString('--expose-gc');
    try {
      fn = probe();
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  return fn ?? null;
}

/** Runs a young-generation collection for the binding; false if it cannot. */
function collectYoung(): boolean {
  if (gcFunction === undefined) {
    try {
      gcFunction = lookUpGc();
    } catch {
      gcFunction = null;
    }
  }
  if (!gcFunction) return false;
  gcFunction({ type: 'minor' });
  return true;
}

N.setYoungCollector(collectYoung);
