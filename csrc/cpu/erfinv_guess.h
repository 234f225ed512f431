// Giles' single-precision approximation of erfinv ("Approximating the erfinv function", GPU
// Computing Gems, 2011), relative error under 1e-6 on (-1, 1): the starting point of
// cpu_backend.cpp's scalar erfinv and of scripts/vec_ulp_exhaustive.cc's float64 reference,
// which both refine it on erf.
#pragma once
#include <cmath>

namespace tg {
namespace cpu {

inline double erfinv_initial_guess(double y) {
  double w = -std::log((1.0 - y) * (1.0 + y)), p;
  if (w < 5.0) {
    w -= 2.5;
    p = 2.81022636e-08; p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w; p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = std::sqrt(w) - 3.0;
    p = -0.000200214257; p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w; p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  return p * y;
}

}  // namespace cpu
}  // namespace tg
