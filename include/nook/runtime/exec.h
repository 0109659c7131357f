// `exec`: a new process in a running container, joining the init's namespaces through its
// pidfd and its cgroup, with the same process setup as the init (user, caps, rlimits,
// seccomp, terminal). Options as runc 1.1's `exec` flags.
#pragma once

#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/runtime/lifecycle.h"

namespace nook::runtime {

struct ExecOptions {
  std::string id;
  std::vector<std::string> args;  // the command, unless `process_file`
  std::string process_file;       // --process: a runtime-spec process JSON
  std::string console_socket;
  std::string pidfd_socket;  // --pidfd-socket: receives the process's pidfd (runc 1.2)
  std::string cwd;
  std::vector<std::string> env;
  bool tty = false;
  std::string user;  // uid[:gid]
  std::vector<std::string> additional_gids;
  bool detach = false;
  std::string pid_file;
  std::string process_label;
  std::string apparmor;
  bool no_new_privs = false;
  std::vector<std::string> caps;
  int preserve_fds = 0;
  std::vector<std::string> cgroup;  // --cgroup, repeatable: [<controller>:]<path>
  bool ignore_paused = false;
};

// Returns the process's exit status (128+signal when killed), 0 when detached.
Result<int> exec(const GlobalOptions& g, const ExecOptions& o);

}  // namespace nook::runtime
