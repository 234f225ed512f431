/**
 * tg.nn.functional against PyTorch: forward values, gradients and grad_fn names from
 * test/fixtures/nn.json (made by scripts/fixtures_nn.py), the spec's T61-T63 numbers, error
 * messages, and the behaviour of embedding, dropout and the fused kernels.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, t } from './helpers/make';
import { errorOf } from './helpers/check';

const F = tg.nn.functional;
const long = (data: unknown): Tensor => tg.tensor(data as number[], { dtype: 'int64' });
const f64 = (data: unknown): Tensor => tg.tensor(data as number[], { dtype: 'float64' });

interface FixtureCase {
  name: string;
  inputs: { data: unknown; dtype: 'float64' | 'float32' | 'int64'; requiresGrad: boolean }[];
  out: unknown;
  shape: number[];
  gradFn: string | null;
  R: unknown;
  grads: (unknown | null)[];
}
const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as {
  cases: FixtureCase[];
  errors: Record<string, { type: string; message: string }>;
};

type Fn = (...a: Tensor[]) => Tensor;
const CALLS: Record<string, Fn> = {
  'softmax dim 1': (x) => F.softmax(x, 1),
  'softmax dim 1 of [2,3,2]': (x) => x.softmax(1),
  'softmax large values float32': (x) => F.softmax(x, 0),
  'logSoftmax dim 0': (x) => F.logSoftmax(x, 0),
  'logSoftmax large values': (x) => x.logSoftmax(-1),
  'softmin dim -1': (x) => F.softmin(x, -1),
  'crossEntropy weight ignoreIndex mean': (x, tg_, w) => F.crossEntropy(x, tg_, { weight: w, ignoreIndex: 1 }),
  'crossEntropy labelSmoothing': (x, y) => F.crossEntropy(x, y, { labelSmoothing: 0.3 }),
  'crossEntropy labelSmoothing weight sum': (x, y, w) => F.crossEntropy(x, y, { weight: w, labelSmoothing: 0.2, reduction: 'sum' }),
  'crossEntropy probabilities': (x, y) => F.crossEntropy(x, y),
  'crossEntropy K-dim none': (x, y) => F.crossEntropy(x, y, { reduction: 'none' }),
  'crossEntropy float32': (x, y) => F.crossEntropy(x, y),
  'nllLoss weight mean': (x, y, w) => F.nllLoss(x, y, { weight: w }),
  'nllLoss none': (x, y) => F.nllLoss(x, y, { reduction: 'none' }),
  'mseLoss sum': (x, y) => F.mseLoss(x, y, { reduction: 'sum' }),
  'mseLoss none': (x, y) => F.mseLoss(x, y, { reduction: 'none' }),
  'l1Loss mean': (x, y) => F.l1Loss(x, y),
  'smoothL1Loss beta 0.5': (x, y) => F.smoothL1Loss(x, y, { beta: 0.5 }),
  'huberLoss delta 0.7 none': (x, y) => F.huberLoss(x, y, { delta: 0.7, reduction: 'none' }),
  'binaryCrossEntropy weight': (x, y, w) => F.binaryCrossEntropy(x, y, { weight: w }),
  'binaryCrossEntropyWithLogits posWeight': (x, y, pw) => F.binaryCrossEntropyWithLogits(x, y, { posWeight: pw }),
  'klDiv batchmean': (x, y) => F.klDiv(x, y, { reduction: 'batchmean' }),
  'klDiv logTarget none': (x, y) => F.klDiv(x, y, { reduction: 'none', logTarget: true }),
  marginRankingLoss: (a, b, y) => F.marginRankingLoss(a, b, y, { margin: 0.2 }),
  'cosineSimilarity dim 1': (a, b) => F.cosineSimilarity(a, b),
  pairwiseDistance: (a, b) => F.pairwiseDistance(a, b),
  'normalize p 2 dim 1': (x) => F.normalize(x),
  'layerNorm weight bias': (x, w, b) => F.layerNorm(x, [4], w, b),
  'layerNorm over [2,3]': (x) => F.layerNorm(x, [2, 3], null, null, 1e-3),
  'embedding paddingIdx': (i, w) => F.embedding(i, w, { paddingIdx: 1 }),
  'linear with bias': (x, w, b) => F.linear(x, w, b),
  'linear batched without bias': (x, w) => F.linear(x, w),
  bilinear: (a, b, w, bias) => F.bilinear(a, b, w, bias),
  'pad constant': (x) => F.pad(x, [1, 2, -1, 1], { value: 0.5 }),
  'pad reflect': (x) => F.pad(x, [2, 1], { mode: 'reflect' }),
  'pad replicate 2-D': (x) => F.pad(x, [1, 2, 2, 1], { mode: 'replicate' }),
};

describe('forward and gradients against PyTorch (fixtures/nn.json)', () => {
  test('every fixture case has a call', () => {
    expect(fixtures.cases.map((c) => c.name).filter((n) => !(n in CALLS))).toEqual([]);
  });
  test.each(fixtures.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const args = c.inputs.map((i) => {
      const x = tg.tensor(i.data as number[], { dtype: i.dtype });
      return i.requiresGrad ? x.requiresGrad_() : x;
    });
    const out = CALLS[name](...args);
    const tol = out.dtype === 'float32' ? 1e-5 : 1e-10;
    expect(out.shape).toEqual(c.shape);
    closeTo(out.toArray(), c.out, tol);
    if (c.gradFn) expect(out.gradFn?.name).toBe(c.gradFn);
    if (c.grads.some((g) => g !== null)) {
      out.mul(tg.tensor(c.R as number[], { dtype: out.dtype })).sum().backward();
      c.grads.forEach((g, i) => {
        if (g !== null) closeTo(args[i].grad!.toArray(), g, tol);
      });
    }
  });
});

describe('spec T61-T63', () => {
  test('T61 softmax gradients', () => {
    const s = [0.09003057317038045, 0.2447284710547976, 0.6652409557748218];
    let x = t([1, 2, 3]);
    closeTo(F.softmax(x, 0).toArray(), s, 1e-15);
    F.softmax(x, 0).mul(f64([1, 0, 0])).sum().backward();
    closeTo(x.grad!.toArray(), [0.08192506906499322, -0.02203304452017429, -0.059892024544818914], 1e-15);
    x = t([1, 2, 3]);
    F.softmax(x, 0).sum().backward();
    for (const g of x.grad!.toArray() as number[]) expect(Math.abs(g)).toBeLessThan(1e-15);
    x = t([1, 2, 3]);
    x.softmax(0).mul(f64([1, 2, 3])).sum().backward();
    closeTo(x.grad!.toArray(), [-0.1418170936098121, -0.14077035746962996, 0.28258745107944266], 1e-15);
  });
  test('T61 logSoftmax value and gradient', () => {
    const x = t([1, 2, 3]);
    const y = F.logSoftmax(x, 0);
    closeTo(y.toArray(), [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804], 1e-15);
    expect(y.gradFn!.name).toBe('LogSoftmaxBackward0');
    y.index(0).backward();
    closeTo(x.grad!.toArray(), [0.9099694268296196, -0.24472847105479764, -0.6652409557748218], 1e-15);
  });
  const logits = [[1, 2, 3], [3, 2, 1]];
  const meanGrad = [[0.04501528658519022, 0.12236423552739882, -0.1673795221125891], [-0.1673795221125891, 0.12236423552739882, 0.04501528658519022]];
  test('T62 cross-entropy, mean and sum', () => {
    let x = t(logits);
    const loss = F.crossEntropy(x, long([2, 0]));
    expect(loss.gradFn!.name).toBe('NllLossBackward0');
    expect(loss.gradFn!.nextFunctions[0][0]!.name).toBe('LogSoftmaxBackward0');
    closeTo(loss.item(), 0.4076059644443804, 1e-15);
    loss.backward();
    closeTo(x.grad!.toArray(), meanGrad, 1e-15);
    x = t(logits);
    const s = F.crossEntropy(x, long([2, 0]), { reduction: 'sum' });
    closeTo(s.item(), 0.8152119288887608, 1e-15);
    s.backward();
    closeTo(x.grad!.toArray(), meanGrad.map((r) => r.map((v) => 2 * v)), 1e-15);
  });
  test('T62 nllLoss(logSoftmax) gives the same value and gradient', () => {
    const x = t(logits);
    const loss = F.nllLoss(F.logSoftmax(x, 1), long([2, 0]));
    closeTo(loss.item(), 0.4076059644443804, 1e-15);
    loss.backward();
    closeTo(x.grad!.toArray(), meanGrad, 1e-15);
  });
  test('T62 BCEWithLogits', () => {
    const z = t([0, 2]);
    const loss = F.binaryCrossEntropyWithLogits(z, f64([1, 0]));
    closeTo(loss.item(), 1.410037595801459, 1e-15);
    expect(loss.gradFn!.name).toBe('BinaryCrossEntropyWithLogitsBackward0');
    loss.backward();
    closeTo(z.grad!.toArray(), [-0.25, 0.44039853898894116], 1e-15);
  });
  test('T63 MSE, mean and sum', () => {
    let p = t([1, 2, 3]);
    let q = t([2, 2, 5]);
    const m = F.mseLoss(p, q);
    expect(m.gradFn!.name).toBe('MseLossBackward0');
    closeTo(m.item(), 1.6666666666666667, 1e-15);
    m.backward();
    closeTo(p.grad!.toArray(), [-0.6666666666666666, 0, -1.3333333333333333], 1e-15);
    closeTo(q.grad!.toArray(), [0.6666666666666666, -0, 1.3333333333333333], 1e-15);
    p = t([1, 2, 3]);
    q = t([2, 2, 5]);
    const s = F.mseLoss(p, q, { reduction: 'sum' });
    expect(s.item()).toBe(5);
    s.backward();
    closeTo(p.grad!.toArray(), [-2, 0, -4], 0);
    closeTo(q.grad!.toArray(), [2, 0, 4], 0);
  });
});

describe('grad_fn names', () => {
  const x = tg.randn([3, 4], { dtype: 'float64', requiresGrad: true });
  const w = tg.randn([5, 4], { dtype: 'float64', requiresGrad: true });
  test.each([
    ['linear 2-D with bias', () => F.linear(x, w, tg.zeros(5, { dtype: 'float64' })), 'AddmmBackward0'],
    ['linear 2-D without bias', () => F.linear(x, w), 'MmBackward0'],
    ['softmax', () => x.softmax(1), 'SoftmaxBackward0'],
    ['nllLoss 3-D input', () => F.nllLoss(tg.randn([2, 3, 4], { dtype: 'float64', requiresGrad: true }), long([[1, 2, 1, 0], [0, 0, 0, 0]])), 'NllLoss2DBackward0'],
    ['smoothL1Loss', () => F.smoothL1Loss(x, x.detach()), 'SmoothL1LossBackward0'],
    ['huberLoss', () => F.huberLoss(x, x.detach()), 'HuberLossBackward0'],
    ['binaryCrossEntropy', () => F.binaryCrossEntropy(x.sigmoid(), x.detach().sigmoid()), 'BinaryCrossEntropyBackward0'],
    ['layerNorm', () => F.layerNorm(x, [4]), 'NativeLayerNormBackward0'],
    ['embedding', () => F.embedding(long([1]), w), 'EmbeddingBackward0'],
    ['pad constant', () => F.pad(x, [1, 1]), 'ConstantPadNdBackward0'],
    ['pad reflect', () => F.pad(x, [1, 1], { mode: 'reflect' }), 'ReflectionPad1DBackward0'],
    ['pad replicate', () => F.pad(x, [1, 1], { mode: 'replicate' }), 'ReplicationPad1DBackward0'],
    ['dropout', () => F.dropout(x, { p: 0.5 }), 'MulBackward0'],
  ] as const)('%s', (_, f, name) => {
    expect(f().gradFn!.name).toBe(name);
  });
});

describe('errors like PyTorch', () => {
  const E = fixtures.errors;
  const x = tg.randn(3, 4);
  const cases: [string, () => unknown, string][] = [
    ['crossEntropy batch', () => F.crossEntropy(x, long([1, 2])), 'ValueError'],
    ['crossEntropy target bounds', () => F.crossEntropy(x, long([1, 2, 5])), 'IndexError'],
    ['nllLoss negative target', () => F.nllLoss(x, long([1, 2, -3])), 'IndexError'],
    ['nllLoss float target', () => F.nllLoss(x, tg.tensor([1, 2, 3])), 'DTypeError'],
    ['nllLoss weight size', () => F.nllLoss(x, long([1, 2, 1]), { weight: tg.ones(3) }), 'ShapeError'],
    ['softmax dim', () => F.softmax(x, 2), 'IndexError'],
    ['logSoftmax dim', () => F.logSoftmax(x, -3), 'IndexError'],
    ['softmax int', () => F.softmax(long([1, 2]), 0), 'NotImplementedError'],
    ['mseLoss sizes', () => F.mseLoss(x, tg.randn(2, 4)), 'ShapeError'],
    ['linear shapes', () => F.linear(x, tg.randn(5, 3)), 'ShapeError'],
    ['layerNorm shape', () => F.layerNorm(x, [3]), 'ShapeError'],
    ['embedding range', () => F.embedding(long([0, 7]), tg.randn(5, 3)), 'IndexError'],
    ['pad odd', () => F.pad(x, [1, 2, 3]), 'ValueError'],
    ['pad reflect size', () => F.pad(x, [5, 5], { mode: 'reflect' }), 'ValueError'],
    ['dropout p', () => F.dropout(x, { p: 1.5 }), 'ValueError'],
    ['bce range', () => F.binaryCrossEntropy(tg.tensor([1.5]), tg.rand(1)), 'RuntimeError'],
    ['reduction', () => F.crossEntropy(x, long([1, 2, 1]), { reduction: 'foo' as 'sum' }), 'ValueError'],
    ['smoothL1 beta', () => F.smoothL1Loss(tg.rand(3), tg.rand(3), { beta: -1 }), 'RuntimeError'],
    ['bilinear size', () => F.bilinear(tg.rand(2, 3), tg.rand(2, 4), tg.rand(5, 3, 3)), 'RuntimeError'],
    ['cosineSimilarity dim', () => F.cosineSimilarity(tg.rand(3, 2), tg.rand(3, 2), { dim: 3 }), 'IndexError'],
    ['nllLoss K-dim target', () => F.nllLoss(tg.randn(2, 3, 4), long([[1, 2, 1, 0]])), 'ValueError'],
    ['labelSmoothing range', () => F.crossEntropy(x, long([1, 2, 1]), { labelSmoothing: 1.5 }), 'ValueError'],
    ['huber delta', () => F.huberLoss(tg.rand(3), tg.rand(3), { delta: 0 }), 'RuntimeError'],
  ];
  test.each(cases)('%s', (key, f, name) => {
    const err: Error | undefined = errorOf(f);
    expect(err).toBeDefined();
    expect(err!.name).toBe(name);
    expect(err!.message).toContain(E[key].message);
  });
  test('embedding index dtype and BCE-with-logits sizes (API spelling adapted)', () => {
    expect(() => F.embedding(tg.tensor([0, 1]), tg.randn(5, 3))).toThrow(/'indices' to have one of the following scalar types: Long, Int; but got Float/);
    expect(() => F.binaryCrossEntropyWithLogits(tg.rand(3), tg.rand(4))).toThrow(/Target size \(\[4\]\) must be the same as input size \(\[3\]\)/);
  });
  test('class weights that require grad are refused, as PyTorch does', () => {
    const w = tg.rand([4], { requiresGrad: true });
    expect(() => F.nllLoss(x, long([1, 2, 3]), { weight: w })).toThrow(
      "The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.",
    );
    expect(() => F.binaryCrossEntropyWithLogits(x, tg.rand(3, 4), { weight: w })).toThrow(/'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'weight'/);
    expect(() => F.binaryCrossEntropy(x.sigmoid(), tg.rand(3, 4), { weight: w })).toThrow(/'binary_cross_entropy' is not differentiable/);
    expect(() => tg.noGrad(() => F.nllLoss(x, long([1, 2, 3]), { weight: w }))).not.toThrow();
  });
  test('arguments that are not tensors', () => {
    expect(() => F.softmax([1, 2] as unknown as Tensor, 0)).toThrow(/argument 'input' must be Tensor/);
    expect(() => F.linear(x, 3 as unknown as Tensor)).toThrow(/argument 'weight' must be Tensor/);
  });
});

describe('embedding', () => {
  test('gradient accumulates over repeated indices and skips paddingIdx', () => {
    const w = t([[1, 2], [3, 4], [5, 6]]);
    const e = F.embedding(long([[2, 0, 2], [1, 2, 0]]), w, { paddingIdx: 0 });
    expect(e.shape).toEqual([2, 3, 2]);
    expect(e.toArray()).toEqual([[[5, 6], [1, 2], [5, 6]], [[3, 4], [5, 6], [1, 2]]]);
    e.sum().backward();
    expect(w.grad!.toArray()).toEqual([[0, 0], [1, 1], [3, 3]]);
  });
  test('negative paddingIdx counts from the end; int32 indices', () => {
    const w = t([[1, 2], [3, 4], [5, 6]]);
    F.embedding(tg.tensor([2, 2, 1], { dtype: 'int32' }), w, { paddingIdx: -1 }).sum().backward();
    expect(w.grad!.toArray()).toEqual([[0, 0], [1, 1], [0, 0]]);
  });
  test('an index out of range throws before any row is read, negative too', () => {
    expect(() => F.embedding(long([0, -1]), tg.randn(5, 3))).toThrow(/index out of range in self/);
    expect(() => F.embedding(long([1e12]), tg.randn(5, 3))).toThrow(/index out of range in self/);
  });
});

describe('dropout', () => {
  test('seeded by manualSeed, scaled by 1/(1-p), identity when not training', () => {
    const x = tg.ones(1000);
    tg.manualSeed(7);
    const a = F.dropout(x, { p: 0.25 });
    tg.manualSeed(7);
    const b = F.dropout(x, { p: 0.25 });
    expect(a.toArray()).toEqual(b.toArray());
    const vals = a.toArray() as number[];
    for (const v of vals) expect(v === 0 || Math.abs(v - 1 / 0.75) < 1e-6).toBe(true);
    const kept = vals.filter((v) => v !== 0).length;
    expect(kept).toBeGreaterThan(650);
    expect(kept).toBeLessThan(850);
    expect(F.dropout(x, { p: 0.5, training: false })).toBe(x);
    expect((F.dropout(x, { p: 1 }).toArray() as number[]).every((v) => v === 0)).toBe(true);
  });
  test('alphaDropout keeps mean and variance of a standard normal input roughly', () => {
    tg.manualSeed(1);
    const x = tg.randn([20000], { dtype: 'float64' });
    const y = F.alphaDropout(x, { p: 0.2 });
    expect(Math.abs(y.mean().item() as number)).toBeLessThan(0.05);
    const v = y.sub(y.mean()).square().mean().item() as number;
    expect(Math.abs(v - 1)).toBeLessThan(0.1);
    expect(F.alphaDropout(x, { training: false })).toBe(x);
  });
});

describe('fused kernels', () => {
  const reference = (x: Tensor, dim: number): Tensor => {
    const m = x.max(dim, true).values;
    const e = x.sub(m).exp();
    return e.div(e.sum(dim, true));
  };
  test.each([
    ['float32 long rows (vector path)', [3, 700], 1, 'float32'],
    ['float32 inner stride', [4, 300, 3], 1, 'float32'],
    ['float64 dim 0', [50, 7], 0, 'float64'],
  ] as const)('softmax and logSoftmax match the composite: %s', (_, shape, dim, dtype) => {
    tg.manualSeed(2);
    const x = tg.randn([...shape], { dtype }).mul(4);
    const tol = dtype === 'float32' ? 1e-5 : 1e-12;
    closeTo(F.softmax(x, dim).toArray(), reference(x, dim).toArray(), tol);
    closeTo(F.logSoftmax(x, dim).toArray(), reference(x, dim).log().toArray(), tol * 10);
  });
  test('dtype option casts first (int input to float64)', () => {
    const y = F.softmax(long([1, 2, 3]), 0, { dtype: 'float64' });
    expect(y.dtype).toBe('float64');
    closeTo(y.toArray(), [0.09003057317038045, 0.2447284710547976, 0.6652409557748218], 1e-15);
    expect(tg.tensor([1, 2]).logSoftmax(0, { dtype: 'float64' }).dtype).toBe('float64');
  });
  test('edge values as PyTorch: -inf entries, NaN rows, empty batches, 1-D input, uint8 targets', () => {
    closeTo(F.softmax(tg.tensor([-Infinity, 0, 1]), 0).toArray(), [0, 0.2689414322376251, 0.7310585975646973], 1e-6);
    expect(F.logSoftmax(f64([-Infinity, 0]), 0).toArray()).toEqual([-Infinity, 0]);
    expect((F.softmax(tg.tensor([NaN, 0]), 0).toArray() as number[]).every(Number.isNaN)).toBe(true);
    expect(F.softmax(tg.zeros(0, 3), 1).shape).toEqual([0, 3]);
    expect(Number.isNaN(F.crossEntropy(tg.zeros(0, 3), tg.zeros(0, { dtype: 'int64' })).item() as number)).toBe(true);
    closeTo(F.crossEntropy(f64([1, 2, 3]), long(2)).item(), 0.4076059644443804, 1e-15);
    closeTo(F.crossEntropy(f64([[1, 2, 3]]), tg.tensor([2], { dtype: 'uint8' })).item(), 0.4076059644443804, 1e-15);
  });
  test('non-contiguous input', () => {
    const x = tg.randn([5, 4], { dtype: 'float64' }).t();
    closeTo(F.softmax(x, 1).toArray(), reference(x.contiguous(), 1).toArray(), 1e-12);
  });
  test('cross-entropy backward on a large batch is softmax - onehot over N', () => {
    tg.manualSeed(3);
    const x = tg.randn([64, 1000], { requiresGrad: true });
    const target = tg.randint(0, 1000, [64]);
    F.crossEntropy(x, target).backward();
    const expected = F.softmax(x.detach(), 1).sub(tg.zeros(64, 1000)).toArray() as number[][];
    const tArr = target.toArray() as number[];
    tArr.forEach((c, i) => (expected[i][c] -= 1));
    closeTo(x.grad!.toArray(), expected.map((r) => r.map((v) => v / 64)), 1e-5);
  });
  test('double backward through cross-entropy (Hessian-vector product)', () => {
    const x = t([[1, 2, 3], [3, 2, 1]]);
    const loss = F.crossEntropy(x, long([2, 0]));
    const [g] = tg.autograd.grad([loss], [x], { createGraph: true });
    const v = f64([[1, 0, 0], [0, 1, 0]]);
    const [hv] = tg.autograd.grad([g!.mul(v).sum()], [x]);
    // H = (diag(s) - s s^T) / N per row
    const s = F.softmax(x.detach(), 1).toArray() as number[][];
    const expected = s.map((row, i) => {
      const vi = (v.toArray() as number[][])[i];
      const sv = row.reduce((a, p, j) => a + p * vi[j], 0);
      return row.map((p, j) => (p * vi[j] - p * sv) / 2);
    });
    closeTo(hv!.toArray(), expected, 1e-12);
  });
  test('ignored targets give no gradient; every target ignored gives NaN mean like PyTorch', () => {
    const x = t([[1, 2], [3, 4]]);
    F.nllLoss(x, long([-100, 1])).backward();
    expect(x.grad!.toArray()).toEqual([[0, 0], [0, -1]]);
    expect(Number.isNaN(F.nllLoss(f64([[1, 2]]), long([-100])).item() as number)).toBe(true);
  });
});

// layerNorm runs row kernels: a fused forward, and a fused backward unless a graph is being
// built (createGraph), when its formula is written in tensor ops.
describe('layerNorm row kernels', () => {
  const F = tg.nn.functional;
  test('gradcheck and gradgradcheck w.r.t. input, weight and bias', () => {
    tg.manualSeed(11);
    const x = tg.randn([3, 2, 5], { dtype: 'float64' }).requiresGrad_();
    const w = tg.randn([2, 5], { dtype: 'float64' }).requiresGrad_();
    const b = tg.randn([2, 5], { dtype: 'float64' }).requiresGrad_();
    const full = (xx: Tensor, ww: Tensor, bb: Tensor) => F.layerNorm(xx, [2, 5], ww, bb, 1e-3);
    expect(tg.gradcheck(full as never, [x, w, b])).toBe(true);
    expect(tg.gradgradcheck(full as never, [x, w, b])).toBe(true);
    const plain = (xx: Tensor) => F.layerNorm(xx, [5]);
    expect(tg.gradcheck(plain, [x])).toBe(true);
    expect(tg.gradgradcheck(plain, [x])).toBe(true);
  });
  test('float32 rows far from zero: the fused gradients agree with a float64 computation', () => {
    tg.manualSeed(12);
    const rows = 64, cols = 300;
    const x64 = tg.randn([rows, cols], { dtype: 'float64' }).mul(0.01).add(1000);
    const w64 = tg.randn([cols], { dtype: 'float64' }), b64 = tg.randn([cols], { dtype: 'float64' });
    const g64 = tg.randn([rows, cols], { dtype: 'float64' });
    const run = (dtype: 'float32' | 'float64') => {
      const [x, w, b] = [x64, w64, b64].map((v) => v.to(dtype).detach().requiresGrad_());
      const y = F.layerNorm(x, [cols], w, b);
      y.backward(g64.to(dtype));
      return [y, x.grad!, w.grad!, b.grad!].map((v) => v.double());
    };
    const want = run('float64'), got = run('float32');
    // Relative to each result's scale: float32 rounding of x alone moves xhat by up to ~6e-3
    // here (x ~ 1000 with a spread of 0.01, float32 steps of 6e-5), hence the loose bound.
    want.forEach((v, i) => {
      const scale = v.abs().max().item() as number;
      expect((got[i].sub(v).abs().max().item() as number) / scale).toBeLessThan(2e-2);
    });
  });
  test('the fused backward and the graph-building one give the same gradients', () => {
    tg.manualSeed(13);
    const x = tg.randn([6, 7, 33]).requiresGrad_(), w = tg.randn([7, 33]).requiresGrad_(), b = tg.randn([7, 33]).requiresGrad_();
    const g = tg.randn([6, 7, 33]);
    const y = F.layerNorm(x, [7, 33], w, b);
    const fused = tg.autograd.grad([y], [x, w, b], { gradOutputs: [g], retainGraph: true });
    const graph = tg.autograd.grad([y], [x, w, b], { gradOutputs: [g], createGraph: true });
    fused.forEach((v, i) => closeTo(v!.toArray(), graph[i]!.detach().toArray(), 1e-4));
  });
  test('empty inputs, and parameters of another dtype', () => {
    const e = F.layerNorm(tg.zeros([0, 4], { requiresGrad: true }), [4]);
    expect(e.shape).toEqual([0, 4]);
    expect(e.gradFn!.name).toBe('NativeLayerNormBackward0');
    const err = errorOf(() => F.layerNorm(tg.randn(3, 4), [4], tg.ones(4, { dtype: 'float64' })));
    expect(err.message).toContain('mixed dtype (CPU): expect parameter to have scalar type of Float');
  });
});

// mseLoss and binaryCrossEntropyWithLogits without weights take fused paths: a squared-sum
// reduction forward (mse, reduced), and gradients formed in place outside createGraph (Note
// [Fused loss paths], csrc/ops/nn.cpp). Each must agree with the composed formulas, which
// createGraph runs, for every reduction and every choice of inputs that require grad.
describe('fused loss paths', () => {
  const losses = {
    mse: (x: Tensor, y: Tensor, reduction: 'mean' | 'sum' | 'none') => F.mseLoss(x, y, { reduction }),
    bceWithLogits: (x: Tensor, y: Tensor, reduction: 'mean' | 'sum' | 'none') =>
      F.binaryCrossEntropyWithLogits(x, y, { reduction }),
  };
  const cases = [] as [string, 'mean' | 'sum' | 'none', boolean, boolean][];
  for (const name of Object.keys(losses))
    for (const reduction of ['mean', 'sum', 'none'] as const)
      for (const [gx, gy] of [[true, false], [false, true], [true, true]])
        cases.push([name, reduction, gx, gy]);
  test.each(cases)('%s, reduction %s, x requires grad %s, y %s', (name, reduction, gx, gy) => {
    tg.manualSeed(5);
    // 5000 elements: the forward's squared sum spans two blocks of its reduction kernel.
    const x = tg.randn([50, 100], { dtype: 'float64' }).mul(3).requiresGrad_(gx);
    const y = (name === 'mse' ? tg.randn([50, 100], { dtype: 'float64' }) : tg.rand([50, 100], { dtype: 'float64' })).requiresGrad_(gy);
    const loss = losses[name as keyof typeof losses](x, y, reduction);
    // The forward against the loss spelled out in elementary ops.
    const sp = x.neg().clamp(0).add(x.abs().neg().exp().log1p());  // softplus(-x)
    const elems = name === 'mse' ? x.sub(y).square() : y.neg().add(1).mul(x).add(sp);
    const want = reduction === 'mean' ? elems.mean() : reduction === 'sum' ? elems.sum() : elems;
    closeTo(loss.detach().toArray(), want.detach().toArray(), 1e-12);
    const g = reduction === 'none' ? tg.randn([50, 100], { dtype: 'float64' }) : tg.tensor(0.7, { dtype: 'float64' });
    const inputs = [...(gx ? [x] : []), ...(gy ? [y] : [])];
    const fused = tg.autograd.grad([loss], inputs, { gradOutputs: [g], retainGraph: true });
    const graph = tg.autograd.grad([loss], inputs, { gradOutputs: [g], createGraph: true });
    const spelled = tg.autograd.grad([want], inputs, { gradOutputs: [g] });
    fused.forEach((v, i) => {
      expect(v!.shape).toEqual([50, 100]);
      closeTo(v!.toArray(), graph[i]!.detach().toArray(), 1e-12);
      closeTo(v!.toArray(), spelled[i]!.toArray(), 1e-12);
    });
  });
  test('float32 input against a float64 target keeps the float64 loss and gives float32 gradients', () => {
    tg.manualSeed(6);
    const x = tg.randn([40]).requiresGrad_();
    const y = tg.rand([40], { dtype: 'float64' });
    for (const loss of [F.mseLoss(x, y), F.binaryCrossEntropyWithLogits(x, y)]) {
      expect(loss.dtype).toBe('float64');
      x.grad = null;
      loss.backward();
      expect(x.grad!.dtype).toBe('float32');
    }
  });
});
