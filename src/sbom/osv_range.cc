// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/osv_range.h"

#include <algorithm>

#include "hoshi/sbom/version.h"

namespace hoshi::sbom {
namespace {

const VersionScheme& SchemeOf(const AffectedRange& range, std::string_view ecosystem) {
  if (range.type == AffectedRange::Type::kSemver) {
    return *SchemeFor("SEMVER");
  }
  const VersionScheme* s = SchemeFor(ecosystem);
  return s != nullptr ? *s : GenericScheme();
}

bool IsZero(const RangeEvent& e) {
  return e.kind == RangeEvent::Kind::kIntroduced && e.version == "0";
}

/// The non-limit events of `range` in evaluation order. Stable: events of equal version keep the
/// advisory's order. introduced "0" is the minimum.
std::vector<std::uint32_t> EvaluationOrder(const AffectedRange& range,
                                           const VersionScheme& scheme) {
  std::vector<std::uint32_t> order;
  order.reserve(range.events.size());
  for (std::uint32_t i = 0; i < range.events.size(); ++i) {
    if (range.events[i].kind != RangeEvent::Kind::kLimit) {
      order.push_back(i);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t ia, std::uint32_t ib) {
    const RangeEvent& a = range.events[ia];
    const RangeEvent& b = range.events[ib];
    if (IsZero(a) || IsZero(b)) {
      return IsZero(a) && !IsZero(b);
    }
    return scheme.Compare(a.version, b.version) < 0;
  });
  return order;
}

}  // namespace

void PrepareAffected(AffectedPackage& affected) {
  for (AffectedRange& range : affected.ranges) {
    range.order = range.type == AffectedRange::Type::kGit
                      ? std::vector<std::uint32_t>{}
                      : EvaluationOrder(range, SchemeOf(range, affected.ecosystem));
  }
}

std::optional<AffectedMatch> MatchRange(const AffectedRange& range, std::string_view ecosystem,
                                        std::string_view version) {
  if (range.type == AffectedRange::Type::kGit) {
    return std::nullopt;
  }
  const VersionScheme& scheme = SchemeOf(range, ecosystem);
  // Limits bound the whole range: nothing at or above a limit is affected.
  for (const RangeEvent& e : range.events) {
    if (e.kind == RangeEvent::Kind::kLimit && e.version != "*" &&
        scheme.Compare(version, e.version) >= 0) {
      return std::nullopt;
    }
  }
  // Prepared ranges carry their order (computed with the same ecosystem's scheme by
  // PrepareAffected); others are sorted here.
  // An order that no longer fits the events (changed after PrepareAffected) is not used.
  std::vector<std::uint32_t> computed;
  const bool prepared = !range.order.empty() && range.order.size() <= range.events.size() &&
                        std::all_of(range.order.begin(), range.order.end(),
                                    [&](std::uint32_t i) { return i < range.events.size(); });
  if (!prepared) {
    computed = EvaluationOrder(range, scheme);
  }
  const std::vector<std::uint32_t>& order = prepared ? range.order : computed;
  const auto event = [&](std::size_t i) -> const RangeEvent& { return range.events[order[i]]; };
  const RangeEvent* opened = nullptr;
  std::size_t opened_at = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const RangeEvent& e = event(i);
    switch (e.kind) {
      case RangeEvent::Kind::kIntroduced:
        if (IsZero(e) || scheme.Compare(version, e.version) >= 0) {
          opened = &e;
          opened_at = i;
        }
        break;
      case RangeEvent::Kind::kFixed:
        if (scheme.Compare(version, e.version) >= 0) {
          opened = nullptr;
        }
        break;
      case RangeEvent::Kind::kLastAffected:
        if (scheme.Compare(version, e.version) > 0) {
          opened = nullptr;
        }
        break;
      case RangeEvent::Kind::kLimit:
        break;
    }
  }
  if (opened == nullptr) {
    return std::nullopt;
  }
  AffectedMatch m;
  m.via = AffectedMatch::Via::kRange;
  m.introduced = opened->version;
  for (std::size_t i = opened_at + 1; i < order.size(); ++i) {
    if (event(i).kind != RangeEvent::Kind::kIntroduced) {
      m.until = event(i);
      break;
    }
  }
  return m;
}

std::optional<AffectedMatch> MatchAffected(const AffectedPackage& affected,
                                           std::string_view version) {
  for (std::size_t i = 0; i < affected.ranges.size(); ++i) {
    if (auto m = MatchRange(affected.ranges[i], affected.ecosystem, version)) {
      m->range_index = i;
      return m;
    }
  }
  for (const std::string& v : affected.versions) {
    if (v == version) {
      AffectedMatch m;
      m.via = AffectedMatch::Via::kListedVersion;
      m.listed_version = v;
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace hoshi::sbom
