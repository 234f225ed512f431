/**
 * Spec tests (/work/shared/spec/autograd.md §2): custom autograd Functions (T37-T43, spec L)
 * and anomaly detection (T44, spec M). Errors raised by the native addon are checked through
 * `err.name` (instanceof can fail across jest realms); errors thrown by user code keep their
 * own class, so `instanceof` holds for them.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import * as tg from '../lib';
import { FunctionCtx, Tensor } from '../lib';
import { N } from '../lib/native';
import { closeTo, t } from './helpers/make';
import { errorOf, arr, warningsOf } from './helpers/check';

const f64 = (data: number | unknown[]): Tensor => tg.tensor(data as number[], { dtype: 'float64' });

const FREED = 'Trying to backward through the graph a second time';

class Exp extends tg.autograd.Function {
  static forward(ctx: FunctionCtx, i: Tensor): Tensor {
    const r = i.exp();
    ctx.saveForBackward(r);
    return r;
  }
  static backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [r] = ctx.savedTensors;
    return g.mul(r!);
  }
}

describe('custom autograd Function', () => {
  test('T37 Exp: values, node name, next functions', () => {
    const x = t([0, 1]);
    const y = Exp.apply(x);
    expect(y.gradFn!.name).toBe('ExpBackward');
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    const next = y.gradFn!.nextFunctions;
    expect(next.length).toBe(1);
    expect(next[0][0]!.name).toBe('torch::autograd::AccumulateGrad');
    expect(next[0][0]!.variable).toBe(x);
    closeTo(arr(y), [1, 2.718281828459045]);
    y.sum().backward();
    closeTo(arr(x.grad), [1, 2.718281828459045]);
  });

  test('T37 Exp: double backward through the custom node', () => {
    const x = t(3);
    const g = tg.autograd.grad(Exp.apply(x), x, { createGraph: true });
    closeTo(g.item(), 20.085536923187668);
    expect(g.requiresGrad).toBe(true);
    const g2 = tg.autograd.grad(g, x);
    closeTo(g2.item(), 20.085536923187668);
  });

  test('T37 Exp: no graph when no input requires grad', () => {
    const y = Exp.apply(t([1], false));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    closeTo(arr(y), [2.718281828459045]);
    const z = tg.noGrad(() => Exp.apply(t([1])));
    expect(z.requiresGrad).toBe(false);
    expect(z.gradFn).toBeNull();
  });

  test('T37 grad modes inside forward and backward (E6)', () => {
    const modes: string[] = [];
    class Spy extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        modes.push(`forward:${tg.isGradEnabled()}`);
        return x.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        modes.push(`backward:${tg.isGradEnabled()}`);
        return g.mul(2);
      }
    }
    const x = t([1, 2]);
    Spy.apply(x).sum().backward();
    tg.autograd.grad(Spy.apply(x).sum(), x, { createGraph: true });
    const y = Spy.apply(x).sum();
    tg.noGrad(() => y.backward()); // B8: the caller's mode does not matter
    expect(modes).toEqual([
      'forward:false',
      'backward:false',
      'forward:false',
      'backward:true',
      'forward:false',
      'backward:false',
    ]);
    expect(tg.isGradEnabled()).toBe(true);
  });

  test('T38 needsInputGrad and ctx properties', () => {
    const seen: boolean[][] = [];
    class MulC extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor, b: Tensor, k: number): Tensor {
        seen.push([...ctx.needsInputGrad]);
        ctx.saveForBackward(a, b);
        ctx.k = k;
        return a.mul(b).mul(k);
      }
      static backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        seen.push([...ctx.needsInputGrad]);
        const [a, b] = ctx.savedTensors;
        return [
          ctx.needsInputGrad[0] ? g.mul(b!).mul(ctx.k) : null,
          ctx.needsInputGrad[1] ? g.mul(a!).mul(ctx.k) : null,
          null,
        ];
      }
    }
    const a = t([1, 2]);
    const b = t([3, 4], false);
    const y = MulC.apply(a, b, 2);
    closeTo(arr(y), [6, 16]);
    y.sum().backward();
    closeTo(arr(a.grad), [6, 8]);
    expect(b.grad).toBeNull();
    expect(seen).toEqual([
      [true, false, false],
      [true, false, false],
    ]);
  });

  test('T39 wrong number of gradients', () => {
    class Bad extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(1);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g, g];
      }
    }
    const err = errorOf(() => Bad.apply(t([1, 2])).sum().backward());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toBe('function BadBackward returned an incorrect number of gradients (expected 1, got 2)');
    expect(tg.isGradEnabled()).toBe(true);
  });

  test('T39 gradient of the wrong shape', () => {
    class BadShape extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(1);
      }
      static backward(): Tensor {
        return tg.ones(3, { dtype: 'float64' });
      }
    }
    const err = errorOf(() => BadShape.apply(t([1, 2])).sum().backward());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain(
      'Function BadShapeBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]',
    );
  });

  test('T39 a null gradient leaves .grad null; extra trailing nulls are accepted', () => {
    class NoGrad extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor, y: Tensor): Tensor {
        return x.mul(y);
      }
      static backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [null, g, null, null];
      }
    }
    const x = t([1, 2]);
    const y = t([3, 4]);
    NoGrad.apply(x, y).sum().backward();
    expect(x.grad).toBeNull();
    closeTo(arr(y.grad), [1, 1]);
  });

  test('T39 saveForBackward accepts tensors and null only', () => {
    class SaveNumber extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x, 3 as unknown as Tensor);
        return x.mul(1);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    const err = errorOf(() => SaveNumber.apply(t([1])));
    expect(err.name).toBe('ArgumentTypeError');
    expect(err.message).toBe('save_for_backward can only save variables, but argument 1 is of type number');
    expect(tg.isGradEnabled()).toBe(true);

    class SaveNull extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(null, x);
        return x.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        const [none, x] = ctx.savedTensors;
        expect(none).toBeNull();
        return g.mul(2).add(x!.mul(0));
      }
    }
    const x = t([1, 2]);
    SaveNull.apply(x).sum().backward();
    closeTo(arr(x.grad), [2, 2]);
  });

  test('T39 a second backward without retainGraph, and savedTensors after the free (B4)', () => {
    const x = t([1, 2]);
    const y = Exp.apply(x).sum();
    y.backward();
    const err = errorOf(() => y.backward());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain(FREED);

    let kept: FunctionCtx | null = null;
    class Keep extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, a: Tensor): Tensor {
        kept = ctx;
        expect(ctx.savedTensors).toEqual([]); // nothing is saved before forward returns
        ctx.saveForBackward(a);
        return a.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    const a = t([1]);
    const out = Keep.apply(a);
    expect(kept!.savedTensors[0]).toBe(a);
    out.sum().backward({ retainGraph: true });
    expect(kept!.savedTensors.length).toBe(1);
    out.sum().backward(); // a node whose backward reads nothing runs again
    closeTo(arr(a.grad), [4]);
    const e2 = errorOf(() => kept!.savedTensors);
    expect(e2.message).toContain(FREED);
  });

  test('T39 saved tensors are version-checked (I1)', () => {
    const x = t([1, 2]);
    const y = Exp.apply(x);
    y.add_(1);
    const err = errorOf(() => y.sum().backward());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain(
      'one of the variables needed for gradient computation has been modified by an inplace operation:',
    );
    expect(err.message).toMatch(/which is output 0 of Exp, is at version 1; expected version 0 instead\./);
  });

  test('T39 a gradient for an argument that is not a tensor', () => {
    class Scale extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor {
        ctx.k = k;
        return x.mul(k);
      }
      static backward(ctx: FunctionCtx, g: Tensor): unknown[] {
        return [g.mul(ctx.k), g];
      }
    }
    const err = errorOf(() => Scale.apply(t([1]), 2).sum().backward());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toBe(
      'function ScaleBackward returned a gradient different than null at position 2, but the corresponding forward ' +
        'input was not a Variable',
    );
  });

  test('errors thrown by a user forward or backward keep their class and message', () => {
    class MyError extends Error {}
    class Throws extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor, where: string): Tensor {
        if (where === 'forward') throw new MyError('forward failed');
        return x.mul(2);
      }
      static backward(): Tensor {
        throw new TypeError('backward failed');
      }
    }
    const x = t([1, 2]);
    const e1 = errorOf(() => Throws.apply(x, 'forward'));
    expect(e1).toBeInstanceOf(MyError);
    expect(e1.message).toBe('forward failed');
    expect(tg.isGradEnabled()).toBe(true);
    const e2 = errorOf(() => Throws.apply(x, 'backward').sum().backward());
    expect(e2).toBeInstanceOf(TypeError);
    expect(e2.message).toBe('backward failed');
    expect(tg.isGradEnabled()).toBe(true);
    const e3 = errorOf(() => tg.autograd.grad(Throws.apply(x, 'backward').sum(), x, { createGraph: true }));
    expect(e3).toBeInstanceOf(TypeError);
    expect(tg.isGradEnabled()).toBe(true);
    // The library stays usable.
    Exp.apply(x).sum().backward();
    closeTo(arr(x.grad), [2.718281828459045, 7.38905609893065]);
  });

  test('L1 instantiating a Function and calling the instance', () => {
    let err: Error | undefined;
    const w = warningsOf(() => {
      const legacy = new Exp() as unknown as (x: Tensor) => Tensor;
      err = errorOf(() => legacy(t([1])));
    });
    expect(w.some((m) => m.includes('Exp should not be instantiated'))).toBe(true);
    expect(err!.name).toBe('RuntimeError');
    expect(err!.message).toContain(
      'Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd ' +
        'function with static forward method.',
    );
  });

  test('T40 markNonDifferentiable: indices do not require grad and get zero gradients', () => {
    let gidxSeen: unknown = undefined;
    // As the spec writes it: the library's sort forward, indexAdd_ in backward.
    class Sort extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
        const [v, idx] = x.sort();
        ctx.markNonDifferentiable(idx);
        ctx.saveForBackward(idx);
        return [v, idx];
      }
      static backward(ctx: FunctionCtx, gv: Tensor, gidx: Tensor): Tensor {
        gidxSeen = gidx.toArray();
        expect(gidx.dtype).toBe('int64');
        const [idx] = ctx.savedTensors;
        const g = tg.zerosLike(gv);
        g.indexAdd_(0, idx!, gv);
        return g;
      }
    }
    const x = t([3, 1, 2]);
    const [v, i] = Sort.apply(x);
    expect(i.requiresGrad).toBe(false);
    expect(i.gradFn).toBeNull();
    expect(v.requiresGrad).toBe(true);
    expect(v.gradFn!.name).toBe('SortBackward');
    closeTo(arr(v), [1, 2, 3]);
    expect(i.toArray()).toEqual([1, 2, 0]);
    v.mul(tg.tensor([1, 10, 100], { dtype: 'float64' })).sum().backward();
    closeTo(arr(x.grad), [100, 1, 10]);
    expect(gidxSeen).toEqual([0, 0, 0]);
  });

  test('T41 materialized gradients, and setMaterializeGrads(false)', () => {
    const seen: unknown[] = [];
    const makeTwo = (materialize: boolean) =>
      class Two extends tg.autograd.Function {
        static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
          ctx.setMaterializeGrads(materialize);
          return [x.mul(2), x.mul(3)];
        }
        static backward(ctx: FunctionCtx, g1: Tensor | null, g2: Tensor | null): Tensor {
          seen.push(arr(g2));
          let g = g1!.mul(2);
          if (g2) g = g.add(g2.mul(3));
          return g;
        }
      };
    let x = t([1]);
    let [a] = makeTwo(true).apply(x);
    a.backward();
    expect(seen).toEqual([[0]]);
    closeTo(arr(x.grad), [2]);

    x = t([1]);
    [a] = makeTwo(false).apply(x);
    a.backward();
    expect(seen).toEqual([[0], null]);
    closeTo(arr(x.grad), [2]);
  });

  test('T42 onceDifferentiable', () => {
    class OD extends tg.autograd.Function {
      static onceDifferentiable = true;
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.pow(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        expect(tg.isGradEnabled()).toBe(false);
        const [x] = ctx.savedTensors;
        return x!.mul(2).mul(g);
      }
    }
    const x = t(3);
    const y = OD.apply(x.mul(1)).mul(x);
    const g = tg.autograd.grad(y, x, { createGraph: true });
    closeTo(g.item(), 27); // d/dx x^3 = 3x^2
    const err = errorOf(() => g.backward());
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toBe('trying to differentiate twice a function that was marked with @once_differentiable');
    expect(tg.isGradEnabled()).toBe(true);

    // First-order use is unaffected.
    const x2 = t([1, 2]);
    OD.apply(x2).sum().backward();
    closeTo(arr(x2.grad), [2, 4]);
  });

  test('T42 onceDifferentiable() on a backward function, through defineFunction', () => {
    const Square = tg.autograd.defineFunction({
      name: 'Square',
      forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x);
      },
      backward: tg.autograd.onceDifferentiable((ctx: FunctionCtx, g: Tensor): Tensor => {
        const [x] = ctx.savedTensors;
        return g.mul(x!).mul(2);
      }),
    });
    const x = t(3);
    const y = Square.apply(x);
    expect(y.gradFn!.name).toBe('SquareBackward');
    // The incoming gradient (ones) does not require grad: nothing to guard, as in PyTorch.
    const g1 = tg.autograd.grad(y, x, { createGraph: true });
    closeTo(g1.item(), 6);
    expect(g1.requiresGrad).toBe(false);
    // Here it does (it is x): the result is guarded.
    const g = tg.autograd.grad(Square.apply(x).mul(x), x, { createGraph: true });
    closeTo(g.item(), 27);
    expect(errorOf(() => g.backward()).message).toContain('marked with @once_differentiable');
  });

  test('T43 markDirty: the modified input is returned and rebased onto the custom node', () => {
    class AddOne extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        x.add_(1);
        ctx.markDirty(x);
        return x;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    const a = t([1, 2]);
    const b = a.mul(1);
    const c = AddOne.apply(b);
    expect(c).toBe(b);
    expect(b.gradFn!.name).toBe('AddOneBackward');
    expect(b.version).toBe(1);
    closeTo(arr(b), [2, 3]);
    c.sum().backward();
    closeTo(arr(a.grad), [1, 1]);

    // A leaf that requires grad may not be modified.
    const leaf = t([1, 2]);
    const err = errorOf(() => AddOne.apply(leaf));
    expect(err.name).toBe('RuntimeError');
    expect(err.message).toContain('a leaf Variable that requires grad has been used in an in-place operation.');
  });

  test('T43 markDirty on a view rebases the base through CopySlices', () => {
    class TimesTen extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        x.mul_(10);
        ctx.markDirty(x);
        return x;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(10);
      }
    }
    const a = t([1, 2, 3]);
    const b = a.mul(1);
    const v = b.index('1:');
    const r = TimesTen.apply(v);
    expect(r).toBe(v);
    expect(b.gradFn!.name).toBe('torch::autograd::CopySlices');
    closeTo(arr(b), [1, 20, 30]);
    b.sum().backward();
    closeTo(arr(a.grad), [1, 10, 10]);
  });

  test('T43 markDirty on a tensor that is not returned', () => {
    class Hidden extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        x.add_(1);
        ctx.markDirty(x);
        return x.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    const b = t([1]).mul(1);
    const err = errorOf(() => Hidden.apply(b));
    expect(err.message).toContain(
      'Some elements marked as dirty during the forward method were not returned as output.',
    );
    expect(b.gradFn!.name).toBe('MulBackward0'); // untouched
  });

  test('an input returned as-is becomes a new tensor of the custom node; its views refuse in-place writes', () => {
    class Identity extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        return x;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(3);
      }
    }
    const x = t([1, 2]);
    const y = Identity.apply(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    expect(y.gradFn!.name).toBe('IdentityBackward');
    y.sum().backward();
    closeTo(arr(x.grad), [3, 3]);
    const err = errorOf(() => Identity.apply(x).mul_(2));
    expect(err.message).toContain('is a view and is being modified inplace. This view was created inside a custom Function');
  });

  test('several outputs, non-tensor outputs and arguments', () => {
    class Split extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor, label: string): [Tensor, string, Tensor] {
        return [x.mul(2), label, x.mul(x)];
      }
      static backward(ctx: FunctionCtx, ga: Tensor, gLabel: null, gb: Tensor): (Tensor | null)[] {
        expect(gLabel).toBeNull();
        return [ga.mul(2), null];
      }
    }
    const x = t([1, 2]);
    const [a, label, b] = Split.apply(x, 'tag');
    expect(label).toBe('tag');
    expect(a.gradFn!.name).toBe('SplitBackward');
    expect(b.gradFn).toBe(a.gradFn);
    a.sum().backward();
    closeTo(arr(x.grad), [2, 2]);
  });

  test('defineFunction', () => {
    const Cube = tg.autograd.defineFunction({
      name: 'Cube',
      forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.pow(3);
      },
      backward(ctx: FunctionCtx, g: Tensor): Tensor {
        const [x] = ctx.savedTensors;
        return g.mul(x!.pow(2)).mul(3);
      },
    });
    const x = t(2);
    const y = Cube.apply(x);
    expect(y.gradFn!.name).toBe('CubeBackward');
    const g = tg.autograd.grad(y, x, { createGraph: true });
    closeTo(g.item(), 12);
    closeTo(tg.autograd.grad(g, x).item(), 12); // 6x
    expect(() => tg.autograd.defineFunction({} as never)).toThrow('forward and backward must be functions');
  });

  test('gradcheck and gradgradcheck through a custom Function', () => {
    const x = tg.tensor([0.3, -0.7, 1.1], { dtype: 'float64', requiresGrad: true });
    expect(tg.gradcheck((a: Tensor) => Exp.apply(a), [x])).toBe(true);
    expect(tg.gradgradcheck((a: Tensor) => Exp.apply(a), [x])).toBe(true);
  });

  test('graphs of custom Functions are garbage collected without dispose or tidy', () => {
    // Only the weak-handle sweep frees these outputs, which works only if nothing the graph
    // holds (the backward runner, ctx) points back at their JS wrappers.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const collect = (): number => {
      gc();
      N.sweep();
      return tg.memoryStats().liveTensors;
    };
    class Twice extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor, k: number): [Tensor, Tensor] {
        ctx.k = k;
        const y = x.mul(k);
        ctx.saveForBackward(x, y);
        ctx.markNonDifferentiable(y);
        return [x.mul(2), y];
      }
      static backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        const [x] = ctx.savedTensors;
        return [g.mul(2).add(x!.mul(0)), null];
      }
    }
    const w = t([1, 2, 3]);
    w.mul(1).sum().backward(); // w.grad exists from here on
    const before = collect();
    (() => {
      for (let i = 0; i < 100; i++) {
        Exp.apply(w.mul(2)).sum().backward();
        Exp.apply(w.mul(2)); // a graph that never runs
        Twice.apply(w.mul(1), 3)[0].sum().backward({ retainGraph: true });
      }
    })();
    expect(collect() - before).toBeLessThanOrEqual(2);
  });

  test('a loop of custom Function calls keeps memory bounded', () => {
    const x = t([1, 2, 3]);
    const before = tg.memoryStats().liveTensors;
    for (let i = 0; i < 200; i++) {
      tg.tidy(() => {
        Exp.apply(x).sum().backward();
      });
    }
    x.grad = null;
    expect(tg.memoryStats().liveTensors - before).toBeLessThan(10);
  });
});

describe('custom Function robustness', () => {
  class Id extends tg.autograd.Function {
    static forward(ctx: FunctionCtx, x: Tensor): Tensor {
      return x.mul(1);
    }
    static backward(ctx: FunctionCtx, g: Tensor): Tensor {
      return g;
    }
  }

  test('disposed tensors crossing the boundary are clear errors', () => {
    class ReturnsDisposed extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        const r = g.mul(2);
        r.dispose();
        return r;
      }
    }
    expect(errorOf(() => ReturnsDisposed.apply(t([1])).sum().backward()).message).toContain('Cannot use a disposed tensor');
    class ForwardDisposed extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        const r = x.mul(2);
        r.dispose();
        return r;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        return g;
      }
    }
    expect(errorOf(() => ForwardDisposed.apply(t([1]))).message).toContain('Cannot use a disposed tensor');
    expect(tg.isGradEnabled()).toBe(true);
  });

  test('the same tensor returned twice gives two outputs', () => {
    class Twice extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
        const y = x.mul(2);
        return [y, y];
      }
      static backward(ctx: FunctionCtx, g1: Tensor, g2: Tensor): Tensor {
        return g1.add(g2.mul(10)).mul(2);
      }
    }
    const x = t([1]);
    const [a, b] = Twice.apply(x);
    expect(a).not.toBe(b);
    expect(b.gradFn).toBe(a.gradFn);
    a.add(b).sum().backward();
    closeTo(arr(x.grad), [22]);
  });

  test('markDirty on a buffer that does not require grad', () => {
    class AddInto extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, buf: Tensor, w: Tensor): Tensor {
        buf.add_(w);
        ctx.markDirty(buf);
        return buf;
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g, g];
      }
    }
    const buf = tg.zeros(2, { dtype: 'float64' });
    const w = t([1, 2]);
    expect(AddInto.apply(buf, w)).toBe(buf);
    expect(buf.gradFn!.name).toBe('AddIntoBackward');
    buf.mul(f64([3, 4])).sum().backward();
    closeTo(arr(w.grad), [3, 4]);
  });

  test('a chain of 20000 custom nodes runs backward and is freed', () => {
    tg.tidy(() => {
      const x = t([1]);
      let y = x;
      for (let i = 0; i < 20000; i++) y = Id.apply(y);
      y.sum().backward();
      closeTo(arr(x.grad), [1]);
    });
  });

  test('unbounded reentrancy from a backward ends in a RangeError, not a crash', () => {
    let depth = 0;
    class Recurse extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(1);
      }
      static backward(ctx: FunctionCtx, g: Tensor): Tensor {
        depth++;
        tg.enableGrad(() => Recurse.apply(t([1])).sum().backward());
        return g;
      }
    }
    const err = errorOf(() => Recurse.apply(t([1])).sum().backward());
    // By name: a stack overflow raised while native frames are active may come from another
    // realm than the test's (jest), so instanceof is not reliable here.
    expect((err as Error).name).toBe('RangeError');
    expect(depth).toBeGreaterThan(10);
    expect(tg.isGradEnabled()).toBe(true);
    Id.apply(t([1])).sum().backward(); // still usable
  });
});

describe('anomaly detection', () => {
  test('T44 NaN in backward: error, and a warning with the forward trace', () => {
    const x = t([0]);
    let err: Error | undefined;
    const w = warningsOf(() => {
      err = errorOf(() =>
        tg.autograd.detectAnomaly(() => {
          const y = x.sqrt().mul(0);
          y.sum().backward();
        }),
      );
    });
    expect(err!.name).toBe('RuntimeError');
    expect(err!.message).toBe("Function 'SqrtBackward0' returned nan values in its 0th output.");
    expect(w.some((m) => m.includes('Anomaly Detection has been enabled.'))).toBe(true);
    const report = w.find((m) => m.startsWith('Error detected in SqrtBackward0. Traceback of forward call that caused the error:'));
    expect(report).toBeDefined();
    // The JS stack of x.sqrt(), starting at the caller's line, without tensorgrad's frames.
    const trace = report!.split('\n').slice(1);
    expect(trace[0]).toContain('spec_autograd_function.test.ts');
    expect(report).not.toMatch(/[\\/]lib[\\/]tensor\.[jt]s/);
    expect(tg.autograd.isAnomalyEnabled()).toBe(false);
  });

  test('T44 without anomaly mode NaN propagates silently', () => {
    const x = t([0]);
    x.sqrt().mul(0).sum().backward();
    expect(Number.isNaN((x.grad!.toArray() as number[])[0])).toBe(true);
  });

  test('T44 anomaly mode changes the version-counter hint', () => {
    const run = () => {
      const x = t([1, 1]);
      const y = x.mul(2);
      const z = y.mul(y);
      y.add_(1);
      return errorOf(() => z.sum().backward());
    };
    expect(run().message).toContain('Hint: enable anomaly detection to find the operation that failed to compute its gradient');
    let err: Error | undefined;
    const w = warningsOf(() => {
      err = tg.autograd.detectAnomaly(run);
    });
    expect(err!.message).toContain(
      'Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in ' +
        'question was changed in there or anywhere later. Good luck!',
    );
    expect(w.some((m) => m.startsWith('Error detected in MulBackward0. Traceback of forward call'))).toBe(true);
  });

  test('T44 a failing custom backward is reported with its forward trace', () => {
    class Fails extends tg.autograd.Function {
      static forward(ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(1);
      }
      static backward(): Tensor {
        throw new RangeError('bad backward');
      }
    }
    let err: Error | undefined;
    const w = warningsOf(() => {
      tg.autograd.setDetectAnomaly(true);
      try {
        err = errorOf(() => Fails.apply(t([1])).sum().backward());
      } finally {
        tg.autograd.setDetectAnomaly(false);
      }
    });
    expect(err).toBeInstanceOf(RangeError);
    expect(w.some((m) => m.startsWith('Error detected in FailsBackward. Traceback of forward call'))).toBe(true);
  });

  test('T44 a node recorded before the mode was on has no trace', () => {
    const x = t([0]);
    const y = x.sqrt().mul(0).sum();
    let err: Error | undefined;
    const w = warningsOf(() => {
      err = tg.autograd.detectAnomaly(() => errorOf(() => y.backward()));
    });
    expect(err!.message).toContain("returned nan values in its 0th output");
    expect(w.some((m) => m.includes('Error detected in SqrtBackward0. No forward pass information available.'))).toBe(true);
  });

  test('detectAnomaly restores the previous mode, also on errors; checkNan option', () => {
    expect(tg.autograd.isAnomalyEnabled()).toBe(false);
    warningsOf(() => {
      expect(() =>
        tg.autograd.detectAnomaly(() => {
          expect(tg.autograd.isAnomalyEnabled()).toBe(true);
          throw new Error('inside');
        }),
      ).toThrow('inside');
    });
    expect(tg.autograd.isAnomalyEnabled()).toBe(false);
    const x = t([0]);
    warningsOf(() =>
      tg.autograd.detectAnomaly(
        () => {
          expect(tg.autograd.isAnomalyCheckNanEnabled()).toBe(false);
          x.sqrt().mul(0).sum().backward(); // no NaN check: no error
        },
        { checkNan: false },
      ),
    );
    expect(Number.isNaN((x.grad!.toArray() as number[])[0])).toBe(true);
    expect(tg.autograd.isAnomalyCheckNanEnabled()).toBe(true);
  });
});
