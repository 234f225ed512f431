/**
 * gradcheck `fastMode` (spec N6): random projections vᵀJu, the slow-mode report on failure,
 * the T45 cases in fast mode, and fast mode over the whole op registry (it must agree with
 * slow mode wherever slow mode passes).
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { gradcheck, gradgradcheck, GradcheckError } from '../lib/autograd/gradcheck';
import { c, t } from './helpers/make';
import { ALL_OPS as OPS } from './ops';
import { errorOf } from './helpers/check';

const fast = { fastMode: true };

/** x -> x^2 whose gradient is deliberately scaled by 1.5 (3x instead of 2x). */
const badSquare = (x: Tensor): Tensor => {
  const h = x.mul(1);
  h.registerHook((g) => g.mul(1.5));
  return h.square();
};

describe('T45 in fast mode', () => {
  test('sin passes gradcheck and gradgradcheck', () => {
    tg.manualSeed(0);
    const x = tg.randn(3, { dtype: 'float64', requiresGrad: true });
    expect(gradcheck(tg.sin, [x], fast)).toBe(true);
    expect(gradgradcheck(tg.sin, [x], undefined, fast)).toBe(true);
  });

  test('BadSquare raises GradcheckError with the projections and the slow-mode Jacobians', () => {
    const e = errorOf(() => gradcheck(badSquare, [t([1, 2])], fast));
    expect(e.name).toBe('GradcheckError');
    expect(e).toBeInstanceOf(GradcheckError);
    expect(e.message).toMatch(
      /^Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor\([\d.]+, dtype=float64\)\nanalytical:tensor\([\d.]+, dtype=float64\)\n/,
    );
    // the projections: analytical = 1.5 x numerical
    const [, n, a] = /numerical:tensor\(([\d.]+).*\nanalytical:tensor\(([\d.]+)/.exec(e.message)!;
    expect(Number(a) / Number(n)).toBeCloseTo(1.5, 3);
    expect(e.message).toContain('Below, we recompute numerical and analytical jacobians in slow mode:');
    expect(e.message).toMatch(/Numerical:\n tensor\(\[\[2\.0*, 0\.0*\],\s*\[0\.0*, 4\.0*\]\], dtype=float64\)\n/);
    expect(e.message).toMatch(/Analytical:\ntensor\(\[\[3\.?0*, 0\.?0*\],\s*\[0\.?0*, 6\.?0*\]\], dtype=float64\)\n/);
    expect(e.message).toMatch(/The max per-element difference \(slow mode\) is: tensor\(2\.0*, dtype=float64\)\.\n$/);
    expect(e.message).not.toContain('Fast gradcheck failed but element-wise differences are small');
  });

  test('raiseException: false returns false', () => {
    expect(gradcheck(badSquare, [t([1, 2])], { ...fast, raiseException: false })).toBe(false);
  });

  test('the mismatch names the failing input', () => {
    const f = (a: Tensor, b: Tensor) => a.add(badSquare(b));
    expect(() => gradcheck(f, [t([1, 2]), t([3, 4])], fast)).toThrow('Jacobian mismatch for output 0 with respect to input 1');
  });

  test('and the failing output', () => {
    const f = (a: Tensor) => [a.sin(), badSquare(a)];
    expect(() => gradcheck(f, [t([1, 2])], fast)).toThrow('Jacobian mismatch for output 1 with respect to input 0');
  });

  test('no input requiring grad raises ValueError', () => {
    const e = errorOf(() => gradcheck(tg.sin, [c([1, 2])], fast));
    expect(e.name).toBe('ValueError');
    expect(e.message).toContain('gradcheck expects at least one input tensor to require gradient');
  });

  test('gradgradcheck in fast mode catches a wrong second derivative', () => {
    const cut = (x: Tensor): Tensor => {
      const h = x.mul(1);
      h.registerHook((g) => g.detach());
      return h.square();
    };
    expect(gradcheck(cut, [t([1, 2])], fast)).toBe(true);
    expect(() => gradgradcheck(cut, [t([1, 2])], undefined, fast)).toThrow('Jacobian mismatch for output 0 with respect to input 0');
  });
});

describe('fast mode specifics', () => {
  test('a fast failure that slow mode would pass says so', () => {
    // f(x) = W x, plus a term that is zero in value (x - x.detach() == 0 however x is
    // perturbed) but adds 0.9*rtol*|W| to the analytical Jacobian: within the element-wise
    // tolerance, yet beyond the projected one because W's signs cancel in vᵀWu.
    const W = c([[1, -1], [-1, 1]]);
    const f = (x: Tensor): Tensor => W.mv(x).add(tg.ones([2, 2], { dtype: 'float64' }).mv(x.sub(x.detach())).mul(0.9e-3));
    const x = t([0.3, -0.7]);
    expect(gradcheck(f, [x])).toBe(true);
    const e = errorOf(() => gradcheck(f, [x], fast));
    expect(e.message).toContain('The max per-element difference (slow mode) is: tensor(0.0009');
    expect(e.message).toContain("Fast gradcheck failed but element-wise differences are small. This means that the\ntest might've passed in slow_mode!");
    expect(e.message).toContain('`fastMode: false`');
  });

  test("uses its own generator: the user's RNG stream is untouched", () => {
    tg.manualSeed(7);
    const a = tg.randn(4).toArray();
    tg.manualSeed(7);
    gradcheck((x: Tensor) => x.exp(), [t([0.1, 0.2, 0.3])], fast);
    const b = tg.randn(4).toArray();
    expect(b).toEqual(a);
  });

  test('inputs are restored, several inputs and outputs, non-tensor arguments', () => {
    const x = t([1, 2, 3]);
    const f = (a: Tensor, k: number, b: Tensor) => [a.mul(b).mul(k), a.sub(b).exp(), a.sum()];
    expect(gradcheck(f, [x, 2.5, t([0.5, -1, 2])], fast)).toBe(true);
    expect(x.toArray()).toEqual([1, 2, 3]);
  });
});

const rows = OPS.flatMap((info) => info.samples.map((sample) => ({ name: info.name, desc: sample.desc, info, sample })));

describe('fast mode over the op registry', () => {
  test.each(rows)('gradcheck fastMode $name [$desc]', ({ info, sample }) => {
    expect(gradcheck(info.op, sample.make(), { ...(info.gradcheckOpts ?? {}), fastMode: true })).toBe(true);
  });
  test.each(rows.filter((r) => r.info.supportsGradGrad))('gradgradcheck fastMode $name [$desc]', ({ info, sample }) => {
    expect(gradgradcheck(info.op, sample.make(), undefined, { ...(info.gradcheckOpts ?? {}), fastMode: true })).toBe(true);
  });
});
