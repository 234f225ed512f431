/**
 * `autograd.functional` (spec O): Jacobians, Hessians and vector products of a whole
 * function, after PyTorch's `torch.autograd.functional`.
 *
 * Conventions, as in PyTorch:
 * - `func` is called as `func(...inputs)` and returns a Tensor or an array of Tensors.
 * - A single Tensor for `inputs` (or as the function's output) gives plain Tensors in the
 *   result; an array gives arrays: `jacobian` of an array-returning function w.r.t. an
 *   array of inputs is `J[iOut][jIn]`, of shape `out.shape + in.shape`.
 * - The inputs are detached and made to require grad internally, so the caller's tensors
 *   need not require grad and never receive `.grad`. Results are detached unless
 *   `createGraph: true`, in which case they are differentiable w.r.t. inputs that
 *   required grad.
 * - An output that does not depend on an input gives zeros, or an error with `strict: true`.
 * - `jvp` and `hvp` use the double-backward trick (no forward-mode AD needed), so `func`
 *   must be built from ops that support double backward.
 */
import { zeros } from '../creation';
import { ArgumentTypeError, RuntimeError } from '../errors';
import { Tensor } from '../tensor';
import { enableGrad, noGrad } from './grad_mode';
import { grad } from './index';

/** What `func` may return: one Tensor or an array of Tensors. */
export type FunctionalOutput = Tensor | readonly Tensor[];

/** Options shared by `vjp`, `jvp`, `hvp` and `vhp`. */
export interface FunctionalOptions {
  /** Record the computation, so the results can be differentiated again. Default false. */
  createGraph?: boolean;
  /**
   * Throw instead of returning zeros when an output does not depend on an input (or does
   * not require grad at all). Default false.
   */
  strict?: boolean;
}

/** Options of `jacobian` and `hessian`. */
export interface JacobianOptions extends FunctionalOptions {
  /**
   * PyTorch computes the rows of the Jacobian in one batched backward pass when set. Our
   * engine has no batched gradients, so the rows are always computed one backward pass at a
   * time; the flag is accepted for compatibility and gives the same result (it only rejects
   * `strict: true`, as PyTorch does).
   */
  vectorize?: boolean;
}

// ------------------------------------------------------------------ helpers (PyTorch's)

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** `[isTuple, tensors]`: an array is a tuple; anything else must be one Tensor. */
function asTuple(inp: unknown, argName: string, fnName: string): [boolean, Tensor[]] {
  const isTuple = Array.isArray(inp);
  const list: unknown[] = isTuple ? (inp as unknown[]) : [inp];
  list.forEach((el, i) => {
    if (!(el instanceof Tensor)) {
      throw new ArgumentTypeError(
        isTuple
          ? `The ${argName} given to ${fnName} must be either a Tensor or an array of Tensors but the value at index ${i} has type ${typeName(el)}.`
          : `The ${argName} given to ${fnName} must be either a Tensor or an array of Tensors but the given ${argName} has type ${typeName(el)}.`,
      );
    }
  });
  return [isTuple, list as Tensor[]];
}

/**
 * Fresh tensors for the computation: with createGraph, inputs that require grad stay in the
 * caller's graph (through a view); everything else is detached and requires grad when
 * `needGraph`.
 */
function gradPreprocess(inputs: Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((inp) => {
    if (createGraph && inp.requiresGrad) return inp.view(inp.shape);
    const d = inp.detach();
    return needGraph ? d.requiresGrad_(true) : d;
  });
}

function gradPostprocess(xs: Tensor[], createGraph: boolean): Tensor[] {
  return createGraph ? xs : xs.map((x) => x.detach());
}

function checkRequiresGrad(
  xs: (Tensor | null)[],
  kind: 'outputs' | 'grad_inputs' | 'jacobian' | 'hessian',
  strict: boolean,
): void {
  if (!strict) return;
  xs.forEach((x, i) => {
    if (x === null) {
      throw new RuntimeError(
        `The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`,
      );
    }
    if (x.requiresGrad) return;
    switch (kind) {
      case 'hessian':
        throw new RuntimeError(
          `The hessian of the user-provided function with respect to input ${i} is independent of the input. ` +
            'This is not allowed in strict mode. You should ensure that your function is thrice differentiable ' +
            'and that the hessian depends on the inputs.',
        );
      case 'jacobian':
        throw new RuntimeError(
          `While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} ` +
            'is independent of the input. This is not allowed in strict mode. You should ensure that your function is ' +
            'twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear ' +
            'function for example).',
        );
      case 'grad_inputs':
        throw new RuntimeError(
          `The gradient with respect to input ${i} is independent of the inputs of the user-provided function. ` +
            'This is not allowed in strict mode.',
        );
      default:
        throw new RuntimeError(
          `Output ${i} of the user-provided function does not require gradients. The outputs must be computed in ` +
            'a differentiable manner from the input when running in strict mode.',
        );
    }
  });
}

function validateV(v: Tensor[], other: Tensor[], isOtherTuple: boolean): void {
  if (v.length !== other.length) {
    throw new RuntimeError(
      isOtherTuple
        ? `v is an array of invalid length: should be ${other.length} but got ${v.length}.`
        : 'The given v should contain a single Tensor.',
    );
  }
  v.forEach((el, i) => {
    const a = el.shape;
    const b = other[i].shape;
    if (a.length !== b.length || a.some((s, d) => s !== b[d])) {
      const prefix = isOtherTuple ? `Entry ${i} in ` : '';
      throw new RuntimeError(`${prefix}v has invalid size: should be [${b.join(', ')}] but got [${a.join(', ')}].`);
    }
  });
}

/**
 * `autograd.grad` over the outputs that require grad (their `gradOutputs` paired), with
 * unused inputs as null; all null when no output requires grad.
 */
function autogradGrad(
  outputs: (Tensor | null)[],
  inputs: Tensor[],
  gradOutputs: (Tensor | null)[] | null,
  createGraph: boolean,
  retainGraph?: boolean,
): (Tensor | null)[] {
  const outs: Tensor[] = [];
  const gouts: (Tensor | null)[] = [];
  outputs.forEach((o, i) => {
    if (o !== null && o.requiresGrad) {
      outs.push(o);
      gouts.push(gradOutputs ? gradOutputs[i] : null);
    }
  });
  if (outs.length === 0) return inputs.map(() => null);
  return grad(outs, inputs, { gradOutputs: gouts, allowUnused: true, createGraph, retainGraph });
}

type Stage = 'back' | 'back_trick' | 'double_back' | 'double_back_trick';

/** Replaces null gradients by zeros shaped like `refs` (or throws in strict mode). */
function fillInZeros(grads: (Tensor | null)[], refs: Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) {
        switch (stage) {
          case 'back':
            throw new RuntimeError(
              `The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`,
            );
          case 'back_trick':
            throw new RuntimeError(
              `The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the ` +
                'double backward trick to compute forward mode gradients. This is not allowed in strict mode.',
            );
          case 'double_back':
            throw new RuntimeError(
              `The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`,
            );
          default:
            throw new RuntimeError(
              `The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not ` +
                'allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.',
            );
        }
      }
      return zerosOf(refs[i]);
    }
    if (strict && createGraph && !g.requiresGrad) {
      throw new RuntimeError(
        stage.includes('double')
          ? `The hessian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when createGraph=true.`
          : `The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when createGraph=true.`,
      );
    }
    return g;
  });
}

/** Zeros with `ref`'s shape and dtype, outside the graph. */
function zerosOf(ref: Tensor): Tensor {
  return zeros(ref.shape, { dtype: ref.dtype });
}

/** Zeros like `ref` that require grad (the dummy grad_outputs of the double-backward trick). */
function zerosRequiringGrad(ref: Tensor): Tensor {
  return zerosOf(ref).requiresGrad_(true);
}

function callFunc(func: (...xs: Tensor[]) => unknown, inputs: Tensor[], fnName: string): [boolean, Tensor[]] {
  const out = func(...inputs);
  return asTuple(out, 'outputs of the user-provided function', fnName);
}

function noneV(what: 'output' | 'input'): RuntimeError {
  return new RuntimeError(
    what === 'output'
      ? 'The vector v can only be null if the user-provided function returns a single Tensor with a single element.'
      : 'The vector v can only be null if the input to the user-provided function is a single Tensor with a single element.',
  );
}

// ------------------------------------------------------------------ jacobian

/**
 * The Jacobian of `func` at `inputs` (PyTorch's `torch.autograd.functional.jacobian`).
 *
 * The block for output `i` and input `j` has shape `outputs[i].shape + inputs[j].shape`;
 * it is a plain Tensor when both `func`'s output and `inputs` are single Tensors, an array
 * over the side that is an array, and `J[i][j]` when both are. Computed row by row, one
 * backward pass per output element.
 *
 * @example
 * jacobian((x) => x.pow(2), tensor([1, 2, 3]))       // diag(2, 4, 6)
 * jacobian((a, b) => [a.mul(b), a.add(b)], [a, b])   // [[diag(b), diag(a)], [eye, eye]]
 */
export function jacobian(func: (...inputs: Tensor[]) => Tensor, inputs: Tensor, opts?: JacobianOptions): Tensor;
export function jacobian(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts?: JacobianOptions): Tensor[];
export function jacobian(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: Tensor, opts?: JacobianOptions): Tensor[];
export function jacobian(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: readonly Tensor[], opts?: JacobianOptions): Tensor[][];
export function jacobian(
  func: (...inputs: Tensor[]) => FunctionalOutput,
  inputs: Tensor | readonly Tensor[],
  opts?: JacobianOptions,
): Tensor | Tensor[] | Tensor[][];
export function jacobian(
  func: (...inputs: Tensor[]) => FunctionalOutput,
  inputs: Tensor | readonly Tensor[],
  opts: JacobianOptions = {},
): Tensor | Tensor[] | Tensor[][] {
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  if (opts.vectorize && strict) {
    throw new RuntimeError(
      'autograd.functional.jacobian: `strict: true` and `vectorize: true` are not supported together. ' +
        'Please either set `strict: false` or `vectorize: false`.',
    );
  }
  return enableGrad(() => {
    const [isInputsTuple, rawInputs] = asTuple(inputs, 'inputs', 'jacobian');
    const ins = gradPreprocess(rawInputs, createGraph, true);
    const [isOutputsTuple, outputs] = callFunc(func, ins, 'jacobian');
    checkRequiresGrad(outputs, 'outputs', strict);

    const jac: Tensor[][] = outputs.map((out, i) => {
      const m = out.numel();
      const rows: Tensor[][] = ins.map(() => []);
      const flatOut = out.requiresGrad ? out.reshape([m]) : out;
      for (let r = 0; r < m; r++) {
        const vj = out.requiresGrad
          ? grad([flatOut.index(r)], ins, { retainGraph: true, createGraph, allowUnused: true })
          : ins.map(() => null);
        vj.forEach((g, j) => {
          if (g !== null) {
            if (strict && createGraph && !g.requiresGrad) {
              throw new RuntimeError(
                `The jacobian of the user-provided function is independent of input ${j}. This is not allowed in strict mode when createGraph=true.`,
              );
            }
            rows[j].push(g);
          } else {
            if (strict) {
              throw new RuntimeError(
                `Output ${i} of the user-provided function is independent of input ${j}. This is not allowed in strict mode.`,
              );
            }
            rows[j].push(zerosOf(ins[j]));
          }
        });
      }
      return rows.map((rs, j) => stackRows(rs, out.shape, ins[j]));
    });
    const res = jac.map((row) => gradPostprocess(row, createGraph));
    return tuplePostprocess2(res, isOutputsTuple, isInputsTuple);
  });
}

/**
 * `rows` (one per output element, each shaped like `inp`) stacked into a tensor of shape
 * `outShape + inp.shape`. Differentiable (through in-place writes into a zeros tensor),
 * since there is no stack op.
 */
function stackRows(rows: Tensor[], outShape: number[], inp: Tensor): Tensor {
  const shape = [...outShape, ...inp.shape];
  if (rows.length === 1) return rows[0].reshape(shape);
  const build = (): Tensor => {
    const dtype = rows.length > 0 ? rows[0].dtype : inp.dtype;
    const res = zeros([rows.length, ...inp.shape], { dtype });
    rows.forEach((r, k) => res.indexPut_(k, r));
    return res.reshape(shape);
  };
  return rows.some((r) => r.requiresGrad) ? build() : noGrad(build);
}

function tuplePostprocess2(res: Tensor[][], isOutTuple: boolean, isInTuple: boolean): Tensor | Tensor[] | Tensor[][] {
  const inner: (Tensor | Tensor[])[] = isInTuple ? res : res.map((r) => r[0]);
  return isOutTuple ? (inner as Tensor[] | Tensor[][]) : inner[0];
}

// ------------------------------------------------------------------ hessian

/**
 * The Hessian of a scalar function (PyTorch's `torch.autograd.functional.hessian`): the
 * Jacobian of its gradient. `func` must return a one-element Tensor. With one input the
 * result has shape `in.shape + in.shape`; with an array of inputs it is `H[i][j]` of shape
 * `inputs[i].shape + inputs[j].shape`.
 *
 * @example
 * hessian((x) => x.pow(3).sum(), tensor([1, 2]))     // diag(6, 12)
 */
export function hessian(func: (...inputs: Tensor[]) => Tensor, inputs: Tensor, opts?: JacobianOptions): Tensor;
export function hessian(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts?: JacobianOptions): Tensor[][];
export function hessian(
  func: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor | readonly Tensor[],
  opts?: JacobianOptions,
): Tensor | Tensor[][];
export function hessian(
  func: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor | readonly Tensor[],
  opts: JacobianOptions = {},
): Tensor | Tensor[][] {
  const strict = !!opts.strict;
  const [isInputsTuple, ins] = asTuple(inputs, 'inputs', 'hessian');

  const ensureSingleOutput = (...inp: Tensor[]): Tensor => {
    const out = func(...inp) as unknown;
    const [isOutTuple, tOut] = asTuple(out, 'outputs of the user-provided function', 'hessian');
    checkRequiresGrad(tOut, 'outputs', strict);
    if (isOutTuple) throw new RuntimeError('The function given to hessian should return a single Tensor');
    if (tOut[0].numel() !== 1) {
      throw new RuntimeError('The Tensor returned by the function given to hessian should contain a single element');
    }
    return tOut[0].reshape([]);
  };
  const jacFunc = (...inp: Tensor[]): Tensor[] => {
    const jac = jacobian(ensureSingleOutput, inp, { createGraph: true });
    checkRequiresGrad(jac, 'jacobian', strict);
    return jac;
  };
  const res = jacobian(jacFunc, ins, { createGraph: opts.createGraph, strict, vectorize: opts.vectorize });
  return tuplePostprocess2(res, isInputsTuple, isInputsTuple) as Tensor | Tensor[][];
}

// ------------------------------------------------------------------ vjp / jvp / hvp / vhp

/**
 * Vector-Jacobian product (PyTorch's `torch.autograd.functional.vjp`): returns
 * `[func(inputs), vᵀ·J]`. `v` has the output's shape (an array for several outputs) and may
 * be omitted only when `func` returns a single one-element Tensor. The product has the
 * inputs' shapes (an array for an array of inputs).
 *
 * @example
 * vjp((x) => x.pow(2), tensor([1, 2, 3]), ones(3))   // [[1, 4, 9], [2, 4, 6]]
 */
export function vjp(func: (...inputs: Tensor[]) => Tensor, inputs: Tensor, v?: Tensor | null, opts?: FunctionalOptions): [Tensor, Tensor];
export function vjp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v?: Tensor | null, opts?: FunctionalOptions): [Tensor, Tensor[]];
export function vjp(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: Tensor, v?: readonly Tensor[] | null, opts?: FunctionalOptions): [Tensor[], Tensor];
export function vjp(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: readonly Tensor[], v?: readonly Tensor[] | null, opts?: FunctionalOptions): [Tensor[], Tensor[]];
export function vjp(
  func: (...inputs: Tensor[]) => FunctionalOutput,
  inputs: Tensor | readonly Tensor[],
  v?: Tensor | readonly Tensor[] | null,
  opts?: FunctionalOptions,
): [Tensor | Tensor[], Tensor | Tensor[]];
export function vjp(
  func: (...inputs: Tensor[]) => FunctionalOutput,
  inputs: Tensor | readonly Tensor[],
  v?: Tensor | readonly Tensor[] | null,
  opts: FunctionalOptions = {},
): [Tensor | Tensor[], Tensor | Tensor[]] {
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  return enableGrad(() => {
    const [isInputsTuple, rawInputs] = asTuple(inputs, 'inputs', 'vjp');
    const ins = gradPreprocess(rawInputs, createGraph, true);
    const [isOutputsTuple, outputs] = callFunc(func, ins, 'vjp');
    checkRequiresGrad(outputs, 'outputs', strict);
    let vs: Tensor[] | null = null;
    if (v !== undefined && v !== null) {
      vs = gradPreprocess(asTuple(v, 'v', 'vjp')[1], createGraph, false);
      validateV(vs, outputs, isOutputsTuple);
    } else if (outputs.length !== 1 || outputs[0].numel() !== 1) {
      throw noneV('output');
    }
    const g = autogradGrad(outputs, ins, vs, createGraph);
    const res = fillInZeros(g, ins, strict, createGraph, 'back');
    const outs = gradPostprocess(outputs, createGraph);
    const prods = gradPostprocess(res, createGraph);
    return [isOutputsTuple ? outs : outs[0], isInputsTuple ? prods : prods[0]];
  });
}

/**
 * Jacobian-vector product (PyTorch's `torch.autograd.functional.jvp`): returns
 * `[func(inputs), J·v]`, computed with the double-backward trick (the VJP is linear in its
 * grad_outputs, so differentiating it w.r.t. them gives J·v). `v` has the inputs' shapes
 * and may be omitted only for a single one-element input. The product has the outputs'
 * shapes.
 *
 * @example
 * jvp((x) => x.pow(2), tensor([1, 2, 3]), tensor([1, 0, 1]))  // [[1, 4, 9], [2, 0, 6]]
 */
export function jvp(func: (...inputs: Tensor[]) => Tensor, inputs: Tensor, v?: Tensor | null, opts?: FunctionalOptions): [Tensor, Tensor];
export function jvp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v?: readonly Tensor[] | null, opts?: FunctionalOptions): [Tensor, Tensor];
export function jvp(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: Tensor, v?: Tensor | null, opts?: FunctionalOptions): [Tensor[], Tensor[]];
export function jvp(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: readonly Tensor[], v?: readonly Tensor[] | null, opts?: FunctionalOptions): [Tensor[], Tensor[]];
export function jvp(
  func: (...inputs: Tensor[]) => FunctionalOutput,
  inputs: Tensor | readonly Tensor[],
  v?: Tensor | readonly Tensor[] | null,
  opts?: FunctionalOptions,
): [Tensor | Tensor[], Tensor | Tensor[]];
export function jvp(
  func: (...inputs: Tensor[]) => FunctionalOutput,
  inputs: Tensor | readonly Tensor[],
  v?: Tensor | readonly Tensor[] | null,
  opts: FunctionalOptions = {},
): [Tensor | Tensor[], Tensor | Tensor[]] {
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  return enableGrad(() => {
    const [isInputsTuple, rawInputs] = asTuple(inputs, 'inputs', 'jvp');
    const ins = gradPreprocess(rawInputs, createGraph, true);
    let vs: Tensor[] | null = null;
    if (v !== undefined && v !== null) {
      vs = gradPreprocess(asTuple(v, 'v', 'jvp')[1], createGraph, false);
      validateV(vs, ins, isInputsTuple);
    } else if (ins.length !== 1 || ins[0].numel() !== 1) {
      throw noneV('input');
    }
    const [isOutputsTuple, outputs] = callFunc(func, ins, 'jvp');
    checkRequiresGrad(outputs, 'outputs', strict);
    // The backward is linear in grad_outputs, so their value does not matter (zeros: no NaN).
    const gradOutputs = outputs.map(zerosRequiringGrad);
    const gradInputs = autogradGrad(outputs, ins, gradOutputs, true);
    checkRequiresGrad(gradInputs, 'grad_inputs', strict);
    const g = autogradGrad(gradInputs, gradOutputs, vs, createGraph);
    const res = fillInZeros(g, outputs, strict, createGraph, 'back_trick');
    const outs = gradPostprocess(outputs, createGraph);
    const prods = gradPostprocess(res, createGraph);
    return [isOutputsTuple ? outs : outs[0], isOutputsTuple ? prods : prods[0]];
  });
}

function scalarFunctionOutputs(func: (...xs: Tensor[]) => unknown, ins: Tensor[], name: string, strict: boolean): Tensor {
  const [isOutputsTuple, outputs] = callFunc(func, ins, name);
  checkRequiresGrad(outputs, 'outputs', strict);
  if (isOutputsTuple) throw new RuntimeError(`The function given to ${name} should return a single Tensor`);
  if (outputs[0].numel() !== 1) {
    throw new RuntimeError(`The Tensor returned by the function given to ${name} should contain a single element`);
  }
  return outputs[0];
}

/**
 * Vector-Hessian product of a scalar function (PyTorch's
 * `torch.autograd.functional.vhp`): returns `[func(inputs), vᵀ·H]`. `v` has the inputs'
 * shapes and may be omitted only for a single one-element input.
 *
 * @example
 * vhp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1]))   // [9, [6, 12]]
 */
export function vhp(func: (...inputs: Tensor[]) => Tensor, inputs: Tensor, v?: Tensor | null, opts?: FunctionalOptions): [Tensor, Tensor];
export function vhp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v?: readonly Tensor[] | null, opts?: FunctionalOptions): [Tensor, Tensor[]];
export function vhp(
  func: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor | readonly Tensor[],
  v?: Tensor | readonly Tensor[] | null,
  opts: FunctionalOptions = {},
): [Tensor, Tensor | Tensor[]] {
  return hessianProduct('vhp', func, inputs, v, opts);
}

/**
 * Hessian-vector product of a scalar function (PyTorch's
 * `torch.autograd.functional.hvp`): returns `[func(inputs), H·v]`, by the double-backward
 * trick. Equal to `vhp` for functions with a symmetric Hessian (twice continuously
 * differentiable ones); `vhp` is cheaper.
 *
 * @example
 * hvp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1]))   // [9, [6, 12]]
 */
export function hvp(func: (...inputs: Tensor[]) => Tensor, inputs: Tensor, v?: Tensor | null, opts?: FunctionalOptions): [Tensor, Tensor];
export function hvp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v?: readonly Tensor[] | null, opts?: FunctionalOptions): [Tensor, Tensor[]];
export function hvp(
  func: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor | readonly Tensor[],
  v?: Tensor | readonly Tensor[] | null,
  opts: FunctionalOptions = {},
): [Tensor, Tensor | Tensor[]] {
  return hessianProduct('hvp', func, inputs, v, opts);
}

function hessianProduct(
  name: 'hvp' | 'vhp',
  func: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor | readonly Tensor[],
  v: Tensor | readonly Tensor[] | null | undefined,
  opts: FunctionalOptions,
): [Tensor, Tensor | Tensor[]] {
  const createGraph = !!opts.createGraph;
  const strict = !!opts.strict;
  return enableGrad(() => {
    const [isInputsTuple, rawInputs] = asTuple(inputs, 'inputs', name);
    const ins = gradPreprocess(rawInputs, createGraph, true);
    let vs: Tensor[] | null = null;
    if (v !== undefined && v !== null) {
      vs = gradPreprocess(asTuple(v, 'v', name)[1], createGraph, false);
      validateV(vs, ins, isInputsTuple);
    } else if (ins.length !== 1 || ins[0].numel() !== 1) {
      throw noneV('input');
    }
    const output = scalarFunctionOutputs(func, ins, name, strict);
    const jac = autogradGrad([output], ins, null, true);
    checkRequiresGrad(jac, 'jacobian', strict);
    let res: Tensor[];
    if (name === 'vhp') {
      const g = autogradGrad(jac, ins, vs, createGraph);
      res = fillInZeros(g, ins, strict, createGraph, 'double_back');
    } else {
      const gradJac = ins.map(zerosRequiringGrad);
      const doubleBack = autogradGrad(jac, ins, gradJac, true);
      checkRequiresGrad(jac, 'hessian', strict);
      const g = autogradGrad(doubleBack, gradJac, vs, createGraph);
      res = fillInZeros(g, ins, strict, createGraph, 'double_back_trick');
    }
    const out = gradPostprocess([output], createGraph)[0];
    const prods = gradPostprocess(res, createGraph);
    return [out, isInputsTuple ? prods : prods[0]];
  });
}
