// The flag parser shared by every command.
#include "nook/cli/flags.h"

#include <unistd.h>

#include <charconv>

#include "nook/cli/commands.h"
#include "nook/linux/file.h"

namespace nook::cli {

FlagSet& FlagSet::add_flag(std::string_view names, Kind kind, void* target) {
  Flag f{{}, kind, target};
  size_t start = 0;
  for (size_t i = 0; i <= names.size(); ++i)
    if (i == names.size() || names[i] == ',') {
      f.names.emplace_back(names.substr(start, i - start));
      start = i + 1;
    }
  flags_.push_back(std::move(f));
  return *this;
}

FlagSet& FlagSet::add(std::string_view n, bool* t) { return add_flag(n, Kind::Bool, t); }
FlagSet& FlagSet::add(std::string_view n, std::string* t) { return add_flag(n, Kind::String, t); }
FlagSet& FlagSet::add(std::string_view n, int* t) { return add_flag(n, Kind::Int, t); }
FlagSet& FlagSet::add(std::string_view n, std::vector<std::string>* t) {
  return add_flag(n, Kind::List, t);
}

const FlagSet::Flag* FlagSet::find(std::string_view name) const {
  for (const auto& f : flags_)
    for (const auto& n : f.names)
      if (n == name) return &f;
  return nullptr;
}

Result<std::vector<std::string>> FlagSet::parse(const std::vector<std::string>& args,
                                                bool* help) const {
  std::vector<std::string> pos;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a == "--") { ++i; break; }
    if (a.size() < 2 || a[0] != '-') {
      if (stop_at_positional_) break;
      pos.emplace_back(a);
      continue;
    }
    a.remove_prefix(a[1] == '-' ? 2 : 1);
    std::string_view name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (name == "help" || name == "h") {
      *help = true;
      continue;
    }
    const Flag* f = find(name);
    if (!f) return make_error("flag provided but not defined: -" + std::string(name));
    if (f->kind == Kind::Bool) {
      bool v = true;
      if (has_value) {
        if (value == "true" || value == "1") v = true;
        else if (value == "false" || value == "0") v = false;
        else return make_error("invalid boolean value `" + std::string(value) + "` for -" + std::string(name));
      }
      *static_cast<bool*>(f->target) = v;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return make_error("flag needs an argument: -" + std::string(name));
      value = args[++i];
    }
    switch (f->kind) {
      case Kind::String: *static_cast<std::string*>(f->target) = value; break;
      case Kind::List: static_cast<std::vector<std::string>*>(f->target)->emplace_back(value); break;
      case Kind::Int: {
        int n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (value.empty() || ec != std::errc() || end != value.data() + value.size())
          return make_error("invalid value `" + std::string(value) + "` for flag -" + std::string(name));
        *static_cast<int*>(f->target) = n;
        break;
      }
      case Kind::Bool: break;
    }
  }
  for (; i < args.size(); ++i) pos.push_back(args[i]);
  return pos;
}

Status expect_args(const std::vector<std::string>& pos, size_t min, size_t max,
                   std::string_view command) {
  if (pos.size() < min || pos.size() > max) {
    // Appended piecewise: GCC 12 warns (-Wrestrict, bug 105329) on "literal" + to_string().
    std::string want;
    if (min == max) {
      want = "exactly ";
      want += std::to_string(min);
    } else if (min == 0 && max == 1) {
      want = "at most 1";
    } else {
      want = "between ";
      want += std::to_string(min);
      want += " and ";
      want += std::to_string(max);
    }
    std::string msg = "`";
    msg += command;
    msg += "` requires " + want + " argument(s)";
    return make_error(msg);
  }
  return ok_status();
}

int print_usage(std::string_view text) {
  (void)linux::write_all(STDOUT_FILENO, text, "stdout");
  return 0;
}

}  // namespace nook::cli
