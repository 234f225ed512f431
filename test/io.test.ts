// Checkpoints in the safetensors format, both directions against the Python package:
// - test/fixtures/torch_written.safetensors (written by safetensors.torch in
//   scripts/fixtures_safetensors.py, values in torch_written.json) must load with the same
//   dtypes, shapes and values, F16/BF16 included;
// - serialize() of the same tensors must equal torch_plain.safetensors byte for byte;
// - save() of the nested checkpoint must equal test/fixtures/tg_written.safetensors, which the
//   Python script loads with safetensors.torch and checks is byte-identical to its own output.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { errorOf } from './helpers/check';

const FIXDIR = path.join(__dirname, 'fixtures');
interface Spec {
  dtype: string;
  tgDtype: tg.DType;
  shape: number[];
  values: unknown;
}
const SPEC: { metadata: Record<string, string>; tensors: Record<string, Spec>; plain: string[] } = JSON.parse(
  fs.readFileSync(path.join(FIXDIR, 'torch_written.json'), 'utf8'),
);
const make = (s: Spec): Tensor => tg.tensor(s.values as number[], { dtype: s.tgDtype }).reshape(s.shape);
const plain = (): Record<string, Tensor> => Object.fromEntries(SPEC.plain.map((k) => [k, make(SPEC.tensors[k])]));

/** The checkpoint scripts/fixtures_tg_safetensors.js writes (and the Python script checks). */
function checkpoint(): Record<string, unknown> {
  const model = plain();
  return {
    model,
    optimizer: {
      state: { 0: { step: tg.tensor(3), exp_avg: model['fc.weight'].mul(0.5) } },
      paramGroups: [{ lr: 0.001, betas: [0.9, 0.999], amsgrad: false, params: [0], name: null }],
    },
    epoch: 3,
    best: Infinity,
  };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-io-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});
const file = (name: string): string => path.join(tmp, name);

describe('reading what PyTorch wrote', () => {
  test('every tensor: dtype, shape and values (F16/BF16 as float32, 0-d and empty included)', () => {
    const sd = tg.load(path.join(FIXDIR, 'torch_written.safetensors')) as Record<string, Tensor>;
    expect(Object.keys(sd).sort()).toEqual(Object.keys(SPEC.tensors).sort());
    for (const [name, s] of Object.entries(SPEC.tensors)) {
      const t = sd[name];
      expect([name, t.dtype, t.shape]).toEqual([name, s.tgDtype, s.shape]);
      expect([name, t.toArray()]).toEqual([name, s.values]);
      expect(t.requiresGrad).toBe(false);
    }
  });

  test('metadata', () => {
    expect(tg.io.loadMetadata(path.join(FIXDIR, 'torch_written.safetensors'))).toEqual(SPEC.metadata);
    const { metadata } = tg.io.deserialize(fs.readFileSync(path.join(FIXDIR, 'torch_written.safetensors')));
    expect(metadata).toEqual(SPEC.metadata);
  });
});

describe('writing what PyTorch writes', () => {
  test('serialize() of the same tensors equals the safetensors.torch file byte for byte', () => {
    const ours = tg.io.serialize(plain(), SPEC.metadata);
    const theirs = fs.readFileSync(path.join(FIXDIR, 'torch_plain.safetensors'));
    expect(Buffer.compare(ours, theirs)).toBe(0);
  });

  test('save() of the nested checkpoint equals tg_written.safetensors (checked by Python)', () => {
    tg.save(checkpoint(), file('ckpt.safetensors'));
    const ours = fs.readFileSync(file('ckpt.safetensors'));
    const committed = fs.readFileSync(path.join(FIXDIR, 'tg_written.safetensors'));
    expect(Buffer.compare(ours, committed)).toBe(0);
    // The header: 8-byte little-endian length, a multiple of 8, JSON padded with spaces.
    const n = Number(ours.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const header = ours.subarray(8, 8 + n).toString('utf8');
    expect(header.trimEnd().length).toBeGreaterThan(n - 8);
    expect(JSON.parse(header)['model.fc.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: expect.any(Array) });
  });
});

describe('save/load round trips', () => {
  test('a nested checkpoint comes back with the same nesting, dotted keys unsplit', () => {
    tg.save(checkpoint(), file('nested.safetensors'));
    const back = tg.load(file('nested.safetensors')) as ReturnType<typeof checkpoint> & {
      model: Record<string, Tensor>;
      optimizer: { state: Record<string, { step: Tensor; exp_avg: Tensor }>; paramGroups: unknown[] };
    };
    expect(Object.keys(back)).toEqual(['model', 'optimizer', 'epoch', 'best']);
    expect(Object.keys(back.model)).toEqual(SPEC.plain);
    for (const k of SPEC.plain) {
      expect([k, back.model[k].dtype, back.model[k].toArray()]).toEqual([k, SPEC.tensors[k].tgDtype, SPEC.tensors[k].values]);
    }
    expect(back.optimizer.state[0].step.item()).toBe(3);
    expect(back.optimizer.state[0].exp_avg.toArray()).toEqual((SPEC.tensors['fc.weight'].values as number[][]).map((r) => r.map((v) => Math.fround(v * 0.5))));
    expect(back.optimizer.paramGroups).toEqual([{ lr: 0.001, betas: [0.9, 0.999], amsgrad: false, params: [0], name: null }]);
    expect([back.epoch, back.best]).toEqual([3, Infinity]);
    expect(tg.io.loadMetadata(file('nested.safetensors'))).toHaveProperty([tg.io.STRUCTURE_KEY]);
  });

  test('a flat stateDict is a plain safetensors file; non-contiguous and grad tensors saved by value', () => {
    const w = tg.arange(6, { dtype: 'float64' }).reshape(2, 3).t();
    const p = tg.ones([2], { requiresGrad: true });
    tg.save({ 'layer.weight': w, 'layer.bias': p, flags: tg.tensor([true, false]) }, file('flat.safetensors'), { metadata: { format: 'pt' } });
    expect(tg.io.loadMetadata(file('flat.safetensors'))).toEqual({ format: 'pt' });
    const back = tg.load(file('flat.safetensors')) as Record<string, Tensor>;
    expect(Object.keys(back).sort()).toEqual(['flags', 'layer.bias', 'layer.weight']);
    expect(back['layer.weight'].toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect([back['layer.bias'].requiresGrad, back.flags.dtype, back.flags.toArray()]).toEqual([false, 'bool', [true, false]]);
  });

  test('arrays of tensors, empty objects, strings and NaN', () => {
    const obj = { list: [tg.tensor([1, 2]), 'x', [tg.zeros(0)]], empty: {}, nan: NaN, minusInf: -Infinity, s: 'é\n"' };
    tg.save(obj, file('misc.safetensors'));
    const back = tg.load(file('misc.safetensors')) as { list: [Tensor, string, Tensor[]]; empty: object; nan: number; minusInf: number; s: string };
    expect(back.list[0].toArray()).toEqual([1, 2]);
    expect(back.list[1]).toBe('x');
    expect(back.list[2][0].shape).toEqual([0]);
    expect([back.empty, back.nan, back.minusInf, back.s]).toEqual([{}, NaN, -Infinity, 'é\n"']);
    tg.save({}, file('nothing.safetensors'));
    expect(tg.load(file('nothing.safetensors'))).toEqual({});
  });
});

describe('bad input', () => {
  test('save: what cannot be stored', () => {
    expect(errorOf(() => tg.save(tg.zeros(2) as never, file('x')))).toHaveProperty('name', 'ArgumentTypeError');
    const e = errorOf(() => tg.save({ a: { f: () => 1 } }, file('x')));
    expect([e.name, e.message]).toEqual(['ArgumentTypeError', "save(): cannot store a function at 'a.f' (expected tensors, numbers, strings, booleans, null, arrays or plain objects)"]);
    expect(errorOf(() => tg.save({ a: { 'b.c': tg.zeros(1) }, 'a.b': { c: tg.zeros(1) } }, file('x'))).message).toBe(
      "save(): two tensors flatten to the same key 'a.b.c'",
    );
    expect(errorOf(() => tg.save({ a: tg.zeros(1) }, file('x'), { metadata: { [tg.io.STRUCTURE_KEY]: '' } })).name).toBe('ValueError');
    expect(errorOf(() => tg.save({ n: 1, a: { __tensor__: 'x' } }, file('x'))).name).toBe('ValueError');
    expect(errorOf(() => tg.io.serialize({ __metadata__: tg.zeros(1) })).name).toBe('ValueError');
    expect(fs.existsSync(file('x'))).toBe(false);
  });

  /** A safetensors file with the given header object (or raw header text) and data. */
  function craft(header: unknown, data = Buffer.alloc(0)): Buffer {
    const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    return Buffer.concat([len, json, data]);
  }
  const f4 = (offsets: number[], shape = [1]): object => ({ dtype: 'F32', shape, data_offsets: offsets });

  test.each([
    ['too small', Buffer.from([1, 2, 3]), 'ValueError', /file too small/],
    ['huge header length', Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), 'ValueError', /header length 72057594037927936 is too large/],
    ['header past the end', Buffer.concat([Buffer.from([100, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{}')]), 'ValueError', /truncated: header length 100/],
    ['not JSON', craft('{"a": '), 'ValueError', /invalid JSON header/],
    ['not an object', craft('[1, 2]'), 'ValueError', /does not start with "\{"/],
    ['unknown dtype', craft({ a: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, Buffer.alloc(8)), 'DTypeError', /tensor 'a' has dtype U64/],
    ['size mismatch', craft({ a: f4([0, 8]) }, Buffer.alloc(8)), 'ValueError', /hold 8 bytes, but F32 shape \[1\] needs 4/],
    ['gap', craft({ a: f4([4, 8]) }, Buffer.alloc(8)), 'ValueError', /overlap or leave a gap/],
    ['truncated data', craft({ a: f4([0, 4]), b: f4([4, 8]) }, Buffer.alloc(6)), 'ValueError', /truncated: tensor data needs 8 bytes, found 6/],
    ['trailing data', craft({ a: f4([0, 4]) }, Buffer.alloc(6)), 'ValueError', /2 bytes of data after the last tensor/],
    ['bad shape', craft({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }), 'ValueError', /shape must be an array of non-negative integers/],
    ['bad metadata', craft({ __metadata__: { k: 1 } }), 'ValueError', /__metadata__ 'k' must be a string/],
    ['bad bool', craft({ a: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, Buffer.from([1, 2])), 'ValueError', /BOOL data holds byte 2/],
  ] as [string, Buffer, string, RegExp][])('load: %s', (name, bytes, errName, re) => {
    const p = file(`bad-${name.replace(/ /g, '-')}.safetensors`);
    fs.writeFileSync(p, bytes);
    const e = errorOf(() => tg.load(p));
    expect(e.name).toBe(errName);
    expect(e.message).toMatch(re);
    expect(e.message).toContain(p);
  });

  test('load: a missing file', () => {
    expect(errorOf(() => tg.load(file('missing.safetensors'))).message).toMatch(/ENOENT/);
  });
});
