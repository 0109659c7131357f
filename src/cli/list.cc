// `nook list [--format table|json] [--quiet]`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook list [command options]

List the containers under --root.

Options:
   --format value, -f value  select one of: table or json (default: "table")
   --quiet, -q               display only container IDs
)";
}  // namespace

Result<int> list(const runtime::GlobalOptions& g, const Args& args) {
  std::string format = "table";
  bool quiet = false, help = false;
  auto pos = NOOK_TRY(FlagSet().add("format,f", &format).add("quiet,q", &quiet).parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 0, 0, "list"));
  if (format != "table" && format != "json")
    return make_error("invalid format option `" + format + "`: use table or json");
  NOOK_TRY(runtime::list(g, format == "json" ? runtime::ListFormat::Json : runtime::ListFormat::Table,
                         quiet));
  return 0;
}

}  // namespace nook::cli
