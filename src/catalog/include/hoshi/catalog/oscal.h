// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "hoshi/catalog/catalog.h"
#include "hoshi/core/i18n.h"
#include "hoshi/core/json.h"

namespace hoshi::catalog {

/// The OSCAL version the export follows.
inline constexpr std::string_view kOscalVersion = "1.1.2";
/// Namespace of hoshitori's own OSCAL props (level, recurrence, csf, text-source).
inline constexpr std::string_view kOscalNamespace = "urn:hoshitori:oscal";

/// Exports a catalog as an OSCAL 1.1.2 catalog document ({"catalog": {...}}):
///   - categories and sub-categories become nested groups ("cat-1", "sub-1-1");
///   - requirements become controls ("req-1-1-1") with a "statement" part (the official text
///     when imported, else our summary) and one "item" part per criterion ("crit-1-1-1-1")
///     holding the criterion text, a "guidance" sub-part and an "assessment-objective"-style
///     evidence hint;
///   - props: "label" (the scheme's id), and in kOscalNamespace "level" (lowest level at which
///     it applies), "recurrence", "csf-function", "csf-category", "scored".
/// Titles and prose are in `lang` (Japanese by default); metadata.remarks carries the paraphrase
/// note. `uuid` is the document's UUID (RFC 4122) and `timestamp` its last-modified time
/// (RFC 3339); both are given by the caller so the export is deterministic.
[[nodiscard]] Json ToOscalCatalog(const CatalogVersion& catalog, std::string_view uuid,
                                  std::string_view timestamp, Lang lang = Lang::kJa);

}  // namespace hoshi::catalog
