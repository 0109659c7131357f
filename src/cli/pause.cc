// `nook pause ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook pause <container-id>

Suspend all processes of a created or running container (through its cgroup's freezer).
)";
}  // namespace

Result<int> pause(const runtime::GlobalOptions& g, const Args& args) {
  bool help = false;
  auto pos = NOOK_TRY(FlagSet().parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "pause"));
  NOOK_TRY(runtime::pause(g, pos[0]));
  return 0;
}

}  // namespace nook::cli
