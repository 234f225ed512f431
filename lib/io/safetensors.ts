/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * (`{"__metadata__": {string: string}, name: {dtype, shape, data_offsets}, ...}`, padded with
 * spaces to a multiple of 8), then the tensors' little-endian bytes back to back.
 *
 * Note [safetensors byte layout]
 * `serialize` writes what the Rust reference (safetensors 0.4-0.8, behind the Python package)
 * writes for the same tensors, byte for byte: compact JSON, `__metadata__` first with its keys
 * sorted, then the tensors ordered by dtype rank descending (the Rust `Dtype` enum order,
 * DTYPE_RANK below) and by name, with data in that order and no gaps. Host byte order is
 * assumed little-endian (x86-64, arm64).
 */
import { DTypeError, ValueError } from '../errors';
import { DTypeName, N } from '../native';
import { Tensor, op } from '../tensor';

/** safetensors dtype names for tensorgrad dtypes. */
const TO_ST: Record<DTypeName, string> = {
  float32: 'F32',
  float64: 'F64',
  int64: 'I64',
  int32: 'I32',
  uint8: 'U8',
  bool: 'BOOL',
};

// The Rust `Dtype` enum order (derive(Ord)); serialize sorts by it, largest first.
const DTYPE_RANK = ['BOOL', 'F4', 'F6_E2M3', 'F6_E3M2', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'C64', 'F64', 'I64', 'U64'];

interface ReadType {
  bytes: number;
  dtype: DTypeName;
  /** Converts the raw little-endian bytes to data `fromData` takes for `dtype`. */
  convert?: (raw: Uint8Array, n: number) => ArrayBufferView;
}

function aligned(raw: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return copy.buffer;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

// Read-only dtypes widen to the nearest tensorgrad dtype holding every value exactly.
const FROM_ST: Record<string, ReadType> = {
  F32: { bytes: 4, dtype: 'float32' },
  F64: { bytes: 8, dtype: 'float64' },
  I64: { bytes: 8, dtype: 'int64' },
  I32: { bytes: 4, dtype: 'int32' },
  U8: { bytes: 1, dtype: 'uint8' },
  BOOL: { bytes: 1, dtype: 'bool' },
  F16: { bytes: 2, dtype: 'float32', convert: (r, n) => Float32Array.from(new Uint16Array(aligned(r), 0, n), halfToFloat) },
  BF16: {
    bytes: 2,
    dtype: 'float32',
    convert: (r, n) => {
      const u = new Uint16Array(aligned(r), 0, n);
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = u[i] << 16;
      return new Float32Array(out.buffer);
    },
  },
  I8: { bytes: 1, dtype: 'int32', convert: (r, n) => Int32Array.from(new Int8Array(aligned(r), 0, n)) },
  I16: { bytes: 2, dtype: 'int32', convert: (r, n) => Int32Array.from(new Int16Array(aligned(r), 0, n)) },
  U16: { bytes: 2, dtype: 'int32', convert: (r, n) => Int32Array.from(new Uint16Array(aligned(r), 0, n)) },
  U32: { bytes: 4, dtype: 'int64', convert: (r, n) => BigInt64Array.from(new Uint32Array(aligned(r), 0, n), (v) => BigInt(v)) },
};

/** The largest header the Rust reader accepts (100 MB). */
const MAX_HEADER = 100_000_000;

/** A safetensors file's content: named tensors and the string metadata. */
export interface SafetensorsContent {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** The bytes of a safetensors file holding `tensors` and `metadata` (see the file's Note). */
export function serialize(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Buffer {
  // __metadata__ is the header's own key; a tensor cannot take it.
  if ('__metadata__' in tensors) throw new ValueError("save(): '__metadata__' is reserved and cannot name a tensor");
  const names = Object.keys(tensors);
  for (const name of names) {
    if (!(tensors[name] instanceof Tensor)) throw new ValueError(`save(): '${name}' is not a tensor`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new ValueError(`save(): metadata '${k}' must be a string, got ${typeof v}`);
  }
  const entries = names.map((name) => {
    const t = tensors[name];
    const dtype = TO_ST[t.dtype];
    const d = t.data();
    return { name, dtype, shape: t.shape, bytes: new Uint8Array(d.buffer, d.byteOffset, d.byteLength) };
  });
  const rank = (dt: string): number => DTYPE_RANK.indexOf(dt);
  entries.sort((a, b) => rank(b.dtype) - rank(a.dtype) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  const metaKeys = Object.keys(metadata).sort();
  if (metaKeys.length > 0) header.__metadata__ = Object.fromEntries(metaKeys.map((k) => [k, metadata[k]]));
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.byteLength] };
    offset += e.bytes.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = Buffer.alloc(8 + padded + offset, 0x20);
  out.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(out, 8);
  let at = 8 + padded;
  for (const e of entries) {
    out.set(e.bytes, at);
    at += e.bytes.byteLength;
  }
  return out;
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Parses safetensors bytes; `source` names them in errors. Checks what the Rust reader
 * checks: header bounds, JSON shape, known dtypes, offsets that tile the data exactly.
 */
export function deserialize(buf: Uint8Array, source = 'safetensors data'): SafetensorsContent {
  const fail = (msg: string): never => {
    throw new ValueError(`load(): ${source}: ${msg}`);
  };
  if (buf.byteLength < 8) fail(`file too small (${buf.byteLength} bytes) for the 8-byte header length; not a safetensors file`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) fail(`header length ${n64} is too large; not a safetensors file`);
  const n = Number(n64);
  if (8 + n > buf.byteLength) fail(`truncated: header length ${n} runs past the end of the file (${buf.byteLength} bytes)`);
  let header: unknown;
  const text = Buffer.from(buf.buffer, buf.byteOffset + 8, n).toString('utf8');
  if (!text.startsWith('{')) fail('invalid header: it does not start with "{"; not a safetensors file');
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`invalid JSON header (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('invalid header: expected a JSON object');
  const dataStart = 8 + n;
  const dataLen = buf.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const infos: { name: string; type: ReadType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ '${k}' must be a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const o = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (o === null || typeof o !== 'object') fail(`tensor '${name}': expected {dtype, shape, data_offsets}`);
    if (typeof o.dtype !== 'string') fail(`tensor '${name}': missing dtype`);
    const type = FROM_ST[o.dtype as string];
    if (!type) {
      throw new DTypeError(`load(): ${source}: tensor '${name}' has dtype ${o.dtype}, which tensorgrad cannot load (supported: ${Object.keys(FROM_ST).join(', ')})`);
    }
    if (!Array.isArray(o.shape) || !o.shape.every(isNonNegInt)) fail(`tensor '${name}': shape must be an array of non-negative integers`);
    const offs = o.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every(isNonNegInt) || offs[0] > offs[1]) {
      fail(`tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offs as number[];
    const shape = o.shape as number[];
    const need = shape.reduce((a, b) => a * b, 1) * type.bytes;
    if (end - begin !== need) fail(`tensor '${name}': data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${o.dtype} shape [${shape.join(', ')}] needs ${need}`);
    infos.push({ name, type, shape, begin, end });
  }
  // Like the Rust reader: the tensors' byte ranges tile the data section with no gap or overlap.
  const byOffset = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const i of byOffset) {
    if (i.begin !== expected) fail(`tensor '${i.name}': data_offsets [${i.begin}, ${i.end}] overlap or leave a gap (expected begin ${expected})`);
    expected = i.end;
  }
  if (expected !== dataLen) {
    fail(expected > dataLen ? `truncated: tensor data needs ${expected} bytes, found ${dataLen}` : `${dataLen - expected} bytes of data after the last tensor`);
  }
  const tensors: Record<string, Tensor> = {};
  for (const i of infos) {
    const raw = buf.subarray(dataStart + i.begin, dataStart + i.end);
    const count = i.shape.reduce((a, b) => a * b, 1);
    if (i.type.dtype === 'bool' && !i.type.convert) {
      for (const b of raw) if (b > 1) fail(`tensor '${i.name}': BOOL data holds byte ${b} (expected 0 or 1)`);
    }
    const data = i.type.convert ? i.type.convert(raw, count) : raw;
    tensors[i.name] = op((t) => N.fromData(t, data, i.shape, i.type.dtype));
  }
  return { tensors, metadata };
}
