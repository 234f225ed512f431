/**
 * The single typed declaration of the native addon's surface (csrc/binding). Tensors cross
 * as integer handle ids (see csrc/binding/env_data.h, Note [Tensor handles]); functions that
 * create a tensor take the fresh JS handle object first and return its new id, or an
 * existing wrapper when the result is a tensor that already has one.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Id = number;
export type Made = number | object; // new id, or an existing wrapper object
export type DTypeName = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8';
export type IndexItem = ['i', number] | ['s', number | null, number | null, number | null] | ['n'] | ['e'];

/** Hyper-parameters of one fused optimizer update (kind: 0 SGD, 1 Adam/AdamW, 2 RMSprop, 3 Adagrad). */
export interface OptimHyper {
  kind: 0 | 1 | 2 | 3;
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  alpha?: number;
  lrDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  amsgrad?: boolean;
  centered?: boolean;
  decoupled?: boolean;
}

export interface NativeAddon {
  init(config: {
    tensorFactory: () => object;
    nodeFactory: (id: number) => object;
    warn: (message: string, category: string) => void;
    /** The caller's JS stack, recorded per graph node in anomaly mode. */
    captureStack?: () => string;
    errors: Record<string, new (message: string) => Error>;
  }): void;
  unaryOps: string[];
  binaryOps: string[];
  reduceOps: string[];

  fromData(out: object, data: ArrayBufferView, shape: number[], dtype: DTypeName): Made;
  full(out: object, shape: number[], value: number, dtype: DTypeName): Made;
  empty(out: object, shape: number[], dtype: DTypeName): Made;
  arange(out: object, start: number, end: number, step: number, dtype: DTypeName): Made;
  linspace(out: object, start: number, end: number, steps: number, dtype: DTypeName): Made;
  eye(out: object, n: number, m: number, dtype: DTypeName): Made;
  rand(out: object, shape: number[], dtype: DTypeName): Made;
  randn(out: object, shape: number[], dtype: DTypeName): Made;
  randint(out: object, low: number, high: number, shape: number[], dtype: DTypeName): Made;
  manualSeed(seed: number): void;

  shape(id: Id): number[];
  strides(id: Id): number[];
  dtype(id: Id): DTypeName;
  device(id: Id): string;
  numel(id: Id): number;
  dim(id: Id): number;
  isContiguous(id: Id): boolean;
  version(id: Id): number;
  storageOffset(id: Id): number;
  sameStorage(a: Id, b: Id): boolean;
  data(id: Id): Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
  item(id: Id): number | boolean;

  binary(out: object, op: number, a: Id, b: Id, alpha?: number): Made;
  binaryScalar(out: object, op: number, a: Id, s: number | boolean, alpha?: number, reversed?: boolean): Made;
  unary(out: object, op: number, a: Id): Made;
  clamp(out: object, a: Id, min: number | null, max: number | null): Made;
  where(out: object, cond: Id, a: Id, b: Id): Made;
  reduce(out: object, op: number, a: Id, dims: number[] | null, keepdim: boolean): Made;
  sumTo(out: object, a: Id, shape: number[]): Made;
  extremeDim(outValues: object, outIndices: object, a: Id, dim: number, keepdim: boolean, isMax: boolean): [Made, Made];
  argExtreme(out: object, a: Id, dim: number | null, keepdim: boolean, isMax: boolean): Made;
  mm(out: object, a: Id, b: Id): Made;
  bmm(out: object, a: Id, b: Id): Made;
  matmul(out: object, a: Id, b: Id): Made;
  dot(out: object, a: Id, b: Id): Made;
  mv(out: object, a: Id, b: Id): Made;

  view(out: object, a: Id, shape: number[]): Made;
  reshape(out: object, a: Id, shape: number[]): Made;
  transpose(out: object, a: Id, d0: number, d1: number): Made;
  t(out: object, a: Id): Made;
  permute(out: object, a: Id, dims: number[]): Made;
  expand(out: object, a: Id, shape: number[]): Made;
  squeeze(out: object, a: Id, dim: number | null): Made;
  unsqueeze(out: object, a: Id, dim: number): Made;
  contiguous(out: object, a: Id): Made;
  clone(out: object, a: Id): Made;
  detach(out: object, a: Id): Made;
  toDtype(out: object, a: Id, dtype: DTypeName): Made;
  asStrided(out: object, a: Id, sizes: number[], strides: number[], offset: number): Made;
  index(out: object, a: Id, spec: IndexItem[]): Made;
  indexSet(self: Id, spec: IndexItem[], value: Id | number | boolean, isScalar: boolean): void;

  binaryInplace(op: number, self: Id, other: Id | number | boolean, alpha: number | undefined, isScalar: boolean): void;
  unaryInplace(op: number, self: Id): void;
  clampInplace(self: Id, min: number | null, max: number | null): void;
  fillInplace(self: Id, value: number | boolean): void;
  copyInplace(self: Id, src: Id): void;
  /** self's value and place in the graph, to compute a recorded in-place op on (checks the write is allowed). */
  inplaceSnapshot(out: object, self: Id): Made;
  /** Writes an out-of-place op's result into self and makes its node self's producer. */
  assignResult(self: Id, result: Id): void;

  release(id: Id): void;
  releaseMany(ids: Id[]): void;
  memoryStats(): { liveBytes: number; cachedBytes: number; peakBytes: number; allocations: number; cacheHits: number; liveTensors: number };
  emptyCache(): void;
  resetPeakMemory(): void;
  sweep(): number;
  setYoungCollector(fn: (() => boolean) | null): void;
  blasName(): string;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  simdLevel(): string;

  requiresGrad(id: Id): boolean;
  setRequiresGrad(id: Id, v: boolean): void;
  isLeaf(id: Id): boolean;
  getGrad(id: Id): object | null;
  setGrad(id: Id, grad: Id | null): void;
  gradFn(id: Id): object | null;
  retainsGrad(id: Id): boolean;
  retainGrad(id: Id): void;
  detachInplace(id: Id): void;
  isInference(id: Id): boolean;
  backward(tensors: Id[], grads: (Id | null)[], keepGraph: boolean, createGraph: boolean, inputs: Id[] | null): void;
  grad(outputs: Id[], inputs: Id[], gradOutputs: (Id | null)[], keepGraph: boolean, createGraph: boolean, allowUnused: boolean): (object | null)[];
  setGradEnabled(v: boolean): void;
  isGradEnabled(): boolean;
  setInferenceMode(v: boolean): void;
  isInferenceMode(): boolean;
  setAnomaly(v: boolean, checkNan?: boolean): void;
  isAnomaly(): boolean;
  isAnomalyCheckNan(): boolean;
  nodeName(node: number): string;
  nodeNext(node: number): [object | null, number][];
  nodeVariable(node: number): object | undefined;
  nodeSavedShapes(node: number): number[][];
  /** Returns the hook id and, for a non-leaf, a weak reference to the node holding the hook. */
  registerHook(id: Id, fn: (g: unknown) => unknown, name: string): [number, object | null];
  removeHook(id: Id | null, hook: number, node: object | null): void;
  registerPostAccumulateHook(id: Id, fn: (t: unknown) => void): number;
  removePostAccumulateHook(id: Id, hook: number): void;

  // custom autograd Functions (csrc/binding/custom_function.cpp)
  functionApply(
    name: string,
    runner: (grads: (object | null)[]) => (object | null)[],
    inputs: Id[],
    outputs: Id[],
    dirty: Id[],
    nonDifferentiable: Id[],
    saved: (Id | null)[],
    materializeGrads: boolean,
    onceDifferentiable: boolean,
  ): [object[], object];
  functionSavedTensors(handle: object): (object | null)[];

  // multi-output views (csrc/binding/multi_view_api.cpp)
  unbind(a: Id, dim: number): object[];
  split(a: Id, splitSize: number | number[], dim: number): object[];
  chunk(a: Id, chunks: number, dim: number): object[];

  // ---- movement (csrc/binding/movement_api.cpp)
  /** A fresh result reshaped without marking it a view (UnsafeViewBackward0); internal to composites. */
  unsafeView(out: object, a: Id, shape: number[]): Made;
  flatten(out: object, a: Id, startDim: number, endDim: number): Made;
  unflatten(out: object, a: Id, dim: number, sizes: number[]): Made;
  movedim(out: object, a: Id, source: number[], destination: number[]): Made;
  mT(out: object, a: Id): Made;
  broadcastTo(out: object, a: Id, shape: number[]): Made;
  narrow(out: object, a: Id, dim: number, start: number, length: number): Made;
  diagonal(out: object, a: Id, offset: number, dim1: number, dim2: number): Made;
  cat(out: object, tensors: Id[], dim: number): Made;
  stack(out: object, tensors: Id[], dim: number): Made;
  hstack(out: object, tensors: Id[]): Made;
  vstack(out: object, tensors: Id[]): Made;
  repeat(out: object, a: Id, repeats: number[]): Made;
  tile(out: object, a: Id, reps: number[]): Made;
  repeatInterleave(out: object, a: Id, repeats: number | Id, isTensor: boolean, dim: number | null): Made;
  flip(out: object, a: Id, dims: number[]): Made;
  roll(out: object, a: Id, shifts: number[], dims: number[]): Made;
  rot90(out: object, a: Id, k: number, dims: number[]): Made;
  tril(out: object, a: Id, diagonal: number): Made;
  triu(out: object, a: Id, diagonal: number): Made;
  diag(out: object, a: Id, diagonal: number): Made;
  diagEmbed(out: object, a: Id, offset: number, dim1: number, dim2: number): Made;
  trace(out: object, a: Id): Made;
  // ---- elementwise (csrc/binding/elementwise_api.cpp); operands that may be numbers come
  // as (value, isNumber) pairs
  ewUnary(out: object, op: number, a: Id, p0: number, p1: number): Made;
  hardtanh(out: object, a: Id, minVal: number, maxVal: number): Made;
  roundDecimals(out: object, a: Id, decimals: number): Made;
  nanToNum(out: object, a: Id, nan: number | null, posinf: number | null, neginf: number | null): Made;
  logit(out: object, a: Id, eps: number | null): Made;
  clampTensor(out: object, a: Id, min: Id | number | null, minIsNumber: boolean, max: Id | number | null, maxIsNumber: boolean): Made;
  ewBinary(out: object, op: number, a: Id, b: Id | number | boolean, bIsNumber: boolean): Made;
  divMode(out: object, a: Id, b: Id | number, bIsNumber: boolean, mode: string): Made;
  lerp(out: object, a: Id, end: Id, weight: Id | number, weightIsNumber: boolean): Made;
  addc(out: object, a: Id, t1: Id, t2: Id, value: number, isDiv: boolean): Made;
  predicate(out: object, a: Id, which: 'isnan' | 'isinf' | 'isfinite' | 'logicalNot' | 'bitwiseNot'): Made;
  isclose(out: object, a: Id, b: Id, rtol: number, atol: number, equalNan: boolean): Made;
  equal(a: Id, b: Id): boolean;
  // ---- nn (csrc/binding/nn_api.cpp); reduction: 0 none, 1 mean, 2 sum
  nnSoftmax(out: object, x: Id, dim: number, log: boolean): Made;
  nnNllLoss(out: object, input: Id, target: Id, weight: Id | null, reduction: number, ignoreIndex: number): Made;
  nnCrossEntropy(out: object, input: Id, target: Id, weight: Id | null, reduction: number, ignoreIndex: number, labelSmoothing: number): Made;
  /** kind: 0 mse, 1 smooth L1, 2 Huber, 3 binary cross-entropy, 4 BCE with logits; param: beta or delta. */
  nnPointwiseLoss(out: object, kind: number, input: Id, target: Id, weight: Id | null, posWeight: Id | null, reduction: number, param: number): Made;
  nnLinear(out: object, x: Id, weight: Id, bias: Id | null): Made;
  nnLayerNorm(out: object, x: Id, normalizedShape: number[], weight: Id | null, bias: Id | null, eps: number): Made;
  nnEmbedding(out: object, indices: Id, weight: Id, paddingIdx: number | null): Made;
  /** mode: 0 constant, 1 reflect, 2 replicate. */
  nnPad(out: object, x: Id, pads: number[], mode: number, value: number): Made;
  // ---- convolution (csrc/binding/conv_api.cpp); paddingMode: 0 explicit, 1 same, 2 valid
  nnConvolution(out: object, input: Id, weight: Id, bias: Id | null, spatial: number, transposed: boolean, stride: number[], padding: number[], paddingMode: number, dilation: number[], outputPadding: number[], groups: number): Made;
  // ---- pooling and normalization (csrc/binding/poolnorm_api.cpp); per-dim arrays of 1 or 2 entries
  nnMaxPool(outValues: object, outIndices: object, x: Id, kernel: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean): [Made, Made];
  nnAvgPool(out: object, x: Id, kernel: number[], stride: number[], padding: number[], ceilMode: boolean, countIncludePad: boolean, divisorOverride: number | null): Made;
  nnAdaptiveAvgPool(out: object, x: Id, outputSize: number[]): Made;
  nnAdaptiveMaxPool(outValues: object, outIndices: object, x: Id, outputSize: number[]): [Made, Made];
  nnBatchNorm(out: object, x: Id, runningMean: Id | null, runningVar: Id | null, weight: Id | null, bias: Id | null, training: boolean, momentum: number, eps: number): Made;
  nnGroupNorm(out: object, x: Id, numGroups: number, weight: Id | null, bias: Id | null, eps: number): Made;
  nnInstanceNorm(out: object, x: Id, runningMean: Id | null, runningVar: Id | null, weight: Id | null, bias: Id | null, useInputStats: boolean, momentum: number, eps: number): Made;

  // ---- reduction (csrc/binding/reduce_api.cpp)
  prod(out: object, a: Id, dim: number | null, keepdim: boolean): Made;
  amax(out: object, a: Id, dims: number[], keepdim: boolean, isMax: boolean): Made;
  varStd(out: object, a: Id, dims: number[], correction: number, keepdim: boolean, isStd: boolean): Made;
  logsumexp(out: object, a: Id, dims: number[], keepdim: boolean): Made;
  /** `legacyName`: record NormBackward1 (at::norm, as pairwise_distance does) instead of LinalgVectorNormBackward0. */
  vectorNorm(out: object, a: Id, p: number, dims: number[], keepdim: boolean, legacyName?: boolean): Made;
  allAny(out: object, a: Id, dims: number[], keepdim: boolean, isAll: boolean): Made;
  countNonzero(out: object, a: Id, dims: number[]): Made;
  cumulative(out: object, a: Id, dim: number, isProd: boolean): Made;
  cumExtreme(outValues: object, outIndices: object, a: Id, dim: number, isMax: boolean): [Made, Made];
  sort(outValues: object, outIndices: object, a: Id, dim: number, descending: boolean, stable: boolean): [Made, Made];
  argsort(out: object, a: Id, dim: number, descending: boolean, stable: boolean): Made;
  topk(outValues: object, outIndices: object, a: Id, k: number, dim: number, largest: boolean, sorted: boolean): [Made, Made];
  kthvalue(outValues: object, outIndices: object, a: Id, k: number, dim: number, keepdim: boolean): [Made, Made];
  median(out: object, a: Id): Made;
  medianDim(outValues: object, outIndices: object, a: Id, dim: number, keepdim: boolean, isMode: boolean): [Made, Made];
  unique(outValues: object, outInverse: object, outCounts: object, a: Id): [Made, Made, Made];

  // ---- indexing (csrc/binding/indexing_api.cpp)
  gather(out: object, a: Id, dim: number, index: Id): Made;
  scatter(out: object, a: Id, dim: number, index: Id, src: Id | null, value: number | boolean): Made;
  scatterAdd(out: object, a: Id, dim: number, index: Id, src: Id): Made;
  svdvals(out: object, a: Id): Made;
  scatterReduce(out: object, a: Id, dim: number, index: Id, src: Id, reduce: number, includeSelf: boolean): Made;
  indexSelect(out: object, a: Id, dim: number, index: Id): Made;
  indexAdd(out: object, a: Id, dim: number, index: Id, source: Id, alpha: number): Made;
  indexCopy(out: object, a: Id, dim: number, index: Id, source: Id): Made;
  indexFill(out: object, a: Id, dim: number, index: Id, value: number | boolean): Made;
  maskedFill(out: object, a: Id, mask: Id, value: number | boolean): Made;
  maskedSelect(out: object, a: Id, mask: Id): Made;
  maskedScatter(out: object, a: Id, mask: Id, source: Id): Made;
  take(out: object, a: Id, index: Id): Made;
  nonzero(out: object, a: Id): Made;
  oneHot(out: object, index: Id, numClasses: number): Made;
  searchsorted(out: object, sorted: Id, values: Id, right: boolean): Made;
  indexRows(out: object, z: Id, flat: Id, preShape: number[], perm: number[]): Made;
  linalgCross(out: object, a: Id, b: Id, dim: number): Made;
  addmm(out: object, kind: 0 | 1 | 2, input: Id, m1: Id, m2: Id, beta: number, alpha: number): Made;
  /** PyTorch's set_data: self takes src's storage, shape and dtype, keeping its identity (module_api.cpp). */
  setData(self: Id, src: Id): void;

  // ---- optim (csrc/binding/optim_api.cpp): one fused update per parameter group; bufs holds
  // three slots per param (csrc/core/optim_params.h names them), steps the counts after it.
  optimStep(hyper: OptimHyper, params: Id[], grads: Id[], bufs: (Id | null)[], steps: number[]): void;
}

/** The package root: the nearest directory above this file with tensorgrad's package.json. */
function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'tensorgrad') return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('tensorgrad: cannot find the package root from ' + __dirname);
    dir = up;
  }
}

// OpenBLAS cores without AVX-512 / without AVX2 kernels (names as OPENBLAS_CORETYPE takes them).
const PRE_AVX512 = /^(haswell|zen|sandybridge|nehalem|core2|penryn|dunnington|atom|prescott|katmai|coppermine|northwood|banias|opteron|barcelona|bobcat|bulldozer|piledriver|steamroller|excavator)$/i;
const PRE_AVX2 = /^(sandybridge|nehalem|core2|penryn|dunnington|atom|prescott|katmai|coppermine|northwood|banias|opteron|barcelona|bobcat|bulldozer|piledriver)$/i;

function cpuFlags(): Set<string> {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => l.startsWith('flags'));
    return new Set(line ? line.split(':')[1].trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

/**
 * Note [OPENBLAS_CORETYPE]: OpenBLAS reads OPENBLAS_CORETYPE once, when the addon loads it.
 * A value naming an older core than the CPU (these machines set Haswell on AVX-512 CPUs)
 * halves matrix speed, so while loading the addon tensorgrad hides such a value from
 * OpenBLAS, which then detects the CPU itself; the variable is restored right after, for the
 * rest of the process. Set TENSORGRAD_KEEP_OPENBLAS_CORETYPE=1 to keep it in force.
 */
function olderCoreType(): string | undefined {
  const core = process.env.OPENBLAS_CORETYPE;
  if (!core || process.env.TENSORGRAD_KEEP_OPENBLAS_CORETYPE === '1') return undefined;
  const flags = cpuFlags();
  if (flags.has('avx512f') && PRE_AVX512.test(core)) return core;
  if (flags.has('avx2') && PRE_AVX2.test(core)) return core;
  return undefined;
}

function load(): NativeAddon {
  const root = packageRoot();
  const hidden = olderCoreType();
  if (hidden !== undefined) delete process.env.OPENBLAS_CORETYPE;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('node-gyp-build')(root) as NativeAddon;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(
      `tensorgrad: no native addon for ${process.platform}-${process.arch} (node ${process.versions.node}, ` +
        `N-API ${process.versions.napi}). Build it with \`npm rebuild tensorgrad\` (needs a C++17 compiler, ` +
        `make and python3). Cause: ${msg}`,
    );
  } finally {
    if (hidden !== undefined) process.env.OPENBLAS_CORETYPE = hidden;
  }
}

export const N: NativeAddon = load();

/** Opcode maps built from the native op tables (csrc/core/backend.h), the single source. */
function opcodes(names: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  names.forEach((n, i) => (m[n] = i));
  return m;
}
export const UNARY = opcodes(N.unaryOps);
export const BINARY = opcodes(N.binaryOps);
export const REDUCE = opcodes(N.reduceOps);
