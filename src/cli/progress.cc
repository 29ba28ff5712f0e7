// SPDX-License-Identifier: Apache-2.0
#include "progress.h"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "hoshi/core/i18n.h"

namespace hoshi::cli {
namespace {

constexpr std::size_t kBarWidth = 30;
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, std::string_view mode) : out_(out) {
  enabled_ = mode == "always" || (mode == "auto" && isatty(STDERR_FILENO) == 1);
}

ProgressBar::~ProgressBar() {
  Finish();
}

void ProgressBar::Update(std::string_view label, std::size_t done, std::size_t total) {
  if (!enabled_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_ < kRedrawEvery) {
    return;
  }
  last_ = now;
  const std::size_t filled = total == 0 ? kBarWidth : std::min(kBarWidth, done * kBarWidth / total);
  out_ << fmt::format("\r{} [{}{}] {} / {}\x1b[K", label, std::string(filled, '#'),
                      std::string(kBarWidth - filled, '-'),
                      FormatNumber(static_cast<long long>(done)),
                      FormatNumber(static_cast<long long>(total)))
       << std::flush;
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (enabled_ && drawn_) {
    out_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }
}

}  // namespace hoshi::cli
