/**
 * Grad modes (spec E): whether ops record a graph. The mode is process-wide on the JS
 * thread and restored in `finally`; callbacks must be synchronous, because the mode cannot
 * follow an `await`.
 */
import { N } from '../native';

function rejectPromise(name: string, result: unknown): void {
  if (result instanceof Promise) {
    throw new TypeError(
      `${name}(fn): fn returned a Promise. Grad modes apply to synchronous code only; ` +
        `call ${name} inside the async function around the synchronous part instead.`,
    );
  }
}

function withGradMode<T>(name: string, enabled: boolean, fn: () => T): T {
  const prev = N.isGradEnabled();
  N.setGradEnabled(enabled);
  try {
    const r = fn();
    rejectPromise(name, r);
    return r;
  } finally {
    N.setGradEnabled(prev);
  }
}

/** Runs `fn` without recording operations (PyTorch's `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode('noGrad', false, fn);
}

/** Runs `fn` with recording on, also inside `noGrad` (PyTorch's `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode('enableGrad', true, fn);
}

/** Turns recording on or off until changed again (PyTorch's `torch.set_grad_enabled`). */
export function setGradEnabled(enabled: boolean): void {
  N.setGradEnabled(enabled);
}

/** Whether operations are being recorded. */
export function isGradEnabled(): boolean {
  return N.isGradEnabled();
}

/**
 * Runs `fn` in inference mode (PyTorch's `torch.inference_mode()`): nothing is recorded and
 * tensors created inside are inference tensors, which may not be used in recorded ops later.
 * `inferenceMode(false, fn)` switches it off inside an outer inference mode, with recording on.
 */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode<T>(mode: boolean, fn: () => T): T;
export function inferenceMode<T>(a: boolean | (() => T), b?: () => T): T {
  const mode = typeof a === 'boolean' ? a : true;
  const fn = (typeof a === 'function' ? a : b) as () => T;
  const prevGrad = N.isGradEnabled();
  const prevInf = N.isInferenceMode();
  N.setInferenceMode(mode);
  // As c10::InferenceMode: on disables grad mode, off (inside an outer one) enables it.
  N.setGradEnabled(!mode);
  try {
    const r = fn();
    rejectPromise('inferenceMode', r);
    return r;
  } finally {
    N.setInferenceMode(prevInf);
    N.setGradEnabled(prevGrad);
  }
}
