// Replays every input kept under tests/fuzz/regressions/<target>/ — inputs that once crashed
// or aborted a fuzz target, or hostile shapes kept on purpose — through the same target
// (tests/fuzz/targets.h), so `make check` (and its sanitizer build) keeps them fixed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz/targets.h"

namespace nook::fuzz {
namespace {

// Runs `target` on each file of regressions/<name>/ and returns how many there were.
template <typename Target>
int replay(const std::string& name, Target target) {
  int n = 0;
  auto dir = std::filesystem::path(NOOK_SOURCE_DIR) / "tests/fuzz/regressions" / name;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    SCOPED_TRACE(entry.path().string());
    target(text.str());
    ++n;
  }
  return n;
}

TEST(FuzzRegressions, EveryKeptInputRunsCleanThroughItsTarget) {
  EXPECT_GT(replay("config", config), 0);
  EXPECT_GT(replay("process", process), 0);
  EXPECT_GT(replay("seccomp", seccomp), 0);
  EXPECT_GT(replay("resources", resources), 0);
}

}  // namespace
}  // namespace nook::fuzz
