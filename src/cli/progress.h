// SPDX-License-Identifier: Apache-2.0
// Internal to the cli module: a progress bar for long runs on a terminal.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace hoshi::cli {

/// Draws "label [#####-----]  1,234 / 8,158" on one line of `out`, redrawn at most ten times a
/// second, only when enabled (by default: when standard error is a terminal). Finish() ends the
/// line. Never writes anything when disabled, so pipes and log files stay clean.
class ProgressBar {
 public:
  /// mode: "auto" (a terminal), "always", "never".
  ProgressBar(std::ostream& out, std::string_view mode);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  void Update(std::string_view label, std::size_t done, std::size_t total);
  void Finish();
  [[nodiscard]] bool enabled() const { return enabled_; }

 private:
  std::ostream& out_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace hoshi::cli
