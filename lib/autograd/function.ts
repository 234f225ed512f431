/**
 * Custom autograd Functions (spec L): an operation whose forward and backward are written
 * by the user, PyTorch's `torch.autograd.Function`.
 *
 * ```ts
 * class Exp extends tg.autograd.Function {
 *   static forward(ctx: FunctionCtx, x: Tensor): Tensor {
 *     const y = x.exp();
 *     ctx.saveForBackward(y);
 *     return y;
 *   }
 *   static backward(ctx: FunctionCtx, g: Tensor): Tensor {
 *     const [y] = ctx.savedTensors;
 *     return g.mul(y!);
 *   }
 * }
 * const y = Exp.apply(x); // y.gradFn.name === 'ExpBackward'
 * ```
 *
 * `forward` runs without recording (noGrad). When grad mode is on and a tensor argument
 * requires grad, the outputs get one graph node, `<ClassName>Backward`, whose backward calls
 * the static `backward` with one gradient per output, in the engine's grad mode (on only
 * with `createGraph`, so a backward written with tensor ops can be differentiated again).
 * `backward` returns one value per forward argument: a gradient, or null (always null for
 * arguments that are not tensors). The node itself is native (csrc/binding/custom_function.cpp,
 * Note [Custom Function nodes]).
 *
 * Store tensors needed by backward with `ctx.saveForBackward`, not as ctx properties: saved
 * tensors are version-checked and freed after backward, while a ctx property holding an
 * output keeps the whole graph alive (the node owns ctx, the output owns the node), and a
 * tensor created inside a `tidy` scope and kept as a ctx property is disposed at the end of
 * the scope, before backward can use it.
 */
import { ArgumentTypeError, NotImplementedError, RuntimeError } from '../errors';
import { N } from '../native';
import { Tensor } from '../tensor';
import { warn } from '../warnings';

const LEGACY_ERROR =
  'Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd function ' +
  'with static forward method. (Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)';

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** What a ctx carries between forward, the native node and backward (kept off the ctx object). */
interface CtxState {
  toSave: (Tensor | null)[];
  dirty: Tensor[];
  nonDifferentiable: Tensor[];
  materializeGrads: boolean;
  /** The node's saved tensors, once the node exists (a weak native reference). */
  handle: object | null;
}

const states = new WeakMap<FunctionCtx, CtxState>();

function stateOf(ctx: FunctionCtx): CtxState {
  const s = states.get(ctx);
  if (!s) throw new RuntimeError('invalid autograd Function context');
  return s;
}

function checkTensors(what: string, tensors: unknown[]): Tensor[] {
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ArgumentTypeError(`${what}(): argument ${i} must be a Tensor, not ${typeName(t)}`);
    }
  });
  return tensors as Tensor[];
}

/**
 * The context of one call of a custom Function, passed to its `forward` and `backward`. Any
 * other property may be set on it in forward and read in backward (numbers, options).
 */
export class FunctionCtx {
  /**
   * One flag per forward argument: true for tensors that require grad. The same in forward
   * and backward; backward may skip the gradients of arguments flagged false.
   */
  needsInputGrad: boolean[] = [];
  // Arbitrary user properties (ctx.k = 2).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;

  constructor() {
    states.set(this, { toSave: [], dirty: [], nonDifferentiable: [], materializeGrads: true, handle: null });
  }

  /**
   * Saves tensors (or null) for backward, where `savedTensors` returns them. Call it at most
   * once, in forward. A saved tensor modified in place before backward makes backward fail
   * with the version-counter error, as in PyTorch.
   */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    tensors.forEach((t, i) => {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new ArgumentTypeError(
          `save_for_backward can only save variables, but argument ${i} is of type ${typeName(t)}`,
        );
      }
    });
    stateOf(this).toSave = tensors.map((t) => t ?? null);
  }

  /**
   * The tensors given to `saveForBackward`, checked against in-place modification. Empty in
   * forward, and when no graph was recorded. After a backward that freed the graph (no
   * `retainGraph`), reading it throws "Trying to backward through the graph a second time".
   */
  get savedTensors(): (Tensor | null)[] {
    const h = stateOf(this).handle;
    return h ? (N.functionSavedTensors(h) as (Tensor | null)[]) : [];
  }

  /**
   * Declares inputs that forward modified in place. They must be returned as outputs; each
   * returned tensor is the same object, now produced by this Function's node.
   */
  markDirty(...tensors: Tensor[]): void {
    stateOf(this).dirty = checkTensors('markDirty', tensors);
  }

  /**
   * Declares outputs that are not differentiable (e.g. indices). They do not require grad;
   * backward still receives a gradient for each, filled with zeros.
   */
  markNonDifferentiable(...tensors: Tensor[]): void {
    stateOf(this).nonDifferentiable = checkTensors('markNonDifferentiable', tensors);
  }

  /**
   * Whether outputs that received no gradient get zeros in backward (the default) or null.
   */
  setMaterializeGrads(value: boolean): void {
    stateOf(this).materializeGrads = !!value;
  }
}

const ONCE = Symbol.for('tensorgrad.autograd.onceDifferentiable');

/**
 * Marks a backward function as once-differentiable (PyTorch's `@once_differentiable`): it
 * runs without recording, and differentiating its result again (createGraph) fails with
 * "trying to differentiate twice a function that was marked with @once_differentiable"
 * instead of giving wrong higher-order gradients. Equivalent to
 * `static onceDifferentiable = true` on the class.
 */
export function onceDifferentiable<F extends (...args: never[]) => unknown>(backward: F): F {
  (backward as unknown as Record<symbol, boolean>)[ONCE] = true;
  return backward;
}

/** The static side of a custom Function class. */
export interface FunctionClass {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(ctx: FunctionCtx, ...args: any[]): any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  backward(ctx: FunctionCtx, ...gradOutputs: any[]): any;
  onceDifferentiable?: boolean;
}

/** The arguments of a Function's `apply`: its forward's parameters after ctx. */
export type ForwardArgs<F> = F extends { forward(ctx: FunctionCtx, ...args: infer A): unknown } ? A : never;
/** What a Function's `apply` returns: what its forward returns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ForwardResult<F> = F extends { forward(...args: any[]): infer R } ? R : never;

function rejectPromise(what: string, r: unknown): void {
  if (r instanceof Promise) {
    throw new TypeError(`${what} returned a Promise; custom autograd Functions must be synchronous`);
  }
}

/**
 * Base class of custom autograd Functions: subclass it with static `forward(ctx, ...args)`
 * and `backward(ctx, ...gradOutputs)` (and optionally `static onceDifferentiable = true`),
 * and call `apply(...args)` on the subclass. See the module comment for the rules.
 */
export class Function {
  // forward, backward and onceDifferentiable are not declared here: a subclass defines them
  // (so no `override` is needed under noImplicitOverride), and `apply` requires them by type.

  /** Runs the Function on `args`, recording its node when an argument requires grad. */
  static apply<F extends FunctionClass>(this: F, ...args: ForwardArgs<F>): ForwardResult<F> {
    return applyFunction(this, args as unknown[]) as ForwardResult<F>;
  }

  /**
   * Functions are not instantiated (their methods are static). As in PyTorch, `new` warns
   * and gives an object whose call throws the legacy-Function error.
   */
  constructor() {
    warn(
      `${new.target.name} should not be instantiated. Methods on autograd functions are all static, so you should ` +
        'invoke them on the class itself. Instantiating an autograd function will raise an error in a future ' +
        'version of tensorgrad.',
      'DeprecationWarning',
    );
    const legacy = function legacyAutogradFunction(): never {
      throw new RuntimeError(LEGACY_ERROR);
    };
    Object.setPrototypeOf(legacy, new.target.prototype);
    // eslint-disable-next-line no-constructor-return
    return legacy as unknown as Function;
  }
}

/** A custom Function made by `defineFunction`. */
export interface DefinedFunction<A extends unknown[], R> {
  readonly name: string;
  apply(...args: A): R;
}

/** The definition given to `defineFunction`. */
export interface FunctionDefinition<A extends unknown[], R> {
  /** The node is named `<name>Backward`; default `Function`. */
  name?: string;
  forward(ctx: FunctionCtx, ...args: A): R;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  backward(ctx: FunctionCtx, ...gradOutputs: any[]): any;
  onceDifferentiable?: boolean;
}

/**
 * A custom Function from plain functions, without a class:
 * `const Square = defineFunction({ name: 'Square', forward(ctx, x) {...}, backward(ctx, g) {...} })`,
 * then `Square.apply(x)`.
 */
export function defineFunction<A extends unknown[], R>(def: FunctionDefinition<A, R>): DefinedFunction<A, R> {
  if (typeof def?.forward !== 'function' || typeof def.backward !== 'function') {
    throw new ArgumentTypeError('defineFunction(): forward and backward must be functions');
  }
  const Defined = class extends Function {};
  Object.defineProperty(Defined, 'name', { value: def.name ?? 'Function' });
  // A class property rather than a closure over `def`, so the definition can be inspected.
  Object.assign(Defined, {
    forward: def.forward,
    backward: def.backward,
    onceDifferentiable: !!def.onceDifferentiable,
  });
  return Defined as unknown as DefinedFunction<A, R>;
}

/**
 * The backward runner of one call: called by the node with one gradient per tensor output,
 * returns one per tensor input. The node owns it for as long as the graph lives, so it must
 * not reach the call's arguments or outputs: an output's wrapper -> its TensorImpl -> the
 * node -> the runner -> the wrapper would be a cycle through native memory that V8 never
 * collects. Hence a function of its own: closures made in one scope share that scope's
 * variables in V8, so a runner made inside applyFunction would keep `outs` alive.
 */
function makeRunner(
  cls: FunctionClass,
  ctx: FunctionCtx,
  nodeName: string,
  isTensorArg: boolean[],
  tensorOutputs: number[],
  numOutputs: number,
): (grads: (object | null)[]) => (Tensor | null)[] {
  const numArgs = isTensorArg.length;
  return (grads: (object | null)[]): (Tensor | null)[] => {
    const gradOutputs: (Tensor | null)[] = new Array(numOutputs).fill(null);
    tensorOutputs.forEach((oi, k) => (gradOutputs[oi] = grads[k] as Tensor | null));
    const r = cls.backward(ctx, ...gradOutputs);
    rejectPromise(`${cls.name}.backward`, r);
    let list: unknown[] = Array.isArray(r) ? r : [r];
    // Extra trailing nulls are allowed, as in PyTorch.
    if (list.length > numArgs && list.slice(numArgs).every((g) => g === null || g === undefined)) {
      list = list.slice(0, numArgs);
    }
    if (list.length !== numArgs) {
      throw new RuntimeError(
        `function ${nodeName} returned an incorrect number of gradients (expected ${numArgs}, got ${list.length})`,
      );
    }
    const res: (Tensor | null)[] = [];
    list.forEach((g, i) => {
      const none = g === null || g === undefined;
      if (isTensorArg[i]) {
        if (!none && !(g instanceof Tensor)) throw new ArgumentTypeError(`expected Tensor or null (got ${typeName(g)})`);
        res.push(none ? null : (g as Tensor));
      } else if (!none) {
        throw new RuntimeError(
          `function ${nodeName} returned a gradient different than null at position ${i + 1}, but the ` +
            'corresponding forward input was not a Variable',
        );
      }
    });
    return res;
  };
}

/** Function.apply (Note [Custom Function nodes] in csrc/binding/custom_function.cpp). */
function applyFunction(cls: FunctionClass, args: unknown[]): unknown {
  if (typeof cls.forward !== 'function') {
    throw new NotImplementedError('You must implement the forward function for custom autograd.Function.');
  }
  if (typeof cls.backward !== 'function') {
    throw new NotImplementedError(
      'You must implement either the backward or vjp method for your custom autograd.Function to use it with ' +
        'backward mode AD.',
    );
  }
  const ctx = new FunctionCtx();
  const st = stateOf(ctx);
  ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
  // L2: a node is recorded only in grad mode and when a tensor argument requires grad.
  const record = N.isGradEnabled() && ctx.needsInputGrad.some((b) => b);

  const prev = N.isGradEnabled();
  N.setGradEnabled(false);
  let raw: unknown;
  try {
    raw = cls.forward(ctx, ...args);
    rejectPromise(`${cls.name}.forward`, raw);
  } finally {
    N.setGradEnabled(prev);
  }
  const tuple = Array.isArray(raw);
  const outs: unknown[] = tuple ? [...(raw as unknown[])] : [raw];

  if (!record) {
    st.toSave = [];
    // An input returned as-is must not carry its grad requirement out of an unrecorded call.
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i];
      if (o instanceof Tensor && args.includes(o) && o.requiresGrad) outs[i] = o.detach();
    }
    return tuple ? outs : outs[0];
  }

  for (const d of st.dirty) {
    if (!args.includes(d)) {
      warn(
        'Only input Tensors should be given to ctx.markDirty(). If a Tensor is not an input, there is no need to ' +
          'pass it to markDirty().',
      );
    }
  }
  const nodeName = `${cls.name || 'Function'}Backward`;
  const isTensorArg = args.map((a) => a instanceof Tensor);
  const tensorOutputs: number[] = [];
  outs.forEach((o, i) => {
    if (o instanceof Tensor) tensorOutputs.push(i);
  });
  const once = !!cls.onceDifferentiable || !!(cls.backward as unknown as Record<symbol, boolean>)[ONCE];

  const runner = makeRunner(cls, ctx, nodeName, isTensorArg, tensorOutputs, outs.length);

  const ids = (ts: Tensor[]): number[] => ts.map((t) => t._id);
  const [results, handle] = N.functionApply(
    nodeName,
    runner,
    ids(args.filter((a): a is Tensor => a instanceof Tensor)),
    tensorOutputs.map((i) => (outs[i] as Tensor)._id),
    ids(st.dirty),
    ids(st.nonDifferentiable),
    st.toSave.map((t) => (t ? t._id : null)),
    st.materializeGrads,
    once,
  );
  st.handle = handle;
  // The node holds these now; ctx (owned by the node) must not keep their wrappers alive.
  st.toSave = [];
  st.dirty = [];
  st.nonDifferentiable = [];
  tensorOutputs.forEach((oi, k) => (outs[oi] = results[k]));
  return tuple ? outs : outs[0];
}
