// `nook run [flags] ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {

void add_create_flags(FlagSet& f, runtime::CreateOptions& o);

namespace {
constexpr char kUsage[] = R"(Usage: nook run [command options] <container-id>

Create and start a container; without --detach, wait for it, forward signals, print its
output and exit with its exit status (128+N when killed by signal N), then delete it.

Options:
   --bundle value, -b value  path to the root of the bundle directory (default: current directory)
   --console-socket value    path to an AF_UNIX socket that receives the pty master (terminal: true)
   --detach, -d              detach from the container's process
   --keep                    do not delete the container after it exits
   --pid-file value          file to write the container init's pid to
   --no-pivot                do not use pivot_root to jail the process inside the rootfs
   --no-new-keyring          do not create a new session keyring for the container
   --preserve-fds value      number of extra file descriptors (from fd 3) passed to the process (default: 0)
)";
}  // namespace

Result<int> run(const runtime::GlobalOptions& g, const Args& args) {
  runtime::RunOptions o;
  FlagSet f;
  add_create_flags(f, o.create);
  f.add("detach,d", &o.detach).add("keep", &o.keep);
  bool help = false;
  auto pos = NOOK_TRY(f.parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "run"));
  o.create.id = pos[0];
  if (o.create.preserve_fds < 0) return make_error("--preserve-fds must not be negative");
  if (o.detach && o.keep) return make_error("--detach and --keep cannot be used together");
  return runtime::run(g, o);
}

}  // namespace nook::cli
