// `nook delete [--force] ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook delete [command options] <container-id>

Delete a stopped (or created) container and everything it holds: cgroup, state, fifo.

Options:
   --force, -f  forcibly delete the container if it is still running (uses SIGKILL)
)";
}  // namespace

Result<int> remove(const runtime::GlobalOptions& g, const Args& args) {
  bool force = false, help = false;
  auto pos = NOOK_TRY(FlagSet().add("force,f", &force).parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "delete"));
  NOOK_TRY(runtime::remove(g, pos[0], force));
  return 0;
}

}  // namespace nook::cli
