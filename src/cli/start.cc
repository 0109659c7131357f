// `nook start ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook start <container-id>

Start a created container: its process runs the program in config.json.
)";
}  // namespace

Result<int> start(const runtime::GlobalOptions& g, const Args& args) {
  bool help = false;
  auto pos = NOOK_TRY(FlagSet().parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "start"));
  NOOK_TRY(runtime::start(g, pos[0]));
  return 0;
}

}  // namespace nook::cli
