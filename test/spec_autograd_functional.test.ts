/**
 * `autograd.functional` (spec O): every line of T46, then PyTorch's input/output
 * conventions, createGraph, strict mode and the argument errors.
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { c, closeTo, make } from './helpers/make';
import { errorOf } from './helpers/check';

const F = tg.autograd.functional;
const arr = (x: Tensor): unknown => x.toArray();
const eye2 = [[1, 0], [0, 1]];
const zeros22 = [[0, 0], [0, 0]];

describe('T46 functional API', () => {
  test('jacobian(x => x**2 * [1,2,3], [1,2,3]) == diag(2, 8, 18)', () => {
    const J = F.jacobian((x) => x.pow(2).mul(c([1, 2, 3])), c([1, 2, 3]));
    expect(J).toBeInstanceOf(Tensor);
    closeTo(arr(J), [[2, 0, 0], [0, 8, 0], [0, 0, 18]]);
  });

  test('jacobian shapes are out.shape + in.shape', () => {
    expect(F.jacobian((x) => x.sum(), tg.ones(2, 2)).shape).toEqual([2, 2]);
    expect(F.jacobian((x) => x.mul(2), tg.ones(2, 3)).shape).toEqual([2, 3, 2, 3]);
    closeTo(arr(F.jacobian((x) => x.sum(), tg.ones(2, 2))), [[1, 1], [1, 1]], 1e-6);
  });

  test('jacobian((a,b) => [a*b, a+b], ([1,2],[3,4])) == ((diag(3,4), diag(1,2)), (eye(2), eye(2)))', () => {
    const J = F.jacobian((a: Tensor, b: Tensor) => [a.mul(b), a.add(b)], [c([1, 2]), c([3, 4])]);
    expect(J.length).toBe(2);
    expect(J[0].length).toBe(2);
    closeTo(arr(J[0][0]), [[3, 0], [0, 4]]);
    closeTo(arr(J[0][1]), [[1, 0], [0, 2]]);
    closeTo(arr(J[1][0]), eye2);
    closeTo(arr(J[1][1]), eye2);
  });

  test('jacobian(x => ones(2), [1,2]) == zeros(2,2); strict raises', () => {
    const J = F.jacobian(() => tg.ones(2), c([1, 2]));
    closeTo(arr(J), zeros22);
    const e = errorOf(() => F.jacobian(() => tg.ones(2), c([1, 2]), { strict: true }));
    expect(e.name).toBe('RuntimeError');
    expect(e.message).toBe(
      'Output 0 of the user-provided function does not require gradients. The outputs must be computed in a ' +
        'differentiable manner from the input when running in strict mode.',
    );
  });

  test('hessian(x => (x**3).sum(), [1,2]) == diag(6,12)', () => {
    const H = F.hessian((x) => x.pow(3).sum(), c([1, 2]));
    closeTo(arr(H), [[6, 0], [0, 12]]);
  });

  test('hessian((x,y) => (x*y).sum(), ([1,2],[3,4])) == ((zeros, eye), (eye, zeros))', () => {
    const H = F.hessian((x: Tensor, y: Tensor) => x.mul(y).sum(), [c([1, 2]), c([3, 4])]);
    closeTo(arr(H[0][0]), zeros22);
    closeTo(arr(H[0][1]), eye2);
    closeTo(arr(H[1][0]), eye2);
    closeTo(arr(H[1][1]), zeros22);
  });

  test('vjp(x => x**2, [1,2,3], [1,1,1]) == ([1,4,9], [2,4,6]); v omitted raises', () => {
    const [out, v] = F.vjp((x) => x.pow(2), c([1, 2, 3]), c([1, 1, 1]));
    closeTo(arr(out), [1, 4, 9]);
    closeTo(arr(v), [2, 4, 6]);
    const e = errorOf(() => F.vjp((x) => x.pow(2), c([1, 2, 3])));
    expect(e.name).toBe('RuntimeError');
    expect(e.message).toBe(
      'The vector v can only be null if the user-provided function returns a single Tensor with a single element.',
    );
  });

  test('jvp(x => x**2, [1,2,3], [1,0,1]) == ([1,4,9], [2,0,6])', () => {
    const [out, jv] = F.jvp((x) => x.pow(2), c([1, 2, 3]), c([1, 0, 1]));
    closeTo(arr(out), [1, 4, 9]);
    closeTo(arr(jv), [2, 0, 6]);
  });

  test('hvp(x => (x**3).sum(), [1,2], [1,1]) == (9, [6,12]); vhp the same', () => {
    const [o1, hv] = F.hvp((x) => x.pow(3).sum(), c([1, 2]), c([1, 1]));
    closeTo(o1.item(), 9);
    closeTo(arr(hv), [6, 12]);
    const [o2, vh] = F.vhp((x) => x.pow(3).sum(), c([1, 2]), c([1, 1]));
    closeTo(o2.item(), 9);
    closeTo(arr(vh), [6, 12]);
  });
});

describe('input and output conventions (O1, O5)', () => {
  test('a single input with an array of outputs gives an array over the outputs', () => {
    const J = F.jacobian((x) => [x.sin(), x.sum()], c([0, 1]));
    expect(J.length).toBe(2);
    closeTo(arr(J[0]), [[1, 0], [0, Math.cos(1)]]);
    closeTo(arr(J[1]), [1, 1]);
  });

  test('an array of inputs with a single output gives an array over the inputs', () => {
    const J = F.jacobian((a: Tensor, b: Tensor) => a.mul(b).sum(), [c([1, 2]), c([3, 4])]);
    expect(J.length).toBe(2);
    closeTo(arr(J[0]), [3, 4]);
    closeTo(arr(J[1]), [1, 2]);
  });

  test('a one-element array stays an array', () => {
    const J = F.jacobian((x: Tensor) => [x.mul(2)], [c([1, 2])]);
    expect(Array.isArray(J) && Array.isArray(J[0])).toBe(true);
    closeTo(arr(J[0][0]), [[2, 0], [0, 2]]);
  });

  test('0-d inputs and outputs', () => {
    const J = F.jacobian((x) => x.mul(x), c(3));
    expect(J.shape).toEqual([]);
    closeTo(J.item(), 6);
    const J2 = F.jacobian((x) => x.mul(c([1, 2])), c(3));
    expect(J2.shape).toEqual([2]);
    closeTo(arr(J2), [1, 2]);
  });

  test('the jacobian has the input dtype', () => {
    expect(F.jacobian((x) => x.mul(2), c([1, 2])).dtype).toBe('float64');
    expect(F.jacobian((x) => x.mul(2), tg.tensor([1, 2])).dtype).toBe('float32');
  });

  test("the caller's tensors are not touched: no requiresGrad needed, no .grad written", () => {
    const x = c([1, 2]);
    F.jacobian((a) => a.exp(), x);
    expect(x.requiresGrad).toBe(false);
    const y = make([2]);
    const [, g] = F.vjp((a) => a.exp().sum(), y);
    expect(y.grad).toBeNull();
    closeTo(arr(g), arr(y.detach().exp()));
  });

  test('results are detached unless createGraph', () => {
    const x = make([3]);
    const J = F.jacobian((a) => a.pow(3), x);
    expect(J.requiresGrad).toBe(false);
    const [out, v] = F.vjp((a) => a.pow(3), x, c([1, 1, 1]));
    expect(out.requiresGrad).toBe(false);
    expect(v.requiresGrad).toBe(false);
    const [o2, jv] = F.jvp((a) => a.pow(3), x, c([1, 1, 1]));
    expect(o2.requiresGrad || jv.requiresGrad).toBe(false);
    const H = F.hessian((a) => a.pow(3).sum(), x);
    expect(H.requiresGrad).toBe(false);
  });

  test('createGraph: results are differentiable w.r.t. inputs that require grad', () => {
    const x = tg.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const J = F.jacobian((a) => a.pow(3), x, { createGraph: true });
    expect(J.requiresGrad).toBe(true);
    closeTo(arr(J), [[3, 0], [0, 12]]);
    // d/dx sum(J) = d/dx (3x^2) = 6x
    closeTo(arr(tg.autograd.grad(J.sum(), x)), [6, 12]);

    const [out, v] = F.vjp((a) => a.pow(3), x, c([1, 1]), { createGraph: true });
    expect(out.requiresGrad && v.requiresGrad).toBe(true);
    closeTo(arr(tg.autograd.grad(v.sum(), x)), [6, 12]);

    const [, jv] = F.jvp((a) => a.pow(3), x, c([1, 1]), { createGraph: true });
    closeTo(arr(tg.autograd.grad(jv.sum(), x)), [6, 12]);

    // third derivatives of sum(x^4) through hessian/hvp/vhp: H = diag(12x^2)
    const H = F.hessian((a) => a.pow(4).sum(), x, { createGraph: true });
    closeTo(arr(tg.autograd.grad(H.sum(), x)), [24, 48]);
    const [, hv] = F.hvp((a) => a.pow(4).sum(), x, c([1, 1]), { createGraph: true });
    closeTo(arr(tg.autograd.grad(hv.sum(), x)), [24, 48]);
    const [, vh] = F.vhp((a) => a.pow(4).sum(), x, c([1, 1]), { createGraph: true });
    closeTo(arr(tg.autograd.grad(vh.sum(), x)), [24, 48]);
  });

  test('works inside noGrad', () => {
    const J = tg.noGrad(() => F.jacobian((x) => x.pow(2), c([1, 2])));
    closeTo(arr(J), [[2, 0], [0, 4]]);
    expect(tg.isGradEnabled()).toBe(true);
    const [, hv] = tg.noGrad(() => F.hvp((x) => x.pow(3).sum(), c([1, 2]), c([1, 0])));
    closeTo(arr(hv), [6, 0]);
  });

  test('vectorize gives the same Jacobian', () => {
    const f = (x: Tensor) => x.sin().mul(x.sum());
    const x = make([3]);
    closeTo(arr(F.jacobian(f, x, { vectorize: true })), arr(F.jacobian(f, x)));
    expect(() => F.jacobian(f, x, { vectorize: true, strict: true })).toThrow(
      '`strict: true` and `vectorize: true` are not supported together',
    );
  });
});

describe('products agree with the Jacobian and the Hessian', () => {
  const W = c([[1, -2, 0.5], [0.3, 2, -1]]);
  const f = (x: Tensor): Tensor => W.mv(x.tanh()).mul(x.index('0:2'));
  const x = make([3]);

  test('vjp = vᵀJ and jvp = Jv', () => {
    const J = F.jacobian(f, x);
    const v = c([0.7, -1.3]);
    const u = c([0.2, 1.5, -0.4]);
    closeTo(arr(F.vjp(f, x, v)[1]), arr(J.t().mv(v)), 1e-12);
    closeTo(arr(F.jvp(f, x, u)[1]), arr(J.mv(u)), 1e-12);
  });

  test('hvp = Hv = vhp for several inputs', () => {
    const g = (a: Tensor, b: Tensor): Tensor => a.mul(b).sin().sum().add(a.pow(3).sum());
    const a = make([2]);
    const b = make([2]);
    const H = F.hessian(g, [a, b]);
    const va = c([1, -0.5]);
    const vb = c([0.25, 2]);
    const expectA = H[0][0].mv(va).add(H[0][1].mv(vb));
    const expectB = H[1][0].mv(va).add(H[1][1].mv(vb));
    const [o, hv] = F.hvp(g, [a, b], [va, vb]);
    closeTo(o.item(), g(a, b).item() as number);
    closeTo(arr(hv[0]), arr(expectA), 1e-12);
    closeTo(arr(hv[1]), arr(expectB), 1e-12);
    const [, vh] = F.vhp(g, [a, b], [va, vb]);
    closeTo(arr(vh[0]), arr(expectA), 1e-12);
    closeTo(arr(vh[1]), arr(expectB), 1e-12);
  });

  test('jvp with several inputs and outputs', () => {
    const h = (a: Tensor, b: Tensor): Tensor[] => [a.mul(b), a.sub(b).exp()];
    const [o, jv] = F.jvp(h, [c([1, 2]), c([3, 4])], [c([1, 0]), c([0, 1])]);
    closeTo(arr(o[0]), [3, 8]);
    closeTo(arr(jv[0]), [3, 2]); // b*va + a*vb
    closeTo(arr(jv[1]), [Math.exp(-2), -Math.exp(-2)]);
  });

  test('v may be omitted for one-element inputs (jvp, hvp, vhp) and outputs (vjp)', () => {
    closeTo(arr(F.vjp((x) => x.pow(2).sum(), c([1, 2]))[1]), [2, 4]);
    closeTo(arr(F.jvp((x) => x.mul(c([1, 2])), c(3))[1]), [1, 2]);
    closeTo(F.hvp((x) => x.pow(3), c(2))[1].item(), 12);
    closeTo(F.vhp((x) => x.pow(3), c(2))[1].item(), 12);
    expect(() => F.jvp((x) => x, c([1, 2]))).toThrow(
      'The vector v can only be null if the input to the user-provided function is a single Tensor with a single element.',
    );
  });

  test('outputs independent of an input give zeros', () => {
    const [, g] = F.vjp((a: Tensor, b: Tensor) => a.mul(2), [c([1, 2]), c([3])], c([1, 1]));
    closeTo(arr(g[1]), [0]);
    const [, jv] = F.jvp((a: Tensor) => [a.mul(2), tg.ones(2)], c([1, 2]), c([1, 1]));
    closeTo(arr(jv[1]), [0, 0]);
    closeTo(arr(F.hessian((x) => x.sum(), c([1, 2]))), zeros22);
    closeTo(arr(F.hvp((x) => x.sum(), c([1, 2]), c([1, 1]))[1]), [0, 0]);
  });
});

describe('strict mode and argument errors', () => {
  test('strict: an output independent of one input', () => {
    const f = (a: Tensor, b: Tensor) => a.mul(2);
    expect(() => F.jacobian(f, [c([1]), c([2])], { strict: true })).toThrow(
      'Output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode.',
    );
    expect(() => F.vjp(f, [c([1]), c([2])], c([1]), { strict: true })).toThrow(
      'The output of the user-provided function is independent of input 1. This is not allowed in strict mode.',
    );
  });

  test('strict: linear functions have no Hessian', () => {
    expect(() => F.hessian((x) => x.sum(), c([1, 2]), { strict: true })).toThrow(
      'While computing the hessian, found that the jacobian of the user-provided function with respect to input 0 is independent of the input.',
    );
    expect(() => F.vhp((x) => x.sum(), c([1, 2]), c([1, 1]), { strict: true })).toThrow(
      'jacobian of the user-provided function with respect to input 0 is independent of the input',
    );
  });

  test('strict passes for ordinary functions', () => {
    closeTo(arr(F.jacobian((x) => x.pow(2), c([1, 2]), { strict: true })), [[2, 0], [0, 4]]);
    closeTo(arr(F.hessian((x) => x.pow(3).sum(), c([1, 2]), { strict: true })), [[6, 0], [0, 12]]);
    closeTo(arr(F.jvp((x) => x.pow(2), c([1, 2]), c([1, 1]), { strict: true })[1]), [2, 4]);
    closeTo(arr(F.hvp((x) => x.pow(3).sum(), c([1, 2]), c([1, 1]), { strict: true })[1]), [6, 12]);
  });

  test('v of the wrong size or length', () => {
    expect(() => F.vjp((x) => x.mul(2), c([1, 2]), c([1, 2, 3]))).toThrow('v has invalid size: should be [2] but got [3].');
    expect(() => F.jvp((a: Tensor, b: Tensor) => a.add(b), [c([1]), c([2])], [c([1])])).toThrow(
      'v is an array of invalid length: should be 2 but got 1.',
    );
    expect(() => F.jvp((a: Tensor, b: Tensor) => a.add(b), [c([1]), c([2])], [c([1]), c([1, 2])])).toThrow(
      'Entry 1 in v has invalid size: should be [1] but got [2].',
    );
    expect(() => F.vjp((x) => x.mul(2), c([1, 2]), [c([1, 2]), c([1, 2])] as unknown as Tensor)).toThrow(
      'The given v should contain a single Tensor.',
    );
  });

  test('inputs and outputs must be Tensors', () => {
    const e = errorOf(() => F.jacobian((x) => x, [c([1]), 2 as unknown as Tensor]));
    expect(e.name).toBe('ArgumentTypeError');
    expect(e.message).toBe(
      'The inputs given to jacobian must be either a Tensor or an array of Tensors but the value at index 1 has type number.',
    );
    expect(() => F.vjp(() => 3 as unknown as Tensor, c([1]))).toThrow(
      'The outputs of the user-provided function given to vjp must be either a Tensor or an array of Tensors but the given outputs of the user-provided function has type number.',
    );
  });

  test('hessian, hvp and vhp need a single one-element output', () => {
    expect(() => F.hessian((x) => x.mul(2), c([1, 2]))).toThrow(
      'The Tensor returned by the function given to hessian should contain a single element',
    );
    expect(() => F.hessian(((x: Tensor) => [x.sum()]) as unknown as (x: Tensor) => Tensor, c([1, 2]))).toThrow(
      'The function given to hessian should return a single Tensor',
    );
    expect(() => F.hvp((x) => x.mul(2), c([1, 2]), c([1, 1]))).toThrow(
      'The Tensor returned by the function given to hvp should contain a single element',
    );
    expect(() => F.vhp(((x: Tensor) => [x.sum()]) as unknown as (x: Tensor) => Tensor, c([1, 2]), c([1, 1]))).toThrow(
      'The function given to vhp should return a single Tensor',
    );
  });
});
