// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "hoshi/core/result.h"

namespace hoshi::sbom {

/// The base score (0.0–10.0, one decimal) of a CVSS vector: v2 ("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
/// v3.0/v3.1 ("CVSS:3.1/AV:N/…") or v4.0 ("CVSS:4.0/AV:N/…", FIRST's macro-vector method).
/// Every metric of the version is validated, but only the base metrics enter the score (v4.0
/// gives CVSS-B: E, the environmental and supplemental metrics are ignored, as v3's temporal and
/// environmental ones are). Errors are kDataError with reason "sbom.cvss_invalid".
[[nodiscard]] Result<double> CvssBaseScore(std::string_view vector);

}  // namespace hoshi::sbom
