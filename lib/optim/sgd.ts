/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (`torch.optim.SGD`). */
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { OptimHyper } from '../native';
import { ValueError } from '../errors';
import { Optimizer, ParamGroup, Params, ParamState, pyFloat } from './optimizer';

/** Options of {@link SGD} (PyTorch's, camelCase). */
export interface SGDOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening for momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs momentum > 0 and zero dampening. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}

/**
 * SGD: `g = grad (+ weightDecay * p)`; with momentum `buf = momentum * buf + (1 - dampening) * g`
 * (the first step sets `buf = g`), `g = nesterov ? g + momentum * buf : buf`; `p -= lr * g`.
 * State: `momentumBuffer` per parameter when momentum is non-zero.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    const o: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options };
    if (o.lr < 0) throw new ValueError(`Invalid learning rate: ${pyFloat(o.lr)}`);
    if (o.momentum < 0) throw new ValueError(`Invalid momentum value: ${pyFloat(o.momentum)}`);
    if (o.weightDecay < 0) throw new ValueError(`Invalid weight_decay value: ${pyFloat(o.weightDecay)}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, o);
  }

  protected initState(): ParamState {
    return {};
  }

  protected buffers(state: ParamState, p: Tensor, group: ParamGroup<SGDOptions>): [Tensor | null, null, null] {
    if (group.momentum === 0) return [null, null, null];
    if (!(state.momentumBuffer instanceof Tensor)) state.momentumBuffer = zerosLike(p);
    return [state.momentumBuffer as Tensor, null, null];
  }

  // SGD keeps no step count: 1 tells the kernel the momentum buffer is new (runs before
  // buffers() creates it) and is set to the gradient rather than updated.
  protected advance(state: ParamState, group: ParamGroup<SGDOptions>): number {
    if (group.momentum === 0) return 2;
    return state.momentumBuffer instanceof Tensor ? 2 : 1;
  }

  protected hyper(g: ParamGroup<SGDOptions>): OptimHyper {
    return { kind: 0, lr: g.lr, momentum: g.momentum, dampening: g.dampening, weightDecay: g.weightDecay, nesterov: g.nesterov, maximize: g.maximize };
  }
}
