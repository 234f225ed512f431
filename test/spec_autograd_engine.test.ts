/**
 * Spec tests (/work/shared/spec/autograd.md §2): higher-order gradients, backward() options
 * and roots (T12-T17), inference mode and no_grad views (T23, T24), multi-output views (H5),
 * in-place writes into the base of live views (H4), the version counter (T29), hooks
 * (T30-T35) and autograd.grad (T36). Errors raised by the
 * native addon are checked through `err.name`; errors thrown by user hooks keep their class.
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, t } from './helpers/make';
import { errorOf, arr, warningsOf } from './helpers/check';

const f64 = (data: number | unknown[]): Tensor => tg.tensor(data as number[], { dtype: 'float64' });
const CREATE_GRAPH = 'Using backward() with createGraph: true will create a reference cycle';

describe('higher order and backward()', () => {
  test('T12 createGraph: grad of grad of grad', () => {
    const x = t(3);
    const y = x.pow(3);
    const g = tg.autograd.grad(y, x, { createGraph: true });
    closeTo(g.item(), 27); // 3x^2
    expect(g.requiresGrad).toBe(true);
    expect(g.gradFn!.name).toBe('MulBackward0');
    const g2 = tg.autograd.grad(g, x, { createGraph: true });
    closeTo(g2.item(), 18); // 6x
    const g3 = tg.autograd.grad(g2, x);
    closeTo(g3.item(), 6);
    expect(g3.requiresGrad).toBe(false);
  });

  test('T12 sin(x) * x: first and second derivative', () => {
    const x = t(0.5);
    const y = x.sin().mul(x);
    const g = tg.autograd.grad(y, x, { createGraph: true });
    closeTo(g.item(), 0.9182168195493894); // sin x + x cos x
    const g2 = tg.autograd.grad(g, x);
    closeTo(g2.item(), 1.515452354478644); // 2 cos x - x sin x
  });

  test('T12 createGraph defaults retainGraph to true', () => {
    const x = t(2);
    const y = x.pow(2);
    tg.autograd.grad(y, x, { createGraph: true });
    y.backward();
    closeTo(x.grad!.item(), 4);
  });

  test('T13 backward(createGraph) on leaves: the warning, CopyBackwards, differentiating .grad', () => {
    const x = t(3);
    const y = x.pow(3);
    const w = warningsOf(() => y.backward({ createGraph: true }));
    expect(w.filter((m) => m.includes(CREATE_GRAPH)).length).toBe(1);
    closeTo(x.grad!.item(), 27);
    expect(x.grad!.requiresGrad).toBe(true);
    expect(x.grad!.gradFn!.name).toBe('torch::autograd::CopyBackwards');
    const g = x.grad!;
    x.grad = null;
    g.backward();
    closeTo(x.grad!.item(), 18);
  });

  test('T13 the createGraph warning is shown once per call site', () => {
    const x = t(2);
    const w = warningsOf(() => {
      for (let i = 0; i < 3; i++) x.pow(2).backward({ createGraph: true });
    });
    expect(w.filter((m) => m.includes(CREATE_GRAPH)).length).toBe(1);
    const w2 = warningsOf(() => tg.autograd.grad(x.pow(2), x, { createGraph: true }));
    expect(w2.some((m) => m.includes(CREATE_GRAPH))).toBe(false); // grad() does not warn
    const w3 = warningsOf(() => tg.autograd.backward([x.pow(2)], null, { createGraph: true }));
    expect(w3.some((m) => m.includes(CREATE_GRAPH))).toBe(true);
  });

  test('T13 a later accumulation with createGraph is out of place (C2)', () => {
    const x = t(3);
    warningsOf(() => {
      x.pow(2).backward({ createGraph: true });
      const first = x.grad!;
      x.pow(2).backward({ createGraph: true });
      expect(x.grad).not.toBe(first);
      closeTo(first.item(), 6);
      closeTo(x.grad!.item(), 12);
      expect(x.grad!.gradFn!.name).toBe('AddBackward0');
    });
  });

  test('T14 gradient penalty: backward through a gradient', () => {
    const x = t([1, 2]);
    const g = tg.autograd.grad(x.pow(2).sum(), x, { createGraph: true });
    g.sum().backward();
    closeTo(arr(x.grad), [2, 2]);
  });

  test('T15 inputs=', () => {
    const a = t(2);
    const b = t(3);
    a.mul(b).backward(undefined, { inputs: [a] });
    closeTo(a.grad!.item(), 3);
    expect(b.grad).toBeNull();

    const x = t([1, 1]);
    const y = x.mul(2);
    y.mul(3).sum().backward(undefined, { inputs: [y] });
    closeTo(arr(y.grad), [3, 3]);
    expect(x.grad).toBeNull();
    y.mul(3).sum().backward({ inputs: [y] }); // options as the first argument; accumulates
    closeTo(arr(y.grad), [6, 6]);

    const err = errorOf(() => x.mul(2).sum().backward(undefined, { inputs: [] }));
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toBe('`inputs` argument to `backward()` cannot be empty.');
    const err2 = errorOf(() => x.mul(2).sum().backward(undefined, { inputs: [t([1], false)] }));
    expect(err2.message).toBe('One of the differentiated Tensors does not require grad');
  });

  test('T16 backward on a leaf scalar, and under noGrad (B7, B8)', () => {
    const x = t(2);
    x.backward();
    closeTo(x.grad!.item(), 1);
    const x2 = t([2]);
    const y = x2.mul(3);
    tg.noGrad(() => y.backward());
    closeTo(arr(x2.grad), [3]);
    expect(tg.isGradEnabled()).toBe(true);
    expect(y.backward.length).toBeLessThanOrEqual(2);
  });

  test('T17 fan-in, diamond and several roots (B9)', () => {
    const a = t(2);
    a.mul(2).mul(a.mul(3)).backward();
    closeTo(a.grad!.item(), 24); // d/da 6a^2 = 12a

    const x = t(3);
    x.mul(x).add(x).backward();
    closeTo(x.grad!.item(), 7); // 2x + 1

    const x2 = t([1, 2]);
    expect(tg.autograd.backward([x2.sum(), x2.mul(2).sum()])).toBeUndefined();
    closeTo(arr(x2.grad), [3, 3]);

    const x3 = t([1, 2]);
    const y = x3.mul(2);
    const g = tg.autograd.grad([y.sum(), y.mul(y).sum()], x3);
    closeTo(arr(g), [10, 18]); // 2 + 8x

    const a2 = t([1, 2]);
    const b2 = t([3, 4]);
    tg.autograd.backward([a2.mul(2), b2.mul(b2).sum()], [f64([1, 1]), null]);
    closeTo(arr(a2.grad), [2, 2]);
    closeTo(arr(b2.grad), [6, 8]);
  });

  test('T17 autograd.backward argument errors (B1, B2, B3)', () => {
    const x = t([1, 2]);
    expect(errorOf(() => tg.autograd.backward([x.mul(2)])).message).toBe(
      'grad can be implicitly created only for scalar outputs',
    );
    const e = errorOf(() => tg.autograd.backward([x.sum(), t([1], false).sum()]));
    expect(e.message).toBe('element 1 of tensors does not require grad and does not have a grad_fn');
    const e2 = errorOf(() => tg.autograd.backward([x.mul(2)], [f64([1, 1, 1])]));
    expect(e2.message).toBe(
      'Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2].',
    );
  });
});

describe('grad modes', () => {
  test('T23 inferenceMode tensors and their misuse', () => {
    const x = t([1]);
    const y = tg.inferenceMode(() => {
      expect(tg.isGradEnabled()).toBe(false);
      return x.mul(2);
    });
    expect(tg.isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.isInference()).toBe(true);
    expect(x.isInference()).toBe(false);
    closeTo(arr(y), [2]);

    const e1 = errorOf(() => y.mul(t([1])).sum().backward());
    expect(e1.name).toBe('RuntimeError');
    expect(e1.message).toContain('Inference tensors cannot be saved for backward.');
    expect(e1.message).toContain('To work around this, you can make a clone to get a normal tensor and use it in autograd');
    const e2 = errorOf(() => y.requiresGrad_());
    expect(e2.message).toBe('Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.');
    const e3 = errorOf(() => y.add_(1));
    expect(e3.message).toContain('Inplace update to inference tensor outside InferenceMode is not allowed.');
    closeTo(arr(y), [2]);

    // Functional use outside the mode is fine and gives normal tensors; so is a clone.
    const z = y.add(1);
    expect(z.isInference()).toBe(false);
    const c = y.clone().requiresGrad_();
    c.mul(c).sum().backward();
    closeTo(arr(c.grad), [4]);
    // Inside the mode, in-place updates of inference tensors are allowed.
    tg.inferenceMode(() => y.add_(1));
    closeTo(arr(y), [3]);
  });

  test('T23 inferenceMode(false) switches it off inside an outer inference mode', () => {
    const x = t([1]);
    const [a, b] = tg.inferenceMode(() => {
      const inner = tg.inferenceMode(false, () => {
        expect(tg.isGradEnabled()).toBe(true);
        return x.mul(2);
      });
      return [x.mul(2), inner];
    });
    expect(a.isInference()).toBe(true);
    expect(b.isInference()).toBe(false);
    expect(b.requiresGrad).toBe(true);
    expect(() => tg.inferenceMode(() => Promise.resolve(1))).toThrow('returned a Promise');
    expect(tg.isGradEnabled()).toBe(true);
  });

  test('T24 a view made in noGrad, modified in place in grad mode (E7)', () => {
    const x = t([1, 1]);
    const w = tg.noGrad(() => x.view(2));
    const err = errorOf(() => w.mul_(2));
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain(
      'A view was created in no_grad mode and is being modified inplace with grad mode enabled.',
    );
    closeTo(arr(x), [1, 1]);
    // Both inside noGrad: allowed, not recorded.
    tg.noGrad(() => tg.noGrad(() => x.view(2)).mul_(2));
    closeTo(arr(x), [2, 2]);
    // A base that does not require grad: nothing to protect.
    const plain = f64([1, 1]);
    tg.noGrad(() => plain.view(2)).mul_(3);
    closeTo(arr(plain), [3, 3]);
  });
});

describe('multi-output views (H5)', () => {
  const H5 =
    'is a view and is being modified inplace. This view is the output of a function that returns multiple views.';

  test('T27 unbind outputs may not be modified in place', () => {
    const y = t([1, 1, 1]).clone();
    const parts = y.unbind();
    expect(parts.length).toBe(3);
    const err = errorOf(() => parts[0].mul_(2));
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain(H5);
    expect(err.message).toBe(
      'Output 0 of Unbind is a view and is being modified inplace. This view is the output of a function that ' +
        'returns multiple views. Such functions do not allow the output views to be modified inplace. You should ' +
        'replace the inplace operation by an out-of-place one.',
    );
    expect(errorOf(() => parts[2].add_(1)).message).toContain('Output 2 of Unbind');
    closeTo(arr(y), [1, 1, 1]);
    // A view of an output is refused too; without autograd it is allowed.
    expect(errorOf(() => parts[1].view(1).mul_(2)).message).toContain(H5);
    const plain = f64([1, 2, 3]);
    plain.unbind()[1].mul_(10);
    closeTo(arr(plain), [1, 20, 3]);
    const ng = t([1, 2]);
    tg.noGrad(() => ng.unbind()[0].mul_(5));
    closeTo(arr(ng), [5, 2]);
  });

  test('split and chunk outputs may not be modified in place', () => {
    const y = t([1, 2, 3, 4, 5]).mul(1);
    expect(errorOf(() => y.split(2)[1].add_(1)).message).toContain('Output 1 of Split is a view');
    expect(errorOf(() => y.split([1, 4])[0].add_(1)).message).toContain('Output 0 of SplitWithSizes is a view');
    expect(errorOf(() => y.chunk(2)[0].mul_(2)).message).toContain(H5);
  });

  test('unbind: values, node, edges and gradients', () => {
    const x = t([
      [1, 2],
      [3, 4],
    ]);
    const [a, b] = x.unbind();
    closeTo(arr(a), [1, 2]);
    closeTo(arr(b), [3, 4]);
    expect(a.gradFn!.name).toBe('UnbindBackward0');
    expect(b.gradFn).toBe(a.gradFn);
    // A6: the consumer's edge carries the output number.
    expect(a.mul(1).gradFn!.nextFunctions[0][1]).toBe(0);
    expect(b.mul(1).gradFn!.nextFunctions[0][1]).toBe(1);
    a.mul(1).add(b.mul(2)).sum().backward();
    closeTo(arr(x.grad), [
      [1, 1],
      [2, 2],
    ]);
    // An output that gets no gradient contributes zeros.
    const x2 = t([
      [1, 2],
      [3, 4],
    ]);
    x2.unbind(1)[1].mul(f64([5, 7])).sum().backward();
    closeTo(arr(x2.grad), [
      [0, 5],
      [0, 7],
    ]);
    expect(x2.unbind(-1).length).toBe(2);
    expect(x2.unbind(1)[0].shape).toEqual([2]);
  });

  test('split / chunk: sizes and gradients', () => {
    const x = t([1, 2, 3, 4, 5]);
    expect(x.split(2).map((p) => p.toArray())).toEqual([[1, 2], [3, 4], [5]]);
    expect(x.split([1, 4]).map((p) => p.shape)).toEqual([[1], [4]]);
    expect(x.chunk(2).map((p) => p.shape)).toEqual([[3], [2]]);
    expect(x.chunk(5).length).toBe(5);
    expect(x.chunk(10).length).toBe(5); // fewer pieces when the dim is too small
    const [p0, , p2] = x.split(2);
    expect(p0.gradFn!.name).toBe('SplitBackward0');
    expect(x.split([2, 3])[0].gradFn!.name).toBe('SplitWithSizesBackward0');
    expect(x.chunk(2)[0].gradFn!.name).toBe('SplitBackward0');
    p0.mul(f64([1, 2])).sum().add(p2.mul(10).sum()).backward();
    closeTo(arr(x.grad), [1, 2, 0, 0, 10]);
    const m = t([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const [c0, c1] = m.chunk(2, 1);
    expect(c0.shape).toEqual([2, 2]);
    expect(c1.shape).toEqual([2, 1]);
    c1.sum().backward();
    closeTo(arr(m.grad), [
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });

  test('unbind / split: double backward and gradcheck', () => {
    const x = tg.tensor([[0.3, -0.7, 1.1], [0.5, 0.2, -1.3]], { dtype: 'float64', requiresGrad: true });
    const f = (a: Tensor): Tensor => {
      const [r0, r1] = a.unbind();
      return r0.mul(r1).add(r0.pow(3));
    };
    expect(tg.gradcheck(f, [x])).toBe(true);
    expect(tg.gradgradcheck(f, [x])).toBe(true);
    const g = (a: Tensor): Tensor => {
      const [s0, s1] = a.split([1, 2], 1);
      return s0.mul(s1.sum(1, true)).pow(2);
    };
    expect(tg.gradcheck(g, [x])).toBe(true);
    expect(tg.gradgradcheck(g, [x])).toBe(true);
    const dx = tg.autograd.grad(f(x).sum(), x, { createGraph: true });
    expect(dx.gradFn!.name).toBe('StackBackward0');
  });

  test('argument errors', () => {
    const x = t([1, 2, 3]);
    expect(errorOf(() => t(1).unbind()).message).toBe('Dimension specified as 0 but tensor has no dimensions');
    expect(errorOf(() => x.unbind(1)).name).toBe('IndexError');
    expect(errorOf(() => x.split([1, 1])).message).toBe(
      "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0), but got split_sizes=[1, 1]",
    );
    expect(errorOf(() => x.split(0)).message).toBe(
      'split_size can only be 0 if dimension size is 0, but got dimension size of 3',
    );
    expect(errorOf(() => x.chunk(0)).message).toBe('chunk expects `chunks` to be greater than 0, got: 0');
    expect(errorOf(() => x.split(1.5)).name).toBe('ArgumentTypeError');
  });
});

describe('in-place writes and existing views (H4)', () => {
  test('a view made before its base was written in place reads the new history', () => {
    const a = t([1, 2, 3]);
    const b = a.mul(1);
    const v = b.index('0:2');
    expect(v.gradFn!.name).toBe('SliceBackward0');
    b.mul_(2);
    expect(v.gradFn!.name).toBe('AsStridedBackward0');
    closeTo(arr(v), [2, 4]);
    v.sum().backward();
    closeTo(arr(a.grad), [2, 2, 0]); // the old history would give [1, 1, 0]
  });

  test('a view of a tensor that gains history in place requires grad', () => {
    const x = tg.zeros(3, { dtype: 'float64' });
    const w = t([5, 6, 7]);
    const v = x.index('1:');
    expect(v.requiresGrad).toBe(false);
    x.add_(w);
    expect(v.requiresGrad).toBe(true);
    expect(v.isLeaf).toBe(false);
    v.mul(f64([1, 2])).sum().backward();
    closeTo(arr(w.grad), [0, 1, 2]);
  });

  test('writing through one view updates the history of another', () => {
    const a = t([1, 2, 3]);
    const b = a.mul(1);
    const v1 = b.index('0:2');
    const v2 = b.index('1:3');
    v1.mul_(10);
    closeTo(arr(v2), [20, 3]);
    v2.sum().backward();
    closeTo(arr(a.grad), [0, 10, 1]);
  });

  test('retainGrad follows the refreshed view', () => {
    const a = t([1, 2, 3]);
    const b = a.mul(1);
    const v = b.index('1:');
    v.retainGrad();
    b.mul_(2);
    v.mul(3).sum().backward();
    closeTo(arr(v.grad), [3, 3]);
    closeTo(arr(a.grad), [0, 6, 6]);
  });

  test('gradcheck through writes into a base with live views', () => {
    const f = (a: Tensor): Tensor => {
      const b = a.mul(1);
      const v = b.index('0:2');
      b.mul_(a); // b = a * a, v reads it
      const w = b.index('1:');
      w.add_(v.sum()); // a write through another view
      return v.mul(v).add(b.sum());
    };
    const x = tg.tensor([0.4, -1.2, 0.9], { dtype: 'float64', requiresGrad: true });
    expect(tg.gradcheck(f, [x])).toBe(true);
    expect(tg.gradgradcheck(f, [x])).toBe(true);
  });

  test('views that cannot be refreshed: multi-output and custom Function views', () => {
    const y = t([1, 1, 1]).mul(1);
    const parts = y.unbind();
    y.mul_(2);
    const err = errorOf(() => parts[0].sum());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain(
      'Output 0 of Unbind is a view and its base or another view of its base has been modified inplace. This view ' +
        'is the output of a function that returns multiple views.',
    );
    class Identity extends tg.autograd.Function {
      static forward(ctx: tg.FunctionCtx, x: Tensor): Tensor {
        return x;
      }
      static backward(ctx: tg.FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    const z = t([1, 2]).mul(1);
    const out = Identity.apply(z);
    z.add_(1);
    expect(errorOf(() => out.mul(2)).message).toContain(
      'Output 0 of IdentityBackward is a view and its base or another view of its base has been modified inplace. ' +
        'This view was created inside a custom Function',
    );
  });

  test('views made in noGrad stay constants; views of plain tensors stay leaves', () => {
    const x = t([1, 2]).mul(1);
    const c = tg.noGrad(() => x.index('0:1'));
    x.mul_(3);
    expect(c.requiresGrad).toBe(false);
    expect(c.gradFn).toBeNull();
    const p = f64([1, 2]);
    const pv = p.index('1:');
    p.mul_(2);
    expect(pv.requiresGrad).toBe(false);
    expect(pv.isLeaf).toBe(true);
  });
});

describe('version counter', () => {
  test('T29 in-place writes bump the shared version counter', () => {
    const x = t([1, 2]);
    expect(x.version).toBe(0);
    tg.noGrad(() => x.mul_(2));
    expect(x.version).toBe(1);
    const v = x.index('0:1');
    const d = x.detach();
    expect(v.version).toBe(1);
    tg.noGrad(() => v.add_(1));
    expect(x.version).toBe(2);
    expect(d.version).toBe(2);
    // A recorded in-place op bumps it once.
    const y = x.mul(1);
    y.add_(1);
    expect(y.version).toBe(1);
    // x.data() is a copy (a TypedArray), not PyTorch's aliasing .data: writing into it changes nothing.
    const copy = x.data() as Float64Array;
    copy[0] = 100;
    closeTo(arr(x), [3, 4]);
  });
});

describe('hooks', () => {
  test('T30 leaf hook replacing the gradient, remove()', () => {
    const v = t([0, 0, 0]);
    v.registerHook((g) => g.mul(2));
    v.backward(f64([1, 2, 3]));
    closeTo(arr(v.grad), [2, 4, 6]);

    const x = t([1, 2]);
    const h = x.registerHook((g) => g.mul(10));
    x.mul(2).sum().backward();
    closeTo(arr(x.grad), [20, 20]);
    h.remove();
    h.remove(); // idempotent
    x.grad = null;
    x.mul(2).sum().backward();
    closeTo(arr(x.grad), [2, 2]);

    const z = t([1]);
    const seen: number[] = [];
    z.registerHook((g) => {
      seen.push(g.item() as number);
    });
    z.mul(5).sum().backward();
    expect(seen).toEqual([5]);
    closeTo(arr(z.grad), [5]);
  });

  test('T31 non-leaf hook chain in registration order', () => {
    const x = t([1, 2]);
    const y = x.mul(2);
    const seen: unknown[] = [];
    y.registerHook((g) => {
      seen.push(g.toArray());
    });
    y.registerHook((g) => g.mul(3));
    y.registerHook((g) => {
      seen.push(g.toArray());
    });
    y.mul(y).sum().backward();
    expect(seen).toEqual([
      [4, 8],
      [12, 24],
    ]);
    closeTo(arr(x.grad), [24, 48]);
  });

  test('T32 retainGrad sees the gradient after all hooks, whatever the order', () => {
    const x = t([1]);
    const y = x.mul(2);
    y.retainGrad();
    y.registerHook((g) => g.mul(3));
    y.sum().backward();
    closeTo(arr(y.grad), [3]);
    closeTo(arr(x.grad), [6]);

    const x2 = t([1]);
    const y2 = x2.mul(2);
    y2.registerHook((g) => g.mul(3));
    y2.retainGrad();
    y2.sum().backward();
    closeTo(arr(y2.grad), [3]);
    closeTo(arr(x2.grad), [6]);
  });

  test('T33 hook errors: no requires_grad, a size change, exceptions keep their type', () => {
    const e1 = errorOf(() => t([1], false).registerHook((g) => g));
    expect(e1.name).toBe('RuntimeError');
    expect(e1.message).toBe("cannot register a hook on a tensor that doesn't require gradient");

    const x = t([1, 1]);
    x.registerHook(function widen() {
      return tg.ones(3, { dtype: 'float64' });
    });
    const e2 = errorOf(() => x.mul(2).sum().backward());
    expect(e2.message).toBe("hook 'widen' has changed the size of value");
    const y = t([1, 1]);
    y.registerHook(() => tg.ones(3, { dtype: 'float64' }));
    expect(errorOf(() => y.mul(2).sum().backward()).message).toBe("hook '<anonymous>' has changed the size of value");

    const z = t([2]);
    z.registerHook(() => {
      throw new TypeError('boom');
    });
    const e3 = errorOf(() => z.mul(2).backward());
    expect(e3).toBeInstanceOf(TypeError);
    expect(e3.message).toBe('boom');
    expect(tg.isGradEnabled()).toBe(true);
    const w = t([3]);
    const ng = w.mul(2);
    ng.registerHook(() => {
      throw new RangeError('non-leaf boom');
    });
    const e4 = errorOf(() => tg.autograd.grad(ng.sum(), w, { createGraph: true }));
    expect(e4).toBeInstanceOf(RangeError);
    expect(tg.isGradEnabled()).toBe(true);

    const n = t([1]);
    n.registerHook(function count() {
      return 42 as unknown as Tensor;
    });
    const e5 = errorOf(() => n.mul(1).sum().backward());
    expect(e5.name).toBe('ArgumentTypeError');
    expect(e5.message).toContain("hook 'count' returned a value of type number");
  });

  test('T33 reentrant backward from a hook', () => {
    const log: string[] = [];
    const x = t([1]);
    const y = x.mul(2);
    const a = t([1]);
    a.registerHook(() => {
      log.push('a');
      y.backward();
    });
    x.registerHook(() => {
      log.push('x');
    });
    a.backward();
    expect(log).toEqual(['a', 'x']);
    closeTo(arr(x.grad), [2]);
    closeTo(arr(a.grad), [1]);
  });

  test('T33 reentrant backward three levels deep, and an error from the innermost level', () => {
    const log: string[] = [];
    const x1 = t([1]);
    const x2 = t([1]);
    const x3 = t([1]);
    const y2 = x2.mul(2);
    const y3 = x3.mul(3);
    x1.registerHook(() => {
      log.push('1');
      y2.backward({ retainGraph: true });
      log.push('1 done');
    });
    x2.registerHook(() => {
      log.push('2');
      y3.backward({ retainGraph: true });
      log.push('2 done');
    });
    x3.registerHook(() => {
      log.push('3');
    });
    x1.mul(1).backward();
    expect(log).toEqual(['1', '2', '3', '2 done', '1 done']);
    closeTo(arr(x1.grad), [1]);
    closeTo(arr(x2.grad), [2]);
    closeTo(arr(x3.grad), [3]);

    x3.registerHook(() => {
      throw new SyntaxError('deep');
    });
    const err = errorOf(() => x1.mul(1).backward());
    expect(err).toBeInstanceOf(SyntaxError);
    expect(err.message).toBe('deep');
    expect(tg.isGradEnabled()).toBe(true);
  });

  test('T34 a hook registered before an in-place op sees the gradient of the old value (J3)', () => {
    const s = t(1).sin();
    const seen: number[] = [];
    s.registerHook((g) => {
      seen.push(g.item() as number);
    });
    s.cos_();
    s.backward();
    closeTo(seen, [-0.7456241416655579]); // d cos(u)/du at u = sin(1): -sin(sin(1))

    const s32 = tg.tensor(1, { requiresGrad: true }).sin();
    const seen32: number[] = [];
    s32.registerHook((g) => {
      seen32.push(g.item() as number);
    });
    s32.cos_();
    s32.backward();
    closeTo(seen32, [-0.74562412], 1e-6);
  });

  test('T34 remove() after an in-place op removes the hook from the old node', () => {
    const x = t([1, 1]);
    const s = x.mul(1);
    const h = s.registerHook((g) => g.mul(10));
    s.add_(1);
    expect(s.gradFn!.name).toBe('AddBackward0');
    h.remove();
    s.sum().backward();
    closeTo(arr(x.grad), [1, 1]);
  });

  test('T35 post-accumulate-grad hooks', () => {
    const v = t([0, 0, 0]);
    v.registerPostAccumulateGradHook((p) => {
      tg.noGrad(() => p.sub_(p.grad!.mul(0.01)));
    });
    v.backward(f64([1, 2, 3]));
    closeTo(arr(v), [-0.01, -0.02, -0.03]);
    closeTo(arr(v.grad), [1, 2, 3]);

    const e = errorOf(() => t([1]).mul(2).registerPostAccumulateGradHook(() => undefined));
    expect(e.message).toBe('post accumulate grad hooks cannot be registered on non-leaf tensors');

    // Order on a leaf: the tensor hook first, then the post-accumulate hook with .grad set.
    const log: unknown[] = [];
    const x = t([1, 1]);
    x.registerHook((g) => {
      log.push(['hook', g.toArray()]);
    });
    const h = x.registerPostAccumulateGradHook((p) => {
      expect(tg.isGradEnabled()).toBe(false);
      log.push(['post', p.grad!.toArray()]);
    });
    x.mul(3).sum().backward();
    expect(log).toEqual([
      ['hook', [3, 3]],
      ['post', [3, 3]],
    ]);
    h.remove();
    x.mul(3).sum().backward();
    expect(log.length).toBe(3);
  });

  test('leaf hooks also run for autograd.grad() captures', () => {
    const x = t([1, 2]);
    x.registerHook((g) => g.mul(10));
    const g = tg.autograd.grad(x.mul(2).sum(), x);
    closeTo(arr(g), [20, 20]);
    expect(x.grad).toBeNull();
    const y = x.mul(1);
    y.registerHook((gy) => gy.mul(3));
    closeTo(arr(tg.autograd.grad(y.sum(), y)), [3, 3]);
  });

  test('a hook may remove itself while running', () => {
    const x = t([1]);
    let calls = 0;
    const h = x.registerHook(() => {
      calls++;
      h.remove();
    });
    x.mul(1).sum().backward();
    x.mul(1).sum().backward();
    expect(calls).toBe(1);
  });
});

describe('autograd.grad', () => {
  test('T36 unused inputs, allowUnused and materializeGrads (K2)', () => {
    const x = t([1, 1]);
    const y = t([1, 1]);
    const err = errorOf(() => tg.autograd.grad(x.mul(2).sum(), [x, y]));
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain('appears to not have been used in the graph. Set allowUnused: true');
    expect(err.message).toContain('The differentiated Tensor at index 1');
    const [gx, gy] = tg.autograd.grad(x.mul(2).sum(), [x, y], { allowUnused: true });
    closeTo(arr(gx), [2, 2]);
    expect(gy).toBeNull();
    const [mx, my] = tg.autograd.grad(x.mul(2).sum(), [x, y], { materializeGrads: true });
    closeTo(arr(mx), [2, 2]);
    closeTo(arr(my), [0, 0]);
    expect(my!.dtype).toBe('float64');
    expect(my!.requiresGrad).toBe(false);
    // zeros, not y * 0 (which would be NaN for an infinite input)
    const inf = t([Infinity]);
    const [, mInf] = tg.autograd.grad(x.sum(), [x, inf], { materializeGrads: true });
    closeTo(arr(mInf), [0]);
    expect(errorOf(() => tg.autograd.grad(x.sum(), [x, y], { materializeGrads: true, allowUnused: false })).name).toBe(
      'ValueError',
    );
  });

  test('T36 inputs that do not require grad, non-leaf inputs, gradOutputs (K3, K1, K4)', () => {
    const x = t([1, 1]);
    const e = errorOf(() => tg.autograd.grad(x.sum(), [x, tg.ones(2)]));
    expect(e.message).toBe('One of the differentiated Tensors does not require grad');

    const x2 = t([1, 2]);
    const y = x2.mul(2);
    closeTo(arr(tg.autograd.grad(y.sum(), y)), [1, 1]);

    const x3 = t([1, 2]);
    closeTo(arr(tg.autograd.grad(x3.pow(2), x3, { gradOutputs: f64([1, 1]) })), [2, 4]);
    const e2 = errorOf(() => tg.autograd.grad(x3.pow(2), x3));
    expect(e2.message).toBe('grad can be implicitly created only for scalar outputs');
    const e3 = errorOf(() => tg.autograd.grad(x3.pow(2), x3, { gradOutputs: f64([1, 1, 1]) }));
    expect(e3.message).toContain('Mismatch in shape: grad_output[0] has a shape of [3]');
    expect(x3.grad).toBeNull(); // C6
  });

  test('T36 isGradsBatched: rows of the Jacobian', () => {
    const x = t([1, 2, 3]);
    const j = tg.autograd.grad(x.pow(2), x, { gradOutputs: tg.eye(3, { dtype: 'float64' }), isGradsBatched: true });
    closeTo(arr(j), [
      [2, 0, 0],
      [0, 4, 0],
      [0, 0, 6],
    ]);
    // With createGraph the batched result is differentiable: sum_ij J_ij = sum 2x, d/dx = 2.
    const x2 = t([1, 2]);
    const j2 = tg.autograd.grad(x2.pow(2), x2, {
      gradOutputs: tg.eye(2, { dtype: 'float64' }),
      isGradsBatched: true,
      createGraph: true,
    });
    closeTo(arr(tg.autograd.grad(j2.sum(), x2)), [2, 2]);
  });

  test('K1 grad() of several outputs w.r.t. several inputs; B2 for grad()', () => {
    const a = t(2);
    const b = t(3);
    const [ga, gb] = tg.autograd.grad([a.mul(b), a.add(b)], [a, b]);
    closeTo(ga!.item(), 4); // b + 1
    closeTo(gb!.item(), 3); // a + 1
    const e = errorOf(() => tg.autograd.grad(t([1, 2], false).sum(), [a]));
    expect(e.message).toBe('element 0 of tensors does not require grad and does not have a grad_fn');
  });
});
