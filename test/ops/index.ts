// Every op family's gradcheck samples in one list (the OpInfo registry of the test sweep).
// An op family adds its file here: `export ... from`, then one entry in ALL_OPS.
import { OPS as FOUNDATION_OPS, OpInfo } from '../ops_registry';
import { CONV_OPS } from './conv';
import { ELEMENTWISE_OPS } from './elementwise';
import { INDEXING_OPS } from './indexing';
import { MOVEMENT_OPS } from './movement';
import { OPS as NN_OPS } from './nn';
import { REDUCTION_OPS } from './reduction';
import { POOLNORM_OPS } from './poolnorm';

export type { OpInfo };
export const ALL_OPS: OpInfo[] = [
  ...FOUNDATION_OPS,
  ...MOVEMENT_OPS,
  ...ELEMENTWISE_OPS,
  ...REDUCTION_OPS,
  ...INDEXING_OPS,
  ...NN_OPS,
  ...CONV_OPS,
  ...POOLNORM_OPS,
];
