/**
 * `tg.nn.functional`: PyTorch's torch.nn.functional in camelCase. Softmax, log-softmax,
 * the cross-entropy / nll / mse / smooth-L1 / Huber / BCE losses, linear, layerNorm,
 * embedding and pad run native ops with their own backward nodes (csrc/ops/nn.cpp; grad_fn
 * names as PyTorch's); the rest are compositions of differentiable tensor ops, as in PyTorch.
 * Every op is declared in the op table (family 'nn'); only softmax and logSoftmax are also
 * Tensor methods, as in PyTorch.
 */
import { rand } from '../creation';
import { ArgumentTypeError, RuntimeError, ValueError } from '../errors';
import { where } from '../functional';
import { N } from '../native';
import { optId, tensorArg } from '../ops/args';
import { defineOp } from '../ops/registry';
import { DType, Tensor, idOf, op } from '../tensor';
import { composite } from '../memory';
import { warn } from '../warnings';

declare module '../tensor' {
  interface Tensor {
    /** Softmax along `dim`: `exp(x - max) / sum(exp(x - max))` (fused, numerically stable). */
    softmax(dim: number, opts?: SoftmaxOptions): Tensor;
    /** Log-softmax along `dim`: `x - max - log(sum(exp(x - max)))` (fused, numerically stable). */
    logSoftmax(dim: number, opts?: SoftmaxOptions): Tensor;
  }
}

/** How a loss reduces its elementwise values. */
export type Reduction = 'none' | 'mean' | 'sum';

const REDUCTIONS: Record<string, number> = { none: 0, mean: 1, sum: 2 };

function reductionCode(r: string | undefined): number {
  const v = REDUCTIONS[r ?? 'mean'];
  if (v === undefined) throw new ValueError(`${r} is not a valid value for reduction`);
  return v;
}


function checkDim(dim: unknown, fn: string): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new ArgumentTypeError(`${fn}(): argument 'dim' must be an integer`);
  }
  return dim;
}

function sizeWarning(input: Tensor, target: Tensor): void {
  const a = input.shape, b = target.shape;
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
    warn(
      `Using a target size ([${b.join(', ')}]) that is different to the input size ([${a.join(', ')}]). This will ` +
        'likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
    );
  }
}

// ---------------------------------------------------------------- softmax family

/** Options of the softmax family. */
export interface SoftmaxOptions {
  /** Casts the input to this dtype first (as PyTorch's `dtype=`), e.g. to get float64 results. */
  dtype?: DType;
}

function softmaxInput(input: Tensor, fn: string, opts: SoftmaxOptions | undefined): Tensor {
  const x = tensorArg(input, fn, 'input');
  return opts?.dtype !== undefined && opts.dtype !== x.dtype ? x.to(opts.dtype) : x;
}

/** Softmax along `dim` (SoftmaxBackward0; forward and backward are fused native kernels). */
export function softmax(input: Tensor, dim: number, opts?: SoftmaxOptions): Tensor {
  const x = softmaxInput(input, 'softmax', opts);
  return op((t) => N.nnSoftmax(t, x._id, checkDim(dim, 'softmax'), false));
}

/** Log-softmax along `dim` (LogSoftmaxBackward0; fused native kernels). */
export function logSoftmax(input: Tensor, dim: number, opts?: SoftmaxOptions): Tensor {
  const x = softmaxInput(input, 'log_softmax', opts);
  return op((t) => N.nnSoftmax(t, x._id, checkDim(dim, 'log_softmax'), true));
}

/** Softmin along `dim`: `softmax(-x, dim)`. */
export const softmin = composite(function softmin(input: Tensor, dim: number, opts?: SoftmaxOptions): Tensor {
  return softmax(softmaxInput(input, 'softmin', opts).neg(), dim);
});

// ---------------------------------------------------------------- linear

/** `x @ weight.T + bias`, batched over x's leading dims (AddmmBackward0 for 2-D x with bias). */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const x = tensorArg(input, 'linear', 'input');
  return op((t) => N.nnLinear(t, x._id, idOf(weight, 'linear', 'weight'), optId(bias, 'linear', 'bias')));
}

/**
 * Bilinear map: `out[..., k] = x1[..., :] @ weight[k] @ x2[..., :] + bias[k]`, with
 * weight of shape [out, in1, in2].
 */
export const bilinear = composite(function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const x1 = tensorArg(input1, 'bilinear', 'input1'), x2 = tensorArg(input2, 'bilinear', 'input2');
  const w = tensorArg(weight, 'bilinear', 'weight');
  const [K, I, J] = w.shape;
  if (w.dim() !== 3) throw new ValueError(`bilinear(): weight must be three-dimensional, but got ${w.dim()}`);
  if (x1.dim() !== x2.dim()) {
    throw new ValueError(`bilinear(): input dimensions do not match: got ${x1.dim()} and ${x2.dim()}`);
  }
  for (let i = 0; i < x1.dim() - 1; i++) {
    if (x1.shape[i] !== x2.shape[i]) {
      throw new ValueError(`bilinear(): input batch dimensions do not match: got ${x1.shape[i]} and ${x2.shape[i]}`);
    }
  }
  if (x1.shape[x1.dim() - 1] !== I) {
    throw new RuntimeError(`bilinear(): input1 size does not match weight size: got ${x1.shape[x1.dim() - 1]} but expected ${I}`);
  }
  if (x2.shape[x2.dim() - 1] !== J) {
    throw new RuntimeError(`bilinear(): input2 size does not match weight size: got ${x2.shape[x2.dim() - 1]} but expected ${J}`);
  }
  // Over rows [B, I] and [B, J]: (x1 @ W viewed [I, K*J]) as [B, K, J], times x2, summed over
  // J, then viewed back to the leading dims (ViewBackward0, as PyTorch's _trilinear).
  const lead = x1.shape.slice(0, -1);
  const rows = lead.reduce((p, s) => p * s, 1);
  const tmp = x1.reshape(rows, I).matmul(w.permute(1, 0, 2).reshape(I, K * J)).view(rows, K, J);
  const out = tmp.mul(x2.reshape(rows, 1, J)).sum(-1).view([...lead, K]);
  return bias === undefined || bias === null ? out : out.add(bias);
});

// ---------------------------------------------------------------- dropout

/** Options of dropout and alphaDropout. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply dropout (default true); when false the input is returned unchanged. */
  training?: boolean;
}

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/**
 * Zeroes each element with probability p and scales the rest by 1/(1-p). Random numbers come
 * from the default generator (`tg.manualSeed`).
 */
export const dropout = composite(function dropout(input: Tensor, opts: DropoutOptions = {}): Tensor {
  const x = tensorArg(input, 'dropout', 'input');
  const p = opts.p ?? 0.5;
  checkP(p);
  if (opts.training === false || p === 0) return x;
  if (p === 1) return x.mul(0);
  const keep = rand(x.shape, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' }).lt(1 - p);
  return x.mul(keep).mul(1 / (1 - p));
});

/**
 * Alpha dropout (for SELU networks): dropped elements are set to SELU's negative saturation
 * and the result is affinely corrected to keep zero mean and unit variance.
 */
export const alphaDropout = composite(function alphaDropout(input: Tensor, opts: DropoutOptions = {}): Tensor {
  const x = tensorArg(input, 'alpha_dropout', 'input');
  const p = opts.p ?? 0.5;
  checkP(p);
  if (opts.training === false || p === 0) return x;
  if (p === 1) return x.mul(0);
  const alpha = 1.7580993408473766;
  const a = 1 / Math.sqrt((alpha * alpha * p + 1) * (1 - p));
  const keep = rand(x.shape, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' }).lt(1 - p).to(x.dtype);
  // x * keep * a + (keep - 1) * alpha * a + alpha * a * p
  const b = keep.sub(1).mul(alpha * a).add(alpha * a * p);
  return x.mul(keep.mul(a)).add(b);
});

// ---------------------------------------------------------------- classification losses

/** Options of nllLoss and crossEntropy. */
export interface NllLossOptions {
  /** Per-class weights of shape [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
  /** 'mean' (weighted mean over non-ignored targets, the default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: `(1 - s) * target + s / C` (default 0). */
  labelSmoothing?: number;
}

/**
 * Negative log-likelihood of class-index targets (int64) given log-probabilities: input [C],
 * [N, C] or [N, C, d1, ...]. NllLossBackward0 (fused native kernels).
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NllLossOptions = {}): Tensor {
  const x = tensorArg(input, 'nll_loss', 'input');
  const red = reductionCode(opts.reduction);
  return op((t) =>
    N.nnNllLoss(t, x._id, idOf(target, 'nll_loss', 'target'), optId(opts.weight, 'nll_loss', 'weight'), red, opts.ignoreIndex ?? -100),
  );
}

/**
 * Cross-entropy of logits: `nllLoss(logSoftmax(input, 1), target)` for class-index targets
 * (int64), or `-(target * logSoftmax(input, 1)).sum(1)` for class-probability targets (float,
 * same shape as input). The loss's grad_fn is NllLossBackward0 for class indices.
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const x = tensorArg(input, 'cross_entropy', 'input');
  const red = reductionCode(opts.reduction);
  return op((t) =>
    N.nnCrossEntropy(
      t,
      x._id,
      idOf(target, 'cross_entropy', 'target'),
      optId(opts.weight, 'cross_entropy', 'weight'),
      red,
      opts.ignoreIndex ?? -100,
      opts.labelSmoothing ?? 0,
    ),
  );
}

// ---------------------------------------------------------------- regression losses

/** Options of the elementwise losses. */
export interface LossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

function pointwise(kind: number, name: string, input: Tensor, target: Tensor, red: number, param: number,
  weight: Tensor | null = null, posWeight: Tensor | null = null): Tensor {
  const x = tensorArg(input, name, 'input');
  return op((t) => N.nnPointwiseLoss(t, kind, x._id, idOf(target, name, 'target'), optId(weight, name, 'weight'), optId(posWeight, name, 'pos_weight'), red, param));
}

/** Mean squared error `(input - target)^2`, reduced (MseLossBackward0). */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const red = reductionCode(opts.reduction);
  if (input instanceof Tensor && target instanceof Tensor) sizeWarning(input, target);
  return pointwise(0, 'mse_loss', input, target, red, 0);
}

/** Mean absolute error `|input - target|`, reduced. */
export const l1Loss = composite(function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const red = reductionCode(opts.reduction);
  const x = tensorArg(input, 'l1_loss', 'input');
  const y = tensorArg(target, 'l1_loss', 'target');
  sizeWarning(x, y);
  const l = x.sub(y).abs();
  return red === 0 ? l : red === 1 ? l.mean() : l.sum();
});

/**
 * Smooth L1: `0.5 d^2 / beta` where `|d| < beta`, else `|d| - 0.5 beta` (beta defaults to 1;
 * beta = 0 is the L1 loss). SmoothL1LossBackward0.
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: LossOptions & { beta?: number } = {}): Tensor {
  const red = reductionCode(opts.reduction);
  if (input instanceof Tensor && target instanceof Tensor) sizeWarning(input, target);
  return pointwise(1, 'smooth_l1_loss', input, target, red, opts.beta ?? 1);
}

/** Huber: `0.5 d^2` where `|d| < delta`, else `delta (|d| - 0.5 delta)` (delta defaults to 1). */
export function huberLoss(input: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  const red = reductionCode(opts.reduction);
  if (input instanceof Tensor && target instanceof Tensor) sizeWarning(input, target);
  return pointwise(2, 'huber_loss', input, target, red, opts.delta ?? 1);
}

/**
 * Binary cross-entropy of probabilities in [0, 1]: `-w (y log x + (1 - y) log(1 - x))`, the
 * logs clamped at -100 as PyTorch does. BinaryCrossEntropyBackward0.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  const red = reductionCode(opts.reduction);
  const x = tensorArg(input, 'binary_cross_entropy', 'input');
  const y = tensorArg(target, 'binary_cross_entropy', 'target');
  if (x.numel() !== y.numel()) {
    throw new ValueError(
      `Using a target size ([${y.shape.join(', ')}]) that is different to the input size ([${x.shape.join(', ')}]) is deprecated. ` +
        'Please ensure they have the same size.',
    );
  }
  return pointwise(3, 'binary_cross_entropy', x, y, red, 0, opts.weight ?? null);
}

/**
 * Binary cross-entropy of logits, computed stably: `(1 - y) x + lw softplus(-x)` with
 * `lw = (posWeight - 1) y + 1`, times weight. BinaryCrossEntropyWithLogitsBackward0.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  opts: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {},
): Tensor {
  const red = reductionCode(opts.reduction);
  const x = tensorArg(input, 'binary_cross_entropy_with_logits', 'input');
  const y = tensorArg(target, 'binary_cross_entropy_with_logits', 'target');
  const a = x.shape, b = y.shape;
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
    throw new ValueError(`Target size ([${b.join(', ')}]) must be the same as input size ([${a.join(', ')}])`);
  }
  return pointwise(4, 'binary_cross_entropy_with_logits', x, y, red, 0, opts.weight ?? null, opts.posWeight ?? null);
}

/**
 * Kullback-Leibler divergence with input given as log-probabilities: `target * (log(target) -
 * input)` (or `exp(target) * (target - input)` when logTarget). reduction 'batchmean' divides
 * the sum by the batch size (the mathematical KL); 'mean' (the default) by the element count.
 */
export const klDiv = composite(function klDiv(input: Tensor, target: Tensor, opts: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}): Tensor {
  const x = tensorArg(input, 'kl_div', 'input');
  const y = tensorArg(target, 'kl_div', 'target');
  const r = opts.reduction ?? 'mean';
  if (r !== 'batchmean') reductionCode(r);
  if (r === 'mean') {
    warn(
      "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by " +
        "the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as " +
        "'batchmean' in the next major release.",
    );
  }
  let l: Tensor;
  if (opts.logTarget) {
    l = y.exp().mul(y.sub(x));
  } else {
    // xlogy(y, y) - y * x, with 0 log 0 = 0
    const pos = y.gt(0);
    const safe = where(pos, y, y.mul(0).add(1));
    l = y.mul(safe.log()).sub(y.mul(x));
  }
  if (r === 'none') return l;
  if (r === 'sum') return l.sum();
  if (r === 'batchmean') return x.dim() === 0 ? l.sum() : l.sum().div(x.shape[0]);
  return l.mean();
});

/** `max(0, -y (x1 - x2) + margin)`, reduced; y is 1 or -1. */
export const marginRankingLoss = composite(function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  const red = reductionCode(opts.reduction);
  const x1 = tensorArg(input1, 'margin_ranking_loss', 'input1');
  const x2 = tensorArg(input2, 'margin_ranking_loss', 'input2');
  const y = tensorArg(target, 'margin_ranking_loss', 'target');
  const l = y.neg().mul(x1.sub(x2)).add(opts.margin ?? 0).relu();
  return red === 0 ? l : red === 1 ? l.mean() : l.sum();
});

// ---------------------------------------------------------------- distances and normalization

function pNorm(x: Tensor, p: number, dim: number, keepdim: boolean): Tensor {
  if (p === 2) return x.square().sum(dim, keepdim).sqrt();
  if (p === 1) return x.abs().sum(dim, keepdim);
  if (p === Infinity) return x.abs().max(dim, keepdim).values;
  return x.abs().pow(p).sum(dim, keepdim).pow(1 / p);
}

/** Cosine of the angle between x1 and x2 along dim (default 1), each norm clamped to eps (1e-8). */
export const cosineSimilarity = composite(function cosineSimilarity(x1: Tensor, x2: Tensor, opts: { dim?: number; eps?: number } = {}): Tensor {
  const a = tensorArg(x1, 'cosine_similarity', 'x1');
  const b = tensorArg(x2, 'cosine_similarity', 'x2');
  const dim = opts.dim ?? 1;
  const eps = opts.eps ?? 1e-8;
  const na = a.square().sum(dim, true).sqrt().clamp({ min: eps });
  const nb = b.square().sum(dim, true).sqrt().clamp({ min: eps });
  return a.div(na).mul(b.div(nb)).sum(dim);
});

/** The p-norm (default 2) of `x1 - x2 + eps` along the last dim (eps defaults to 1e-6). */
export const pairwiseDistance = composite(function pairwiseDistance(x1: Tensor, x2: Tensor, opts: { p?: number; eps?: number; keepdim?: boolean } = {}): Tensor {
  const a = tensorArg(x1, 'pairwise_distance', 'x1');
  const b = tensorArg(x2, 'pairwise_distance', 'x2');
  const d = a.sub(b).add(opts.eps ?? 1e-6);
  // at::norm over the last dim, as PyTorch's pairwise_distance (NormBackward1).
  return op((t) => N.vectorNorm(t, d._id, opts.p ?? 2, [-1], opts.keepdim ?? false, true));
});

/** `x / max(||x||_p, eps)` along dim (p = 2, dim = 1, eps = 1e-12 by default). */
export const normalize = composite(function normalize(input: Tensor, opts: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  const x = tensorArg(input, 'normalize', 'input');
  const n = pNorm(x, opts.p ?? 2, opts.dim ?? 1, true).clamp({ min: opts.eps ?? 1e-12 });
  return x.div(n);
});

/**
 * Layer normalization over the trailing `normalizedShape` dims, with optional elementwise
 * affine weight and bias (NativeLayerNormBackward0).
 */
export function layerNorm(input: Tensor, normalizedShape: number | number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const x = tensorArg(input, 'layer_norm', 'input');
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  return op((t) => N.nnLayerNorm(t, x._id, shape, optId(weight, 'layer_norm', 'weight'), optId(bias, 'layer_norm', 'bias'), eps));
}

/**
 * Looks up rows of `weight` ([numEmbeddings, dim]) by integer indices (EmbeddingBackward0):
 * the gradient accumulates over repeated indices; the paddingIdx row receives none.
 */
export function embedding(input: Tensor, weight: Tensor, opts: { paddingIdx?: number | null } = {}): Tensor {
  const idx = tensorArg(input, 'embedding', 'input');
  return op((t) => N.nnEmbedding(t, idx._id, idOf(weight, 'embedding', 'weight'), opts.paddingIdx ?? null));
}

const PAD_MODES: Record<string, number> = { constant: 0, reflect: 1, replicate: 2 };

/**
 * Pads the trailing dims: `pads` lists (left, right) pairs from the last dim backwards.
 * Modes 'constant' (with `value`, default 0; negative pads crop), 'reflect' and 'replicate'.
 */
export function pad(input: Tensor, pads: number[], opts: { mode?: 'constant' | 'reflect' | 'replicate'; value?: number } = {}): Tensor {
  const x = tensorArg(input, 'pad', 'input');
  const mode = PAD_MODES[opts.mode ?? 'constant'];
  if (mode === undefined) throw new ValueError(`Unrecognised padding mode ${opts.mode}`);
  if (mode !== 0 && opts.value !== undefined && opts.value !== 0) {
    throw new ValueError(`Padding mode "${opts.mode}" doesn't take in value argument.`);
  }
  return op((t) => N.nnPad(t, x._id, pads, mode, opts.value ?? 0));
}

// ---------------------------------------------------------------- the op table
const D = { family: 'nn' as const, differentiable: true, gradgrad: true };
defineOp({ ...D, name: 'softmax', doc: 'Softmax along a dim (fused kernels).', method(this: Tensor, dim: number, opts?: SoftmaxOptions) { return softmax(this, dim, opts); } });
defineOp({ ...D, name: 'logSoftmax', doc: 'Log-softmax along a dim (fused kernels).', method(this: Tensor, dim: number, opts?: SoftmaxOptions) { return logSoftmax(this, dim, opts); } });
defineOp({ ...D, name: 'softmin', doc: 'softmax(-x) along a dim.' });
defineOp({ ...D, name: 'linear', doc: 'x @ weight.T + bias.' });
defineOp({ ...D, name: 'bilinear', doc: 'x1 @ W[k] @ x2 + b[k].' });
defineOp({ ...D, name: 'dropout', doc: 'Zeroes elements with probability p, scales by 1/(1-p).' });
defineOp({ ...D, name: 'alphaDropout', doc: 'Dropout that keeps SELU statistics.' });
defineOp({ ...D, name: 'crossEntropy', doc: 'log_softmax + nll loss; class indices or probabilities.' });
defineOp({ ...D, name: 'nllLoss', doc: 'Negative log-likelihood of class indices (fused kernels).' });
defineOp({ ...D, name: 'mseLoss', doc: 'Mean squared error.' });
defineOp({ ...D, name: 'l1Loss', doc: 'Mean absolute error.' });
defineOp({ ...D, name: 'smoothL1Loss', doc: 'Smooth L1 loss (beta).' });
defineOp({ ...D, name: 'huberLoss', doc: 'Huber loss (delta).' });
defineOp({ ...D, name: 'binaryCrossEntropy', doc: 'Binary cross-entropy of probabilities.' });
defineOp({ ...D, name: 'binaryCrossEntropyWithLogits', doc: 'Binary cross-entropy of logits (posWeight).' });
defineOp({ ...D, name: 'klDiv', doc: 'Kullback-Leibler divergence (log-prob input).' });
defineOp({ ...D, name: 'marginRankingLoss', doc: 'max(0, -y (x1 - x2) + margin).' });
defineOp({ ...D, name: 'cosineSimilarity', doc: 'Cosine similarity along a dim.' });
defineOp({ ...D, name: 'pairwiseDistance', doc: 'p-norm of x1 - x2 + eps along the last dim.' });
defineOp({ ...D, name: 'normalize', doc: 'x / max(||x||_p, eps) along a dim.' });
defineOp({ ...D, name: 'layerNorm', doc: 'Layer normalization over trailing dims.' });
defineOp({ ...D, name: 'embedding', doc: 'Row lookup by integer indices (paddingIdx).' });
defineOp({ ...D, name: 'pad', doc: 'Constant, reflect or replicate padding.' });

/** `F.one_hot`: int64 class indices to a one-hot int64 tensor with `numClasses` columns. */
export { oneHot } from '../ops/indexing';

// ---------------------------------------------------------------- convolutions (./conv.ts)
export { conv1d, conv2d, convTranspose1d, convTranspose2d } from './conv';
export type { ConvOptions, ConvTransposeOptions } from './conv';
/** Pooling and normalization (lib/nn/poolnorm.ts). */
export * from './poolnorm';
