/**
 * Convolutions of `tg.nn.functional`: conv1d, conv2d, convTranspose1d, convTranspose2d with
 * PyTorch's semantics (stride, padding incl. 'same' / 'valid', dilation, groups,
 * outputPadding, unbatched inputs). One native op underneath (csrc/ops/conv.cpp, im2col +
 * gemm, batch split over the thread pool); grad_fn ConvolutionBackward0, and its backward is
 * itself differentiable (double backward works).
 */
import { ArgumentTypeError, ValueError } from '../errors';
import { N } from '../native';
import { defineOp } from '../ops/registry';
import { Tensor, idOf, op } from '../tensor';

/** Options of conv1d / conv2d. A number applies to every spatial dim. */
export interface ConvOptions {
  /** Step of the kernel over the input (default 1). */
  stride?: number | number[];
  /**
   * Zero padding on both sides of each spatial dim (default 0); 'valid' is 0 and 'same'
   * keeps the input's size (stride 1 only; an even kernel pads one more on the right).
   */
  padding?: number | number[] | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number | number[];
  /** Input channels and output channels split into this many independent groups (default 1). */
  groups?: number;
}

/** Options of convTranspose1d / convTranspose2d. A number applies to every spatial dim. */
export interface ConvTransposeOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: number | number[];
  /** Removes `dilation * (kernel - 1) - padding` zero padding from each side (default 0). */
  padding?: number | number[];
  /** Extra size added to one side of each output dim (default 0); smaller than stride or dilation. */
  outputPadding?: number | number[];
  /** Groups, as in conv (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | number[];
}

function ints(v: unknown, fn: string, arg: string, dflt: number): number[] {
  if (v === undefined) return [dflt];
  const list = Array.isArray(v) ? v : [v];
  list.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) {
      throw new ArgumentTypeError(
        `${fn}(): argument '${arg}' must be tuple of ints, but found element of type ${typeof x} at pos ${i}`,
      );
    }
  });
  return list as number[];
}

function groupsOf(v: unknown, fn: string): number {
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgumentTypeError(`${fn}(): argument 'groups' must be int, not ${typeof v}`);
  return v;
}

function conv(spatial: number, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvOptions = {}): Tensor {
  const fn = `conv${spatial}d`;
  const x = idOf(input, fn, 'input'), w = idOf(weight, fn, 'weight');
  const b = bias === undefined || bias === null ? null : idOf(bias, fn, 'bias');
  let mode = 0;
  let padding: number[] = [0];
  if (typeof opts.padding === 'string') {
    if (opts.padding === 'same') mode = 1;
    else if (opts.padding === 'valid') mode = 2;
    else throw new ValueError(`Invalid padding string: '${opts.padding}'`);
  } else {
    padding = ints(opts.padding, fn, 'padding', 0);
  }
  const stride = ints(opts.stride, fn, 'stride', 1), dilation = ints(opts.dilation, fn, 'dilation', 1);
  return op((t) => N.nnConvolution(t, x, w, b, spatial, false, stride, padding, mode, dilation, [0], groupsOf(opts.groups, fn)));
}

function convTranspose(spatial: number, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvTransposeOptions = {}): Tensor {
  const fn = `conv_transpose${spatial}d`;
  const x = idOf(input, fn, 'input'), w = idOf(weight, fn, 'weight');
  const b = bias === undefined || bias === null ? null : idOf(bias, fn, 'bias');
  if (typeof opts.padding === 'string') {
    throw new ArgumentTypeError(`${fn}(): argument 'padding' must be tuple of ints, not str`);
  }
  const stride = ints(opts.stride, fn, 'stride', 1), padding = ints(opts.padding, fn, 'padding', 0);
  const outPad = ints(opts.outputPadding, fn, 'output_padding', 0), dilation = ints(opts.dilation, fn, 'dilation', 1);
  return op((t) => N.nnConvolution(t, x, w, b, spatial, true, stride, padding, 0, dilation, outPad, groupsOf(opts.groups, fn)));
}

/**
 * 1-d convolution (cross-correlation, as PyTorch) of input [N, C, L] or unbatched [C, L] with
 * weight [O, C / groups, k]; bias [O] or null. Returns [N, O, Lout] (or [O, Lout]).
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor {
  return conv(1, input, weight, bias, opts);
}

/**
 * 2-d convolution (cross-correlation, as PyTorch) of input [N, C, H, W] or unbatched
 * [C, H, W] with weight [O, C / groups, kh, kw]; bias [O] or null.
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor {
  return conv(2, input, weight, bias, opts);
}

/**
 * Transposed 1-d convolution (the gradient of conv1d with respect to its input) of input
 * [N, Cin, L] or [Cin, L] with weight [Cin, Cout / groups, k]; bias [Cout] or null. Output
 * length `(L - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1`.
 */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTransposeOptions): Tensor {
  return convTranspose(1, input, weight, bias, opts);
}

/**
 * Transposed 2-d convolution of input [N, Cin, H, W] or [Cin, H, W] with weight
 * [Cin, Cout / groups, kh, kw]; bias [Cout] or null.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTransposeOptions): Tensor {
  return convTranspose(2, input, weight, bias, opts);
}

// ---------------------------------------------------------------- the op table
const D = { family: 'nn' as const, differentiable: true, gradgrad: true };
defineOp({ ...D, name: 'conv1d', doc: '1-d convolution (stride, padding incl. same, dilation, groups).' });
defineOp({ ...D, name: 'conv2d', doc: '2-d convolution (stride, padding incl. same, dilation, groups).' });
defineOp({ ...D, name: 'convTranspose1d', doc: 'Transposed 1-d convolution (outputPadding).' });
defineOp({ ...D, name: 'convTranspose2d', doc: 'Transposed 2-d convolution (outputPadding).' });
