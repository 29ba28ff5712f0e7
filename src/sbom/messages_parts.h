// SPDX-License-Identifier: Apache-2.0
// Internal: the parts of the sbom message table, each owned by the source file that uses it.
#pragma once

#include <span>

#include "hoshi/core/i18n.h"

namespace hoshi::sbom {

/// "sbom.parse_*", "sbom.vex_*", "sbom.too_large" — SBOM and VEX documents (document.cc).
[[nodiscard]] std::span<const MessageEntry> DocumentMessages();
/// "sbom.osv_*", "sbom.kev_*", "sbom.cvss_*" — advisories (osv_advisory.cc).
[[nodiscard]] std::span<const MessageEntry> AdvisoryMessages();
/// "sbom.fleet_*" — stored SBOMs and findings (fleet_store.cc).
[[nodiscard]] std::span<const MessageEntry> FleetMessages();

}  // namespace hoshi::sbom
