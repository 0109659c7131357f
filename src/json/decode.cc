// Non-template parts of the field-path decoders (see decode.h).
#include "nook/json/decode.h"

namespace nook::json {

std::string member_path(std::string_view path, std::string_view key) {
  std::string p(path);
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

std::string index_path(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

Error field_error(std::string_view path, std::string_view what) {
  return make_error(std::string(path) + ": " + std::string(what));
}

bool is_absent(Value v) {
  return !v.present() || v.is_null();
}

Status expect(Value v, Kind kind, std::string_view path) {
  if (v.kind() == kind) return ok_status();
  return field_error(path, "expected " + std::string(json::kind_name(kind)) + ", got " +
                               std::string(json::kind_name(v.kind())));
}

Status require(Value obj, std::string_view key, std::string_view path) {
  if (is_absent(obj.get(key))) return field_error(member_path(path, key), "required");
  return ok_status();
}

Status read(Value obj, std::string_view key, std::string_view path, bool& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  NOOK_TRY(expect(v, Kind::Bool, member_path(path, key)));
  out = v.boolean();
  return ok_status();
}

Status read(Value obj, std::string_view key, std::string_view path, std::string& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  NOOK_TRY(expect(v, Kind::String, member_path(path, key)));
  out = v.string();
  return ok_status();
}

Status read(Value obj, std::string_view key, std::string_view path, std::vector<std::string>& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  std::string p = member_path(path, key);
  NOOK_TRY(expect(v, Kind::Array, p));
  out.clear();
  for (size_t i = 0; i < v.size(); ++i) {
    NOOK_TRY(expect(v.at(i), Kind::String, index_path(p, i)));
    out.emplace_back(v.at(i).string());
  }
  return ok_status();
}

Status read(Value obj, std::string_view key, std::string_view path, std::vector<uint32_t>& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  std::string p = member_path(path, key);
  NOOK_TRY(expect(v, Kind::Array, p));
  out.clear();
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(NOOK_TRY(to_int<uint32_t>(v.at(i), index_path(p, i))));
  return ok_status();
}

Status read(Value obj, std::string_view key, std::string_view path,
            std::map<std::string, std::string>& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  std::string p = member_path(path, key);
  NOOK_TRY(expect(v, Kind::Object, p));
  out.clear();
  for (size_t i = 0; i < v.size(); ++i) {
    NOOK_TRY(expect(v.at(i), Kind::String, member_path(p, v.key_at(i))));
    out[std::string(v.key_at(i))] = std::string(v.at(i).string());
  }
  return ok_status();
}

Status read_raw_object(Value obj, std::string_view key, std::string_view path, std::string& out) {
  Value v = obj.get(key);
  if (is_absent(v)) return ok_status();
  NOOK_TRY(expect(v, Kind::Object, member_path(path, key)));
  out = json::to_string(v);
  return ok_status();
}

Result<Value> object_member(Value obj, std::string_view key, std::string_view path) {
  Value v = obj.get(key);
  if (is_absent(v)) return Value();
  NOOK_TRY(expect(v, Kind::Object, member_path(path, key)));
  return v;
}

}  // namespace nook::json
