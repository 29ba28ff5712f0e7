// SPDX-License-Identifier: Apache-2.0
// CycloneDX JSON 1.2–1.6: the subject (metadata.component), components (nested, depth-first) and
// the VEX part (vulnerabilities[].analysis). Reading policy: document_internal.h.
#include <algorithm>
#include <array>

#include "document_internal.h"

namespace hoshi::sbom::detail {
namespace {

struct StateRow {
  std::string_view state;
  VexStatus status;
};
// analysis.state (CycloneDX 1.4+) → VEX status.
constexpr std::array kStates{
    StateRow{"not_affected", VexStatus::kNotAffected},
    StateRow{"false_positive", VexStatus::kNotAffected},
    StateRow{"exploitable", VexStatus::kAffected},
    StateRow{"resolved", VexStatus::kFixed},
    StateRow{"resolved_with_pedigree", VexStatus::kFixed},
    StateRow{"in_triage", VexStatus::kUnderInvestigation},
};

// Bytes of JSON per component in typical BOMs is 1–2.5 KB: enough to reserve once or twice.
constexpr std::size_t kBytesPerComponentGuess = 1024;

// An `affects[].ref`: a bom-ref, a purl, or a BOM-Link ("urn:cdx:serial/version#bom-ref") whose
// fragment is the bom-ref in the other BOM. Refs that are purls also go to product_purls.
void AddAffectedRef(std::string_view ref, VexStatement& statement) {
  if (ref.starts_with("urn:cdx:")) {
    if (const auto hash = ref.find('#'); hash != std::string_view::npos) {
      ref.remove_prefix(hash + 1);
    }
  }
  if (ref.empty()) {
    return;
  }
  statement.product_refs.emplace_back(ref);
  if (auto purl = CanonicalPurl(ref)) {
    statement.product_purls.push_back(std::move(*purl));
  }
}

class CycloneDxReader {
 public:
  CycloneDxReader(JsonReader& reader, bool vex_only, SbomDocument& out)
      : r_(reader), vex_only_(vex_only), doc_(out) {}

  Status Read() {
    if (!vex_only_) {
      const std::size_t guess =
          std::min(r_.limits().max_components, r_.input_size() / kBytesPerComponentGuess);
      doc_.components.reserve(guess);
      parents_.reserve(guess);
    }
    HOSHI_RETURN_IF_ERROR(r_.ForEachRootField(
        [this](std::string_view key, od::value& value) { return ReadRootField(key, value); }));
    FinishComponents(doc_.components, parents_, subject_ref_);
    return Status::Ok();
  }

 private:
  Status ReadRootField(std::string_view key, od::value& value) {
    if (key == "specVersion") {
      HOSHI_RETURN_IF_ERROR(r_.ReadString(value, key, doc_.spec_version));
      if (!doc_.spec_version.empty() && !doc_.spec_version.starts_with("1.")) {
        return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.parse_version", "CycloneDX",
                         doc_.spec_version);
      }
      return Status::Ok();
    }
    if (key == "serialNumber") {
      return r_.ReadString(value, key, doc_.serial);
    }
    if (key == "vulnerabilities") {
      return r_.ForEachElement(value, key,
                               [this](od::value& element) { return ReadVulnerability(element); });
    }
    if (vex_only_) {
      return Status::Ok();
    }
    if (key == "metadata") {
      return r_.ForEachField(value, key, [this](std::string_view name, od::value& field) {
        return name == "component" ? ReadSubject(field) : Status::Ok();
      });
    }
    if (key == "components") {
      return ReadComponents(value, kNoParent, 1);
    }
    return Status::Ok();
  }

  // metadata.component: the BOM's subject. Not a component itself; its nested components are.
  Status ReadSubject(od::value& value) {
    Component subject;
    std::size_t ignored_invalid = 0;
    std::string_view purl;
    HOSHI_RETURN_IF_ERROR(
        ReadComponentFields(value, "component", kSubjectParent, 0, subject, purl));
    AssignPurl(purl, subject, ignored_invalid);
    doc_.name = std::move(subject.name);
    doc_.version = std::move(subject.version);
    subject_ref_ = std::move(subject.ref);
    return Status::Ok();
  }

  // A `components` array at nesting `depth` (1 for the top level).
  Status ReadComponents(od::value& value, std::uint32_t parent, std::size_t depth) {
    return r_.ForEachElement(value, "components", [&](od::value& element) {
      return ReadComponent(element, parent, depth);
    });
  }

  Status ReadComponent(od::value& value, std::uint32_t parent, std::size_t depth) {
    if (const std::size_t max_depth = r_.max_depth(); depth > max_depth) {
      return r_.ErrorHere(ErrorCode::kTooLarge, "sbom.parse_too_deep", {}, max_depth);
    }
    if (doc_.components.size() >= r_.limits().max_components) {
      return TooManyComponents(r_.limits().max_components);
    }
    // The slot is taken before the nested components so that the order is depth-first.
    const auto index = static_cast<std::uint32_t>(doc_.components.size());
    doc_.components.emplace_back();
    parents_.push_back(parent);
    Component c;
    std::string_view purl;
    HOSHI_RETURN_IF_ERROR(ReadComponentFields(value, {}, index, depth, c, purl));
    AssignPurl(purl, c, doc_.invalid_purls);
    doc_.components[index] = std::move(c);
    return Status::Ok();
  }

  Status ReadComponentFields(od::value& value, std::string_view name, std::uint32_t self,
                             std::size_t depth, Component& c, std::string_view& purl) {
    return r_.ForEachField(value, name, [&](std::string_view key, od::value& field) -> Status {
      if (key == "bom-ref") {
        return r_.ReadString(field, key, c.ref);
      }
      if (key == "group") {
        return r_.ReadString(field, key, c.group);
      }
      if (key == "name") {
        return r_.ReadString(field, key, c.name);
      }
      if (key == "version") {
        return r_.ReadString(field, key, c.version);
      }
      if (key == "purl") {
        return r_.ReadString(field, key, purl);
      }
      if (key == "components") {
        return ReadComponents(field, self, depth + 1);
      }
      return Status::Ok();
    });
  }

  // One statement per id: the vulnerability id, then the ids of references[] (aliases such as
  // GHSA or vendor ids), so that matching by any of them works. A vulnerability without
  // analysis.state (a VDR entry) says nothing about exploitability and gives no statement.
  Status ReadVulnerability(od::value& value) {
    VexStatement statement;
    statement.source = "cyclonedx";
    std::vector<std::string_view> ids(1);
    bool has_state = false;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          if (key == "id") {
            return r_.ReadString(field, key, ids.front());
          }
          if (key == "references") {
            return r_.ForEachElement(
                field, key, [&](od::value& reference) { return ReadReferenceId(reference, ids); });
          }
          if (key == "analysis") {
            return ReadAnalysis(field, statement, has_state);
          }
          if (key == "affects") {
            return r_.ForEachElement(
                field, key, [&](od::value& affected) { return ReadAffected(affected, statement); });
          }
          return Status::Ok();
        }));
    return has_state ? EmitStatements(statement, ids, r_.limits(), doc_.vex) : Status::Ok();
  }

  Status ReadReferenceId(od::value& reference, std::vector<std::string_view>& ids) {
    return r_.ForEachField(reference, {}, [&](std::string_view key, od::value& field) -> Status {
      if (key != "id") {
        return Status::Ok();
      }
      HOSHI_RETURN_IF_ERROR(r_.ReadString(field, key, ids.emplace_back()));
      return Status::Ok();
    });
  }

  Status ReadAnalysis(od::value& value, VexStatement& statement, bool& has_state) {
    return r_.ForEachField(value, "analysis", [&](std::string_view key, od::value& field) {
      if (key == "state") {
        return ReadState(field, statement, has_state);
      }
      if (key == "justification") {
        return r_.ReadString(field, key, statement.justification);
      }
      if (key == "detail") {
        return r_.ReadString(field, key, statement.detail);
      }
      return Status::Ok();
    });
  }

  Status ReadState(od::value& value, VexStatement& statement, bool& has_state) {
    std::string_view state;
    HOSHI_RETURN_IF_ERROR(r_.ReadString(value, "state", state));
    if (state.empty()) {
      return Status::Ok();
    }
    const auto* row = std::find_if(kStates.begin(), kStates.end(),
                                   [&](const StateRow& s) { return s.state == state; });
    if (row == kStates.end()) {
      return r_.ErrorHere(ErrorCode::kDataError, "sbom.vex_status", "state", state);
    }
    statement.status = row->status;
    has_state = true;
    return Status::Ok();
  }

  // affects[]: {"ref": …, "versions": […]}. The versions list is not kept: a ref names one
  // component of one BOM, which has one version.
  Status ReadAffected(od::value& value, VexStatement& statement) {
    return r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
      if (key != "ref") {
        return Status::Ok();
      }
      std::string_view ref;
      HOSHI_RETURN_IF_ERROR(r_.ReadString(field, key, ref));
      AddAffectedRef(ref, statement);
      return Status::Ok();
    });
  }

  JsonReader& r_;
  bool vex_only_;
  SbomDocument& doc_;
  std::vector<std::uint32_t> parents_;
  std::string subject_ref_;
};

}  // namespace

Status ReadCycloneDx(JsonReader& reader, bool vex_only, SbomDocument& out) {
  return CycloneDxReader(reader, vex_only, out).Read();
}

}  // namespace hoshi::sbom::detail
