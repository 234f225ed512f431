/**
 * Normalization layers over channels: BatchNorm1d/2d and InstanceNorm1d/2d (PyTorch's
 * `_NormBase` family, with running-statistics buffers) and GroupNorm.
 *
 * Note [Running statistics]: with `trackRunningStats` the layer owns the buffers
 * `running_mean` (zeros), `running_var` (ones) and `num_batches_tracked` (int64 scalar), in
 * that order after `weight` and `bias`, so stateDict keys and order are PyTorch's. A training
 * forward increments `num_batches_tracked` and lets `F.batchNorm` update the running stats in
 * place outside the graph; `momentum: null` makes the update a cumulative moving average
 * (factor 1 / num_batches_tracked), as PyTorch's `_BatchNorm.forward`.
 */
import { noGrad } from '../../autograd/grad_mode';
import { ones, tensor, zeros } from '../../creation';
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor';
import { warn } from '../../warnings';
import * as F from '../functional';
import * as init from '../init';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { FactoryOptions } from './linear';
import { pyBool, pyFloat } from './utils';

/** Options of the batch and instance normalization layers. */
export interface NormOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch statistic in the running update (default 0.1); null: cumulative average. */
  momentum?: number | null;
  /** Learnable per-channel weight (ones) and bias (zeros) (default true; false for InstanceNorm). */
  affine?: boolean;
  /** Keep running statistics for eval (default true; false for InstanceNorm). */
  trackRunningStats?: boolean;
  /** With `affine`, whether there is a learnable bias (default true). */
  bias?: boolean;
}

/** The state shared by BatchNorm and InstanceNorm layers (PyTorch's `_NormBase`). */
export abstract class NormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  /** Buffers (assigned by registerBuffer; PyTorch's names, for stateDict keys). */
  running_mean!: Tensor | null;
  running_var!: Tensor | null;
  num_batches_tracked!: Tensor | null;

  protected constructor(numFeatures: number, opts: NormOptions, affineDefault: boolean, trackDefault: boolean) {
    super();
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? affineDefault;
    this.trackRunningStats = opts.trackRunningStats ?? trackDefault;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.addParameter('weight', this.affine ? [numFeatures] : null, dtype);
    this.bias = this.addParameter('bias', this.affine && (opts.bias ?? true) ? [numFeatures] : null, dtype);
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], { dtype }));
      this.registerBuffer('running_var', ones([numFeatures], { dtype }));
      this.registerBuffer('num_batches_tracked', tensor(0, { dtype: 'int64' }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  /** Running mean to zeros, running variance to ones, batch count to 0. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  /** Resets the running statistics, weight to ones and bias to zeros. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight !== null) init.ones_(this.weight);
    if (this.bias !== null) init.zeros_(this.bias);
  }

  /** Throws PyTorch's ValueError when the input has the wrong number of dims. */
  protected abstract checkInputDim(input: Tensor): void;

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, bias=${pyBool(this.bias !== null)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** The forward shared by BatchNorm1d / BatchNorm2d; see Note [Running statistics]. */
export abstract class BatchNormBase extends NormBase {
  protected constructor(numFeatures: number, opts: NormOptions) {
    super(numFeatures, opts, true, true);
  }

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      const count = this.num_batches_tracked;
      noGrad(() => count.add_(1));
      factor = this.momentum === null ? 1 / Number(count.item()) : this.momentum;
    }
    // Eval without running stats normalises with the batch statistics, as PyTorch.
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useRunning = !this.training || this.trackRunningStats;
    return F.batchNorm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null, {
      weight: this.weight, bias: this.bias, training: bnTraining, momentum: factor, eps: this.eps,
    });
  }
}

/** Batch normalization over [N, C] or [N, C, L], per channel C = numFeatures. */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts);
  }
  protected override checkInputDim(input: Tensor): void {
    const d = input.dim();
    if (d !== 2 && d !== 3) throw new ValueError(`expected 2D or 3D input (got ${d}D input)`);
  }
}

/** Batch normalization over [N, C, H, W], per channel C = numFeatures. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts);
  }
  protected override checkInputDim(input: Tensor): void {
    const d = input.dim();
    if (d !== 4) throw new ValueError(`expected 4D input (got ${d}D input)`);
  }
}

/**
 * The forward shared by InstanceNorm1d / InstanceNorm2d: each instance and channel is
 * normalised over its own spatial dims; affine and trackRunningStats default to false.
 */
export abstract class InstanceNormBase extends NormBase {
  protected constructor(numFeatures: number, opts: NormOptions, private readonly noBatchDim: number) {
    super(numFeatures, opts, false, false);
  }

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    const featureDim = input.dim() - this.noBatchDim;
    if (input.shape[featureDim] !== this.numFeatures) {
      if (this.affine) {
        throw new ValueError(`expected input's size at dim=${featureDim} to match num_features (${this.numFeatures}), but got: ${input.shape[featureDim]}.`);
      }
      warn(`input's size at dim=${featureDim} does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False`);
    }
    const unbatched = input.dim() === this.noBatchDim;
    const x = unbatched ? input.unsqueeze(0) : input;
    const y = F.instanceNorm(x, {
      runningMean: this.running_mean, runningVar: this.running_var, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum ?? 0, eps: this.eps,
    });
    return unbatched ? y.squeeze(0) : y;
  }
}

/** Instance normalization over [N, C, L] or unbatched [C, L]. */
export class InstanceNorm1d extends InstanceNormBase {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts, 2);
  }
  protected override checkInputDim(input: Tensor): void {
    const d = input.dim();
    if (d !== 2 && d !== 3) throw new ValueError(`expected 2D or 3D input (got ${d}D input)`);
  }
}

/** Instance normalization over [N, C, H, W] or unbatched [C, H, W]. */
export class InstanceNorm2d extends InstanceNormBase {
  constructor(numFeatures: number, opts: NormOptions = {}) {
    super(numFeatures, opts, 3);
  }
  protected override checkInputDim(input: Tensor): void {
    const d = input.dim();
    if (d !== 3 && d !== 4) throw new ValueError(`expected 3D or 4D input (got ${d}D input)`);
  }
}

/**
 * Group normalization of [N, C, *] over `numGroups` groups of channels; with `affine`
 * (default) a per-channel weight (ones) and, unless `bias: false`, a bias (zeros).
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts: FactoryOptions & { eps?: number; affine?: boolean; bias?: boolean } = {}) {
    super();
    if (numChannels % numGroups !== 0) {
      throw new ValueError(`num_channels (${numChannels}) must be divisible by num_groups (${numGroups})`);
    }
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.addParameter('weight', this.affine ? [numChannels] : null, dtype);
    this.bias = this.addParameter('bias', this.affine && (opts.bias ?? true) ? [numChannels] : null, dtype);
    this.resetParameters();
  }

  /** Weight to ones, bias to zeros. */
  resetParameters(): void {
    if (this.weight !== null) init.ones_(this.weight);
    if (this.bias !== null) init.zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}, bias=${pyBool(this.bias !== null)}`;
  }
}
