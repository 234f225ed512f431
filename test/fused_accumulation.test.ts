/**
 * Note [Fused accumulation] (csrc/autograd/engine.h): a plain backward may add a weight's
 * matrix-product gradient straight into its existing .grad (one GEMM with beta = 1) instead of
 * forming the product and then running AccumulateGrad's add. These tests hold every case to the
 * unfused semantics: .grad ends as old .grad + the gradient, computed here without autograd,
 * with the version bump of one in-place add, and the cases that must not fuse (hooks, aliasing,
 * createGraph, inputs=, shared leaves, non-contiguous .grad) keep PyTorch's behaviour.
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, make } from './helpers/make';

const noGrad = <T>(f: () => T): T => tg.noGrad(f);
const leaf = (shape: number[]): Tensor => make(shape, { requiresGrad: true });
const data = (shape: number[]): Tensor => make(shape, { requiresGrad: false });
/** `w.grad` preset to a known non-zero tensor; returns a copy of it. */
function presetGrad(w: Tensor): Tensor {
  w.grad = data(w.shape);
  return w.grad.clone();
}

describe('fused accumulation of product gradients into .grad', () => {
  test('mm: both operands accumulate into their existing .grad, one version bump each', () => {
    const a = leaf([5, 7]), b = leaf([7, 3]), c = data([5, 3]);
    const ga0 = presetGrad(a), gb0 = presetGrad(b);
    const va = a.grad!.version, vb = b.grad!.version;
    const gradA = a.grad!, gradB = b.grad!;
    a.mm(b).mul(c).sum().backward();
    expect(a.grad).toBe(gradA); // the same tensor, written in place
    expect(b.grad).toBe(gradB);
    expect(a.grad!.version).toBe(va + 1);
    expect(b.grad!.version).toBe(vb + 1);
    closeTo(a.grad!.toArray(), noGrad(() => ga0.add(c.mm(b.t()))).toArray());
    closeTo(b.grad!.toArray(), noGrad(() => gb0.add(a.t().mm(c))).toArray());
  });

  test('into a zeroed .grad the result is the product itself, bit for bit (float32)', () => {
    const x = tg.randn(64, 300), w = tg.randn(300, 40, { requiresGrad: true }), c = tg.randn(64, 40);
    w.grad = tg.zeros(300, 40);
    x.mm(w).mul(c).sum().backward();
    expect(w.grad!.toArray()).toEqual(noGrad(() => x.t().mm(c)).toArray());
  });

  test('linear: the weight is reached through TBackward0 and accumulates transposed', () => {
    const lin = new tg.nn.Linear(6, 4).to('float64');
    const x = data([9, 6]), c = data([9, 4]);
    const gw0 = presetGrad(lin.weight), gb0 = presetGrad(lin.bias!);
    const v = lin.weight.grad!.version;
    lin.forward(x).mul(c).sum().backward();
    expect(lin.weight.grad!.version).toBe(v + 1);
    closeTo(lin.weight.grad!.toArray(), noGrad(() => gw0.add(c.t().mm(x))).toArray());
    closeTo(lin.bias!.grad!.toArray(), noGrad(() => gb0.add(c.sum(0))).toArray());
  });

  test('addmm: alpha scales the accumulated products, beta the input gradient', () => {
    const input = leaf([4, 5]), m1 = leaf([4, 3]), m2 = leaf([3, 5]), c = data([4, 5]);
    const gi0 = presetGrad(input), g10 = presetGrad(m1), g20 = presetGrad(m2);
    tg.addmm(input, m1, m2, { beta: 0.5, alpha: -2 }).mul(c).sum().backward();
    closeTo(input.grad!.toArray(), noGrad(() => gi0.add(c.mul(0.5))).toArray());
    closeTo(m1.grad!.toArray(), noGrad(() => g10.add(c.mm(m2.t()).mul(-2))).toArray());
    closeTo(m2.grad!.toArray(), noGrad(() => g20.add(m1.t().mm(c).mul(-2))).toArray());
  });

  test('alpha = 0 keeps the NaN of an infinite product, as 0 * (m1 @ m2) does', () => {
    const input = data([2, 2]), m1 = leaf([2, 2]), m2 = tg.tensor([[Infinity, 1], [1, 1]], { dtype: 'float64', requiresGrad: true });
    presetGrad(m1);
    presetGrad(m2);
    tg.addmm(input, m1, m2, { alpha: 0 }).sum().backward();
    expect((m1.grad!.toArray() as number[][]).flat().some(Number.isNaN)).toBe(true);
  });

  test('a .grad sharing memory with an operand of the product is not written while it is read', () => {
    const x = data([4, 4]), w = leaf([4, 4]), c = data([4, 4]);
    const x0 = x.clone();
    w.grad = x; // .grad aliases x, which the product x^T c reads
    x.mm(w).mul(c).sum().backward();
    const expected = noGrad(() => x0.add(x0.t().mm(c))).toArray();
    closeTo(w.grad!.toArray(), expected);
    closeTo(x.toArray(), expected); // the in-place add wrote through the alias, as add_ would
  });

  test('a .grad sharing memory with its own leaf is written after the node has read the leaf', () => {
    const a = leaf([3, 3]), b = leaf([3, 3]), c = data([3, 3]);
    const a0 = noGrad(() => a.clone()), b0 = noGrad(() => b.clone());
    a.grad = a.detach(); // the add into a.grad writes a, which b's gradient a^T c reads
    b.grad = tg.zerosLike(b);
    a.mm(b).mul(c).sum().backward();
    closeTo(b.grad!.toArray(), noGrad(() => a0.t().mm(c)).toArray());
    closeTo(a.grad!.toArray(), noGrad(() => a0.add(c.mm(b0.t()))).toArray());
  });

  test('leaf hooks see the whole gradient and post-accumulate hooks see the sum', () => {
    const x = data([6, 5]), w = leaf([5, 2]), c = data([6, 2]);
    const g0 = presetGrad(w);
    const seen: number[][][] = [];
    w.registerHook((g) => {
      seen.push(g.toArray() as number[][]);
      return g.mul(2);
    });
    const after: number[][][] = [];
    w.registerPostAccumulateGradHook((p) => {
      after.push(p.grad!.toArray() as number[][]);
    });
    x.mm(w).mul(c).sum().backward();
    const product = noGrad(() => x.t().mm(c));
    closeTo(seen, [product.toArray()]);
    const expected = noGrad(() => g0.add(product.mul(2))).toArray();
    closeTo(after, [expected]);
    closeTo(w.grad!.toArray(), expected);
  });

  test('a leaf used by two products gets both gradients', () => {
    const x = data([3, 4]), z = data([3, 4]), w = leaf([4, 2]), c = data([3, 2]);
    const g0 = presetGrad(w);
    x.mm(w).add(z.mm(w)).mul(c).sum().backward();
    closeTo(w.grad!.toArray(), noGrad(() => g0.add(x.t().mm(c)).add(z.t().mm(c))).toArray());
  });

  test('retainGraph: a second backward accumulates again', () => {
    const x = data([3, 4]), w = leaf([4, 2]), c = data([3, 2]);
    const g0 = presetGrad(w);
    const loss = x.mm(w).mul(c).sum();
    loss.backward({ retainGraph: true });
    loss.backward();
    closeTo(w.grad!.toArray(), noGrad(() => g0.add(x.t().mm(c).mul(2))).toArray());
  });

  test('createGraph accumulates out of place: the old .grad is left as it was', () => {
    const x = data([3, 4]), w = leaf([4, 2]), c = data([3, 2]);
    const g0 = presetGrad(w);
    const old = w.grad!;
    x.mm(w).mul(c).sum().backward({ createGraph: true });
    expect(w.grad).not.toBe(old);
    closeTo(old.toArray(), g0.toArray());
    closeTo(w.grad!.toArray(), noGrad(() => g0.add(x.t().mm(c))).toArray());
  });

  test('backward({ inputs }) accumulates only the named leaves', () => {
    const a = leaf([3, 4]), w = leaf([4, 2]), c = data([3, 2]);
    const ga0 = presetGrad(a), gw0 = presetGrad(w);
    a.mm(w).mul(c).sum().backward({ inputs: [w] });
    closeTo(a.grad!.toArray(), ga0.toArray());
    closeTo(w.grad!.toArray(), noGrad(() => gw0.add(a.t().mm(c))).toArray());
  });

  test('a non-contiguous .grad is added into in place, keeping its strides', () => {
    const x = data([3, 4]), w = leaf([4, 2]), c = data([3, 2]);
    w.grad = data([2, 4]).t();
    const g0 = w.grad.clone();
    const grad = w.grad;
    x.mm(w).mul(c).sum().backward();
    expect(w.grad).toBe(grad);
    expect(w.grad!.isContiguous()).toBe(false);
    closeTo(w.grad!.toArray(), noGrad(() => g0.add(x.t().mm(c))).toArray());
  });

  test('autograd.grad leaves .grad alone', () => {
    const x = data([3, 4]), w = leaf([4, 2]), c = data([3, 2]);
    const g0 = presetGrad(w);
    const [g] = tg.autograd.grad([x.mm(w).mul(c).sum()], [w]);
    closeTo(g!.toArray(), noGrad(() => x.t().mm(c)).toArray());
    closeTo(w.grad!.toArray(), g0.toArray());
  });
});
