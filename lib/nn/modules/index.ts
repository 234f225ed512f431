/** Every layer module, re-exported for `tg.nn`. */
export * from './linear';
export * from './activation';
export * from './loss';
export * from './container';
export * from './normalization';
export * from './dropout';
export * from './sparse';
export * from './flatten';
export { ntuple, single, pair, triple } from './utils';
