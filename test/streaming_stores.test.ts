// Results larger than the last-level cache are written with streaming (non-temporal) stores
// (csrc/cpu/vec_kernels.inc, Note [Streaming stores]), and the cheap ops loop over them with
// 256-bit vectors under AVX-512 (Note [DRAM-bound loops]). They must equal the plain-store
// path bit for bit (the in-place forms below write into an input, so they never stream), and
// the in-cache path, which runs the same op on a short slice. Two threads split the result
// at an arbitrary element, which exercises the unaligned head.
import * as tg from '../lib';

const N = (1 << 23) + 37; // 32 MiB + a ragged tail: over the streaming threshold

// f over slices of 1M elements (4 MiB results, written with plain stores), concatenated.
function inSlices(f: (x: tg.Tensor) => tg.Tensor): (x: tg.Tensor) => tg.Tensor {
  return (x) => tg.cat(Array.from({ length: Math.ceil(N / 2 ** 20) }, (_, i) => f(x.narrow(0, i * 2 ** 20, Math.min(2 ** 20, N - i * 2 ** 20)))));
}

describe.each([1, 2])('streamed float32 results equal plain stores, %i thread(s)', (threads) => {
  const saved = tg.getNumThreads();
  let a: tg.Tensor, b: tg.Tensor;
  beforeAll(() => {
    tg.setNumThreads(threads);
    tg.manualSeed(3);
    a = tg.randn(N);
    b = tg.tidy(() => tg.randn(N).add(3));
  });
  afterAll(() => {
    tg.setNumThreads(saved);
    a.dispose();
    b.dispose();
  });

  const cases: [string, (x: tg.Tensor, y: tg.Tensor) => tg.Tensor, (x: tg.Tensor, y: tg.Tensor) => tg.Tensor][] = [
    ['add', (x, y) => x.add(y), (x, y) => x.clone().add_(y)],
    ['add alpha', (x, y) => x.add(y, { alpha: -0.5 }), (x, y) => x.clone().add_(y, { alpha: -0.5 })],
    ['sub', (x, y) => x.sub(y), (x, y) => x.clone().sub_(y)],
    ['mul', (x, y) => x.mul(y), (x, y) => x.clone().mul_(y)],
    ['div', (x, y) => x.div(y), (x, y) => x.clone().div_(y)],
    ['exp', (x) => x.exp(), (x) => x.clone().exp_()],
    ['tanh', (x) => x.tanh(), (x) => x.clone().tanh_()],
    ['sigmoid', (x) => x.sigmoid(), (x) => x.clone().sigmoid_()],
    ['relu', (x) => x.relu(), (x) => x.clone().relu_()],
    ['abs', (x) => x.abs(), (x) => x.clone().abs_()],
    ['sqrt', (_x, y) => y.abs().sqrt(), (_x, y) => y.abs().sqrt_()],
    ['log', (_x, y) => y.abs().log(), (_x, y) => y.abs().log_()],
    ['sin', (x) => x.sin(), (x) => x.clone().sin_()],
    ['cos', (x) => x.cos(), (x) => x.clone().cos_()],
    ['clamp', (x) => x.clamp(-0.5, 0.7), (x) => x.clone().clamp_(-0.5, 0.7)],
    // No in-place forms: the plain-store side runs on slices below the streaming threshold.
    ['leakyRelu', (x) => x.leakyRelu(0.1), inSlices((x) => x.leakyRelu(0.1))],
    ['expm1', (x) => x.expm1(), inSlices((x) => x.expm1())],
  ];
  test.each(cases)('%s', (_name, streamed, plain) => {
    tg.tidy(() => {
      const got = streamed(a, b);
      expect(got.shape).toEqual([N]);
      expect(got.equal(plain(a, b))).toBe(true);
      for (const start of [0, N - 1000]) {
        const inCache = streamed(a.narrow(0, start, 1000), b.narrow(0, start, 1000));
        expect(got.narrow(0, start, 1000).equal(inCache)).toBe(true);
      }
    });
  });
});
