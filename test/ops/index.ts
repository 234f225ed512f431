// Every op family's gradcheck samples in one list (the OpInfo registry of the test sweep).
// An op family adds its file here: `export ... from`, then one entry in ALL_OPS.
import { OPS as FOUNDATION_OPS, OpInfo } from '../ops_registry';
import { MOVEMENT_OPS } from './movement';
import { INDEXING_OPS } from './indexing';

export type { OpInfo };
export const ALL_OPS: OpInfo[] = [...FOUNDATION_OPS, ...MOVEMENT_OPS, ...INDEXING_OPS];
