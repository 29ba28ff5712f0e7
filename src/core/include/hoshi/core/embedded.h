// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace hoshi {

/// A file embedded in the binary at build time (see hoshi_embed_files in cmake/HoshiHelpers.cmake).
struct EmbeddedFile {
  std::string_view name;     ///< base name, e.g. "0001_init.sql"
  std::string_view content;  ///< the bytes, exactly as in the source tree
};

}  // namespace hoshi
