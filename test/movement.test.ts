// The movement ops against PyTorch: forward values, grad_fn names, view-ness and the
// gradients of (out * w).sum() from test/fixtures/movement.json (scripts/fixtures_movement.py),
// spec T60, dtypes, non-contiguous inputs, and one or more bad calls per op with PyTorch's text.
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { N } from '../lib/native';
import { closeTo, t } from './helpers/make';
import { errorOf } from './helpers/check';
import { fixtureLeaf as leaf } from './helpers/make';

interface Fixture {
  inputs: { shape: number[]; values: unknown }[];
  shape: number[];
  values: unknown;
  gradFn: string | null;
  isView: boolean;
  grads: unknown[];
}
const FIX: Record<string, Fixture> = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'movement.json'), 'utf8'));

const i64 = (v: number[]): Tensor => tg.tensor(v, { dtype: 'int64' });

// The same calls as scripts/fixtures_movement.py, in camelCase.
const CALLS: Record<string, (...a: Tensor[]) => Tensor> = {
  flatten: (a) => a.flatten(),
  'flatten(1,2)': (a) => a.flatten(1, 2),
  'flatten 0-d': (a) => tg.flatten(a),
  'flatten transposed': (a) => a.t().flatten(),
  unflatten: (a) => a.unflatten(1, [2, -1]),
  swapaxes: (a) => tg.swapaxes(a, 0, -1),
  movedim: (a) => a.movedim([0, 1], [2, 0]),
  'movedim(-1,0)': (a) => tg.movedim(a, -1, 0),
  mT: (a) => a.mT(),
  broadcastTo: (a) => a.broadcastTo(2, 3, 2),
  narrow: (a) => a.narrow(1, -3, 2),
  diagonal: (a) => a.diagonal(),
  'diagonal(1)': (a) => tg.diagonal(a, 1),
  'diagonal(-1,2,0)': (a) => a.diagonal(-1, 2, 0),
  cat: (a, b) => tg.cat([a, b], 1),
  'cat dim0': (a, b) => a.cat([b]),
  'cat legacy empty': (a, b) => tg.cat([a, b]),
  stack: (a, b) => tg.stack([a, b]),
  'stack(-1)': (a, b) => a.stack([b], -1),
  'hstack 1-D': (a, b) => tg.hstack([a, b]),
  'hstack 2-D': (a, b) => a.hstack([b]),
  vstack: (a, b) => tg.vstack([a, b]),
  repeat: (a) => a.repeat(2, 1, 3),
  'repeat 0-d': (a) => tg.repeat(a, [3]),
  tile: (a) => a.tile(2),
  'tile(2,1,2)': (a) => tg.tile(a, [2, 1, 2]),
  repeatInterleave: (a) => a.repeatInterleave(2),
  'repeatInterleave dim': (a) => tg.repeatInterleave(a, 2, 1),
  'repeatInterleave tensor': (a) => a.repeatInterleave(i64([2, 0, 3]), 0),
  flip: (a) => a.flip(0, 1),
  'flip(-1)': (a) => tg.flip(a, -1),
  roll: (a) => a.roll([1, -4], [0, 1]),
  'roll flat': (a) => tg.roll(a, 4),
  rot90: (a) => a.rot90(),
  'rot90(2)': (a) => a.rot90(2),
  'rot90(3,[1,0])': (a) => tg.rot90(a, 3, [1, 0]),
  'rot90(0)': (a) => a.rot90(0),
  tril: (a) => a.tril(),
  'tril(-1)': (a) => tg.tril(a, -1),
  triu: (a) => a.triu(),
  'triu(2)': (a) => tg.triu(a, 2),
  'diag 1-D': (a) => a.diag(),
  'diag(-1) 1-D': (a) => tg.diag(a, -1),
  'diag 2-D': (a) => a.diag(),
  'diag(1) 2-D': (a) => a.diag(1),
  diagEmbed: (a) => a.diagEmbed(),
  'diagEmbed(1,0,2)': (a) => tg.diagEmbed(a, 1, 0, 2),
  trace: (a) => tg.trace(a),
};

describe('movement ops against PyTorch fixtures', () => {
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
    expect(y.gradFn?.name ?? null).toBe(f.gradFn);
    // Views share the input's storage; copies never do.
    const shares = N.sameStorage(y._id, inputs[0]._id);
    if (!f.isView || name.startsWith('repeatInterleave')) expect(shares).toBe(false);
    else expect(shares).toBe(true);
    const w = tg.arange(1, y.numel() + 1, 1, { dtype: 'float64' }).reshape(y.shape);
    y.mul(w).sum().backward();
    inputs.forEach((x, i) => closeTo(x.grad!.toArray(), f.grads[i]));
  });
});

describe('T60 cat/stack', () => {
  test('cat([a, b]) · [1,2,3]', () => {
    const a = t([1, 2]);
    const b = t([3]);
    tg.cat([a, b]).mul(t([1, 2, 3], false)).sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 2]);
    expect(b.grad!.toArray()).toEqual([3]);
  });
  test('stack([a, b]) · [[1,2],[3,4]]', () => {
    const a = t([1, 2]);
    const b = t([3, 4]);
    tg.stack([a, b]).mul(t([[1, 2], [3, 4]], false)).sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 2]);
    expect(b.grad!.toArray()).toEqual([3, 4]);
  });
  test('stack(..., dim=1) with the same weights', () => {
    const a = t([1, 2]);
    const b = t([3, 4]);
    tg.stack([a, b], 1).mul(t([[1, 2], [3, 4]], false)).sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 3]);
    expect(b.grad!.toArray()).toEqual([2, 4]);
  });
});

describe('dtypes and layouts', () => {
  test('cat and stack promote dtypes; the gradient comes back in each input dtype', () => {
    const f = tg.ones(2, 2).requiresGrad_();
    const i = tg.ones(2, 2, { dtype: 'int64' });
    expect(tg.cat([f, i]).dtype).toBe('float32');
    expect(tg.stack([i, f]).dtype).toBe('float32');
    const d = tg.ones(2, { dtype: 'float64' }).requiresGrad_();
    tg.cat([f.flatten(), d]).sum().backward();
    expect(f.grad!.dtype).toBe('float32');
    expect(d.grad!.dtype).toBe('float64');
  });
  test('trace of integers is int64; tril keeps bool; copies work for every dtype', () => {
    expect(tg.ones(2, 3, { dtype: 'int32' }).trace().dtype).toBe('int64');
    expect(tg.ones(3, 3, { dtype: 'bool' }).tril().dtype).toBe('bool');
    for (const dtype of ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'] as const) {
      const x = tg.tensor([[1, 0, 1], [0, 1, 1]], { dtype });
      expect(x.flip(1).toArray()).toEqual(tg.tensor([[1, 0, 1], [1, 1, 0]], { dtype }).toArray());
      expect(x.roll(1, 0).toArray()).toEqual(tg.tensor([[0, 1, 1], [1, 0, 1]], { dtype }).toArray());
      expect(x.repeatInterleave(i64([1, 2]), 0).shape).toEqual([3, 3]);
      expect(tg.cat([x, x], 1).dtype).toBe(dtype);
    }
  });
  test('non-contiguous inputs give the same values as their contiguous copies', () => {
    const x = tg.arange(0, 24, 1, { dtype: 'float64' }).reshape(4, 6).t().index(':', '::2'); // [6,2], strided
    const c = x.contiguous();
    expect(x.isContiguous()).toBe(false);
    const ops: ((a: Tensor) => Tensor)[] = [
      (a) => a.flip(0), (a) => a.roll([2, 1], [0, 1]), (a) => a.rot90(1), (a) => a.rot90(3), (a) => a.tril(1), (a) => a.triu(),
      (a) => a.repeat(2, 2), (a) => a.repeatInterleave(2, 0), (a) => a.diag(), (a) => a.diagEmbed(), (a) => a.flatten(),
      (a) => tg.cat([a, a], 1), (a) => tg.stack([a, a], 1), (a) => a.trace(),
    ];
    for (const f of ops) expect(f(x).toArray()).toEqual(f(c).toArray());
  });
  test.each([1, 2])('large cats and copies, split over %i thread(s) by byte ranges, equal a per-row model', (threads) => {
    // Note [Cat in one pass]: out's bytes are split over the pool in ranges that start and end
    // inside rows and inside parts; a part may be empty or repeated.
    const before = tg.getNumThreads();
    tg.setNumThreads(threads);
    try {
      const rows = 301;
      const widths = [1000, 0, 37, 1000, 523];
      const parts = widths.map((w, i) => tg.arange(0, rows * w, 1, { dtype: 'int32' }).add(i * 1e6).reshape(rows, w));
      parts[3] = parts[0]; // repeated
      const out = tg.cat(parts, 1);
      const data = parts.map((p) => p.data() as Int32Array);
      const want = new Int32Array(rows * 2560);
      let at = 0;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < parts.length; i++) {
          want.set(data[i].subarray(r * widths[i], (r + 1) * widths[i]), at);
          at += widths[i];
        }
      }
      expect(out.shape).toEqual([rows, 2560]);
      expect(out.data()).toEqual(want);
      // One row of parts (cat along dim 0) and a plain contiguous copy.
      expect(tg.cat([parts[0], parts[0].index('0:50')], 0).data()).toEqual(
        Int32Array.from([...data[0], ...data[0].subarray(0, 50 * 1000)]),
      );
      const big = tg.arange(0, 400001, 1, { dtype: 'float64' });
      expect(big.clone().data()).toEqual(big.data());
    } finally {
      tg.setNumThreads(before);
    }
  });
  test('empty tensors', () => {
    const e = tg.zeros(0, 3);
    expect(e.flip(0).shape).toEqual([0, 3]);
    expect(e.roll(1, 0).shape).toEqual([0, 3]);
    expect(e.repeat(2, 2).shape).toEqual([0, 6]);
    expect(e.tril().shape).toEqual([0, 3]);
    expect(tg.cat([e, tg.ones(1, 3)]).shape).toEqual([1, 3]);
    expect(tg.ones(3).repeat(0).shape).toEqual([0]);
    expect(tg.ones(3).repeatInterleave(0).shape).toEqual([0]);
  });
  test('views write through and bump the shared version counter', () => {
    const x = tg.zeros(3, 3);
    x.diagonal().add_(1);
    expect(x.trace().item()).toBe(3);
    x.narrow(0, 1, 1).fill_(5);
    expect(x.sum().item()).toBe(3 + 5 * 3 - 1);
    const y = tg.zeros(2, 3);
    y.mT().add_(tg.ones(3, 2));
    expect(y.sum().item()).toBe(6);
  });
});

type Case = [string, () => unknown, string, string];
const a = tg.ones(2, 2);
const v = tg.ones(3);
const cases: Case[] = [
  ['cat empty list', () => tg.cat([]), 'ValueError', 'cat(): expected a non-empty list of Tensors'],
  ['cat sizes', () => tg.cat([a, tg.ones(3, 3)], 1), 'ShapeError', 'Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.'],
  ['cat ranks', () => tg.cat([a, v]), 'ShapeError', 'Tensors must have same number of dimensions: got 2 and 1'],
  ['cat 0-d', () => tg.cat([tg.tensor(1), tg.tensor(2)]), 'ShapeError', 'zero-dimensional tensor (at position 0) cannot be concatenated'],
  ['cat dim', () => tg.cat([a], 2), 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'],
  ['cat not an array', () => tg.cat(a as unknown as Tensor[]), 'ArgumentTypeError', "argument 'tensors' must be an array"],
  ['stack empty', () => tg.stack([]), 'ValueError', 'stack expects a non-empty TensorList'],
  ['stack sizes', () => tg.stack([tg.ones(2), v]), 'ShapeError', 'stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1'],
  ['hstack empty', () => tg.hstack([]), 'ValueError', 'hstack expects a non-empty TensorList'],
  ['vstack empty', () => tg.vstack([]), 'ValueError', 'vstack expects a non-empty TensorList'],
  ['flatten order', () => a.flatten(1, 0), 'RuntimeError', 'flatten() has invalid args: start_dim cannot come after end_dim'],
  ['unflatten sizes', () => a.unflatten(1, [3, 1]), 'ShapeError', "unflatten: Provided sizes [3, 1] don't multiply up to the size of dim 1 (2) in the input tensor"],
  ['unflatten empty', () => a.unflatten(1, []), 'RuntimeError', 'unflatten: sizes must be non-empty'],
  ['swapaxes dim', () => a.swapaxes(0, 2), 'IndexError', 'Dimension out of range'],
  ['movedim lengths', () => a.movedim([0, 1], [0]), 'RuntimeError', 'movedim: Invalid source or destination dims: source ([0, 1] dims) should contain the same number of dims as destination ([0] dims)'],
  ['movedim repeated', () => a.movedim([0, 0], [0, 1]), 'RuntimeError', 'movedim: repeated dim in `source` ([0, 0])'],
  ['mT 1-D', () => v.mT(), 'RuntimeError', 'tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.'],
  ['broadcastTo', () => v.broadcastTo(2, 2), 'ShapeError', 'The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 1'],
  ['repeat too few', () => a.repeat(2), 'RuntimeError', 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor'],
  ['repeat negative', () => v.repeat(-1), 'RuntimeError', 'Trying to create tensor with negative dimension -3: [-3]'],
  ['tile negative', () => v.tile(-1), 'RuntimeError', 'Trying to create tensor with negative dimension'],
  ['repeatInterleave negative', () => v.repeatInterleave(-1), 'RuntimeError', 'Repeats must be non-negative'],
  ['repeatInterleave sizes', () => v.repeatInterleave(i64([1, 2])), 'RuntimeError', 'repeats must have the same size as input along dim, but got repeats.size(0) = 2 and input.size(0) = 3'],
  ['repeatInterleave float repeats', () => v.repeatInterleave(tg.tensor([1, 2, 3])), 'NotImplementedError', 'not implemented for \'Float\''],
  ['repeatInterleave 2-D repeats', () => v.repeatInterleave(tg.tensor([[1]], { dtype: 'int64' })), 'RuntimeError', 'repeats must be 0-dim or 1-dim tensor'],
  ['repeatInterleave negative tensor', () => v.repeatInterleave(i64([1, -1, 1])), 'RuntimeError', 'repeats can not be negative'],
  ['flip repeated', () => a.flip(0, 0), 'RuntimeError', 'dim 0 appears multiple times in the list of dims'],
  ['flip dim', () => a.flip(2), 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'],
  ['roll align', () => a.roll([1, 2], [0]), 'RuntimeError', 'shifts and dimensions must align. shifts: 2, dims:1'],
  ['roll align flat', () => a.roll([1, 2]), 'RuntimeError', 'shifts and dimensions must align. shifts: 2, dims:0'],
  ['roll 0-d', () => tg.tensor(1).roll(1, 0), 'IndexError', 'Dimension specified as 0 but tensor has no dimensions'],
  ['rot90 dims', () => a.rot90(1, [0]), 'RuntimeError', 'expected total rotation dims == 2, but got dims = 1'],
  ['rot90 1-D', () => v.rot90(), 'RuntimeError', 'expected total dims >= 2, but got total dims = 1'],
  ['rot90 same dims', () => a.rot90(1, [0, 0]), 'RuntimeError', 'expected rotation dims to be different, but got dim0 = 0 and dim1 = 0'],
  ['narrow start', () => a.narrow(0, 3, 1), 'IndexError', 'start out of range (expected to be in range of [-2, 2], but got 3)'],
  ['narrow length', () => a.narrow(0, 1, 2), 'RuntimeError', 'start (1) + length (2) exceeds dimension size (2).'],
  ['narrow 0-d', () => tg.tensor(1).narrow(0, 0, 1), 'RuntimeError', 'narrow() cannot be applied to a 0-dim tensor.'],
  ['narrow negative length', () => a.narrow(0, 0, -1), 'RuntimeError', 'narrow(): length must be non-negative.'],
  ['tril 1-D', () => v.tril(), 'RuntimeError', 'tril: input tensor must have at least 2 dimensions'],
  ['triu 1-D', () => v.triu(), 'RuntimeError', 'triu: input tensor must have at least 2 dimensions'],
  ['diag 3-D', () => tg.ones(2, 2, 2).diag(), 'RuntimeError', 'diag(): Supports 1D or 2D tensors. Got 3D'],
  ['diagonal same dims', () => a.diagonal(0, 0, 0), 'RuntimeError', 'diagonal dimensions cannot be identical 0, 0'],
  ['diagonal dim', () => a.diagonal(0, 0, 2), 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'],
  ['diagEmbed 0-d', () => tg.tensor(1).diagEmbed(), 'IndexError', 'Dimension out of range (expected to be in range of [-1, 0], but got -2)'],
  ['diagEmbed same dims', () => v.diagEmbed(0, 0, 0), 'RuntimeError', 'diagonal dimensions cannot be identical 0, 0'],
  ['trace 1-D', () => v.trace(), 'RuntimeError', 'trace: expected a matrix, but got tensor with dim 1'],
  ['flatten non-Tensor', () => tg.flatten([1, 2] as unknown as Tensor), 'ArgumentTypeError', "argument 'input' must be Tensor"],
];

describe('bad calls raise PyTorch-style errors', () => {
  test.each(cases)('%s', (_name, f, cls, text) => {
    const err: Error | undefined = errorOf(f);
    expect(err).toBeDefined();
    expect(err!.name).toBe(cls);
    expect(err!.message).toContain(text);
  });
});

// Copies of transposed views (the last two dims swapped, batches before them) take a tiled
// kernel (cpu/movement_kernels.cpp, copy_transposed): every element lands where a plain
// index walk puts it, for each element size, edge tiles, batches, and views with an offset.
describe('contiguous() of transposed views', () => {
  const cases: [string, number[], tg.DType][] = [
    ['float32 129x67', [129, 67], 'float32'],
    ['float64 3x40x33', [3, 40, 33], 'float64'],
    ['int64 2x2x16x130', [2, 2, 16, 130], 'int64'],
    ['uint8 100x100', [100, 100], 'uint8'],
    ['int32 64x72', [64, 72], 'int32'],
    ['bool 90x50', [90, 50], 'bool'],
  ];
  test.each(cases)('%s', (_name, shape, dtype) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'uint8' ? i % 251 : i % 30011));
    const x = tg.tensor(values, { dtype }).reshape(shape);
    const rows = shape[shape.length - 2], cols = shape[shape.length - 1], batch = n / (rows * cols);
    const want: unknown[] = [];
    for (let b = 0; b < batch; b++) for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) want.push(values[b * rows * cols + r * cols + c]);
    const got = Array.from(x.transpose(-1, -2).contiguous().data() as ArrayLike<unknown>);
    expect(got.map((v) => (dtype === 'bool' ? Boolean(v) : Number(v)))).toEqual(want);
  });
  test('a view with an offset and a row pitch wider than its rows', () => {
    const x = tg.arange(0, 200 * 70, 1, { dtype: 'float32' }).reshape([200, 70]);
    const v = x.narrow(0, 3, 150).narrow(1, 5, 60); // 150 x 60 of a 70-wide buffer, offset 3*70+5
    const got = Array.from(v.t().contiguous().data() as Float32Array);
    const want: number[] = [];
    for (let c = 0; c < 60; c++) for (let r = 0; r < 150; r++) want.push((r + 3) * 70 + c + 5);
    expect(got).toEqual(want);
  });
});

// flip copies out of a view with negated strides, reversing runs with the vector kernels
// (Note [Reversed runs]); roll copies two blocks; index_select and index_add take the indices
// inner-most when the selected slices are not runs. Large enough to split over the pool, odd

// A copy whose source repeats one value along the run (an expanded column, or the gradient of
// sum() expanded to its input's shape) fills each run with that value.
describe('contiguous() of views broadcast along their last dim', () => {
  test.each(['float32', 'float64', 'int64', 'int32', 'uint8', 'bool'] as tg.DType[])('%s', (dtype) => {
    const rows = 70, cols = 131;  // over the pool's grain, odd for vector tails
    const values = Array.from({ length: rows }, (_, r) => (dtype === 'bool' ? r % 3 === 0 : r % 7 === 0 && dtype.startsWith('float') ? -0 : (r * 37) % 200));
    const column = tg.tensor(values, { dtype }).reshape(rows, 1);
    const got = Array.from(column.expand(3, rows, cols).contiguous().data() as ArrayLike<unknown>, (v) =>
      dtype === 'bool' ? Boolean(v) : Number(v));
    const want: unknown[] = [];
    for (let b = 0; b < 3; b++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want.push(values[r]);
    expect(got).toEqual(want);
  });
  test('the gradient of sum() over a large input is the expanded ones', () => {
    const x = tg.randn([300, 400], { requiresGrad: true });
    x.sum().mul(2.5).backward();
    const g = x.grad!;
    expect(g.isContiguous()).toBe(true);
    expect(new Set(g.data() as Float32Array)).toEqual(new Set([2.5]));
  });
});
// sizes for vector tails, every element size, against a model on flat indices.
describe('flip, roll, rot90 and index_select/index_add along inner dims, against a model', () => {
  const shape = [5, 301, 67];
  const [A, B, C] = shape;
  const at = (a: number, b: number, c: number) => (a * B + b) * C + c;
  const dtypes: tg.DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];
  const valuesOf = (dtype: tg.DType) =>
    Array.from({ length: A * B * C }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'uint8' ? i % 251 : i % 30011));
  const read = (x: Tensor, dtype: tg.DType) =>
    Array.from(x.contiguous().data() as ArrayLike<unknown>, (v) => (dtype === 'bool' ? Boolean(v) : Number(v)));
  // out[a][b][c] = values[src(a, b, c)] over the same shape.
  const model = (values: unknown[], src: (a: number, b: number, c: number) => number) => {
    const out: unknown[] = [];
    for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) out.push(values[src(a, b, c)]);
    return out;
  };
  const mod = (v: number, n: number) => ((v % n) + n) % n;
  // The first index where got and want differ (-1 when equal): jest's toEqual walks 100K-element
  // arrays too slowly.
  const same = (got: unknown[], want: unknown[]) => {
    expect(got.length).toBe(want.length);
    expect(got.findIndex((v, k) => v !== want[k])).toBe(-1);
  };
  const threaded = (threads: number, f: () => void) => {
    const before = tg.getNumThreads();
    tg.setNumThreads(threads);
    try {
      f();
    } finally {
      tg.setNumThreads(before);
    }
  };
  // Runs f on `threads` threads with the case's values and x, the tensor of them in `shape`.
  const withInput = (threads: number, dtype: tg.DType, f: (values: ReturnType<typeof valuesOf>, x: Tensor) => void) =>
    threaded(threads, () => {
      const values = valuesOf(dtype);
      f(values, tg.tensor(values, { dtype }).reshape(shape));
    });
  // Every dtype split over two threads; one thread (the same kernels, unsplit) for float32.
  const cases: [number, tg.DType][] = [[1, 'float32'], ...dtypes.map((dtype) => [2, dtype] as [number, tg.DType])];
  test.each(cases)('flip over every set of dims, %i thread(s), %s', (threads, dtype) => {
    withInput(threads, dtype, (values, x) => {
      for (let mask = 1; mask < 8; mask++) {
        const dims = [0, 1, 2].filter((d) => mask & (1 << d));
        const f = (d: number, i: number, n: number) => (dims.includes(d) ? n - 1 - i : i);
        const got = x.flip(dims);
        expect(got.isContiguous()).toBe(true);
        same(read(got, dtype), model(values, (a, b, c) => at(f(0, a, A), f(1, b, B), f(2, c, C))));
      }
      // A non-contiguous input: flipping the transposed view equals flipping its copy.
      const tview = x.transpose(1, 2);
      same(read(tview.flip([1, 2]), dtype), read(tview.contiguous().flip([1, 2]), dtype));
    });
  });
  test.each(cases)('roll and rot90, %i thread(s), %s', (threads, dtype) => {
    withInput(threads, dtype, (values, x) => {
      same(
        read(x.roll([2, -7, 66], [0, 1, 2]), dtype),
        model(values, (a, b, c) => at(mod(a - 2, A), mod(b + 7, B), mod(c - 66, C))),
      );
      same(read(x.roll(12345), dtype), model(values, (a, b, c) => mod(at(a, b, c) - 12345, A * B * C)));
      // rot90 over the last two dims: k = 1 reads column C-1-i of row j; k = 3 reads column i of row B-1-j.
      const r1 = x.rot90(1, [1, 2]), r3 = x.rot90(3, [1, 2]);
      expect(r1.shape).toEqual([A, C, B]);
      const want1: unknown[] = [], want3: unknown[] = [];
      for (let a = 0; a < A; a++)
        for (let i = 0; i < C; i++)
          for (let j = 0; j < B; j++) {
            want1.push(values[at(a, j, C - 1 - i)]);
            want3.push(values[at(a, B - 1 - j, i)]);
          }
      same(read(r1, dtype), want1);
      same(read(r3, dtype), want3);
    });
  });
  test.each(cases)('index_select along dims 1 and 2 (repeated indices), %i thread(s), %s', (threads, dtype) => {
    withInput(threads, dtype, (values, x) => {
      const ib = Array.from({ length: 40 }, (_, j) => (j * 97) % B), ic = Array.from({ length: 90 }, (_, j) => (j * 31 + 5) % C);
      const sb = x.indexSelect(1, i64(ib)), sc = x.indexSelect(2, i64(ic));
      const wantB: unknown[] = [], wantC: unknown[] = [];
      for (let a = 0; a < A; a++) for (let j = 0; j < ib.length; j++) for (let c = 0; c < C; c++) wantB.push(values[at(a, ib[j], c)]);
      for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let j = 0; j < ic.length; j++) wantC.push(values[at(a, b, ic[j])]);
      same(read(sb, dtype), wantB);
      same(read(sc, dtype), wantC);
    });
  });
  test.each(cases)('tril and triu of the last two dims, diagonals inside and past the corners, %i thread(s), %s', (threads, dtype) => {
    withInput(threads, dtype, (values, x) => {
      // The model reads index -1 for a dropped element: undefined, mapped to the dtype's zero.
      const zero = dtype === 'bool' ? false : 0;
      for (const k of [0, 1, -1, 40, -250, 66, -300, 1000, -1000]) {
        same(read(x.tril(k), dtype), model(values, (a, b, c) => (c - b <= k ? at(a, b, c) : -1)).map((v) => v ?? zero));
        same(read(x.triu(k), dtype), model(values, (a, b, c) => (c - b >= k ? at(a, b, c) : -1)).map((v) => v ?? zero));
      }
      // A non-contiguous input: the transposed view's triangle equals its copy's.
      const tview = x.transpose(1, 2);
      same(read(tview.tril(3), dtype), read(tview.contiguous().tril(3), dtype));
    });
  });
  test.each([1, 2])('index_add along dim 2 with repeated indices, %i thread(s)', (threads) => {
    threaded(threads, () => {
      const base = valuesOf('float64') as number[];
      const x = tg.tensor(base, { dtype: 'float64' }).reshape(shape);
      const ic = Array.from({ length: 150 }, (_, j) => (j * 7) % C); // every column 2-3 times
      const src = tg.arange(0, A * B * ic.length, 1, { dtype: 'float64' }).reshape([A, B, ic.length]);
      const got = read(x.indexAdd(2, i64(ic), src), 'float64');
      const want = base.slice();
      for (let a = 0; a < A; a++)
        for (let b = 0; b < B; b++) for (let j = 0; j < ic.length; j++) want[at(a, b, ic[j])] += (a * B + b) * ic.length + j;
      same(got, want);
    });
  });
});
