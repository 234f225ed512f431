/**
 * `nn.utils`: gradient clipping and flattening parameters to one vector (PyTorch's
 * torch.nn.utils.clip_grad_norm_, clip_grad_value_, parameters_to_vector,
 * vector_to_parameters). Clipping scales or clamps each `.grad` in place, without recording.
 */
import { noGrad } from '../autograd/grad_mode';
import { tensor } from '../creation';
import { ArgumentTypeError, RuntimeError } from '../errors';
import { linalg } from '../ops/linalg';
import { cat, stack } from '../ops/movement';
import { Tensor } from '../tensor';
import { pyFloat } from './modules/utils';

function asList(params: Tensor | Iterable<Tensor>): Tensor[] {
  return params instanceof Tensor ? [params] : [...params];
}

function grads(params: Tensor | Iterable<Tensor>): Tensor[] {
  const out: Tensor[] = [];
  for (const p of asList(params)) {
    const g = p.grad;
    if (g !== null) out.push(g);
  }
  return out;
}

/** Options of clipGradNorm_. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is nan or infinite (default false: scale by it anyway). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales the gradients of `params` in place so that their total `normType`-norm (over all
 * gradients as one vector; Infinity for the max norm) is at most `maxNorm`; returns the total
 * norm before clipping (a 0-d tensor). Scaling uses `maxNorm / (total + 1e-6)`, clamped to 1.
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, opts: ClipGradNormOptions = {}): Tensor {
  const gs = grads(params);
  if (gs.length === 0) return tensor(0);
  return noGrad(() => {
    const norms = gs.map((g) => linalg.vectorNorm(g, normType));
    const total = linalg.vectorNorm(stack(norms), normType);
    const v = total.item() as number;
    if (opts.errorIfNonfinite && !Number.isFinite(v)) {
      throw new RuntimeError(
        `The total norm of order ${pyFloat(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
          'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
      );
    }
    const coef = Math.min(maxNorm / (v + 1e-6), 1);
    if (Number.isNaN(coef) || coef < 1) for (const g of gs) g.mul_(coef);
    return total;
  });
}

/** Clamps every gradient of `params` in place to [-clipValue, clipValue]. */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (typeof clipValue !== 'number') throw new ArgumentTypeError('clipGradValue_(): clipValue must be a number');
  noGrad(() => {
    for (const g of grads(params)) g.clamp_(-clipValue, clipValue);
  });
}

function checkTensors(params: Tensor[], fn: string): void {
  for (const p of params) {
    if (!(p instanceof Tensor)) {
      throw new ArgumentTypeError(`${fn}(): expected Tensor, but got: ${p === null ? 'null' : typeof p}`);
    }
  }
}

/** All parameters flattened and concatenated into one 1-D tensor (recorded: differentiable). */
export function parametersToVector(params: Tensor | Iterable<Tensor>): Tensor {
  const ps = asList(params);
  checkTensors(ps, 'parametersToVector');
  return cat(ps.map((p) => p.reshape(-1)));
}

/** Copies consecutive slices of the 1-D `vec` into the parameters, in place (not recorded). */
export function vectorToParameters(vec: Tensor, params: Tensor | Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new ArgumentTypeError(`expected Tensor, but got: ${typeof vec}`);
  const ps = asList(params);
  checkTensors(ps, 'vectorToParameters');
  const total = ps.reduce((n, p) => n + p.numel(), 0);
  if (vec.dim() !== 1 || vec.numel() !== total) {
    throw new RuntimeError(`vectorToParameters(): vec of shape [${vec.shape.join(', ')}] does not hold the ${total} parameter elements`);
  }
  noGrad(() => {
    let offset = 0;
    for (const p of ps) {
      const n = p.numel();
      p.copy_(vec.index(`${offset}:${offset + n}`).reshape(p.shape));
      offset += n;
    }
  });
}
