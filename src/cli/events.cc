// `nook events [--stats] [--interval DURATION] ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"
#include "nook/runtime/events.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook events [command options] <container-id>

Display container events such as OOM notifications and cpu, memory, and IO usage statistics.

Options:
   --interval value  set the stats collection interval (default: 5s)
   --stats           display the container's stats then exit
)";
}  // namespace

Result<int> events(const runtime::GlobalOptions& g, const Args& args) {
  bool help = false;
  runtime::EventsOptions o;
  std::string interval = "5s";
  auto pos = NOOK_TRY(
      FlagSet().add("stats", &o.stats_once).add("interval", &interval).parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "events"));
  o.id = pos[0];
  auto ns = runtime::parse_go_duration(interval);
  if (!ns.ok()) return std::move(ns).error().wrap("invalid value \"" + interval + "\" for flag -interval");
  o.interval_ns = *ns;
  NOOK_TRY(runtime::events(g, o));
  return 0;
}

}  // namespace nook::cli
