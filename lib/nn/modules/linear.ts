/** Identity, Linear and Bilinear layers, initialised as PyTorch initialises them. */
import { noGrad } from '../../autograd/grad_mode';
import { empty } from '../../creation';
import { DType, Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { pyBool } from './utils';

/** Options of layers that own parameters. */
export interface FactoryOptions {
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Returns its input unchanged (accepts and ignores any constructor arguments). */
export class Identity extends Module {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  constructor(..._args: unknown[]) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * `y = x @ weight.T + bias` with weight [outFeatures, inFeatures]. Weight from
 * kaiming-uniform(a = sqrt(5)), i.e. U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)); bias from the
 * same range.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: FactoryOptions & { bias?: boolean } = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype }));
    this.bias = this.addParameter('bias', opts.bias ?? true ? [outFeatures] : null, dtype);
    this.resetParameters();
  }

  /** Re-draws weight and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/**
 * `y[..., k] = x1 @ weight[k] @ x2 + bias[k]` with weight [out, in1, in2]; weight and bias
 * from U(-1/sqrt(in1), 1/sqrt(in1)).
 */
export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, opts: FactoryOptions & { bias?: boolean } = {}) {
    super();
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? 'float32';
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], { dtype }));
    this.bias = this.addParameter('bias', opts.bias ?? true ? [outFeatures] : null, dtype);
    this.resetParameters();
  }

  /** Re-draws weight and bias from U(-1/sqrt(in1), 1/sqrt(in1)). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]);
    noGrad(() => {
      init.uniform_(this.weight, -bound, bound);
      if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
    });
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return F.bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
