// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/catalog/catalog.h"
#include "hoshi/storage/database.h"

namespace hoshi::catalog {

/// A mapping between two catalogs (e.g. SECURITY ACTION ★2 self-check items -> the SCS
/// requirements they prepare). Data, shipped under catalogs/mappings/.
struct CatalogMapping {
  std::string id;           ///< e.g. "security-action-2026-01-to-scs-2026-03-27"
  std::string from_catalog;  ///< catalog key
  std::string to_catalog;    ///< catalog key
  LocalizedText title;
  /// from criterion id -> to requirement ids
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
};

/// All catalogs known to this process: those shipped in the binary (catalogs/*.json, embedded at
/// build time) plus those stored in a database (imported versions). Read-only after loading;
/// safe to share across threads.
class CatalogRegistry {
 public:
  /// The shipped catalogs and mappings; each one is validated (a failure here is a build defect
  /// and is reported as kInternal).
  [[nodiscard]] static Result<CatalogRegistry> LoadBuiltin();
  /// Adds the catalog versions stored in `conn` (table catalog_versions).
  [[nodiscard]] Status LoadStored(storage::Connection& conn);
  /// Adds one catalog; kAlreadyExists if its key is taken.
  [[nodiscard]] Status Add(CatalogVersion catalog);

  [[nodiscard]] const CatalogVersion* Find(std::string_view key) const;
  [[nodiscard]] std::vector<const CatalogVersion*> List() const;
  [[nodiscard]] const CatalogMapping* FindMapping(std::string_view from_key,
                                                  std::string_view to_key) const;
  [[nodiscard]] std::vector<const CatalogMapping*> Mappings() const;

 private:
  std::vector<std::unique_ptr<CatalogVersion>> catalogs_;
  std::vector<std::unique_ptr<CatalogMapping>> mappings_;
};

/// Stores `catalog` (document JSON) in catalog_versions inside the caller's connection.
/// kAlreadyExists if the key is taken.
[[nodiscard]] Status StoreCatalog(storage::Connection& conn, const CatalogVersion& catalog,
                                  std::string_view imported_at);

}  // namespace hoshi::catalog
