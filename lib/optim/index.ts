/**
 * `tg.optim`: optimizers (PyTorch's `torch.optim`) and learning-rate schedulers
 * (`tg.optim.lrScheduler`). Parameter updates run natively, one fused call per group.
 */
import * as lrScheduler from './lr_scheduler';

export { Optimizer } from './optimizer';
export type { ParamGroup, ParamGroupInput, Params, ParamState, OptimizerStateDict, ZeroGradOptions } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { Adam } from './adam';
export type { AdamOptions } from './adam';
export { AdamW } from './adamw';
export { RMSprop } from './rmsprop';
export type { RMSpropOptions } from './rmsprop';
export { Adagrad } from './adagrad';
export type { AdagradOptions } from './adagrad';
export { lrScheduler };
