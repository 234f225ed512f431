/**
 * Error classes thrown by tensorgrad. Native checks map to these at one boundary
 * (csrc/binding/convert.h), so `instanceof` works for errors raised in C++.
 */

/** Base class of every tensorgrad error; PyTorch's `RuntimeError`. */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
/** Incompatible or invalid shapes (broadcasting, matmul sizes, view sizes). */
export class ShapeError extends RuntimeError {}
/** An operation does not support a dtype, or dtypes cannot be combined. */
export class DTypeError extends RuntimeError {}
/** Tensors on different devices, or a device that is not available. */
export class DeviceError extends RuntimeError {}
/** A dimension or index out of range. */
export class IndexError extends RuntimeError {}
/** An argument of the wrong type (PyTorch's `TypeError`). */
export class ArgumentTypeError extends RuntimeError {}
/** An argument with an invalid value (PyTorch's `ValueError`). */
export class ValueError extends RuntimeError {}
/** The operation (or its derivative) is not implemented. */
export class NotImplementedError extends RuntimeError {}
