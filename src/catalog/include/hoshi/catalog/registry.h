// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/catalog/catalog.h"
#include "hoshi/storage/database.h"

namespace hoshi::catalog {

/// A mapping between two catalogs (e.g. SECURITY ACTION ★2 self-check items -> the SCS
/// requirements they prepare). Data, shipped under catalogs/mappings/.
struct CatalogMapping {
  std::string id;            ///< e.g. "security-action-2026-01-to-scs-2026-03-27"
  std::string from_catalog;  ///< catalog key
  std::string to_catalog;    ///< catalog key
  LocalizedText title;
  /// What the mapping is and is not (e.g. "our judgement, not an official table").
  LocalizedText note;
  /// from criterion id -> to requirement ids
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
};

/// Parses a mapping from the catalogs/mappings/ JSON format (see docs/catalogs.md).
/// Errors: kDataError naming the field.
[[nodiscard]] Result<CatalogMapping> ParseMappingJson(std::string_view text,
                                                      std::string_view source_name);

/// Checks that every "from" id is a criterion of `from` and every "to" id a requirement of `to`,
/// and that no "from" id appears twice. Returns every problem found (empty when valid).
[[nodiscard]] std::vector<Error> ValidateMapping(const CatalogMapping& mapping,
                                                 const CatalogVersion& from,
                                                 const CatalogVersion& to);

/// All catalogs known to this process: those shipped in the binary (catalogs/*.json, embedded at
/// build time) plus those stored in a database (imported versions). Read-only after loading;
/// safe to share across threads.
class CatalogRegistry {
 public:
  /// The shipped catalogs and mappings; each one is validated (a failure here is a build defect
  /// and is reported as kInternal).
  [[nodiscard]] static Result<CatalogRegistry> LoadBuiltin();
  /// Adds the catalog versions stored in `conn` (table catalog_versions). A stored version whose
  /// key is already loaded (e.g. a later release ships it built in) is skipped. Errors: the
  /// storage error, or kDataError when a stored document does not parse or validate.
  [[nodiscard]] Status LoadStored(storage::Connection& conn);
  /// Adds one catalog after validating it; kAlreadyExists if its key is taken, kDataError (with
  /// the first problem in the message) if it does not validate.
  [[nodiscard]] Status Add(CatalogVersion catalog);

  /// The catalog with this key ("scs-2026-03-27"), or nullptr. The pointer lives as long as the
  /// registry.
  [[nodiscard]] const CatalogVersion* Find(std::string_view key) const;
  /// Every catalog, sorted by key.
  [[nodiscard]] std::vector<const CatalogVersion*> List() const;
  /// The newest version (greatest version string) of `catalog_id`, or nullptr.
  [[nodiscard]] const CatalogVersion* Latest(std::string_view catalog_id) const;
  /// The mapping from catalog `from_key` to catalog `to_key`, or nullptr.
  [[nodiscard]] const CatalogMapping* FindMapping(std::string_view from_key,
                                                  std::string_view to_key) const;
  /// Every mapping, in load order.
  [[nodiscard]] std::vector<const CatalogMapping*> Mappings() const;

 private:
  std::vector<std::unique_ptr<CatalogVersion>> catalogs_;
  std::vector<std::unique_ptr<CatalogMapping>> mappings_;
};

/// Stores `catalog` (document JSON) in catalog_versions inside the caller's connection (and the
/// caller's transaction, if one is open). `imported_at` is an RFC 3339 UTC time.
/// Errors: kDataError if the catalog does not validate, kAlreadyExists if the key is taken, or
/// the storage error.
[[nodiscard]] Status StoreCatalog(storage::Connection& conn, const CatalogVersion& catalog,
                                  std::string_view imported_at);

}  // namespace hoshi::catalog
