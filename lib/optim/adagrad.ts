/** Adagrad (`torch.optim.Adagrad`). */
import { Tensor } from '../tensor';
import { fullLike } from '../creation';
import { OptimHyper } from '../native';
import { ValueError } from '../errors';
import { Optimizer, ParamGroup, Params, ParamState, pyFloat } from './optimizer';
import { untracked } from '../memory';

/** Options of {@link Adagrad} (PyTorch's, camelCase). */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses `lr / (1 + (t - 1) * lrDecay)` (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}

/**
 * Adagrad: `sum += g^2`, `p -= lr / (1 + (t - 1) * lrDecay) * g / (sqrt(sum) + eps)`. As in
 * PyTorch, every parameter's state (`step` 0 and `sum` filled with initialAccumulatorValue)
 * is created by the constructor.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    const o: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...options };
    if (!(o.lr >= 0)) throw new ValueError(`Invalid learning rate: ${pyFloat(o.lr)}`);
    if (!(o.lrDecay >= 0)) throw new ValueError(`Invalid lr_decay value: ${pyFloat(o.lrDecay)}`);
    if (!(o.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pyFloat(o.weightDecay)}`);
    if (!(o.initialAccumulatorValue >= 0)) {
      throw new ValueError(`Invalid initial_accumulator_value value: ${pyFloat(o.initialAccumulatorValue)}`);
    }
    if (!(o.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pyFloat(o.eps)}`);
    super(params, o);
    untracked(() => {
      for (const g of this.paramGroups) for (const p of g.params) if (!this.state.has(p)) this.state.set(p, this.initState(p, g));
    });
  }

  protected initState(p: Tensor, group: ParamGroup<AdagradOptions>): ParamState {
    return { step: 0, sum: fullLike(p, group.initialAccumulatorValue) };
  }

  protected buffers(st: ParamState): [Tensor, null, null] {
    return [st.sum as Tensor, null, null];
  }

  protected advance(st: ParamState): number {
    st.step = (st.step as number) + 1;
    return st.step;
  }

  protected hyper(g: ParamGroup<AdagradOptions>): OptimHyper {
    return { kind: 3, lr: g.lr, lrDecay: g.lrDecay, weightDecay: g.weightDecay, eps: g.eps, maximize: g.maximize };
  }
}
