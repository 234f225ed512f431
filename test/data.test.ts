// The data pipeline against PyTorch: seeded permutations, DataLoader orders, random_split and
// default_collate from test/fixtures/data.json (scripts/fixtures_data.py); the IDX reader on
// tiny files written here from the format's definition (plain and gzip); Fashion-MNIST from a
// fixture directory, and from the real files when Debian's dataset-fashion-mnist is installed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { errorOf } from './helpers/check';

const { Generator, DataLoader, TensorDataset, Subset, Dataset, randomSplit, defaultCollate, readIdx, FashionMNIST } = tg.data;
const FIX = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'data.json'), 'utf8'));

interface Enc {
  dtype: string;
  shape: number[];
  values: unknown;
}
/** Compares a collated batch with PyTorch's encoded one: same nesting, dtypes, shapes, values. */
function expectCollated(actual: unknown, expected: unknown, where = 'batch'): void {
  if (expected !== null && typeof expected === 'object' && 'dtype' in (expected as object) && !Array.isArray(expected)) {
    const e = expected as Enc;
    expect(actual).toBeInstanceOf(Tensor);
    const t = actual as Tensor;
    expect([where, t.dtype, t.shape]).toEqual([where, e.dtype, e.shape]);
    expect(t.toArray()).toEqual(e.values);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((e, i) => expectCollated((actual as unknown[])[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectCollated((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${where}.${k}`);
  } else {
    expect(actual).toEqual(expected);
  }
}

const arangeDs = (n: number): InstanceType<typeof TensorDataset> => new TensorDataset(tg.arange(n));
const epochsOf = (dl: Iterable<unknown>, epochs: number): number[][][] =>
  Array.from({ length: epochs }, () => Array.from(dl, (b) => ((b as Tensor[])[0].toArray() as number[])));

describe('Generator (mt19937, torch.randperm order)', () => {
  test.each(FIX.randperm as { seed: string; n: number; perm: number[] }[])('seed $seed, n=$n', ({ seed, n, perm }) => {
    expect(new Generator().manualSeed(BigInt(seed)).randperm(n)).toEqual(perm);
  });
  test('successive permutations continue the stream; default seed as torch.Generator()', () => {
    const g = new Generator().manualSeed(FIX.randpermSequence.seed);
    expect([g.randperm(6), g.randperm(6), g.randperm(6)]).toEqual(FIX.randpermSequence.perms);
    expect(new Generator().randperm(12)).toEqual(FIX.defaultSeed);
    expect(new Generator().initialSeed()).toBe(67280421310721n);
  });
  test('bad seeds and sizes', () => {
    expect(errorOf(() => new Generator().manualSeed(1.5)).name).toBe('ArgumentTypeError');
    expect(errorOf(() => new Generator().randperm(-1)).name).toBe('ValueError');
  });
  test('is exported at the top level too', () => {
    expect(tg.Generator).toBe(Generator);
  });
});

describe('DataLoader', () => {
  test.each(FIX.loader as { n: number; batchSize: number; shuffle: boolean; dropLast: boolean; seed: number; epochs: number[][][] }[])(
    'n=$n batchSize=$batchSize shuffle=$shuffle dropLast=$dropLast: PyTorch batches for seed $seed, epoch after epoch',
    ({ n, batchSize, shuffle, dropLast, seed, epochs }) => {
      const dl = new DataLoader(arangeDs(n), { batchSize, shuffle, dropLast, generator: new Generator().manualSeed(seed) });
      expect(dl.length).toBe(epochs[0].length);
      expect(epochsOf(dl, epochs.length)).toEqual(epochs);
    },
  );

  test('a generator shared by randomSplit and a DataLoader stays in step with PyTorch', () => {
    const s = FIX.shared;
    const g = new Generator().manualSeed(s.seed);
    const [train, val] = randomSplit(arangeDs(s.n), s.fractions, g);
    expect(train.indices).toEqual(s.train);
    expect(val.indices).toEqual(s.val);
    const dl = new DataLoader(new TensorDataset(tg.tensor(train.indices, { dtype: 'int64' })), { batchSize: 5, shuffle: true, generator: g });
    expect(epochsOf(dl, 2)).toEqual(s.epochs);
  });

  test('TensorDataset batches take one indexSelect per tensor, equal to stacking rows', () => {
    const x = tg.arange(24, { dtype: 'float32' }).reshape(8, 3);
    const y = tg.arange(8).mul(10);
    const ds = new TensorDataset(x, y);
    const get = jest.spyOn(ds, 'get');
    const fast = Array.from(new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator().manualSeed(5) })) as Tensor[][];
    expect(get).not.toHaveBeenCalled();
    get.mockRestore();
    const slow = Array.from(new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator().manualSeed(5), collateFn: defaultCollate })) as Tensor[][];
    expect(fast.length).toBe(3);
    fast.forEach((b, i) => {
      expect(b.map((t) => [t.dtype, t.shape])).toEqual(slow[i].map((t) => [t.dtype, t.shape]));
      expect(b.map((t) => t.toArray())).toEqual(slow[i].map((t) => t.toArray()));
      // rows stay paired: y = 10 * (first element of x's row / 3)
      expect((b[1].toArray() as number[]).map((v) => v / 10)).toEqual((b[0].toArray() as number[][]).map((r) => r[0] / 3));
    });
  });

  test('unshuffled order, length with and without dropLast, batchSize null', () => {
    const ds = arangeDs(7);
    expect(epochsOf(new DataLoader(ds, { batchSize: 3 }), 1)).toEqual([[[0, 1, 2], [3, 4, 5], [6]]]);
    expect(new DataLoader(ds, { batchSize: 3 }).length).toBe(3);
    expect(new DataLoader(ds, { batchSize: 3, dropLast: true }).length).toBe(2);
    expect(new DataLoader(ds).length).toBe(7);
    const single = Array.from(new DataLoader(ds, { batchSize: null })) as Tensor[][];
    expect(single.length).toBe(7);
    expect(single[4][0].shape).toEqual([]);
    expect(single[4][0].item()).toBe(4);
  });

  test('shuffling without a generator follows the global seed', () => {
    const ds = arangeDs(50);
    const order = (): number[] => epochsOf(new DataLoader(ds, { batchSize: 50, shuffle: true }), 1)[0][0];
    tg.manualSeed(11);
    const a = order();
    const a2 = order();
    tg.manualSeed(11);
    expect(order()).toEqual(a);
    expect(a2).not.toEqual(a);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test('custom Dataset of objects goes through defaultCollate; collateFn replaces it', () => {
    class Squares extends Dataset<{ x: number; sq: Tensor; name: string }> {
      get(i: number) {
        return { x: i, sq: tg.tensor([i * i, -i]), name: `s${i}` };
      }
      get length() {
        return 5;
      }
    }
    const batches = Array.from(new DataLoader(new Squares(), { batchSize: 2 })) as { x: Tensor; sq: Tensor; name: string[] }[];
    expect(batches.length).toBe(3);
    expect(batches[1].x.dtype).toBe('int64');
    expect(batches[1].x.toArray()).toEqual([2, 3]);
    expect(batches[1].sq.toArray()).toEqual([[4, -2], [9, -3]]);
    expect(batches[2].name).toEqual(['s4']);
    const sums = Array.from(new DataLoader(new Squares(), { batchSize: 2, collateFn: (s) => s.reduce((a, b) => a + b.x, 0) }));
    expect(sums).toEqual([1, 5, 4]);
  });

  test('bad arguments', () => {
    const ds = arangeDs(4);
    const e = errorOf(() => new DataLoader(ds, { batchSize: 0 }));
    expect([e.name, e.message]).toEqual(['ValueError', 'batch_size should be a positive integer value, but got batch_size=0']);
    expect(errorOf(() => new DataLoader(ds, { batchSize: 2.5 })).name).toBe('ValueError');
    expect(errorOf(() => new DataLoader(ds, { batchSize: null, dropLast: true })).name).toBe('ValueError');
    expect(errorOf(() => new DataLoader({} as never)).name).toBe('ArgumentTypeError');
  });
});

describe('defaultCollate (torch.utils.data.default_collate)', () => {
  test('dicts of tensors, ints, floats, bools, strings, tuples and nested dicts', () => {
    const batch = [
      { x: tg.tensor([1, 2]), y: 3, z: 0.5, b: true, s: 'a', pair: [1, 2.5], nested: { m: tg.tensor([[1, 2]], { dtype: 'int64' }) } },
      { x: tg.tensor([3, 4]), y: 4, z: 1.5, b: false, s: 'b', pair: [2, 3.5], nested: { m: tg.tensor([[3, 4]], { dtype: 'int64' }) } },
      { x: tg.tensor([5, 6]), y: -1, z: -2.25, b: true, s: 'c', pair: [3, 4.0], nested: { m: tg.tensor([[5, 6]], { dtype: 'int64' }) } },
    ];
    expectCollated(defaultCollate(batch), FIX.collate.result);
  });
  test('tuples of (0-d tensor, int)', () => {
    expectCollated(defaultCollate([[tg.tensor(1.5), 0], [tg.tensor(2.5), 1]]), FIX.collateTuples);
  });
  test('typed arrays are made tensors and stacked; bigints are int64', () => {
    const t = defaultCollate([new Float64Array([1, 2]), new Float64Array([3, 4])]) as Tensor;
    expect([t.dtype, t.toArray()]).toEqual(['float64', [[1, 2], [3, 4]]]);
    const b = defaultCollate([1n, -2n]) as Tensor;
    expect([b.dtype, b.toArray()]).toEqual(['int64', [1, -2]]);
  });
  test('bad batches', () => {
    const e = errorOf(() => defaultCollate([[1, 2], [3]]));
    expect([e.name, e.message]).toEqual(['RuntimeError', 'each element in list of batch should be of equal size']);
    expect(errorOf(() => defaultCollate([undefined, undefined])).message).toMatch(/default_collate: batch must contain tensors/);
    expect(errorOf(() => defaultCollate([1, 'a'])).name).toBe('ArgumentTypeError');
    expect(errorOf(() => defaultCollate([])).name).toBe('ArgumentTypeError');
    const s = errorOf(() => defaultCollate([tg.zeros(2), tg.zeros(3)]));
    expect(s.message).toMatch(/stack/);
  });
});

describe('TensorDataset, Subset, randomSplit', () => {
  test('TensorDataset rows and Subset views', () => {
    const ds = new TensorDataset(tg.tensor([[1, 2], [3, 4], [5, 6]]), tg.tensor([7, 8, 9], { dtype: 'int64' }));
    expect(ds.length).toBe(3);
    expect(ds.get(1).map((t) => t.toArray())).toEqual([[3, 4], 8]);
    expect(ds.get(-1).map((t) => t.toArray())).toEqual([[5, 6], 9]);
    const sub = new Subset(ds, [2, 0]);
    expect(sub.length).toBe(2);
    expect(sub.get(0)[1].item()).toBe(9);
    expect(errorOf(() => ds.get(3)).name).toBe('IndexError');
    expect(errorOf(() => sub.get(2)).name).toBe('IndexError');
    const e = errorOf(() => new TensorDataset(tg.zeros(3, 2), tg.zeros(4)));
    expect([e.name, e.message]).toEqual(['ValueError', 'Size mismatch between tensors: first dimensions are 3, 4']);
    expect(errorOf(() => new TensorDataset()).name).toBe('ValueError');
  });

  test.each(FIX.split as { n: number; lengths: number[]; seed: number; indices: number[][] }[])(
    'randomSplit n=$n lengths=$lengths seed=$seed as torch.utils.data.random_split',
    ({ n, lengths, seed, indices }) => {
      const parts = randomSplit(arangeDs(n), lengths, new Generator().manualSeed(seed));
      expect(parts.map((p) => p.indices)).toEqual(indices);
      expect(parts.map((p) => (p.get(0)[0] as Tensor).item())).toEqual(indices.map((ix) => ix[0]));
    },
  );

  test('randomSplit errors and the empty-split warning', () => {
    const e = errorOf(() => randomSplit(arangeDs(5), [2, 2]));
    expect([e.name, e.message]).toEqual(['ValueError', 'Sum of input lengths does not equal the length of the input dataset!']);
    expect(errorOf(() => randomSplit(arangeDs(5), [1.5, -0.5])).message).toBe('Fraction at index 0 is not between 0 and 1');
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      randomSplit(arangeDs(1), [0.5, 0.5], new Generator());
      expect(spy.mock.calls.map((c) => String(c[0]))).toContain('Length of split at index 1 is 0. This might result in an empty dataset.');
    } finally {
      spy.mockRestore();
    }
  });
});

// ---- IDX files written from the format's definition ----
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-data-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;
const SIZES = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 } as const;
/** An IDX file's bytes: magic, big-endian dims, big-endian values. */
function idxBytes(type: keyof typeof CODES, shape: number[], values: number[]): Buffer {
  const head = 4 + 4 * shape.length;
  const b = Buffer.alloc(head + values.length * SIZES[type]);
  b[2] = CODES[type];
  b[3] = shape.length;
  shape.forEach((s, i) => b.writeUInt32BE(s, 4 + 4 * i));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  values.forEach((v, i) => {
    const at = head + i * SIZES[type];
    if (type === 'uint8') dv.setUint8(at, v);
    else if (type === 'int8') dv.setInt8(at, v);
    else if (type === 'int16') dv.setInt16(at, v, false);
    else if (type === 'int32') dv.setInt32(at, v, false);
    else if (type === 'float32') dv.setFloat32(at, v, false);
    else dv.setFloat64(at, v, false);
  });
  return b;
}
function writeIdx(name: string, bytes: Buffer, gz = false): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, gz ? zlib.gzipSync(bytes) : bytes);
  return p;
}

describe('readIdx', () => {
  const CASES: [keyof typeof CODES, string, number[], number[]][] = [
    ['uint8', 'uint8', [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]],
    ['int8', 'int32', [4], [-128, -1, 0, 127]],
    ['int16', 'int32', [2, 2], [-32768, -2, 258, 32767]],
    ['int32', 'int32', [3], [-2147483648, 16909060, 2147483647]],
    ['float32', 'float32', [2, 1], [1.5, -0.09375]],
    ['float64', 'float64', [3], [Math.PI, -1e-300, 6.02214076e23]],
    ['uint8', 'uint8', [0, 28], []],
    ['float64', 'float64', [], [2.5]],
  ];
  test.each(CASES)('%s as %s, shape %j, plain and gzip', (type, dtype, shape, values) => {
    for (const gz of [false, true]) {
      const p = writeIdx(`t-${type}-${shape.length}${gz ? '.gz' : ''}`, idxBytes(type, shape, values), gz);
      const t = tg.data.readIdx(p);
      expect([t.dtype, t.shape]).toEqual([dtype, shape]);
      expect(Array.from(t.data() as ArrayLike<number>)).toEqual(values);
    }
  });

  test('gzip is recognised by content, not by name', () => {
    const p = writeIdx('labels-no-suffix', idxBytes('uint8', [3], [9, 0, 4]), true);
    expect(readIdx(p).toArray()).toEqual([9, 0, 4]);
  });

  test('bad files give a ValueError naming the file and the problem', () => {
    const good = idxBytes('int32', [2, 2], [1, 2, 3, 4]);
    const cases: [string, Buffer, RegExp][] = [
      ['magic', Buffer.from('PK\x03\x04hello'), /bad IDX magic 0x50 0x4b/],
      ['short', Buffer.from([0, 0]), /truncated IDX header/],
      ['dims', good.subarray(0, 9), /truncated IDX header \(9 bytes, 2 dims need 12\)/],
      ['data', good.subarray(0, good.length - 1), /truncated IDX data: shape \[2, 2\] of int32 needs 16 bytes, found 15/],
      ['trailing', Buffer.concat([good, Buffer.from([0])]), /1 unexpected trailing bytes/],
      ['code', Buffer.from([0, 0, 0x0a, 1, 0, 0, 0, 0]), /unknown IDX type code 0x0a/],
    ];
    for (const [name, bytes, re] of cases) {
      const p = writeIdx(`bad-${name}`, bytes);
      const e = errorOf(() => readIdx(p));
      expect([name, e.name]).toEqual([name, 'ValueError']);
      expect(e.message).toMatch(re);
      expect(e.message).toContain(p);
    }
    const gz = zlib.gzipSync(good);
    const p = writeIdx('bad-gz.gz', gz.subarray(0, gz.length - 6));
    expect(errorOf(() => readIdx(p)).message).toMatch(/corrupt or truncated gzip data/);
    expect(errorOf(() => readIdx(path.join(tmp, 'missing'))).message).toMatch(/ENOENT/);
  });
});

describe('FashionMNIST', () => {
  const n = 3;
  const pixels = Array.from({ length: n * 28 * 28 }, (_, i) => (i * 7) % 256);
  const labels = [9, 0, 3];

  test('from IDX files: float32 images in [0, 1] shaped (N, 1, 28, 28), int64 labels', () => {
    const root = path.join(tmp, 'fm');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 't10k-images-idx3-ubyte.gz'), zlib.gzipSync(idxBytes('uint8', [n, 28, 28], pixels)));
    fs.writeFileSync(path.join(root, 't10k-labels-idx1-ubyte'), idxBytes('uint8', [n], labels));
    const ds = new FashionMNIST(root, { train: false });
    expect(ds.length).toBe(n);
    const [x, y] = ds.tensors;
    expect([x.dtype, x.shape, y.dtype, y.shape]).toEqual(['float32', [n, 1, 28, 28], 'int64', [n]]);
    expect(y.toArray()).toEqual(labels);
    const got = Array.from(x.data() as Float32Array);
    pixels.forEach((p, i) => expect(got[i]).toBe(Math.fround(p / 255)));
    const [img, label] = ds.get(2);
    expect([img.shape, label.item(), ds.classes[label.item() as number]]).toEqual([[1, 28, 28], 3, 'Dress']);
    expect(errorOf(() => new FashionMNIST(root, { train: true })).message).toMatch(/train-images-idx3-ubyte\[\.gz\] not found/);
  });

  test("torchvision's FashionMNIST/raw layout", () => {
    const raw = path.join(tmp, 'tv', 'FashionMNIST', 'raw');
    fs.mkdirSync(raw, { recursive: true });
    fs.writeFileSync(path.join(raw, 'train-images-idx3-ubyte'), idxBytes('uint8', [n, 28, 28], pixels));
    fs.writeFileSync(path.join(raw, 'train-labels-idx1-ubyte'), idxBytes('uint8', [n], labels));
    const ds = tg.data.loadFashionMNIST(path.join(tmp, 'tv'));
    expect([ds.train, ds.length, ds.tensors[1].toArray()]).toEqual([true, n, labels]);
  });

  test('mismatched files are rejected', () => {
    const root = path.join(tmp, 'fm-bad');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'train-images-idx3-ubyte'), idxBytes('uint8', [n, 28, 28], pixels));
    fs.writeFileSync(path.join(root, 'train-labels-idx1-ubyte'), idxBytes('uint8', [2], [1, 2]));
    expect(errorOf(() => new FashionMNIST(root)).name).toBe('ValueError');
  });

  const real = FIX.fashionMnist && fs.existsSync(tg.data.FASHION_MNIST_ROOT) ? test : test.skip;
  real('the installed dataset-fashion-mnist files match what Python reads from them', () => {
    const facts = FIX.fashionMnist;
    const trainLabels = readIdx(path.join(tg.data.FASHION_MNIST_ROOT, 'train-labels-idx1-ubyte.gz'));
    expect(trainLabels.shape).toEqual([facts.train.n]);
    expect((trainLabels.toArray() as number[]).slice(0, 20)).toEqual(facts.train.firstLabels);
    const ds = new FashionMNIST(tg.data.FASHION_MNIST_ROOT, { train: false });
    const [x, y] = ds.tensors;
    expect(x.shape).toEqual([facts.t10k.n, 1, 28, 28]);
    expect((y.toArray() as number[]).slice(0, 20)).toEqual(facts.t10k.firstLabels);
    const counts = Array.from({ length: 10 }, (_, c) => y.eq(c).sum().item());
    expect(counts).toEqual(facts.t10k.classCounts);
    const row = x.index(0, 0, 14).mul(255).round().toArray();
    expect(row).toEqual(facts.t10k.firstImageRow14);
    const raw = readIdx(path.join(tg.data.FASHION_MNIST_ROOT, 't10k-images-idx3-ubyte.gz'));
    expect(raw.to('int64').sum().item()).toBe(facts.t10k.pixelSum);
  });
});
