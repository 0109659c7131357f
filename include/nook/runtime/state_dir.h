// The per-container state directory --root/ID: created exclusively, locked with flock for the
// life of a command, state.json written atomically (temp + rename), removed completely.
#pragma once

#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"
#include "nook/spec/state.h"

namespace nook::runtime {

class StateDir {
 public:
  // mkdir --root (0700) if needed, then --root/ID (0711) with a state.json of the id alone;
  // EEXIST → "container with id exists".
  static Result<StateDir> create(const std::string& root, const std::string& id);
  // Opens and locks an existing one; ENOENT → "container does not exist".
  static Result<StateDir> open(const std::string& root, const std::string& id);

  int fd() const { return dir_.get(); }
  const std::string& path() const { return path_; }

  // `run` lets go of the lock while it waits on the container, so other commands can look.
  void unlock();
  Status relock();

  Status save(const spec::ContainerState& s);
  // A directory without state.json is not a container: "container does not exist".
  Result<spec::ContainerState> load() const;
  bool has_exec_fifo() const;
  // Removes every file in the directory and the directory itself.
  Status remove();

 private:
  linux::UniqueFd dir_;  // O_DIRECTORY, flock'ed
  std::string path_;
};

// Ids of all containers under --root (directories), sorted; a missing root is empty.
std::vector<std::string> list_ids(const std::string& root);

}  // namespace nook::runtime
