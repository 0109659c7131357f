// One function per command: parse the command's flags into its options and call one
// runtime:: function. Each returns the process exit status; errors go back to main().
#pragma once

#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/runtime/lifecycle.h"

namespace nook::cli {

using Args = std::vector<std::string>;

Result<int> create(const runtime::GlobalOptions& g, const Args& args);
Result<int> start(const runtime::GlobalOptions& g, const Args& args);
Result<int> run(const runtime::GlobalOptions& g, const Args& args);
Result<int> state(const runtime::GlobalOptions& g, const Args& args);
Result<int> list(const runtime::GlobalOptions& g, const Args& args);
Result<int> kill(const runtime::GlobalOptions& g, const Args& args);
Result<int> remove(const runtime::GlobalOptions& g, const Args& args);
Result<int> pause(const runtime::GlobalOptions& g, const Args& args);
Result<int> resume(const runtime::GlobalOptions& g, const Args& args);
Result<int> ps(const runtime::GlobalOptions& g, const Args& args);
Result<int> spec(const runtime::GlobalOptions& g, const Args& args);
Result<int> features(const runtime::GlobalOptions& g, const Args& args);
Result<int> exec(const runtime::GlobalOptions& g, const Args& args);
Result<int> events(const runtime::GlobalOptions& g, const Args& args);
Result<int> update(const runtime::GlobalOptions& g, const Args& args);

// Prints a command's usage text to stdout and returns 0.
int print_usage(std::string_view text);

}  // namespace nook::cli
