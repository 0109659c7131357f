// User namespaces from the parent's side; see userns.h. Parent-side.
#include "nook/linux/userns.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <string>

#include "nook/linux/clone.h"

namespace nook::linux {

Status write_proc_file(pid_t pid, std::string_view file, std::string_view text) {
  std::string path = "/proc/" + std::to_string(pid) + "/" + std::string(file);
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("open `" + path + "`");
  // One write: the kernel takes a map only whole, and only once.
  if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return sys_error("write `" + path + "`");
  return ok_status();
}

Result<UniqueFd> open_ns_of(pid_t pid, std::string_view name) {
  std::string path = "/proc/" + std::to_string(pid) + "/ns/" + std::string(name);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open `" + path + "`");
  return fd;
}

Result<UserNsHolder> UserNsHolder::spawn() {
  auto r = NOOK_TRY(clone3_pidfd(CLONE_NEWUSER, -1));
  if (r.pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (;;) pause();
  }
  return UserNsHolder(r.pid, std::move(r.pidfd));
}

UserNsHolder::UserNsHolder(UserNsHolder&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), pidfd_(std::move(o.pidfd_)) {}

UserNsHolder::~UserNsHolder() {
  if (!pidfd_.valid()) return;
  (void)pidfd_send_signal(pidfd_, SIGKILL);
  (void)wait_exit(pidfd_);
}

}  // namespace nook::linux
