/** Adam (`torch.optim.Adam`), with AMSGrad and maximize. */
import { Tensor } from '../tensor';
import { zerosLike } from '../creation';
import { OptimHyper } from '../native';
import { ValueError } from '../errors';
import { Optimizer, ParamGroup, Params, ParamState, pyFloat } from './optimizer';

/** Options of {@link Adam} and {@link AdamW} (PyTorch's, camelCase). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay: L2 added to the gradient for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the AMSGrad variant (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
  /** AdamW's decoupled weight decay, `p *= 1 - lr * weightDecay` before the update (Adam: false, AdamW: true). */
  decoupledWeightDecay: boolean;
}

/** Checks Adam-family options with PyTorch's messages; returns them filled. */
export function adamOptions(options: Partial<AdamOptions>, weightDecay: number): AdamOptions {
  const o: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false, decoupledWeightDecay: false, ...options };
  if (!(o.lr >= 0)) throw new ValueError(`Invalid learning rate: ${pyFloat(o.lr)}`);
  if (!(o.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pyFloat(o.eps)}`);
  if (!(o.betas[0] >= 0 && o.betas[0] < 1)) throw new ValueError(`Invalid beta parameter at index 0: ${pyFloat(o.betas[0])}`);
  if (!(o.betas[1] >= 0 && o.betas[1] < 1)) throw new ValueError(`Invalid beta parameter at index 1: ${pyFloat(o.betas[1])}`);
  if (!(o.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pyFloat(o.weightDecay)}`);
  o.betas = [o.betas[0], o.betas[1]];
  return o;
}

/**
 * Adam: `m = lerp(m, g, 1 - beta1)`, `v = beta2 * v + (1 - beta2) * g^2` (AMSGrad: the running
 * max of v), `p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)`, with
 * `g = grad + weightDecay * p` (or AdamW's decay with `decoupledWeightDecay`). State per parameter: `step` (a number), `expAvg`, `expAvgSq`,
 * and `maxExpAvgSq` with amsgrad.
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamOptions(options, 0));
  }

  protected initState(p: Tensor, group: ParamGroup<AdamOptions>): ParamState {
    const st: ParamState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
    if (group.amsgrad) st.maxExpAvgSq = zerosLike(p);
    return st;
  }

  protected buffers(st: ParamState, p: Tensor, group: ParamGroup<AdamOptions>): [Tensor, Tensor, Tensor | null] {
    // amsgrad may be switched on for a group after its first steps (PyTorch starts the max at 0 then).
    if (group.amsgrad && !(st.maxExpAvgSq instanceof Tensor)) st.maxExpAvgSq = zerosLike(p);
    return [st.expAvg as Tensor, st.expAvgSq as Tensor, group.amsgrad ? (st.maxExpAvgSq as Tensor) : null];
  }

  protected advance(st: ParamState): number {
    st.step = (st.step as number) + 1;
    return st.step;
  }

  protected hyper(g: ParamGroup<AdamOptions>): OptimHyper {
    return {
      kind: 1, lr: g.lr, beta1: g.betas[0], beta2: g.betas[1], eps: g.eps, weightDecay: g.weightDecay,
      amsgrad: g.amsgrad, maximize: g.maximize, decoupled: g.decoupledWeightDecay,
    };
  }
}
