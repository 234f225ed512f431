// Small assertion helpers shared by the spec tests.
import { Tensor } from '../../lib';

/** The error `f` throws; fails the test when it throws nothing. */
export function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error to be thrown');
}

/** A tensor's values as nested arrays (null stays null). */
export const arr = (x: Tensor | null): unknown => (x === null ? null : x.toArray());

/** Runs `f` with process.emitWarning spied (and silenced); returns the warning texts. */
export function warningsOf(f: () => void): string[] {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    f();
    return spy.mock.calls.map((c) => String(c[0]));
  } finally {
    spy.mockRestore();
  }
}
