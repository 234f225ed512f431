// Expected strings were produced by running real PyTorch 2.13.0+cpu (CPU) on the Python
// expression beside each case: repr(t) for formatTensor, torch._tensor_str._tensor_str(t, 7) for
// formatData. PyTorch's suffix spellings were mapped to tensorgrad's inside PyTorch's own
// _add_suffixes (dtype=torch.float64 -> dtype=float64, requires_grad=True -> requiresGrad=true,
// grad_fn=<X> -> gradFn=<X>) so that suffix line-wrapping is computed for our spellings.
import { formatData, formatTensor, FormatInput } from '../lib/format';

describe('format (PyTorch repr compatibility)', () => {
  test("0-d float with gradFn", () => {
    // repr(torch.tensor(28.83, requires_grad=True).mean())
    const input: FormatInput = { data: [28.83], shape: [], dtype: 'float32' };
    expect(formatTensor(input, ["gradFn=<MeanBackward0>"])).toBe("tensor(28.8300, gradFn=<MeanBackward0>)");
  });

  test("0-d float32 rounding (4.6499996)", () => {
    // repr(torch.tensor(4.6499996))
    const input: FormatInput = { data: [4.6499996], shape: [], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor(4.6500)");
  });

  test("0-d int", () => {
    // repr(torch.tensor(5))
    const input: FormatInput = { data: [5], shape: [], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor(5)");
  });

  test("0-d negative zero", () => {
    // repr(torch.tensor(-0.))
    const input: FormatInput = { data: [-0.0], shape: [], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor(-0.)");
  });

  test("0-d bool", () => {
    // repr(torch.tensor(True))
    const input: FormatInput = { data: [true], shape: [], dtype: 'bool' };
    expect(formatTensor(input)).toBe("tensor(True)");
  });

  test("0-d nan", () => {
    // repr(torch.tensor(float('nan')))
    const input: FormatInput = { data: [NaN], shape: [], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor(nan)");
  });

  test("0-d float64 sci", () => {
    // repr(torch.tensor(1.5e-7, dtype=torch.float64))
    const input: FormatInput = { data: [1.5e-07], shape: [], dtype: 'float64' };
    expect(formatTensor(input)).toBe("tensor(1.5000e-07, dtype=float64)");
  });

  test("1-D ints", () => {
    // repr(torch.tensor([1, 2, 3]))
    const input: FormatInput = { data: [1, 2, 3], shape: [3], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([1, 2, 3])");
  });

  test("1-D int32 suffix", () => {
    // repr(torch.tensor([1, -2, 300], dtype=torch.int32))
    const input: FormatInput = { data: [1, -2, 300], shape: [3], dtype: 'int32' };
    expect(formatTensor(input)).toBe("tensor([  1,  -2, 300], dtype=int32)");
  });

  test("1-D uint8 suffix", () => {
    // repr(torch.tensor([0, 255, 7], dtype=torch.uint8))
    const input: FormatInput = { data: [0, 255, 7], shape: [3], dtype: 'uint8' };
    expect(formatTensor(input)).toBe("tensor([  0, 255,   7], dtype=uint8)");
  });

  test("1-D int64 beyond 2^53 as bigint", () => {
    // repr(torch.tensor([2**62, -5]))
    const input: FormatInput = { data: [4611686018427387904n, -5], shape: [2], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([4611686018427387904,                  -5])");
  });

  test("1-D floats", () => {
    // repr(torch.tensor([0.1, 2.5]))
    const input: FormatInput = { data: [0.1, 2.5], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([0.1000, 2.5000])");
  });

  test("1-D thirds (float32 rounding)", () => {
    // repr(torch.tensor([1/3, 2/3, -1/3]))
    const input: FormatInput = { data: [1 / 3, 2 / 3, -1 / 3], shape: [3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([ 0.3333,  0.6667, -0.3333])");
  });

  test("1-D int-mode floats", () => {
    // repr(torch.tensor([1., 2.]))
    const input: FormatInput = { data: [1.0, 2.0], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([1., 2.])");
  });

  test("1-D int-mode with negative zero", () => {
    // repr(torch.tensor([-0., 1.]))
    const input: FormatInput = { data: [-0.0, 1.0], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([-0., 1.])");
  });

  test("1-D negative zero non-int mode", () => {
    // repr(torch.tensor([-0., 1.5]))
    const input: FormatInput = { data: [-0.0, 1.5], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([-0.0000, 1.5000])");
  });

  test("1-D float64 suffix", () => {
    // repr(torch.tensor([1., 2.], dtype=torch.float64))
    const input: FormatInput = { data: [1.0, 2.0], shape: [2], dtype: 'float64' };
    expect(formatTensor(input)).toBe("tensor([1., 2.], dtype=float64)");
  });

  test("1-D bool", () => {
    // repr(torch.tensor([True, False]))
    const input: FormatInput = { data: [true, false], shape: [2], dtype: 'bool' };
    expect(formatTensor(input)).toBe("tensor([ True, False])");
  });

  test("sci: max/min ratio > 1000", () => {
    // repr(torch.tensor([1.0, 1001.0, 0.5]))
    const input: FormatInput = { data: [1.0, 1001.0, 0.5], shape: [3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([1.0000e+00, 1.0010e+03, 5.0000e-01])");
  });

  test("sci: 1e-5 and 1e5", () => {
    // repr(torch.tensor([1.0000e-05, 1.0000e+05]))
    const input: FormatInput = { data: [1e-05, 1e+05], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([1.0000e-05, 1.0000e+05])");
  });

  test("sci: values > 1e8 (int mode)", () => {
    // repr(torch.tensor([2e8, 3e8]))
    const input: FormatInput = { data: [2e+08, 3e+08], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([2.0000e+08, 3.0000e+08])");
  });

  test("sci: small values < 1e-4", () => {
    // repr(torch.tensor([5e-5, 6e-5]))
    const input: FormatInput = { data: [5e-05, 6e-05], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([5.0000e-05, 6.0000e-05])");
  });

  test("sci: negative mix", () => {
    // repr(torch.tensor([-1e-5, 2.0, -300.]))
    const input: FormatInput = { data: [-1e-05, 2.0, -3e+02], shape: [3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([-1.0000e-05,  2.0000e+00, -3.0000e+02])");
  });

  test("sci: carry to next power of ten", () => {
    // repr(torch.tensor([9.99996, 1e-3], dtype=torch.float64))
    const input: FormatInput = { data: [9.99996, 0.001], shape: [2], dtype: 'float64' };
    expect(formatTensor(input)).toBe("tensor([1.0000e+01, 1.0000e-03], dtype=float64)");
  });

  test("sci: 3-digit exponents float64", () => {
    // repr(torch.tensor([1e-100, 1e100], dtype=torch.float64))
    const input: FormatInput = { data: [1e-100, 1e+100], shape: [2], dtype: 'float64' };
    expect(formatTensor(input)).toBe("tensor([1.0000e-100, 1.0000e+100], dtype=float64)");
  });

  test("non-sci wide values", () => {
    // repr(torch.tensor([99999.5, 100.]))
    const input: FormatInput = { data: [99999.5, 1e+02], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([99999.5000,   100.0000])");
  });

  test("round half to even ties", () => {
    // repr(torch.tensor([0.03125, 1.03125]))
    const input: FormatInput = { data: [0.03125, 1.03125], shape: [2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([0.0312, 1.0312])");
  });

  test("negatives 2-D", () => {
    // repr(torch.tensor([[-1.5, 2.25], [3.125, -4.0]]))
    const input: FormatInput = { data: [-1.5, 2.25, 3.125, -4.0], shape: [2, 2], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[-1.5000,  2.2500],\n        [ 3.1250, -4.0000]])");
  });

  test("ints 2-D widths", () => {
    // repr(torch.tensor([[-100, 2], [3, 40000]]))
    const input: FormatInput = { data: [-100, 2, 3, 40000], shape: [2, 2], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([[ -100,     2],\n        [    3, 40000]])");
  });

  test("bool 2-D", () => {
    // repr(torch.tensor([[True], [False]]))
    const input: FormatInput = { data: [true, false], shape: [2, 1], dtype: 'bool' };
    expect(formatTensor(input)).toBe("tensor([[ True],\n        [False]])");
  });

  test("nan/inf mix", () => {
    // repr(torch.tensor([float('nan'), 1.5, float('inf'), -float('inf')]))
    const input: FormatInput = { data: [NaN, 1.5, Infinity, -Infinity], shape: [4], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([   nan, 1.5000,    inf,   -inf])");
  });

  test("nan/inf with integral floats", () => {
    // repr(torch.tensor([float('nan'), 1., float('-inf')]))
    const input: FormatInput = { data: [NaN, 1.0, -Infinity], shape: [3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([nan, 1., -inf])");
  });

  test("only nonfinite", () => {
    // repr(torch.tensor([float('nan'), float('-inf'), 0.]))
    const input: FormatInput = { data: [NaN, -Infinity, 0.0], shape: [3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([nan, -inf, 0.])");
  });

  test("nan with sci mode", () => {
    // repr(torch.tensor([float('nan'), 1e-6, 1.]))
    const input: FormatInput = { data: [NaN, 1e-06, 1.0], shape: [3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([       nan, 1.0000e-06, 1.0000e+00])");
  });

  test("2-D ones requiresGrad", () => {
    // repr(torch.ones(2, 2, requires_grad=True))
    const input: FormatInput = { data: [1.0, 1.0, 1.0, 1.0], shape: [2, 2], dtype: 'float32' };
    expect(formatTensor(input, ["requiresGrad=true"])).toBe("tensor([[1., 1.],\n        [1., 1.]], requiresGrad=true)");
  });

  test("3-D int-mode floats", () => {
    // repr(torch.arange(24.).reshape(2, 3, 4))
    const input: FormatInput = { data: [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 1e+01, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 2e+01, 21.0, 22.0, 23.0], shape: [2, 3, 4], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])");
  });

  test("4-D ints", () => {
    // repr(torch.arange(48).reshape(2, 3, 4, 2))
    const input: FormatInput = { data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47], shape: [2, 3, 4, 2], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([[[[ 0,  1],\n          [ 2,  3],\n          [ 4,  5],\n          [ 6,  7]],\n\n         [[ 8,  9],\n          [10, 11],\n          [12, 13],\n          [14, 15]],\n\n         [[16, 17],\n          [18, 19],\n          [20, 21],\n          [22, 23]]],\n\n\n        [[[24, 25],\n          [26, 27],\n          [28, 29],\n          [30, 31]],\n\n         [[32, 33],\n          [34, 35],\n          [36, 37],\n          [38, 39]],\n\n         [[40, 41],\n          [42, 43],\n          [44, 45],\n          [46, 47]]]])");
  });

  test("3-D float64 with grad", () => {
    // repr((torch.arange(12, dtype=torch.float64).reshape(2, 3, 2) / 4).requires_grad_())
    const input: FormatInput = { data: Array.from({ length: 12 }, (_, i) => i / 4), shape: [2, 3, 2], dtype: 'float64' };
    expect(formatTensor(input, ["requiresGrad=true"])).toBe("tensor([[[0.0000, 0.2500],\n         [0.5000, 0.7500],\n         [1.0000, 1.2500]],\n\n        [[1.5000, 1.7500],\n         [2.0000, 2.2500],\n         [2.5000, 2.7500]]], dtype=float64, requiresGrad=true)");
  });

  test("empty 1-D", () => {
    // repr(torch.tensor([]))
    const input: FormatInput = { data: [], shape: [0], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([])");
  });

  test("empty 2-D size suffix", () => {
    // repr(torch.zeros(0, 3))
    const input: FormatInput = { data: [], shape: [0, 3], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([], size=(0, 3))");
  });

  test("empty 3-D float64", () => {
    // repr(torch.zeros(2, 0, 4, dtype=torch.float64))
    const input: FormatInput = { data: [], shape: [2, 0, 4], dtype: 'float64' };
    expect(formatTensor(input)).toBe("tensor([], size=(2, 0, 4), dtype=float64)");
  });

  test("empty int64 prints dtype", () => {
    // repr(torch.tensor([], dtype=torch.int64))
    const input: FormatInput = { data: [], shape: [0], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([], dtype=int64)");
  });

  test("empty bool prints dtype", () => {
    // repr(torch.zeros(0, dtype=torch.bool))
    const input: FormatInput = { data: [], shape: [0], dtype: 'bool' };
    expect(formatTensor(input)).toBe("tensor([], dtype=bool)");
  });

  test("summarize arange(2000)", () => {
    // repr(torch.arange(2000))
    const input: FormatInput = { data: Array.from({ length: 2000 }, (_, i) => i), shape: [2000], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  });

  test("summarize arange(1001.) float int mode", () => {
    // repr(torch.arange(1001.))
    const input: FormatInput = { data: Array.from({ length: 1001 }, (_, i) => i), shape: [1001], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])");
  });

  test("summarize 100x100 matrix", () => {
    // repr(torch.arange(10000.).reshape(100, 100) / 7)
    const input: FormatInput = { data: Array.from({ length: 10000 }, (_, i) => i / 7), shape: [100, 100], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 1.3857e+01, 1.4000e+01,\n         1.4143e+01],\n        [1.4286e+01, 1.4429e+01, 1.4571e+01,  ..., 2.8143e+01, 2.8286e+01,\n         2.8429e+01],\n        [2.8571e+01, 2.8714e+01, 2.8857e+01,  ..., 4.2429e+01, 4.2571e+01,\n         4.2714e+01],\n        ...,\n        [1.3857e+03, 1.3859e+03, 1.3860e+03,  ..., 1.3996e+03, 1.3997e+03,\n         1.3999e+03],\n        [1.4000e+03, 1.4001e+03, 1.4003e+03,  ..., 1.4139e+03, 1.4140e+03,\n         1.4141e+03],\n        [1.4143e+03, 1.4144e+03, 1.4146e+03,  ..., 1.4281e+03, 1.4283e+03,\n         1.4284e+03]])");
  });

  test("summarize 3-D 11x10x10", () => {
    // repr(torch.arange(1100).reshape(11, 10, 10))
    const input: FormatInput = { data: Array.from({ length: 1100 }, (_, i) => i), shape: [11, 10, 10], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([[[   0,    1,    2,  ...,    7,    8,    9],\n         [  10,   11,   12,  ...,   17,   18,   19],\n         [  20,   21,   22,  ...,   27,   28,   29],\n         ...,\n         [  70,   71,   72,  ...,   77,   78,   79],\n         [  80,   81,   82,  ...,   87,   88,   89],\n         [  90,   91,   92,  ...,   97,   98,   99]],\n\n        [[ 100,  101,  102,  ...,  107,  108,  109],\n         [ 110,  111,  112,  ...,  117,  118,  119],\n         [ 120,  121,  122,  ...,  127,  128,  129],\n         ...,\n         [ 170,  171,  172,  ...,  177,  178,  179],\n         [ 180,  181,  182,  ...,  187,  188,  189],\n         [ 190,  191,  192,  ...,  197,  198,  199]],\n\n        [[ 200,  201,  202,  ...,  207,  208,  209],\n         [ 210,  211,  212,  ...,  217,  218,  219],\n         [ 220,  221,  222,  ...,  227,  228,  229],\n         ...,\n         [ 270,  271,  272,  ...,  277,  278,  279],\n         [ 280,  281,  282,  ...,  287,  288,  289],\n         [ 290,  291,  292,  ...,  297,  298,  299]],\n\n        ...,\n\n        [[ 800,  801,  802,  ...,  807,  808,  809],\n         [ 810,  811,  812,  ...,  817,  818,  819],\n         [ 820,  821,  822,  ...,  827,  828,  829],\n         ...,\n         [ 870,  871,  872,  ...,  877,  878,  879],\n         [ 880,  881,  882,  ...,  887,  888,  889],\n         [ 890,  891,  892,  ...,  897,  898,  899]],\n\n        [[ 900,  901,  902,  ...,  907,  908,  909],\n         [ 910,  911,  912,  ...,  917,  918,  919],\n         [ 920,  921,  922,  ...,  927,  928,  929],\n         ...,\n         [ 970,  971,  972,  ...,  977,  978,  979],\n         [ 980,  981,  982,  ...,  987,  988,  989],\n         [ 990,  991,  992,  ...,  997,  998,  999]],\n\n        [[1000, 1001, 1002,  ..., 1007, 1008, 1009],\n         [1010, 1011, 1012,  ..., 1017, 1018, 1019],\n         [1020, 1021, 1022,  ..., 1027, 1028, 1029],\n         ...,\n         [1070, 1071, 1072,  ..., 1077, 1078, 1079],\n         [1080, 1081, 1082,  ..., 1087, 1088, 1089],\n         [1090, 1091, 1092,  ..., 1097, 1098, 1099]]])");
  });

  test("summarize 2x600 sci mode", () => {
    // repr((torch.arange(1200.).reshape(2, 600) - 600) / 100000)
    const input: FormatInput = { data: Array.from({ length: 1200 }, (_, i) => (i - 600) / 100000), shape: [2, 600], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[-6.0000e-03, -5.9900e-03, -5.9800e-03,  ..., -3.0000e-05,\n         -2.0000e-05, -1.0000e-05],\n        [ 0.0000e+00,  1.0000e-05,  2.0000e-05,  ...,  5.9700e-03,\n          5.9800e-03,  5.9900e-03]])");
  });

  test("summarize 2x600 fixed mode", () => {
    // repr((torch.arange(1200.).reshape(2, 600) - 600) / 1000)
    const input: FormatInput = { data: Array.from({ length: 1200 }, (_, i) => (i - 600) / 1000), shape: [2, 600], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[-0.6000, -0.5990, -0.5980,  ..., -0.0030, -0.0020, -0.0010],\n        [ 0.0000,  0.0010,  0.0020,  ...,  0.5970,  0.5980,  0.5990]])");
  });

  test("summarize ignores hidden middle values for width/sci", () => {
    // repr(torch.cat([torch.ones(3), torch.full((1000,), 1e9), torch.ones(3)]))
    const input: FormatInput = { data: Array.from({ length: 1006 }, (_, i) => (i < 3 || i >= 1003 ? 1 : 1e9)), shape: [1006], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([1., 1., 1.,  ..., 1., 1., 1.])");
  });

  test("line wrap 1x30 randn-like", () => {
    // repr(torch.tensor([[-1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081, 0.1198, 1.2377, -0.1435, -0.1116, -0.6136, 0.0316, -0.4927, 0.2484, 0.4397, 0.1124, -0.8411, -2.316, -0.1023, 0.7924, -0.2897, 0.0525, 0.5229, 2.3022]]))
    const input: FormatInput = { data: [-1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081, 0.1198, 1.2377, -0.1435, -0.1116, -0.6136, 0.0316, -0.4927, 0.2484, 0.4397, 0.1124, -0.8411, -2.316, -0.1023, 0.7924, -0.2897, 0.0525, 0.5229, 2.3022], shape: [1, 30], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[-1.1258, -1.1524, -0.2506, -0.4339,  0.8487,  0.6920, -0.3160, -2.1152,\n          0.3223, -1.2633,  0.3500,  0.3081,  0.1198,  1.2377, -0.1435, -0.1116,\n         -0.6136,  0.0316, -0.4927,  0.2484,  0.4397,  0.1124, -0.8411, -2.3160,\n         -0.1023,  0.7924, -0.2897,  0.0525,  0.5229,  2.3022]])");
  });

  test("line wrap 1-D ints arange(40)", () => {
    // repr(torch.arange(40))
    const input: FormatInput = { data: Array.from({ length: 40 }, (_, i) => i), shape: [40], dtype: 'int64' };
    expect(formatTensor(input)).toBe("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n        36, 37, 38, 39])");
  });

  test("line wrap deep nesting 1x1x40", () => {
    // repr(torch.arange(40.).reshape(1, 1, 40) + 0.5)
    const input: FormatInput = { data: Array.from({ length: 40 }, (_, i) => i + 0.5), shape: [1, 1, 40], dtype: 'float32' };
    expect(formatTensor(input)).toBe("tensor([[[ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,\n           7.5000,  8.5000,  9.5000, 10.5000, 11.5000, 12.5000, 13.5000,\n          14.5000, 15.5000, 16.5000, 17.5000, 18.5000, 19.5000, 20.5000,\n          21.5000, 22.5000, 23.5000, 24.5000, 25.5000, 26.5000, 27.5000,\n          28.5000, 29.5000, 30.5000, 31.5000, 32.5000, 33.5000, 34.5000,\n          35.5000, 36.5000, 37.5000, 38.5000, 39.5000]]])");
  });

  test("suffix wraps to new line", () => {
    // repr(torch.tensor([[-0.7079, -0.1064, -1.2427, -0.4762, -0.6859, -1.5051, 0.255, 1.8042, -0.4502, -0.483, 0.6577, 0.9387]], dtype=torch.float64).requires_grad_())
    const input: FormatInput = { data: [-0.7079, -0.1064, -1.2427, -0.4762, -0.6859, -1.5051, 0.255, 1.8042, -0.4502, -0.483, 0.6577, 0.9387], shape: [1, 12], dtype: 'float64' };
    expect(formatTensor(input, ["requiresGrad=true"])).toBe("tensor([[-0.7079, -0.1064, -1.2427, -0.4762, -0.6859, -1.5051,  0.2550,  1.8042,\n         -0.4502, -0.4830,  0.6577,  0.9387]], dtype=float64,\n       requiresGrad=true)");
  });

  test("2-D float64 row wrap + gradFn", () => {
    // repr((torch.tensor([[-0.7079, -0.1064, -1.2427, -0.4762, -0.6859, -1.5051, 0.255, 1.8042, -0.4502, -0.483, 0.6577, 0.9387]] * 2, dtype=torch.float64, requires_grad=True) * 2))
    const input: FormatInput = { data: [...[-0.7079, -0.1064, -1.2427, -0.4762, -0.6859, -1.5051, 0.255, 1.8042, -0.4502, -0.483, 0.6577, 0.9387], ...[-0.7079, -0.1064, -1.2427, -0.4762, -0.6859, -1.5051, 0.255, 1.8042, -0.4502, -0.483, 0.6577, 0.9387]].map((v) => v * 2), shape: [2, 12], dtype: 'float64' };
    expect(formatTensor(input, ["gradFn=<MulBackward0>"])).toBe("tensor([[-1.4158, -0.2128, -2.4854, -0.9524, -1.3718, -3.0102,  0.5100,  3.6084,\n         -0.9004, -0.9660,  1.3154,  1.8774],\n        [-1.4158, -0.2128, -2.4854, -0.9524, -1.3718, -3.0102,  0.5100,  3.6084,\n         -0.9004, -0.9660,  1.3154,  1.8774]], dtype=float64,\n       gradFn=<MulBackward0>)");
  });

  test("formatData 2-D", () => {
    // torch._tensor_str._tensor_str(torch.ones(2, 2), 7)
    const input: FormatInput = { data: [1.0, 1.0, 1.0, 1.0], shape: [2, 2], dtype: 'float32' };
    expect(formatData(input)).toBe("[[1., 1.],\n        [1., 1.]]");
  });

  test("formatData 0-d", () => {
    // torch._tensor_str._tensor_str(torch.tensor(3.25), 7)
    const input: FormatInput = { data: [3.25], shape: [], dtype: 'float32' };
    expect(formatData(input)).toBe("3.2500");
  });

  test("formatData empty", () => {
    // torch._tensor_str._tensor_str(torch.zeros(0, 3), 7)
    const input: FormatInput = { data: [], shape: [0, 3], dtype: 'float32' };
    expect(formatData(input)).toBe("[]");
  });

  test('rejects data/shape mismatch', () => {
    expect(() => formatTensor({ data: [1, 2, 3], shape: [2, 2], dtype: 'float32' })).toThrow();
  });
});
