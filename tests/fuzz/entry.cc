// libFuzzer's entry point for one target of targets.h, chosen at build time (meson passes
// NOOK_FUZZ_TARGET, e.g. nook::fuzz::config).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  NOOK_FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
