/**
 * Anomaly detection (spec M). While on, every recorded op keeps the JS stack of its forward
 * call; when a node fails in backward, a warning names it and prints that stack, and (with
 * checkNan, the default) a node whose gradient contains NaN fails with
 * "Function 'SqrtBackward0' returned nan values in its 0th output.". Off by default: it
 * slows recording down.
 */
import * as path from 'path';
import { N } from '../native';
import { warn } from '../warnings';

// lib/ (or dist/lib/): frames from here are tensorgrad's own.
const LIB_DIR = path.resolve(__dirname, '..') + path.sep;

/**
 * @internal The JS stack of the current call without tensorgrad's own frames: what anomaly
 * mode records for each graph node (the binding calls it while recording).
 */
export function captureUserStack(): string {
  const limit = Error.stackTraceLimit;
  const keep = typeof limit === 'number' && Number.isFinite(limit) ? limit : 50;
  Error.stackTraceLimit = keep + 30; // room for the frames left out below
  let stack: string;
  try {
    stack = new Error().stack ?? '';
  } finally {
    Error.stackTraceLimit = limit;
  }
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes(LIB_DIR))
    .slice(0, keep)
    .join('\n');
}

export const ANOMALY_ENABLED_WARNING =
  'Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.';

/** Options of the anomaly mode. */
export interface AnomalyOptions {
  /** Fail on NaN gradients (default true). */
  checkNan?: boolean;
}

/**
 * Runs `fn` with anomaly detection on (PyTorch's `torch.autograd.detect_anomaly()`) and
 * restores the previous mode after, also when `fn` throws. Warns that the mode is on.
 * `fn` must be synchronous.
 */
export function detectAnomaly<T>(fn: () => T, opts: AnomalyOptions = {}): T {
  warn(ANOMALY_ENABLED_WARNING);
  const prev = N.isAnomaly();
  const prevNan = N.isAnomalyCheckNan();
  N.setAnomaly(true, opts.checkNan ?? true);
  try {
    const r = fn();
    if (r instanceof Promise) {
      throw new TypeError(
        'detectAnomaly(fn): fn returned a Promise. The mode applies to synchronous code only; call ' +
          'setDetectAnomaly(true) instead.',
      );
    }
    return r;
  } finally {
    N.setAnomaly(prev, prevNan);
  }
}

/** Turns anomaly detection on or off until changed again (PyTorch's `set_detect_anomaly`). */
export function setDetectAnomaly(enabled: boolean, opts: AnomalyOptions = {}): void {
  N.setAnomaly(!!enabled, opts.checkNan ?? true);
}

/** Whether anomaly detection is on. */
export function isAnomalyEnabled(): boolean {
  return N.isAnomaly();
}

/** Whether anomaly detection checks gradients for NaN. */
export function isAnomalyCheckNanEnabled(): boolean {
  return N.isAnomalyCheckNan();
}
