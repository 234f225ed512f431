/** AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay. */
import { Params } from './optimizer';
import { Adam, AdamOptions, adamOptions } from './adam';

/**
 * AdamW: each step first shrinks the parameter, `p *= 1 - lr * weightDecay` (weightDecay
 * defaults to 1e-2), then applies Adam's update with no decay folded into the gradient.
 * Same options and state as {@link Adam}.
 */
export class AdamW extends Adam {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamOptions({ ...options, decoupledWeightDecay: true }, 1e-2));
  }
}
