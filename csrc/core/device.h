// Where a tensor's memory lives. Part of every tensor and of kernel dispatch.
#pragma once
#include <string>

namespace tg {

enum class DeviceType : uint8_t { CPU = 0, CUDA = 1 };
constexpr int kNumDeviceTypes = 2;

struct Device {
  DeviceType type = DeviceType::CPU;
  int index = 0;
  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  std::string str() const {
    return type == DeviceType::CPU ? std::string("cpu") : "cuda:" + std::to_string(index);
  }
  bool is_cpu() const { return type == DeviceType::CPU; }
};

constexpr Device kCPU{DeviceType::CPU, 0};

}  // namespace tg
