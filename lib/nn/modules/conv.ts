/**
 * Convolution layers: Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, with PyTorch's
 * argument checks, default initialisation, non-zero padding modes and printed form.
 *
 * Note [Conv argument storage]: every per-dim argument is stored expanded to one value per
 * spatial dim (PyTorch's `_single` / `_pair`), except a padding string ('same' / 'valid'),
 * which is kept as the string; `extraRepr` prints them the way PyTorch's `_ConvNd` does.
 */
import { empty } from '../../creation';
import { ArgumentTypeError, NotImplementedError, ValueError } from '../../errors';
import { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { FactoryOptions } from './linear';
import { ntuple, pyTuple } from './utils';

/** How a conv layer pads: zeros (default), or by reflecting / replicating the border. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options of Conv1d / Conv2d. A number applies to every spatial dim. */
export interface ConvModuleOptions extends FactoryOptions {
  /** Step of the kernel (default 1). */
  stride?: number | number[];
  /** Padding on both sides of each spatial dim (default 0), or 'same' / 'valid'. */
  padding?: number | number[] | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number | number[];
  /** Channel groups (default 1); inChannels and outChannels must be divisible by it. */
  groups?: number;
  /** Whether the layer has a learnable bias (default true). */
  bias?: boolean;
  /** 'zeros' (default), 'reflect' or 'replicate' ('circular' is not supported). */
  paddingMode?: PaddingMode;
}

/** Options of ConvTranspose1d / ConvTranspose2d. A number applies to every spatial dim. */
export interface ConvTransposeModuleOptions extends FactoryOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: number | number[];
  /** `dilation * (kernel - 1) - padding` zero padding is added to each side (default 0). */
  padding?: number | number[];
  /** Extra size added to one side of each output dim (default 0). */
  outputPadding?: number | number[];
  /** Channel groups (default 1). */
  groups?: number;
  /** Whether the layer has a learnable bias (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | number[];
  /** Only 'zeros' is supported, as in PyTorch. */
  paddingMode?: PaddingMode;
}

const PADDING_MODES = new Set(['zeros', 'reflect', 'replicate', 'circular']);
const pySet = (xs: string[]): string => `{${xs.map((x) => `'${x}'`).join(', ')}}`;

/**
 * The shared state of every convolution layer (PyTorch's `_ConvNd`): weight
 * [out, in / groups, *k] (transposed: [in, out / groups, *k]) and an optional bias [out].
 */
export abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  /** Per-dim padding, or the padding string; see Note [Conv argument storage]. */
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly transposed: boolean;
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** F.pad's argument for non-zero padding modes: (left, right) pairs from the last dim back. */
  protected readonly reversedPaddingRepeatedTwice: number[];
  weight: Parameter;
  bias: Parameter | null;

  protected constructor(
    spatial: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    stride: number | number[],
    padding: number | number[] | string,
    dilation: number | number[],
    transposed: boolean,
    outputPadding: number | number[],
    groups: number,
    bias: boolean,
    paddingMode: string,
    dtype: FactoryOptions['dtype'],
  ) {
    super();
    const expand = (name: string) => ntuple(spatial, name);
    for (const [arg, v] of [['in_channels', inChannels], ['out_channels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 0) {
        throw new ArgumentTypeError(`${this.constructor.name}(): ${arg} must be a non-negative integer, got ${String(v)}`);
      }
    }
    if (!Number.isInteger(groups) || groups <= 0) throw new ValueError('groups must be a positive integer');
    if (inChannels % groups !== 0) throw new ValueError('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new ValueError('out_channels must be divisible by groups');
    this.kernelSize = expand('kernel_size')(kernelSize);
    this.stride = expand('stride')(stride);
    this.dilation = expand('dilation')(dilation);
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') {
        throw new ValueError(`Invalid padding string '${padding}', should be one of ${pySet(['valid', 'same'])}`);
      }
      if (padding === 'same' && this.stride.some((s) => s !== 1)) {
        throw new ValueError("padding='same' is not supported for strided convolutions");
      }
      this.padding = padding;
    } else {
      this.padding = expand('padding')(padding);
    }
    if (!PADDING_MODES.has(paddingMode)) {
      throw new ValueError(`padding_mode must be one of ${pySet(['zeros', 'reflect', 'replicate', 'circular'])}, but got padding_mode='${paddingMode}'`);
    }
    if (paddingMode === 'circular') {
      throw new NotImplementedError(`${this.constructor.name}: padding_mode='circular' is not supported by tensorgrad (use 'zeros', 'reflect' or 'replicate')`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.transposed = transposed;
    this.outputPadding = expand('output_padding')(outputPadding);
    this.groups = groups;
    this.paddingMode = paddingMode as PaddingMode;

    const rev: number[] = [];
    for (let i = spatial - 1; i >= 0; i--) {
      if (this.padding === 'valid') rev.push(0, 0);
      else if (this.padding === 'same') {
        const total = this.dilation[i] * (this.kernelSize[i] - 1);
        const left = Math.floor(total / 2);
        rev.push(left, total - left);
      } else rev.push(this.padding[i], this.padding[i]);
    }
    this.reversedPaddingRepeatedTwice = rev;

    const wShape = transposed
      ? [inChannels, outChannels / groups, ...this.kernelSize]
      : [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = new Parameter(empty(wShape, { dtype: dtype ?? 'float32' }));
    this.bias = this.addParameter('bias', bias ? [outChannels] : null, dtype ?? 'float32');
    this.resetParameters();
  }

  /**
   * Re-draws the weight from kaiming-uniform(a = sqrt(5)) and the bias from
   * U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn computed from the weight as PyTorch does
   * (`weight.shape[1] * prod(kernelSize)`, so for transposed layers outChannels / groups).
   */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /** The convolution with this layer's arguments, padding modes other than zeros included. */
  protected convForward(input: Tensor, fn: typeof F.conv1d): Tensor {
    if (this.paddingMode !== 'zeros') {
      const padded = F.pad(input, this.reversedPaddingRepeatedTwice, { mode: this.paddingMode as 'reflect' | 'replicate' });
      return fn(padded, this.weight, this.bias, { stride: this.stride, padding: 0, dilation: this.dilation, groups: this.groups });
    }
    return fn(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * 1-d convolution over [N, inChannels, L] (or unbatched [inChannels, L]); weight
 * [outChannels, inChannels / groups, k].
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts.stride ?? 1, opts.padding ?? 0, opts.dilation ?? 1, false, 0,
      opts.groups ?? 1, opts.bias ?? true, opts.paddingMode ?? 'zeros', opts.dtype);
  }
  override forward(input: Tensor): Tensor {
    return this.convForward(input, F.conv1d);
  }
}

/**
 * 2-d convolution over [N, inChannels, H, W] (or unbatched [inChannels, H, W]); weight
 * [outChannels, inChannels / groups, kh, kw]. Prints as PyTorch:
 * `Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))`.
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts.stride ?? 1, opts.padding ?? 0, opts.dilation ?? 1, false, 0,
      opts.groups ?? 1, opts.bias ?? true, opts.paddingMode ?? 'zeros', opts.dtype);
  }
  override forward(input: Tensor): Tensor {
    return this.convForward(input, F.conv2d);
  }
}

/** The shared part of the transposed layers (PyTorch's `_ConvTransposeNd`). */
export abstract class ConvTransposeNd extends ConvNd {
  protected constructor(spatial: number, inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvTransposeModuleOptions) {
    const mode = opts.paddingMode ?? 'zeros';
    if (mode !== 'zeros') throw new ValueError(`Only "zeros" padding mode is supported for ${new.target.name}`);
    if (typeof opts.padding === 'string') {
      throw new ValueError(`${new.target.name}: padding must be a number or a list of numbers, not '${opts.padding as string}'`);
    }
    super(spatial, inChannels, outChannels, kernelSize, opts.stride ?? 1, opts.padding ?? 0, opts.dilation ?? 1, true,
      opts.outputPadding ?? 0, opts.groups ?? 1, opts.bias ?? true, mode, opts.dtype);
  }

  /**
   * The output padding that gives `outputSize` (spatial sizes, or the full size with batch and
   * channel dims), checked against the valid range as PyTorch's `_output_padding` does.
   */
  protected outputPaddingFor(input: Tensor, outputSize: number[] | undefined | null, spatial: number): number[] {
    if (outputSize === undefined || outputSize === null) return this.outputPadding;
    const nonSpatial = input.dim() === spatial + 2 ? 2 : 1;
    let size = [...outputSize];
    if (size.length === nonSpatial + spatial) size = size.slice(nonSpatial);
    if (size.length !== spatial) {
      throw new ValueError(`ConvTranspose${spatial}D: for ${input.dim()}D input, output_size must have ${spatial} or ${nonSpatial + spatial} elements (got ${outputSize.length})`);
    }
    const pad = this.padding as number[];
    const inSpatial = input.shape.slice(input.dim() - spatial);
    const minSizes = inSpatial.map((n, d) => (n - 1) * this.stride[d] - 2 * pad[d] + this.dilation[d] * (this.kernelSize[d] - 1) + 1);
    const maxSizes = minSizes.map((m, d) => m + this.stride[d] - 1);
    size.forEach((s, i) => {
      if (s < minSizes[i] || s > maxSizes[i]) {
        throw new ValueError(`requested an output size of [${size.join(', ')}], but valid sizes range from [${minSizes.join(', ')}] to [${maxSizes.join(', ')}] (for an input of torch.Size([${inSpatial.join(', ')}]))`);
      }
    });
    return size.map((s, d) => s - minSizes[d]);
  }
}

/**
 * Transposed 1-d convolution over [N, inChannels, L] (or [inChannels, L]); weight
 * [inChannels, outChannels / groups, k]. `forward(input, outputSize?)` picks the output
 * padding that gives `outputSize`.
 */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvTransposeModuleOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor, outputSize?: number[] | null): Tensor {
    const outputPadding = this.outputPaddingFor(input, outputSize, 1);
    return F.convTranspose1d(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }
}

/**
 * Transposed 2-d convolution over [N, inChannels, H, W] (or [inChannels, H, W]); weight
 * [inChannels, outChannels / groups, kh, kw]. `forward(input, outputSize?)` picks the
 * output padding that gives `outputSize`.
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], opts: ConvTransposeModuleOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
  override forward(input: Tensor, outputSize?: number[] | null): Tensor {
    const outputPadding = this.outputPaddingFor(input, outputSize, 2);
    return F.convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }
}
