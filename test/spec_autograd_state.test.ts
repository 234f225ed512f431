/**
 * Spec tests (/work/shared/spec/autograd.md §2): accumulation, retain_grad, grad modes,
 * detach / requires_grad_, in-place ops and the version counter (T18-T22, T25-T28).
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, t } from './helpers/make';
import { errorOf, arr, warningsOf } from './helpers/check';

const NON_LEAF = 'The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.';

describe('accumulation and zeroing', () => {
  test('T18 accumulation, in-place accumulation, zeroing, grad() leaves .grad alone', () => {
    const x = t([1, 2]);
    x.mul(3).sum().backward();
    closeTo(arr(x.grad), [3, 3]);
    x.mul(3).sum().backward();
    closeTo(arr(x.grad), [6, 6]);
    const g = x.grad!;
    x.mul(3).sum().backward();
    expect(x.grad).toBe(g); // same object: the accumulation is in place
    closeTo(arr(g), [9, 9]);
    x.grad!.zero_();
    closeTo(arr(x.grad), [0, 0]);
    x.grad = null;
    expect(x.grad).toBeNull();
    x.pow(2).sum().backward();
    closeTo(arr(x.grad), [2, 4]);
    const r = tg.autograd.grad(x.pow(2).sum(), x);
    closeTo(arr(r), [2, 4]);
    closeTo(arr(x.grad), [2, 4]);
    const r2 = tg.autograd.grad(x.pow(2).sum(), [x]);
    expect(r2.length).toBe(1);
    closeTo(arr(r2[0]), [2, 4]);
    closeTo(arr(x.grad), [2, 4]);
  });

  test('T19 assigning .grad', () => {
    const x = tg.ones(2, { requiresGrad: true });
    expect(() => (x.grad = tg.ones(3))).toThrow("attempting to assign a gradient of size '[3]' to a tensor of size '[2]'");
    expect(() => (x.grad = tg.ones(2, { dtype: 'float64' }))).toThrow('attempting to assign a gradient with dtype');
    x.grad = tg.ones(2);
    closeTo(arr(x.grad), [1, 1]);
    expect(x.grad!.dtype).toBe('float32');
  });
});

describe('retain_grad and non-leaf .grad', () => {
  test('T20 retainGrad', () => {
    const x = t([1, 2]);
    const y = x.mul(2);
    y.retainGrad();
    const z = y.pow(2).sum();
    z.backward();
    closeTo(arr(y.grad), [4, 8]);
    closeTo(arr(x.grad), [8, 16]);
    expect(y.retainsGrad).toBe(true);
    x.retainGrad();
    expect(x.retainsGrad).toBe(false);
    expect(() => t([1], false).retainGrad()).toThrow("can't retain_grad on Tensor that has requires_grad=False");
  });

  test('T21 warning on reading a non-leaf .grad', () => {
    const x = t([1, 1]);
    const y = x.mul(2);
    y.sum().backward();
    let g: Tensor | null | undefined;
    const w1 = warningsOf(() => {
      g = y.grad;
    });
    expect(g).toBeNull();
    expect(w1.some((m) => m.includes(NON_LEAF))).toBe(true);
    const w2 = warningsOf(() => {
      expect(x.grad).not.toBeNull();
    });
    expect(w2.some((m) => m.includes(NON_LEAF))).toBe(false);
    const r = x.mul(3);
    r.retainGrad();
    r.sum().backward();
    const w3 = warningsOf(() => {
      closeTo(arr(r.grad), [1, 1]);
    });
    expect(w3.some((m) => m.includes(NON_LEAF))).toBe(false);
  });
});

describe('grad modes', () => {
  test('T22 noGrad / enableGrad / setGradEnabled', () => {
    const x = t(1);
    const a = tg.noGrad(() => x.mul(2));
    expect(a.requiresGrad).toBe(false);
    expect(a.gradFn).toBeNull();
    expect(a.isLeaf).toBe(true);
    const b = tg.noGrad(() => tg.enableGrad(() => x.mul(2)));
    expect(b.requiresGrad).toBe(true);
    tg.setGradEnabled(false);
    let c: Tensor;
    try {
      c = x.mul(2);
      expect(tg.isGradEnabled()).toBe(false);
    } finally {
      tg.setGradEnabled(true);
    }
    expect(c.requiresGrad).toBe(false);
    expect(tg.isGradEnabled()).toBe(true);
    expect(() =>
      tg.noGrad(() => {
        throw new Error('e');
      }),
    ).toThrow('e');
    expect(tg.isGradEnabled()).toBe(true);
    const w = tg.noGrad(() => tg.ones(1, { requiresGrad: true }));
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
    const v0 = x.version;
    tg.noGrad(() => x.mul_(2));
    closeTo(x.item(), 2);
    expect(x.version).toBeGreaterThan(v0);
    expect(x.isLeaf).toBe(true);
    expect(x.requiresGrad).toBe(true);
  });
});

describe('detach / requiresGrad_', () => {
  test('T25 detach shares data, detach_ and its errors', () => {
    let x = t([1, 2]);
    let y = x.mul(2);
    const d = y.detach();
    d.indexPut_(0, 100);
    closeTo(arr(y), [100, 4]);
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.gradFn).toBeNull();

    x = t([1, 2]);
    y = x.mul(2);
    const z = y.mul(y);
    y.detach().zero_();
    const err = errorOf(() => z.sum().backward());
    expect(err.message).toContain('one of the variables needed for gradient computation has been modified by an inplace operation');
    expect(err.message).toMatch(/output 0 of Mul(Backward0)?\b/);

    x = t([1, 2]);
    y = x.mul(2);
    y.detach_();
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(y.gradFn).toBeNull();

    x = t([1, 1]);
    expect(() => x.view(2).detach_()).toThrow("Can't detach views in-place. Use detach() instead.");

    x = t([1, 2]);
    const y2 = x.detach().requiresGrad_();
    y2.mul(3).sum().backward();
    closeTo(arr(y2.grad), [3, 3]);
    expect(x.grad).toBeNull();
  });

  test('T26 requiresGrad_ on leaves and non-leaves, integer tensors', () => {
    const y = t([1, 1]).mul(2);
    expect(() => y.requiresGrad_(false)).toThrow('you can only change requires_grad flags of leaf variables.');
    expect(() => y.requiresGrad_(true)).not.toThrow();
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(() => {
      y.requiresGrad = false;
    }).toThrow('you can only change requires_grad flags of leaf variables.');
    expect(() => {
      y.requiresGrad = true;
    }).toThrow('you can only change requires_grad flags of leaf variables.');

    const x = t([1, 2], false);
    const y1 = x.mul(2);
    expect(x.requiresGrad_()).toBe(x);
    const z = x.mul(2);
    expect(y1.requiresGrad).toBe(false);
    expect(z.requiresGrad).toBe(true);

    expect(() => tg.tensor([1, 2], { dtype: 'int64', requiresGrad: true })).toThrow(
      'Only Tensors of floating point and complex dtype can require gradients',
    );
    expect(() => tg.tensor([1, 2], { dtype: 'int64' }).requiresGrad_()).toThrow(
      'Only Tensors of floating point and complex dtype can require gradients',
    );
  });
});

describe('in-place operations and the version counter', () => {
  test('T27 in-place rules', () => {
    const x = t([1, 1]);
    expect(() => x.add_(1)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    expect(() => x.indexPut_(0, 5)).toThrow('a view of a leaf Variable that requires grad is being used in an in-place operation.');
    expect(() => x.index('0:1').add_(1)).toThrow(
      'a view of a leaf Variable that requires grad is being used in an in-place operation.',
    );
    closeTo(arr(x), [1, 1]);

    const x2 = t([1, 2]);
    const y = x2.mul(2);
    y.add_(1);
    y.mul_(3);
    expect(y.gradFn!.name).toBe('MulBackward0');
    y.sum().backward();
    closeTo(arr(x2.grad), [6, 6]);

    const a = t([1, 2, 3]);
    const b = a.mul(1);
    b.index('1:').mul_(10);
    expect(b.gradFn!.name).toBe('torch::autograd::CopySlices');
    b.sum().backward();
    closeTo(arr(a.grad), [1, 10, 10]);
  });
  test('T27 outputs of unbind may not be modified in place (H5)', () => {
    const y = t([1, 1, 1]).clone();
    expect(() => y.unbind()[0].mul_(2)).toThrow(
      'is a view and is being modified inplace. This view is the output of a function that returns multiple views.',
    );
  });

  test('T28 version check', () => {
    let x = t([1, 1]);
    let y = x.mul(2);
    const z = y.mul(y);
    y.add_(1);
    let err = errorOf(() => z.sum().backward());
    expect(err.message).toContain(
      'one of the variables needed for gradient computation has been modified by an inplace operation:',
    );
    expect(err.message).toMatch(/\[\w+ \[2\]\], which is output 0 of Add(Backward0)?, is at version 1; expected version 0 instead\./);

    x = t([1, 2]);
    y = x.exp();
    y.add_(1);
    err = errorOf(() => y.sum().backward());
    expect(err.message).toContain(
      'one of the variables needed for gradient computation has been modified by an inplace operation:',
    );
    expect(err.message).toMatch(/which is output 0 of Exp(Backward0)?, is at version 1; expected version 0 instead\./);

    x = t([1, 2]);
    y = x.sin();
    tg.noGrad(() => x.mul_(2));
    err = errorOf(() => y.sum().backward());
    expect(err.message).toContain(
      'one of the variables needed for gradient computation has been modified by an inplace operation:',
    );
    expect(err.message).toMatch(/\[\w+ \[2\]\] is at version 1; expected version 0 instead\./);
    expect(err.message).not.toContain('which is output');

    x = t([1, 2]);
    y = x.mul(2);
    const z2 = y.add(1);
    y.add_(1);
    z2.sum().backward();
    closeTo(arr(x.grad), [2, 2]);
  });

  test('T28 (H6) views and detach() share the version counter', () => {
    const x = t([1, 2]);
    const v = x.detach();
    const view = x.index('0:1');
    expect(x.version).toBe(0);
    tg.noGrad(() => x.mul_(2));
    expect(x.version).toBe(1);
    expect(v.version).toBe(1);
    expect(view.version).toBe(1);
    v.add_(1);
    expect(x.version).toBe(2);
  });
});
