/**
 * Gradient reset shared by `Module.zeroGrad` and `Optimizer.zeroGrad`.
 */
import type { Tensor } from '../tensor';

/**
 * Resets each parameter's `.grad`: to null (`setToNone`), or to zeros in place after cutting
 * the gradient from any graph it was built in (as PyTorch's zero_grad(set_to_none=False)).
 */
export function zeroGrads(params: Iterable<Tensor>, setToNone: boolean): void {
  for (const p of params) {
    const g = p.grad;
    if (g === null) continue;
    if (setToNone) {
      p.grad = null;
    } else {
      if (g.gradFn !== null) g.detach_();
      else g.requiresGrad_(false);
      g.zero_();
    }
  }
}
