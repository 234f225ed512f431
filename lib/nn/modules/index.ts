/**
 * Every layer module, re-exported for `tg.nn`. Layer authors: `./utils` has PyTorch's
 * `_pair`-style argument expansion (`pair`, `triple`, `ntuple`) and the Python value printing
 * (`pyFloat`, `pyBool`, `pyTuple`) an `extraRepr` needs.
 */
export * from './linear';
export * from './activation';
export * from './loss';
export * from './container';
export * from './normalization';
export * from './dropout';
export * from './sparse';
export * from './flatten';
export * from './conv';
export * from './pooling';
export * from './batchnorm';
