/**
 * Deterministic release of native memory: `tidy(fn)` scopes and the memory statistics.
 * Tensors created inside a tidy scope are freed when it ends, except those it returns.
 * Outside any scope a tensor's memory is freed when it is disposed or, at the latest, after
 * its JS object is garbage collected (see csrc/binding/env_data.h, Note [Tensor handles]).
 *
 * Freeing by GC. Code that never disposes still runs in bounded memory. When 32 MiB of
 * tensors were allocated with no garbage collection in between, tensorgrad runs a
 * young-generation collection (V8's `gc({ type: 'minor' })`, about 0.2 ms) and frees the
 * tensors whose objects it found dead. A loop that drops its results therefore holds about
 * 32 MiB of garbage plus one step's tensors: `x.abs().rsqrt()` over 4 MiB tensors levels off
 * at 48 MiB of live + cached bytes, 16 MiB tensors at 128 MiB. Such a loop runs 1.1-1.7x
 * slower than under `tidy`, mostly because its results land in memory that has left the CPU
 * cache, where `tidy` hands the block freed last straight back (see `tidy`). Tensors whose
 * objects lived long enough to reach V8's old generation wait for a full collection, which
 * V8 schedules from the native bytes reported to it as external memory (in Node 20, per
 * 64 MiB of such garbage). Memory is only reclaimed as new tensors are made: an idle program
 * keeps its dead tensors until its next op.
 *
 * To get `gc`, tensorgrad evaluates it in a fresh `vm` context, turning V8's `--expose-gc`
 * flag on for that moment only (and back off) unless the process already runs with it;
 * nothing is added to your globals. The collections show in `node --trace-gc` as
 * "Scavenge ... testing". Where `gc` cannot be had (`--expose-gc-as`), only V8's own
 * full collections free such tensors: about 150 MiB for the loop above in a small heap, and
 * far more, with slower steps, when the JS heap is large.
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
 *
 * The fast path for hot loops: the freed blocks go back to the allocator's cache and the next
 * step reuses them while they are still in the CPU cache, with no garbage collection. Left to
 * the GC, the same loop holds tens of MiB of dead tensors and runs 1.1-1.7x slower (see
 * "Freeing by GC" above).
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

/**
 * Live, cached and peak native bytes, and the number of live tensor handles.
 *
 * In a loop that leaves its tensors to the garbage collector, `liveBytes` includes dead
 * tensors not yet collected and climbs by each step's allocations until a collection; the
 * sweep after it moves their bytes to `cachedBytes`, and the next steps reuse them. The sum
 * levels off at about 32 MiB above what the program really holds, plus one step's tensors.
 */
export interface MemoryStats {
  /** Bytes held by tensors, dead ones not yet collected included (rounded up to size classes). */
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

/**
 * Native memory statistics of the CPU allocator (process-wide: worker threads share it).
 * See {@link MemoryStats} for how they move in a loop freed by the garbage collector.
 */
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
  const probe = () =>
    vm.runInNewContext('typeof gc === "function" ? gc : undefined') as GcFunction | undefined;
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
