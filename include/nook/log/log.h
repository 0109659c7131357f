// runc-compatible logging: `--log FILE`, `--log-format text|json`, `--debug`. Text lines look
// like logrus's (`time="..." level=error msg="..."`), JSON lines carry level, msg and time
// (RFC 3339) because containerd's shim parses them. Parent-side only; never post-clone.
#pragma once

#include <string>
#include <string_view>

#include "nook/base/result.h"

namespace nook::log {

enum class Level { Debug, Info, Warn, Error };
enum class Format { Text, Json };

// Opens the log destination (stderr when path is empty). Call once from main.
Status configure(const std::string& path, Format format, bool debug);

void write(Level level, std::string_view msg);
inline void debug(std::string_view msg) { write(Level::Debug, msg); }
inline void info(std::string_view msg) { write(Level::Info, msg); }
inline void warn(std::string_view msg) { write(Level::Warn, msg); }

// Reports a command's failure as runc does: to the log, and plainly to stderr when the log is
// a file. main() is the only caller.
void fatal(const Error& e);

// "2026-11-23T05:16:25Z" and RFC 3339 with nanoseconds for `created`.
std::string rfc3339_now();
std::string rfc3339_nano_now();

}  // namespace nook::log
