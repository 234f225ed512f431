// The elementwise family beyond the foundation's ops: more unary math, the activations
// (parametrised through the unary kernel's p0/p1), binary math (atan2, fmod, lerp, ...),
// rounding-mode division and the comparison/logical/bitwise ops. Forward beside backward in
// elementwise_ext.cpp; every backward is written in differentiable tensor ops.
#pragma once
#include <optional>
#include <string>
#include "ops/ops.h"

namespace tg {

// A unary op of the family (exp2 ... logit): integer inputs compute in float32.
// p0/p1 are the kernel parameters (see TG_UNARY_OPS).
Tensor ew_unary(UnaryOp op, const Tensor& a, double p0 = 0, double p1 = 0);
Tensor hardtanh(const Tensor& a, double min_val, double max_val);
Tensor round_decimals(const Tensor& a, int64_t decimals);
Tensor nan_to_num(const Tensor& a, std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf);
Tensor logit(const Tensor& a, std::optional<double> eps);
// clamp with tensor bounds (either may be undefined, not both): ClampBackward0.
Tensor clamp_tensor(const Tensor& a, const Tensor& min, const Tensor& max);

// Binary ops of the family (atan2 ... bitwiseXor, logicalXor). `scalar_other` marks b as a
// Python number (a 0-d tensor made by the caller), which picks the scalar grad_fn variant.
Tensor ew_binary(BinaryOp op, const Tensor& a, const Tensor& b, bool scalar_other = false);
// div(a, b, rounding_mode): "trunc" or "floor" (integer division for integer dtypes).
Tensor div_mode(const Tensor& a, const Tensor& b, const std::string& mode, bool scalar_other = false);
Tensor lerp(const Tensor& a, const Tensor& end, const Tensor& weight);
Tensor lerp(const Tensor& a, const Tensor& end, double weight);
Tensor addcmul(const Tensor& a, const Tensor& t1, const Tensor& t2, double value);
Tensor addcdiv(const Tensor& a, const Tensor& t1, const Tensor& t2, double value);

// Comparisons and logical tests: bool results, never recorded.
Tensor isnan(const Tensor& a);
Tensor isinf(const Tensor& a);
Tensor isfinite(const Tensor& a);
Tensor logical_not(const Tensor& a);
Tensor bitwise_not(const Tensor& a);  // integer and bool tensors only
Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan);
bool equal(const Tensor& a, const Tensor& b);
bool any_true(const Tensor& boolean);  // whether any element of a bool tensor is true

// A number operand as a 0-d tensor of the dtype it takes next to `a` (type promotion).
Tensor scalar_operand(const Tensor& a, Scalar s);

}  // namespace tg
