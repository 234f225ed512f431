#include "core/dtype.h"

namespace tg {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::Bool: case DType::UInt8: return 1;
    case DType::Int32: case DType::Float32: return 4;
    case DType::Int64: case DType::Float64: return 8;
  }
  return 1;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::Bool: return "bool";
    case DType::UInt8: return "uint8";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
  }
  return "?";
}

const char* dtype_legacy_name(DType t) {
  switch (t) {
    case DType::Bool: return "Bool";
    case DType::UInt8: return "Byte";
    case DType::Int32: return "Int";
    case DType::Int64: return "Long";
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
  }
  return "?";
}

bool dtype_from_name(const std::string& n, DType* out) {
  for (int i = 0; i < kNumDTypes; ++i) {
    if (n == dtype_name(static_cast<DType>(i))) { *out = static_cast<DType>(i); return true; }
  }
  return false;
}

static int category(DType t) { return t == DType::Bool ? 0 : is_floating(t) ? 2 : 1; }

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  // uint8 with a signed integer type of the same or larger size promotes to the larger.
  return static_cast<uint8_t>(a) > static_cast<uint8_t>(b) ? a : b;
}

DType result_type_with_scalar(DType tensor, ScalarKind scalar) {
  int scat = scalar == ScalarKind::Bool ? 0 : scalar == ScalarKind::Int ? 1 : 2;
  if (scat <= category(tensor)) return tensor;
  return scat == 2 ? kDefaultFloat : DType::Int64;
}

}  // namespace tg
