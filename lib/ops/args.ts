/**
 * Argument checks shared by the op families: each throws ArgumentTypeError naming the op and
 * the argument, as PyTorch's TypeError does.
 */
import { ArgumentTypeError } from '../errors';
import { Tensor } from '../tensor';

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
