// Spec T48 (gradients at non-differentiable points, section Q) and T56 (max/min reductions),
// float64: each line is f(x).sum().backward() unless a weight is given.
import * as tg from '../lib';
import { Tensor } from '../lib';
import { arr } from './helpers/check';
import { closeTo, t } from './helpers/make';

function gradOf(x: number[], f: (x: Tensor) => Tensor): unknown {
  const xt = t(x);
  f(xt).sum().backward();
  return arr(xt.grad);
}

describe('T48 non-differentiable points', () => {
  test.each<[string, number[], (x: Tensor) => Tensor, number[]]>([
    ['relu', [-1, 0, 1], (x) => x.relu(), [0, 0, 1]],
    ['abs', [-1, 0, 1], (x) => x.abs(), [-1, 0, 1]],
    ['clamp(0,1)', [-1, 0, 0.5, 1, 2], (x) => x.clamp(0, 1), [0, 1, 1, 1, 0]],
    ['clamp(min=0)', [-1, 0, 1], (x) => x.clamp({ min: 0 }), [0, 1, 1]],
    ['hardtanh', [-1, 0, 1], (x) => x.hardtanh(), [0, 1, 0]],
    ['leakyRelu(0.1)', [-1, 0, 1], (x) => x.leakyRelu(0.1), [0.1, 0.1, 1]],
    ['max()', [1, 3, 3], (x) => x.max(), [0, 0.5, 0.5]],
    ['min()', [1, 1, 3], (x) => x.min(), [0.5, 0.5, 0]],
    ['amax()', [1, 3, 3], (x) => x.amax(), [0, 0.5, 0.5]],
    ['max(0).values', [1, 3, 3], (x) => x.max(0).values, [0, 1, 0]],
    ['median()', [1, 2, 2, 3], (x) => x.median(), [0, 0.5, 0.5, 0]],
    ['sqrt at 0', [0], (x) => x.sqrt(), [Infinity]],
    ['pow(x, 0.5) at 0', [0], (x) => x.pow(0.5), [Infinity]],
    ['log at 0', [0], (x) => x.log(), [Infinity]],
    ['pow(x, 0) at 0', [0], (x) => x.pow(0), [0]],
    ['pow(x, 2) at 0', [0], (x) => x.pow(2), [0]],
    ['norm at the zero vector', [0, 0], (x) => x.norm(), [0, 0]],
    ['sign', [-1, 0, 2], (x) => x.sign(), [0, 0, 0]],
    ['round', [0.4, 1.6], (x) => x.round(), [0, 0]],
    ['floor', [0.4, 1.6], (x) => x.floor(), [0, 0]],
    ['where(x>0, 2x, 3x)', [-1, 0, 1], (x) => tg.where(x.gt(0), x.mul(2), x.mul(3)), [3, 3, 2]],
    ['sort(x).values·[1,10,100]', [3, 1, 2], (x) => x.sort().values.mul(tg.tensor([1, 10, 100], { dtype: 'float64' })), [100, 1, 10]],
  ])('%s', (_name, x, f, expected) => {
    expect(gradOf(x, f)).toEqual(expected);
  });

  test('maximum(a, b) with a tie gives 0.5 to each', () => {
    const a = t([1, 2]);
    const b = t([1, 3]);
    tg.maximum(a, b).sum().backward();
    expect(arr(a.grad)).toEqual([0.5, 0]);
    expect(arr(b.grad)).toEqual([0.5, 1]);
  });

  test('pow(b, e) at b = 0', () => {
    const b = t([0, 2]);
    const e = t([2, 3]);
    b.pow(e).sum().backward();
    expect(arr(b.grad)).toEqual([0, 12]);
    closeTo(arr(e.grad), [0, 5.545177444479562]);
    const b0 = t([0]);
    const e0 = t([0]);
    b0.pow(e0).sum().backward();
    expect(arr(b0.grad)).toEqual([0]);
    expect(arr(e0.grad)).toEqual([0]);
  });
});

describe('T56 max/min reductions', () => {
  const Y = () => t([[1, 5, 3], [4, 2, 6]]);

  test('max(1): values, indices and the gradient to the returned index', () => {
    const y = Y();
    const { values, indices } = y.max(1);
    expect(arr(values)).toEqual([5, 6]);
    expect(arr(indices)).toEqual([1, 2]);
    expect(values.gradFn!.name).toBe('MaxBackward0');
    values.mul(tg.tensor([1, 10], { dtype: 'float64' })).sum().backward();
    expect(arr(y.grad)).toEqual([[0, 1, 0], [0, 0, 10]]);
  });

  test('min() and max() over all elements', () => {
    const a = Y();
    a.min().backward();
    expect(arr(a.grad)).toEqual([[1, 0, 0], [0, 0, 0]]);
    const b = Y();
    const m = b.max();
    expect(m.gradFn!.name).toBe('MaxBackward1');
    m.backward();
    expect(arr(b.grad)).toEqual([[0, 0, 0], [0, 0, 1]]);
  });

  test('amax(0).sum()', () => {
    const y = Y();
    y.amax(0).sum().backward();
    expect(arr(y.grad)).toEqual([[0, 1, 0], [1, 0, 1]]);
  });

  test('min(0, keepdim)', () => {
    const y = Y();
    const r = y.min(0, true);
    expect(arr(r.values)).toEqual([[1, 2, 3]]);
    expect(arr(r.indices)).toEqual([[0, 1, 0]]);
    r.values.sum().backward();
    expect(arr(y.grad)).toEqual([[1, 0, 1], [0, 1, 0]]);
  });
});
