/**
 * Pooling layers: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool1d/2d, AdaptiveMaxPool1d/2d,
 * thin modules over the functional ops that print exactly as PyTorch's (which keeps most
 * arguments as given, so `MaxPool2d(2)` prints `kernel_size=2, stride=2`, while AvgPool1d
 * expands them to 1-tuples).
 */
import { Tensor } from '../../tensor';
import * as F from '../functional';
import { Module } from '../module';
import { pyBool, pyTuple } from './utils';

/** A per-dim argument as given: one number for every dim, or one per dim. */
export type PoolSize = number | number[];

/** Python's printing of an int-or-tuple argument kept as given. */
const show = (v: PoolSize): string => (Array.isArray(v) ? pyTuple(v) : String(v));

/** Options of MaxPool1d / MaxPool2d. */
export interface MaxPoolModuleOptions<RI extends boolean = boolean> {
  /** Window step (default: the kernel size). */
  stride?: PoolSize | null;
  /** Implicit -inf padding on both sides (default 0). */
  padding?: PoolSize;
  /** Spacing between window elements (default 1). */
  dilation?: PoolSize;
  /** Also return the argmax indices from forward, as `[values, indices]` (default false). */
  returnIndices?: RI;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/** What a pooling layer's forward returns: the pooled tensor, or `[values, indices]`. */
export type PoolOutput<RI extends boolean> = RI extends true ? [Tensor, Tensor] : Tensor;

/**
 * The shared state of MaxPool1d / MaxPool2d (PyTorch's `_MaxPoolNd`). The type parameter
 * follows `returnIndices`, so `forward` is typed as a Tensor or a `[values, indices]` pair.
 */
export abstract class MaxPoolNd<RI extends boolean = false> extends Module {
  readonly kernelSize: PoolSize;
  readonly stride: PoolSize;
  readonly padding: PoolSize;
  readonly dilation: PoolSize;
  readonly returnIndices: RI;
  readonly ceilMode: boolean;

  constructor(kernelSize: PoolSize, opts: MaxPoolModuleOptions<RI> = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.returnIndices = (opts.returnIndices ?? false) as RI;
    this.ceilMode = opts.ceilMode ?? false;
  }

  protected get poolOptions(): F.MaxPoolOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }

  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/** Max over sliding windows of the last dim of [N, C, L] or [C, L]. */
export class MaxPool1d<RI extends boolean = false> extends MaxPoolNd<RI> {
  /** The pooled tensor, or `[values, indices]` when constructed with `returnIndices`. */
  override forward(input: Tensor): PoolOutput<RI> {
    if (this.returnIndices) return F.maxPool1d(input, this.kernelSize, { ...this.poolOptions, returnIndices: true }) as PoolOutput<RI>;
    return F.maxPool1d(input, this.kernelSize, this.poolOptions) as PoolOutput<RI>;
  }
}

/**
 * Max over sliding windows of the last two dims of [N, C, H, W] or [C, H, W]. Prints as
 * PyTorch: `MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)`.
 */
export class MaxPool2d<RI extends boolean = false> extends MaxPoolNd<RI> {
  /** The pooled tensor, or `[values, indices]` when constructed with `returnIndices`. */
  override forward(input: Tensor): PoolOutput<RI> {
    if (this.returnIndices) return F.maxPool2d(input, this.kernelSize, { ...this.poolOptions, returnIndices: true }) as PoolOutput<RI>;
    return F.maxPool2d(input, this.kernelSize, this.poolOptions) as PoolOutput<RI>;
  }
}

/** Options of AvgPool1d / AvgPool2d. */
export interface AvgPoolModuleOptions {
  /** Window step (default: the kernel size). */
  stride?: PoolSize | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: PoolSize;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding in the divisor (default true). */
  countIncludePad?: boolean;
}

/** Mean over sliding windows of the last dim of [N, C, L] or [C, L]. */
export class AvgPool1d extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: PoolSize, opts: AvgPoolModuleOptions = {}) {
    super();
    const one = (v: PoolSize): number[] => (Array.isArray(v) ? [...v] : [v]);
    this.kernelSize = one(kernelSize);
    this.stride = one(opts.stride ?? kernelSize);
    this.padding = one(opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
  }

  override forward(input: Tensor): Tensor {
    return F.avgPool1d(input, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/** Mean over sliding windows of the last two dims of [N, C, H, W] or [C, H, W]. */
export class AvgPool2d extends Module {
  readonly kernelSize: PoolSize;
  readonly stride: PoolSize;
  readonly padding: PoolSize;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: PoolSize, opts: AvgPoolModuleOptions & { divisorOverride?: number | null } = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  override forward(input: Tensor): Tensor {
    return F.avgPool2d(input, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/** An adaptive output size: one number for every dim, or one per dim (null keeps that dim). */
export type AdaptiveSize = number | (number | null)[];

const showAdaptive = (v: AdaptiveSize): string =>
  Array.isArray(v) ? (v.length === 1 ? `(${v[0] ?? 'None'},)` : `(${v.map((x) => x ?? 'None').join(', ')})`) : String(v);

/** Mean over `outputSize` near-equal windows of the last dim of [N, C, L] or [C, L]. */
export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: number | [number]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool1d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${showAdaptive(this.outputSize)}`;
  }
}

/** Mean over near-equal windows of the last two dims giving an `outputSize` result. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${showAdaptive(this.outputSize)}`;
  }
}

/** Max over `outputSize` near-equal windows of the last dim; `[values, indices]` with returnIndices. */
export class AdaptiveMaxPool1d<RI extends boolean = false> extends Module {
  readonly returnIndices: RI;
  constructor(readonly outputSize: number | [number], opts: { returnIndices?: RI } = {}) {
    super();
    this.returnIndices = (opts.returnIndices ?? false) as RI;
  }
  override forward(input: Tensor): PoolOutput<RI> {
    if (this.returnIndices) return F.adaptiveMaxPool1d(input, this.outputSize, { returnIndices: true }) as PoolOutput<RI>;
    return F.adaptiveMaxPool1d(input, this.outputSize) as PoolOutput<RI>;
  }
  override extraRepr(): string {
    return `output_size=${showAdaptive(this.outputSize)}`;
  }
}

/** Max over near-equal windows of the last two dims; `[values, indices]` with returnIndices. */
export class AdaptiveMaxPool2d<RI extends boolean = false> extends Module {
  readonly returnIndices: RI;
  constructor(readonly outputSize: AdaptiveSize, opts: { returnIndices?: RI } = {}) {
    super();
    this.returnIndices = (opts.returnIndices ?? false) as RI;
  }
  override forward(input: Tensor): PoolOutput<RI> {
    if (this.returnIndices) return F.adaptiveMaxPool2d(input, this.outputSize, { returnIndices: true }) as PoolOutput<RI>;
    return F.adaptiveMaxPool2d(input, this.outputSize) as PoolOutput<RI>;
  }
  override extraRepr(): string {
    return `output_size=${showAdaptive(this.outputSize)}`;
  }
}
