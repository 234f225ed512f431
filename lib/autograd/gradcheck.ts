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

/**
 * Compares analytical and numerical first derivatives of `fn` at `inputs` (spec N1-N5).
 * Returns true when they match; on mismatch throws `GradcheckError` (or returns false with
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
  const inNumel = diffInputs.map((t) => t.numel());

  // ---- numerical Jacobians: numerical[i][k] is [inNumel[i] x outNumel[k]], row-major
  const numerical: Float64Array[][] = diffInputs.map((_, i) => outNumel.map((m) => new Float64Array(inNumel[i] * m)));
  diffInputs.forEach((x, i) => {
    const orig = toF64(x);
    const work = Float64Array.from(orig);
    try {
      for (let j = 0; j < orig.length; j++) {
        work[j] = orig[j] - eps;
        writeInto(x, work);
        const lo = asList(fn(...args)).map((o) => (FLOATING.has(o.dtype) ? toF64(o) : null));
        work[j] = orig[j] + eps;
        writeInto(x, work);
        const hi = asList(fn(...args)).map((o) => (FLOATING.has(o.dtype) ? toF64(o) : null));
        work[j] = orig[j];
        outNumel.forEach((m, k) => {
          const l = lo[k];
          const h = hi[k];
          if (!l || !h) return;
          const row = numerical[i][k];
          for (let r = 0; r < m; r++) row[j * m + r] = (h[r] - l[r]) / (2 * eps);
        });
      }
    } finally {
      writeInto(x, orig);
    }
  });

  // ---- analytical Jacobians, one one-hot VJP per output element (twice, for reentrancy).
  // The graph is rebuilt after the perturbations, which bumped the inputs' versions.
  const outputs = asList(fn(...args));
  const analytical: Float64Array[][] = diffInputs.map((_, i) => outNumel.map((m) => new Float64Array(inNumel[i] * m)));
  const vjp = (o: Tensor, v: Tensor): (Tensor | null)[] =>
    grad([o], diffInputs, { gradOutputs: [v], retainGraph: true, allowUnused: true });

  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    const m = outNumel[k];
    if (!isDifferentiableOutput(o) || m === 0) continue;
    const onehot = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      onehot[r] = 1;
      const v = makeTensor(onehot, o.shape, o.dtype);
      onehot[r] = 0;
      const g1 = vjp(o, v);
      const g2 = vjp(o, v);
      for (let i = 0; i < diffInputs.length; i++) {
        const x = diffInputs[i];
        const a = g1[i];
        const b = g2[i];
        if (a) {
          if (a.shape.length !== x.shape.length || a.shape.some((s, d) => s !== x.shape[d])) {
            return fail(
              `Analytical gradient has incorrect size: got [${a.shape.join(', ')}] for input ${i} of shape [${x.shape.join(', ')}]`,
              raise,
            );
          }
          if (checkDtypes && a.dtype !== x.dtype) {
            return fail(`Gradient has dtype mismatch: got ${a.dtype} for input ${i} of dtype ${x.dtype}`, raise);
          }
        }
        const av = a ? toF64(a) : new Float64Array(inNumel[i]);
        const bv = b ? toF64(b) : new Float64Array(inNumel[i]);
        for (let j = 0; j < av.length; j++) {
          if (!(Math.abs(av[j] - bv[j]) <= nondetTol) && !(Number.isNaN(av[j]) && Number.isNaN(bv[j]))) {
            return fail(
              `Backward is not reentrant, i.e., running backward with same input and grad_output multiple times ` +
                `gives different values, although analytical gradient matches numerical gradient.` +
                `The tolerance for nondeterminism was ${nondetTol}.`,
              raise,
            );
          }
          analytical[i][k][j * m + r] = av[j];
        }
      }
    }
  }

  // ---- compare
  for (let k = 0; k < outputs.length; k++) {
    for (let i = 0; i < diffInputs.length; i++) {
      const a = analytical[i][k];
      const n = numerical[i][k];
      let ok = true;
      for (let e = 0; e < a.length; e++) {
        if (!(Math.abs(a[e] - n[e]) <= atol + rtol * Math.abs(n[e]))) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        const numT = matrix(n, inNumel[i], outNumel[k]);
        const anaT = matrix(a, inNumel[i], outNumel[k]);
        return fail(
          `Jacobian mismatch for output ${k} with respect to input ${i},\nnumerical:${numT.toString()}\nanalytical:${anaT.toString()}\n`,
          raise,
        );
      }
    }
  }

  // ---- all-zero grad_outputs must give zero (or null) input gradients
  if (checkUndefined) {
    for (const o of outputs) {
      if (!isDifferentiableOutput(o) || o.numel() === 0) continue;
      const gs = vjp(o, zeros(o.shape, { dtype: o.dtype }));
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
