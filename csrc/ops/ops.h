// The tensor ops: forward rules (shape, dtype, device) plus a kernel call through the
// backend, and graph recording. Each family's forward and backward sit side by side in its
// file: creation, elementwise, reduce, linalg, shape (views), multi_view, inplace.
#pragma once
#include <optional>
#include "core/backend.h"
#include "core/scalar.h"
#include "core/tensor_impl.h"

namespace tg {

// ---- creation (creation.cpp) ----
Tensor empty(const Shape& sizes, DType dtype = kDefaultFloat, Device device = kCPU);
Tensor empty_strided(const Shape& sizes, const Shape& strides, DType dtype, Device device = kCPU);
Tensor full(const Shape& sizes, Scalar value, DType dtype = kDefaultFloat, Device device = kCPU);
Tensor zeros(const Shape& sizes, DType dtype = kDefaultFloat, Device device = kCPU);
Tensor ones(const Shape& sizes, DType dtype = kDefaultFloat, Device device = kCPU);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor scalar_tensor(Scalar value, DType dtype, Device device = kCPU);
Tensor arange(double start, double end, double step, DType dtype, Device device = kCPU);
Tensor linspace(double start, double end, int64_t steps, DType dtype, Device device = kCPU);
Tensor eye(int64_t n, int64_t m, DType dtype, Device device = kCPU);
Tensor rand(const Shape& sizes, DType dtype = kDefaultFloat, Device device = kCPU);
Tensor randn(const Shape& sizes, DType dtype = kDefaultFloat, Device device = kCPU);
Tensor randint(int64_t low, int64_t high, const Shape& sizes, DType dtype = DType::Int64, Device device = kCPU);
Tensor from_host(const void* data, const Shape& sizes, DType dtype, Device device = kCPU);

// ---- elementwise (elementwise.cpp) ----
Tensor add(const Tensor& a, const Tensor& b, Scalar alpha = Scalar::integer(1));
Tensor add(const Tensor& a, Scalar b, Scalar alpha = Scalar::integer(1));
Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha = Scalar::integer(1));
Tensor sub(const Tensor& a, Scalar b, Scalar alpha = Scalar::integer(1));
Tensor rsub(const Tensor& a, Scalar b);  // b - a
Tensor mul(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, Scalar b);
Tensor div(const Tensor& a, const Tensor& b);
// node_name: DivBackward1 where PyTorch's C++ composites divide by a Scalar (at::div(Tensor, Scalar)).
Tensor div(const Tensor& a, Scalar b, const char* node_name = "DivBackward0");
Tensor rdiv(const Tensor& a, Scalar b);  // b / a
Tensor pow(const Tensor& a, Scalar exponent);
Tensor pow(const Tensor& a, const Tensor& exponent);
Tensor pow(Scalar base, const Tensor& exponent);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor unary(UnaryOp op, const Tensor& a);  // neg, abs, exp, ... (no scalar parameters)
Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max);
Tensor compare(BinaryOp op, const Tensor& a, const Tensor& b);
Tensor compare(BinaryOp op, const Tensor& a, Scalar b);
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
// where(mask, g, 0) and where(mask, 0, g), the zero a broadcast scalar (no zero-filled
// tensor): the masks of backward formulas. Differentiable in g (WhereBackward0).
Tensor keep_where(const Tensor& mask, const Tensor& g);
Tensor zero_where(const Tensor& mask, const Tensor& g);
// grad where result > 0, else 0 (relu's backward, one pass).
Tensor threshold_backward(const Tensor& grad, const Tensor& result);
const char* unary_op_name(UnaryOp op);  // "exp"

inline Tensor neg(const Tensor& a) { return unary(UnaryOp::Neg, a); }
inline Tensor exp(const Tensor& a) { return unary(UnaryOp::Exp, a); }
inline Tensor log(const Tensor& a) { return unary(UnaryOp::Log, a); }
inline Tensor sqrt(const Tensor& a) { return unary(UnaryOp::Sqrt, a); }
inline Tensor abs(const Tensor& a) { return unary(UnaryOp::Abs, a); }
inline Tensor sign(const Tensor& a) { return unary(UnaryOp::Sign, a); }
inline Tensor relu(const Tensor& a) { return unary(UnaryOp::Relu, a); }
inline Tensor sin(const Tensor& a) { return unary(UnaryOp::Sin, a); }
inline Tensor cos(const Tensor& a) { return unary(UnaryOp::Cos, a); }
inline Tensor tanh(const Tensor& a) { return unary(UnaryOp::Tanh, a); }
inline Tensor sigmoid(const Tensor& a) { return unary(UnaryOp::Sigmoid, a); }

// ---- reductions (reduce.cpp) ----
Tensor sum(const Tensor& a);
Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim);
// Sums a broadcast gradient back down to `shape` (the inverse of expand).
Tensor sum_to(const Tensor& a, const Shape& shape);
Tensor amax_all(const Tensor& a);  // max(): ties share the gradient
Tensor amin_all(const Tensor& a);
// max(dim)/min(dim): values and int64 indices (first occurrence); the gradient goes to the
// returned index only (spec Q).
std::pair<Tensor, Tensor> max_dim(const Tensor& a, int64_t dim, bool keepdim);
std::pair<Tensor, Tensor> min_dim(const Tensor& a, int64_t dim, bool keepdim);
// Index of the max/min, over all elements (flattened) or along dim; never requires grad.
Tensor argmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim);
Tensor argmin(const Tensor& a, std::optional<int64_t> dim, bool keepdim);

// ---- linear algebra (linalg.cpp) ----
Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& v);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor matmul(const Tensor& a, const Tensor& b);

// ---- shape and views (shape.cpp) ----
Tensor view(const Tensor& a, const Shape& shape);
Tensor reshape(const Tensor& a, const Shape& shape);
// Reshapes a contiguous tensor that no one else views (a fresh result) without marking the
// output as a view of it: PyTorch's _unsafe_view (UnsafeViewBackward0).
Tensor unsafe_view(const Tensor& fresh, const Shape& shape);
Tensor transpose(const Tensor& a, int64_t d0, int64_t d1);
Tensor t(const Tensor& a);
Tensor permute(const Tensor& a, const std::vector<int64_t>& dims);
Tensor expand(const Tensor& a, const Shape& shape);
Tensor squeeze(const Tensor& a);
Tensor squeeze(const Tensor& a, int64_t dim, const char* node_name = "SqueezeBackward1");
Tensor unsqueeze(const Tensor& a, int64_t dim);
Tensor select(const Tensor& a, int64_t dim, int64_t index);
Tensor slice(const Tensor& a, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step);
Tensor alias(const Tensor& a);
Tensor as_strided(const Tensor& a, const Shape& sizes, const Shape& strides, int64_t storage_offset);
Tensor contiguous(const Tensor& a);
Tensor clone(const Tensor& a);
Tensor detach(const Tensor& a);
Tensor to_dtype(const Tensor& a, DType dtype);
// The backward of as_strided: scatters grad (laid out as out_geometry over a storage) back
// to a tensor of in_geometry over the same storage.
Tensor as_strided_backward(const Tensor& grad, const Shape& in_sizes, const Shape& in_strides, int64_t in_offset,
                           const Shape& out_strides, int64_t out_offset);

// ---- multi-output views (multi_view.cpp) ----
// Each returns views of `a` recorded on one node; the views may not be modified in place (H5).
TensorList unbind(const Tensor& a, int64_t dim);
TensorList split(const Tensor& a, int64_t split_size, int64_t dim);
TensorList split_with_sizes(const Tensor& a, const std::vector<int64_t>& split_sizes, int64_t dim);
TensorList chunk(const Tensor& a, int64_t chunks, int64_t dim);

// ---- in place (inplace.cpp) ----
Tensor& add_(Tensor& self, const Tensor& other, Scalar alpha = Scalar::integer(1));
Tensor& add_(Tensor& self, Scalar other, Scalar alpha = Scalar::integer(1));
Tensor& sub_(Tensor& self, const Tensor& other, Scalar alpha = Scalar::integer(1));
Tensor& sub_(Tensor& self, Scalar other, Scalar alpha = Scalar::integer(1));
Tensor& mul_(Tensor& self, const Tensor& other);
Tensor& mul_(Tensor& self, Scalar other);
Tensor& div_(Tensor& self, const Tensor& other);
Tensor& div_(Tensor& self, Scalar other);
Tensor& pow_(Tensor& self, Scalar exponent);
Tensor& unary_(Tensor& self, UnaryOp op);
Tensor& clamp_(Tensor& self, std::optional<double> min, std::optional<double> max);
Tensor& zero_(Tensor& self);
Tensor& fill_(Tensor& self, Scalar value);
Tensor& copy_(Tensor& self, const Tensor& src);
// In-place forms built from out-of-place ops (see inplace.cpp): the snapshot to compute on when
// the write is recorded, and the write of the op's result into self with history rebased.
Tensor inplace_snapshot(const Tensor& self);
Tensor& assign_result_(Tensor& self, const Tensor& result);

// Operators for backward formulas (all differentiable).
inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator*(const Tensor& a, double s) { return mul(a, Scalar(s)); }
inline Tensor operator-(const Tensor& a) { return neg(a); }

}  // namespace tg
