// The reduction family against PyTorch: forward values (and indices), grad_fn names and the
// gradients of (out * w).sum() from test/fixtures/reduction.json (scripts/fixtures_reduction.py),
// spec Q tie/zero rules, dtypes, non-contiguous inputs and bad calls with PyTorch's text.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo, t } from './helpers/make';
import { atEveryLevel, errorOf } from './helpers/check';

interface Fixture {
  inputs: { shape: number[]; dtype: string; values: unknown }[];
  shape: number[];
  dtype: string;
  values: unknown;
  indices: unknown;
  gradFn: string | null;
  grads: unknown[];
  exact?: boolean; // values compared exactly (sorts and selections)
}
const FIX: Record<string, Fixture> = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'reduction.json'), 'utf8'));

type R = Tensor | [Tensor, Tensor];
// The same calls as scripts/fixtures_reduction.py, in camelCase.
const CALLS: Record<string, (a: Tensor) => R> = {
  prod: (a) => a.prod(),
  'prod(1)': (a) => tg.prod(a, 1),
  'prod(0,keepdim)': (a) => a.prod(0, true),
  'prod one zero': (a) => a.prod(1),
  'prod all one zero': (a) => a.prod(),
  amax: (a) => a.amax([0, 2]),
  'amax ties': (a) => tg.amax(a, 1, true),
  amin: (a) => a.amin(),
  'amin(-1)': (a) => a.amin(-1),
  var: (a) => a.var(),
  'var(1)': (a) => tg.var(a, 1),
  'var(0,c0,keepdim)': (a) => tg.var(a, { dim: 0, correction: 0, keepdim: true }),
  std: (a) => tg.std(a),
  'std([0,1],c2)': (a) => a.std([0, 1], { correction: 2 }),
  logsumexp: (a) => a.logsumexp(1),
  'logsumexp large': (a) => tg.logsumexp(a, 1, true),
  'logsumexp all': (a) => a.logsumexp([0, 1]),
  norm: (a) => a.norm(),
  'norm(1,1)': (a) => a.norm(1, 1),
  'norm(inf)': (a) => tg.norm(a, Infinity),
  'norm(3,0,keepdim)': (a) => a.norm(3, 0, true),
  'norm fro': (a) => a.norm('fro'),
  'norm zero': (a) => a.norm(2, 1),
  cumsum: (a) => a.cumsum(1),
  'cumsum(0)': (a) => tg.cumsum(a, 0),
  cumprod: (a) => a.cumprod(1),
  'cumprod zeros': (a) => tg.cumprod(a, 0),
  cummax: (a) => a.cummax(1),
  cummin: (a) => tg.cummin(a, 1),
  sort: (a) => a.sort(),
  'sort(0,desc)': (a) => tg.sort(a, 0, true),
  topk: (a) => a.topk(2),
  'topk smallest dim0': (a) => tg.topk(a, 3, 0, false),
  kthvalue: (a) => a.kthvalue(2),
  'kthvalue keepdim': (a) => tg.kthvalue(a, 3, 0, true),
  median: (a) => a.median(),
  'median ties': (a) => tg.median(a),
  'median(1)': (a) => a.median(1),
  mode: (a) => a.mode(1),
  all: (a) => a.all(),
  'all(1)': (a) => tg.all(a, 1),
  'any(0,keepdim)': (a) => a.any(0, true),
  any: (a) => tg.any(a),
  countNonzero: (a) => a.countNonzero(),
  'countNonzero(0)': (a) => tg.countNonzero(a, 0),
  argsort: (a) => a.argsort(),
  'argsort(0,desc)': (a) => tg.argsort(a, 0, true),
  'sort stable ties': (a) => a.sort(-1, false, true),
  'prod int': (a) => a.prod(1),
  'cumsum int': (a) => a.cumsum(1),
  'logsumexp int': (a) => a.logsumexp(0),
  'median nan': (a) => a.median(1),
  'median() nan': (a) => a.median(),
  unique: (a) => a.unique() as Tensor,
  'unique inverse counts': (a) => (a.unique(true, true, true) as Tensor[]).slice(1) as [Tensor, Tensor],
  'unique 2-D float inverse': (a) => tg.unique(a, false, true) as [Tensor, Tensor],
  'unique counts': (a) => tg.unique(a, true, false, true) as [Tensor, Tensor],
  'topk ties': (a) => a.topk(5),
  'topk ties smallest': (a) => a.topk(5, -1, false),
  'topk ties k=n': (a) => a.topk(12),
  'topk ties k=n smallest': (a) => tg.topk(a, 12, -1, false),
  'topk k=0': (a) => a.topk(0),
  'topk 0-d k=0': (a) => a.topk(0),
  'topk k=1 ties': (a) => a.topk(1),
  'topk long k=1': (a) => a.topk(1),
  'topk long k=5': (a) => a.topk(5),
  'topk long k=10 smallest': (a) => a.topk(10, -1, false),
  'topk long k=50': (a) => a.topk(50),
  'topk long k=50 smallest': (a) => a.topk(50, -1, false),
  'topk long k=n': (a) => a.topk(700),
  'topk all equal': (a) => a.topk(7),
  'topk all equal long': (a) => a.topk(5, -1, false),
  'topk dim0 ties': (a) => a.topk(4, 0),
  'topk dim0 ties smallest': (a) => a.topk(6, 0, false),
  'topk 3-D dim1 long': (a) => a.topk(1, 1),
  'topk int64 heap': (a) => a.topk(4),
  'topk int64 nth': (a) => a.topk(20, -1, false),
  'topk int32': (a) => a.topk(3),
  'topk float32': (a) => a.topk(3, -1, false),
  'topk unsorted nth': (a) => a.topk(10, -1, true, false),
  'topk unsorted heap': (a) => a.topk(5, -1, false, false),
  'topk distinct small k': (a) => a.topk(10),
  'topk distinct small k smallest f32': (a) => a.topk(5, -1, false),
  'topk distinct k=50': (a) => a.topk(50),
  'topk distinct k=50 smallest int64': (a) => a.topk(50, -1, false),
  'topk ties below the top': (a) => a.topk(40),
  'topk ties below the top small k': (a) => a.topk(8),
  'topk one nan': (a) => a.topk(6),
  'topk mixed rows': (a) => a.topk(30),
  'kthvalue distinct': (a) => a.kthvalue(351),
  'kthvalue mixed rows': (a) => a.kthvalue(280),
  'sort ties stable': (a) => a.sort(-1, false, true),
  'sort ties stable desc': (a) => a.sort(-1, true, true),
  'sort short ties stable desc': (a) => a.sort(-1, true, true),
  'sort dim0 ties stable': (a) => a.sort(0, false, true),
  'sort int64 stable': (a) => a.sort(-1, false, true),
  'sort int32 stable desc': (a) => a.sort(-1, true, true),
  'sort uint8 stable': (a) => a.sort(-1, false, true),
  'sort bool stable desc': (a) => a.sort(-1, true, true),
  'sort float32 distinct': (a) => a.sort(),
  'sort float64 distinct desc': (a) => a.sort(-1, true),
  'argsort ties stable desc': (a) => a.argsort(-1, true, true),
  'kthvalue ties': (a) => a.kthvalue(10),
  'kthvalue nan': (a) => a.kthvalue(4),
  'kthvalue long': (a) => a.kthvalue(350),
  'kthvalue dim0 keepdim': (a) => a.kthvalue(20, 0, true),
  'kthvalue int64': (a) => a.kthvalue(31),
  'median(dim) ties': (a) => a.median(1),
  'median(dim) zeros': (a) => a.median(1),
  'median(dim) nan long': (a) => a.median(1),
  'median() ties': (a) => a.median(),
  'median(dim) int32': (a) => a.median(0),
};

// Fixtures spell NaN as null and +-inf as 'inf' / '-inf' (JSON has neither).
const SPECIAL: Record<string, number> = { inf: Infinity, '-inf': -Infinity };
function input(f: Fixture['inputs'][number], grad: boolean): Tensor {
  const fix = (v: unknown): unknown => (Array.isArray(v) ? v.map(fix) : v === null ? NaN : typeof v === 'string' ? SPECIAL[v] : v);
  const x = tg.tensor(fix(f.values) as number[], { dtype: f.dtype as 'float64' });
  return grad ? x.requiresGrad_() : x;
}

function nanList(y: Tensor): unknown {
  const fix = (e: unknown): unknown =>
    Array.isArray(e) ? e.map(fix) : Number.isNaN(e) ? null : e === Infinity ? 'inf' : e === -Infinity ? '-inf' : e;
  return fix(y.toArray());
}

// The rows (last dim) of values and indices as sorted lists of [value, index] pairs: what an
// unsorted topk must agree on.
function pairSets(values: unknown, indices: unknown): unknown {
  const rows = (v: unknown): unknown[][] => (Array.isArray(v) && Array.isArray(v[0]) ? (v as unknown[]).flatMap(rows) : [v as unknown[]]);
  const iv = rows(indices);
  return rows(values).map((r, j) => r.map((e, c) => [iv[j][c], e]).sort((p, q) => (p[0] as number) - (q[0] as number)));
}

describe('reduction ops against PyTorch fixtures', () => {
  test('every fixture case has a call and every call a fixture', () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(FIX).sort());
  });
  test.each(Object.keys(FIX))('%s', (name) => {
    const f = FIX[name];
    const grad = f.gradFn !== null;
    const x = input(f.inputs[0], grad);
    const r = CALLS[name](x);
    const [y, idx] = Array.isArray(r) ? r : [r, null];
    expect(y.shape).toEqual(f.shape);
    if (name !== 'logsumexp int') expect(y.dtype).toBe(f.dtype); // PyTorch's default dtype was float64 there
    if (name.includes('unsorted')) {
      expect(pairSets(nanList(y), idx!.toArray())).toEqual(pairSets(f.values, f.indices));
      return;
    }
    if (f.exact || name === 'sort stable ties' || name.startsWith('median') && name.includes('nan')) expect(nanList(y)).toEqual(f.values);
    else if (f.dtype === 'bool' || f.dtype === 'int64') expect(y.toArray()).toEqual(f.values);
    else closeTo(y.toArray(), f.values, name === 'logsumexp int' ? 1e-6 : 1e-12);
    if (f.indices !== null) expect(idx!.toArray()).toEqual(f.indices);
    if (!grad) return;
    expect(y.gradFn?.name ?? null).toBe(f.gradFn);
    if (Array.isArray(r)) {
      expect((r as unknown as { values: Tensor }).values).toBe(y);
      expect((r as unknown as { indices: Tensor }).indices).toBe(idx);
    }
    const w = tg.arange(1, y.numel() + 1, 1, { dtype: 'float64' }).reshape(y.shape);
    y.mul(w).sum().backward();
    closeTo(x.grad!.toArray(), f.grads[0]);
  });
});

describe('spec Q and special values', () => {
  test('median() @[1,2,2,3] splits the gradient between the tied middles', () => {
    const x = t([1, 2, 2, 3]);
    x.median().backward();
    expect(x.grad!.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });
  test('amax ties share the gradient evenly', () => {
    const x = t([1, 3, 3, 3]);
    x.amax().backward();
    closeTo(x.grad!.toArray(), [0, 1 / 3, 1 / 3, 1 / 3]);
  });
  test('norm gradient is 0 at the zero vector', () => {
    for (const p of [2, 3, Infinity]) {
      const x = t([0, 0, 0]);
      x.norm(p).backward();
      expect(x.grad!.toArray()).toEqual([0, 0, 0]);
    }
  });
  test('prod gradient with one and with two zeros', () => {
    const x = t([2, 0, 3]);
    x.prod().backward();
    expect(x.grad!.toArray()).toEqual([0, 6, 0]);
    const y = t([0, 0, 3]);
    y.prod().backward();
    expect(y.grad!.toArray()).toEqual([0, 0, 0]);
  });
  test('logsumexp of -inf rows is -inf; of +inf is +inf', () => {
    expect(tg.tensor([-Infinity, -Infinity]).logsumexp(0).item()).toBe(-Infinity);
    expect(tg.tensor([Infinity, 1]).logsumexp(0).item()).toBe(Infinity);
  });
  test('std gradient is 0 where the std is 0', () => {
    const x = t([2, 2, 2]);
    x.std().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
  });
});

describe('dtypes, layouts and empty tensors', () => {
  test('ints: prod/cumsum give int64, all/any bool, countNonzero int64', () => {
    const i = tg.tensor([[1, 2], [3, 0]], { dtype: 'int32' });
    expect(i.prod().dtype).toBe('int64');
    expect(i.cumsum(0).dtype).toBe('int64');
    expect(i.all().dtype).toBe('bool');
    expect(i.any(1).toArray()).toEqual([true, true]);
    expect(i.countNonzero().item()).toBe(3);
    expect(i.sort(1)[0].dtype).toBe('int32');
    expect(i.amax().item()).toBe(3);
    expect(tg.tensor([1, 2, 3], { dtype: 'float32' }).var().dtype).toBe('float32');
  });
  test('non-contiguous inputs give the same values as their contiguous copies', () => {
    const x = tg.tensor([[3, 1, 4, 1.5], [5, 9, 2, 6], [5.5, 3.5, 8, 9.5]], { dtype: 'float64' }).t(); // [4,3]
    const c = x.contiguous();
    expect(x.isContiguous()).toBe(false);
    const ops: ((a: Tensor) => Tensor)[] = [
      (a) => a.prod(0), (a) => a.amax(1), (a) => a.var(0), (a) => a.std(1), (a) => a.logsumexp(0), (a) => a.norm(2, 1),
      (a) => a.cumsum(0), (a) => a.cumprod(1), (a) => a.cummax(0)[0], (a) => a.sort(0)[0], (a) => a.sort(1)[1],
      (a) => a.argsort(0, true), (a) => a.topk(2, 0)[0], (a) => a.kthvalue(2, 1)[1], (a) => a.median(0)[0],
      (a) => a.mode(1)[0], (a) => a.all(0), (a) => a.countNonzero(1),
    ];
    for (const f of ops) expect(f(x).toArray()).toEqual(f(c).toArray());
  });
  test('0-d and empty inputs', () => {
    const s = tg.tensor(2.5, { dtype: 'float64' });
    expect(s.prod().item()).toBe(2.5);
    expect(s.cumsum(0).item()).toBe(2.5);
    expect(s.sort()[0].item()).toBe(2.5);
    expect(s.sort()[1].item()).toBe(0);
    expect(s.amax().item()).toBe(2.5);
    const e = tg.zeros(0, 3);
    expect(e.prod().item()).toBe(1);
    expect(e.prod(0).toArray()).toEqual([1, 1, 1]);
    expect(e.all().item()).toBe(true);
    expect(e.any().item()).toBe(false);
    expect(e.cumsum(0).shape).toEqual([0, 3]);
    expect(e.sort(0)[0].shape).toEqual([0, 3]);
    expect(e.amax(1).shape).toEqual([0]);
    expect(e.norm().item()).toBe(0);
  });
});

// Random rows with many ties, of lengths around the kernels' switch points (insertion sort up
// to 32 elements, heap selection when k * 64 <= n), checked against the definitions.
describe('sorting and selection on random rows', () => {
  const DTYPES = ['float32', 'float64', 'int32', 'int64', 'uint8'] as const;
  const rowsOf = (t: Tensor): number[][] => t.toArray() as number[][];
  // Ascending order with NaN last (descending: NaN first); -0 and 0 are equal.
  const before = (p: number, q: number, desc: boolean): boolean =>
    desc ? (Number.isNaN(p) && !Number.isNaN(q)) || p > q : (!Number.isNaN(p) && Number.isNaN(q)) || p < q;
  const same = (p: number, q: number): boolean => p === q || (Number.isNaN(p) && Number.isNaN(q));
  function sample(dtype: (typeof DTYPES)[number], n: number): Tensor {
    const x = tg.randint(0, 6, [3, n]).to(dtype);
    if (!dtype.startsWith('float')) return x;
    return tg.where(x.eq(5), NaN, tg.where(x.eq(4), -0, x)); // NaN and -0.0 among the ties
  }

  test.each(DTYPES)('%s: sort is stable both ways, whether or not stable is asked for', (dtype) => {
    for (const n of [1, 31, 32, 33, 300]) {
      const x = sample(dtype, n);
      for (const desc of [false, true]) {
        const [v, i] = x.sort(-1, desc);
        expect(i.toArray()).toEqual(x.sort(-1, desc, true)[1].toArray());
        const xs = rowsOf(x), vs = rowsOf(v), is = rowsOf(i);
        xs.forEach((row, r) => {
          for (let j = 0; j < n; j++) {
            expect(Object.is(vs[r][j], row[is[r][j]])).toBe(true);
            if (j > 0) {
              expect(before(vs[r][j], vs[r][j - 1], desc)).toBe(false);
              if (same(vs[r][j], vs[r][j - 1])) expect(is[r][j]).toBeGreaterThan(is[r][j - 1]);
            }
          }
        });
      }
    }
  });

  test('rows split across two threads give what one thread gives', () => {
    const x = tg.cat([tg.randn(64, 512), tg.randint(0, 4, [64, 512]).float()], 0); // fast and exact paths
    const calls = (): unknown[] =>
      [x.sort(1), x.topk(8, 1), x.topk(100, 1), x.topk(5, 1, false, false), x.kthvalue(200, 1), x.median(1)].map((r) =>
        r.map((t) => t.toArray()),
      );
    const before = tg.getNumThreads();
    try {
      tg.setNumThreads(1);
      const one = calls();
      tg.setNumThreads(2);
      expect(calls()).toEqual(one);
    } finally {
      tg.setNumThreads(before);
    }
  });

  test.each(DTYPES)('%s: topk values are the first k of a sort, indices point at them', (dtype) => {
    for (const [n, k] of [[64, 1], [65, 1], [640, 10], [641, 10], [300, 150], [40, 40]]) {
      const x = sample(dtype, n);
      for (const largest of [true, false]) {
        const [v, i] = x.topk(k, -1, largest);
        // which of tied elements are taken differs from the sort's, so -0 vs 0 may too
        const unsigned = (t: Tensor): unknown => nanList(t.add(0));
        expect(unsigned(v)).toEqual(unsigned(x.sort(-1, largest)[0].narrow(1, 0, k)));
        expect(nanList(x.gather(1, i))).toEqual(nanList(v));
      }
    }
  });
});

type Case = [string, () => unknown, string, string];
const a = tg.ones(2, 3);
const cases: Case[] = [
  ['prod dim', () => a.prod(2), 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'],
  ['amax repeated dim', () => a.amax([0, 0]), 'RuntimeError', 'dim 0 appears multiple times in the list of dims'],
  ['amax empty', () => tg.zeros(0, 3).amax(0), 'IndexError', 'Expected reduction dim 0 to have non-zero size'],
  ['amin dim', () => a.amin(3), 'IndexError', 'Dimension out of range'],
  ['var int', () => tg.ones(3, { dtype: 'int64' }).var(), 'DTypeError', 'std and var only support floating point and complex dtypes'],
  ['std int', () => tg.ones(3, { dtype: 'int64' }).std(), 'DTypeError', 'std and var only support floating point and complex dtypes'],
  ['logsumexp dim', () => a.logsumexp(2), 'IndexError', 'Dimension out of range'],
  ['norm int', () => tg.ones(3, { dtype: 'int64' }).norm(), 'DTypeError', 'linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long'],
  ['norm inf empty', () => tg.zeros(0).norm(Infinity), 'IndexError', 'linalg.vector_norm cannot compute the inf norm on an empty tensor'],
  ['cumsum dim', () => a.cumsum(2), 'IndexError', 'Dimension out of range'],
  ['cumprod dim', () => a.cumprod(-3), 'IndexError', 'Dimension out of range'],
  ['cummax dim', () => a.cummax(2), 'IndexError', 'Dimension out of range'],
  ['cummin dim', () => a.cummin(2), 'IndexError', 'Dimension out of range'],
  ['all dim', () => a.all(2), 'IndexError', 'Dimension out of range'],
  ['any dim', () => a.any(2), 'IndexError', 'Dimension out of range'],
  ['countNonzero dim', () => a.countNonzero(5), 'IndexError', 'Dimension out of range'],
  ['sort dim', () => a.sort(2), 'IndexError', 'Dimension out of range'],
  ['argsort dim', () => a.argsort(2), 'IndexError', 'Dimension out of range'],
  ['topk k', () => a.topk(4), 'IndexError', 'selected index k out of range'],
  ['kthvalue k', () => a.kthvalue(4), 'IndexError', 'kthvalue(): selected number k out of range for dimension 1'],
  ['topk negative k', () => a.topk(-1), 'IndexError', 'selected index k out of range'],
  ['topk bool', () => tg.tensor([true, false]).topk(1), 'DTypeError', 'topk does not support bool dtypes on CPU'],
  ['kthvalue bool', () => tg.tensor([true, false]).kthvalue(1), 'NotImplementedError', '"kthvalue_cpu" not implemented for \'Bool\''],
  ['median(dim) bool', () => tg.tensor([true, false]).median(0), 'NotImplementedError', '"median_out" not implemented for \'Bool\''],
  ['median bool', () => tg.tensor([true, false]).median(), 'NotImplementedError', '"median_cpu" not implemented for \'Bool\''],
  ['median empty dim', () => tg.zeros(2, 0).median(1), 'IndexError', 'median(): Expected reduction dim 1 to have non-zero size.'],
  ['mode empty dim', () => tg.zeros(2, 0).mode(1), 'IndexError', 'mode(): Expected reduction dim 1 to have non-zero size.'],
  ['prod bad keepdim', () => a.prod(0, 1 as unknown as boolean), 'ArgumentTypeError', "prod(): argument 'keepdim' must be bool"],
  ['sort bad dim', () => a.sort(0.5), 'ArgumentTypeError', "sort(): argument 'dim' must be an integer"],
  ['unique bad flag', () => a.unique(1 as unknown as boolean), 'ArgumentTypeError', "unique(): argument 'sorted' must be bool"],
  ['module fn not a tensor', () => tg.prod(3 as unknown as Tensor), 'ArgumentTypeError', "prod(): argument 'input' must be Tensor"],
];

describe('bad calls raise PyTorch errors', () => {
  test.each(cases)('%s', (_name, f, errName, msg) => {
    const err: Error | undefined = errorOf(f);
    expect(err).toBeDefined();
    expect(err!.name).toBe(errName);
    expect(err!.message).toContain(msg);
  });
});

// Note [Column reductions] (cpu_backend.cpp): float32 sums over leading dims add blocks of 32
// rows in float and the block sums in double. Each block adds at most 31 roundings of
// 2^-24 relative to its sum of |x|, and the result one more.
describe('float32 sums over leading dims', () => {
  const eps = 2 ** -24;
  test.each([
    [[1000, 37], 0],
    [[33, 5], 0],
    [[31, 5], 0],
    [[10, 7, 5], [0, 1]],
  ] as [number[], number | number[]][])('%j over dims %j match the float64 sum within the block bound', (shape, dims) => {
    const a = tg.randn(...shape).add(0.5);
    const got = Array.from(a.sum(dims).data() as Float32Array);
    const ref = Array.from(a.double().sum(dims).data() as Float64Array);
    const mag = Array.from(a.double().abs().sum(dims).data() as Float64Array);
    got.forEach((g, j) => expect(Math.abs(g - ref[j])).toBeLessThanOrEqual(31 * eps * mag[j] + eps * Math.abs(ref[j])));
    const mean = Array.from(a.mean(dims).data() as Float32Array);
    const n = shape.reduce((p, s) => p * s, 1) / got.length;
    mean.forEach((m, j) => expect(Math.abs(m - ref[j] / n)).toBeLessThanOrEqual((31 * eps * mag[j] + 2 * eps * Math.abs(ref[j])) / n));
  });
  test('whole numbers sum exactly across blocks', () => {
    expect(Array.from(tg.ones(1000, 3).mul(3).sum(0).data() as Float32Array)).toEqual([3000, 3000, 3000]);
  });
});

// Note [Row products] (csrc/cpu/vec_kernels.inc): float32 and float64 products formed as
// PyTorch forms them on one thread, so equal to its results bit for bit: rows of random values
// near 1 over every lane position and up to 5000 long, whole-tensor products, leading, middle and
// strided dims, and rows with zeros, negatives, infinities and NaN in the lanes and the tail
// (test/fixtures/prod.json, checked by test/helpers/levels.js at every SIMD level).
describe('prod equals PyTorch bit for bit at every SIMD level', () => {
  test.each(atEveryLevel('prod').map((r) => [r.isa, r] as const))('%s kernels', (_isa, r) => {
    expect(r.cases).toBe(366);
    expect(r.mismatches).toEqual([]);
  });
  test.each([[0, 0], [NaN, NaN], [Infinity, Infinity]])('%p at any position gives %p', (special, want) => {
    for (const at of [0, 7, 8, 20, 31, 32, 40]) {
      const v = Array.from({ length: 41 }, (_, i) => (i === at ? special : 1.5));
      expect((tg.tensor(v).prod().item() as number)).toBe(want);
    }
  });
});

// Note [Parallel row sums] (cpu_backend.cpp): a long contiguous float32 row is summed in
// blocks of 4096 on the pool and the block sums added in order, so sums, means and 2-norms
// are bit for bit the same at any thread count; the 2-norm squares as it sums (one pass).
// The summation order of sum_blocks (csrc/cpu/vec_kernels.inc), modelled in
// test/helpers/levels.js: row sums, means and whole sums the same bit for bit at every SIMD level.
describe('float32 sums follow one order at every SIMD level', () => {
  test.each(atEveryLevel('sum').map((r) => [r.isa, r] as const))('%s kernels', (_isa, r) => {
    expect(r.cases).toBe(30);
    expect(r.mismatches).toEqual([]);
  });
});

describe('long float32 rows: sum, mean and 2-norm', () => {
  const at = (threads: number, f: () => number[]): number[] => {
    const before = tg.getNumThreads();
    tg.setNumThreads(threads);
    try {
      return f();
    } finally {
      tg.setNumThreads(before);
    }
  };
  test.each([1 << 20, 200003, 4095])('%d elements: the same bits on one and two threads, near the float64 result', (n) => {
    const a = tg.randn(n).add(0.25);
    const calls = () => [a.sum().item() as number, a.mean().item() as number, a.norm().item() as number];
    const one = at(1, calls), two = at(2, calls);
    expect(two).toEqual(one);
    const d = a.double();
    const ref = [d.sum().item() as number, d.mean().item() as number, d.norm().item() as number];
    const mag = d.abs().sum().item() as number;
    // each 4096-block adds at most 4096 / 32 + 32 float roundings of its partial sums
    const bound = 300 * 2 ** -24;
    expect(Math.abs(one[0] - ref[0])).toBeLessThanOrEqual(bound * mag);
    expect(Math.abs(one[1] - ref[1])).toBeLessThanOrEqual((bound * mag) / n);
    expect(Math.abs(one[2] - ref[2])).toBeLessThanOrEqual(bound * ref[2]);
  });
  test.each([
    [[512, 300], 1],
    [[300, 512], 0],
    [[6, 50, 7], [0, 2]],
  ] as [number[], number | number[]][])('2-norm of %j over dims %j matches float64', (shape, dims) => {
    const a = tg.randn(...shape);
    const got = Array.from(a.norm(2, dims).data() as Float32Array);
    const ref = Array.from(a.double().norm(2, dims).data() as Float64Array);
    got.forEach((g, j) => expect(Math.abs(g - ref[j])).toBeLessThanOrEqual(64 * 2 ** -24 * ref[j]));
  });
  test('2-norm keeps inf and NaN, and the gradient of a strided view', () => {
    expect(tg.tensor([1, Infinity, 2]).norm().item()).toBe(Infinity);
    expect(tg.tensor([1, NaN, Infinity]).norm().item()).toBeNaN();
    const x = tg.tensor([[3, 1], [4, 1]], { dtype: 'float64', requiresGrad: true });
    const n = x.t().norm(2, 1);
    expect(Array.from(n.data() as Float64Array)).toEqual([5, Math.SQRT2]);
    n.sum().backward();
    const want = [0.6, 1 / Math.SQRT2, 0.8, 1 / Math.SQRT2];
    Array.from(x.grad!.data() as Float64Array).forEach((g, i) => expect(g).toBeCloseTo(want[i], 15));
  });
});

// A float32 sum whose innermost reduced dim is a unit-stride run (a conv bias gradient's sum over
// (0, 2, 3)) adds whole runs with the row kernel (csrc/cpu/cpu_backend.cpp, reduce_typed).
describe('float32 sums over inner runs and outer dims', () => {
  test.each([
    [[6, 5, 32, 32], [0, 2, 3], false],
    [[3, 4, 40], [0, 2], false],
    [[2, 3, 5, 17], [1, 3], false],
    [[6, 8, 32], [0, 2], true],
  ] as [number[], number[], boolean][])('%j over dims %j (transposed view: %p): sum, mean and 2-norm near float64', (shape, dims, view) => {
    const base = tg.randn(...shape).add(0.25);
    const a = view ? base.transpose(0, 1) : base;
    const d = a.double();
    const ref = Array.from(d.sum(dims).data() as Float64Array);
    const mag = Array.from(d.abs().sum(dims).data() as Float64Array);
    const norm = Array.from(d.norm(2, dims).data() as Float64Array);
    const n = a.numel() / ref.length;
    const bound = 300 * 2 ** -24;  // as for long rows: each run adds in float lanes, runs in double
    Array.from(a.sum(dims).data() as Float32Array).forEach((g, j) => expect(Math.abs(g - ref[j])).toBeLessThanOrEqual(bound * mag[j]));
    Array.from(a.mean(dims).data() as Float32Array).forEach((m, j) =>
      expect(Math.abs(m - ref[j] / n)).toBeLessThanOrEqual((bound * mag[j]) / n + 2 ** -24 * Math.abs(ref[j] / n)));
    Array.from(a.norm(2, dims).data() as Float32Array).forEach((g, j) => expect(Math.abs(g - norm[j])).toBeLessThanOrEqual(bound * norm[j]));
  });
  test('whole numbers sum exactly', () => {
    expect(Array.from(tg.ones(4, 3, 8, 8).mul(3).sum([0, 2, 3]).data() as Float32Array)).toEqual([768, 768, 768]);
  });
});

// max/min/argmax/argmin and the scans along rows of every length from 1 to 70 and longer ones
// (ties, NaN first/middle/last/several, +-0, infinities; rows, columns and strided layouts;
// one thread and two), in a child process per SIMD level this CPU runs, each checked bit for
// bit against PyTorch (test/fixtures/argscan.json, scripts/fixtures_argscan.py).
describe('max/min along a dim and cumsum/cumprod/cummax/cummin equal PyTorch bit for bit', () => {
  interface Report { isa: string; cases: number; checks: number; mismatchCount: number; mismatches: unknown[] }
  const probe = path.join(__dirname, 'helpers', 'argscan_levels.js');
  const reports = new Map<string, Report>();
  for (const isa of ['avx512', 'avx2', 'baseline']) {
    const out = execFileSync(process.execPath, [probe], { env: { ...process.env, TENSORGRAD_ISA: isa }, encoding: 'utf8' });
    const r = JSON.parse(out) as Report;
    if (!reports.has(r.isa)) reports.set(r.isa, r);
  }
  test.each([...reports.values()].map((r) => [r.isa, r] as const))('%s kernels', (_isa, r) => {
    expect(r.cases).toBeGreaterThanOrEqual(170);
    expect(r.checks).toBeGreaterThanOrEqual(4000);
    expect(r.mismatches).toEqual([]);
  });
});

// cummax/cummin along rows keep the running value and index in registers, and take integer
// values by masks (no branch): checked against a model for every dtype, ties and NaNs included,
// on rows split over two threads.
describe('cummax/cummin along rows against a model', () => {
  const dtypes: tg.DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];
  test.each(dtypes)('%s', (dtype) => {
    const rows = 203, n = 517;
    const before = tg.getNumThreads();
    tg.setNumThreads(2);
    try {
      const values = Array.from({ length: rows * n }, (_, i) => {
        const h = (i * 2654435761) % 1000003;
        if (dtype === 'bool') return h % 3 === 0;
        if (dtype.startsWith('float') && h % 997 === 0) return NaN;
        return h % 7; // few distinct values: many ties
      });
      const x = tg.tensor(values as number[], { dtype }).reshape(rows, n);
      for (const isMax of [true, false]) {
        const [v, ix] = isMax ? x.cummax(1) : x.cummin(1);
        const got = Array.from(v.data() as ArrayLike<number | bigint>, Number);
        const gotIx = Array.from(ix.data() as ArrayLike<number | bigint>, Number);
        let bad = -1;
        for (let r = 0; r < rows && bad < 0; r++) {
          let best = NaN, at = 0;
          for (let c = 0; c < n; c++) {
            const e = Number(values[r * n + c]);
            // PyTorch's rule: take e when it is NaN or not beyond the running value; NaN sticks.
            if (c === 0 || Number.isNaN(e) || (!Number.isNaN(best) && (isMax ? e >= best : e <= best))) (best = e), (at = c);
            const k = r * n + c;
            if (!Object.is(got[k], best) || gotIx[k] !== at) bad = k;
          }
        }
        expect(bad).toBe(-1);
      }
    } finally {
      tg.setNumThreads(before);
    }
  });
});
