/** LayerNorm (BatchNorm, InstanceNorm and GroupNorm are in ./batchnorm.ts). */
import { Tensor } from '../../tensor';
import * as F from '../functional';
import * as init from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { FactoryOptions } from './linear';
import { pyBool, pyFloat, pyTuple } from './utils';

/**
 * Layer normalization over the trailing `normalizedShape` dims; with `elementwiseAffine`
 * (default) a weight (ones) and, unless `bias: false`, a bias (zeros) of that shape.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | number[], opts: FactoryOptions & { eps?: number; elementwiseAffine?: boolean; bias?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.addParameter('weight', this.elementwiseAffine ? this.normalizedShape : null, dtype);
    this.bias = this.addParameter('bias', this.elementwiseAffine && (opts.bias ?? true) ? this.normalizedShape : null, dtype);
    this.resetParameters();
  }

  /** Weight to ones, bias to zeros. */
  resetParameters(): void {
    if (this.weight !== null) init.ones_(this.weight);
    if (this.bias !== null) init.zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}, bias=${pyBool(this.bias !== null)}`;
  }
}
