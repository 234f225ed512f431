// The shape of one convolution, shared by ops/conv.cpp and the backends' conv kernels.
// Every convolution is described as its forward form y = conv(x, w): x [N, C, H, W],
// w [O, C / groups, kh, kw], y [N, O, Ho, Wo], with symmetric zero padding (ph, pw). A 1-d
// convolution is the 2-d one with H = kh = Ho = 1. A transposed convolution is this form's
// input gradient: its input plays y and its output plays x.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tg {

struct ConvGeometry {
  int64_t N = 0, C = 0, O = 0, groups = 1;
  int64_t H = 1, W = 1, kh = 1, kw = 1, Ho = 1, Wo = 1;
  int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t spatial = 2;  // 1 or 2: how many spatial dims the tensors show

  // Packs into / out of an OpNode's ints (the order is private to these two).
  std::vector<int64_t> pack() const { return {N, C, O, groups, H, W, kh, kw, Ho, Wo, sh, sw, ph, pw, dh, dw, spatial}; }
  static ConvGeometry unpack(const std::vector<int64_t>& v) {
    ConvGeometry g;
    int64_t* f[] = {&g.N, &g.C, &g.O, &g.groups, &g.H, &g.W, &g.kh, &g.kw, &g.Ho, &g.Wo,
                    &g.sh, &g.sw, &g.ph, &g.pw, &g.dh, &g.dw, &g.spatial};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); ++i) *f[i] = v[i];
    return g;
  }
};

}  // namespace tg
