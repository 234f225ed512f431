/**
 * `nn.Module`: the base class of every layer and model, with PyTorch's registration,
 * traversal, train/eval, state-dict and printing behaviour.
 *
 * Note [Registration by assignment]: the Module constructor returns a Proxy of the new
 * object whose only trap is `defineProperty`. Both `this.fc1 = new Linear(4, 3)` and class
 * fields (`fc1 = new Linear(4, 3)`) define a property on that proxy, so the trap sees every
 * assignment, records Parameters, Modules and registered buffers in ordered maps (the
 * registration order PyTorch keeps), and then defines the ordinary property, so reads are plain
 * property reads and TypeScript sees the fields with their declared types. Assigning a plain
 * tensor to a parameter's name, or a non-module to a child's name, throws PyTorch's TypeError.
 *
 * Note [Calling a module]: `module.call(...args)` runs the forward pre-hooks, `forward` and
 * the forward hooks, typed from the subclass's own `forward` signature. `callable(module)`
 * returns the same module as a plain function (`model(x)`), still an `instanceof` its class
 * with every field and method, for code that wants PyTorch's call syntax.
 */
import { zeroGrads } from '../autograd/zero_grad';
import { noGrad } from '../autograd/grad_mode';
import { ArgumentTypeError, NotImplementedError, RuntimeError, ValueError } from '../errors';
import { empty } from '../creation';
import { N } from '../native';
import { DType, Tensor } from '../tensor';
import { Parameter } from './parameter';

/** A state dict: parameter and buffer tensors by dotted name (`fc1.weight`, `bn.running_mean`). */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` did not match: PyTorch's `_IncompatibleKeys`. */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** A forward pre-hook: may return replacement arguments (an array). */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void | undefined;
/** A forward hook: may return a replacement output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;

/** A handle returned by the hook registrations; `remove()` unregisters the hook. */
export interface HookHandle {
  remove(): void;
}

let hookCounter = 0;

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (v instanceof Tensor) return `torch.${v.dtype === 'float64' ? 'Double' : v.dtype === 'float32' ? 'Float' : v.dtype === 'int64' ? 'Long' : v.dtype === 'int32' ? 'Int' : v.dtype === 'bool' ? 'Bool' : 'Byte'}Tensor`;
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** PyTorch's `torch.Size([3, 4])` text for error messages. */
export function torchSize(shape: number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** Indents every line but the first by `n` spaces (PyTorch's `_addindent`). */
function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

function checkName(name: unknown, kind: string): asserts name is string {
  if (typeof name !== 'string') throw new ArgumentTypeError(`${kind} name should be a string. Got ${pyTypeName(name)}`);
  if (name.includes('.')) throw new ValueError(`${kind} name can't contain "."`);
  if (name === '') throw new ValueError(`${kind} name can't be empty string ""`);
}

const REGISTRY_FIELDS = new Set(['_parameters', '_buffers', '_nonPersistentBuffers', '_modules', '_forwardHooks', '_forwardPreHooks', 'training']);

/**
 * Base class for all neural-network modules. Subclasses assign parameters and submodules
 * as fields in their constructor and implement `forward`; call them with `module.call(x)`.
 */
export class Module {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;
  /** @internal Registered parameters in registration order (null: registered as None). */
  _parameters = new Map<string, Parameter | null>();
  /** @internal Registered buffers in registration order. */
  _buffers = new Map<string, Tensor | null>();
  /** @internal Names of buffers left out of the state dict. */
  _nonPersistentBuffers = new Set<string>();
  /** @internal Child modules in registration order. */
  _modules = new Map<string, Module | null>();
  /** @internal */
  _forwardPreHooks = new Map<number, ForwardPreHook>();
  /** @internal */
  _forwardHooks = new Map<number, ForwardHook>();

  constructor() {
    // See Note [Registration by assignment].
    return new Proxy(this, {
      defineProperty(target, key, desc) {
        if (typeof key === 'string' && 'value' in desc && !REGISTRY_FIELDS.has(key)) target._register(key, desc.value);
        return Reflect.defineProperty(target, key, desc);
      },
      deleteProperty(target, key) {
        if (typeof key === 'string') {
          target._parameters.delete(key);
          target._buffers.delete(key);
          target._nonPersistentBuffers.delete(key);
          target._modules.delete(key);
        }
        return Reflect.deleteProperty(target, key);
      },
    });
  }

  /** @internal Files an assigned value under the registry it belongs to. */
  _register(name: string, v: unknown): void {
    if (v instanceof Parameter) {
      this._buffers.delete(name);
      this._nonPersistentBuffers.delete(name);
      this._modules.delete(name);
      this._parameters.set(name, v);
    } else if (v instanceof Module) {
      this._parameters.delete(name);
      this._buffers.delete(name);
      this._nonPersistentBuffers.delete(name);
      this._modules.set(name, v);
    } else if (this._parameters.has(name)) {
      if (v !== null && v !== undefined) {
        throw new ArgumentTypeError(`cannot assign '${pyTypeName(v)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
      }
      this._parameters.set(name, null);
    } else if (this._modules.has(name)) {
      if (v !== null && v !== undefined) {
        throw new ArgumentTypeError(`cannot assign '${pyTypeName(v)}' as child module '${name}' (torch.nn.Module or None expected)`);
      }
      this._modules.set(name, null);
    } else if (this._buffers.has(name)) {
      if (v !== null && v !== undefined && !(v instanceof Tensor)) {
        throw new ArgumentTypeError(`cannot assign '${pyTypeName(v)}' as buffer '${name}' (torch.Tensor or None expected)`);
      }
      this._buffers.set(name, (v as Tensor | null | undefined) ?? null);
    }
  }

  /**
   * The computation of this module. Subclasses override it with their own signature;
   * call it through `call()` (or `callable(module)`) so hooks run.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(...args: any[]): any {
    throw new NotImplementedError(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  /** Runs forward pre-hooks, `forward(...args)` and forward hooks; see Note [Calling a module]. */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    let a: unknown[] = args;
    for (const h of this._forwardPreHooks.values()) {
      const r = h(this, a);
      if (r !== undefined && r !== null) a = Array.isArray(r) ? r : [r];
    }
    let out = this.forward(...a);
    for (const h of this._forwardHooks.values()) {
      const r = h(this, a, out);
      if (r !== undefined) out = r;
    }
    return out;
  }

  /** Registers `hook(module, args)` to run before `forward`; it may return new args. */
  registerForwardPreHook(hook: ForwardPreHook): HookHandle {
    const id = hookCounter++;
    this._forwardPreHooks.set(id, hook);
    return { remove: () => void this._forwardPreHooks.delete(id) };
  }

  /** Registers `hook(module, args, output)` to run after `forward`; it may return a new output. */
  registerForwardHook(hook: ForwardHook): HookHandle {
    const id = hookCounter++;
    this._forwardHooks.set(id, hook);
    return { remove: () => void this._forwardHooks.delete(id) };
  }

  // ---------------------------------------------------------------- registration

  private checkFree(name: string, registry: Map<string, unknown>): void {
    // An own property that is still undefined is a declared class field awaiting its value.
    if (name in this && !registry.has(name) && (this as unknown as Record<string, unknown>)[name] !== undefined) {
      throw new ValueError(`attribute '${name}' already exists`);
    }
  }

  /** Adds a parameter (or null, a placeholder) under `name`; PyTorch's `register_parameter`. */
  registerParameter(name: string, param: Parameter | null): void {
    checkName(name, 'parameter');
    this.checkFree(name, this._parameters);
    if (param !== null && !(param instanceof Parameter)) {
      throw new ArgumentTypeError(`cannot assign '${pyTypeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    this._parameters.set(name, param);
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /**
   * A new, uninitialised parameter of `shape` registered under `name`; or, when `shape` is
   * null, `name` registered as absent (PyTorch's `register_parameter(name, None)`). Layers use
   * it for optional weights and biases and fill them in `resetParameters()`.
   */
  protected addParameter(name: string, shape: number[] | null, dtype: DType): Parameter | null {
    const p = shape === null ? null : new Parameter(empty(shape, { dtype }));
    this.registerParameter(name, p);
    return p;
  }

  /**
   * Adds a buffer: a tensor that is state but not a parameter (e.g. `running_mean`).
   * Non-persistent buffers are left out of the state dict.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    checkName(name, 'buffer');
    this.checkFree(name, this._buffers);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new ArgumentTypeError(`cannot assign '${pyTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._parameters.delete(name);
    this._modules.delete(name);
    this._buffers.set(name, tensor);
    if (persistent) this._nonPersistentBuffers.delete(name);
    else this._nonPersistentBuffers.add(name);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Adds a child module (or null) under `name`; PyTorch's `add_module` / `register_module`. */
  registerModule(name: string, module: Module | null): void {
    checkName(name, 'module');
    this.checkFree(name, this._modules);
    if (module !== null && !(module instanceof Module)) {
      throw new ArgumentTypeError(`${pyTypeName(module)} is not a Module subclass`);
    }
    this._modules.set(name, module);
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /** Alias of `registerModule` (PyTorch's `add_module`). */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  /** The submodule at a dotted path (`"encoder.layers.0"`); `""` is this module. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let mod: Module = this;
    for (const item of target.split('.')) {
      const next = mod._modules.get(item);
      if (!next) throw new ValueError(`${mod._getName()} has no attribute \`${item}\``);
      mod = next;
    }
    return mod;
  }

  /** The parameter at a dotted path (`"fc1.weight"`). */
  getParameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const mod = this.getSubmodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    const p = mod._parameters.get(name);
    if (!p) throw new ValueError(`${mod._getName()} has no parameter \`${name}\``);
    return p;
  }

  // ---------------------------------------------------------------- traversal

  /** `[name, module]` for this module and every descendant (each once), pre-order. */
  namedModules(prefix = '', memo: Set<Module> = new Set()): [string, Module][] {
    const out: [string, Module][] = [];
    if (memo.has(this)) return out;
    memo.add(this);
    out.push([prefix, this]);
    for (const [name, m] of this._modules) {
      if (m === null) continue;
      out.push(...m.namedModules(prefix ? `${prefix}.${name}` : name, memo));
    }
    return out;
  }

  /** This module and every descendant, each once, pre-order. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `[name, child]` for the direct children, each once. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, m] of this._modules) {
      if (m !== null && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }

  /** The direct children, each once. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers<T>(get: (m: Module) => Iterable<[string, T | null]>, prefix: string, recurse: boolean): [string, T][] {
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const seen = new Set<T>();
    const out: [string, T][] = [];
    for (const [mp, m] of mods) {
      for (const [k, v] of get(m)) {
        if (v === null || seen.has(v)) continue;
        seen.add(v);
        out.push([mp ? `${mp}.${k}` : k, v]);
      }
    }
    return out;
  }

  /** `[dottedName, parameter]` for every parameter (shared ones once), in registration order. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    return this.namedMembers((m) => m._parameters, prefix, recurse);
  }

  /** Every parameter (shared ones once), in registration order: what an optimizer takes. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** `[dottedName, buffer]` for every buffer, persistent or not. */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers, prefix, recurse);
  }

  /** Every buffer, persistent or not. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  // ---------------------------------------------------------------- modes and gradients

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Sets requiresGrad on every parameter (false freezes the module); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Resets the gradients of every parameter: to null (the default), or zeros in place. */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    zeroGrads(this.parameters(), opts.setToNone ?? true);
  }

  /** Calls `fn` on every descendant (children first) and then on this module; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  // ---------------------------------------------------------------- conversion

  /**
   * Converts every parameter (and its .grad) in place to `fn(tensor)`, children first, as
   * PyTorch's `param.data = fn(param)`: the Parameter objects stay the same (an optimizer
   * built before keeps working) and take the converted storage, shape and dtype. Buffers are
   * replaced by `fn(buffer)`, as PyTorch replaces them.
   * @internal
   */
  _applyToTensors(fn: (t: Tensor) => Tensor): this {
    for (const m of this.children()) m._applyToTensors(fn);
    noGrad(() => {
      const setData = (t: Tensor): void => {
        const d = fn(t);
        if (d === t) return;
        N.setData(t._id, d._id);
        d.dispose();
      };
      for (const p of this._parameters.values()) {
        if (p === null) continue;
        setData(p);
        const g = p.grad;
        if (g !== null) setData(g);
      }
      for (const [name, b] of [...this._buffers]) {
        if (b === null) continue;
        const d = fn(b);
        if (d !== b) (this as unknown as Record<string, unknown>)[name] = d;
      }
    });
    return this;
  }

  /** Converts floating parameters and buffers to `dtype` (a floating dtype); returns this. */
  to(dtype: DType): this {
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new ArgumentTypeError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
    }
    return this._applyToTensors((t) => (isFloating(t) && t.dtype !== dtype ? t.to(dtype) : t));
  }

  /** Converts floating parameters and buffers to float64; returns this. */
  double(): this {
    return this.to('float64');
  }

  /** Converts floating parameters and buffers to float32; returns this. */
  float(): this {
    return this.to('float32');
  }

  // ---------------------------------------------------------------- state dict

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order and with its key
   * names. Values are detached aliases (they share data with the module) unless `keepVars`.
   */
  stateDict(opts: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    const out: StateDict = {};
    this.collectState(out, opts.prefix ?? '', !!opts.keepVars);
    return out;
  }

  private collectState(out: StateDict, prefix: string, keepVars: boolean): void {
    for (const [k, p] of this._parameters) if (p !== null) out[prefix + k] = keepVars ? p : p.detach();
    for (const [k, b] of this._buffers) {
      if (b !== null && !this._nonPersistentBuffers.has(k)) out[prefix + k] = keepVars ? b : b.detach();
    }
    for (const [k, m] of this._modules) if (m !== null) m.collectState(out, `${prefix}${k}.`, keepVars);
  }

  /**
   * Copies values from `stateDict` into the parameters and persistent buffers (in place,
   * without recording). With `strict` (the default) missing or unexpected keys throw
   * PyTorch's error; shape mismatches always throw. Returns the unmatched keys.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, opts: { strict?: boolean } = {}): IncompatibleKeys {
    const strict = opts.strict ?? true;
    const sd: Map<string, Tensor> = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    const visit = (m: Module, prefix: string): void => {
      const local = new Map<string, Tensor>();
      for (const [k, p] of m._parameters) if (p !== null) local.set(k, p);
      for (const [k, b] of m._buffers) if (b !== null && !m._nonPersistentBuffers.has(k)) local.set(k, b);
      for (const [name, t] of local) {
        const key = prefix + name;
        const src = sd.get(key);
        if (src === undefined) {
          missingKeys.push(key);
          continue;
        }
        if (!(src instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyTypeName(src)}`);
          continue;
        }
        const a = src.shape, b = t.shape;
        if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
          errors.push(`size mismatch for ${key}: copying a param with shape ${torchSize(a)} from checkpoint, the shape in current model is ${torchSize(b)}.`);
          continue;
        }
        noGrad(() => t.copy_(src));
      }
      for (const key of sd.keys()) {
        if (!key.startsWith(prefix)) continue;
        const first = key.slice(prefix.length).split('.', 1)[0];
        if (!m._modules.has(first) && !local.has(first)) unexpectedKeys.push(key);
      }
      for (const [k, c] of m._modules) if (c !== null) visit(c, `${prefix}${k}.`);
    };
    visit(this, '');
    if (strict) {
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) throw new RuntimeError(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errors.join('\n\t')}`);
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- printing

  /** @internal The class name PyTorch prints. */
  _getName(): string {
    return this.constructor.name;
  }

  /** The module-specific part of the printed form, e.g. `in_features=4, out_features=3, bias=True`. */
  extraRepr(): string {
    return '';
  }

  /** @internal The printed lines of the children. */
  _childLines(): string[] {
    const lines: string[] = [];
    for (const [key, m] of this._modules) lines.push(`(${key}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`);
    return lines;
  }

  /** The printed form, exactly as PyTorch prints the model. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this._childLines();
    const lines = [...extraLines, ...childLines];
    let s = `${this._getName()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }

  /** @internal Node's console.log form. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** @internal */
export { addIndent };

function isFloating(t: Tensor): boolean {
  return t.dtype === 'float32' || t.dtype === 'float64';
}

/** A module that is also a function: see Note [Calling a module]. */
export type CallableModule<M extends Module> = M & ((...args: Parameters<M['forward']>) => ReturnType<M['forward']>);

/**
 * Returns `module` as a function (`model(x)` runs `module.call(x)`) that keeps every field,
 * method and `instanceof` of the module; assignments through it reach the module.
 */
export function callable<M extends Module>(module: M): CallableModule<M> {
  if (!(module instanceof Module)) throw new ArgumentTypeError('callable(): argument must be a Module');
  const f = (...args: unknown[]): unknown => (module.call as (...a: unknown[]) => unknown)(...args);
  return new Proxy(f, {
    get: (_t, k) => {
      const v = Reflect.get(module, k);
      return typeof v === 'function' && k !== 'constructor' ? v.bind(module) : v;
    },
    set: (_t, k, v) => Reflect.set(module, k, v),
    has: (_t, k) => Reflect.has(module, k),
    deleteProperty: (_t, k) => Reflect.deleteProperty(module, k),
    getPrototypeOf: () => Object.getPrototypeOf(module),
  }) as unknown as CallableModule<M>;
}
