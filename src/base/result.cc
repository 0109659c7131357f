// Error formatting; nothing here may allocate in the child (the child never calls it).
#include "nook/base/result.h"

#include <cstring>

namespace nook {

std::string Error::text() const {
  if (err == 0) return message;
  return message + ": " + std::strerror(err);
}

Error Error::wrap(std::string_view context) && {
  message = std::string(context) + ": " + message;
  return std::move(*this);
}

Error sys_error(std::string message) { return Error{errno, std::move(message)}; }
Error make_error(std::string message) { return Error{0, std::move(message)}; }

}  // namespace nook
