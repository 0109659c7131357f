// `nook ps [--format table|json] ID [ps options...]`: everything after the id goes to the
// host's ps, even arguments starting with '-' (the flag parser stops at the first positional).
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook ps [command options] <container-id> [ps options]

Show the processes running inside the container: the host's ps output (default ps -ef)
reduced to the container's processes, or with --format json the list of their pids.

Options:
   --format value, -f value  select one of: table or json (default: "table")
)";
}  // namespace

Result<int> ps(const runtime::GlobalOptions& g, const Args& args) {
  std::string format = "table";
  bool help = false;
  // `ps`'s own options follow the id.
  auto pos = NOOK_TRY(FlagSet().stop_at_positional().add("format,f", &format).parse(args, &help));
  if (help) return print_usage(kUsage);
  if (pos.empty()) return make_error("`ps` requires at least 1 argument(s)");
  if (format != "table" && format != "json") return make_error("invalid format option");  // runc
  auto f = format == "json" ? runtime::PsFormat::Json : runtime::PsFormat::Table;
  NOOK_TRY(runtime::ps(g, pos[0], f, Args(pos.begin() + 1, pos.end())));
  return 0;
}

}  // namespace nook::cli
