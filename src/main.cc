// argv → global flags → command table → cli::<verb>(); nothing else. The only place an Error
// becomes a log line and an exit status.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "nook/cli/commands.h"
#include "nook/cli/flags.h"
#include "nook/linux/self_exe.h"
#include "nook/log/log.h"

#include <seccomp.h>

namespace {

using nook::Result;
using nook::cli::Args;
using nook::runtime::GlobalOptions;

struct Command {
  std::string_view name;
  Result<int> (*fn)(const GlobalOptions&, const Args&);
  bool enters_container;  // runs from a binary nobody can write first (CVE-2019-5736)
  std::string_view summary;
  // Exit status when the command itself fails: `exec` uses 255 like runc, so that callers can
  // tell nook's failures from the process's own exit status.
  int error_status = 1;
};

constexpr Command kCommands[] = {
    {"create", nook::cli::create, true, "create a container"},
    {"delete", nook::cli::remove, false, "delete any resources held by the container"},
    {"events", nook::cli::events, false, "display container events such as OOM notifications, cpu, memory, and IO usage statistics"},
    {"exec", nook::cli::exec, true, "execute a new process inside the container", 255},
    {"features", nook::cli::features, false, "show the enabled features"},
    {"kill", nook::cli::kill, false, "send a signal to the container's init process"},
    {"list", nook::cli::list, false, "list containers started by nook with the given root"},
    {"pause", nook::cli::pause, false, "suspend all processes inside the container"},
    {"ps", nook::cli::ps, false, "display the processes running inside a container"},
    {"resume", nook::cli::resume, false, "resume all processes that have been paused"},
    {"run", nook::cli::run, true, "create and run a container"},
    {"spec", nook::cli::spec, false, "create a new specification file"},
    {"start", nook::cli::start, false, "start a created container"},
    {"state", nook::cli::state, false, "output the state of a container"},
    {"update", nook::cli::update, false, "update container resource constraints"},
};

constexpr char kUsage[] = R"(Usage: nook [global options] command [command options] [arguments...]

nook is an OCI container runtime with runc's command line, for AI-agent sandboxes.

Commands:
)";

constexpr char kGlobalUsage[] = R"(
Global options:
   --root value            root directory for container state (default: "/run/nook", or
                           "$XDG_RUNTIME_DIR/nook" when not run as root)
   --log value             log file (default: stderr)
   --log-format value      log format: text or json (default: "text")
   --debug                 enable debug logging
   --systemd-cgroup        use the systemd cgroup driver (same as --cgroup-manager=systemd)
   --cgroup-manager value  cgroup manager: cgroupfs, systemd or disabled (default: "cgroupfs")
   --criu value            path to the criu binary (default: "criu")
   --rootless value        ignore cgroup permission errors: true, false or auto (default: "auto")
   --help, -h              show help
   --version, -v           print the version
)";

int usage() {
  std::string text = kUsage;
  for (const auto& c : kCommands)
    text += "   " + std::string(c.name) + std::string(12 - c.name.size(), ' ') +
            std::string(c.summary) + "\n";
  text += kGlobalUsage;
  return nook::cli::print_usage(text);
}

int version() {
  const scmp_version* v = seccomp_version();
  std::string text = std::string("nook version ") + NOOK_VERSION + "\nspec: 1.3.0\n";
  if (v)
    text += "libseccomp: " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
            std::to_string(v->micro) + "\n";
  return nook::cli::print_usage(text);
}

int fail(const nook::Error& e) {
  nook::log::fatal(e);
  return 1;
}

// Callers may start us with stdio closed or SIGCHLD ignored: then our own fds would become the
// container's stdio, and the kernel would reap the init before `run` could read its status.
void sanitize_process() {
  for (int fd = 0; fd < 3; ++fd)
    if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) _exit(1);
  signal(SIGCHLD, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
  sanitize_process();
  Args args(argv + 1, argv + argc);
  GlobalOptions g;
  if (geteuid() != 0)
    if (const char* xdg = getenv("XDG_RUNTIME_DIR")) g.root = std::string(xdg) + "/nook";
  std::string log_path, log_format = "text", cgroup_manager, rootless = "auto";
  bool debug = false, systemd = false, help = false, show_version = false;
  nook::cli::FlagSet flags;
  flags
      .stop_at_positional()  // the command name, then its own flags
      .add("root", &g.root)
      .add("log", &log_path)
      .add("log-format", &log_format)
      .add("debug", &debug)
      .add("systemd-cgroup", &systemd)
      .add("cgroup-manager", &cgroup_manager)
      .add("criu", &g.criu)
      .add("rootless", &rootless)
      .add("version,v", &show_version);
  auto rest = flags.parse(args, &help);
  // Errors before the log is configured still go to stderr in runc's text form.
  if (!rest.ok()) return fail(rest.error());
  if (log_format != "text" && log_format != "json")
    return fail(nook::make_error("invalid log format `" + log_format + "`: use text or json"));
  auto configured = nook::log::configure(
      log_path, log_format == "json" ? nook::log::Format::Json : nook::log::Format::Text, debug);
  if (!configured.ok()) return fail(configured.error());
  if (show_version) return version();
  if (rest->empty() || help) return usage();

  g.cgroup_driver = systemd ? nook::cgroup::Driver::Systemd : nook::cgroup::Driver::Cgroupfs;
  if (cgroup_manager == "systemd") g.cgroup_driver = nook::cgroup::Driver::Systemd;
  else if (cgroup_manager == "disabled") g.cgroup_driver = nook::cgroup::Driver::Disabled;
  else if (!cgroup_manager.empty() && cgroup_manager != "cgroupfs")
    return fail(nook::make_error("unknown cgroup manager `" + cgroup_manager +
                                 "`: use cgroupfs, systemd or disabled"));
  if (rootless != "auto" && rootless != "true" && rootless != "false")
    return fail(nook::make_error("invalid --rootless value `" + rootless + "`: use true, false or auto"));
  g.rootless = rootless == "true" || (rootless == "auto" && geteuid() != 0);

  std::string_view name = (*rest)[0];
  if (name == "help") return usage();
  for (const auto& c : kCommands) {
    if (c.name != name) continue;
    if (c.enters_container) {
      auto guarded = nook::linux::ensure_protected_self(argv, g.root);
      if (!guarded.ok()) return fail(guarded.error());
    }
    auto r = c.fn(g, Args(rest->begin() + 1, rest->end()));
    if (r.ok()) return *r;
    fail(r.error());
    return c.error_status;
  }
  fail(nook::make_error("unknown command `" + std::string(name) + "`"));
  return 3;  // runc (urfave/cli) exits 3 for an unknown command
}
