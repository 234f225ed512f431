/**
 * gradcheck over the op registry (spec T65), and tests of gradcheck itself (spec T45).
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { gradcheck, gradgradcheck, GradcheckError } from '../lib/autograd/gradcheck';
import { make, t } from './helpers/make';
import { ALL_OPS as OPS } from './ops';

const gradRows = OPS.flatMap((info) => info.samples.map((sample) => ({ name: info.name, desc: sample.desc, info, sample })));
const gradgradRows = gradRows.filter((r) => r.info.supportsGradGrad);

describe('gradcheck sweep (T65)', () => {
  test.each(gradRows)('gradcheck $name [$desc]', ({ info, sample }) => {
    const args = sample.make();
    expect(gradcheck(info.op, args, info.gradcheckOpts ?? {})).toBe(true);
  });
});

describe('gradgradcheck sweep (T65)', () => {
  test.each(gradgradRows)('gradgradcheck $name [$desc]', ({ info, sample }) => {
    const args = sample.make();
    expect(gradgradcheck(info.op, args, undefined, info.gradcheckOpts ?? {})).toBe(true);
  });
  test.each(gradgradRows)('gradgradcheck $name [$desc] with non-contiguous grad_outputs', ({ info, sample }) => {
    const args = sample.make();
    expect(gradgradcheck(info.op, args, undefined, { ...(info.gradcheckOpts ?? {}), genNonContigGradOutputs: true })).toBe(true);
  });
});

const noGradGradRows = gradRows.filter((r) => !r.info.supportsGradGrad);
if (noGradGradRows.length > 0) {
  describe('ops that deny double backward fail loudly', () => {
    test.each(noGradGradRows)('gradgradcheck $name [$desc] raises', ({ info, sample }) => {
      expect(() => gradgradcheck(info.op, sample.make(), undefined, info.gradcheckOpts ?? {})).toThrow(/derivative for .* is not implemented/);
    });
  });
}

describe('registry sanity', () => {
  test('every op has 1-5 samples and every sample is float64 (or a non-differentiable operand)', () => {
    for (const info of OPS) {
      expect(info.samples.length).toBeGreaterThanOrEqual(1);
      expect(info.samples.length).toBeLessThanOrEqual(5);
      for (const sample of info.samples) {
        const args = sample.make();
        expect(args.some((a) => a instanceof Tensor && a.requiresGrad)).toBe(true);
        for (const a of args) if (a instanceof Tensor && a.requiresGrad) expect(a.dtype).toBe('float64');
      }
    }
  });
  test('the non-contiguous samples really are non-contiguous', () => {
    let n = 0;
    for (const info of OPS) {
      for (const sample of info.samples) {
        if (!sample.desc.includes('non-contiguous')) continue;
        const args = sample.make();
        expect(args.some((a) => a instanceof Tensor && !a.isContiguous())).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});

describe('gradcheck itself (T45)', () => {
  /** x -> x^2 whose gradient is deliberately scaled by 1.5 (3x instead of 2x). */
  const badSquare = (x: Tensor): Tensor => {
    const h = x.mul(1);
    h.registerHook((g) => g.mul(1.5));
    return h.square();
  };

  test('sin passes gradcheck and gradgradcheck', () => {
    tg.manualSeed(0);
    const x = tg.randn(3, { dtype: 'float64', requiresGrad: true });
    expect(gradcheck(tg.sin, [x])).toBe(true);
    expect(gradgradcheck(tg.sin, [x])).toBe(true);
  });

  test('a single tensor may be passed instead of an array', () => {
    expect(gradcheck((x: Tensor) => x.exp(), make([2]))).toBe(true);
  });

  test('functions with several outputs and several inputs', () => {
    const f = (a: Tensor, b: Tensor) => [a.mul(b), a.add(b).sin()];
    expect(gradcheck(f, [make([2]), make([2])])).toBe(true);
    expect(gradgradcheck(f, [make([2]), make([2])])).toBe(true);
  });

  test('non-tensor arguments and inputs that do not require grad are passed through', () => {
    const f = (a: Tensor, k: number, b: Tensor) => a.mul(k).mul(b);
    expect(gradcheck(f, [make([3]), 2.5, make([3], { requiresGrad: false })])).toBe(true);
  });

  test('the inputs are restored after the check', () => {
    const x = t([1, 2, 3]);
    gradcheck((a: Tensor) => a.square(), [x]);
    expect(x.toArray()).toEqual([1, 2, 3]);
  });

  test('a wrong gradient raises GradcheckError with the Jacobians', () => {
    let err: unknown;
    try {
      gradcheck(badSquare, [t([1, 2])]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeDefined();
    const e = err as Error;
    expect(e.name).toBe('GradcheckError');
    expect(e).toBeInstanceOf(GradcheckError);
    expect(e).toBeInstanceOf(tg.RuntimeError);
    expect(e.message).toContain('Jacobian mismatch for output 0 with respect to input 0,\nnumerical:');
    expect(e.message).toMatch(/numerical:tensor\(\[\[2\.0*, 0\.0*\],\s*\[0\.0*, 4\.0*\]\], dtype=float64\)\nanalytical:/);
    expect(e.message).toMatch(/analytical:tensor\(\[\[3\.?0*, 0\.?0*\],\s*\[0\.?0*, 6\.?0*\]\], dtype=float64\)\n$/);
    expect(() => gradcheck(badSquare, [t([1, 2])])).toThrow('Jacobian mismatch for output 0 with respect to input 0');
  });

  test('the mismatch names the failing input', () => {
    const f = (a: Tensor, b: Tensor) => a.add(badSquare(b));
    expect(() => gradcheck(f, [t([1, 2]), t([3, 4])])).toThrow('Jacobian mismatch for output 0 with respect to input 1');
  });

  test('raiseException: false returns false', () => {
    expect(gradcheck(badSquare, [t([1, 2])], { raiseException: false })).toBe(false);
  });

  test('gradgradcheck catches a wrong second derivative that gradcheck cannot see', () => {
    // The hook keeps the gradient's value but cuts it out of the double-backward graph.
    const cut = (x: Tensor): Tensor => {
      const h = x.mul(1);
      h.registerHook((g) => g.detach());
      return h.square();
    };
    expect(gradcheck(cut, [t([1, 2])])).toBe(true);
    expect(gradgradcheck((x: Tensor) => x.square(), [t([1, 2])])).toBe(true);
    expect(() => gradgradcheck(cut, [t([1, 2])])).toThrow('Jacobian mismatch for output 0 with respect to input 0');
    expect(gradgradcheck(cut, [t([1, 2])], undefined, { raiseException: false })).toBe(false);
  });

  test('float32 inputs warn and fail (sin at [1, 2])', () => {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const x = tg.tensor([1, 2], { requiresGrad: true });
      expect(() => gradcheck(tg.sin, [x])).toThrow('Jacobian mismatch for output 0 with respect to input 0');
      const texts = spy.mock.calls.map((c) => String(c[0]));
      expect(
        texts.some((m) =>
          m.includes(
            'Input #0 requires gradient and is not a double precision floating point or complex. This check will likely fail if all the inputs are not of double precision floating point or complex.',
          ),
        ),
      ).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  test('no input requiring grad raises ValueError', () => {
    const x = tg.tensor([1, 2], { dtype: 'float64' });
    expect(() => gradcheck(tg.sin, [x])).toThrow(
      'gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True.',
    );
    try {
      gradcheck(tg.sin, [x]);
    } catch (e) {
      expect((e as Error).name).toBe('ValueError');
    }
  });

  test('gradgradcheck accepts explicit (and non-contiguous) gradOutputs', () => {
    const x = make([2, 3]);
    const go = make([2, 3], { nonContig: true });
    expect(go.isContiguous()).toBe(false);
    expect(gradgradcheck((a: Tensor) => a.sin().mul(a), [x], [go])).toBe(true);
    expect(gradgradcheck((a: Tensor) => a.tanh(), [make([3])], undefined, { genNonContigGradOutputs: true })).toBe(true);
  });
});
