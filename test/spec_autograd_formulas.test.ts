/**
 * Spec tests (/work/shared/spec/autograd.md §2): broadcasting reduction and gradient
 * formulas of common ops (T47, T50-T55, T57, T58, T64), float64 with tolerance 1e-12.
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { c, closeTo, t } from './helpers/make';
import { arr } from './helpers/check';

/** The gradient of `f(x).sum()` w.r.t. a fresh leaf `t(data)`. */
function gradOfSum(data: unknown[], f: (x: Tensor) => Tensor): unknown {
  const x = t(data);
  f(x).sum().backward();
  return arr(x.grad);
}

describe('broadcasting', () => {
  test('T47 gradients are reduced to each input shape', () => {
    const a = t([[1, 2, 3], [4, 5, 6]]);
    const b = t([10, 20, 30]);
    const cc = t([[1], [2]]);
    const s = t(2);
    a.mul(b).add(cc.mul(s)).sum().backward();
    closeTo(arr(a.grad), [[10, 20, 30], [10, 20, 30]]);
    closeTo(arr(b.grad), [5, 7, 9]);
    expect(b.grad!.shape).toEqual([3]);
    closeTo(arr(cc.grad), [[6], [6]]);
    expect(cc.grad!.shape).toEqual([2, 1]);
    closeTo(arr(s.grad), 9);
    expect(s.grad!.shape).toEqual([]);

    const r = t([1, 2]);
    r.expand(3, 2).mul(c([[1, 1], [2, 2], [3, 3]])).sum().backward();
    closeTo(arr(r.grad), [6, 6]);

    const r2 = t([[1], [2]]);
    r2.expand(2, 3).mul(c([[1, 2, 3], [4, 5, 6]])).sum().backward();
    closeTo(arr(r2.grad), [[6], [15]]);

    const e = tg.rand(4, 0, { dtype: 'float64', requiresGrad: true });
    const f = tg.rand(4, 1, { dtype: 'float64', requiresGrad: true });
    e.add(f).sum().backward();
    expect(f.grad!.shape).toEqual([4, 1]);
    closeTo(arr(f.grad), [[0], [0], [0], [0]]);
    expect(e.grad!.shape).toEqual([4, 0]);
  });
});

describe('gradient formulas', () => {
  test('T50 arithmetic', () => {
    const pair = (f: (a: Tensor, b: Tensor) => Tensor): [unknown, unknown] => {
      const a = t([1, 2, 3]);
      const b = t([4, 5, 6]);
      f(a, b).sum().backward();
      return [arr(a.grad), arr(b.grad)];
    };
    let [ga, gb] = pair((a, b) => a.add(b));
    closeTo(ga, [1, 1, 1]);
    closeTo(gb, [1, 1, 1]);
    [ga, gb] = pair((a, b) => a.sub(b));
    closeTo(ga, [1, 1, 1]);
    closeTo(gb, [-1, -1, -1]);
    [ga, gb] = pair((a, b) => a.mul(b));
    closeTo(ga, [4, 5, 6]);
    closeTo(gb, [1, 2, 3]);
    [ga, gb] = pair((a, b) => a.div(b));
    closeTo(ga, [0.25, 0.2, 0.16666666666666666]);
    closeTo(gb, [-0.0625, -0.08, -0.08333333333333333]);
    [ga, gb] = pair((a, b) => a.add(b, { alpha: 2 }));
    closeTo(ga, [1, 1, 1]);
    closeTo(gb, [2, 2, 2]);
    closeTo(gradOfSum([1, 2, 3], (a) => tg.sub(10, a)), [-1, -1, -1]);
    closeTo(gradOfSum([1, 2, 3], (a) => tg.div(1, a)), [-1, -0.25, -0.1111111111111111]);
  });

  test('T51 pow', () => {
    closeTo(gradOfSum([1, 2, 3], (x) => x.pow(3)), [3, 12, 27]);
    closeTo(gradOfSum([1, 4, 9], (x) => x.pow(0.5)), [0.5, 0.25, 0.16666666666666666]);
    closeTo(gradOfSum([1, 2], (x) => x.pow(-1)), [-1, -0.25]);
    const b = t([2, 3]);
    const e = t([3, 2]);
    b.pow(e).sum().backward();
    closeTo(arr(b.grad), [12, 6]);
    closeTo(arr(e.grad), [5.545177444479562, 9.887510598012987]);
    closeTo(gradOfSum([0, 1, 2], (x) => tg.pow(2, x)), [0.6931471805599453, 1.3862943611198906, 2.772588722239781]);
  });

  test('T52 exp/log/sqrt', () => {
    closeTo(gradOfSum([1, 4], (x) => x.exp()), [2.718281828459045, 54.598150033144236]);
    closeTo(gradOfSum([1, 4], (x) => x.log()), [1, 0.25]);
    closeTo(gradOfSum([1, 4], (x) => x.sqrt()), [0.5, 0.25]);
  });

  test('T53 sin/cos/tanh/sigmoid', () => {
    closeTo(gradOfSum([0, 1], (x) => x.sin()), [1, 0.5403023058681398]);
    closeTo(gradOfSum([0, 1], (x) => x.cos()), [-0, -0.8414709848078965]);
    closeTo(gradOfSum([0, 1], (x) => x.tanh()), [1, 0.41997434161402614]);
    closeTo(gradOfSum([0, 1], (x) => x.sigmoid()), [0.25, 0.19661193324148185]);
  });

  test('T54 relu/abs/clamp/neg', () => {
    const x = [-2, -0.5, 0.5, 2];
    closeTo(gradOfSum(x, (v) => v.relu()), [0, 0, 1, 1]);
    closeTo(gradOfSum(x, (v) => v.abs()), [-1, -1, 1, 1]);
    closeTo(gradOfSum(x, (v) => v.clamp(-1, 1)), [0, 1, 1, 0]);
    closeTo(gradOfSum(x, (v) => v.neg()), [-1, -1, -1, -1]);
  });

  test('T55 sum/mean with dims/keepdim', () => {
    const X = [[1, 2, 3], [4, 5, 6]];
    closeTo(gradOfSum(X, (x) => x.sum()), [[1, 1, 1], [1, 1, 1]]);
    closeTo(gradOfSum(X, (x) => x.sum(1).mul(c([1, 2]))), [[1, 1, 1], [2, 2, 2]]);
    const x0 = t(X);
    expect(x0.sum(0, true).shape).toEqual([1, 3]);
    closeTo(gradOfSum(X, (x) => x.sum(0, true).mul(c([[1, 2, 3]]))), [[1, 2, 3], [1, 2, 3]]);
    const s6 = 0.16666666666666666;
    closeTo(gradOfSum(X, (x) => x.mean()), [[s6, s6, s6], [s6, s6, s6]]);
    closeTo(gradOfSum(X, (x) => x.mean(0, true).mul(c([[1, 2, 3]]))), [[0.5, 1, 1.5], [0.5, 1, 1.5]]);
    closeTo(arr(t(X).mean(1)), [2, 5]);
    closeTo(gradOfSum(X, (x) => x.mean(1).mul(c([1, 2]))), [[1 / 3, 1 / 3, 1 / 3], [2 / 3, 2 / 3, 2 / 3]]);
    closeTo(gradOfSum(X, (x) => x.mean([0, 1])), [[s6, s6, s6], [s6, s6, s6]]);
  });

  test('T57 matmul family: 2-D matmul and mm', () => {
    let A = t([[1, 2, 3], [4, 5, 6]]);
    let B = t([[1, 0], [0, 1], [1, 1]]);
    const P = A.matmul(B);
    closeTo(arr(P), [[4, 5], [10, 11]]);
    P.sum().backward();
    closeTo(arr(A.grad), [[1, 1, 2], [1, 1, 2]]);
    closeTo(arr(B.grad), [[5, 5], [7, 7], [9, 9]]);

    A = t([[1, 2, 3], [4, 5, 6]]);
    B = t([[1, 0], [0, 1], [1, 1]]);
    A.mm(B).mul(c([[1, 2], [3, 4]])).sum().backward();
    closeTo(arr(A.grad), [[1, 2, 3], [3, 4, 7]]);
    closeTo(arr(B.grad), [[13, 18], [17, 24], [21, 30]]);
  });

  const A3data = [[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]];
  const Bdata = [[1, 0], [0, 1], [1, 1]];

  test('T57 matmul family: broadcast matmul (3-D @ 2-D)', () => {
    const A3 = t(A3data);
    const B = t(Bdata);
    A3.matmul(B).sum().backward();
    closeTo(arr(A3.grad), [[[1, 1, 2], [1, 1, 2]], [[1, 1, 2], [1, 1, 2]]]);
    closeTo(arr(B.grad), [[18, 18], [22, 22], [26, 26]]);
  });

  test('T57 matmul family: batch-broadcast matmul (3-D @ 4-D)', () => {
    // [2,2,3] @ [2,1,3,2] -> [2,2,2,2]: A3 is used by both outer batches, B4 by both inner ones.
    const A3 = t(A3data);
    const B4 = t([[Bdata], [Bdata.map((r) => r.map((v) => 2 * v))]]);
    const out = A3.matmul(B4);
    expect(out.shape).toEqual([2, 2, 2, 2]);
    out.sum().backward();
    // dA = sum over the outer batch of ones @ B^T: rows of B summed -> [1,1,2] + 2*[1,1,2]
    closeTo(arr(A3.grad), [[[3, 3, 6], [3, 3, 6]], [[3, 3, 6], [3, 3, 6]]]);
    // dB4[k] = sum over inner batches of A3[j]^T @ ones
    closeTo(arr(B4.grad), [[[[18, 18], [22, 22], [26, 26]]], [[[18, 18], [22, 22], [26, 26]]]]);
    expect(B4.grad!.shape).toEqual([2, 1, 3, 2]);
  });

  test('T57 matmul family: bmm', () => {
    const A3 = t(A3data);
    const B3 = t([Bdata, Bdata.map((r) => r.map((v) => 2 * v))]);
    tg.bmm(A3, B3).sum().backward();
    closeTo(arr(A3.grad), [[[1, 1, 2], [1, 1, 2]], [[2, 2, 4], [2, 2, 4]]]);
    closeTo(arr(B3.grad), [[[3, 3], [5, 5], [7, 7]], [[15, 15], [17, 17], [19, 19]]]);
  });

  test('T57 matmul family: dot and vector @ matrix', () => {
    let u = t([1, 2, 3]);
    const w = t([4, 5, 6]);
    u.matmul(w).backward();
    closeTo(arr(u.grad), [4, 5, 6]);
    closeTo(arr(w.grad), [1, 2, 3]);

    u = t([1, 2, 3]);
    const M = t([[1, 2], [3, 4], [5, 6]]);
    u.matmul(M).sum().backward();
    closeTo(arr(u.grad), [3, 7, 11]);
    closeTo(arr(M.grad), [[1, 1], [2, 2], [3, 3]]);
  });

  test('T58 shape ops', () => {
    const X = [[0, 1, 2], [3, 4, 5]];
    const W = c([[1, 2], [3, 4], [5, 6]]);
    closeTo(gradOfSum(X, (x) => x.t().mul(W)), [[1, 3, 5], [2, 4, 6]]);
    closeTo(gradOfSum(X, (x) => x.transpose(0, 1).mul(W)), [[1, 3, 5], [2, 4, 6]]);
    closeTo(gradOfSum(X, (x) => x.reshape(3, 2).mul(W)), [[1, 2, 3], [4, 5, 6]]);
    closeTo(gradOfSum(X, (x) => x.view(3, 2).mul(W)), [[1, 2, 3], [4, 5, 6]]);
    closeTo(gradOfSum(X, (x) => x.view(-1).mul(c([1, 2, 3, 4, 5, 6]))), [[1, 2, 3], [4, 5, 6]]);
    const Z = [[[0, 1, 2], [3, 4, 5]]];
    const k = c([[[1, 2]], [[3, 4]], [[5, 6]]]); // arange(1,7).reshape(3,1,2)
    closeTo(gradOfSum(Z, (z) => z.permute(2, 0, 1).mul(k)), [[[1, 3, 5], [2, 4, 6]]]);
    const x = t(X);
    const id = x.unsqueeze(0).squeeze(0);
    expect(id.shape).toEqual([2, 3]);
    closeTo(arr(id), X);
    id.mul(W.t()).sum().backward();
    closeTo(arr(x.grad), [[1, 3, 5], [2, 4, 6]]);
  });
});

describe('integration', () => {
  test('T64 a tiny MLP', () => {
    const W = t([[0.5, -1], [2, 0]]);
    const b = t([0.1, -0.2]);
    const x = c([[1, 2]]);
    const h = tg.relu(x.matmul(W).add(b));
    closeTo(arr(h), [[4.6, 0]]);
    const L = h.pow(2).sum();
    closeTo(L.item(), 21.16);
    L.backward();
    closeTo(arr(W.grad), [[9.2, 0], [18.4, 0]]);
    closeTo(arr(b.grad), [9.2, 0]);
  });
});
