/**
 * `save`/`load`: checkpoints of tensors and nested training state in safetensors files.
 *
 * Note [Checkpoint nesting]
 * A flat `Record<string, Tensor>` (a Module's stateDict) is written as a plain safetensors
 * file, readable by `safetensors.torch.load_file`. A nested object (an optimizer's stateDict,
 * `{ model, optimizer, epoch }`) has its tensors stored under dotted keys (`model.fc.weight`,
 * `optimizer.state.0.exp_avg`) and its shape in `__metadata__["tensorgrad.structure"]`: the
 * object as JSON with each tensor replaced by `{"__tensor__": "<dotted key>"}` and the
 * non-tensor leaves (numbers, strings, booleans, null) in place. `load` rebuilds the object
 * from that, so keys that contain dots themselves (`fc.weight`) come back unsplit.
 */
import * as fs from 'fs';
import { ArgumentTypeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { deserialize, serialize } from './safetensors';

/** The `__metadata__` key holding a nested checkpoint's structure. */
export const STRUCTURE_KEY = 'tensorgrad.structure';
const TENSOR = '__tensor__';
const NUMBER = '__number__';

/** Options of `save`. */
export interface SaveOptions {
  /** Extra string entries for `__metadata__` (the key `tensorgrad.structure` is reserved). */
  metadata?: Record<string, string>;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  return typeof x === 'object' ? ((x as object).constructor?.name ?? 'object') : typeof x;
}

/** Replaces tensors by references, collecting them under their dotted paths. */
function flatten(value: unknown, path: string[], out: Record<string, Tensor>): unknown {
  const where = path.length ? `'${path.join('.')}'` : 'the top level';
  if (value instanceof Tensor) {
    const key = path.join('.');
    if (key in out) throw new ValueError(`save(): two tensors flatten to the same key '${key}'`);
    out[key] = value;
    return { [TENSOR]: key };
  }
  if (Array.isArray(value)) return value.map((v, i) => flatten(v, [...path, String(i)], out));
  if (isPlainObject(value)) {
    if (TENSOR in value || NUMBER in value) throw new ValueError(`save(): keys '${TENSOR}' and '${NUMBER}' are reserved (at ${where})`);
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) o[k] = flatten(v, [...path, k], out);
    }
    return o;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { [NUMBER]: String(value) };
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  throw new ArgumentTypeError(`save(): cannot store a ${kind(value)} at ${where} (expected tensors, numbers, strings, booleans, null, arrays or plain objects)`);
}

function rebuild(value: unknown, tensors: Record<string, Tensor>): unknown {
  if (Array.isArray(value)) return value.map((v) => rebuild(v, tensors));
  if (isPlainObject(value)) {
    if (TENSOR in value) {
      const key = value[TENSOR] as string;
      if (!(key in tensors)) throw new ValueError(`load(): the checkpoint's structure names tensor '${key}', which the file lacks`);
      return tensors[key];
    }
    if (NUMBER in value) return Number(value[NUMBER]);
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = rebuild(v, tensors);
    return o;
  }
  return value;
}

/**
 * Saves `obj` to `path` as a safetensors file: a flat `Record<string, Tensor>` as is, or a
 * nested object of tensors and JSON values (Note [Checkpoint nesting]). Tensors are stored
 * contiguous with their dtype (float32, float64, int64, int32, uint8, bool); gradients and
 * requiresGrad are not stored. The file is written to a temporary name, then renamed.
 */
export function save(obj: Record<string, unknown>, path: string, opts: SaveOptions = {}): void {
  if (!isPlainObject(obj)) throw new ArgumentTypeError(`save(): expected a plain object of tensors, got ${kind(obj)}`);
  const metadata = { ...(opts.metadata ?? {}) };
  if (STRUCTURE_KEY in metadata) throw new ValueError(`save(): metadata key '${STRUCTURE_KEY}' is reserved`);
  const tensors: Record<string, Tensor> = {};
  const flat = Object.values(obj).every((v) => v instanceof Tensor);
  if (flat) Object.assign(tensors, obj);
  else metadata[STRUCTURE_KEY] = JSON.stringify(flatten(obj, [], tensors));
  const bytes = serialize(tensors, metadata);
  const tmp = `${path}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, path);
}

/**
 * Loads a file written by `save` (the same nesting comes back) or any safetensors file
 * (a flat `Record<string, Tensor>`). F16/BF16 load as float32; I8/I16/U16 as int32; U32 as
 * int64. Throws a ValueError naming the file when it is not valid safetensors.
 */
export function load(path: string): Record<string, unknown> {
  const { tensors, metadata } = deserialize(fs.readFileSync(path), path);
  const structure = metadata[STRUCTURE_KEY];
  if (structure === undefined) return tensors;
  let tree: unknown;
  try {
    tree = JSON.parse(structure);
  } catch (e) {
    throw new ValueError(`load(): ${path}: invalid ${STRUCTURE_KEY} metadata (${(e as Error).message})`);
  }
  return rebuild(tree, tensors) as Record<string, unknown>;
}

/** The `__metadata__` string map of a safetensors file, without loading its tensors' data. */
export function loadMetadata(path: string): Record<string, string> {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(8);
    if (fs.readSync(fd, head, 0, 8, 0) < 8) throw new ValueError(`load(): ${path}: file too small for the 8-byte header length; not a safetensors file`);
    const n = head.readBigUInt64LE(0);
    if (n > 100_000_000n) throw new ValueError(`load(): ${path}: header length ${n} is too large; not a safetensors file`);
    const json = Buffer.alloc(Number(n));
    const got = fs.readSync(fd, json, 0, json.length, 8);
    if (got < json.length) throw new ValueError(`load(): ${path}: truncated header`);
    let h: { __metadata__?: Record<string, string> };
    try {
      h = JSON.parse(json.toString('utf8'));
    } catch (e) {
      throw new ValueError(`load(): ${path}: invalid JSON header (${(e as Error).message})`);
    }
    return { ...(h.__metadata__ ?? {}) };
  } finally {
    fs.closeSync(fd);
  }
}
