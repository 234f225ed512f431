/**
 * Argument checks shared by the op families: each throws ArgumentTypeError naming the op and
 * the argument, as PyTorch's TypeError does.
 */
import { ArgumentTypeError } from '../errors';
import { Tensor, idOf } from '../tensor';

/** A value's type as the messages print it. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return 'Tensor';
  return Array.isArray(v) ? 'Array' : typeof v;
}

/** `v` as an integer argument of `name`. */
export function int(v: unknown, name: string, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ArgumentTypeError(`${name}(): argument '${arg}' must be an integer, not ${typeName(v)}`);
  }
  return v;
}

/** `v` as a Tensor argument of `name`. */
export function tensor(v: unknown, name: string, arg: string): Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentTypeError(`${name}(): argument '${arg}' must be Tensor, not ${typeName(v)}`);
  return v;
}

/** A tensor argument; anything else throws the standard ArgumentTypeError (disposed tensors included). */
export function tensorArg(x: unknown, fn: string, arg: string): Tensor {
  if (x instanceof Tensor) return x;
  idOf(x, fn, arg); // throws the standard ArgumentTypeError
  throw new ArgumentTypeError(`${fn}(): argument '${arg}' must be Tensor`);
}

/** The native id of an optional tensor argument (null when absent). */
export function optId(x: Tensor | null | undefined, fn: string, arg: string): number | null {
  return x === undefined || x === null ? null : idOf(x, fn, arg);
}
