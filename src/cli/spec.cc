// `nook spec [--bundle DIR] [--rootless] [--agent]`
#include <fcntl.h>
#include <unistd.h>

#include "nook/cli/commands.h"
#include "nook/cli/flags.h"
#include "nook/json/json.h"
#include "nook/linux/fd.h"
#include "nook/spec/agent_profile.h"
#include "nook/spec/default_spec.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook spec [command options]

Write a starter config.json (the same as runc's) into the bundle directory.

Options:
   --bundle value, -b value  path to the root of the bundle directory
   --rootless                generate a configuration for a rootless container
   --agent                   harden it with the agent profile: user namespace, strict seccomp,
                             minimal capabilities, read-only root, limits (see nook-agent(7))
)";
}  // namespace

Result<int> spec(const runtime::GlobalOptions&, const Args& args) {
  std::string bundle;
  bool rootless = false, agent = false, help = false;
  auto pos = NOOK_TRY(FlagSet()
                          .add("bundle,b", &bundle)
                          .add("rootless", &rootless)
                          .add("agent", &agent)
                          .parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 0, 0, "spec"));
  std::string path = bundle.empty() ? "config.json" : bundle + "/config.json";
  std::string text = spec::default_spec_json(rootless);
  // The same rewrite the io.nook.profile=agent annotation applies at create, written out in
  // full (agent.json as linux.seccomp) so that any runtime runs the same config.
  if (agent)
    text = json::indent_compact(
        NOOK_TRY(spec::apply_agent_profile(text, spec::AgentSeccomp::Embed)), "\t");
  linux::UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd) {
    if (errno == EEXIST) return make_error("File " + path + " exists. Remove it first");
    return sys_error("create `" + path + "`");
  }
  if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return sys_error("write `" + path + "`");
  return 0;
}

}  // namespace nook::cli
