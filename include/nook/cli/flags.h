// Go-style flag parsing as runc's CLI accepts it: `-f`, `--flag`, `--flag=value`,
// `-flag value`; booleans take no value (or `=true|false`). Flags may follow positional
// arguments (`nook delete ID --force`), as runc's CLI reorders them, except for commands whose
// trailing arguments are a command line of their own (exec, ps): there parsing stops at the first
// positional. `--` ends the flags. Pure; unit-tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::cli {

class FlagSet {
 public:
  // `names` is a comma-separated list: "bundle,b".
  FlagSet& add(std::string_view names, bool* target);
  FlagSet& add(std::string_view names, std::string* target);
  FlagSet& add(std::string_view names, int* target);
  FlagSet& add(std::string_view names, std::vector<std::string>* target);  // repeatable

  // Everything from the first positional on is positional (runc's SkipArgReorder).
  FlagSet& stop_at_positional() {
    stop_at_positional_ = true;
    return *this;
  }
  // Parses args (without the command name); returns the positionals. Sets *help for -h/--help.
  Result<std::vector<std::string>> parse(const std::vector<std::string>& args, bool* help) const;

 private:
  enum class Kind { Bool, String, Int, List };
  struct Flag {
    std::vector<std::string> names;
    Kind kind;
    void* target;
  };
  const Flag* find(std::string_view name) const;
  FlagSet& add_flag(std::string_view names, Kind kind, void* target);
  std::vector<Flag> flags_;
  bool stop_at_positional_ = false;
};

// Checks the count of positional arguments the way runc words it.
Status expect_args(const std::vector<std::string>& pos, size_t min, size_t max,
                   std::string_view command);

}  // namespace nook::cli
