// The process-wide log sink configured by main from the global flags. The only global state in
// nook: a log destination is per process by nature, like stderr itself.
#include "nook/log/log.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "nook/json/json.h"

namespace nook::log {
namespace {

struct Sink {
  int fd = STDERR_FILENO;
  Format format = Format::Text;
  bool debug = false;
  bool to_file = false;
};
Sink sink;

const char* level_name(Level l) {
  switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warning";
    case Level::Error: return "error";
  }
  return "error";
}

std::string format_time(bool nanos) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm t{};
  gmtime_r(&ts.tv_sec, &t);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &t);
  if (nanos) {
    // Go's RFC3339Nano drops trailing zeros of the fraction.
    char frac[16];
    snprintf(frac, sizeof frac, ".%09ld", ts.tv_nsec);
    std::string f(frac);
    while (f.size() > 1 && f.back() == '0') f.pop_back();
    if (f.size() == 1) f.clear();
    return std::string(buf, n) + f + "Z";
  }
  return std::string(buf, n) + "Z";
}

// logrus quotes a value when it has characters outside [A-Za-z0-9-._/@^+]; msg always has
// spaces in practice, so quote and escape like Go's %q for the common characters.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out + "\"";
}

}  // namespace

Status configure(const std::string& path, Format format, bool debug) {
  sink.format = format;
  sink.debug = debug;
  if (path.empty()) return ok_status();
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("open log file `" + path + "`");
  sink.fd = fd;
  sink.to_file = true;
  return ok_status();
}

void write(Level level, std::string_view msg) {
  if (level == Level::Debug && !sink.debug) return;
  std::string line;
  if (sink.format == Format::Json) {
    json::Writer w;
    w.begin_object().member("level", level_name(level)).member("msg", msg)
        .member("time", format_time(false)).end_object();
    line = w.str();
  } else {
    line = "time=\"" + format_time(false) + "\" level=" + level_name(level) + " msg=" + quote(msg);
  }
  line += '\n';
  // One write so concurrent writers to the same log never interleave within a line.
  (void)!::write(sink.fd, line.data(), line.size());
}

void fatal(const Error& e) {
  std::string text = e.text();
  write(Level::Error, text);
  if (sink.to_file) {
    text += '\n';
    (void)!::write(STDERR_FILENO, text.data(), text.size());
  }
}

std::string rfc3339_now() { return format_time(false); }
std::string rfc3339_nano_now() { return format_time(true); }

}  // namespace nook::log
