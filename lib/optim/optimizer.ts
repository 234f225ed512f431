/**
 * The optimizer base class (PyTorch's `torch.optim.Optimizer`): parameter groups with their
 * options, per-parameter state, `zeroGrad`, `step` and state dicts in PyTorch's layout.
 * Subclasses describe one update rule; every update runs natively, one fused call per
 * parameter group (csrc/ops/optim.cpp), never as chains of small tensor ops.
 */
import { zeroGrads } from '../autograd/zero_grad';
import { Tensor } from '../tensor';
import { N, OptimHyper } from '../native';
import { ArgumentTypeError, ValueError } from '../errors';
import { enableGrad } from '../autograd/grad_mode';
import { untracked } from '../memory';
import { warn } from '../warnings';

/** One parameter group: its tensors and its options (all options filled from the defaults). */
export type ParamGroup<O extends object = Record<string, unknown>> = O & {
  params: Tensor[];
  lr: number;
  /** Set by learning-rate schedulers: the lr the schedule starts from. */
  initialLr?: number;
  [key: string]: unknown;
};

/** A parameter group as given to a constructor or `addParamGroup`: options may be left out. */
export type ParamGroupInput<O extends object = Record<string, unknown>> = Partial<O> & {
  params: Iterable<Tensor> | Tensor;
  [key: string]: unknown;
};

/** What an optimizer may be constructed from: tensors, or parameter groups. */
export type Params<O extends object = Record<string, unknown>> = Iterable<Tensor> | ParamGroupInput<O>[];

/** The state of one parameter: buffers (tensors) and counters such as `step`. */
export type ParamState = Record<string, Tensor | number>;

/**
 * PyTorch's optimizer state-dict layout: state keyed by the parameter's index in the order of
 * the groups, and each group's options with `params` replaced by those indices.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/** Options of `zeroGrad`. */
export interface ZeroGradOptions {
  /** Set grads to null (default) instead of zeroing them in place. */
  setToNone?: boolean;
}

/** Python's repr of a float in an error message (1 -> "1.0"). */
export function pyFloat(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function cloneValue(v: Tensor | number): Tensor | number {
  return v instanceof Tensor ? v.detach().clone() : v;
}

/**
 * Base class of the optimizers. `O` is the options type; `defaults` fills every option a
 * group leaves out. Parameters must be leaf tensors (or retain their grad); parameters whose
 * `.grad` is null are skipped by `step()`.
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  /** The options each group starts from. */
  readonly defaults: O & { lr: number };
  /** The parameter groups; mutable (schedulers change `lr`). */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created lazily by the first `step()` that sees a parameter's grad. */
  state = new Map<Tensor, ParamState>();

  constructor(params: Params<O>, defaults: O & { lr: number }) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new ArgumentTypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params.dtype} Tensor`,
      );
    }
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ArgumentTypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`);
    }
    const list = Array.from(params as Iterable<Tensor | ParamGroupInput<O>>);
    if (list.length === 0) throw new ValueError('optimizer got an empty parameter list');
    // As PyTorch: a list whose first item is not a group (a plain object) is one group of params.
    const first = list[0] as unknown;
    const isGroup = first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype;
    const groups: ParamGroupInput<O>[] = !isGroup ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group of parameters (with options overriding the defaults), e.g. when unfreezing layers. */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group === null || typeof group !== 'object' || group instanceof Tensor) {
      throw new ArgumentTypeError(`param_group must be a dict, but got ${typeName(group)}`);
    }
    let params: Tensor[];
    const given = group.params;
    if (given instanceof Tensor) params = [given];
    else if (given instanceof Set) {
      throw new ArgumentTypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.',
      );
    } else if (given !== null && given !== undefined && typeof (given as Iterable<Tensor>)[Symbol.iterator] === 'function') {
      params = Array.from(given as Iterable<Tensor>);
    } else {
      throw new ArgumentTypeError(`optimizer parameters must be an iterable of Tensors, but got ${typeName(given)}`);
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ArgumentTypeError(`optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`);
      if (!p.isLeaf && !p.retainsGrad) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const filled = { ...(this.defaults as object), ...(group as object), params } as ParamGroup<O>;
    if (new Set(params).size !== params.length) {
      warn(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
        'UserWarning',
      );
    }
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    if (params.some((p) => seen.has(p))) throw new ValueError('some parameters appear in more than one parameter group');
    this.paramGroups.push(filled);
  }

  /**
   * Resets the gradients of every parameter: to null (default, `setToNone`), or to zeros in
   * place (detached from any graph first).
   */
  zeroGrad({ setToNone = true }: ZeroGradOptions = {}): void {
    for (const group of this.paramGroups) zeroGrads(group.params, setToNone);
  }

  /**
   * Performs one update of every parameter that has a grad. `closure`, when given, re-evaluates
   * the model and returns the loss; it runs with grad mode enabled and its result is returned.
   */
  step<T = unknown>(closure?: () => T): T | undefined {
    let loss: T | undefined;
    if (closure !== undefined) loss = enableGrad(closure);
    for (const group of this.paramGroups) {
      const params: Tensor[] = [];
      const grads: number[] = [];
      const bufs: (number | null)[] = [];
      const steps: number[] = [];
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        let st = this.state.get(p);
        if (st === undefined) {
          const fresh = untracked(() => this.initState(p, group));
          st = fresh;
          this.state.set(p, fresh);
        }
        // advance() before buffers(): SGD tells a new momentum buffer from the absence of one.
        steps.push(this.advance(st, group));
        const slots = untracked(() => this.buffers(st!, p, group));
        params.push(p);
        grads.push(g._id);
        for (let s = 0; s < 3; ++s) bufs.push(slots[s] ? slots[s]!._id : null);
      }
      if (params.length === 0) continue;
      N.optimStep(this.hyper(group), params.map((p) => p._id), grads, bufs, steps);
    }
    return loss;
  }

  /** The state a parameter starts with (buffers may also be created later by `buffers`). */
  protected abstract initState(p: Tensor, group: ParamGroup<O>): ParamState;
  /** The three buffer slots of the native update for this parameter (core/optim_params.h). */
  protected abstract buffers(state: ParamState, p: Tensor, group: ParamGroup<O>): [Tensor | null, Tensor | null, Tensor | null];
  /** Advances the parameter's step counter and returns the count the native update uses (called before `buffers`). */
  protected abstract advance(state: ParamState, group: ParamGroup<O>): number;
  /** The group's options as the native update reads them. */
  protected abstract hyper(group: ParamGroup<O>): OptimHyper;

  /**
   * The optimizer's state in PyTorch's layout, with state tensors cloned: parameters are
   * numbered across the groups in order and each group lists the numbers of its parameters.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = Array.isArray(v) ? [...v] : v;
      packed.params = g.params.map((p) => {
        if (!index.has(p)) index.set(p, next++);
        return index.get(p)!;
      });
      return packed as Record<string, unknown> & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(st)) copy[k] = cloneValue(v);
      state[i] = copy;
    }
    return { state, paramGroups };
  }

  /**
   * Loads a state dict made by `stateDict()` of an optimizer over parameters of the same
   * shapes in the same group structure. Tensors are cloned and cast to each parameter's dtype.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.paramGroups;
    if (!Array.isArray(saved) || saved.length !== this.paramGroups.length) {
      throw new ValueError('loaded state dict has a different number of parameter groups');
    }
    for (let i = 0; i < saved.length; ++i) {
      if (saved[i].params.length !== this.paramGroups[i].params.length) {
        throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, j) => byIndex.set(id, this.paramGroups[i].params[j])));
    const state = new Map<Tensor, ParamState>();
    untracked(() => {
      for (const [key, st] of Object.entries(stateDict.state ?? {})) {
        const p = byIndex.get(Number(key));
        if (p === undefined) continue;
        const copy: ParamState = {};
        for (const [k, v] of Object.entries(st)) {
          if (v instanceof Tensor) {
            if (v.shape.length !== p.shape.length || v.shape.some((d, j) => d !== p.shape[j])) {
              throw new ValueError(`loaded state dict has a state '${k}' of shape [${v.shape.join(', ')}] for a parameter of shape [${p.shape.join(', ')}]`);
            }
            copy[k] = v.detach().to(p.dtype).clone();
          } else {
            copy[k] = v;
          }
        }
        state.set(p, copy);
      }
    });
    this.state = state;
    this.paramGroups = saved.map((g, i) => {
      const group: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') group[k] = Array.isArray(v) ? [...v] : v;
      group.params = this.paramGroups[i].params;
      return group as ParamGroup<O>;
    });
  }
}
