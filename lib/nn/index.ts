/**
 * `tg.nn`: neural-network building blocks. `tg.nn.functional` holds the stateless ops
 * (PyTorch's torch.nn.functional); `Module`, `Parameter` and the layers live beside it, with
 * `tg.nn.init` (initializers) and `tg.nn.utils` (gradient clipping, parameter vectors).
 */
import * as functional from './functional';
import * as init from './init';
import * as utils from './utils';

export { functional, init, utils };
export { Parameter } from './parameter';
export { Module, callable, torchSize } from './module';
export type { StateDict, IncompatibleKeys, ForwardHook, ForwardPreHook, HookHandle, CallableModule } from './module';
export * from './modules';
