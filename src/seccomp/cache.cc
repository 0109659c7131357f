// The compiled-filter cache (see cache.h). File format: a header {magic, flags, needs_listener,
// count} followed by `count` sock_filter records, written to a temp file and renamed.
#include "nook/seccomp/cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>

#include "nook/linux/fd.h"
#include "nook/linux/file.h"
#include "nook/seccomp/profile.h"

namespace nook::seccomp {
namespace {

constexpr uint32_t kMagic = 0x6e6b6631;  // "nkf1"

struct Header {
  uint32_t magic;
  uint32_t flags;
  uint32_t needs_listener;
  uint32_t count;
};

uint64_t fnv1a(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string environment() {
  utsname u{};
  uname(&u);
  return libseccomp_version() + "/" + u.release + "/" + NOOK_VERSION;
}

std::optional<Filter> load(const std::string& path) {
  linux::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  Header h{};
  if (read(fd.get(), &h, sizeof h) != sizeof h || h.magic != kMagic || h.count == 0 ||
      h.count > 65536)
    return std::nullopt;
  Filter f;
  f.flags = h.flags;
  f.needs_listener = h.needs_listener != 0;
  f.program.resize(h.count);
  size_t bytes = h.count * sizeof(sock_filter);
  if (read(fd.get(), f.program.data(), bytes) != static_cast<ssize_t>(bytes)) return std::nullopt;
  return f;
}

void store(const std::string& dir, const std::string& path, const Filter& f) {
  mkdir(dir.c_str(), 0700);
  Header h{kMagic, f.flags, f.needs_listener ? 1u : 0u, static_cast<uint32_t>(f.program.size())};
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes.append(reinterpret_cast<const char*>(f.program.data()),
               f.program.size() * sizeof(sock_filter));
  (void)linux::write_file_atomic(path, bytes, 0600);  // a cache that can't be written costs a compile
}

}  // namespace

std::string cache_key(std::string_view seccomp_json, std::string_view env) {
  std::string text(env);
  text += '\0';
  text += seccomp_json;
  char hex[33];
  snprintf(hex, sizeof hex, "%016llx%016llx",
           static_cast<unsigned long long>(fnv1a(text, 0xcbf29ce484222325ULL)),
           static_cast<unsigned long long>(fnv1a(text, 0x84222325cbf29ce4ULL)));
  return hex;
}

Result<std::optional<Filter>> compile_config_cached(std::string_view seccomp_json,
                                                    const std::string& cache_dir) {
  // Parse first: a malformed profile is reported the same with or without a cache.
  auto profile = NOOK_TRY(parse_profile(seccomp_json));
  if (!profile) return std::optional<Filter>();
  std::string path = cache_dir + "/" + cache_key(seccomp_json, environment()) + ".bpf";
  if (auto hit = load(path)) {
    // Not part of the program: where its listener goes is read from the profile each time.
    hit->listener_path = profile->listener_path;
    hit->listener_metadata = profile->listener_metadata;
    return hit;
  }
  auto filter = NOOK_TRY(compile(*profile));
  store(cache_dir, path, filter);
  return std::optional<Filter>(std::move(filter));
}

}  // namespace nook::seccomp
