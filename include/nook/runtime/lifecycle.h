// The runtime's entry points, one per command; src/cli/ parses flags into these option
// structs and calls exactly one of them. Each lives in its own src/runtime/<verb>.cc.
#pragma once

#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"

namespace nook::runtime {

struct GlobalOptions {
  std::string root = "/run/nook";
  cgroup::Driver cgroup_driver = cgroup::Driver::Cgroupfs;
  bool rootless = false;
  std::string criu = "criu";
};

struct CreateOptions {
  std::string id;
  std::string bundle = ".";
  std::string console_socket;
  std::string pidfd_socket;  // --pidfd-socket: receives the init's pidfd (runc 1.2)
  std::string pid_file;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
};

struct RunOptions {
  CreateOptions create;
  bool detach = false;
  bool keep = false;
};

enum class ListFormat { Table, Json };
enum class PsFormat { Table, Json };

Status create(const GlobalOptions& g, const CreateOptions& o);
Status start(const GlobalOptions& g, const std::string& id);
// Returns the container's exit status (128+signal when killed), 0 when detached.
Result<int> run(const GlobalOptions& g, const RunOptions& o);
Status state(const GlobalOptions& g, const std::string& id);
Status list(const GlobalOptions& g, ListFormat format, bool quiet);
Status kill(const GlobalOptions& g, const std::string& id, int signal, bool all);
Status remove(const GlobalOptions& g, const std::string& id, bool force);
// Freezes a created or running container ("container not running" otherwise).
Status pause(const GlobalOptions& g, const std::string& id);
// Thaws a paused container ("container not paused" otherwise).
Status resume(const GlobalOptions& g, const std::string& id);
// Table: the host's `ps` with `ps_args` (default -ef), its header and the lines of the
// container's processes. Json: the container's pids as a JSON array.
Status ps(const GlobalOptions& g, const std::string& id, PsFormat format,
          const std::vector<std::string>& ps_args);

}  // namespace nook::runtime
