/**
 * `tg.nn`: neural-network building blocks. `tg.nn.functional` holds the stateless ops
 * (PyTorch's torch.nn.functional); modules will live beside it in this folder.
 */
import * as functional from './functional';

export { functional };
