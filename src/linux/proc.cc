// /proc/PID/stat reading and parsing.
#include "nook/linux/proc.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <string>

#include "nook/linux/fd.h"

namespace nook::linux {

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  // "pid (comm) S ppid ..." — comm is arbitrary, so parse from the last ')'.
  auto close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(close + 1);
  // Fields after comm start at field 3 (state); start_time is field 22.
  int field = 2;
  ProcStat st;
  size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    size_t j = i;
    while (j < rest.size() && rest[j] != ' ' && rest[j] != '\n') ++j;
    if (j == i) break;
    ++field;
    std::string_view tok = rest.substr(i, j - i);
    if (field == 3) st.state = tok[0];
    if (field == 22) {
      auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), st.start_time);
      if (ec != std::errc()) return std::nullopt;
      return st;
    }
    i = j;
  }
  return std::nullopt;
}

Result<ProcStat> read_proc_stat(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open `" + path + "`");
  char buf[1024];
  ssize_t n = read(fd.get(), buf, sizeof buf - 1);
  if (n < 0) return sys_error("read `" + path + "`");
  auto st = parse_proc_stat(std::string_view(buf, static_cast<size_t>(n)));
  if (!st) return make_error("parse `" + path + "`");
  return *st;
}

}  // namespace nook::linux
