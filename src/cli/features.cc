// `nook features`
#include <unistd.h>

#include "nook/cli/commands.h"
#include "nook/cli/flags.h"
#include "nook/linux/file.h"
#include "nook/spec/features.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook features

Print the runtime-spec features document: what this build of nook supports.
)";
}  // namespace

Result<int> features(const runtime::GlobalOptions&, const Args& args) {
  bool help = false;
  auto pos = NOOK_TRY(FlagSet().parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 0, 0, "features"));
  std::string text = spec::features_json();
  (void)linux::write_all(STDOUT_FILENO, text, "stdout");
  return 0;
}

}  // namespace nook::cli
