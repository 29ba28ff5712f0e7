// SPDX-License-Identifier: Apache-2.0
// SPDX 2.2/2.3 JSON and SPDX 3.0 JSON-LD. Every package is a component, the described package
// (the subject) included: it is software that can be vulnerable too. The subject only lends its
// name and version to the document. Reading policy: document_internal.h.
#include <algorithm>
#include <array>
#include <utility>

#include "document_internal.h"

namespace hoshi::sbom::detail {
namespace {

constexpr std::size_t kBytesPerPackageGuess = 1024;

// The first package among `ids` gives the document's name and version; false when none is one.
bool SetSubject(const std::vector<std::string_view>& ids, SbomDocument& doc) {
  for (const std::string_view id : ids) {
    const auto it = std::find_if(doc.components.begin(), doc.components.end(),
                                 [&](const Component& c) { return c.ref == id; });
    if (it != doc.components.end()) {
      doc.name = it->name;
      doc.version = it->version;
      return true;
    }
  }
  return false;
}

void ReserveComponents(const JsonReader& reader, SbomDocument& doc) {
  doc.components.reserve(
      std::min(reader.limits().max_components, reader.input_size() / kBytesPerPackageGuess));
}

Status AddComponent(const JsonReader& reader, Component c, std::string_view purl,
                    SbomDocument& doc) {
  if (doc.components.size() >= reader.limits().max_components) {
    return TooManyComponents(reader.limits().max_components);
  }
  AssignPurl(purl, c, doc.invalid_purls);
  doc.components.push_back(std::move(c));
  return Status::Ok();
}

// ---- SPDX 2 ----

class Spdx2Reader {
 public:
  Spdx2Reader(JsonReader& reader, SbomDocument& out) : r_(reader), doc_(out) {}

  Status Read() {
    ReserveComponents(r_, doc_);
    HOSHI_RETURN_IF_ERROR(r_.ForEachRootField(
        [this](std::string_view key, od::value& value) { return ReadRootField(key, value); }));
    // The described packages: documentDescribes, then DESCRIBES / DESCRIBED_BY relationships.
    std::vector<std::string_view> described = std::move(described_);
    for (const auto& [element, related] : describes_) {
      if (element == document_id_) {
        described.push_back(related);
      }
    }
    for (const auto& [element, related] : described_by_) {
      if (related == document_id_) {
        described.push_back(element);
      }
    }
    SetSubject(described, doc_);  // else the document's own name stays
    FinishComponents(doc_.components, {}, {});
    return Status::Ok();
  }

 private:
  Status ReadRootField(std::string_view key, od::value& value) {
    if (key == "spdxVersion") {
      return r_.ReadString(value, key, doc_.spec_version);
    }
    if (key == "SPDXID") {
      return r_.ReadString(value, key, document_id_);
    }
    if (key == "name") {
      return r_.ReadString(value, key, doc_.name);
    }
    if (key == "documentNamespace") {
      return r_.ReadString(value, key, doc_.serial);
    }
    if (key == "documentDescribes") {
      return r_.ForEachString(value, key, [this](std::string_view id) {
        described_.push_back(id);
        return Status::Ok();
      });
    }
    if (key == "packages") {
      return r_.ForEachElement(value, key,
                               [this](od::value& element) { return ReadPackage(element); });
    }
    if (key == "relationships") {
      return r_.ForEachElement(value, key,
                               [this](od::value& element) { return ReadRelationship(element); });
    }
    return Status::Ok();
  }

  Status ReadPackage(od::value& value) {
    Component c;
    std::string_view purl;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          if (key == "SPDXID") {
            return r_.ReadString(field, key, c.ref);
          }
          if (key == "name") {
            return r_.ReadString(field, key, c.name);
          }
          if (key == "versionInfo") {
            return r_.ReadString(field, key, c.version);
          }
          if (key == "externalRefs") {
            return r_.ForEachElement(field, key,
                                     [&](od::value& ref) { return ReadExternalRef(ref, purl); });
          }
          return Status::Ok();
        }));
    return AddComponent(r_, std::move(c), purl, doc_);
  }

  // The first externalRefs entry of type "purl" in the package-manager category (written
  // PACKAGE-MANAGER in SPDX 2.3 and PACKAGE_MANAGER in 2.2's JSON schema).
  Status ReadExternalRef(od::value& value, std::string_view& purl) {
    std::string_view category;
    std::string_view type;
    std::string_view locator;
    HOSHI_RETURN_IF_ERROR(r_.ReadStringFields(value, {},
                                              {{"referenceCategory", &category},
                                               {"referenceType", &type},
                                               {"referenceLocator", &locator}}));
    if (purl.empty() && type == "purl" &&
        (category == "PACKAGE-MANAGER" || category == "PACKAGE_MANAGER")) {
      purl = locator;
    }
    return Status::Ok();
  }

  Status ReadRelationship(od::value& value) {
    std::string_view element;
    std::string_view type;
    std::string_view related;
    HOSHI_RETURN_IF_ERROR(r_.ReadStringFields(value, {},
                                              {{"spdxElementId", &element},
                                               {"relationshipType", &type},
                                               {"relatedSpdxElement", &related}}));
    if (type == "DESCRIBES") {
      describes_.emplace_back(element, related);
    } else if (type == "DESCRIBED_BY") {
      described_by_.emplace_back(element, related);
    }
    return Status::Ok();
  }

  JsonReader& r_;
  SbomDocument& doc_;
  // Views into the parser's string buffer, valid while the document is read.
  std::string_view document_id_ = "SPDXRef-DOCUMENT";
  std::vector<std::string_view> described_;
  std::vector<std::pair<std::string_view, std::string_view>> describes_;
  std::vector<std::pair<std::string_view, std::string_view>> described_by_;
};

// ---- SPDX 3 ----

// Elements looked at while searching the subject through rootElement links (cycles end).
constexpr std::size_t kMaxRootVisits = 64;

// Element types that are packages (software_Package and its subclasses).
constexpr std::array<std::string_view, 3> kSpdx3PackageTypes{"software_Package", "ai_AIPackage",
                                                             "dataset_DatasetPackage"};

// The fields of one @graph element that matter here.
struct Spdx3Element {
  std::string_view type;
  std::string_view id;
  std::string_view name;
  std::string_view version;
  std::string_view purl;           // software_packageUrl
  std::string_view external_purl;  // externalIdentifier[] of type packageUrl
  std::string_view spec_version;   // CreationInfo.specVersion (inline or as its own element)
  std::vector<std::string_view> roots;
};

class Spdx3Reader {
 public:
  Spdx3Reader(JsonReader& reader, SbomDocument& out) : r_(reader), doc_(out) {}

  Status Read() {
    ReserveComponents(r_, doc_);
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachRootField([this](std::string_view key, od::value& value) -> Status {
          if (key != "@graph") {
            return Status::Ok();
          }
          return r_.ForEachElement(value, key,
                                   [this](od::value& element) { return ReadElement(element); });
        }));
    doc_.spec_version = spec_version_.empty() ? "SPDX-3" : "SPDX-" + std::string(spec_version_);
    ResolveSubject();
    FinishComponents(doc_.components, {}, {});
    return Status::Ok();
  }

 private:
  Status ReadElement(od::value& value) {
    Spdx3Element e;
    HOSHI_RETURN_IF_ERROR(
        r_.ForEachField(value, {}, [&](std::string_view key, od::value& field) -> Status {
          return ReadElementField(key, field, e);
        }));
    if (spec_version_.empty()) {
      spec_version_ = e.spec_version;
    }
    if (e.type == "SpdxDocument") {
      doc_.serial.assign(e.id);
      document_name_ = e.name;
      document_roots_ = e.roots;
    }
    if (!e.roots.empty()) {
      roots_.emplace_back(e.id, std::move(e.roots));
    }
    if (std::find(kSpdx3PackageTypes.begin(), kSpdx3PackageTypes.end(), e.type) ==
        kSpdx3PackageTypes.end()) {
      return Status::Ok();
    }
    Component c;
    c.ref.assign(e.id);
    c.name.assign(e.name);
    c.version.assign(e.version);
    return AddComponent(r_, std::move(c), e.purl.empty() ? e.external_purl : e.purl, doc_);
  }

  Status ReadElementField(std::string_view key, od::value& field, Spdx3Element& e) {
    if (key == "type" || key == "@type") {
      return r_.ReadString(field, key, e.type);
    }
    if (key == "spdxId" || key == "@id") {
      return r_.ReadString(field, key, e.id);
    }
    if (key == "name") {
      return r_.ReadString(field, key, e.name);
    }
    if (key == "software_packageVersion") {
      return r_.ReadString(field, key, e.version);
    }
    if (key == "software_packageUrl") {
      return r_.ReadString(field, key, e.purl);
    }
    if (key == "specVersion") {
      return r_.ReadString(field, key, e.spec_version);
    }
    if (key == "rootElement") {
      return r_.ForEachString(field, key, [&](std::string_view id) {
        e.roots.push_back(id);
        return Status::Ok();
      });
    }
    if (key == "externalIdentifier") {
      return r_.ForEachElement(
          field, key, [&](od::value& identifier) { return ReadExternalIdentifier(identifier, e); });
    }
    if (key == "creationInfo") {
      return ReadCreationInfo(field, e);
    }
    return Status::Ok();
  }

  // creationInfo is a blank-node reference ("_:creationinfo") or the object itself.
  Status ReadCreationInfo(od::value& field, Spdx3Element& e) {
    HOSHI_ASSIGN_OR_RETURN(const od::json_type type, r_.TypeOf(field));
    if (type != od::json_type::object) {
      return Status::Ok();
    }
    return r_.ForEachField(field, "creationInfo", [&](std::string_view key, od::value& value) {
      return key == "specVersion" ? r_.ReadString(value, key, e.spec_version) : Status::Ok();
    });
  }

  Status ReadExternalIdentifier(od::value& value, Spdx3Element& e) {
    std::string_view type;
    std::string_view identifier;
    HOSHI_RETURN_IF_ERROR(r_.ReadStringFields(
        value, {}, {{"externalIdentifierType", &type}, {"identifier", &identifier}}));
    if (type == "packageUrl" && e.external_purl.empty()) {
      e.external_purl = identifier;
    }
    return Status::Ok();
  }

  // SpdxDocument.rootElement is usually an Sbom whose rootElement is the package described:
  // breadth-first from the document's roots, the first package found is the subject.
  void ResolveSubject() {
    doc_.name.assign(document_name_);
    std::vector<std::string_view> queue = document_roots_;
    for (std::size_t i = 0; i < queue.size() && i < kMaxRootVisits; ++i) {
      if (SetSubject({queue[i]}, doc_)) {
        return;
      }
      const auto it = std::find_if(roots_.begin(), roots_.end(),
                                   [&](const auto& entry) { return entry.first == queue[i]; });
      if (it != roots_.end()) {
        queue.insert(queue.end(), it->second.begin(), it->second.end());
      }
    }
  }

  JsonReader& r_;
  SbomDocument& doc_;
  std::string_view spec_version_;
  std::string_view document_name_;
  std::vector<std::string_view> document_roots_;
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> roots_;
};

}  // namespace

Status ReadSpdx2(JsonReader& reader, SbomDocument& out) {
  return Spdx2Reader(reader, out).Read();
}

Status ReadSpdx3(JsonReader& reader, SbomDocument& out) {
  return Spdx3Reader(reader, out).Read();
}

}  // namespace hoshi::sbom::detail
