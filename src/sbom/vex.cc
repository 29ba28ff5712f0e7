// SPDX-License-Identifier: Apache-2.0
// VEX documents: CycloneDX (vulnerabilities[].analysis, read by cyclonedx.cc), OpenVEX 0.x and
// CSAF 2.0 (product_status resolved to purls through the product tree). Every id and alias of a
// vulnerability gets its own statement so that matching by any of them works. Reading policy:
// document_internal.h.
#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "document_internal.h"

namespace hoshi::sbom {
namespace detail {
namespace {

struct StatusRow {
  std::string_view name;
  VexStatus status;
};
constexpr std::array kOpenVexStatuses{
    StatusRow{"not_affected", VexStatus::kNotAffected},
    StatusRow{"affected", VexStatus::kAffected},
    StatusRow{"fixed", VexStatus::kFixed},
    StatusRow{"under_investigation", VexStatus::kUnderInvestigation},
};
// CSAF product_status lists; "recommended" says nothing about being affected and is skipped.
constexpr std::array kCsafStatuses{
    StatusRow{"known_not_affected", VexStatus::kNotAffected},
    StatusRow{"known_affected", VexStatus::kAffected},
    StatusRow{"first_affected", VexStatus::kAffected},
    StatusRow{"last_affected", VexStatus::kAffected},
    StatusRow{"fixed", VexStatus::kFixed},
    StatusRow{"first_fixed", VexStatus::kFixed},
    StatusRow{"under_investigation", VexStatus::kUnderInvestigation},
};

template <std::size_t N>
const StatusRow* FindStatus(const std::array<StatusRow, N>& table, std::string_view name) {
  const auto* row =
      std::find_if(table.begin(), table.end(), [&](const StatusRow& r) { return r.name == name; });
  return row == table.end() ? nullptr : row;
}

// Appends the canonical purl of `text`; other identifiers (IRIs, CPEs) are not matchable.
void AddPurl(std::string_view text, std::vector<std::string>& purls) {
  if (auto purl = CanonicalPurl(text)) {
    purls.push_back(std::move(*purl));
  }
}

// Drops repeated values, keeping the first of each (linear: CSAF lists can be long).
void RemoveDuplicates(std::vector<std::string>& values) {
  std::unordered_set<std::string> seen;
  seen.reserve(values.size());
  const auto end = std::remove_if(values.begin(), values.end(),
                                  [&](const std::string& v) { return !seen.insert(v).second; });
  values.erase(end, values.end());
}

Status AppendString(std::vector<std::string_view>& out, std::string_view text) {
  out.push_back(text);
  return Status::Ok();
}

// ---- OpenVEX ----

class OpenVexReader {
 public:
  OpenVexReader(JsonReader& reader, std::vector<VexStatement>& out) : r_(reader), out_(out) {}

  Status Read() {
    return r_.ForEachRootField([this](std::string_view key, od::value& value) -> Status {
      if (key != "statements") {
        return Status::Ok();
      }
      return r_.ForEachElement(value, key,
                               [this](od::value& element) { return ReadStatement(element); });
    });
  }

 private:
  Status ReadStatement(od::value& value) {
    VexStatement statement;
    statement.source = "openvex";
    std::vector<std::string_view> ids(1);  // the name first, then the aliases
    std::string_view impact;
    std::string_view notes;
    bool has_status = false;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          if (key == "vulnerability") {
            return ReadVulnerability(field, ids);
          }
          if (key == "products" || key == "subcomponents") {
            return r_.ForEachElement(field, key, [&](od::value& product) {
              return ReadProduct(product, statement, /*nested=*/key == "subcomponents");
            });
          }
          if (key == "status") {
            has_status = true;
            return ReadStatus(field, statement);
          }
          if (key == "justification") {
            return r_.ReadString(field, key, statement.justification);
          }
          if (key == "impact_statement") {
            return r_.ReadString(field, key, impact);
          }
          if (key == "status_notes") {
            return r_.ReadString(field, key, notes);
          }
          return Status::Ok();
        }));
    if (!has_status) {
      return r_.ErrorHere(ErrorCode::kDataError, "sbom.vex_status", "status", "");
    }
    statement.detail.assign(impact.empty() ? notes : impact);
    RemoveDuplicates(statement.product_purls);
    return EmitStatements(statement, ids, r_.limits(), out_);
  }

  Status ReadStatus(od::value& value, VexStatement& statement) {
    std::string_view text;
    HOSHI_RETURN_IF_ERROR(r_.ReadString(value, "status", text));
    const StatusRow* row = FindStatus(kOpenVexStatuses, text);
    if (row == nullptr) {
      return r_.ErrorHere(ErrorCode::kDataError, "sbom.vex_status", "status", text);
    }
    statement.status = row->status;
    return Status::Ok();
  }

  // "CVE-…" (OpenVEX 0.0.x) or {"name": "CVE-…", "aliases": ["GHSA-…"], "@id": …} (0.2).
  Status ReadVulnerability(od::value& value, std::vector<std::string_view>& ids) {
    HOSHI_ASSIGN_OR_RETURN(const od::json_type type, r_.TypeOf(value));
    if (type != od::json_type::object) {
      return r_.ReadString(value, "vulnerability", ids.front());
    }
    return r_.ForEachField(value, "vulnerability", [&](std::string_view key, od::value& field) {
      if (key == "name") {
        return r_.ReadString(field, key, ids.front());
      }
      if (key == "aliases") {
        return r_.ForEachString(field, key,
                                [&](std::string_view alias) { return AppendString(ids, alias); });
      }
      return Status::Ok();
    });
  }

  // A product: a purl string, or {"@id": purl or IRI, "identifiers": {"purl": …},
  // "subcomponents": [...]}. Subcomponents are the vulnerable packages inside the product, so
  // their purls are kept with the product's (one level; deeper ones are ignored).
  Status ReadProduct(od::value& value, VexStatement& statement, bool nested) {
    HOSHI_ASSIGN_OR_RETURN(const od::json_type type, r_.TypeOf(value));
    if (type != od::json_type::object) {
      std::string_view id;
      HOSHI_RETURN_IF_ERROR(r_.ReadString(value, {}, id));
      AddPurl(id, statement.product_purls);
      return Status::Ok();
    }
    return r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
      if (key == "@id") {
        std::string_view id;
        HOSHI_RETURN_IF_ERROR(r_.ReadString(field, key, id));
        AddPurl(id, statement.product_purls);
      } else if (key == "identifiers") {
        return r_.ForEachField(field, key, [&](std::string_view name, od::value& identifier) {
          return name == "purl" ? ReadPurl(identifier, name, statement) : Status::Ok();
        });
      } else if (key == "subcomponents" && !nested) {
        return r_.ForEachElement(field, key, [&](od::value& sub) {
          return ReadProduct(sub, statement, /*nested=*/true);
        });
      }
      return Status::Ok();
    });
  }

  Status ReadPurl(od::value& value, std::string_view name, VexStatement& statement) {
    std::string_view text;
    HOSHI_RETURN_IF_ERROR(r_.ReadString(value, name, text));
    AddPurl(text, statement.product_purls);
    return Status::Ok();
  }

  JsonReader& r_;
  std::vector<VexStatement>& out_;
};

// ---- CSAF 2.0 ----

// flags[] and threats[]: a text (flag label, impact details) for some products and groups.
struct ProductNote {
  std::string_view text;
  std::vector<std::string_view> product_ids;
  std::vector<std::string_view> group_ids;
};

struct CsafVulnerability {
  std::vector<std::string_view> ids{std::string_view{}};  // cve first, then ids[].text
  std::vector<std::pair<VexStatus, std::vector<std::string_view>>> statuses;
  std::vector<ProductNote> flags;
  std::vector<ProductNote> impacts;
};

class CsafReader {
 public:
  CsafReader(JsonReader& reader, std::vector<VexStatement>& out) : r_(reader), out_(out) {}

  // The product tree may follow the vulnerabilities: everything is resolved at the end.
  Status Read() {
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachRootField([this](std::string_view key, od::value& value) -> Status {
          if (key == "product_tree") {
            return ReadProductTree(value);
          }
          if (key == "vulnerabilities") {
            return r_.ForEachElement(value, key, [this](od::value& element) {
              return ReadVulnerability(element, vulnerabilities_.emplace_back());
            });
          }
          return Status::Ok();
        }));
    for (const CsafVulnerability& v : vulnerabilities_) {
      HOSHI_RETURN_IF_ERROR(Emit(v));
    }
    return Status::Ok();
  }

 private:
  Status ReadProductTree(od::value& value) {
    return r_.ForEachField(value, "product_tree", [&](std::string_view key, od::value& field) {
      if (key == "full_product_names") {
        return r_.ForEachElement(
            field, key, [&](od::value& product) { return ReadFullProductName(product, {}); });
      }
      if (key == "branches") {
        return ReadBranches(field, 1);
      }
      if (key == "relationships") {
        return r_.ForEachElement(field, key,
                                 [&](od::value& relation) { return ReadRelationship(relation); });
      }
      if (key == "product_groups") {
        return r_.ForEachElement(field, key, [&](od::value& group) { return ReadGroup(group); });
      }
      return Status::Ok();
    });
  }

  Status ReadBranches(od::value& value, std::size_t depth) {
    const std::size_t max_depth = r_.max_depth();
    if (depth > max_depth) {
      return r_.ErrorHere(ErrorCode::kTooLarge, "sbom.parse_too_deep", "branches", max_depth);
    }
    return r_.ForEachElement(value, "branches", [&](od::value& branch) {
      return r_.ForEachField(branch, {}, [&](std::string_view key, od::value& field) {
        if (key == "product") {
          return ReadFullProductName(field, key);
        }
        return key == "branches" ? ReadBranches(field, depth + 1) : Status::Ok();
      });
    });
  }

  // {"product_id": …, "name": …, "product_identification_helper": {"purl": …, "purls": […]}}
  // ("purls" is CSAF 2.1's spelling).
  Status ReadFullProductName(od::value& value, std::string_view name) {
    std::string_view id;
    std::vector<std::string_view> purls;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, name, [&](std::string_view key, od::value& field) -> Status {
          if (key == "product_id") {
            return r_.ReadString(field, key, id);
          }
          if (key != "product_identification_helper") {
            return Status::Ok();
          }
          return r_.ForEachField(field, key, [&](std::string_view helper, od::value& text) {
            if (helper != "purl" && helper != "purls") {
              return Status::Ok();
            }
            return r_.ForEachString(
                text, helper, [&](std::string_view purl) { return AppendString(purls, purl); });
          });
        }));
    if (!id.empty()) {
      auto& known = purls_by_product_[id];
      known.insert(known.end(), purls.begin(), purls.end());
    }
    return Status::Ok();
  }

  // A product made of another ("component X default_component_of product Y"): its purls are the
  // component's, the package a finding is about.
  Status ReadRelationship(od::value& value) {
    std::string_view reference;
    std::string_view id;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          if (key == "product_reference") {
            return r_.ReadString(field, key, reference);
          }
          if (key != "full_product_name") {
            return Status::Ok();
          }
          return r_.ForEachField(field, key, [&](std::string_view name, od::value& text) {
            return name == "product_id" ? r_.ReadString(text, name, id) : Status::Ok();
          });
        }));
    if (!id.empty() && !reference.empty()) {
      component_of_.emplace(id, reference);
    }
    return Status::Ok();
  }

  Status ReadGroup(od::value& value) {
    std::string_view id;
    std::vector<std::string_view> members;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          if (key == "group_id") {
            return r_.ReadString(field, key, id);
          }
          return key == "product_ids" ? ReadIds(field, key, members) : Status::Ok();
        }));
    if (!id.empty()) {
      groups_[id] = std::move(members);
    }
    return Status::Ok();
  }

  Status ReadIds(od::value& value, std::string_view name, std::vector<std::string_view>& out) {
    return r_.ForEachString(value, name,
                            [&](std::string_view text) { return AppendString(out, text); });
  }

  Status ReadVulnerability(od::value& value, CsafVulnerability& v) {
    return r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
      if (key == "cve") {
        return r_.ReadString(field, key, v.ids.front());
      }
      if (key == "ids") {
        return r_.ForEachElement(field, key, [&](od::value& id) {
          return r_.ForEachField(id, {}, [&](std::string_view name, od::value& text) {
            return name == "text" ? r_.ReadString(text, name, v.ids.emplace_back()) : Status::Ok();
          });
        });
      }
      if (key == "product_status") {
        return r_.ForEachField(field, key, [&](std::string_view name, od::value& list) {
          const StatusRow* row = FindStatus(kCsafStatuses, name);
          return row == nullptr
                     ? Status::Ok()
                     : ReadIds(list, name,
                               v.statuses.emplace_back(row->status, std::vector<std::string_view>{})
                                   .second);
        });
      }
      if (key == "flags" || key == "threats") {
        return r_.ForEachElement(
            field, key, [&](od::value& note) { return ReadNote(note, key == "flags", v); });
      }
      return Status::Ok();
    });
  }

  // flags[]: {"label", "product_ids", "group_ids"}; threats[]: {"category": "impact", "details",
  // "product_ids", "group_ids"} (other threat categories are not VEX details).
  Status ReadNote(od::value& value, bool is_flag, CsafVulnerability& v) {
    ProductNote note;
    std::string_view category;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          if (key == (is_flag ? "label" : "details")) {
            return r_.ReadString(field, key, note.text);
          }
          if (key == "category" && !is_flag) {
            return r_.ReadString(field, key, category);
          }
          if (key == "product_ids") {
            return ReadIds(field, key, note.product_ids);
          }
          return key == "group_ids" ? ReadIds(field, key, note.group_ids) : Status::Ok();
        }));
    if (is_flag) {
      v.flags.push_back(std::move(note));
    } else if (category == "impact") {
      v.impacts.push_back(std::move(note));
    }
    return Status::Ok();
  }

  // product id → text, from notes naming the product directly or through a group.
  using TextByProduct = std::unordered_map<std::string_view, std::string_view>;
  TextByProduct IndexNotes(const std::vector<ProductNote>& notes) const {
    TextByProduct out;
    for (const ProductNote& note : notes) {
      for (const std::string_view id : note.product_ids) {
        out.emplace(id, note.text);
      }
      for (const std::string_view group : note.group_ids) {
        if (const auto it = groups_.find(group); it != groups_.end()) {
          for (const std::string_view id : it->second) {
            out.emplace(id, note.text);
          }
        }
      }
    }
    return out;
  }

  void AddProductPurls(std::string_view id, std::vector<std::string>& purls) const {
    const auto relation = component_of_.find(id);
    const std::string_view product = relation == component_of_.end() ? id : relation->second;
    if (const auto it = purls_by_product_.find(product); it != purls_by_product_.end()) {
      for (const std::string_view purl : it->second) {
        AddPurl(purl, purls);
      }
    }
  }

  // One statement per (status, justification, detail) and id; products sharing them are merged.
  Status Emit(const CsafVulnerability& v) {
    const TextByProduct labels = IndexNotes(v.flags);
    const TextByProduct impacts = IndexNotes(v.impacts);
    const auto text_for = [](const TextByProduct& index, std::string_view id) {
      const auto it = index.find(id);
      return it == index.end() ? std::string_view{} : it->second;
    };
    for (const auto& [status, products] : v.statuses) {
      std::vector<VexStatement> grouped;
      for (const std::string_view id : products) {
        const std::string_view label = text_for(labels, id);
        const std::string_view impact = text_for(impacts, id);
        auto it = std::find_if(grouped.begin(), grouped.end(), [&](const VexStatement& s) {
          return s.justification == label && s.detail == impact;
        });
        if (it == grouped.end()) {
          it = grouped.insert(grouped.end(), VexStatement{});
          it->status = status;
          it->justification.assign(label);
          it->detail.assign(impact);
          it->source = "csaf";
        }
        AddProductPurls(id, it->product_purls);
      }
      for (VexStatement& statement : grouped) {
        RemoveDuplicates(statement.product_purls);
        HOSHI_RETURN_IF_ERROR(EmitStatements(statement, v.ids, r_.limits(), out_));
      }
    }
    return Status::Ok();
  }

  JsonReader& r_;
  std::vector<VexStatement>& out_;
  std::vector<CsafVulnerability> vulnerabilities_;
  std::unordered_map<std::string_view, std::vector<std::string_view>> purls_by_product_;
  std::unordered_map<std::string_view, std::string_view> component_of_;
  std::unordered_map<std::string_view, std::vector<std::string_view>> groups_;
};

}  // namespace

Status ReadVexBody(JsonReader& reader, std::vector<VexStatement>& out) {
  std::string version;
  HOSHI_ASSIGN_OR_RETURN(const DocumentKind kind, reader.Detect(version));
  switch (kind) {
    case DocumentKind::kCycloneDx: {
      SbomDocument doc;
      HOSHI_RETURN_IF_ERROR(ReadCycloneDx(reader, /*vex_only=*/true, doc));
      out = std::move(doc.vex);
      return Status::Ok();
    }
    case DocumentKind::kOpenVex:
      return ReadOpenVex(reader, out);
    case DocumentKind::kCsaf:
      return ReadCsaf(reader, out);
    default:
      return MakeError(ErrorCode::kDataError, SbomMessages(), "sbom.vex_unsupported");
  }
}

Status ReadOpenVex(JsonReader& reader, std::vector<VexStatement>& out) {
  return OpenVexReader(reader, out).Read();
}

Status ReadCsaf(JsonReader& reader, std::vector<VexStatement>& out) {
  return CsafReader(reader, out).Read();
}

}  // namespace detail

Result<std::vector<VexStatement>> ParseVex(std::string_view json, const ParseLimits& limits) {
  return detail::ParseText<std::vector<VexStatement>>(json, limits, detail::ReadVexBody);
}

}  // namespace hoshi::sbom
