// SPDX-License-Identifier: Apache-2.0
// Internal: the parts of the defense message table, each owned by the source file that uses it.
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::defense {

/// "defense.log_*" — telemetry logs (log_reader.cc).
[[nodiscard]] std::span<const MessageEntry> LogMessages();
/// "defense.indicator_*", "defense.stix_*" — indicators (indicators.cc).
[[nodiscard]] std::span<const MessageEntry> IndicatorMessages();
/// "defense.detect_*" — detections (detections.cc).
[[nodiscard]] std::span<const MessageEntry> DetectionMessages();
/// "defense.share_*" — de-identified STIX export and TAXII (sharing.cc).
[[nodiscard]] std::span<const MessageEntry> SharingMessages();
/// "defense.telemetry_*", "defense.campaign_*", "defense.warning_*" — correlation, the telemetry
/// store and early warnings (correlation.cc, telemetry_store.cc).
[[nodiscard]] std::span<const MessageEntry> CorrelationMessages();

}  // namespace hoshi::defense
