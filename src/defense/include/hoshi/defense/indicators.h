// SPDX-License-Identifier: Apache-2.0
// Indicators of compromise: STIX 2.1 bundles and plain lists in, fast matching out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/event.h"

namespace hoshi::defense {

/// What an indicator value is. An address with a full-length prefix is always kIp.
enum class IndicatorType : std::uint8_t { kIp, kCidr, kDomain, kUrl, kMd5, kSha1, kSha256 };
/// "ip", "cidr", "domain", "url", "md5", "sha1", "sha256".
[[nodiscard]] std::string_view IndicatorTypeName(IndicatorType type);

/// One indicator, as given to IndicatorSet::Add and as returned by IndicatorView::ToIndicator.
struct Indicator {
  IndicatorType type = IndicatorType::kIp;
  /// Normalised by Add (and by MakeIndicator): IPs in canonical text (dotted quad, RFC 5952);
  /// CIDRs as "network/prefix" with the host bits cleared; domains in ASCII lower case without a
  /// trailing dot (IDNA labels kept as given); URLs with scheme and host in lower case, default
  /// port and fragment dropped, an empty path as "/"; hashes in lower-case hex.
  std::string value;
  /// Prefix length in the address family's own terms: 0–32 for IPv4, 0–128 for IPv6; 32/128 for
  /// kIp; 0 for other types.
  std::uint8_t prefix_len = 0;
  int score = -1;       ///< list score or STIX confidence (0–100); -1 unknown
  std::string source;   ///< feed or file name
  std::string stix_id;  ///< "indicator--…" when imported from STIX
  std::string tlp;      ///< "clear", "white", "green", "amber", "amber+strict", "red" or ""
  std::int64_t valid_from_us = 0;   ///< start of validity (µs since the epoch); 0 = open
  std::int64_t valid_until_us = 0;  ///< end of validity, exclusive; 0 = open
  std::vector<std::string> labels;  ///< STIX indicator_types / labels
};

/// Checks and normalises an indicator value. With `type` unset the type is detected: hash
/// (32/40/64 hex digits), IP, CIDR, URL (has "://"), domain (at least one dot), or
/// "host/path" (taken as an http URL). The other fields of the result keep their defaults.
/// Errors: "defense.indicator_invalid" (value not valid for `type`), "defense.indicator_unknown".
[[nodiscard]] Result<Indicator> MakeIndicator(std::string_view text,
                                              std::optional<IndicatorType> type = std::nullopt);

/// A matched indicator, viewed in place: the views stay valid while the set is alive and not
/// modified.
struct IndicatorView {
  IndicatorType type = IndicatorType::kIp;
  std::string_view value;
  std::uint8_t prefix_len = 0;
  int score = -1;
  std::string_view source;
  std::string_view stix_id;
  std::string_view tlp;
  std::int64_t valid_from_us = 0;
  std::int64_t valid_until_us = 0;
  std::span<const std::string> labels;
  /// An owning copy.
  [[nodiscard]] Indicator ToIndicator() const;
};

/// An in-memory indicator set built for millions of entries and fast lookups.
///
/// Add indicators, call Freeze() once, then match; Add after Freeze() un-freezes the set and
/// the next Freeze() rebuilds it. Match* on a set that is not frozen is a programming error.
/// After Freeze() the const methods may be called from many threads.
///
/// Layout: one record of 20 bytes per indicator (value offset/length into one string arena,
/// metadata index, score, type) in four tables — IP (exact and CIDR together), domain, URL,
/// hash — each grouped by key (equal keys adjacent, best first) and indexed by an open-addressing
/// hash table (linear probing, 8-byte slots, load ≤ 0.67). IP keys are 17 bytes (16-byte address
/// with the host bits cleared plus the prefix length); longest-prefix matching probes one key per
/// prefix length present in the set, longest first, each probe behind a bit test in a 64-Kibit
/// per-length filter (one bit per key hash), so lengths holding few keys cost almost nothing.
/// Domains walk up the labels, one probe per parent. Metadata (source, STIX id, TLP, labels,
/// validity) is shared by all indicators from one STIX object or one list. Exact duplicates (same
/// type, value, metadata and score) are merged by Freeze().
class IndicatorSet {
 public:
  IndicatorSet();
  ~IndicatorSet();
  IndicatorSet(IndicatorSet&&) noexcept;
  IndicatorSet& operator=(IndicatorSet&&) noexcept;
  IndicatorSet(const IndicatorSet&) = delete;
  IndicatorSet& operator=(const IndicatorSet&) = delete;

  /// Normalises (see MakeIndicator with the indicator's type) and stores an indicator.
  /// Errors: the MakeIndicator errors; "defense.indicator_window" when valid_until is not after
  /// valid_from; "defense.indicator_capacity" past 2^32 bytes of values or 2^32 indicators.
  [[nodiscard]] Status Add(const Indicator& indicator);
  /// Builds the lookup structures.
  void Freeze();
  [[nodiscard]] bool frozen() const;

  /// The most specific indicator covering `ip` that is valid at `ts_us`: an exact address
  /// first, then the longest CIDR. IPv4 and IPv4-mapped IPv6 are the same address; IPv4 CIDRs
  /// (and IPv6 CIDRs of /96 or longer inside ::ffff:0:0/96) only cover IPv4 addresses, other
  /// IPv6 CIDRs only IPv6 addresses.
  [[nodiscard]] std::optional<IndicatorView> MatchIp(const IpAddress& ip, std::int64_t ts_us) const;
  /// `name` or its nearest listed parent domain ("a.b.evil.com" matches "evil.com", never
  /// "notevil.com"); a single label such as "com" only matches when it is itself listed. Case
  /// and a trailing dot are ignored.
  [[nodiscard]] std::optional<IndicatorView> MatchDomain(std::string_view name,
                                                         std::int64_t ts_us) const;
  /// The URL normalised as for indicators, exactly; then without its query string.
  [[nodiscard]] std::optional<IndicatorView> MatchUrl(std::string_view url,
                                                      std::int64_t ts_us) const;
  /// An MD5, SHA-1 or SHA-256 in hex, any case.
  [[nodiscard]] std::optional<IndicatorView> MatchHash(std::string_view hex,
                                                       std::int64_t ts_us) const;

  /// Indicators held (after Freeze(): without the merged duplicates).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t Count(IndicatorType type) const;
  /// Heap bytes held by the set (capacities, not sizes), including metadata strings.
  [[nodiscard]] std::size_t MemoryBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend struct ImportAccess;
};

/// What an import did. Counts are per indicator value (one STIX pattern may hold several).
struct ImportReport {
  std::size_t added = 0;    ///< values added to the set
  std::size_t skipped = 0;  ///< well-formed but not usable for single-event matching
  std::size_t invalid = 0;  ///< malformed lines, patterns or values
  /// skipped and invalid by reason: "conjunction", "unsupported_type", "unsupported_operator",
  /// "qualifier", "pattern_type", "revoked"; "bad_pattern", "bad_value", "bad_time",
  /// "bad_indicator", "bad_score", "columns".
  std::map<std::string, std::size_t> reasons;
  std::vector<Error> errors;  ///< the first 20 invalid items

  static constexpr std::size_t kMaxErrors = 20;
  void NoteSkipped(std::string_view reason, std::size_t count = 1);
  void NoteInvalid(std::string_view reason, Error error);
};

/// Imports the indicators of a STIX 2.1 (or 2.0) bundle; a single object or a JSON array of
/// objects is accepted too. Only `pattern_type` "stix" is read. A pattern is flattened into its
/// OR'd alternatives (inside and between brackets); each alternative that is an equality (or
/// IN) test on ipv4-addr:value, ipv6-addr:value (address or CIDR), domain-name:value, url:value
/// or file:hashes.MD5 / SHA-1 / SHA-256 becomes one indicator. AND and FOLLOWEDBY groups are
/// skipped as "conjunction" (one atom alone would over-alert), as are REPEATS qualifiers
/// ("qualifier"); START/STOP narrows the validity window. TLP comes from object_marking_refs
/// (and granular markings of "pattern"): the TLP 1.0 and 2.0 marking-definition ids, and
/// marking-definition objects of the bundle (definition_type "tlp", the TLP 2.0 extension or a
/// "TLP:…" name); the most restrictive one wins. confidence → score; indicator_types and
/// labels → labels. Errors (fatal): malformed JSON, "defense.stix_not_bundle".
[[nodiscard]] Result<ImportReport> ImportStixBundle(std::string_view json, std::string_view source,
                                                    IndicatorSet& set);

/// Imports a plain list: one indicator per line (type detected as in MakeIndicator), '#' or ';'
/// starting a comment (at the line start or after whitespace), an optional second column
/// (whitespace, comma or tab separated) holding a non-negative integer score (ipsum.txt:
/// "IP<TAB>count"), and hosts-file lines ("0.0.0.0 evil.com"). Bad lines are counted with
/// samples and never stop the import.
[[nodiscard]] Result<ImportReport> ImportPlainList(std::string_view text, std::string_view source,
                                                   IndicatorSet& set);

/// A STIX pattern reduced to what single-event matching can use: its OR'd alternatives.
struct StixAlternative {
  enum class Kind : std::uint8_t {
    kComparison,   ///< one comparison (object_type:path op values)
    kConjunction,  ///< an AND or FOLLOWEDBY group (not decomposed further)
    kRepeated,     ///< an observation with REPEATS n TIMES, n > 1
  };
  Kind kind = Kind::kComparison;
  std::string object_type;          ///< "ipv4-addr"
  std::vector<std::string> path;    ///< {"value"}, {"hashes", "SHA-256"}, index steps as "[*]"
  std::string op;                   ///< "=", "!=", "<", "IN", "LIKE", "MATCHES", "EXISTS", …
  bool negated = false;             ///< NOT op
  std::vector<std::string> values;  ///< literals; strings unescaped, others as written
  bool values_are_strings = true;
  std::int64_t start_us = 0;  ///< START qualifier (µs), 0 = none
  std::int64_t stop_us = 0;   ///< STOP qualifier (µs), 0 = none
};

/// Parses a STIX patterning expression (STIX 2.0/2.1 grammar). Error:
/// "defense.stix_pattern" with the character position; the reason is in the detail.
[[nodiscard]] Result<std::vector<StixAlternative>> ParseStixPattern(std::string_view pattern);

/// The detection engine's view of a frozen set (IndicatorSet::MatchIp / MatchDomain, validity
/// windows honoured at the event's time). Borrows `set`, which must outlive it.
class IndicatorSetLookup final : public IndicatorLookup {
 public:
  explicit IndicatorSetLookup(const IndicatorSet& set) : set_(set) {}
  [[nodiscard]] std::optional<IndicatorHit> LookupIp(const IpAddress& ip,
                                                     std::int64_t ts_us) const override;
  [[nodiscard]] std::optional<IndicatorHit> LookupDomain(std::string_view name,
                                                         std::int64_t ts_us) const override;

 private:
  const IndicatorSet& set_;
};

/// Largest indicator file read (a STIX bundle or a list).
inline constexpr std::size_t kMaxIndicatorFileBytes = std::size_t{1} << 30;

/// Imports a MISP CSV export (the attribute CSV: a header line "uuid,event_id,category,type,value,
/// comment,to_ids,…"; RFC 4180 quoting). Attribute types used: ip-dst, ip-src (address or CIDR),
/// ip-dst|port, ip-src|port, domain, hostname, domain|ip, url, md5, sha1, sha256 and
/// filename|md5/sha1/sha256; others are skipped as "unsupported_type", attributes with to_ids 0
/// as "not_for_ids". Errors (fatal): kDataError "defense.misp_header" when the header has no
/// type or value column.
[[nodiscard]] Result<ImportReport> ImportMispCsv(std::string_view text, std::string_view source,
                                                 IndicatorSet& set);

/// Imports one indicator file into `set`: a STIX bundle when the document starts with '{' or '['
/// (after whitespace and a BOM), a MISP CSV export when its first line is a MISP header, a plain
/// list otherwise (MISP freetext exports are plain lists); the file name is the source. Errors:
/// those of ReadFile (kNotFound, kTooLarge, kIoError) and of the importers.
[[nodiscard]] Result<ImportReport> ImportIndicatorFile(const std::filesystem::path& path,
                                                       IndicatorSet& set);

/// Whether a file in an indicator folder is read: *.json, *.stix, *.txt, *.list, *.csv (any case);
/// hidden files never.
[[nodiscard]] bool IsIndicatorFileName(std::string_view file_name);

/// What LoadIndicatorPaths read.
struct IndicatorLoad {
  std::shared_ptr<IndicatorSet> set;  ///< frozen
  std::size_t files = 0;
  ImportReport report;             ///< summed over the files (errors: the first kMaxErrors)
  std::vector<Error> file_errors;  ///< files that could not be read at all (they are skipped)
};
/// Imports files and folders (folders walked recursively, IsIndicatorFileName files only, in
/// sorted order) into one frozen set. A file that cannot be read is listed in file_errors and
/// skipped. Error: kNotFound "defense.feed_missing" for a path that does not exist.
[[nodiscard]] Result<IndicatorLoad> LoadIndicatorPaths(
    const std::vector<std::filesystem::path>& paths);

}  // namespace hoshi::defense
