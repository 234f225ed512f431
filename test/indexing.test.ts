// The indexing and linalg ops against PyTorch: forward values, grad_fn names and the
// gradients of (out * w).sum() from test/fixtures/indexing.json (scripts/fixtures_indexing.py),
// integer results, spec T59 (advanced indexing), and bad calls with PyTorch's text.
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, t } from './helpers/make';
import { errorOf } from './helpers/check';
import { fixtureLeaf as leaf } from './helpers/make';

interface Fixture {
  inputs: { shape: number[]; values: unknown }[];
  shape: number[];
  values: unknown;
  gradFn: string | null;
  grads: unknown[];
}
const ALL = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'indexing.json'), 'utf8'));
const INTS: Record<string, unknown> = ALL.__ints__;
delete ALL.__ints__;
const INPLACE_NAMES: Record<string, string> = ALL.__inplaceGradFn__;
delete ALL.__inplaceGradFn__;
const FIX: Record<string, Fixture> = ALL;

const L = (v: unknown[]): Tensor => tg.tensor(v as number[], { dtype: 'int64' });
const I1 = L([[0, 1, 0], [2, 0, 2]]);
const M = tg.tensor([[true, false, true], [false, false, true]], { dtype: 'bool' });

// The same calls as scripts/fixtures_indexing.py, in camelCase.
const CALLS: Record<string, (...a: Tensor[]) => Tensor> = {
  gather: (a) => a.gather(0, I1),
  'gather(1)': (a) => tg.gather(a, 1, L([[3, 3], [0, 2]])),
  scatter: (a, b) => a.scatter(0, L([[0, 1, 2], [2, 0, 1]]), b),
  'scatter value': (a) => tg.scatter(a, 1, L([[0], [2], [1]]), 7.5),
  scatterAdd: (a, b) => a.scatterAdd(0, I1, b),
  'scatterReduce sum': (a, b) => a.scatterReduce(0, I1, b, 'sum'),
  'scatterReduce prod': (a, b) => a.scatterReduce(0, I1, b, 'prod'),
  'scatterReduce prod exclude': (a, b) => a.scatterReduce(0, I1, b, 'prod', { includeSelf: false }),
  'scatterReduce mean': (a, b) => tg.scatterReduce(a, 0, I1, b, 'mean'),
  'scatterReduce mean exclude': (a, b) => a.scatterReduce(0, I1, b, 'mean', { includeSelf: false }),
  'scatterReduce amax ties': (a, b) => a.scatterReduce(0, I1, b, 'amax'),
  'scatterReduce amin exclude': (a, b) => a.scatterReduce(0, I1, b, 'amin', { includeSelf: false }),
  indexSelect: (a) => a.indexSelect(1, L([3, 0, 3])),
  'indexSelect dim0': (a) => tg.indexSelect(a, 0, L([2, 2, 1, 0])),
  indexAdd: (a, b) => a.indexAdd(0, L([0, 3, 0]), b, { alpha: 2 }),
  indexCopy: (a, b) => a.indexCopy(0, L([3, 1]), b),
  indexFill: (a) => a.indexFill(1, L([0, 2]), -3),
  maskedFill: (a) => a.maskedFill(M, 9),
  'maskedFill broadcast': (a) => tg.maskedFill(a, tg.tensor([true, false, true]), -1),
  maskedSelect: (a) => a.maskedSelect(M),
  maskedScatter: (a, b) => a.maskedScatter(M, b),
  'maskedScatter broadcast': (a, b) => tg.maskedScatter(a, M, b),
  take: (a) => a.take(L([[5, 0], [-1, 5]])),
  addmm: (c, a, b) => tg.addmm(c, a, b, { beta: 0.5, alpha: 2 }),
  addmv: (c, a, b) => tg.addmv(c, a, b),
  baddbmm: (c, a, b) => c.baddbmm(a, b, { alpha: 0.5 }),
  outer: (a, b) => tg.outer(a, b),
  kron: (a, b) => tg.kron(a, b),
  'kron ranks': (a, b) => a.kron(b),
  cross: (a, b) => tg.cross(a, b),
  'cross dim0': (a, b) => a.cross(b, 0),
  'einsum ij,jk->ik': (a, b) => tg.einsum('ij,jk->ik', a, b),
  'einsum ii->i': (a) => tg.einsum('ii->i', a),
  'einsum ii': (a) => tg.einsum('ii', a),
  'einsum implicit': (a, b) => tg.einsum('ij,jk', [a, b]),
  'einsum batch ...': (a, b) => tg.einsum('...ij,...jk->...ik', a, b),
  'einsum bij,bjk->bik': (a, b) => tg.einsum('bij,bjk->bik', a, b),
  'einsum outer': (a, b) => tg.einsum('i,j->ij', a, b),
  'einsum transpose': (a) => tg.einsum('ij->ji', a),
  'einsum sum all': (a) => tg.einsum('ij->', a),
  'einsum three': (a, b, c) => tg.einsum('ij,j,jk->ik', a, b, c),
  'einsum ...': (a) => tg.einsum('i...->...', a),
  'einsum broadcast ...': (a, b) => tg.einsum('...ij,...jk->...ik', a, b),
  'einsum chain': (a, b, c) => tg.einsum('abc,cd,bd->a', a, b, c),
  'einsum repeated output order': (a, b) => a.einsum('ij,jkk->ki', b),
  'index int tensor': (a) => a.index(L([0, 0, 2])),
  'index mask': (a) => a.index(a.gt(0.5)),
  'index adjacent': (a) => a.index(':', L([0, 2]), L([1, 3])),
  'index separated': (a) => a.index(L([1, 0]), ':', L([1, 3])),
  'index broadcast': (a) => a.index(L([[0], [2]]), L([1, 3])),
  'index int and tensor': (a) => a.index(1, ':', L([0, 0, 3])),
  'index mask 2-D': (a) => a.index(M),
  'index none and tensor': (a) => a.index(null, L([2, 1])),
  vectorNorm: (a) => tg.linalg.vectorNorm(a),
  'vectorNorm(1, 1)': (a) => a.vectorNorm(1, 1),
  'vectorNorm(inf)': (a) => tg.linalg.vectorNorm(a, Infinity),
  'vectorNorm(-inf, 0)': (a) => tg.linalg.vectorNorm(a, -Infinity, 0),
  'vectorNorm(3, keepdim)': (a) => tg.linalg.vectorNorm(a, 3, [0, 1], true),
  'vectorNorm(0.5, -1)': (a) => tg.linalg.vectorNorm(a, 0.5, -1),
  'vectorNorm(0)': (a) => tg.linalg.vectorNorm(a, 0),
  'vectorNorm at zero': (a) => tg.linalg.vectorNorm(a, 2, 1),
  'vectorNorm 0-d': (a) => a.vectorNorm(),
  norm: (a) => a.norm(),
  'norm(1, 0)': (a) => a.norm(1, 0),
  matrixNorm: (a) => tg.linalg.matrixNorm(a),
  'matrixNorm(1)': (a) => a.matrixNorm(1),
  'matrixNorm(-inf)': (a) => tg.linalg.matrixNorm(a, -Infinity),
  'matrixNorm(inf, keepdim)': (a) => tg.linalg.matrixNorm(a, Infinity, [-2, -1], true),
  'matrixNorm(2)': (a) => a.matrixNorm(2),
  'matrixNorm(-2, dims, keepdim)': (a) => tg.linalg.matrixNorm(a, -2, [0, 2], true),
  'matrixNorm(nuc)': (a) => tg.linalg.norm(a, 'nuc'),
  'svdvals batched wide': (a) => tg.linalg.svdvals(a),
  'svdvals tall': (a) => tg.linalg.svdvals(a),
  'linalg.norm': (a) => tg.linalg.norm(a),
  'linalg.norm(1) 2-D': (a) => tg.linalg.norm(a, 1),
  'linalg.norm dim': (a) => tg.linalg.norm(a, 3, 1),
  'indexPut accumulate': (a, v) => a.clone().indexPut_(L([0, 0, 2]), v, { accumulate: true }),
  'indexPut 2-D': (a, v) => a.clone().indexPut_(L([0, 2]), L([1, 3]), v),
  'indexPut mask': (a, v) => a.clone().indexPut_(M, v),
  'indexPut value broadcast': (a, v) => a.clone().indexPut_(L([1]), L([0, 2]), v.index('0:2').unsqueeze(1).expand(2, 4).mul(1)),
};

// grad_fn names that differ from PyTorch's: einsum is composed here from other ops in another
// order than PyTorch's sumproduct_pair, and indexPut_ with tensor indices records CopySlices
// (PyTorch: IndexPutBackward0). Values and gradients match.
const COMPOSITE_GRAD_FN = /^(einsum|indexPut)/;

describe('indexing and linalg ops against PyTorch fixtures', () => {
  test('every fixture case has a call and every call a fixture', () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(FIX).sort());
  });
  test.each(Object.keys(FIX))('%s', (name) => {
    const f = FIX[name];
    const inputs = f.inputs.map(leaf);
    const y = CALLS[name](...inputs);
    expect(y.shape).toEqual(f.shape);
    expect(y.dtype).toBe('float64');
    closeTo(y.toArray(), f.values);
    if (!COMPOSITE_GRAD_FN.test(name)) expect(y.gradFn?.name ?? null).toBe(f.gradFn);
    const w = tg.arange(1, y.numel() + 1, 1, { dtype: 'float64' }).reshape(y.shape);
    y.mul(w).sum().backward();
    inputs.forEach((x, i) => {
      if (f.grads[i] === null) expect(x.grad === null || x.grad === undefined || (x.grad.abs().sum().item() as number) === 0).toBe(true);
      else closeTo(x.grad!.toArray(), f.grads[i]);
    });
  });
});

describe('in-place forms record the op node, as PyTorch', () => {
  const NAMES = INPLACE_NAMES;
  const M3 = tg.cat([M, M]).narrow(0, 0, 3);
  const base = (): Tensor => leaf({ shape: [3, 3], values: tg.arange(9).mul(0.5).sub(1).reshape([3, 3]).toArray() }).mul(1);
  const calls: Record<string, () => Tensor> = {
    scatter_: () => base().scatter_(0, I1, tg.ones(2, 3, { dtype: 'float64' })),
    scatterAdd_: () => base().scatterAdd_(0, I1, tg.ones(2, 3, { dtype: 'float64' })),
    scatterReduce_: () => base().scatterReduce_(0, I1, tg.ones(2, 3, { dtype: 'float64' }), 'amax'),
    indexAdd_: () => base().indexAdd_(0, L([0, 2]), tg.ones(2, 3, { dtype: 'float64' })),
    indexCopy_: () => base().indexCopy_(0, L([0, 2]), tg.ones(2, 3, { dtype: 'float64' })),
    indexFill_: () => base().indexFill_(1, L([1]), 2),
    maskedFill_: () => base().maskedFill_(M3, 1),
    maskedScatter_: () => base().maskedScatter_(M3, tg.ones(9, { dtype: 'float64' })),
  };
  test('every fixture name has a call', () => expect(Object.keys(calls).sort()).toEqual(Object.keys(NAMES).sort()));
  test.each(Object.keys(calls))('%s', (name) => expect(calls[name]().gradFn?.name).toBe(NAMES[name]));
});

describe('integer results', () => {
  const f32 = (v: number[]): Tensor => tg.tensor(v);
  const cases: Record<string, () => Tensor> = {
    nonzero: () => tg.nonzero(L([[0, 1, 0], [2, 0, 3]])),
    'nonzero 1-D': () => f32([0, 1.5, 0, -2]).nonzero(),
    oneHot: () => tg.oneHot(L([0, 2, 1]), 4),
    'oneHot infer': () => L([[1], [3]]).oneHot(),
    searchsorted: () => tg.searchsorted(f32([1, 3, 5, 7]), tg.tensor([[3, 6, 9], [0, 5, 7]])),
    'searchsorted right': () => tg.searchsorted(f32([1, 3, 5, 7]), f32([3, 6, 7]), { right: true }),
    'searchsorted 2-D': () => tg.searchsorted(tg.tensor([[1, 3], [2, 4]]), tg.tensor([[3], [3]])),
    bucketize: () => tg.bucketize(L([1, 5, 9, 3]), L([1, 3, 5, 7])),
    'bucketize right': () => L([1, 5, 9, 3]).bucketize(L([1, 3, 5, 7]), { right: true }),
    'gather int64': () => L([[1, 2], [3, 4]]).gather(1, L([[1, 1], [0, 1]])),
    'scatterReduce int64 mean': () => L([[5, -3, 0]]).scatterReduce(1, L([[0, 1, 1]]), L([[2, 4, 1]]), 'mean'),
    'scatterReduce int64 amax exclude': () => tg.zeros([1, 3], { dtype: 'int64' }).scatterReduce(1, L([[2, 2, 0]]), L([[-4, -2, -7]]), 'amax', { includeSelf: false }),
    'scatterAdd float32': () => tg.zeros(2, 3).scatterAdd(1, L([[0, 0, 2], [1, 1, 1]]), tg.ones(2, 3)),
  };
  test('every case has a fixture', () => expect(Object.keys(cases).sort()).toEqual(Object.keys(INTS).sort()));
  test.each(Object.keys(cases))('%s', (name) => {
    const y = cases[name]();
    expect(y.toArray()).toEqual(INTS[name]);
    if (name !== 'scatterAdd float32') expect(y.dtype).toBe('int64');
    else expect(y.dtype).toBe('float32');
  });
  test('0-d inputs and indices give PyTorch shapes', () => {
    const a = tg.tensor(5), b = tg.arange(4);
    expect(a.indexSelect(0, L([0])).shape).toEqual([]);
    expect(a.indexSelect(0, L(0 as unknown as unknown[])).shape).toEqual([]);
    expect(b.indexSelect(0, L(2 as unknown as unknown[])).shape).toEqual([1]);
    expect(a.gather(0, L(0 as unknown as unknown[])).shape).toEqual([]);
    expect(b.take(L(1 as unknown as unknown[])).shape).toEqual([]);
    expect(tg.tensor(3).nonzero().shape).toEqual([1, 0]);
  });
  test('nonzero of an empty or all-zero tensor is [0, ndim]', () => {
    expect(tg.zeros(2, 3).nonzero().shape).toEqual([0, 2]);
    expect(tg.zeros(0).nonzero().shape).toEqual([0, 1]);
  });
});

describe('spec T59 and in-place forms', () => {
  test('x[[0,0,2]] accumulates: grad [2,0,1,0]', () => {
    const x = t([1, 2, 3, 4]);
    x.index(L([0, 0, 2])).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 0, 1, 0]);
  });
  test('x[x > 15] selects by a mask', () => {
    const x = tg.arange(0, 20, 1, { dtype: 'float64' }).reshape(4, 5);
    expect(x.index(x.gt(15)).toArray()).toEqual([16, 17, 18, 19]);
  });
  test('a mask indexes its dims flattened: the same values and grads as its coordinates', () => {
    // A mask is one advanced index, its flat nonzero() positions over its dims; indexing with
    // the mask's coordinates as int64 tensors, one per dim, is the reference.
    const x = tg.arange(0, 4 * 5 * 6, 1, { dtype: 'float64' }).reshape(4, 5, 6).requiresGrad_();
    const w = tg.arange(0, 120, 1, { dtype: 'float64' });
    const m2 = tg.arange(0, 20).reshape(4, 5).remainder(3).eq(1), m1 = tg.tensor([true, false, true, true, false]);
    const m6 = tg.tensor([true, false, false, true, true, false]), m1b = tg.tensor([false, true, false, false, true]);
    const cols = (m: Tensor) => {
      const nz = m.nonzero();
      return Array.from({ length: m.dim() }, (_, j) => nz.index(':', j));
    };
    type Items = Parameters<Tensor['index']>;
    const cases: [Items, Items][] = [
      [[m2], cols(m2)], // leading dims, rows of 6 each
      [[':', m1], [':', ...cols(m1)]], // after a slice: the selected dim stays in place
      [[1, m1], [1, ...cols(m1)]], // after an int
      [['...', m6], ['...', ...cols(m6)]], // the last dim
      [[m2.to('uint8')], cols(m2)], // a byte mask counts as bool
      [[L([0, 3]), m1b], [L([0, 3]), ...cols(m1b)]], // beside an integer index, broadcast
      [[m1b.index('0:4'), ':', L([5, 0])], [...cols(m1b.index('0:4')), ':', L([5, 0])]], // separated: dims move first
      [[m2, L([1, 2, 3, 4, 5, 0, 1])], [...cols(m2), L([1, 2, 3, 4, 5, 0, 1])]], // a 2-D mask and an index after it
    ];
    for (const [withMask, withInts] of cases) {
      const a = x.index(...withMask), b = x.index(...withInts);
      expect(a.shape).toEqual(b.shape);
      expect(a.toArray()).toEqual(b.toArray());
      expect(a.gradFn!.name).toBe('IndexBackward0');
      const ga = tg.autograd.grad([a.mul(w.index(`0:${a.numel()}`).reshape(a.shape)).sum()], [x])[0]!;
      const gb = tg.autograd.grad([b.mul(w.index(`0:${b.numel()}`).reshape(b.shape)).sum()], [x])[0]!;
      expect(ga.toArray()).toEqual(gb.toArray());
    }
    // An all-false mask selects nothing.
    expect(x.index(tg.zeros(4, 5, { dtype: 'bool' })).shape).toEqual([0, 6]);
  });
  test.each([1, 2])('nonzero of large contiguous tensors, blocks over %i thread(s), against a model', (threads) => {
    // Note [Contiguous nonzero]: blocks of 16384 elements counted, then written, with an
    // odometer carried from each block's start; -0.0 is zero, NaN is not.
    const before = tg.getNumThreads();
    tg.setNumThreads(threads);
    try {
      const shape = [3, 137, 211]; // 86,703 elements: six blocks, rows cut by block edges
      const n = 3 * 137 * 211;
      const pattern = (i: number) => ((i * 2654435761) % 1000003) % 5; // 0 about a fifth of the time
      for (const dtype of ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'] as tg.DType[]) {
        const values = Array.from({ length: n }, (_, i) => {
          const p = pattern(i);
          if (dtype === 'bool') return p !== 0;
          if (dtype.startsWith('float') && i % 1009 === 0) return NaN;
          if (dtype.startsWith('float') && p === 0 && i % 2 === 0) return -0;
          return p;
        });
        const x = tg.tensor(values as number[], { dtype }).reshape(shape);
        const want: number[] = [];
        values.forEach((v, i) => {
          if (Number(v) !== 0) want.push(Math.floor(i / (137 * 211)), Math.floor(i / 211) % 137, i % 211);
        });
        const got = x.nonzero();
        expect(got.shape).toEqual([want.length / 3, 3]);
        const flat = Array.from(got.data() as BigInt64Array, Number);
        expect(flat.findIndex((v, k) => v !== want[k])).toBe(-1);
        // 1-D, and the flat positions that index() and maskedSelect use.
        const flat1 = Array.from(x.flatten().nonzero().data() as BigInt64Array, Number);
        expect(flat1.length).toBe(want.length / 3);
        expect(flat1.findIndex((v, k) => v !== want[3 * k] * 137 * 211 + want[3 * k + 1] * 211 + want[3 * k + 2])).toBe(-1);
      }
    } finally {
      tg.setNumThreads(before);
    }
  });
  test('nonzero of a non-contiguous view lists its coordinates in its own row-major order', () => {
    const x = tg.arange(0, 24).reshape(2, 3, 4).remainder(3).eq(0); // [2, 3, 4]
    const v = x.transpose(0, 2); // [4, 3, 2], strided
    const want: number[][] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) if ((k * 12 + j * 4 + i) % 3 === 0) want.push([i, j, k]);
    expect(v.nonzero().toArray()).toEqual(want);
  });
  test('indexPut_ with tensors writes into views and leaves without grad', () => {
    const x = tg.zeros(3, 4);
    x.index(':', '1:').indexPut_(L([0, 2]), L([2, 0]), 5);
    expect(x.toArray()).toEqual([[0, 0, 0, 5], [0, 0, 0, 0], [0, 5, 0, 0]]);
    x.indexPut_(L([1, 1]), tg.ones(2, 4), { accumulate: true });
    expect(x.index(1).toArray()).toEqual([2, 2, 2, 2]);
    x.indexPut_(x.gt(4), -1);
    expect(x.sum().item()).toBe(6);
  });
  test('addmm with beta = 0 ignores NaN in input', () => {
    const r = tg.addmm(tg.full([2, 2], NaN), tg.ones(2, 3), tg.ones(3, 2), { beta: 0 });
    expect(r.toArray()).toEqual([[3, 3], [3, 3]]);
  });
  test('gather with duplicate indices accumulates', () => {
    const x = t([1, 2, 3]);
    x.gather(0, L([1, 1, 1])).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 3, 0]);
  });
  test('in-place forms write through', () => {
    const x = tg.zeros(3, 2);
    x.indexAdd_(0, L([0, 0]), tg.ones(2, 2), { alpha: 3 });
    expect(x.toArray()).toEqual([[6, 6], [0, 0], [0, 0]]);
    x.maskedFill_(tg.tensor([true, false]), -1);
    expect(x.toArray()).toEqual([[-1, 6], [-1, 0], [-1, 0]]);
    x.indexFill_(0, L([2]), 5).scatter_(1, L([[1], [1], [1]]), 2);
    expect(x.toArray()).toEqual([[-1, 2], [-1, 2], [5, 2]]);
    x.indexCopy_(0, L([1]), tg.tensor([[7, 8]])).scatterAdd_(0, L([[0, 0]]), tg.ones(1, 2));
    expect(x.toArray()).toEqual([[0, 3], [7, 8], [5, 2]]);
  });
  test('non-contiguous inputs and indices', () => {
    const x = tg.arange(0, 12, 1, { dtype: 'float64' }).reshape(3, 4).t(); // [4,3]
    const i = L([[0, 1, 2, 0], [2, 2, 1, 0]]).t(); // [4,2]
    expect(x.gather(1, i).toArray()).toEqual(x.contiguous().gather(1, i.contiguous()).toArray());
    expect(x.indexSelect(0, L([3, 1])).toArray()).toEqual([[3, 7, 11], [1, 5, 9]]);
  });
  // Slices that are one unit-stride run (copied whole) and slices that are not, against the
  // definition: out[.., j, ..] = x[.., index[j], ..].
  test.each([
    ['dim 0 of [5, 3, 4] (a run of 12)', [5, 3, 4], 0, false],
    ['dim 1 of [5, 3, 4]', [5, 3, 4], 1, false],
    ['dim 2 of [5, 3, 4]', [5, 3, 4], 2, false],
    ['dim 0 of [5, 1, 4] (size-1 dim in the run)', [5, 1, 4], 0, false],
    ['dim 0 of a transposed [4, 5]', [5, 4], 0, true],
  ] as [string, number[], number, boolean][])('indexSelect along %s', (_name, shape, dim, transposed) => {
    const base = tg.arange(0, shape.reduce((p, s) => p * s, 1), 1, { dtype: 'float64' }).reshape(...shape);
    const x = transposed ? base.t() : base;
    const n = x.shape[dim];
    const index = [n - 1, 0, n - 1, Math.floor(n / 2)];
    const got = x.indexSelect(dim, L(index));
    const want = tg.cat(index.map((k) => x.narrow(dim, k, 1)), dim);
    expect(got.shape).toEqual(want.shape);
    expect(got.toArray()).toEqual(want.toArray());
  });
  // Large enough for the thread pool: every element against the definition, along either dim
  // and through a transposed input and index.
  test('large gathers and scatters match the definition', () => {
    const rows = 300, cols = 400;
    const x = tg.randn(rows, cols);
    const xs = x.data() as Float32Array;
    const at = (r: number, c: number) => xs[r * cols + c];
    const i1 = tg.randint(0, cols, [rows, cols]), i0 = tg.randint(0, rows, [rows, cols]);
    const v1 = i1.data() as BigInt64Array, v0 = i0.data() as BigInt64Array;
    const g1 = x.gather(1, i1).data() as Float32Array, g0 = x.gather(0, i0).data() as Float32Array;
    let bad = 0;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        if (g1[r * cols + c] !== at(r, Number(v1[r * cols + c]))) bad++;
        if (g0[r * cols + c] !== at(Number(v0[r * cols + c]), c)) bad++;
      }
    expect(bad).toBe(0);
    const gt = x.t().gather(1, i0.t()); // [cols, rows]: gt[c][r] = x[i0[r][c]][c]
    expect(gt.t().toArray()).toEqual(x.gather(0, i0).toArray());
    // scatterAdd along dim 0 adds each row of src into the row its index names, in order.
    const src = tg.ones(rows, cols, { dtype: 'float64' });
    const sums = tg.zeros(rows, cols, { dtype: 'float64' }).scatterAdd_(0, i0, src).sum(0).toArray() as number[];
    expect(sums.every((s) => s === rows)).toBe(true);
  });
  // Note [Parallel scatter] (csrc/cpu/index_kernels.cpp): large scatters split over the pool
  // and still apply the writes to each element in index order. float32 sums of values of mixed
  // magnitude (so the order shows in the bits), the last assignment winning, along dims 0, 1
  // and 2 of a [40, 60, 50] index with many repeats (large enough to split), on one and two threads.
  test.each([0, 1, 2])('large scatterAdd and scatter along dim %d apply writes in index order', (dim) => {
    const shape = [40, 60, 50], outShape = [8, 8, 8].map((n, d) => (d === dim ? n : shape[d]));
    const numel = shape[0] * shape[1] * shape[2];
    const vals = Float32Array.from({ length: numel }, (_, i) => ((i * 7919) % 1000) * (i % 3 === 0 ? 1e4 : 1e-3));
    const idxVals = Array.from({ length: numel }, (_, i) => (i * 31 + Math.floor(i / 7)) % outShape[dim]);
    const src = tg.tensor(vals).reshape(...shape), index = L(idxVals).reshape(...shape);
    // The definition, position by position in row-major order.
    const strides = [outShape[1] * outShape[2], outShape[2], 1];
    const sum = new Float32Array(outShape[0] * outShape[1] * outShape[2]), last = new Float32Array(sum.length);
    for (let p = 0; p < numel; p++) {
      const coord = [Math.floor(p / (shape[1] * shape[2])), Math.floor(p / shape[2]) % shape[1], p % shape[2]];
      coord[dim] = idxVals[p];
      const o = coord[0] * strides[0] + coord[1] * strides[1] + coord[2];
      sum[o] += vals[p];
      last[o] = vals[p];
    }
    const before = tg.getNumThreads();
    try {
      for (const threads of [1, 2]) {
        tg.setNumThreads(threads);
        const gotSum = tg.zeros(...outShape).scatterAdd(dim, index, src).data() as Float32Array;
        const gotLast = tg.zeros(...outShape).scatter(dim, index, src).data() as Float32Array;
        expect(Array.from(gotSum)).toEqual(Array.from(sum));
        expect(Array.from(gotLast)).toEqual(Array.from(last));
      }
    } finally {
      tg.setNumThreads(before);
    }
  });
  test('a bad index in a large gather or scatter names the first one and writes nothing', () => {
    const x = tg.randn(200, 300);
    const idx = tg.randint(0, 300, [200, 300]);
    idx.index(150, 7).fill_(-3);
    idx.index(170, 9).fill_(900);
    const message = 'index -3 is out of bounds for dimension 1 with size 300';
    const e = errorOf(() => x.gather(1, idx));
    expect([e.name, e.message]).toEqual(['IndexError', message]);
    const target = tg.zeros(200, 300);
    const e2 = errorOf(() => target.scatter_(1, idx, x));
    expect([e2.name, e2.message]).toEqual(['IndexError', message]);
    expect(target.abs().sum().item()).toBe(0);
  });
  test('index values at the size and at the ends of int64 are out of bounds in a scatter', () => {
    // Long runs, so the check's vectorized loop sees them; one bad value among valid ones.
    const n = 300;
    for (const bad of [300n, -1n, 9223372036854775807n, -9223372036854775808n]) {
      const values = new BigInt64Array(4 * n).fill(299n);
      values[2 * n + 17] = bad;
      const idx = tg.tensor(values).reshape(4, n);
      const target = tg.zeros(4, n);
      const e = errorOf(() => target.scatterAdd_(1, idx, tg.ones(4, n)));
      expect([e.name, e.message]).toEqual(['IndexError', `index ${bad} is out of bounds for dimension 1 with size 300`]);
      expect(target.abs().sum().item()).toBe(0);
    }
    const ok = tg.zeros(4, n).scatterAdd_(1, tg.tensor(new BigInt64Array(4 * n).fill(299n)).reshape(4, n), tg.ones(4, n));
    expect(ok.sum(1).toArray()).toEqual([300, 300, 300, 300]);
    expect(ok.index(':', 299).toArray()).toEqual([300, 300, 300, 300]);
  });
});

type Case = [string, () => unknown, string, string];
const a = tg.ones(4);
const m = tg.ones(2, 2);
const cases: Case[] = [
  ['gather index dtype', () => a.gather(0, tg.tensor([1])), 'DTypeError', 'gather(): Expected dtype int64 for index'],
  ['gather rank', () => m.gather(0, L([1])), 'RuntimeError', 'Index tensor must have the same number of dimensions as input tensor'],
  ['gather bounds', () => a.gather(0, L([5])), 'IndexError', 'index 5 is out of bounds for dimension 0 with size 4'],
  ['scatterReduce reduce', () => a.scatterReduce(0, L([1]), a, 'foo' as never), 'RuntimeError', 'reduce argument must be either sum, prod, mean, amax or amin, got foo'],
  ['scatterReduce bounds', () => a.scatterReduce(0, L([7]), a, 'sum'), 'IndexError', 'index 7 is out of bounds for dimension 0 with size 4'],
  ['scatterReduce dtype', () => a.scatterReduce(0, L([1]), a.double(), 'sum'), 'DTypeError', 'scatter(): Expected self.dtype to be equal to src.dtype'],
  ['leaf scatter_', () => tg.ones(2, { requiresGrad: true }).scatter_(0, L([0]), 1), 'RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.'],
  ['gather negative', () => a.gather(0, L([-1])), 'IndexError', 'index -1 is out of bounds for dimension 0 with size 4'],
  ['gather size', () => m.gather(0, L([[0, 0, 0]])), 'RuntimeError', 'Size does not match at dimension 1 expected index [1, 3] to be no larger than self [2, 2] apart from dimension 0'],
  ['scatter src too small', () => a.scatter(0, L([0, 1, 2]), tg.ones(2)), 'RuntimeError', 'Expected index [3] to be no larger than self [4] apart from dimension 0 and to be no larger size than src [2]'],
  ['scatterAdd 0-d src', () => a.scatterAdd(0, L([0, 1]), tg.tensor(1)), 'RuntimeError', 'to be no larger size than src []'],
  ['scatter bounds', () => a.scatter(0, L([4]), 1), 'IndexError', 'index 4 is out of bounds for dimension 0 with size 4'],
  ['scatter dtype', () => a.scatter(0, L([1]), tg.ones(1, { dtype: 'float64' })), 'DTypeError', 'scatter(): Expected self.dtype to be equal to src.dtype'],
  ['scatterAdd rank', () => m.scatterAdd(0, L([1]), m), 'RuntimeError', 'Index tensor must have the same number of dimensions as self tensor'],
  ['indexSelect bounds', () => a.indexSelect(0, L([4])), 'IndexError', 'index out of range in self'],
  ['indexSelect 2-D index', () => a.indexSelect(0, L([[0]])), 'RuntimeError', 'index_select(): Index is supposed to be a vector'],
  ['indexSelect float index', () => a.indexSelect(0, tg.tensor([0])), 'DTypeError', 'index_select(): Expected dtype int32 or int64 for index'],
  ['indexAdd count', () => a.indexAdd(0, L([0, 1]), tg.ones(3)), 'RuntimeError', 'index_add_(): Number of indices (2) should be equal to source.size(dim) (3)'],
  ['indexAdd bounds', () => a.indexAdd(0, L([9]), tg.ones(1)), 'IndexError', 'index out of range in self'],
  ['indexCopy bounds', () => a.indexCopy(0, L([9]), tg.ones(1)), 'IndexError', 'index 9 is out of bounds for dimension 0 with size 4'],
  ['indexFill bounds', () => a.indexFill(0, L([-9]), 1), 'IndexError', 'index -9 is out of bounds for dimension 0 with size 4'],
  ['maskedFill mask dtype', () => a.maskedFill(L([1, 0, 1, 0]), 1), 'DTypeError', 'masked_fill_ only supports boolean masks, but got mask with dtype long int'],
  ['maskedScatter count', () => tg.ones(2, 3).maskedScatter(M, tg.ones(2)), 'RuntimeError', 'Number of elements of source < number of ones in mask'],
  ['maskedScatter mask dtype', () => tg.ones(2, 3).maskedScatter(L([1, 0, 1]), tg.ones(5)), 'DTypeError', 'masked_scatter_ only supports boolean masks, but got mask with dtype Long'],
  ['maskedScatter dtypes', () => tg.ones(2, 3).maskedScatter(M, tg.ones(5, { dtype: 'float64' })), 'DTypeError', 'masked_scatter: expected self and source to have same dtypes but gotFloat and Double'],
  ['maskedSelect shapes', () => a.maskedSelect(tg.tensor([true, false])), 'ShapeError', 'must match'],
  ['take bounds', () => a.take(L([4])), 'IndexError', 'out of range: tried to access index 4 on a tensor of 4 elements.'],
  ['oneHot dtype', () => tg.tensor([1]).oneHot(3), 'RuntimeError', 'one_hot is only applicable to index tensor of type LongTensor.'],
  ['oneHot too large', () => L([3]).oneHot(3), 'RuntimeError', 'Class values must be smaller than num_classes.'],
  ['oneHot negative', () => L([-1]).oneHot(3), 'RuntimeError', 'Class values must be non-negative.'],
  ['searchsorted shapes', () => tg.searchsorted(m, tg.ones(3)), 'RuntimeError', 'boundaries tensor should be 1 dimension or the first N-1 dimensions'],
  ['index bounds', () => a.index(L([0, 5])), 'IndexError', 'index 5 is out of bounds for dimension 0 with size 4'],
  ['index mask shape', () => m.index(tg.tensor([true, false, true])), 'IndexError', 'The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 2] at index 0'],
  ['index float tensor', () => a.index(tg.tensor([0])), 'IndexError', 'tensors used as indices must be long, int, byte or bool tensors'],
  ['indexPut bounds', () => tg.zeros(3).indexPut_(L([3]), 1), 'IndexError', 'index 3 is out of bounds for dimension 0 with size 3'],
  ['index broadcast', () => m.index(L([0, 1]), L([0, 1, 0])), 'IndexError', 'shape mismatch: indexing tensors could not be broadcast together'],
  ['addmm shapes', () => tg.addmm(m, m, tg.ones(3, 2)), 'ShapeError', 'mat1 and mat2 shapes cannot be multiplied (2x2 and 3x2)'],
  ['addmm 1-D', () => tg.addmm(m, a, m), 'ShapeError', 'mat1 must be a matrix'],
  ['addmv vec', () => tg.addmv(a, m, m), 'ShapeError', 'vec must be a vector'],
  ['baddbmm 2-D', () => tg.baddbmm(m, m, m), 'ShapeError', 'batch1 must be a 3D tensor'],
  ['outer 2-D', () => tg.outer(m, a), 'ShapeError', 'outer: expected 1-D tensors'],
  ['cross length', () => tg.cross(m, m), 'ShapeError', 'linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2'],
  ['einsum operands', () => tg.einsum('ij,jk', m), 'ValueError', 'einsum(): fewer operands were provided than specified in the equation'],
  ['einsum dims', () => tg.einsum('ijk', m), 'ShapeError', 'einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0'],
  ['einsum output', () => tg.einsum('ij->k', m), 'ValueError', 'einsum(): output subscript k does not appear in the equation for any input operand'],
  ['vectorNorm int', () => tg.linalg.vectorNorm(L([1, 2])), 'DTypeError', 'linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long'],
  ['vectorNorm dim', () => tg.linalg.vectorNorm(m, 2, 2), 'IndexError', 'Dimension out of range'],
  ['vectorNorm inf empty', () => tg.linalg.vectorNorm(tg.zeros(0), Infinity), 'IndexError', 'linalg.vector_norm cannot compute the inf norm'],
  ['matrixNorm 1-D', () => tg.linalg.matrixNorm(a), 'RuntimeError', 'linalg.matrix_norm: The input tensor A must have at least 2 dimensions.'],
  ['matrixNorm order', () => tg.linalg.matrixNorm(m, 3), 'RuntimeError', 'linalg.matrix_norm: Order 3 not supported.'],
  ['svdvals 1-D', () => tg.linalg.svdvals(a), 'RuntimeError', 'linalg.svd: The input tensor A must have at least 2 dimensions.'],
  ['svdvals dtype', () => tg.linalg.svdvals(tg.ones([2, 2], { dtype: 'int64' })), 'DTypeError', 'linalg.svd: Expected a floating point or complex tensor as input. Got Long'],
  ['linalg.norm 3-D ord', () => tg.linalg.norm(tg.ones(2, 2, 2), 2), 'RuntimeError', 'linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.'],
  ['gather non-Tensor', () => tg.gather([1] as unknown as Tensor, 0, L([0])), 'ArgumentTypeError', "argument 'input' must be Tensor"],
];

describe('bad calls raise PyTorch-style errors', () => {
  test.each(cases)('%s', (_name, f, cls, text) => {
    const err: Error | undefined = errorOf(f);
    expect(err).toBeDefined();
    expect(err!.name).toBe(cls);
    expect(err!.message).toContain(text);
  });
});
