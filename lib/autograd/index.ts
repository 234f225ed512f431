/**
 * `autograd`: gradients of several outputs and w.r.t. chosen inputs, custom Functions,
 * grad modes, anomaly detection and gradcheck.
 */
import { zeros } from '../creation';
import { RuntimeError, ValueError } from '../errors';
import { N } from '../native';
import { CREATE_GRAPH_WARNING, Tensor, idOf } from '../tensor';
import { warn } from '../warnings';

export { noGrad, enableGrad, setGradEnabled, isGradEnabled, inferenceMode } from './grad_mode';
export { gradcheck, gradgradcheck, GradcheckError } from './gradcheck';
export * as functional from './functional';
export { toDot, drawGraph } from './graph';
export type { GraphOptions, DrawGraphOptions } from './graph';
export { Function, FunctionCtx, defineFunction, onceDifferentiable } from './function';
export type { FunctionClass, FunctionDefinition, DefinedFunction, ForwardArgs, ForwardResult } from './function';
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled, isAnomalyCheckNanEnabled } from './anomaly';
export type { AnomalyOptions } from './anomaly';

function list<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

/**
 * Accumulates into the leaves' `.grad` the sum of the vector-Jacobian products of `tensors`
 * with `gradTensors` (ones for one-element outputs when omitted).
 */
export function backward(
  tensors: Tensor | Tensor[],
  gradTensors?: Tensor | (Tensor | null)[] | null,
  opts: { retainGraph?: boolean; createGraph?: boolean; inputs?: Tensor[] } = {},
): void {
  const outs = list(tensors).map((t) => idOf(t, 'backward', 'tensors'));
  const grads = gradTensors ? list(gradTensors).map((g) => (g ? idOf(g, 'backward', 'grad_tensors') : null)) : [];
  const create = !!opts.createGraph;
  if (create) warn(CREATE_GRAPH_WARNING);
  let inputs: number[] | null = null;
  if (opts.inputs !== undefined) {
    if (opts.inputs.length === 0) throw new RuntimeError('`inputs` argument to `backward()` cannot be empty.');
    inputs = opts.inputs.map((t) => idOf(t, 'backward', 'inputs'));
  }
  N.backward(outs, grads, opts.retainGraph ?? create, create, inputs);
}

/** Options of `grad()`. */
export interface GradOptions {
  /** The vectors of the vector-Jacobian products, one per output (ones for one-element outputs when omitted). */
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  /** Keep the graph's saved tensors for another backward. Defaults to createGraph. */
  retainGraph?: boolean;
  /** Record the backward pass, so the returned gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return null (instead of throwing) for inputs the outputs do not depend on. */
  allowUnused?: boolean;
  /** Return zeros instead of null for inputs the outputs do not depend on (implies allowUnused). */
  materializeGrads?: boolean;
  /**
   * Treat dim 0 of each gradOutput as a batch: the result has that batch dim in front, one
   * vector-Jacobian product per row (with `eye(n)`, the rows of the Jacobian).
   */
  isGradsBatched?: boolean;
}

/**
 * The gradients of `outputs` w.r.t. `inputs`, returned instead of accumulated into `.grad`
 * (which stays untouched). With one input tensor (not an array) the result is one tensor.
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor, opts?: GradOptions): Tensor;
export function grad(outputs: Tensor | Tensor[], inputs: Tensor[], opts?: GradOptions): (Tensor | null)[];
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): Tensor | (Tensor | null)[] {
  const outList = list(outputs);
  const ins = list(inputs);
  if (opts.materializeGrads && opts.allowUnused === false) {
    throw new ValueError(
      'Expected allowUnused to be true or not passed when materializeGrads: true, but got: allowUnused: false.',
    );
  }
  const gradOutputs = opts.gradOutputs ? list(opts.gradOutputs) : [];
  const r = opts.isGradsBatched ? batchedGrad(outList, ins, gradOutputs, opts) : gradOnce(outList, ins, gradOutputs, opts);
  if (opts.materializeGrads) {
    for (let i = 0; i < r.length; i++) if (r[i] === null) r[i] = zeros(ins[i].shape, { dtype: ins[i].dtype });
  }
  return Array.isArray(inputs) ? r : (r[0] as Tensor);
}

function gradOnce(outs: Tensor[], ins: Tensor[], gradOutputs: (Tensor | null)[], opts: GradOptions): (Tensor | null)[] {
  const create = !!opts.createGraph;
  const allowUnused = !!opts.allowUnused || !!opts.materializeGrads;
  return N.grad(
    outs.map((t) => idOf(t, 'grad', 'outputs')),
    ins.map((t) => idOf(t, 'grad', 'inputs')),
    gradOutputs.map((g) => (g ? idOf(g, 'grad', 'grad_outputs') : null)),
    opts.retainGraph ?? create,
    create,
    allowUnused,
  ) as (Tensor | null)[];
}

// isGradsBatched: one vector-Jacobian product per row of the gradOutputs, written into row b
// of each result (an in-place write, so the results stay differentiable with createGraph).
function batchedGrad(outs: Tensor[], ins: Tensor[], gradOutputs: (Tensor | null)[], opts: GradOptions): (Tensor | null)[] {
  if (gradOutputs.length !== outs.length || gradOutputs.some((g) => !(g instanceof Tensor))) {
    throw new RuntimeError('grad(): isGradsBatched requires one batched gradOutputs tensor per output');
  }
  const gs = gradOutputs as Tensor[];
  const batch = gs[0].dim() > 0 ? gs[0].shape[0] : 0;
  gs.forEach((g, i) => {
    if (g.dim() === 0 || g.shape[0] !== batch) {
      throw new RuntimeError(
        `grad(): with isGradsBatched, every gradOutputs tensor needs the same batch size in dim 0; ` +
          `gradOutputs[${i}] has shape [${g.shape.join(', ')}]`,
      );
    }
  });
  const keep = opts.retainGraph ?? !!opts.createGraph;
  const rows: (Tensor | null)[][] = [];
  for (let b = 0; b < batch; b++) {
    rows.push(gradOnce(outs, ins, gs.map((g) => g.index(b)), { ...opts, retainGraph: b < batch - 1 || keep }));
  }
  return ins.map((x, i) => {
    if (batch > 0 && rows.every((row) => row[i] === null)) return null;
    const out = zeros([batch, ...x.shape], { dtype: x.dtype });
    rows.forEach((row, b) => {
      if (row[i] !== null) out.indexPut_(b, row[i] as Tensor);
    });
    return out;
  });
}
