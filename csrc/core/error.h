// Typed errors thrown by the core on bad user input. The binding maps each kind to a JS
// Error subclass (lib/errors.ts). Native code never aborts on user input: it throws these.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace tg {

enum class ErrorKind { Runtime, Shape, DType, Device, Index, Type, Value, NotImplemented };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& msg) : std::runtime_error(msg), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

namespace detail {
inline void append(std::ostringstream&) {}
template <typename T, typename... Rest>
void append(std::ostringstream& os, const T& v, const Rest&... rest) {
  os << v;
  append(os, rest...);
}
}  // namespace detail

template <typename... Args>
std::string str(const Args&... args) {
  std::ostringstream os;
  detail::append(os, args...);
  return os.str();
}

template <typename... Args>
[[noreturn]] void fail(ErrorKind kind, const Args&... args) {
  throw Error(kind, str(args...));
}

}  // namespace tg

// TG_CHECK(cond, "mm: expected 2-D tensor, got ", a.dim(), "-D")
#define TG_CHECK_KIND(kind, cond, ...) \
  do { if (!(cond)) ::tg::fail(kind, __VA_ARGS__); } while (0)
#define TG_CHECK(cond, ...) TG_CHECK_KIND(::tg::ErrorKind::Runtime, cond, __VA_ARGS__)
#define TG_CHECK_SHAPE(cond, ...) TG_CHECK_KIND(::tg::ErrorKind::Shape, cond, __VA_ARGS__)
#define TG_CHECK_DTYPE(cond, ...) TG_CHECK_KIND(::tg::ErrorKind::DType, cond, __VA_ARGS__)
#define TG_CHECK_INDEX(cond, ...) TG_CHECK_KIND(::tg::ErrorKind::Index, cond, __VA_ARGS__)
#define TG_CHECK_VALUE(cond, ...) TG_CHECK_KIND(::tg::ErrorKind::Value, cond, __VA_ARGS__)
