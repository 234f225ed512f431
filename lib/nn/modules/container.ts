/**
 * Containers: Sequential (chains its modules), ModuleList (an indexable list) and
 * ModuleDict (modules by name). Children are registered under their index ('0', '1', ...) or
 * key, so state-dict keys are PyTorch's (`0.weight`, `layers.1.bias`), and are also plain
 * properties: `seq[0]` reads the first child.
 */
import { IndexError, ValueError } from '../../errors';
import { Module, addIndent } from '../module';

type Rec = Record<string, unknown>;

function normIndex(i: number, n: number, what: string): number {
  if (!Number.isInteger(i)) throw new IndexError(`${what}: index must be an integer, got ${i}`);
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) throw new IndexError(`index ${i} is out of range`);
  return j;
}

/** Shared list behaviour of Sequential and ModuleList. */
abstract class IndexedModules extends Module {
  [index: number]: Module;

  /** @internal Re-registers the modules under 0..n-1 (after an insert or delete). */
  protected _setAll(mods: Module[]): void {
    for (const k of [...this._modules.keys()]) delete (this as unknown as Rec)[k];
    mods.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** The modules in order. */
  protected _list(): Module[] {
    return [...this._modules.values()].filter((m): m is Module => m !== null);
  }

  /** The number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** The module at `i` (negative counts from the end). */
  at(i: number): Module {
    return this._list()[normIndex(i, this.length, `${this._getName()}.at`)];
  }

  /** Appends a module; returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `module` before position `index`. */
  insert(index: number, module: Module): void {
    const mods = this._list();
    const n = mods.length;
    if (!Number.isInteger(index) || index < -n || index > n) throw new IndexError(`Index out of range: ${index}`);
    mods.splice(index < 0 ? index + n : index, 0, module);
    this._setAll(mods);
  }

  /** Removes and returns the module at `index` (default the last). */
  pop(index = -1): Module {
    const mods = this._list();
    const j = normIndex(index, mods.length, `${this._getName()}.pop`);
    const [m] = mods.splice(j, 1);
    this._setAll(mods);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._list()[Symbol.iterator]();
  }
}

/**
 * Runs its modules in order, each on the previous one's output. Built from modules
 * (`new Sequential(a, b)`) or from named modules (`new Sequential({ fc: a, act: b })`).
 */
export class Sequential extends IndexedModules {
  constructor(...modules: Module[]);
  constructor(named: Record<string, Module> | Map<string, Module>);
  constructor(...args: unknown[]) {
    super();
    const first = args[0];
    if (args.length === 1 && first !== null && typeof first === 'object' && !(first instanceof Module)) {
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first as Rec);
      for (const [k, m] of entries) this.registerModule(k, m as Module);
    } else {
      args.forEach((m, i) => this.registerModule(String(i), m as Module));
    }
  }

  /** A new Sequential of the modules in [start, end) (PyTorch's slicing). */
  slice(start?: number, end?: number): Sequential {
    const entries = [...this._modules.entries()].slice(start, end);
    return new Sequential(new Map(entries as [string, Module][]));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override forward(input: any): any {
    let x = input;
    for (const m of this._list()) x = m.call(x);
    return x;
  }
}

/** A list of modules, registered under their indices; it has no forward of its own. */
export class ModuleList extends IndexedModules {
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  /** PyTorch's ModuleList printing, which folds runs of identical modules into `(0-2): 3 x ...`. */
  override toString(): string {
    const reprs = this._list().map((m) => m.toString());
    if (reprs.length === 0) return `${this._getName()}()`;
    const blocks: [number, number, string][] = [[0, 0, reprs[0]]];
    for (let i = 1; i < reprs.length; i++) {
      const last = blocks[blocks.length - 1];
      if (reprs[i] === last[2]) last[1] = i;
      else blocks.push([i, i, reprs[i]]);
    }
    const lines = blocks.map(([s, e, r]) => addIndent(s === e ? `(${s}): ${r}` : `(${s}-${e}): ${e - s + 1} x ${r}`, 2));
    return `${this._getName()}(\n  ${lines.join('\n  ')}\n)`;
  }
}

/** Modules by name, in insertion order; names must not contain '.'. */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Map<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  /** The module named `key`. */
  get(key: string): Module {
    const m = this._modules.get(key);
    if (m === undefined || m === null) throw new ValueError(`ModuleDict has no key '${key}'`);
    return m;
  }

  /** Adds or replaces the module named `key`. */
  set(key: string, module: Module): void {
    this.registerModule(key, module);
  }

  /** Whether a module is registered as `key`. */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /** Removes and returns the module named `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    delete (this as unknown as Rec)[key];
    return m;
  }

  /** Removes every module. */
  clear(): void {
    for (const k of [...this._modules.keys()]) delete (this as unknown as Rec)[k];
  }

  /** The number of modules. */
  get size(): number {
    return this._modules.size;
  }

  /** The names, in insertion order. */
  keys(): string[] {
    return [...this._modules.keys()];
  }
  /** The modules, in insertion order. */
  values(): Module[] {
    return [...this._modules.values()].filter((m): m is Module => m !== null);
  }
  /** `[name, module]` pairs, in insertion order. */
  entries(): [string, Module][] {
    return [...this._modules.entries()].filter((e): e is [string, Module] => e[1] !== null);
  }

  /** Adds every `[key, module]` of `modules`. */
  update(modules: Record<string, Module> | Map<string, Module> | Iterable<[string, Module]>): void {
    const entries: Iterable<[string, Module]> =
      modules instanceof Map || Symbol.iterator in (modules as object) ? (modules as Iterable<[string, Module]>) : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}
