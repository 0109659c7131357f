// `nook resume ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook resume <container-id>

Resume all processes of a paused container.
)";
}  // namespace

Result<int> resume(const runtime::GlobalOptions& g, const Args& args) {
  bool help = false;
  auto pos = NOOK_TRY(FlagSet().parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "resume"));
  NOOK_TRY(runtime::resume(g, pos[0]));
  return 0;
}

}  // namespace nook::cli
