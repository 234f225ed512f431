/**
 * `nn.Parameter`: a Tensor that a Module registers as a learnable parameter.
 *
 * Note [Parameter handles]: tensorgrad keeps one JS wrapper per TensorImpl (csrc/binding,
 * Note [Tensor handles]): native code that hands a tensor back (`grad.variable`, a hook's
 * argument) returns the wrapper that already exists. A Parameter therefore cannot "become" the
 * wrapper of a tensor that already has one. `new Parameter(t)` does what PyTorch's
 * `Parameter(t)` (`_make_subclass`) does: it makes a new leaf that aliases t's storage and
 * version counter (a detach), and the Parameter object itself is adopted as that new
 * TensorImpl's one wrapper. So everything native returns for it is the Parameter object, and
 * `instanceof Parameter` stays reliable; `t` itself remains a plain Tensor sharing the data.
 * For the same reason `Module.to(dtype)` converts a parameter in place with the native
 * `setData` (PyTorch's `param.data = ...`) rather than making a new Parameter.
 */
import { ArgumentTypeError, RuntimeError } from '../errors';
import { N } from '../native';
import { Tensor } from '../tensor';

/** A learnable tensor: registered by `Module` on assignment; requiresGrad defaults to true. */
export class Parameter extends Tensor {
  /**
   * Wraps `data` (shared, not copied) as a leaf parameter.
   * @param data the tensor whose storage the parameter aliases
   * @param requiresGrad whether the parameter is trained (default true)
   */
  constructor(data: Tensor, requiresGrad = true) {
    super();
    if (!(data instanceof Tensor)) {
      throw new ArgumentTypeError(`Parameter(): argument 'data' must be Tensor, not ${data === null ? 'null' : typeof data}`);
    }
    // Not tracked by tidy(): a parameter belongs to its module, which outlives a step's scope.
    const r = N.detach(this, data._id);
    if (typeof r !== 'number') throw new RuntimeError('Parameter(): the detached alias already had a wrapper');
    this._id = r;
    this.requiresGrad_(requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
