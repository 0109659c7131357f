// `nook exec [flags] ID COMMAND [ARG...]` or `nook exec -p process.json ID`
#include "nook/cli/commands.h"
#include "nook/log/log.h"
#include "nook/cli/flags.h"
#include "nook/runtime/exec.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook exec [command options] <container-id> <command> [args...]
       nook exec [command options] -p process.json <container-id>

Run a new process inside a running container; without --detach, wait for it and exit with
its exit status.

Options:
   --console-socket value             path to an AF_UNIX socket that receives the pty master
   --pidfd-socket value               path to an AF_UNIX socket that receives a pidfd of the process
   --cwd value                        current working directory in the container
   --env value, -e value              set environment variables (repeatable)
   --tty, -t                          allocate a pseudo-TTY
   --user value, -u value             UID (format: <uid>[:<gid>])
   --additional-gids value, -g value  additional gids (repeatable)
   --process value, -p value          path to the process.json
   --detach, -d                       detach from the container's process
   --pid-file value                   specify the file to write the process id to
   --process-label value              set the SELinux label of the process (refused: see nook-exec(8))
   --apparmor value                   set the AppArmor profile of the process (refused: see nook-exec(8))
   --no-new-privs                     set the no new privileges value for the process
   --cap value, -c value              add a capability to the bounding set for the process (repeatable)
   --preserve-fds value               pass N additional file descriptors to the process (default: 0)
   --cgroup value                     run the process in an existing sub-cgroup of the container's
                                      cgroup: [<controller>[,<controller>]:]<path> (repeatable on v1)
   --ignore-paused                    allow exec in a paused container
)";
}  // namespace

Result<int> exec(const runtime::GlobalOptions& g, const Args& args) {
  runtime::ExecOptions o;
  FlagSet f;
  f.stop_at_positional()  // the command's own arguments follow the id
      .add("console-socket", &o.console_socket)
      .add("pidfd-socket", &o.pidfd_socket)
      .add("cwd", &o.cwd)
      .add("env,e", &o.env)
      .add("tty,t", &o.tty)
      .add("user,u", &o.user)
      .add("additional-gids,g", &o.additional_gids)
      .add("process,p", &o.process_file)
      .add("detach,d", &o.detach)
      .add("pid-file", &o.pid_file)
      .add("process-label", &o.process_label)
      .add("apparmor", &o.apparmor)
      .add("no-new-privs", &o.no_new_privs)
      .add("cap,c", &o.caps)
      .add("preserve-fds", &o.preserve_fds)
      .add("cgroup", &o.cgroup)
      .add("ignore-paused", &o.ignore_paused);
  // A usage error exits 1, as runc's: 255 is for an exec that was tried and failed.
  auto usage_error = [](const Error& e) -> Result<int> {
    log::fatal(e);
    return 1;
  };
  bool help = false;
  auto pos = f.parse(args, &help);
  if (!pos.ok()) return usage_error(pos.error());
  if (help) return print_usage(kUsage);
  if (pos->empty()) return usage_error(make_error("`exec` requires at least 1 argument(s)"));
  o.id = (*pos)[0];
  o.args.assign(pos->begin() + 1, pos->end());
  if (o.preserve_fds < 0) return usage_error(make_error("--preserve-fds must not be negative"));
  return runtime::exec(g, o);
}

}  // namespace nook::cli
