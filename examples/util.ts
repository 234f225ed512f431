/**
 * Small printing helpers shared by the seed examples, so that what they print reads like
 * what the original R / Python documents print.
 */

/** The logger every example's `main` takes (console.log by default). */
export type Log = (...args: unknown[]) => void;

/**
 * A number as R's `print()` / `cat()` shows it with the default `digits = 7`: at most 7
 * significant digits, trailing zeros dropped, fixed notation unless scientific notation is
 * narrower (so `30390018`, `576.8492`, `0.0001272913`, `1.234568e+12`). Not R's full
 * algorithm (no width or scipen options), but the same for the values printed here.
 */
export function rNum(x: number, digits = 7): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const ref = Number(x.toPrecision(digits));
  let sig = digits;
  for (let s = 1; s <= digits; s++) {
    if (Number(x.toPrecision(s)) === ref) {
      sig = s;
      break;
    }
  }
  const exp = Number(ref.toExponential().split('e')[1]);
  // like R's sprintf("%.*f", ...): fixed notation keeps every integer digit of x
  const fixed = x.toFixed(Math.max(0, sig - 1 - exp));
  const [mant, e] = x.toExponential(sig - 1).split('e');
  const eNum = Math.abs(Number(e));
  const sci = `${mant}e${e[0]}${eNum < 10 ? '0' : ''}${eNum}`;
  return fixed.length > sci.length ? sci : fixed;
}

/** A value as Python's `print()` shows it: None / True / False, everything else via String(). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return String(v);
}

/** "Name: message" of a caught error, like Python's traceback's last line. */
export function errorLine(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
