// The signal table `kill` uses; runc accepts the same names with or without the SIG prefix.
#include "nook/linux/signals.h"

#include <signal.h>

#include <charconv>
#include <iterator>

namespace nook::linux {
namespace {

struct SignalName {
  const char* name;
  int number;
};

constexpr SignalName kSignals[] = {
    {"ABRT", SIGABRT}, {"ALRM", SIGALRM},   {"BUS", SIGBUS},     {"CHLD", SIGCHLD},
    {"CLD", SIGCHLD},  {"CONT", SIGCONT},   {"FPE", SIGFPE},     {"HUP", SIGHUP},
    {"ILL", SIGILL},   {"INT", SIGINT},     {"IO", SIGIO},       {"IOT", SIGIOT},
    {"KILL", SIGKILL}, {"PIPE", SIGPIPE},   {"POLL", SIGPOLL},   {"PROF", SIGPROF},
    {"PWR", SIGPWR},   {"QUIT", SIGQUIT},   {"SEGV", SIGSEGV},   {"STKFLT", SIGSTKFLT},
    {"STOP", SIGSTOP}, {"SYS", SIGSYS},     {"TERM", SIGTERM},   {"TRAP", SIGTRAP},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},   {"TTOU", SIGTTOU},   {"URG", SIGURG},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2},   {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},
    {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
};

}  // namespace

std::optional<int> parse_signal(std::string_view input) {
  // runc upper-cases the name: "usr2" is SIGUSR2.
  char upper[16];
  if (input.empty()) return SIGTERM;  // runc: an empty signal is the default
  if (input.size() >= sizeof upper) return std::nullopt;
  for (size_t i = 0; i < input.size(); ++i)
    upper[i] = (input[i] >= 'a' && input[i] <= 'z') ? static_cast<char>(input[i] - 32) : input[i];
  std::string_view text(upper, input.size());
  // A number, which may carry a '+' as Go's strconv.Atoi allows ("+15").
  std::string_view digits = text.size() > 1 && text[0] == '+' ? text.substr(1) : text;
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec == std::errc() && end == digits.data() + digits.size()) {
    // 0 only checks that the process exists, as kill(1) does; runc accepts it too.
    if (n < 0 || n > SIGRTMAX) return std::nullopt;
    return n;
  }
  if (text.substr(0, 3) == "SIG") text.remove_prefix(3);
  for (const auto& s : kSignals)
    if (text == s.name) return s.number;
  // RTMIN, RTMIN+N, RTMAX-N
  if (text.substr(0, 5) == "RTMIN" || text.substr(0, 5) == "RTMAX") {
    int base = text[4] == 'N' ? SIGRTMIN : SIGRTMAX;
    std::string_view off = text.substr(5);
    if (off.empty()) return base;
    int k = 0;
    auto [e, ec2] = std::from_chars(off.data() + 1, off.data() + off.size(), k);
    if (ec2 != std::errc() || e != off.data() + off.size()) return std::nullopt;
    int sig = off[0] == '+' ? base + k : off[0] == '-' ? base - k : -1;
    if (sig < SIGRTMIN || sig > SIGRTMAX) return std::nullopt;
    return sig;
  }
  return std::nullopt;
}

}  // namespace nook::linux
