// A container's saved state (state.json under --root/ID) and the OCI state document that
// `state`, `list --format json` and hooks see. Pure data + JSON; no file I/O here.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"
#include "nook/cgroup/resctrl.h"
#include "nook/json/json.h"
#include "nook/spec/config.h"

namespace nook::spec {

struct ContainerState {
  std::string oci_version;
  std::string id;
  pid_t pid = 0;             // host pid of the init, 0 before it exists
  uint64_t start_time = 0;   // /proc/PID/stat start time, guards against pid reuse
  std::string bundle;        // absolute
  std::string rootfs;        // absolute
  std::string created;       // RFC 3339 with nanoseconds
  uid_t owner = 0;
  std::map<std::string, std::string> annotations;
  cgroup::Placement cgroup;
  cgroup::RdtPlacement rdt;     // linux.intelRdt's resctrl group
  std::vector<Hook> poststart;  // run by start
  std::vector<Hook> poststop;   // run by delete
  bool shares_host_pid_ns = false;  // kill --all / delete must then walk the cgroup
};

std::string encode_state(const ContainerState& s);
Result<ContainerState> decode_state(std::string_view json_text);

// Appends the OCI state object to `w` (for lists of them).
void write_oci_state(json::Writer& w, const ContainerState& s, std::string_view status,
                     std::string_view owner);

enum class OciStyle { Indented, Compact };
// The runtime-spec state object as runc prints it: ociVersion, id, pid, status, bundle,
// rootfs, created, annotations (omitted when empty), owner. `owner` is the name `list`
// resolves ("" for `state`, like runc). A stopped container reports pid 0.
std::string oci_state_json(const ContainerState& s, std::string_view status,
                           std::string_view owner, OciStyle style);

// runtime-spec's "containerProcessState", what a seccomp agent at linux.seccomp.listenerPath
// receives with the listener fd: ociVersion, fds (["seccompFd"]), pid (the process the filter
// is on: the init, or an `exec`'d process), metadata (omitted when empty), state.
std::string container_process_state_json(const ContainerState& s, std::string_view status,
                                         pid_t pid, std::string_view metadata);

}  // namespace nook::spec
