// Typed decoding of JSON documents whose errors name the field path, shared by every decoder
// of spec input (config.json, linux.resources, seccomp): `read(obj, key, path, out)` leaves
// `out` untouched when the member is absent or null (as Go's encoding/json, which runc uses),
// and fails with ``PATH.KEY: expected T, got U`` otherwise. Parent-side.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "nook/base/result.h"
#include "nook/json/json.h"

namespace nook::json {

std::string member_path(std::string_view path, std::string_view key);

std::string index_path(std::string_view path, size_t i);

Error field_error(std::string_view path, std::string_view what);

// JSON null reads like an absent member, as with Go's encoding/json that runc uses.
bool is_absent(Value v);

Status expect(Value v, Kind kind, std::string_view path);

Status require(Value obj, std::string_view key, std::string_view path);

template <typename Int>
constexpr std::string_view int_type_name() {
  if constexpr (std::is_same_v<Int, uint16_t>) return "uint16";
  if constexpr (std::is_same_v<Int, uint32_t>) return "uint32";
  if constexpr (std::is_same_v<Int, uint64_t>) return "uint64";
  if constexpr (std::is_same_v<Int, int32_t>) return "int32";
  return "int64";
}

template <typename Int>
Result<Int> to_int(Value v, std::string_view path) {
  NOOK_TRY(expect(v, Kind::Number, path));
  bool fits = false;
  Int out = 0;
  if constexpr (std::is_signed_v<Int>) {
    auto n = json::to_int64(v);
    fits = n && std::in_range<Int>(*n);
    if (fits) out = static_cast<Int>(*n);
  } else {
    auto n = json::to_uint64(v);
    fits = n && std::in_range<Int>(*n);
    if (fits) out = static_cast<Int>(*n);
  }
  if (!fits)
    return field_error(path, "expected " + std::string(int_type_name<Int>()) + ", got `" +
                                 std::string(v.number_text()) + "`");
  return out;
}

// read(obj, key, path, out): leaves `out` as is when the member is absent.
Status read(Value obj, std::string_view key, std::string_view path, bool& out);

Status read(Value obj, std::string_view key, std::string_view path, std::string& out);

template <typename Int>
requires std::is_integral_v<Int> Status read(Value obj, std::string_view key, std::string_view path,
                                             Int& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  out = NOOK_TRY(to_int<Int>(v, member_path(path, key)));
  return ok_status();
}

template <typename Int>
Status read(Value obj, std::string_view key, std::string_view path, std::optional<Int>& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  out = NOOK_TRY(to_int<Int>(v, member_path(path, key)));
  return ok_status();
}

Status read(Value obj, std::string_view key, std::string_view path, std::vector<std::string>& out);

Status read(Value obj, std::string_view key, std::string_view path, std::vector<uint32_t>& out);

Status read(Value obj, std::string_view key, std::string_view path,
            std::map<std::string, std::string>& out);

// A raw object kept as compact JSON text for a later decoder (cgroups, seccomp, time).
// The member `key` as an object, or an absent Value; an error if it is something else.
Result<Value> object_member(Value obj, std::string_view key, std::string_view path);

Status read_raw_object(Value obj, std::string_view key, std::string_view path, std::string& out);

// Decodes an array of objects with `decode(element, element_path)`.
template <typename T, typename Decode>
Status read_objects(Value obj, std::string_view key, std::string_view path, std::vector<T>& out,
                    Decode decode) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  std::string p = member_path(path, key);
  NOOK_TRY(expect(v, Kind::Array, p));
  out.clear();
  for (size_t i = 0; i < v.size(); ++i) {
    std::string element = index_path(p, i);
    NOOK_TRY(expect(v.at(i), Kind::Object, element));
    out.push_back(NOOK_TRY(decode(v.at(i), element)));
  }
  return ok_status();
}

template <typename T, typename Decode>
Status read_object(Value obj, std::string_view key, std::string_view path, T& out, Decode decode) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  std::string p = member_path(path, key);
  NOOK_TRY(expect(v, Kind::Object, p));
  out = NOOK_TRY(decode(v, p));
  return ok_status();
}

}  // namespace nook::json
