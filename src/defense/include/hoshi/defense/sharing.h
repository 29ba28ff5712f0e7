// SPDX-License-Identifier: Apache-2.0
// De-identified sharing of attack information (issue #6): the attacker side of detections made at
// many organisations, exported as a STIX 2.1 bundle with the victim side removed or generalised,
// and the read-only TAXII 2.1 responses that serve it.
//
// De-identification rules (each one is tested in sharing_test.cc):
//
//  1. Only attacker-side values leave: AttackerObservables picks them per detection kind, and
//     ExportStix checks every record again and drops (and counts) the ones that are victim side.
//  2. Non-public addresses are never shared: IpAddress::IsPrivate (RFC 1918, CGNAT, loopback,
//     link-local, ULA), plus unspecified, 0.0.0.0/8, multicast, 240.0.0.0/4 and broadcast, and
//     IPv6 addresses embedding such an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16).
//  3. Victim values are matched in every form a reader could turn back into them: addresses as
//     text (IPv4 also as its decimal integer, 8-digit hex, reversed for in-addr.arpa, and as the
//     MD5/SHA-1/SHA-256 hex of the dotted text with and without a trailing newline; IPv6 in
//     RFC 5952 and full form), any address inside a victim network, host and user names
//     (case-insensitive, also hashed; a host name's first label too), organisation terms and the
//     victim's own domains (a lookalike domain embedding the victim's domain or name identifies
//     the target, so it is not shared either). Hashes are NOT pseudonyms: a SHA-256 of an IPv4
//     address is reversed by trying all 2^32 addresses, so no victim value is ever hashed into the
//     output; the hash forms above exist only to detect such a mistake.
//  4. DNS detections share the registered domain only: a tunnel's subdomain labels may carry
//     exfiltrated victim data (host names, user names, file contents).
//  5. Evidence is reduced to an allow-list of numeric and statistical fields; example names,
//     URIs, user agents, uids, server lists and querier lists never leave.
//  6. Where a sighting happened is generalised: a sector is named only when at least
//     ShareOptions::min_organizations_for_sector organisations saw the observable; otherwise the
//     sighting points at one generic "participating organisation" identity.
//  7. Fail closed: the finished bundle is serialised and searched with FindLeaks; any finding
//     turns the export into an error (kInternal, naming how many, never the values).
//  8. A feed's TLP is honoured: a record whose indicator came from a feed marked more restrictive
//     than the export's TLP (or with an unknown TLP) is dropped, never re-marked.
//  9. Observed URLs (not taken from a feed) lose their query string, which often carries victim
//     data (ids, host names) that no context can list; feed names lose their folder (a path may
//     name the user), and a feed name or sector label in which a victim value is found is left
//     out rather than shared.
//
// What cannot be caught: victim values the context does not list (e.g. a public server of the
// victim absent from `addresses`/`networks`, or data in a URL path). Keep the context complete.
//
// All functions here are pure (no I/O, no clock: pass ShareOptions::now_us) and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/i18n.h"
#include "hoshi/core/json.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/event.h"

namespace hoshi::defense {

// ---------------------------------------------------------------------------------------------
// Observables.
// ---------------------------------------------------------------------------------------------

/// What an attacker-side observable is.
enum class ObservableType : std::uint8_t { kIpv4, kIpv6, kDomain, kUrl, kMd5, kSha1, kSha256 };

/// "ipv4", "ipv6", "domain", "url", "md5", "sha1", "sha256".
[[nodiscard]] std::string_view ObservableTypeName(ObservableType type);

/// One attacker-side value.
struct Observable {
  ObservableType type = ObservableType::kIpv4;
  /// Normalised as MakeIndicator normalises (canonical address text, lower-case domain without a
  /// trailing dot, URL with lower-case scheme and host, lower-case hex).
  std::string value;
  auto operator<=>(const Observable&) const =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 bug
};

/// Checks and normalises `value` as `type` (MakeIndicator's rules; an address must be of the
/// stated family, a CIDR is not an observable). URLs additionally lose their user information
/// ("user:password@"). Error: "defense.share_observable" (kInvalidArgument).
[[nodiscard]] Result<Observable> MakeObservable(ObservableType type, std::string_view value);

/// The STIX 2.1 pattern for an observable: `[ipv4-addr:value = '203.0.113.5']`,
/// `[ipv6-addr:value = '…']`, `[domain-name:value = '…']`, `[url:value = '…']`,
/// `[file:hashes.MD5 = '…']`, `[file:hashes.'SHA-1' = '…']`, `[file:hashes.'SHA-256' = '…']`.
/// Quotes and backslashes in the value are escaped (\' and \\) as STIX patterning requires.
[[nodiscard]] std::string StixPattern(const Observable& observable);

// ---------------------------------------------------------------------------------------------
// The victim side.
// ---------------------------------------------------------------------------------------------

/// Everything that identifies the organisation whose telemetry is shared. The more complete it
/// is, the more FindLeaks can catch; an empty context still removes non-public addresses and the
/// DNS subdomains.
///
/// Text terms (host_names, user_names, organization_terms) are matched case-insensitively (ASCII)
/// in the text a reader would see: as substrings when they are at least 4 characters long or not
/// ASCII (Japanese has no word boundaries), and as whole tokens (not next to an ASCII letter or
/// digit) when shorter, so that a user "ito" is not found inside "monitoring". A term that is
/// also a word of the STIX output itself (e.g. "indicator") makes every export fail: fail closed.
struct VictimContext {
  /// The organisation's own addresses (public egress, servers, and any private ones it wants
  /// checked).
  std::vector<IpAddress> addresses;
  /// The organisation's networks as CIDR text ("198.51.100.0/24", "2001:db8:1::/48"); checked
  /// by ValidateVictimContext. Any address inside is victim side.
  std::vector<std::string> networks;
  /// Host names, short or fully qualified ("taro-pc", "taro-pc.corp.example.co.jp"); for a
  /// qualified name the first label is checked too.
  std::vector<std::string> host_names;
  /// Account names ("taro.yamada", "yamada"); for "DOMAIN\\user" give the user part as well.
  std::vector<std::string> user_names;
  /// Anything else that names the organisation: ids, names in Japanese and English ("株式会社
  /// 星取製作所", "Hoshitori Seisakusho"), the 13-digit corporate number, e-mail domains.
  std::vector<std::string> organization_terms;
  /// The organisation's own DNS domains ("hoshitori-ss.co.jp"): these and their subdomains are
  /// victim side, matched on label boundaries.
  std::vector<std::string> own_domains;
};

/// Checks that every network parses as CIDR text (address/prefix, host bits may be set) and that
/// no term is empty. Error: "defense.share_context" (kInvalidArgument) naming the field and index,
/// never the value.
[[nodiscard]] Status ValidateVictimContext(const VictimContext& context);

/// Where victim values occur in `text`, each finding named by the field, its index and the form
/// found, never by the value: "addresses[0]:text", "addresses[0]:integer", "addresses[0]:hex",
/// "addresses[0]:reversed", "addresses[0]:md5", "addresses[0]:sha1", "addresses[0]:sha256",
/// "addresses[0]:full" (IPv6), "networks[1]:member" (an address literal inside the network),
/// "host_names[2]:text", "host_names[2]:sha256", "user_names[0]:text",
/// "organization_terms[3]:text", "own_domains[0]:text", and "non_public_address" (any private,
/// loopback, link-local, ULA, CGNAT, multicast or reserved address literal). Hash forms are
/// matched in any case. The findings are distinct and sorted. Address literals are found by
/// scanning for dotted quads and for IPv6 tokens (two or more colons) that parse, so other
/// spellings of a victim address (leading zeros, upper case, IPv4-mapped) are found too.
/// Networks that do not parse are ignored here (ValidateVictimContext reports them).
[[nodiscard]] std::vector<std::string> FindLeaks(std::string_view text,
                                                 const VictimContext& context);

/// The attacker side of one detection, by kind:
///
/// * beacon, strobe, long_connection: only when `src` is victim side (non-public, or found by
///   FindLeaks), so that the connection is known to be outbound; then `dst` when it is public and
///   not victim side, and `name` (TLS SNI / HTTP Host, port removed) as a domain, or as an
///   address when it is an address literal, under the same conditions. With a public `src` that
///   the context does not list, the direction is unknown and nothing is taken.
/// * dns_entropy, c2_over_dns: RegisteredDomain(name) only, never the queried subdomains; not
///   for single-label names or reverse lookups (*.arpa).
/// * indicator_hit: the listed indicator, typed by the hit's `type` (evidence "type"): for "ip"
///   and "cidr" the address that matched (src when evidence "field" is "src_ip", an inbound
///   attacker; dst when "dst_ip"), for "domain" the listed domain (not the queried name), for
///   "url"/"md5"/"sha1"/"sha256" the listed value. `src` is never taken from an outbound
///   detection.
///
/// Values that are non-public, victim side (FindLeaks finds anything in them) or malformed are
/// left out. Error: ValidateVictimContext's.
[[nodiscard]] Result<std::vector<Observable>> AttackerObservables(const Detection& detection,
                                                                  const VictimContext& context);

// ---------------------------------------------------------------------------------------------
// STIX 2.1 export.
// ---------------------------------------------------------------------------------------------

/// What the platform has stored for one attacker-side observable and one detection kind,
/// aggregated over the participating organisations.
// clang-tidy 14 cannot see that nlohmann::json's noexcept move constructor does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct SightingRecord {
  std::string detection_kind;  ///< DetectionKindName(): "beacon", "indicator_hit", …
  Observable observable;
  double score = 0;  ///< threat score in [0, 1] (values outside are clamped)
  std::int64_t first_seen_us = 0;
  std::int64_t last_seen_us = 0;
  std::uint64_t count = 0;        ///< events behind the sightings
  std::size_t organizations = 0;  ///< distinct organisations that saw it (a lower bound is fine)
  std::optional<std::string> sector;      ///< the sector all of them share, e.g. "製造業"
  std::optional<IndicatorHit> indicator;  ///< the feed entry when an indicator matched
  Json evidence;  ///< the detection's evidence; reduced to the allow-list on export
};

/// The records of one organisation's detections: AttackerObservables of each detection, one
/// record per (detection kind, observable) with organizations = 1, count = summed events, the
/// earliest first and latest last time, the highest score and that detection's evidence; for
/// indicator hits the IndicatorHit is rebuilt from the evidence. Ordered by kind, then
/// observable. Error: ValidateVictimContext's.
[[nodiscard]] Result<std::vector<SightingRecord>> SightingRecordsFor(
    std::span<const Detection> detections, const VictimContext& context);

/// How an export is made.
struct ShareOptions {
  /// The name of the producer identity (identity_class "organization").
  std::string producer_name = "hoshitori collective defense";
  /// The TLP marking of every object: TLP 2.0 "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER",
  /// "TLP:AMBER+STRICT", "TLP:RED" (the "TLP:" prefix optional, any case), or "TLP:WHITE" (TLP
  /// 1.0 only). TLP 2.0 uses the marking definitions of the OASIS TLP 2.0 extension
  /// (extension-definition--60a3c5c5-…), TLP 1.0 those of STIX 2.1 §7.2.1.4; the definition
  /// object is included in the bundle.
  std::string tlp = "TLP:GREEN";
  /// Use the TLP 1.0 marking definitions (white/green/amber/red) for consumers that do not know
  /// TLP 2.0; CLEAR becomes WHITE, AMBER+STRICT is an error.
  bool tlp_1_0 = false;
  /// A sighting names its sector only when at least this many organisations saw the
  /// observable; must be at least 2 (with 1, a sector with one participant would single it out).
  std::size_t min_organizations_for_sector = 3;
  /// Export time (µs since the epoch): `modified` of indicators and sightings. Required (> 0).
  std::int64_t now_us = 0;
  /// Indicators are valid from the first sighting until this long after the last one (0: no
  /// valid_until). Attacker infrastructure is re-used by others, so indicators should age out.
  std::int64_t validity_us = 30LL * 24 * 3600 * 1'000'000;
  /// Attach the allow-listed evidence to sightings (x_hoshitori_evidence).
  bool include_evidence = true;
  /// Language of the generated names and descriptions (identities, indicator descriptions).
  Lang lang = Lang::kJa;
};

/// The evidence fields that may leave, as dotted paths: numbers (beacon_score, ts_score,
/// ds_score, hist_score, dur_score, connections, unique_timestamps, interval.*, data_size.*,
/// histogram[], hist_cv_score, hist_bimodal_score, hist_bars, longest_run, dur_coverage,
/// dur_consistency, window.start_s/end_s, dst_ports[], total_duration_s, longest_s,
/// distinct_names, queries, max_entropy, unique_subdomains, queriers) and two enumerations
/// (beacon_type "ip"/"sni", field "src_ip"/"dst_ip"/"name"). Anything else, any string outside
/// the enumerations, non-finite numbers and arrays over 64 items are dropped.
[[nodiscard]] Json AllowListedEvidence(const Json& evidence);

/// What ExportStix produced.
// NOLINTNEXTLINE(bugprone-exception-escape): see SightingRecord
struct ShareResult {
  Json bundle;                 ///< the STIX 2.1 bundle
  std::size_t exported = 0;    ///< records that went into the bundle
  std::size_t indicators = 0;  ///< indicator objects (one per distinct observable)
  std::size_t sightings = 0;   ///< sighting objects (one per observable and detection kind)
  /// Records left out, by reason: "private_address" (non-public address, also as a URL host),
  /// "victim_value" (FindLeaks finds a victim value in it), "own_domain" (the victim's domain or
  /// a lookalike of it), "reverse_dns" (*.arpa), "tlp_restricted" (the feed's TLP is more
  /// restrictive than the export's, or unknown), "unknown_kind" (not a DetectionKindName),
  /// "invalid_value" (MakeObservable rejects it).
  std::map<std::string, std::size_t> dropped;
};

/// Builds the bundle: {type "bundle", id, objects} with
///
/// * the producer identity (identity_class "organization"),
/// * the generalised "where sighted" identities (identity_class "class"): "<sector>の参加組織" /
///   "Participating organisations in <sector>" when the sector rule (6) allows, else one generic
///   "参加組織" / "Participating organisation",
/// * the TLP marking definition,
/// * one indicator per observable: pattern (StixPattern), pattern_type "stix", valid_from = the
///   first sighting, valid_until (see validity_us), indicator_types "malicious-activity" when an
///   indicator feed matched it and "anomalous-activity" for behavioural detections, labels = the
///   detection kinds, confidence = round(100 × highest score), a short description; feed entries
///   as external_references (source name without any directory part, external_id = its STIX
///   id),
/// * one sighting per observable and detection kind: sighting_of_ref, first_seen, last_seen,
///   count (capped at 999,999,999), where_sighted_refs, confidence, x_hoshitori_detection,
///   x_hoshitori_organizations, and x_hoshitori_evidence when include_evidence.
///
/// Every object except the bundle carries spec_version "2.1", created (millisecond "Z" time) and
/// object_marking_refs (the TLP) except the marking definition; SDOs and SROs also modified and
/// created_by_ref (the producer). Ids are UUIDv5 under a fixed hoshitori namespace, so repeated
/// exports give the same ids and consumers de-duplicate: identities from their name inputs,
/// indicators from (type, value), sightings from (indicator, kind), the bundle from its objects
/// and now_us. Indicators and sightings are created at their first sighting (not after now_us)
/// and modified at now_us; generated identities are immutable and dated 2026-01-01. Records with
/// the same observable and kind are merged (counts summed, organisations the larger, times
/// widened, the evidence of the higher score). Objects are ordered by type (identity,
/// marking-definition, indicator, sighting) and id; the same input and options give the same
/// bytes.
///
/// Errors (kInvalidArgument): "defense.share_tlp", "defense.share_min_orgs",
/// "defense.share_now", "defense.share_producer", ValidateVictimContext's. kInternal
/// "defense.share_leak" when FindLeaks finds anything in the serialised bundle (rule 7).
[[nodiscard]] Result<ShareResult> ExportStix(std::span<const SightingRecord> records,
                                             const VictimContext& context,
                                             const ShareOptions& options);

// ---------------------------------------------------------------------------------------------
// TAXII 2.1 (read-only) responses.
// ---------------------------------------------------------------------------------------------

/// Content-Type and Accept value of TAXII 2.1 resources.
inline constexpr std::string_view kTaxiiMediaType = "application/taxii+json;version=2.1";
/// The media type of the STIX content a collection holds.
inline constexpr std::string_view kStixMediaType = "application/stix+json;version=2.1";
/// Envelope page size when the client gives no limit, and the largest limit accepted.
inline constexpr std::size_t kTaxiiDefaultLimit = 100;
inline constexpr std::size_t kTaxiiMaxLimit = 1000;

/// The server's discovery resource (TAXII 2.1 §4.1).
struct TaxiiDiscoveryInfo {
  std::string title;                   ///< required
  std::string description;             ///< omitted when empty
  std::string contact;                 ///< omitted when empty
  std::string default_api_root;        ///< URL; omitted when empty
  std::vector<std::string> api_roots;  ///< URLs; omitted when empty
};
/// {title, description?, contact?, default?, api_roots?}.
[[nodiscard]] Json TaxiiDiscovery(const TaxiiDiscoveryInfo& info);

/// One API root (TAXII 2.1 §4.2).
struct TaxiiApiRootInfo {
  std::string title;                                     ///< required
  std::string description;                               ///< omitted when empty
  std::int64_t max_content_length = 10LL * 1024 * 1024;  ///< bytes of a request body
};
/// {title, description?, versions: [kTaxiiMediaType], max_content_length}.
[[nodiscard]] Json TaxiiApiRoot(const TaxiiApiRootInfo& info);

/// One collection (TAXII 2.1 §5.2). Read-only: can_read true, can_write false.
struct TaxiiCollectionInfo {
  std::string id;  ///< a UUID
  std::string title;
  std::string description;  ///< omitted when empty
  std::string alias;        ///< omitted when empty
};
/// {id, title, description?, alias?, can_read: true, can_write: false,
/// media_types: [kStixMediaType]}.
[[nodiscard]] Json TaxiiCollection(const TaxiiCollectionInfo& info);
/// {collections: [...]}, or {} when there are none (the key is then omitted, as §5.1 requires).
[[nodiscard]] Json TaxiiCollections(std::span<const TaxiiCollectionInfo> collections);

/// Where the previous page ended: the (time, id) of its last object. Opaque to clients: encoded
/// as "h1." + base64url("<time µs>|<id>").
struct TaxiiCursor {
  std::int64_t time_us = 0;
  std::string id;
  bool operator==(const TaxiiCursor&) const = default;
};
/// The `next` text of a cursor.
[[nodiscard]] std::string EncodeTaxiiCursor(const TaxiiCursor& cursor);

/// The query parameters of a Get Objects request (TAXII 2.1 §5.3).
struct TaxiiQuery {
  std::optional<std::int64_t> added_after_us;  ///< only objects added strictly after this
  std::size_t limit = kTaxiiDefaultLimit;      ///< 1 … kTaxiiMaxLimit
  std::optional<TaxiiCursor> next;             ///< continue after this object
  std::vector<std::string> match_types;        ///< match[type], any of; empty: all
  std::vector<std::string> match_ids;          ///< match[id], any of; empty: all
};

/// Reads decoded query parameters (name, value). `added_after`: RFC 3339 timestamp; `limit`: an
/// integer 1 … 1000; `next`: a cursor from a previous envelope; `match[type]`: comma-separated
/// STIX type names ([a-z0-9-], 3–250 characters); `match[id]`: comma-separated STIX ids
/// ("type--uuid"). match[…] parameters may repeat (their values add up); the others may not.
/// Other parameters (match[version], match[spec_version], …) are ignored: the collection holds
/// one version of each object. Error: "defense.share_taxii_param" (kInvalidArgument) naming the
/// parameter.
[[nodiscard]] Result<TaxiiQuery> ParseTaxiiQuery(
    std::span<const std::pair<std::string, std::string>> params);

/// One page of objects.
// NOLINTNEXTLINE(bugprone-exception-escape): see SightingRecord
struct TaxiiPage {
  Json envelope;  ///< {more, next?, objects?}: next only when more; objects only when non-empty
  /// X-TAXII-Date-Added-First / -Last headers (millisecond RFC 3339); empty for an empty page.
  std::string date_added_first;
  std::string date_added_last;
};

/// The envelope for `objects` (STIX objects, e.g. a bundle's "objects") under `query`. An
/// object's "date added" is its `modified` (else `created`): a read-only collection adds an
/// object when the exporter makes that version. Objects are ordered by (date added, id); those
/// failing match[type]/match[id], not after added_after, or not after the cursor are left out;
/// objects without a string id or a parsable time are skipped. The first `limit` remaining
/// objects are returned; when more remain, `more` is true and `next` continues after the last
/// one returned.
///
/// `view` chooses what the page lists (TAXII 2.1 §5.3–5.8): the objects themselves (an envelope,
/// Get Objects / Get an Object), their manifest records ({id, date_added, version, media_type};
/// Get Object Manifests) or their versions (a versions resource {more, next?, versions}; Get
/// Object Versions). A read-only collection holds one version of each object: its `modified`
/// (else `created`).
enum class TaxiiView { kObjects, kManifest, kVersions };
[[nodiscard]] TaxiiPage TaxiiEnvelope(std::span<const Json> objects, const TaxiiQuery& query,
                                      TaxiiView view = TaxiiView::kObjects);

/// A TAXII error message (§3.6.1) for `error`: {title (the message in `lang`), http_status (as
/// text), error_code (the stable API name), details: {reason}}. The log-only detail is never
/// included.
[[nodiscard]] Json TaxiiError(const Error& error, Lang lang = Lang::kJa);

}  // namespace hoshi::defense
