/** `autograd`: gradients of several outputs, and w.r.t. chosen inputs. */
import { RuntimeError } from '../errors';
import { N } from '../native';
import { CREATE_GRAPH_WARNING, Tensor, idOf } from '../tensor';
import { warn } from '../warnings';

export { noGrad, enableGrad, setGradEnabled, isGradEnabled, inferenceMode } from './grad_mode';
export { gradcheck, gradgradcheck, GradcheckError } from './gradcheck';
export * as functional from './functional';
export { toDot, drawGraph } from './graph';
export type { GraphOptions, DrawGraphOptions } from './graph';

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
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
  /** Return zeros instead of null for inputs the outputs do not depend on. */
  materializeGrads?: boolean;
}

/**
 * The gradients of `outputs` w.r.t. `inputs`, returned instead of accumulated into `.grad`.
 * With one input tensor (not an array) the result is one tensor.
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor, opts?: GradOptions): Tensor;
export function grad(outputs: Tensor | Tensor[], inputs: Tensor[], opts?: GradOptions): (Tensor | null)[];
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): Tensor | (Tensor | null)[] {
  const outs = list(outputs).map((t) => idOf(t, 'grad', 'outputs'));
  const ins = list(inputs);
  const gouts = opts.gradOutputs ? list(opts.gradOutputs).map((g) => (g ? idOf(g, 'grad', 'grad_outputs') : null)) : [];
  const create = !!opts.createGraph;
  const allowUnused = !!opts.allowUnused || !!opts.materializeGrads;
  const r = N.grad(outs, ins.map((t) => idOf(t, 'grad', 'inputs')), gouts, opts.retainGraph ?? create, create, allowUnused) as (Tensor | null)[];
  if (opts.materializeGrads) {
    for (let i = 0; i < r.length; i++) if (r[i] === null) r[i] = ins[i].detach().mul(0);
  }
  return Array.isArray(inputs) ? r : (r[0] as Tensor);
}

/** Turns anomaly detection on or off (spec M). */
export function setDetectAnomaly(enabled: boolean, opts: { checkNan?: boolean } = {}): void {
  N.setAnomaly(enabled, opts.checkNan ?? true);
}

/** Whether anomaly detection is on. */
export function isAnomalyEnabled(): boolean {
  return N.isAnomaly();
}
