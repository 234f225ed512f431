/**
 * Helpers shared by the layer modules: PyTorch's `_single` / `_pair` / `_triple` argument
 * expansion (for conv and pool layers) and Python's printing of the values an `extraRepr`
 * shows, so module strings match PyTorch's exactly (`1.0`, `1e-05`, `True`, `(2, 2)`).
 */
import { ValueError } from '../../errors';

/** Expands a number to an n-tuple; an array must already have length n (PyTorch's `_ntuple`). */
export function ntuple(n: number, name = 'argument'): (x: number | number[]) => number[] {
  return (x) => {
    if (Array.isArray(x)) {
      if (x.length !== n) throw new ValueError(`${name} must be a number or a list of ${n} numbers, got [${x.join(', ')}]`);
      return [...x];
    }
    return new Array<number>(n).fill(x);
  };
}

/** `x` as a 1-tuple. */
export const single = ntuple(1);
/** `x` as a 2-tuple: `pair(3)` is `[3, 3]` (kernel sizes, strides, padding of 2-D layers). */
export const pair = ntuple(2);
/** `x` as a 3-tuple. */
export const triple = ntuple(3);

/** Python's `repr` of a float: `1.0`, `0.01`, `1e-05`, `inf`, `nan`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : `${Math.abs(exp)}`;
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const digits = mant.replace('-', '').replace('.', '');
  const sign = x < 0 ? '-' : '';
  let s: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    s = `${intPart}.${frac || '0'}`;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return sign + s;
}

/** Python's `repr` of a bool. */
export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Python's `repr` of a tuple of ints: `(4,)`, `(2, 5)`. */
export const pyTuple = (xs: number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

/** Python's `repr` of a string. */
export const pyStr = (s: string): string => `'${s}'`;
