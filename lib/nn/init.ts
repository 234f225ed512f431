/**
 * `nn.init`: PyTorch's torch.nn.init in camelCase. Every initializer fills its tensor in
 * place without recording (under noGrad) and returns it; random values come from the default
 * generator (`tg.manualSeed`), drawn with `rand`/`randn` and copied in, so the tensor keeps its
 * identity (a Parameter stays registered) and its version counter is bumped once.
 */
import { noGrad } from '../autograd/grad_mode';
import { rand, randn, tensor } from '../creation';
import { ArgumentTypeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { warn } from '../warnings';

/** Nonlinearity names of `calculateGain` (PyTorch's snake_case, or the camelCase spelling). */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'leakyRelu' | 'selu';

/** Which fan the kaiming initializers preserve. */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

const snake = (s: string): string => s.replace(/([A-Z])/g, '_$1').toLowerCase();

function checkTensor(t: unknown, fn: string): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentTypeError(`${fn}(): argument 'tensor' must be Tensor`);
  return t;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's table): 1 for linear/conv/sigmoid, 5/3
 * for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope `param`, default
 * 0.01) and 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity | string, param?: number | null): number {
  const n = snake(nonlinearity);
  const linearFns = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
  if (linearFns.includes(n) || n === 'sigmoid') return 1;
  if (n === 'tanh') return 5 / 3;
  if (n === 'relu') return Math.sqrt(2);
  if (n === 'leaky_relu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== 'number' || typeof param === 'boolean') throw new ValueError(`negative_slope ${param} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2 / (1 + slope * slope));
  }
  if (n === 'selu') return 3 / 4;
  throw new ValueError(`Unsupported nonlinearity ${nonlinearity}`);
}

/**
 * `[fanIn, fanOut]` of a weight: `size(1) * receptive` and `size(0) * receptive`, where
 * receptive is the product of the dims after the first two (a conv kernel's size).
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  const shape = checkTensor(t, 'calculateFanInAndFanOut').shape;
  if (shape.length < 2) throw new ValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (const s of shape.slice(2)) receptive *= s;
  return [shape[1] * receptive, shape[0] * receptive];
}

function calculateCorrectFan(t: Tensor, mode: FanMode | string): number {
  const m = snake(mode);
  if (m !== 'fan_in' && m !== 'fan_out') throw new ValueError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return m === 'fan_in' ? fanIn : fanOut;
}

function fill(t: Tensor, make: () => Tensor): Tensor {
  noGrad(() => {
    const v = make();
    t.copy_(v);
    v.dispose();
  });
  return t;
}

function floatDtype(t: Tensor): 'float32' | 'float64' {
  return t.dtype === 'float64' ? 'float64' : 'float32';
}

/** Fills with values drawn from U(a, b) (defaults 0 and 1). */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  checkTensor(t, 'uniform_');
  return fill(t, () => rand(t.shape, { dtype: floatDtype(t) }).mul(b - a).add(a));
}

/** Fills with values drawn from N(mean, std^2) (defaults 0 and 1). */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  checkTensor(t, 'normal_');
  return fill(t, () => randn(t.shape, { dtype: floatDtype(t) }).mul(std).add(mean));
}

/** Fills with `val`. */
export function constant_(t: Tensor, val: number): Tensor {
  checkTensor(t, 'constant_');
  noGrad(() => t.fill_(val));
  return t;
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills a 2-D tensor with the identity (ones on the diagonal). */
export function eye_(t: Tensor): Tensor {
  checkTensor(t, 'eye_');
  if (t.dim() !== 2) throw new ValueError('Only tensors with 2 dimensions are supported');
  const [n, m] = t.shape;
  const data = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return fill(t, () => tensor(data, { shape: [n, m], dtype: 'float64' }));
}

/** Xavier/Glorot uniform: U(-a, a) with `a = gain * sqrt(6 / (fanIn + fanOut))`. */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(checkTensor(t, 'xavierUniform_'));
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(t, -a, a);
}

/** Xavier/Glorot normal: N(0, std^2) with `std = gain * sqrt(2 / (fanIn + fanOut))`. */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(checkTensor(t, 'xavierNormal_'));
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** Options of the kaiming initializers. */
export interface KaimingOptions {
  /** Negative slope of the following leaky_relu (default 0). */
  a?: number;
  /** Preserve the variance of the forward ('fanIn', default) or backward ('fanOut') pass. */
  mode?: FanMode;
  /** The nonlinearity after this layer (default 'leaky_relu'). */
  nonlinearity?: Nonlinearity;
}

function zeroElement(t: Tensor): boolean {
  if (t.numel() !== 0) return false;
  warn('Initializing zero-element tensors is a no-op');
  return true;
}

/** Kaiming/He uniform: U(-bound, bound) with `bound = gain * sqrt(3 / fan)`. */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  checkTensor(t, 'kaimingUniform_');
  if (zeroElement(t)) return t;
  const fan = calculateCorrectFan(t, opts.mode ?? 'fan_in');
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  const bound = Math.sqrt(3) * (gain / Math.sqrt(fan));
  return uniform_(t, -bound, bound);
}

/** Kaiming/He normal: N(0, std^2) with `std = gain / sqrt(fan)`. */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  checkTensor(t, 'kaimingNormal_');
  if (zeroElement(t)) return t;
  const fan = calculateCorrectFan(t, opts.mode ?? 'fan_in');
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(fan));
}

const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;

// Abramowitz-Stegun 7.1.26 is too coarse for the truncation bounds; this uses the series /
// continued fraction split, accurate to ~1e-15, for the two scalar bounds only.
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = ax, term = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // erfc(ax) by Lentz's continued fraction
  let f = ax, C = ax, D = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    D = ax + an * D;
    D = 1 / D;
    C = ax + an / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/**
 * Truncated normal: N(mean, std^2) restricted to [a, b] (defaults 0, 1, -2, 2), drawn by
 * inverse-CDF sampling as PyTorch does.
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
  checkTensor(t, 'truncNormal_');
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warn('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.');
  }
  const l = normCdf((a - mean) / std), u = normCdf((b - mean) / std);
  return fill(t, () =>
    rand(t.shape, { dtype: floatDtype(t) })
      .mul(2 * u - 1 - (2 * l - 1))
      .add(2 * l - 1)
      .erfinv()
      .mul(std * Math.SQRT2)
      .add(mean)
      .clamp(a, b),
  );
}

/**
 * Fills with a (semi-)orthogonal matrix: the Q factor of a Gaussian matrix's QR
 * decomposition, signs fixed by R's diagonal, times `gain`; trailing dims are flattened.
 * The QR runs here in float64 (Householder), once per initialisation.
 */
export function orthogonal_(t: Tensor, gain = 1): Tensor {
  checkTensor(t, 'orthogonal_');
  if (t.dim() < 2) throw new ValueError('Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  const g = noGrad(() => randn([rows, cols], { dtype: 'float64' }));
  // Work on a tall m x n matrix (m >= n): the transpose when the weight is wide.
  const wide = rows < cols;
  const m = wide ? cols : rows, n = wide ? rows : cols;
  const src = g.data() as Float64Array;
  const A = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) A[wide ? j * n + i : i * n + j] = src[i * cols + j];
  g.dispose();
  const Q = householderQ(A, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (wide ? Q[j * n + i] : Q[i * n + j]);
  return fill(t, () => tensor(out, { shape: t.shape, dtype: 'float64' }));
}

/**
 * The m x n Q factor (m >= n) of A's QR decomposition with R's diagonal made positive (the
 * `q * sign(diag(r))` step of PyTorch's orthogonal_).
 */
function householderQ(A: Float64Array, m: number, n: number): Float64Array {
  const R = Float64Array.from(A);
  const vs: Float64Array[] = [];
  const signs: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += R[i * n + k] * R[i * n + k];
    norm = Math.sqrt(norm);
    const x0 = R[k * n + k];
    const alpha = x0 >= 0 ? -norm : norm; // R[k][k] becomes alpha
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = R[i * n + k];
    v[k] -= alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i] * v[i];
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i] * R[i * n + j];
        const f = (2 * dot) / vn;
        for (let i = k; i < m; i++) R[i * n + j] -= f * v[i];
      }
    }
    vs.push(v);
    signs.push(vn > 0 ? (alpha >= 0 ? 1 : -1) : x0 >= 0 ? 1 : -1);
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  const Q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) Q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i] * v[i];
    if (vn === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * Q[i * n + j];
      const f = (2 * dot) / vn;
      for (let i = k; i < m; i++) Q[i * n + j] -= f * v[i];
    }
  }
  for (let j = 0; j < n; j++) if (signs[j] < 0) for (let i = 0; i < m; i++) Q[i * n + j] = -Q[i * n + j];
  return Q;
}
