/**
 * The IDX file format (MNIST, Fashion-MNIST): a 4-byte magic (0, 0, type code, ndim), ndim
 * big-endian int32 sizes, then the elements big-endian in row-major order. gzip files are
 * recognised by their own magic bytes and inflated with zlib.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { ValueError } from '../errors';
import { N, DTypeName } from '../native';
import { Tensor, op } from '../tensor';

interface IdxType {
  name: string;
  bytes: number;
  dtype: DTypeName;
}

// tensorgrad has no int8/int16 dtypes: those IDX types widen to int32 (values unchanged).
const TYPES: Record<number, IdxType> = {
  0x08: { name: 'uint8', bytes: 1, dtype: 'uint8' },
  0x09: { name: 'int8', bytes: 1, dtype: 'int32' },
  0x0b: { name: 'int16', bytes: 2, dtype: 'int32' },
  0x0c: { name: 'int32', bytes: 4, dtype: 'int32' },
  0x0d: { name: 'float32', bytes: 4, dtype: 'float32' },
  0x0e: { name: 'float64', bytes: 8, dtype: 'float64' },
};

const hex = (b: number): string => '0x' + b.toString(16).padStart(2, '0');

function fileBytes(path: string): Buffer {
  const raw = fs.readFileSync(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return zlib.gunzipSync(raw);
    } catch (e) {
      throw new ValueError(`readIdx(): ${path}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  return raw;
}

/**
 * Parses IDX bytes (already decompressed) into a tensor; `source` names them in errors.
 * uint8 stays uint8, int8/int16 widen to int32, int32/float32/float64 keep their type.
 */
export function parseIdx(buf: Uint8Array, source = 'IDX data'): Tensor {
  if (buf.length < 4) throw new ValueError(`readIdx(): ${source}: truncated IDX header (${buf.length} bytes, need at least 4)`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new ValueError(`readIdx(): ${source}: bad IDX magic ${hex(buf[0])} ${hex(buf[1])} (expected 0x00 0x00); not an IDX file`);
  }
  const type = TYPES[buf[2]];
  if (!type) throw new ValueError(`readIdx(): ${source}: unknown IDX type code ${hex(buf[2])} (expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)`);
  const ndim = buf[3];
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) {
    throw new ValueError(`readIdx(): ${source}: truncated IDX header (${buf.length} bytes, ${ndim} dims need ${headerBytes})`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * type.bytes;
  const have = buf.length - headerBytes;
  if (have < need) {
    throw new ValueError(`readIdx(): ${source}: truncated IDX data: shape [${shape.join(', ')}] of ${type.name} needs ${need} bytes, found ${have}`);
  }
  if (have > need) {
    throw new ValueError(`readIdx(): ${source}: ${have - need} unexpected trailing bytes after the IDX data of shape [${shape.join(', ')}]`);
  }
  // A fresh, aligned copy of the payload, then big-endian to host (little-endian) order.
  const body = Buffer.alloc(need);
  body.set(buf.subarray(headerBytes, headerBytes + need));
  let data: ArrayBufferView;
  switch (buf[2]) {
    case 0x08:
      data = body;
      break;
    case 0x09:
      data = Int32Array.from(new Int8Array(body.buffer, body.byteOffset, count));
      break;
    case 0x0b:
      body.swap16();
      data = Int32Array.from(new Int16Array(body.buffer, body.byteOffset, count));
      break;
    case 0x0e:
      body.swap64();
      data = body;
      break;
    default:
      body.swap32();
      data = body;
  }
  return op((t) => N.fromData(t, data, shape, type.dtype));
}

/**
 * Reads an IDX file into a tensor shaped by its header: `readIdx('train-labels-idx1-ubyte.gz')`.
 * Gzipped files (by content, whatever the name) are decompressed. Throws a ValueError naming
 * the file for bad magic, unknown type codes and truncated or oversized data.
 */
export function readIdx(path: string): Tensor {
  return parseIdx(fileBytes(path), path);
}
