/**
 * tensorgrad: tensors, a recorded graph and reverse-mode autograd for Node.js, with
 * PyTorch's semantics in camelCase.
 */
import * as autograd from './autograd';
import './ops/foundation';
import './ops/movement';
import './ops/elementwise';
import './ops/reduction';
import './ops/indexing';
import './ops/linalg';
import * as nn from './nn';
import * as data from './data';
import * as io from './io';
import * as optim from './optim';
import { N } from './native';

export { Tensor, GradFn } from './tensor';
export type { DType, TensorLike, Index, BackwardOptions, RemovableHandle, ValuesIndices } from './tensor';
export * from './creation';
export * from './functional';
export { flatten, unflatten, swapaxes, movedim, mT, broadcastTo, repeat, tile, repeatInterleave, flip, roll, rot90, cat, stack, hstack, vstack, narrow, tril, triu, diag, diagonal, diagEmbed, trace } from './ops/movement';
export * from './ops/elementwise';
export { prod, amax, amin, var, std, logsumexp, norm, cumsum, cumprod, cummax, cummin, all, any, countNonzero, sort, argsort, topk, kthvalue, median, mode, unique } from './ops/reduction';
export type { VarOptions } from './ops/reduction';
export type { ScatterReduction } from './ops/indexing';
export { gather, scatter, scatterAdd, scatterReduce, indexSelect, indexAdd, indexCopy, indexFill, maskedFill, maskedScatter, maskedSelect, take, nonzero, oneHot, searchsorted, bucketize } from './ops/indexing';
export * from './ops/linalg';
export * from './errors';
export { tidy, memoryStats, emptyCache, resetPeakMemory } from './memory';
export type { MemoryStats } from './memory';
export { noGrad, enableGrad, setGradEnabled, isGradEnabled, inferenceMode } from './autograd/grad_mode';
export { autograd };
export { nn };
export { data, io };
export { save, load } from './io';
export type { SaveOptions } from './io';
export { Generator } from './data/generator';
export { ProgressBar, progress } from './utils/progress';
export type { ProgressOptions, ProgressStream } from './utils/progress';
export { optim };
export { gradcheck, gradgradcheck, GradcheckError } from './autograd/gradcheck';
export type { GradcheckOptions, GradgradcheckOptions } from './autograd/gradcheck';
export type { FunctionalOptions, JacobianOptions } from './autograd/functional';
export type { GraphOptions, DrawGraphOptions } from './autograd/graph';
export { FunctionCtx } from './autograd/function';

/**
 * Sets the number of threads CPU kernels (and OpenBLAS) use. Defaults to the number of
 * cores; small tensors always stay on the calling thread.
 */
export function setNumThreads(n: number): void {
  N.setNumThreads(n);
}

/** The number of threads CPU kernels use. */
export function getNumThreads(): number {
  return N.getNumThreads();
}

/** The SIMD level the CPU kernels selected at load time: "avx512", "avx2" or "baseline". */
export function simdLevel(): string {
  return N.simdLevel();
}

/** Which matrix-multiply library the native addon was built with ("builtin" or "openblas ..."). */
export function blasInfo(): string {
  return N.blasName();
}

export { opTable } from './ops/registry';
export type { OpInfo, OpFamily } from './ops/registry';
