// `nook create [flags] ID`
#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook create [command options] <container-id>

Create a container from the bundle's config.json; its process waits until `nook start`.

Options:
   --bundle value, -b value  path to the root of the bundle directory (default: current directory)
   --console-socket value    path to an AF_UNIX socket that receives the pty master (terminal: true)
   --pidfd-socket value      path to an AF_UNIX socket that receives a pidfd of the container's init
   --pid-file value          file to write the container init's pid to
   --no-pivot                do not use pivot_root to jail the process inside the rootfs
   --no-new-keyring          do not create a new session keyring for the container
   --preserve-fds value      number of extra file descriptors (from fd 3) passed to the process (default: 0)
)";
}  // namespace

// Shared with `run`, which takes the same flags plus its own.
void add_create_flags(FlagSet& f, runtime::CreateOptions& o) {
  f.add("bundle,b", &o.bundle)
      .add("console-socket", &o.console_socket)
      .add("pidfd-socket", &o.pidfd_socket)
      .add("pid-file", &o.pid_file)
      .add("no-pivot", &o.no_pivot)
      .add("no-new-keyring", &o.no_new_keyring)
      .add("preserve-fds", &o.preserve_fds);
}

Result<int> create(const runtime::GlobalOptions& g, const Args& args) {
  runtime::CreateOptions o;
  FlagSet f;
  add_create_flags(f, o);
  bool help = false;
  auto pos = NOOK_TRY(f.parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "create"));
  o.id = pos[0];
  if (o.preserve_fds < 0) return make_error("--preserve-fds must not be negative");
  NOOK_TRY(runtime::create(g, o));
  return 0;
}

}  // namespace nook::cli
