/**
 * Pooling and normalization in `tg.nn.functional` (PyTorch's max_pool1d/2d, avg_pool1d/2d,
 * adaptive_avg_pool1d/2d, adaptive_max_pool1d/2d, batch_norm, group_norm, instance_norm). Native ops with
 * their own backward nodes (csrc/ops/pool.cpp, csrc/ops/norm.cpp); this file normalises the
 * per-dim arguments (a number or an array) and declares the ops in the op table.
 */
import { ArgumentTypeError, ValueError } from '../errors';
import { N, Made } from '../native';
import { optId, tensorArg } from '../ops/args';
import { defineOp } from '../ops/registry';
import { Tensor, made, op } from '../tensor';

/** A size per spatial dim: one number for every dim, or one per dim. */
export type PerDim = number | number[];

/** Options of `maxPool1d` / `maxPool2d`. */
export interface MaxPoolOptions {
  /** Window step (defaults to `kernelSize`). */
  stride?: PerDim | null;
  /** Implicit -inf padding on both sides (at most half the effective kernel). */
  padding?: PerDim;
  /** Spacing between window elements. */
  dilation?: PerDim;
  /** Rounds the output size up instead of down. */
  ceilMode?: boolean;
  /** Also returns the argmax indices (flat within each plane), as `[values, indices]`. */
  returnIndices?: boolean;
}

/** Options of `avgPool1d` / `avgPool2d`. */
export interface AvgPoolOptions {
  /** Window step (defaults to `kernelSize`). */
  stride?: PerDim | null;
  /** Implicit zero padding on both sides (at most half the kernel). */
  padding?: PerDim;
  /** Rounds the output size up instead of down. */
  ceilMode?: boolean;
  /** Counts the padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divides every window sum by this instead (avgPool2d only). */
  divisorOverride?: number | null;
}

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** Per-channel scale (C). */
  weight?: Tensor | null;
  /** Per-channel shift (C). */
  bias?: Tensor | null;
  /** Normalise with the batch statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch statistic in the running update (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** Options of `groupNorm`. */
export interface GroupNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}


function checkInt(v: unknown, fn: string, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ArgumentTypeError(`${fn}(): argument '${arg}' must be an integer or a list of integers`);
  }
  return v;
}

// PyTorch's expansion of an int-or-tuple argument: one value repeats, otherwise n values.
function perDim(v: PerDim, n: number, fn: string, arg: string): number[] {
  if (typeof v === 'number') return Array(n).fill(checkInt(v, fn, arg));
  if (!Array.isArray(v)) throw new ArgumentTypeError(`${fn}(): argument '${arg}' must be an integer or a list of integers`);
  const vals = v.map((x) => checkInt(x, fn, arg));
  if (vals.length === 1) return Array(n).fill(vals[0]);
  if (vals.length !== n) {
    throw new ValueError(`${fn}(): ${arg} must either be a single int, or a tuple of ${n} ints`);
  }
  return vals;
}

function strideOf(stride: PerDim | null | undefined, kernel: number[], n: number, fn: string): number[] {
  if (stride === undefined || stride === null || (Array.isArray(stride) && stride.length === 0)) return kernel;
  return perDim(stride, n, fn, 'stride');
}

function pair(f: (v: Tensor, i: Tensor) => [Made, Made]): [Tensor, Tensor] {
  const v = new Tensor();
  const i = new Tensor();
  const [rv, ri] = f(v, i);
  return [made(v, rv), made(i, ri)];
}

function maxPool(input: Tensor, kernelSize: PerDim, opts: MaxPoolOptions, n: number): Tensor | [Tensor, Tensor] {
  const fn = `max_pool${n}d`;
  const x = tensorArg(input, fn, 'input');
  const k = perDim(kernelSize, n, fn, 'kernel_size');
  const s = strideOf(opts.stride, k, n, fn);
  const p = perDim(opts.padding ?? 0, n, fn, 'padding');
  const d = perDim(opts.dilation ?? 1, n, fn, 'dilation');
  const r = pair((v, i) => N.nnMaxPool(v, i, x._id, k, s, p, d, !!opts.ceilMode));
  if (opts.returnIndices) return r;
  r[1].dispose();
  return r[0];
}

function avgPool(input: Tensor, kernelSize: PerDim, opts: AvgPoolOptions, n: number): Tensor {
  const fn = `avg_pool${n}d`;
  const x = tensorArg(input, fn, 'input');
  const k = perDim(kernelSize, n, fn, 'kernel_size');
  const s = strideOf(opts.stride, k, n, fn);
  const p = perDim(opts.padding ?? 0, n, fn, 'padding');
  const div = opts.divisorOverride ?? null;
  if (div !== null) checkInt(div, fn, 'divisor_override');
  return op((t) => N.nnAvgPool(t, x._id, k, s, p, !!opts.ceilMode, opts.countIncludePad ?? true, div));
}

// Output sizes of adaptive pooling; null keeps the input's size along that dim.
function adaptiveSize(x: Tensor, size: number | (number | null)[], n: number, fn: string): number[] {
  const raw = typeof size === 'number' || size === null ? Array(n).fill(size) : size;
  if (!Array.isArray(raw) || (raw.length !== n && raw.length !== 1)) {
    throw new ValueError(`${fn}(): output_size must be a single int or a tuple of ${n} ints`);
  }
  const full = raw.length === 1 ? Array(n).fill(raw[0]) : raw;
  return full.map((v: number | null, i: number) =>
    v === null ? x.shape[x.shape.length - n + i] : checkInt(v, fn, 'output_size'),
  );
}

/** `F.max_pool1d`: the max over sliding windows of the last dim of [N, C, L] or [C, L]. */
export function maxPool1d(input: Tensor, kernelSize: PerDim, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: PerDim, opts?: MaxPoolOptions): Tensor;
export function maxPool1d(input: Tensor, kernelSize: PerDim, opts: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  return maxPool(input, kernelSize, opts, 1);
}

/**
 * `F.max_pool2d`: the max over sliding windows of the last two dims of [N, C, H, W] or
 * [C, H, W] (grad_fn MaxPool2DWithIndicesBackward0; NaN propagates).
 */
export function maxPool2d(input: Tensor, kernelSize: PerDim, opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: PerDim, opts?: MaxPoolOptions): Tensor;
export function maxPool2d(input: Tensor, kernelSize: PerDim, opts: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  return maxPool(input, kernelSize, opts, 2);
}

/** `F.avg_pool1d`: the mean over sliding windows of the last dim of [N, C, L] or [C, L]. */
export function avgPool1d(input: Tensor, kernelSize: PerDim, opts: Omit<AvgPoolOptions, 'divisorOverride'> = {}): Tensor {
  return avgPool(input, kernelSize, opts, 1);
}

/** `F.avg_pool2d`: the mean over sliding windows of the last two dims (AvgPool2DBackward0). */
export function avgPool2d(input: Tensor, kernelSize: PerDim, opts: AvgPoolOptions = {}): Tensor {
  return avgPool(input, kernelSize, opts, 2);
}

/** `F.adaptive_avg_pool1d`: averages over `outputSize` near-equal windows of the last dim. */
export function adaptiveAvgPool1d(input: Tensor, outputSize: number | [number]): Tensor {
  const x = tensorArg(input, 'adaptive_avg_pool1d', 'input');
  const o = adaptiveSize(x, outputSize, 1, 'adaptive_avg_pool1d');
  return op((t) => N.nnAdaptiveAvgPool(t, x._id, o));
}

/**
 * `F.adaptive_avg_pool2d`: averages over near-equal windows giving an `outputSize` ([h, w],
 * null keeping that dim) result (AdaptiveAvgPool2DBackward0; an output of 1x1 is a mean).
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | (number | null)[]): Tensor {
  const x = tensorArg(input, 'adaptive_avg_pool2d', 'input');
  const o = adaptiveSize(x, outputSize, 2, 'adaptive_avg_pool2d');
  return op((t) => N.nnAdaptiveAvgPool(t, x._id, o));
}

function adaptiveMaxPool(input: Tensor, outputSize: number | (number | null)[], returnIndices: boolean, n: number): Tensor | [Tensor, Tensor] {
  const fn = `adaptive_max_pool${n}d`;
  const x = tensorArg(input, fn, 'input');
  const o = adaptiveSize(x, outputSize, n, fn);
  const r = pair((v, i) => N.nnAdaptiveMaxPool(v, i, x._id, o));
  if (returnIndices) return r;
  r[1].dispose();
  return r[0];
}

/** `F.adaptive_max_pool1d`: the max over `outputSize` near-equal windows of the last dim. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: number | [number], opts: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: number | [number], opts?: { returnIndices?: boolean }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: number | [number], opts: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool(input, outputSize, !!opts.returnIndices, 1);
}

/** `F.adaptive_max_pool2d`: the max over near-equal windows (AdaptiveMaxPool2DBackward0). */
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | (number | null)[], opts: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | (number | null)[], opts?: { returnIndices?: boolean }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | (number | null)[], opts: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return adaptiveMaxPool(input, outputSize, !!opts.returnIndices, 2);
}

/**
 * `F.batch_norm` over [N, C, *]: in training, normalises with the batch statistics (biased
 * variance) and updates `runningMean` / `runningVar` in place (unbiased variance, `momentum`)
 * outside the graph; in eval, normalises with the running statistics. NativeBatchNormBackward0.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  const x = tensorArg(input, 'batch_norm', 'input');
  const rm = optId(runningMean, 'batch_norm', 'running_mean');
  const rv = optId(runningVar, 'batch_norm', 'running_var');
  return op((t) =>
    N.nnBatchNorm(t, x._id, rm, rv, optId(opts.weight, 'batch_norm', 'weight'), optId(opts.bias, 'batch_norm', 'bias'),
      !!opts.training, opts.momentum ?? 0.1, opts.eps ?? 1e-5),
  );
}

/** `F.group_norm`: normalises [N, C, *] over groups of C / numGroups channels (NativeGroupNormBackward0). */
export function groupNorm(input: Tensor, numGroups: number, opts: GroupNormOptions = {}): Tensor {
  const x = tensorArg(input, 'group_norm', 'input');
  const g = checkInt(numGroups, 'group_norm', 'num_groups');
  return op((t) =>
    N.nnGroupNorm(t, x._id, g, optId(opts.weight, 'group_norm', 'weight'), optId(opts.bias, 'group_norm', 'bias'), opts.eps ?? 1e-5),
  );
}

/** Options of `instanceNorm`. */
export interface InstanceNormOptions {
  /** Per-channel running statistics (C); updated in place when `useInputStats`. */
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Normalise each instance with its own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistic in the running update (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * `F.instance_norm`: normalises each channel of each instance of [N, C, *] over its own
 * spatial dims (PyTorch's composition through batch norm; grad_fn ViewBackward0).
 */
export function instanceNorm(input: Tensor, opts: InstanceNormOptions = {}): Tensor {
  const x = tensorArg(input, 'instance_norm', 'input');
  const fn = 'instance_norm';
  return op((t) =>
    N.nnInstanceNorm(t, x._id, optId(opts.runningMean, fn, 'running_mean'), optId(opts.runningVar, fn, 'running_var'),
      optId(opts.weight, fn, 'weight'), optId(opts.bias, fn, 'bias'), opts.useInputStats ?? true, opts.momentum ?? 0.1,
      opts.eps ?? 1e-5),
  );
}

// ---------------------------------------------------------------- the op table
const D = { family: 'nn' as const, differentiable: true, gradgrad: true };
defineOp({ ...D, name: 'maxPool1d', doc: 'Max over sliding windows of the last dim (indices).' });
defineOp({ ...D, name: 'maxPool2d', doc: 'Max over sliding windows of the last two dims (indices).' });
defineOp({ ...D, name: 'avgPool1d', doc: 'Mean over sliding windows of the last dim.' });
defineOp({ ...D, name: 'avgPool2d', doc: 'Mean over sliding windows of the last two dims (divisorOverride).' });
defineOp({ ...D, name: 'adaptiveAvgPool1d', doc: 'Mean over near-equal windows giving a fixed output length.' });
defineOp({ ...D, name: 'adaptiveAvgPool2d', doc: 'Mean over near-equal windows giving a fixed output size.' });
defineOp({ ...D, name: 'adaptiveMaxPool1d', doc: 'Max over near-equal windows giving a fixed output length.' });
defineOp({ ...D, name: 'adaptiveMaxPool2d', doc: 'Max over near-equal windows giving a fixed output size.' });
defineOp({ ...D, name: 'batchNorm', doc: 'Batch normalization (training: batch stats, running-stat update).' });
defineOp({ ...D, name: 'groupNorm', doc: 'Group normalization over channel groups.' });
defineOp({ ...D, name: 'instanceNorm', doc: 'Instance normalization (per instance and channel).' });
