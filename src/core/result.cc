// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/result.h"

#include <cstdio>
#include <cstdlib>

namespace hoshi {

std::string Error::ToString(Lang lang) const {
  std::string out;
  if (location_ && !location_->source.empty()) {
    if (location_->line > 0) {
      out = FormatMessage(CoreMessages(), "core.at_line", location_->source, location_->line)
                .In(lang);
    } else {
      out = location_->source;
    }
    out += ": ";
  }
  out += message_.In(lang);
  return out;
}

namespace detail {
void CheckFailed(const char* cond, const char* file, int line) {
  std::fprintf(stderr, "HOSHI_CHECK failed: %s at %s:%d\n", cond, file, line);
  std::abort();
}
}  // namespace detail

}  // namespace hoshi
