// `nook state ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook state <container-id>

Print the container's state as JSON (runtime-spec state plus rootfs, created and owner).
)";
}  // namespace

Result<int> state(const runtime::GlobalOptions& g, const Args& args) {
  bool help = false;
  auto pos = NOOK_TRY(FlagSet().parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "state"));
  NOOK_TRY(runtime::state(g, pos[0]));
  return 0;
}

}  // namespace nook::cli
