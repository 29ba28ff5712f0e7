// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/messages.h"

#include <array>
#include <vector>

#include "messages_parts.h"

namespace hoshi::sbom {
namespace {

constexpr std::array kMessages{
    MessageEntry{"sbom.purl_scheme", "パッケージURL「{0}」は「pkg:」で始まる必要があります。",
                 "The package URL '{0}' must start with 'pkg:'."},
    MessageEntry{"sbom.purl_type", "パッケージURL「{0}」の種別（type）が不正です。",
                 "The package URL '{0}' has a missing or invalid type."},
    MessageEntry{"sbom.purl_name", "パッケージURL「{0}」に名前（name）がありません。",
                 "The package URL '{0}' has no name."},
    MessageEntry{"sbom.purl_encoding", "パッケージURL「{0}」のパーセントエンコードが不正です。",
                 "The package URL '{0}' has an invalid percent-encoding."},
    MessageEntry{"sbom.purl_qualifier", "パッケージURL「{0}」の修飾子「{1}」が不正です。",
                 "The package URL '{0}' has an invalid qualifier '{1}'."},
    MessageEntry{"sbom.purl_type_rule",
                 "パッケージURL「{0}」は種別「{1}」の規則に反しています（{2}）。",
                 "The package URL '{0}' breaks a rule of type '{1}' ({2})."},
    MessageEntry{"sbom.version_invalid", "バージョン「{0}」は{1}の形式として不正です。",
                 "The version '{0}' is not a valid {1} version."},
};

}  // namespace

std::span<const MessageEntry> SbomMessages() {
  // One table for the module, assembled once from the parts each source file owns.
  static const std::vector<MessageEntry> kAll = [] {
    std::vector<MessageEntry> all(kMessages.begin(), kMessages.end());
    for (const auto part : {DocumentMessages(), AdvisoryMessages(), FleetMessages()}) {
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }();
  return kAll;
}

}  // namespace hoshi::sbom
