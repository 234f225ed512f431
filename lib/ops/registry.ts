/**
 * The op table (ARCHITECTURE.md decision 3): every public tensor op is declared once, with
 * its family and autograd flags. The declaration installs the Tensor method and the
 * module-level function, and the table drives the gradient test sweep (test/ops_registry.ts
 * must give samples for every differentiable op) and the README's op list
 * (`node scripts/op-list.js`).
 *
 * An op family file (lib/ops/<family>.ts) declares its ops like this:
 *
 *   declare module '../tensor' { interface Tensor { atan2(other: Tensor): Tensor } }
 *   defineOp({ name: 'atan2', family: 'binary', differentiable: true, gradgrad: true,
 *              doc: 'Elementwise atan(this / other) with the quadrant of (other, this).',
 *              method(this: Tensor, other: Tensor) { return binaryOp('atan2', this, other); } });
 *
 * and exports the module-level forms it wants typed (`export const atan2 = fn('atan2')`).
 */
import { Tensor } from '../tensor';

export type OpFamily =
  | 'creation'
  | 'unary'
  | 'binary'
  | 'comparison'
  | 'reduction'
  | 'shape'
  | 'indexing'
  | 'linalg'
  | 'nn'
  | 'dtype'
  | 'inplace';

/** One row of the op table. */
export interface OpInfo {
  /** PyTorch's name in camelCase: the Tensor method and the module-level function. */
  name: string;
  family: OpFamily;
  /** Has a gradient (float inputs); the gradcheck sweep must cover it. */
  differentiable: boolean;
  /** Its backward is itself differentiable (gradgradcheck runs); otherwise double backward
   * must raise "the derivative for '<op>' is not implemented". */
  gradgrad: boolean;
  /** One line for the README's op list. */
  doc: string;
  /** Installed as `Tensor.prototype[name]` unless a method of that name already exists. */
  method?: (this: Tensor, ...args: never[]) => unknown;
}

const table = new Map<string, OpInfo>();

/** Declares an op; installs its Tensor method. Declaring a name twice is an error. */
export function defineOp(info: OpInfo): void {
  if (table.has(info.name)) throw new Error(`op '${info.name}' is declared twice`);
  table.set(info.name, info);
  if (info.method) {
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    if (!(info.name in proto)) proto[info.name] = info.method;
  }
}

/** Declares ops whose Tensor methods are written in lib/tensor.ts (the foundation's ops). */
export function declareExisting(family: OpFamily, names: string[], flags: { differentiable: boolean; gradgrad: boolean }, doc = ''): void {
  for (const name of names) defineOp({ name, family, ...flags, doc: doc || name });
}

/** The module-level form of a declared op: `fn('atan2')(a, b)` calls `a.atan2(b)`. */
export function fn<A extends unknown[], R>(name: string): (self: Tensor, ...args: A) => R {
  return (self: Tensor, ...args: A): R => {
    if (!(self instanceof Tensor)) throw new TypeError(`${name}(): argument 'input' must be Tensor`);
    return (self as unknown as Record<string, (...a: A) => R>)[name](...args);
  };
}

/** Every declared op, in declaration order. */
export function opTable(): OpInfo[] {
  return [...table.values()];
}
