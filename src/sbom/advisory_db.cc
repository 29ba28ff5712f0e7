// SPDX-License-Identifier: Apache-2.0
// Advisories in memory: by id, and indexed by (base ecosystem, normalised package name).
#include <map>
#include <set>
#include <string>
#include <utility>

#include "hoshi/core/text.h"
#include "hoshi/sbom/advisory.h"

namespace hoshi::sbom {
namespace {

/// The index key of a package: "Debian:12" and "Debian" share one, as do "Django" and "django".
using IndexKey = std::pair<std::string, std::string>;

IndexKey KeyOf(std::string_view ecosystem, std::string_view name) {
  return {std::string(BaseEcosystem(ecosystem)), NormalizePackageName(ecosystem, name)};
}

/// The keys an advisory is indexed under (affected entries without a package have none).
std::set<IndexKey> KeysOf(const Advisory& advisory) {
  std::set<IndexKey> keys;
  for (const AdvisoryAffected& entry : advisory.affected) {
    if (!entry.package.ecosystem.empty() && !entry.package.name.empty()) {
      keys.insert(KeyOf(entry.package.ecosystem, entry.package.name));
    }
  }
  return keys;
}

}  // namespace

struct AdvisoryDb::Impl {
  std::map<std::string, Advisory, std::less<>> by_id;
  /// Package → its advisories, by id so candidates come out sorted. The views and pointers refer
  /// to `by_id`'s nodes, which stay put while the record is held (a modified record is assigned
  /// into its node).
  std::map<IndexKey, std::map<std::string_view, const Advisory*>> index;
  std::optional<KevCatalog> kev;
  /// Upper-cased id and aliases → the records (by id, pointing into `by_id` as `index` does).
  std::map<std::string, std::map<std::string_view, const Advisory*>, std::less<>> by_name;

  void IndexNames(std::string_view id, const Advisory& advisory) {
    by_name[ToUpperAscii(id)].emplace(id, &advisory);
    for (const std::string& alias : advisory.aliases) {
      by_name[ToUpperAscii(alias)].emplace(id, &advisory);
    }
  }

  void UnindexNames(const Advisory& advisory) {
    const auto drop = [&](std::string_view name) {
      const auto it = by_name.find(ToUpperAscii(name));
      if (it != by_name.end()) {
        it->second.erase(advisory.id);
        if (it->second.empty()) {
          by_name.erase(it);
        }
      }
    };
    drop(advisory.id);
    for (const std::string& alias : advisory.aliases) {
      drop(alias);
    }
  }

  /// Sets the KEV mark of `advisory` from the catalog (the earliest date when several of its ids
  /// are listed). Without a catalog the advisory keeps the mark it came with.
  void MarkKev(Advisory& advisory) const {
    if (!kev) {
      return;
    }
    advisory.known_exploited = false;
    advisory.kev_date_added.clear();
    const auto mark = [&](const std::string& id) {
      const auto it = kev->date_added.find(id);
      if (it == kev->date_added.end()) {
        return;
      }
      if (!advisory.known_exploited || it->second < advisory.kev_date_added) {
        advisory.kev_date_added = it->second;
      }
      advisory.known_exploited = true;
    };
    mark(advisory.id);
    for (const std::string& alias : advisory.aliases) {
      mark(alias);
    }
  }

  void Unindex(const Advisory& advisory) {
    for (const IndexKey& key : KeysOf(advisory)) {
      const auto it = index.find(key);
      if (it == index.end()) {
        continue;
      }
      it->second.erase(advisory.id);
      if (it->second.empty()) {
        index.erase(it);
      }
    }
  }

  /// `id` is the by_id key of `advisory`.
  void Index(std::string_view id, const Advisory& advisory) {
    for (const IndexKey& key : KeysOf(advisory)) {
      index[key].emplace(id, &advisory);
    }
  }
};

AdvisoryDb::AdvisoryDb() : impl_(std::make_unique<Impl>()) {}
AdvisoryDb::~AdvisoryDb() = default;
AdvisoryDb::AdvisoryDb(AdvisoryDb&&) noexcept = default;
AdvisoryDb& AdvisoryDb::operator=(AdvisoryDb&&) noexcept = default;

AdvisoryChange AdvisoryDb::Upsert(Advisory advisory) {
  impl_->MarkKev(advisory);
  const auto it = impl_->by_id.find(advisory.id);
  if (it == impl_->by_id.end()) {
    std::string id = advisory.id;
    const auto added = impl_->by_id.emplace(std::move(id), std::move(advisory)).first;
    impl_->Index(added->first, added->second);
    impl_->IndexNames(added->first, added->second);
    return AdvisoryChange::kNew;
  }
  // Same bytes, or (for records built in code, without a hash) the same content.
  const bool same_hash =
      !advisory.content_hash.empty() && advisory.content_hash == it->second.content_hash;
  if (same_hash || advisory == it->second) {
    return AdvisoryChange::kUnchanged;
  }
  impl_->Unindex(it->second);
  impl_->UnindexNames(it->second);
  it->second = std::move(advisory);
  impl_->Index(it->first, it->second);
  impl_->IndexNames(it->first, it->second);
  return AdvisoryChange::kModified;
}

void AdvisoryDb::SetKev(KevCatalog kev) {
  impl_->kev = std::move(kev);
  for (auto& [id, advisory] : impl_->by_id) {
    impl_->MarkKev(advisory);
  }
}

const Advisory* AdvisoryDb::Find(std::string_view id) const {
  const auto it = impl_->by_id.find(id);
  return it == impl_->by_id.end() ? nullptr : &it->second;
}

std::vector<const Advisory*> AdvisoryDb::FindAll(std::string_view id_or_alias) const {
  std::vector<const Advisory*> out;
  const auto it = impl_->by_name.find(ToUpperAscii(id_or_alias));
  if (it != impl_->by_name.end()) {
    for (const auto& [id, advisory] : it->second) {
      out.push_back(advisory);
    }
  }
  return out;
}

std::vector<const Advisory*> AdvisoryDb::Candidates(std::string_view ecosystem,
                                                    std::string_view name) const {
  std::vector<const Advisory*> out;
  const auto it = impl_->index.find(KeyOf(ecosystem, name));
  if (it == impl_->index.end()) {
    return out;
  }
  out.reserve(it->second.size());
  for (const auto& [id, advisory] : it->second) {
    out.push_back(advisory);
  }
  return out;
}

std::size_t AdvisoryDb::size() const {
  return impl_->by_id.size();
}

void AdvisoryDb::ForEach(const std::function<void(const Advisory&)>& visit) const {
  for (const auto& [id, advisory] : impl_->by_id) {
    visit(advisory);
  }
}

}  // namespace hoshi::sbom
