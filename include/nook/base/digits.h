// Numbers written into a caller's buffer, for code that may not allocate (the child after
// clone, where snprintf's locale handling is off limits).
#pragma once

namespace nook {

// Writes `v` in `base` (2 to 10), padded with zeros to at least `min_digits`, then a NUL, and
// returns the position of that NUL. `out` needs room for the digits and the NUL (at most 65).
char* append_unsigned(char* out, unsigned long v, unsigned base = 10, int min_digits = 1);

}  // namespace nook
