// Exported tensor functions: creation, reading, ops. Functions that make a tensor take the
// fresh JS handle object first and return op_result (its new id, or an existing wrapper).
#include <cstring>
#include "binding/api.h"
#include "binding/convert.h"
#include "core/allocator.h"
#include "core/rng.h"
#include "cpu/gemm.h"
#include "cpu/parallel.h"
#include "cpu/vec.h"
#include "ops/helpers.h"

namespace tg {
namespace binding {
namespace {

#define RESULT(expr) return op_result(info.Env(), info[0], (expr))

// ---- creation ----
Napi::Value FromData(const Napi::CallbackInfo& info) {
  // (out, typedArray, shape, dtype): the typed array's element type matches dtype.
  expect_args(info, 4, "tensor");
  Shape shape = shape_arg(info, 2);
  DType dt = dtype_arg(info, 3);
  if (!info[1].IsTypedArray()) throw Error(ErrorKind::Type, "tensor: expected data as a TypedArray");
  Napi::TypedArray ta = info[1].As<Napi::TypedArray>();
  int64_t n = numel_of(shape);
  size_t bytes = static_cast<size_t>(n) * dtype_size(dt);
  if (ta.ByteLength() != bytes)
    throw Error(ErrorKind::Shape, str("tensor: data has ", ta.ByteLength(), " bytes, shape ", shape_str(shape), " needs ", bytes));
  const char* src = static_cast<const char*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  RESULT(from_host(src, shape, dt));
}

Napi::Value Full(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "full");
  RESULT(full(shape_arg(info, 1), Scalar(num_arg(info, 2, "fill value")), dtype_arg(info, 3)));
}

Napi::Value Empty(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "empty");
  RESULT(empty(shape_arg(info, 1), dtype_arg(info, 2)));
}

Napi::Value Arange(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "arange");
  RESULT(arange(num_arg(info, 1), num_arg(info, 2), num_arg(info, 3), dtype_arg(info, 4)));
}

Napi::Value Linspace(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "linspace");
  RESULT(linspace(num_arg(info, 1), num_arg(info, 2), int_arg(info, 3, "steps"), dtype_arg(info, 4)));
}

Napi::Value Eye(const Napi::CallbackInfo& info) {
  expect_args(info, 4, "eye");
  RESULT(eye(int_arg(info, 1, "n"), int_arg(info, 2, "m"), dtype_arg(info, 3)));
}

Napi::Value Rand(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "rand");
  RESULT(rand(shape_arg(info, 1), dtype_arg(info, 2)));
}

Napi::Value Randn(const Napi::CallbackInfo& info) {
  expect_args(info, 3, "randn");
  RESULT(randn(shape_arg(info, 1), dtype_arg(info, 2)));
}

Napi::Value Randint(const Napi::CallbackInfo& info) {
  expect_args(info, 5, "randint");
  RESULT(randint(int_arg(info, 1, "low"), int_arg(info, 2, "high"), shape_arg(info, 3), dtype_arg(info, 4)));
}

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  default_generator().seed(static_cast<uint64_t>(int_arg(info, 0, "seed")));
  return info.Env().Undefined();
}

// ---- reading ----
Napi::Value Meta(const Napi::CallbackInfo& info) {
  // [shape, dtype, requiresGrad, isLeaf]: one crossing for what printing needs.
  Tensor t = tensor_arg(info, 0);
  Napi::Array a = Napi::Array::New(info.Env(), 2);
  a.Set(0u, shape_to_js(info.Env(), t.sizes()));
  a.Set(1u, Napi::String::New(info.Env(), dtype_name(t.dtype())));
  return a;
}

Napi::Value ShapeOf(const Napi::CallbackInfo& info) { return shape_to_js(info.Env(), tensor_arg(info, 0).sizes()); }
Napi::Value StridesOf(const Napi::CallbackInfo& info) { return shape_to_js(info.Env(), tensor_arg(info, 0).strides()); }
Napi::Value DtypeOf(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), dtype_name(tensor_arg(info, 0).dtype()));
}
Napi::Value DeviceOf(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), tensor_arg(info, 0).device().str());
}
Napi::Value Numel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(tensor_arg(info, 0).numel()));
}
Napi::Value Dim(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(tensor_arg(info, 0).dim()));
}
Napi::Value IsContiguous(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensor_arg(info, 0).is_contiguous());
}
Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), tensor_arg(info, 0).impl()->version());
}
Napi::Value StorageOffset(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(tensor_arg(info, 0).impl()->offset()));
}
Napi::Value SameStorage(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensor_arg(info, 0).shares_storage(tensor_arg(info, 1)));
}

// A contiguous host copy as the matching TypedArray (int64 as BigInt64Array, bool as Uint8Array).
Napi::Value Data(const Napi::CallbackInfo& info) {
  Tensor t = contiguous_raw(tensor_arg(info, 0));
  size_t bytes = static_cast<size_t>(t.numel()) * dtype_size(t.dtype());
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(info.Env(), bytes);
  if (bytes) backend_of(t).to_host(buf.Data(), t);
  size_t n = static_cast<size_t>(t.numel());
  switch (t.dtype()) {
    case DType::Float32: return Napi::Float32Array::New(info.Env(), n, buf, 0);
    case DType::Float64: return Napi::Float64Array::New(info.Env(), n, buf, 0);
    case DType::Int32: return Napi::Int32Array::New(info.Env(), n, buf, 0);
    case DType::Int64: return Napi::BigInt64Array::New(info.Env(), n, buf, 0);
    case DType::Bool: case DType::UInt8: return Napi::Uint8Array::New(info.Env(), n, buf, 0);
  }
  return info.Env().Undefined();
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  Tensor t = tensor_arg(info, 0);
  TG_CHECK(t.numel() == 1, "a Tensor with ", t.numel(), " elements cannot be converted to Scalar");
  Tensor c = Tensor::empty({}, DType::Float64, t.device());
  backend_of(t).copy(c, Tensor::view_of(t, {}, {}, t.impl()->offset()));
  double v;
  backend_of(c).to_host(&v, c);
  if (t.dtype() == DType::Bool) return Napi::Boolean::New(info.Env(), v != 0);
  return Napi::Number::New(info.Env(), v);
}

// ---- elementwise ----
Napi::Value Binary(const Napi::CallbackInfo& info) {
  // (out, op, a, b, alpha)
  auto op = static_cast<BinaryOp>(int_arg(info, 1));
  Tensor a = tensor_arg(info, 2, "input"), b = tensor_arg(info, 3, "other");
  Scalar alpha = info.Length() > 4 && !info[4].IsUndefined() ? scalar_arg(info, 4) : Scalar::integer(1);
  switch (op) {
    case BinaryOp::Add: RESULT(add(a, b, alpha));
    case BinaryOp::Sub: RESULT(sub(a, b, alpha));
    case BinaryOp::Mul: RESULT(mul(a, b));
    case BinaryOp::Div: RESULT(div(a, b));
    case BinaryOp::Pow: RESULT(pow(a, b));
    case BinaryOp::Maximum: RESULT(maximum(a, b));
    case BinaryOp::Minimum: RESULT(minimum(a, b));
    default: RESULT(compare(op, a, b));
  }
}

Napi::Value BinaryScalar(const Napi::CallbackInfo& info) {
  // (out, op, a, scalar, alpha, reversed): reversed computes scalar op a.
  auto op = static_cast<BinaryOp>(int_arg(info, 1));
  Tensor a = tensor_arg(info, 2, "input");
  Scalar s = scalar_arg(info, 3);
  Scalar alpha = info.Length() > 4 && !info[4].IsUndefined() ? scalar_arg(info, 4) : Scalar::integer(1);
  bool reversed = info.Length() > 5 && bool_arg(info, 5);
  if (reversed) {
    switch (op) {
      case BinaryOp::Add: RESULT(add(a, s));
      case BinaryOp::Mul: RESULT(mul(a, s));
      case BinaryOp::Sub: RESULT(rsub(a, s));
      case BinaryOp::Div: RESULT(rdiv(a, s));
      case BinaryOp::Pow: RESULT(pow(s, a));
      default: break;
    }
  }
  switch (op) {
    case BinaryOp::Add: RESULT(add(a, s, alpha));
    case BinaryOp::Sub: RESULT(sub(a, s, alpha));
    case BinaryOp::Mul: RESULT(mul(a, s));
    case BinaryOp::Div: RESULT(div(a, s));
    case BinaryOp::Pow: RESULT(pow(a, s));
    case BinaryOp::Maximum: case BinaryOp::Minimum: {
      Tensor st = scalar_tensor(s, result_type_with_scalar(a.dtype(), s.kind), a.device());
      RESULT(op == BinaryOp::Maximum ? maximum(a, st) : minimum(a, st));
    }
    default: RESULT(compare(op, a, s));
  }
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  RESULT(unary(static_cast<UnaryOp>(int_arg(info, 1)), tensor_arg(info, 2, "input")));
}

Napi::Value Clamp(const Napi::CallbackInfo& info) {
  RESULT(clamp(tensor_arg(info, 1, "input"), opt_num_arg(info, 2), opt_num_arg(info, 3)));
}

Napi::Value Where(const Napi::CallbackInfo& info) {
  RESULT(where(tensor_arg(info, 1, "condition"), tensor_arg(info, 2, "input"), tensor_arg(info, 3, "other")));
}

// ---- reductions ----
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  // (out, op, a, dims | null, keepdim)
  auto op = static_cast<ReduceOp>(int_arg(info, 1));
  Tensor a = tensor_arg(info, 2, "input");
  bool all = info[3].IsNull() || info[3].IsUndefined();
  std::vector<int64_t> dims = all ? std::vector<int64_t>{} : ints_arg(info, 3);
  bool keepdim = info.Length() > 4 && bool_arg(info, 4);
  switch (op) {
    case ReduceOp::Sum: RESULT(all ? sum(a) : sum(a, dims, keepdim));
    case ReduceOp::Mean: RESULT(all ? mean(a) : mean(a, dims, keepdim));
    case ReduceOp::Max: RESULT(amax_all(a));
    case ReduceOp::Min: RESULT(amin_all(a));
    default: break;
  }
  throw Error(ErrorKind::NotImplemented, "reduction not implemented");
}

// (outValues, outIndices, a, dim, keepdim, isMax) -> [values, indices]
Napi::Value ExtremeDim(const Napi::CallbackInfo& info) {
  Tensor a = tensor_arg(info, 2, "input");
  int64_t dim = int_arg(info, 3, "dim");
  bool keepdim = bool_arg(info, 4);
  auto r = bool_arg(info, 5) ? max_dim(a, dim, keepdim) : min_dim(a, dim, keepdim);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, op_result(info.Env(), info[0], r.first));
  out.Set(1u, op_result(info.Env(), info[1], r.second));
  return out;
}

// (out, a, dim | null, keepdim, isMax)
Napi::Value ArgExtreme(const Napi::CallbackInfo& info) {
  Tensor a = tensor_arg(info, 1, "input");
  std::optional<int64_t> dim;
  if (!info[2].IsNull() && !info[2].IsUndefined()) dim = int_arg(info, 2, "dim");
  bool keepdim = bool_arg(info, 3);
  RESULT(bool_arg(info, 4) ? argmax(a, dim, keepdim) : argmin(a, dim, keepdim));
}

Napi::Value SumTo(const Napi::CallbackInfo& info) { RESULT(sum_to(tensor_arg(info, 1), shape_arg(info, 2))); }

// ---- linear algebra ----
Napi::Value Mm(const Napi::CallbackInfo& info) { RESULT(mm(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "mat2"))); }
Napi::Value Bmm(const Napi::CallbackInfo& info) { RESULT(bmm(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "mat2"))); }
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  RESULT(matmul(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "other")));
}
Napi::Value Dot(const Napi::CallbackInfo& info) { RESULT(dot(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "other"))); }
Napi::Value Mv(const Napi::CallbackInfo& info) { RESULT(mv(tensor_arg(info, 1, "input"), tensor_arg(info, 2, "vec"))); }

// ---- shape ----
Napi::Value View(const Napi::CallbackInfo& info) { RESULT(view(tensor_arg(info, 1), shape_arg(info, 2))); }
Napi::Value Reshape(const Napi::CallbackInfo& info) { RESULT(reshape(tensor_arg(info, 1), shape_arg(info, 2))); }
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  RESULT(transpose(tensor_arg(info, 1), int_arg(info, 2, "dim0"), int_arg(info, 3, "dim1")));
}
Napi::Value T(const Napi::CallbackInfo& info) { RESULT(t(tensor_arg(info, 1))); }
Napi::Value Permute(const Napi::CallbackInfo& info) { RESULT(permute(tensor_arg(info, 1), ints_arg(info, 2))); }
Napi::Value Expand(const Napi::CallbackInfo& info) { RESULT(expand(tensor_arg(info, 1), shape_arg(info, 2))); }
Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  Tensor a = tensor_arg(info, 1);
  if (info.Length() < 3 || info[2].IsNull() || info[2].IsUndefined()) RESULT(squeeze(a));
  RESULT(squeeze(a, int_arg(info, 2, "dim")));
}
Napi::Value Unsqueeze(const Napi::CallbackInfo& info) { RESULT(unsqueeze(tensor_arg(info, 1), int_arg(info, 2, "dim"))); }
Napi::Value Contiguous(const Napi::CallbackInfo& info) { RESULT(contiguous(tensor_arg(info, 1))); }
Napi::Value Clone(const Napi::CallbackInfo& info) { RESULT(clone(tensor_arg(info, 1))); }
Napi::Value Detach(const Napi::CallbackInfo& info) { RESULT(detach(tensor_arg(info, 1))); }
Napi::Value ToDtype(const Napi::CallbackInfo& info) { RESULT(to_dtype(tensor_arg(info, 1), dtype_arg(info, 2))); }
Napi::Value AsStrided(const Napi::CallbackInfo& info) {
  RESULT(as_strided(tensor_arg(info, 1), shape_arg(info, 2), shape_arg(info, 3), int_arg(info, 4, "storage offset")));
}

// Basic indexing. spec: array of [kind, ...]: ["i", index], ["s", start|null, stop|null, step],
// ["n"] (new axis), ["e"] (ellipsis). Applies select/slice/unsqueeze left to right.
Tensor apply_index(const Tensor& t, const Napi::Array& spec) {
  int64_t consumed = 0;
  bool has_ellipsis = false;
  for (uint32_t k = 0; k < spec.Length(); ++k) {
    std::string kind = spec.Get(k).As<Napi::Array>().Get(0u).As<Napi::String>().Utf8Value();
    if (kind == "i" || kind == "s") consumed++;
    if (kind == "e") {
      TG_CHECK_INDEX(!has_ellipsis, "an index can only have a single ellipsis ('...')");
      has_ellipsis = true;
    }
  }
  TG_CHECK_INDEX(consumed <= t.dim(), "too many indices for tensor of dimension ", t.dim());
  Tensor r = t;
  bool changed = false;
  int64_t cur = 0;
  for (uint32_t k = 0; k < spec.Length(); ++k) {
    Napi::Array item = spec.Get(k).As<Napi::Array>();
    std::string kind = item.Get(0u).As<Napi::String>().Utf8Value();
    if (kind == "i") {
      double v = item.Get(1u).As<Napi::Number>().DoubleValue();
      r = select(r, cur, static_cast<int64_t>(v));
      changed = true;
    } else if (kind == "s") {
      auto opt = [&](uint32_t j) -> std::optional<int64_t> {
        Napi::Value v = item.Get(j);
        if (v.IsNull() || v.IsUndefined()) return std::nullopt;
        return static_cast<int64_t>(v.As<Napi::Number>().DoubleValue());
      };
      auto start = opt(1), stop = opt(2);
      int64_t step = opt(3).value_or(1);
      TG_CHECK_VALUE(step > 0, "step must be greater than zero");
      bool full = (!start || *start == 0) && (!stop || *stop >= r.size(cur)) && step == 1;
      if (!full) {
        r = slice(r, cur, start, stop, step);
        changed = true;
      }
      cur++;
    } else if (kind == "n") {
      r = unsqueeze(r, cur);
      changed = true;
      cur++;
    } else if (kind == "e") {
      cur += t.dim() - consumed;
    }
  }
  return changed ? r : alias(t);
}

Napi::Value Index(const Napi::CallbackInfo& info) {
  RESULT(apply_index(tensor_arg(info, 1), info[2].As<Napi::Array>()));
}

// (self, spec, value): value is a tensor id or a number; writes through the indexed view.
Napi::Value IndexSet(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 0);
  Tensor v = apply_index(self, info[1].As<Napi::Array>());
  if (info[3].ToBoolean().Value()) {
    fill_(v, scalar_arg(info, 2));
  } else {
    copy_(v, tensor_arg(info, 2, "value"));
  }
  return info.Env().Undefined();
}

// ---- in place: (self, ...) -> undefined ----
Napi::Value BinaryInplace(const Napi::CallbackInfo& info) {
  // (op, self, other, alpha, otherIsScalar)
  auto op = static_cast<BinaryOp>(int_arg(info, 0));
  Tensor self = tensor_arg(info, 1);
  bool is_scalar = bool_arg(info, 4);
  Scalar alpha = info[3].IsUndefined() ? Scalar::integer(1) : scalar_arg(info, 3);
  if (is_scalar) {
    Scalar s = scalar_arg(info, 2);
    switch (op) {
      case BinaryOp::Add: add_(self, s, alpha); break;
      case BinaryOp::Sub: sub_(self, s, alpha); break;
      case BinaryOp::Mul: mul_(self, s); break;
      case BinaryOp::Div: div_(self, s); break;
      case BinaryOp::Pow: pow_(self, s); break;
      default: throw Error(ErrorKind::NotImplemented, "in-place op not implemented");
    }
  } else {
    Tensor other = tensor_arg(info, 2, "other");
    switch (op) {
      case BinaryOp::Add: add_(self, other, alpha); break;
      case BinaryOp::Sub: sub_(self, other, alpha); break;
      case BinaryOp::Mul: mul_(self, other); break;
      case BinaryOp::Div: div_(self, other); break;
      default: throw Error(ErrorKind::NotImplemented, "in-place op not implemented");
    }
  }
  return info.Env().Undefined();
}

Napi::Value UnaryInplace(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 1);
  unary_(self, static_cast<UnaryOp>(int_arg(info, 0)));
  return info.Env().Undefined();
}

Napi::Value ClampInplace(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 0);
  clamp_(self, opt_num_arg(info, 1), opt_num_arg(info, 2));
  return info.Env().Undefined();
}

Napi::Value FillInplace(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 0);
  fill_(self, scalar_arg(info, 1));
  return info.Env().Undefined();
}

Napi::Value CopyInplace(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 0);
  copy_(self, tensor_arg(info, 1, "src"));
  return info.Env().Undefined();
}

// (out, self)
Napi::Value InplaceSnapshot(const Napi::CallbackInfo& info) { RESULT(inplace_snapshot(tensor_arg(info, 1))); }

Napi::Value AssignResult(const Napi::CallbackInfo& info) {
  Tensor self = tensor_arg(info, 0);
  assign_result_(self, tensor_arg(info, 1, "result"));
  return info.Env().Undefined();
}

// ---- memory ----
Napi::Value Release(const Napi::CallbackInfo& info) {
  release(info.Env(), static_cast<int32_t>(int_arg(info, 0)));
  return info.Env().Undefined();
}

Napi::Value ReleaseMany(const Napi::CallbackInfo& info) {
  Napi::Array ids = info[0].As<Napi::Array>();
  for (uint32_t i = 0; i < ids.Length(); ++i) release(info.Env(), ids.Get(i).As<Napi::Number>().Int32Value());
  report_external_memory(info.Env());
  return info.Env().Undefined();
}

Napi::Value MemoryStatsJs(const Napi::CallbackInfo& info) {
  MemoryStats s = allocator_for(kCPU).stats();
  EnvData& d = env_data(info.Env());
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("liveBytes", static_cast<double>(s.live_bytes));
  o.Set("cachedBytes", static_cast<double>(s.cached_bytes));
  o.Set("peakBytes", static_cast<double>(s.peak_bytes));
  o.Set("allocations", static_cast<double>(s.alloc_count));
  o.Set("cacheHits", static_cast<double>(s.cache_hits));
  o.Set("liveTensors", static_cast<double>(d.live_slots));
  return o;
}

Napi::Value EmptyCache(const Napi::CallbackInfo& info) {
  allocator_for(kCPU).empty_cache();
  return info.Env().Undefined();
}

Napi::Value ResetPeak(const Napi::CallbackInfo& info) {
  allocator_for(kCPU).reset_peak();
  return info.Env().Undefined();
}

Napi::Value Sweep(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(sweep(info.Env())));
}

Napi::Value SetYoungCollector(const Napi::CallbackInfo& info) {
  set_young_collector(info.Env(), info[0]);
  return info.Env().Undefined();
}

Napi::Value BlasName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), cpu::blas_name()); }

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int64_t n = int_arg(info, 0, "number of threads");
  TG_CHECK_VALUE(n >= 1 && n <= 1024, "setNumThreads: expected a number of threads between 1 and 1024, got ", n);
  cpu::set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value SimdLevel(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), cpu::vec().isa); }

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), cpu::get_num_threads()); }

}  // namespace

void register_tensor_api(Napi::Env env, Napi::Object exports) {
  auto def = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
#define TG_DEF(name, fn) def(name, guarded<fn>)
  TG_DEF("fromData", FromData);
  TG_DEF("full", Full);
  TG_DEF("empty", Empty);
  TG_DEF("arange", Arange);
  TG_DEF("linspace", Linspace);
  TG_DEF("eye", Eye);
  TG_DEF("rand", Rand);
  TG_DEF("randn", Randn);
  TG_DEF("randint", Randint);
  TG_DEF("manualSeed", ManualSeed);
  TG_DEF("meta", Meta);
  TG_DEF("shape", ShapeOf);
  TG_DEF("strides", StridesOf);
  TG_DEF("dtype", DtypeOf);
  TG_DEF("device", DeviceOf);
  TG_DEF("numel", Numel);
  TG_DEF("dim", Dim);
  TG_DEF("isContiguous", IsContiguous);
  TG_DEF("version", Version);
  TG_DEF("storageOffset", StorageOffset);
  TG_DEF("sameStorage", SameStorage);
  TG_DEF("data", Data);
  TG_DEF("item", Item);
  TG_DEF("binary", Binary);
  TG_DEF("binaryScalar", BinaryScalar);
  TG_DEF("unary", Unary);
  TG_DEF("clamp", Clamp);
  TG_DEF("where", Where);
  TG_DEF("reduce", Reduce);
  TG_DEF("sumTo", SumTo);
  TG_DEF("extremeDim", ExtremeDim);
  TG_DEF("argExtreme", ArgExtreme);
  TG_DEF("mm", Mm);
  TG_DEF("bmm", Bmm);
  TG_DEF("matmul", Matmul);
  TG_DEF("dot", Dot);
  TG_DEF("mv", Mv);
  TG_DEF("view", View);
  TG_DEF("reshape", Reshape);
  TG_DEF("transpose", Transpose);
  TG_DEF("t", T);
  TG_DEF("permute", Permute);
  TG_DEF("expand", Expand);
  TG_DEF("squeeze", Squeeze);
  TG_DEF("unsqueeze", Unsqueeze);
  TG_DEF("contiguous", Contiguous);
  TG_DEF("clone", Clone);
  TG_DEF("detach", Detach);
  TG_DEF("toDtype", ToDtype);
  TG_DEF("asStrided", AsStrided);
  TG_DEF("index", Index);
  TG_DEF("indexSet", IndexSet);
  TG_DEF("binaryInplace", BinaryInplace);
  TG_DEF("unaryInplace", UnaryInplace);
  TG_DEF("clampInplace", ClampInplace);
  TG_DEF("fillInplace", FillInplace);
  TG_DEF("copyInplace", CopyInplace);
  TG_DEF("inplaceSnapshot", InplaceSnapshot);
  TG_DEF("assignResult", AssignResult);
  TG_DEF("release", Release);
  TG_DEF("releaseMany", ReleaseMany);
  TG_DEF("memoryStats", MemoryStatsJs);
  TG_DEF("emptyCache", EmptyCache);
  TG_DEF("resetPeakMemory", ResetPeak);
  TG_DEF("sweep", Sweep);
  TG_DEF("setYoungCollector", SetYoungCollector);
  TG_DEF("blasName", BlasName);
  TG_DEF("setNumThreads", SetNumThreads);
  TG_DEF("getNumThreads", GetNumThreads);
  TG_DEF("simdLevel", SimdLevel);
#undef TG_DEF
}

}  // namespace binding
}  // namespace tg
