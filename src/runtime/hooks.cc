// Hook execution with posix_spawn (the parent has no cloned child state to protect here).
#include "nook/runtime/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>


#include "nook/linux/clone.h"
#include "nook/linux/fd.h"
#include "nook/log/log.h"

namespace nook::runtime {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

Status run_hook(const spec::Hook& h, const std::string& state_json, std::string_view kind) {
  auto fail = [&](std::string why, int err = 0) {
    return Error{err, std::string(kind) + " hook `" + h.path + "` failed: " + why};
  };
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return sys_error("pipe");
  linux::UniqueFd rd(p[0]), wr(p[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, rd.get(), STDIN_FILENO);
  // Its own process group, so a timeout kills whatever the hook forked too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<std::string> args = h.args.empty() ? std::vector<std::string>{h.path} : h.args;
  auto argv = c_strings(args);
  auto envp = c_strings(h.env);
  pid_t pid;
  int rc = posix_spawn(&pid, h.path.c_str(), &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return fail("exec", rc);
  rd.reset();
  auto pidfd = linux::pidfd_open(pid);
  // A hook that does not read stdin must not take us down with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  (void)!write(wr.get(), state_json.data(), state_json.size());
  wr.reset();
  signal(SIGPIPE, SIG_DFL);
  if (pidfd.ok() && h.timeout) {
    pollfd pfd{pidfd->get(), POLLIN, 0};
    if (poll(&pfd, 1, *h.timeout * 1000) == 0) {
      kill(-pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      return fail("ran past its timeout of " + std::to_string(*h.timeout) + "s");
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return sys_error("wait for hook");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ok_status();
  if (WIFSIGNALED(status)) return fail("killed by signal " + std::to_string(WTERMSIG(status)));
  return fail("exit status " + std::to_string(WEXITSTATUS(status)));
}

}  // namespace

Status run_hooks(const std::vector<spec::Hook>& hooks, const std::string& state_json,
                 std::string_view kind) {
  for (const auto& h : hooks) NOOK_TRY(run_hook(h, state_json, kind));
  return ok_status();
}

void run_hooks_warn(const std::vector<spec::Hook>& hooks, const std::string& state_json,
                    std::string_view kind) {
  for (const auto& h : hooks) {
    auto st = run_hook(h, state_json, kind);
    if (!st.ok()) log::warn(st.error().text());
  }
}

}  // namespace nook::runtime
