// Post-clone-safe number formatting: stack only.
#include "nook/base/digits.h"

namespace nook {

char* append_unsigned(char* out, unsigned long v, unsigned base, int min_digits) {
  char digits[64];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % base);
    v /= base;
  } while (v && n < 64);
  while (n < min_digits && n < 64) digits[n++] = '0';
  while (n) *out++ = digits[--n];
  *out = '\0';
  return out;
}

}  // namespace nook
