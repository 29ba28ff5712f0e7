// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <iosfwd>
#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::cli {

/// Environment the CLI reads, passed in so tests can set it (no getenv in the commands).
struct Environment {
  std::string lang;      ///< HOSHI_LANG
  std::string data_dir;  ///< HOSHI_DATA_DIR
  std::string db;        ///< HOSHI_DB
};

/// Runs `hoshitori` with `args` (args[0] is the program name). Writes results to `out` and
/// diagnostics to `err`; returns the process exit code: 0 success / level met, 1 completed but
/// the level is not met, 64 usage, 65 bad input data, 66 missing input, 69 unavailable,
/// 70 internal, 73 already exists, 74 I/O error (the core error table). Never throws.
[[nodiscard]] int Run(std::span<const char* const> args, const Environment& env, std::ostream& out,
                      std::ostream& err);

/// The CLI's messages (ja/en).
[[nodiscard]] std::span<const MessageEntry> CliMessages();

}  // namespace hoshi::cli
