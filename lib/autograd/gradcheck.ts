/**
 * gradcheck / gradgradcheck (spec N), written against the public API only, so that they
 * also exercise the TS <-> native boundary (dtype casts, views, broadcasting reduction).
 *
 * - The numerical Jacobian is built by central differences: every element of every input
 *   that requires grad is perturbed in place (under `noGrad`, with `copy_`) by +-eps.
 * - The analytical Jacobian is built one output element at a time, by a vector-Jacobian
 *   product with a one-hot `gradOutputs` through `autograd.grad`.
 * - They must agree entry by entry: `|a - n| <= atol + rtol * |n|`.
 *
 * Jacobians are laid out as PyTorch does: one matrix per (input, output) pair, with
 * `input.numel()` rows and `output.numel()` columns.
 *
 * `fastMode` (spec N6) compares the scalars `vᵀJu` instead, for random unit vectors u (per
 * input) and v (per output): one central difference along u and one VJP with v per pair. On
 * a mismatch it recomputes both Jacobians in slow mode for the error message.
 */
import { tensor, zeros, randn } from '../creation';
import { RuntimeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { warn } from '../warnings';
import { noGrad } from './grad_mode';
import { grad } from './index';

/** Raised by `gradcheck` / `gradgradcheck` when a check fails (PyTorch's `GradcheckError`). */
export class GradcheckError extends RuntimeError {}

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Perturbation of the central difference. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance (relative to the numerical value). */
  rtol?: number;
  /** Throw a `GradcheckError` on failure (default); otherwise return false. */
  raiseException?: boolean;
  /** Allowed difference between two backward passes with the same grad_output (reentrancy). */
  nondetTol?: number;
  /** Check that all-zero output gradients give zero (or null) input gradients. */
  checkUndefinedGrad?: boolean;
  /** Check that each input's gradient has the input's dtype. */
  checkGradDtypes?: boolean;
  /**
   * Compare random projections `vᵀJu` instead of whole Jacobians: two function evaluations
   * per input and one VJP per output, instead of one per element. Default false.
   */
  fastMode?: boolean;
}

/** Options of `gradgradcheck`. */
export interface GradgradcheckOptions extends GradcheckOptions {
  /** Draw non-contiguous random grad_outputs. */
  genNonContigGradOutputs?: boolean;
}

type Fn = (...args: any[]) => Tensor | Tensor[] | readonly Tensor[];

const FLOATING = new Set(['float32', 'float64']);

function asList(out: unknown): Tensor[] {
  if (out instanceof Tensor) return [out];
  if (Array.isArray(out)) return out.filter((o): o is Tensor => o instanceof Tensor);
  throw new ValueError('gradcheck: the function must return a Tensor or an array of Tensors');
}

function toF64(t: Tensor): Float64Array {
  const d = t.data();
  if (d instanceof Float64Array) return d;
  if (d instanceof BigInt64Array) return Float64Array.from(d, (v) => Number(v));
  return Float64Array.from(d as ArrayLike<number>);
}

function makeTensor(values: Float64Array, shape: number[], dtype: Tensor['dtype']): Tensor {
  return tensor(values, { shape, dtype });
}

/** Writes `values` (row-major, logical order) into `t` in place, outside the graph. */
function writeInto(t: Tensor, values: Float64Array): void {
  const src = makeTensor(values, t.shape, t.dtype);
  noGrad(() => t.copy_(src));
  src.dispose();
}

/** A [rows x cols] float64 matrix tensor, for error messages. */
function matrix(m: Float64Array, rows: number, cols: number): Tensor {
  return tensor(m, { shape: [rows, cols], dtype: 'float64' });
}

function fail(message: string, raise: boolean): false {
  if (raise) throw new GradcheckError(message);
  return false;
}

function isDifferentiableOutput(o: Tensor): boolean {
  return FLOATING.has(o.dtype) && o.requiresGrad;
}

/** What the slow and fast checks need. */
interface Ctx {
  fn: Fn;
  args: unknown[];
  diffInputs: Tensor[];
  outNumel: number[];
  eps: number;
  atol: number;
  rtol: number;
  raise: boolean;
  nondetTol: number;
  checkDtypes: boolean;
}

/**
 * Central differences of every output along `dir` (input-shaped, row-major):
 * `(f(x + eps*dir) - f(x - eps*dir)) / (2*eps)`, null for non-floating outputs. `x` is
 * perturbed in place and restored.
 */
function directional(ctx: Ctx, x: Tensor, orig: Float64Array, dir: Float64Array): (Float64Array | null)[] {
  const { fn, args, eps } = ctx;
  const work = new Float64Array(orig.length);
  try {
    for (let j = 0; j < orig.length; j++) work[j] = orig[j] - eps * dir[j];
    writeInto(x, work);
    const lo = asList(fn(...args)).map((o) => (FLOATING.has(o.dtype) ? toF64(o) : null));
    for (let j = 0; j < orig.length; j++) work[j] = orig[j] + eps * dir[j];
    writeInto(x, work);
    const hi = asList(fn(...args)).map((o) => (FLOATING.has(o.dtype) ? toF64(o) : null));
    return lo.map((l, k) => {
      const h = hi[k];
      if (!l || !h) return null;
      const d = new Float64Array(l.length);
      for (let r = 0; r < l.length; r++) d[r] = (h[r] - l[r]) / (2 * eps);
      return d;
    });
  } finally {
    writeInto(x, orig);
  }
}

/** The numerical Jacobians w.r.t. input `i`: one [inNumel x outNumel[k]] matrix per output. */
function numericalJacobians(ctx: Ctx, i: number): Float64Array[] {
  const x = ctx.diffInputs[i];
  const n = x.numel();
  const res = ctx.outNumel.map((m) => new Float64Array(n * m));
  const orig = toF64(x);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    const col = directional(ctx, x, orig, e);
    e[j] = 0;
    ctx.outNumel.forEach((m, k) => {
      const d = col[k];
      if (d) for (let r = 0; r < m; r++) res[k][j * m + r] = d[r];
    });
  }
  return res;
}

function vjpOf(ctx: Ctx, o: Tensor, v: Tensor): (Tensor | null)[] {
  return grad([o], ctx.diffInputs, { gradOutputs: [v], retainGraph: true, allowUnused: true });
}

/**
 * The VJP of `o` with `v`, run twice: checks the gradients' sizes (and dtypes) and that both
 * runs agree within nondetTol. Returns the gradients as float64 arrays (zeros for null), or
 * the failure message.
 */
function checkedVjp(ctx: Ctx, o: Tensor, v: Tensor): Float64Array[] | string {
  const g1 = vjpOf(ctx, o, v);
  const g2 = vjpOf(ctx, o, v);
  const res: Float64Array[] = [];
  for (let i = 0; i < ctx.diffInputs.length; i++) {
    const x = ctx.diffInputs[i];
    const a = g1[i];
    const b = g2[i];
    if (a) {
      if (a.shape.length !== x.shape.length || a.shape.some((s, d) => s !== x.shape[d])) {
        return `Analytical gradient has incorrect size: got [${a.shape.join(', ')}] for input ${i} of shape [${x.shape.join(', ')}]`;
      }
      if (ctx.checkDtypes && a.dtype !== x.dtype) {
        return `Gradient has dtype mismatch: got ${a.dtype} for input ${i} of dtype ${x.dtype}`;
      }
    }
    const av = a ? toF64(a) : new Float64Array(x.numel());
    const bv = b ? toF64(b) : new Float64Array(x.numel());
    for (let j = 0; j < av.length; j++) {
      if (!(Math.abs(av[j] - bv[j]) <= ctx.nondetTol) && !(Number.isNaN(av[j]) && Number.isNaN(bv[j]))) {
        return (
          `Backward is not reentrant, i.e., running backward with same input and grad_output multiple times ` +
          `gives different values, although analytical gradient matches numerical gradient.` +
          `The tolerance for nondeterminism was ${ctx.nondetTol}.`
        );
      }
    }
    res.push(av);
  }
  return res;
}

/**
 * The analytical Jacobians, one one-hot VJP per output element: analytical[i][k] is
 * [inNumel[i] x outNumel[k]]. The graph is rebuilt here, after any perturbations (which
 * bumped the inputs' versions). With `check`, each VJP is checked (`checkedVjp`).
 */
function analyticalJacobians(ctx: Ctx, check: boolean): Float64Array[][] | string {
  const outputs = asList(ctx.fn(...ctx.args));
  const analytical = ctx.diffInputs.map((x) => ctx.outNumel.map((m) => new Float64Array(x.numel() * m)));
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    const m = ctx.outNumel[k];
    if (!isDifferentiableOutput(o) || m === 0) continue;
    const onehot = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      onehot[r] = 1;
      const v = makeTensor(onehot, o.shape, o.dtype);
      onehot[r] = 0;
      let gs: Float64Array[] | string;
      if (check) gs = checkedVjp(ctx, o, v);
      else gs = vjpOf(ctx, o, v).map((g, i) => (g ? toF64(g) : new Float64Array(ctx.diffInputs[i].numel())));
      if (typeof gs === 'string') return gs;
      gs.forEach((av, i) => {
        for (let j = 0; j < av.length; j++) analytical[i][k][j * m + r] = av[j];
      });
    }
  }
  return analytical;
}

function mismatch(k: number, i: number, numerical: string, analytical: string): string {
  return `Jacobian mismatch for output ${k} with respect to input ${i},\nnumerical:${numerical}\nanalytical:${analytical}\n`;
}

/** Slow mode (N2): whole Jacobians compared entry by entry. True, or the failure message. */
function slowCheck(ctx: Ctx): true | string {
  const inNumel = ctx.diffInputs.map((t) => t.numel());
  const numerical = ctx.diffInputs.map((_, i) => numericalJacobians(ctx, i));
  const analytical = analyticalJacobians(ctx, true);
  if (typeof analytical === 'string') return analytical;
  for (let k = 0; k < ctx.outNumel.length; k++) {
    for (let i = 0; i < ctx.diffInputs.length; i++) {
      const a = analytical[i][k];
      const n = numerical[i][k];
      let ok = true;
      for (let e = 0; e < a.length; e++) {
        if (!(Math.abs(a[e] - n[e]) <= ctx.atol + ctx.rtol * Math.abs(n[e]))) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        const numT = matrix(n, inNumel[i], ctx.outNumel[k]);
        const anaT = matrix(a, inNumel[i], ctx.outNumel[k]);
        return mismatch(k, i, numT.toString(), anaT.toString());
      }
    }
  }
  return true;
}

/**
 * mulberry32, a tiny seeded generator of numbers in [0, 1). Fast mode draws its vectors from
 * it (fixed seed), so it neither depends on nor disturbs the user's RNG, and a failure
 * reproduces. @internal (also the test samples' generator)
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform [0, 1) vector of length n scaled to unit norm (PyTorch's `_vec_from_tensor`). */
function unitVector(n: number, rand: () => number): Float64Array {
  const v = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    v[i] = rand();
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < n; i++) v[i] /= norm;
  return v;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

const FAST_FAIL_SLOW_OK_MSG = `
Fast gradcheck failed but element-wise differences are small. This means that the
test might've passed in slow_mode!

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:

If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with \`fastMode: false\` in its options.
- is registry-based (test/ops_registry.ts), then give the op's entry
  \`gradcheckOpts: {fastMode: false}\`.
`;

/**
 * Fast mode (N6): for unit vectors u_i (per input) and v_k (per output) compares
 * `v_kᵀ J_ki u_i` from one central difference along u_i with `(v_kᵀ J_ki)·u_i` from one
 * VJP, with atol scaled by `sum(u_i)·sum(v_k)` (the projection of an all-atol matrix).
 * On a mismatch, the message adds both Jacobians recomputed in slow mode.
 */
function fastCheck(ctx: Ctx): true | string {
  const rand = prng(0x5eed);
  const us = ctx.diffInputs.map((x) => unitVector(x.numel(), rand));
  const vs = ctx.outNumel.map((m) => unitVector(m, rand));

  // numerical[i][k] = v_k . (J_ki u_i) by central differences along u_i
  const numerical = ctx.diffInputs.map((x, i) =>
    directional(ctx, x, toF64(x), us[i]).map((d, k) => (d ? dot(vs[k], d) : 0)),
  );

  // analytical[i][k] = (v_k^T J_ki) . u_i by one VJP per output
  const outputs = asList(ctx.fn(...ctx.args));
  const analytical = ctx.diffInputs.map(() => ctx.outNumel.map(() => 0));
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    if (!isDifferentiableOutput(o) || ctx.outNumel[k] === 0) continue;
    const gs = checkedVjp(ctx, o, makeTensor(vs[k], o.shape, o.dtype));
    if (typeof gs === 'string') return gs;
    gs.forEach((g, i) => (analytical[i][k] = dot(g, us[i])));
  }

  for (let i = 0; i < ctx.diffInputs.length; i++) {
    for (let k = 0; k < ctx.outNumel.length; k++) {
      const a = analytical[i][k];
      const n = numerical[i][k];
      const atol = ctx.atol * sum(us[i]) * sum(vs[k]);
      if (Math.abs(a - n) <= atol + ctx.rtol * Math.abs(n)) continue;
      const scalar = (x: number): string => tensor(x, { dtype: 'float64' }).toString();
      return mismatch(k, i, scalar(n), scalar(a)) + slowModeReport(ctx, i, k);
    }
  }
  return true;
}

/** The slow-mode Jacobians of one (input, output) pair, for a fast-mode failure message. */
function slowModeReport(ctx: Ctx, i: number, k: number): string {
  const numerical = numericalJacobians(ctx, i)[k];
  const analytical = (analyticalJacobians(ctx, false) as Float64Array[][])[i][k];
  let maxDiff = 0;
  let allclose = true;
  for (let e = 0; e < numerical.length; e++) {
    const d = Math.abs(numerical[e] - analytical[e]);
    if (!(d <= maxDiff)) maxDiff = d; // NaN propagates, as torch's max does
    if (!(d <= ctx.atol + ctx.rtol * Math.abs(numerical[e]))) allclose = false;
  }
  const rows = ctx.diffInputs[i].numel();
  const cols = ctx.outNumel[k];
  let msg =
    '\nThe above quantities relating the numerical and analytical jacobians are computed \n' +
    'in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n' +
    'about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n' +
    `Numerical:\n ${matrix(numerical, rows, cols).toString()}\n` +
    `Analytical:\n${matrix(analytical, rows, cols).toString()}\n\n` +
    `The max per-element difference (slow mode) is: ${tensor(maxDiff, { dtype: 'float64' }).toString()}.\n`;
  if (allclose) msg += FAST_FAIL_SLOW_OK_MSG;
  return msg;
}

/**
 * Compares analytical and numerical first derivatives of `fn` at `inputs` (spec N1-N5),
 * whole Jacobians or, with `fastMode`, random projections of them (N6). Returns true when
 * they match; on mismatch throws `GradcheckError` (or returns false with
 * `raiseException: false`).
 */
export function gradcheck(fn: Fn, inputs: unknown[] | Tensor, opts: GradcheckOptions = {}): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const raise = opts.raiseException ?? true;
  const nondetTol = opts.nondetTol ?? 0;
  const checkUndefined = opts.checkUndefinedGrad ?? true;
  const checkDtypes = opts.checkGradDtypes ?? false;

  const args: unknown[] = inputs instanceof Tensor ? [inputs] : inputs;
  const diffIdx: number[] = [];
  args.forEach((a, i) => {
    if (a instanceof Tensor && a.requiresGrad) diffIdx.push(i);
  });
  if (diffIdx.length === 0) {
    throw new ValueError(
      'gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True.',
    );
  }
  for (const i of diffIdx) {
    const a = args[i] as Tensor;
    if (a.dtype !== 'float64') {
      warn(
        `Input #${i} requires gradient and is not a double precision floating point or complex. ` +
          'This check will likely fail if all the inputs are not of double precision floating point or complex.',
      );
    }
  }
  const diffInputs = diffIdx.map((i) => args[i] as Tensor);

  // ---- forward at the unperturbed point, for the output shapes
  const outNumel = asList(fn(...args)).map((o) => o.numel());
  const ctx: Ctx = { fn, args, diffInputs, outNumel, eps, atol, rtol, raise, nondetTol, checkDtypes };
  const result = opts.fastMode ? fastCheck(ctx) : slowCheck(ctx);
  if (result !== true) return fail(result, raise);
  const outputs = asList(fn(...args));

  // ---- all-zero grad_outputs must give zero (or null) input gradients
  if (checkUndefined) {
    for (const o of outputs) {
      if (!isDifferentiableOutput(o) || o.numel() === 0) continue;
      const gs = grad([o], diffInputs, { gradOutputs: [zeros(o.shape, { dtype: o.dtype })], retainGraph: true, allowUnused: true });
      for (const g of gs) {
        if (g && toF64(g).some((v) => v !== 0)) {
          return fail('Expected backward function to return zero (or null) gradients for all-zero output gradients', raise);
        }
      }
    }
  }
  return true;
}

function randomLike(o: Tensor, nonContig: boolean): Tensor {
  const dtype = FLOATING.has(o.dtype) ? o.dtype : 'float64';
  if (!nonContig) return randn(o.shape, { dtype, requiresGrad: true });
  // every other element of a larger tensor: a strided (non-contiguous) leaf
  const big = randn([...o.shape, 2], { dtype });
  return big.index('...', 0).detach().requiresGrad_();
}

/**
 * Checks second derivatives (spec N7): wraps `fn` into a function returning the VJP of its
 * outputs with `gradOutputs` (random float64 when omitted) computed with `createGraph: true`,
 * and gradchecks that wrapper w.r.t. the inputs and the grad_outputs.
 */
export function gradgradcheck(
  fn: Fn,
  inputs: unknown[] | Tensor,
  gradOutputs?: Tensor | Tensor[] | null,
  opts: GradgradcheckOptions = {},
): boolean {
  const args: unknown[] = inputs instanceof Tensor ? [inputs] : inputs;
  const nIn = args.length;
  let gouts: Tensor[];
  if (gradOutputs === undefined || gradOutputs === null) {
    const outs = asList(fn(...args)).filter(isDifferentiableOutput);
    gouts = outs.map((o) => randomLike(o, !!opts.genNonContigGradOutputs));
  } else {
    gouts = gradOutputs instanceof Tensor ? [gradOutputs] : gradOutputs;
  }
  const wrapper = (...all: unknown[]): Tensor[] => {
    const ins = all.slice(0, nIn);
    const gos = all.slice(nIn) as Tensor[];
    const outs = asList(fn(...ins)).filter(isDifferentiableOutput);
    const diff = ins.filter((a): a is Tensor => a instanceof Tensor && a.requiresGrad);
    if (outs.length === 0 || diff.length === 0) return [];
    const gs = grad(outs, diff, { gradOutputs: gos, createGraph: true, allowUnused: true });
    return gs.filter((g): g is Tensor => g !== null);
  };
  return gradcheck(wrapper, [...args, ...gouts], opts);
}
