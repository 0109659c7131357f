// The shipped failpoint(): nothing. Alone in its file so that nook-failpoints' definition
// (tests/failpoints/failpoint.cc) takes its place at link time.
#include "nook/runtime/failpoint.h"

namespace nook::runtime {

void failpoint(const char*) {}

}  // namespace nook::runtime
