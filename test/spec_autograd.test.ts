/**
 * Hand-written behaviour tests from the autograd spec (/work/shared/spec/autograd.md §2):
 * graph recording and backward(), T01-T11. Errors are matched by the spec's stable (bold)
 * substring; classes are checked through `err.name` (instanceof can fail across jest realms
 * for errors raised by the native addon).
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, t } from './helpers/make';
import { errorOf, arr } from './helpers/check';

/** The error thrown by `f`, or fails the test. */

describe('graph recording', () => {
  test('T01 seed example (float32)', () => {
    const x1 = tg.ones([2, 2], { requiresGrad: true });
    const x2 = tg.tensor(1.1, { requiresGrad: true });
    const y = x1.mul(x2.add(2));
    y.retainGrad();
    const z = y.pow(2).mul(3);
    z.retainGrad();
    const out = z.mean();
    out.backward();
    expect(out.dtype).toBe('float32');
    closeTo(out.item(), 28.83, 1e-6);
    closeTo(arr(z.grad), [[0.25, 0.25], [0.25, 0.25]], 1e-6);
    closeTo(arr(y.grad), [[4.65, 4.65], [4.65, 4.65]], 1e-6);
    closeTo(arr(x2.grad), 18.6, 1e-6);
    closeTo(arr(x1.grad), [[14.415, 14.415], [14.415, 14.415]], 1e-6);
    expect(x1.grad!.dtype).toBe('float32');
    expect(x2.grad!.shape).toEqual([]);
  });

  test('T02 graph structure of T01 (before backward)', () => {
    const x1 = tg.ones([2, 2], { requiresGrad: true });
    const x2 = tg.tensor(1.1, { requiresGrad: true });
    const y = x1.mul(x2.add(2));
    const z = y.pow(2).mul(3);
    const out = z.mean();
    expect(out.gradFn!.name).toBe('MeanBackward0');
    const n1 = out.gradFn!.nextFunctions;
    expect(n1.length).toBe(1);
    expect(n1[0][0]!.name).toBe('MulBackward0');
    expect(n1[0][1]).toBe(0);
    const mul3 = n1[0][0]!.nextFunctions; // the "* 3"
    expect(mul3.length).toBe(2);
    expect(mul3[0][0]!.name).toBe('PowBackward0');
    expect(mul3[0][1]).toBe(0);
    expect(mul3[1]).toEqual([null, 0]);
    const pow = mul3[0][0]!.nextFunctions;
    expect(pow.length).toBe(1);
    expect(pow[0][0]!.name).toBe('MulBackward0');
    expect(pow[0][1]).toBe(0);
    const mul = pow[0][0]!.nextFunctions;
    expect(mul.length).toBe(2);
    expect(mul[0][0]!.name).toBe('torch::autograd::AccumulateGrad');
    expect(mul[0][1]).toBe(0);
    expect(mul[0][0]!.variable).toBe(x1);
    expect(mul[1][0]!.name).toBe('AddBackward0');
    expect(mul[1][1]).toBe(0);
    const add = mul[1][0]!.nextFunctions;
    expect(add.length).toBe(2);
    expect(add[0][0]!.name).toBe('torch::autograd::AccumulateGrad');
    expect(add[0][1]).toBe(0);
    expect(add[0][0]!.variable).toBe(x2);
    expect(add[1]).toEqual([null, 0]);
    const acc = add[0][0]!;
    expect(acc.nextFunctions).toEqual([]);
  });

  test('T03 contagion / leaf flags', () => {
    const a = t([1, 2], false);
    const b = t([3, 4]);
    const c = a.add(b);
    const d = a.mul(2);
    expect(c.requiresGrad).toBe(true);
    expect(c.isLeaf).toBe(false);
    expect(c.gradFn!.name).toBe('AddBackward0');
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.gradFn).toBeNull();
    expect(a.isLeaf).toBe(true);
    expect(b.isLeaf).toBe(true);
    expect(b.gradFn).toBeNull();
    const e = b.mul(2);
    const ne = e.gradFn!.nextFunctions;
    expect(ne.length).toBe(2);
    expect(ne[0][0]!.name).toBe('torch::autograd::AccumulateGrad');
    expect(ne[0][0]!.variable).toBe(b);
    expect(ne[0][1]).toBe(0);
    expect(ne[1]).toEqual([null, 0]);
    const f = b.add(b);
    const nf = f.gradFn!.nextFunctions;
    expect(nf.length).toBe(2);
    expect(nf[0][0]!.name).toBe('torch::autograd::AccumulateGrad');
    // both edges point to the same AccumulateGrad object
    expect(nf[0][0]).toBe(nf[1][0]);
  });

  // T04: one assertion per Appendix A row, for the ops that exist in the API.
  const f32 = (d: number[]) => tg.tensor(d, { requiresGrad: true });
  const rows: [string, () => Tensor | null, string][] = [
    ['a+b', () => t([1, 2]).add(t([3, 4])), 'AddBackward0'],
    ['a+2', () => t([1, 2]).add(2), 'AddBackward0'],
    ['2+a', () => tg.add(2, t([1, 2])), 'AddBackward0'],
    ['a-b', () => t([1, 2]).sub(t([3, 4])), 'SubBackward0'],
    ['1-a', () => tg.sub(1, t([1, 2])), 'RsubBackward1'],
    ['a*b', () => t([1, 2]).mul(t([3, 4])), 'MulBackward0'],
    ['a*2', () => t([1, 2]).mul(2), 'MulBackward0'],
    ['a/b', () => t([1, 2]).div(t([3, 4])), 'DivBackward0'],
    ['1/a', () => tg.div(1, t([1, 2])), 'MulBackward0'],
    ['-a', () => t([1, 2]).neg(), 'NegBackward0'],
    ['a.pow(2)', () => t([1, 2]).pow(2), 'PowBackward0'],
    ['a.pow(b)', () => t([1, 2]).pow(t([3, 4])), 'PowBackward1'],
    ['exp', () => t([1, 2]).exp(), 'ExpBackward0'],
    ['log', () => t([1, 2]).log(), 'LogBackward0'],
    ['sqrt', () => t([1, 2]).sqrt(), 'SqrtBackward0'],
    ['sin', () => t([1, 2]).sin(), 'SinBackward0'],
    ['cos', () => t([1, 2]).cos(), 'CosBackward0'],
    ['tanh', () => t([1, 2]).tanh(), 'TanhBackward0'],
    ['sigmoid', () => t([1, 2]).sigmoid(), 'SigmoidBackward0'],
    ['relu', () => t([1, 2]).relu(), 'ReluBackward0'],
    ['clamp(0,1)', () => t([1, 2]).clamp(0, 1), 'ClampBackward1'],
    ['abs', () => t([1, 2]).abs(), 'AbsBackward0'],
    ['sum()', () => t([1, 2]).sum(), 'SumBackward0'],
    ['sum(dim)', () => t([[1, 2]]).sum(0), 'SumBackward1'],
    ['mean()', () => t([1, 2]).mean(), 'MeanBackward0'],
    ['mean(dim)', () => t([[1, 2]]).mean(1), 'MeanBackward1'],
    ['mean(dim, keepdim)', () => t([[1, 2]]).mean(1, true), 'MeanBackward1'],
    ['max()', () => t([1, 2]).max(), 'MaxBackward1'],
    ['min()', () => t([1, 2]).min(), 'MinBackward1'],
    ['maximum', () => t([1, 2]).maximum(t([2, 1])), 'MaximumBackward0'],
    ['a@b (2-D)', () => t([[1, 2]]).matmul(t([[1], [2]])), 'MmBackward0'],
    ['mm', () => t([[1, 2]]).mm(t([[1], [2]])), 'MmBackward0'],
    ['bmm', () => t([[[1, 2]]]).bmm(t([[[1], [2]]])), 'BmmBackward0'],
    ['1-D@1-D', () => t([1, 2]).matmul(t([3, 4])), 'DotBackward0'],
    ['dot', () => t([1, 2]).dot(t([3, 4])), 'DotBackward0'],
    ['mv', () => t([[1, 2]]).mv(t([3, 4])), 'MvBackward0'],
    ['t()', () => t([[1, 2]]).t(), 'TBackward0'],
    ['transpose', () => t([[1, 2]]).transpose(0, 1), 'TransposeBackward0'],
    ['permute', () => t([[1, 2]]).permute(1, 0), 'PermuteBackward0'],
    ['view', () => t([[1, 2], [3, 4]]).view(4), 'ViewBackward0'],
    ['reshape of contiguous', () => t([[1, 2], [3, 4]]).reshape(4), 'ViewBackward0'],
    ['expand', () => t([1, 2]).expand(3, 2), 'ExpandBackward0'],
    ['unsqueeze', () => t([1, 2]).unsqueeze(0), 'UnsqueezeBackward0'],
    ['squeeze(dim)', () => t([[1, 2]]).squeeze(0), 'SqueezeBackward1'],
    ['x[0]', () => t([1, 2]).index(0), 'SelectBackward0'],
    ['x[:,1:]', () => t([[1, 2, 3]]).index(':', '1:'), 'SliceBackward0'],
    ['where', () => tg.where(tg.tensor([true, false]), t([1, 2]), t([3, 4])), 'WhereBackward0'],
    ['clone', () => t([1, 2]).clone(), 'CloneBackward0'],
    ['t().contiguous()', () => t([[1, 2], [3, 4]]).t().contiguous(), 'CloneBackward0'],
    ['.double()', () => f32([1, 2]).double(), 'ToCopyBackward0'],
    ['.to(dtype)', () => f32([1, 2]).to('float64'), 'ToCopyBackward0'],
    ['leaf accumulator', () => null, 'torch::autograd::AccumulateGrad'],
    [
      'x[i]=v',
      () => {
        const x = tg.zeros(3, { dtype: 'float64' });
        x.indexPut_(0, t([2]).index(0));
        return x;
      },
      'torch::autograd::CopySlices',
    ],
    [
      'copy_',
      () => {
        const x = tg.zeros(2, { dtype: 'float64' });
        x.copy_(t([1, 2]));
        return x;
      },
      'torch::autograd::CopyBackwards',
    ],
  ];
  test.each(rows)('T04 grad_fn name of %s', (_expr, make, name) => {
    const y = make();
    if (y === null) {
      const x = t([1, 2]);
      expect(x.mul(2).gradFn!.nextFunctions[0][0]!.name).toBe(name);
      return;
    }
    expect(y.gradFn).not.toBeNull();
    expect(y.gradFn!.name).toBe(name);
  });

  test('T05 non-differentiable outputs', () => {
    const x = t([1, 2]);
    expect(x.gt(0).requiresGrad).toBe(false);
    expect(x.gt(0).gradFn).toBeNull();
    expect(x.long().requiresGrad).toBe(false);
    expect(x.long().gradFn).toBeNull();
    expect(tg.sign(x).gradFn).not.toBeNull();
    expect(tg.round(x).gradFn).not.toBeNull();
    tg.sign(x).sum().backward();
    expect(arr(x.grad)).toEqual([0, 0]);
    x.grad = null;
    tg.round(x).sum().backward();
    expect(arr(x.grad)).toEqual([0, 0]);
    x.grad = null;
    x.floor().add(x.ceil()).add(x.trunc()).sum().backward();
    expect(arr(x.grad)).toEqual([0, 0]);
  });
  test('T05 x.argmax() does not require grad', () => {
    const x = t([1, 2]);
    const i = x.argmax();
    expect(i.requiresGrad).toBe(false);
    expect(i.dtype).toBe('int64');
    expect(i.item()).toBe(1);
  });

  test('T06 in-place contagion', () => {
    const w = t([2]);
    const x = tg.zeros(3, { dtype: 'float64' });
    x.indexPut_(0, w.index(0).mul(3));
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(false);
    expect(x.gradFn!.name).toBe('torch::autograd::CopySlices');
    x.sum().backward();
    closeTo(arr(w.grad), [3]);
    const x2 = tg.zeros(3, { dtype: 'float64' });
    x2.add_(w);
    expect(x2.requiresGrad).toBe(true);
    expect(x2.isLeaf).toBe(false);
    expect(x2.gradFn!.name).toBe('AddBackward0');
    const x3 = tg.zeros(1, { dtype: 'float64' });
    x3.copy_(w);
    expect(x3.requiresGrad).toBe(true);
    expect(x3.gradFn!.name).toBe('torch::autograd::CopyBackwards');
  });
});

describe('backward()', () => {
  test('T07 implicit gradient only for one-element outputs', () => {
    const x = t([1, 2]);
    expect(() => x.mul(2).backward()).toThrow('grad can be implicitly created only for scalar outputs');
    x.mul(2).sum().backward();
    closeTo(arr(x.grad), [2, 2]);
    const y = t([[3]]);
    y.mul(2).backward();
    closeTo(arr(y.grad), [[2]]);
    const s = t(3);
    s.mul(2).backward();
    closeTo(arr(s.grad), 2);
  });

  test('T08 output outside any graph', () => {
    const x = t([1, 2], false);
    expect(() => x.sum().backward()).toThrow('element 0 of tensors does not require grad and does not have a grad_fn');
    const y = t([1]);
    expect(() => tg.autograd.grad(x.sum(), [y])).toThrow('element 0 of tensors does not require grad and does not have a grad_fn');
    expect(() => tg.autograd.backward([x.sum()])).toThrow('element 0 of tensors does not require grad and does not have a grad_fn');
    expect(errorOf(() => x.sum().backward()).name).toBe('RuntimeError');
  });

  test('T09 VJP with a gradient argument', () => {
    const x = t([1, 2, 3]);
    const y = x.pow(2);
    y.backward(tg.tensor([1, 0.1, 0.01], { dtype: 'float64' }));
    closeTo(arr(x.grad), [2, 0.4, 0.06]);
  });

  test('T10 gradient shape mismatch, and a gradient of another dtype', () => {
    const x = tg.tensor([1, 1], { dtype: 'float32', requiresGrad: true });
    const err = errorOf(() => x.mul(2).backward(tg.ones([3])));
    expect(err.message).toContain('Mismatch in shape: grad_output[0] has a shape of');
    expect(err.message).toMatch(/grad_output\[0\] has a shape of .*\[3\].* and output\[0\] has a shape of .*\[2\].*\./);
    expect(err.name).toBe('RuntimeError');
    x.mul(2).backward(tg.ones([2], { dtype: 'float64' }));
    expect(arr(x.grad)).toEqual([2, 2]);
    expect(x.grad!.dtype).toBe('float32');
  });

  test('T11 retain_graph', () => {
    let x = t([1, 1]);
    let y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow('Trying to backward through the graph a second time');

    x = t([1, 1]);
    y = x.mul(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    closeTo(arr(x.grad), [4, 4]);

    x = t([1, 1]);
    y = x.add(x).sum();
    y.backward();
    y.backward();
    closeTo(arr(x.grad), [4, 4]);

    const s = t(2);
    const z = s.mul(s);
    z.backward({ retainGraph: true });
    z.backward({ retainGraph: true });
    z.backward();
    closeTo(arr(s.grad), 12);
  });
});
