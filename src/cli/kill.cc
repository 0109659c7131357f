// `nook kill [--all] ID [SIGNAL]`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"
#include "nook/linux/signals.h"

#include <signal.h>

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook kill [command options] <container-id> [signal]

Send a signal (name like KILL or SIGKILL, or number; default SIGTERM) to the container's init.

Options:
   --all, -a  send the signal to all processes in the container
)";
}  // namespace

Result<int> kill(const runtime::GlobalOptions& g, const Args& args) {
  bool all = false, help = false;
  auto pos = NOOK_TRY(FlagSet().add("all,a", &all).parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 2, "kill"));
  int sig = SIGTERM;
  if (pos.size() == 2) {
    auto s = linux::parse_signal(pos[1]);
    if (!s) return make_error("unknown signal \"" + pos[1] + "\"");  // runc's wording
    sig = *s;
  }
  NOOK_TRY(runtime::kill(g, pos[0], sig, all));
  return 0;
}

}  // namespace nook::cli
