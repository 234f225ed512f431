/** RMSprop (`torch.optim.RMSprop`), centered and with momentum. */
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { OptimHyper } from '../native';
import { ValueError } from '../errors';
import { Optimizer, ParamGroup, Params, ParamState, pyFloat } from './optimizer';

/** Options of {@link RMSprop} (PyTorch's, camelCase). */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the estimated variance of the gradient (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}

/**
 * RMSprop: `v = alpha * v + (1 - alpha) * g^2`; centered: `gAvg = lerp(gAvg, g, 1 - alpha)` and
 * `avg = sqrt(v - gAvg^2) + eps`, else `avg = sqrt(v) + eps`; with momentum
 * `buf = momentum * buf + g / avg`, `p -= lr * buf`, else `p -= lr * g / avg`. State: `step`,
 * `squareAvg`, `momentumBuffer` (momentum > 0), `gradAvg` (centered).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    const o: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...options };
    if (!(o.lr >= 0)) throw new ValueError(`Invalid learning rate: ${pyFloat(o.lr)}`);
    if (!(o.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pyFloat(o.eps)}`);
    if (!(o.momentum >= 0)) throw new ValueError(`Invalid momentum value: ${pyFloat(o.momentum)}`);
    if (!(o.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pyFloat(o.weightDecay)}`);
    if (!(o.alpha >= 0)) throw new ValueError(`Invalid alpha value: ${pyFloat(o.alpha)}`);
    super(params, o);
  }

  protected initState(p: Tensor, group: ParamGroup<RMSpropOptions>): ParamState {
    const st: ParamState = { step: 0, squareAvg: zerosLike(p) };
    if (group.momentum > 0) st.momentumBuffer = zerosLike(p);
    if (group.centered) st.gradAvg = zerosLike(p);
    return st;
  }

  protected buffers(st: ParamState, p: Tensor, group: ParamGroup<RMSpropOptions>): [Tensor, Tensor | null, Tensor | null] {
    if (group.momentum > 0 && !(st.momentumBuffer instanceof Tensor)) st.momentumBuffer = zerosLike(p);
    if (group.centered && !(st.gradAvg instanceof Tensor)) st.gradAvg = zerosLike(p);
    return [
      st.squareAvg as Tensor,
      group.momentum > 0 ? (st.momentumBuffer as Tensor) : null,
      group.centered ? (st.gradAvg as Tensor) : null,
    ];
  }

  protected advance(st: ParamState): number {
    st.step = (st.step as number) + 1;
    return st.step;
  }

  protected hyper(g: ParamGroup<RMSpropOptions>): OptimHyper {
    return {
      kind: 2, lr: g.lr, alpha: g.alpha, eps: g.eps, weightDecay: g.weightDecay, momentum: g.momentum,
      centered: g.centered, maximize: g.maximize,
    };
  }
}
