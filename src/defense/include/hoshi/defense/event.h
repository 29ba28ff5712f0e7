// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hoshi::defense {

/// An IPv4 or IPv6 address. IPv4 is stored as an IPv4-mapped IPv6 address (::ffff:a.b.c.d), so
/// one 16-byte key serves both families in indexes.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  [[nodiscard]] bool IsV4() const;
  [[nodiscard]] bool IsUnspecified() const;  ///< all zero: "no address"
  /// RFC 1918, loopback, link-local, CGNAT (100.64/10), IPv6 ULA/link-local/loopback: victim-side
  /// addresses that de-identification must remove.
  [[nodiscard]] bool IsPrivate() const;
  // clang-tidy 14 reports the defaulted <=> as "use nullptr" (a known false positive).
  auto operator<=>(const IpAddress&) const = default;  // NOLINT(modernize-use-nullptr)
};

/// "192.0.2.1", "2001:db8::1" (also "::ffff:192.0.2.1"); nullopt when not an address.
[[nodiscard]] std::optional<IpAddress> ParseIp(std::string_view text);
/// Dotted quad for IPv4, RFC 5952 text for IPv6.
[[nodiscard]] std::string ToString(const IpAddress& ip);

/// What an event record came from.
enum class EventKind : std::uint8_t { kConn, kDns, kTls, kHttp, kAlert, kFlow, kSyslog };
[[nodiscard]] std::string_view EventKindName(EventKind kind);

/// Transport protocol (IANA numbers; 0 unknown).
enum class Proto : std::uint8_t { kUnknown = 0, kIcmp = 1, kTcp = 6, kUdp = 17, kIcmpV6 = 58 };

/// One normalised telemetry record, whatever the source format (Zeek TSV/JSON conn, dns, ssl,
/// http; Suricata EVE alert, flow, dns, tls, http; syslog with CEF).
struct Event {
  std::int64_t ts_us = 0;  ///< start time, microseconds since the Unix epoch (UTC)
  EventKind kind = EventKind::kConn;
  Proto proto = Proto::kUnknown;
  IpAddress src;  ///< originator (Zeek id.orig_h, EVE src_ip, CEF src)
  IpAddress dst;  ///< responder
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  double duration_s = 0;  ///< conn/flow duration; 0 when unknown
  /// Originator and responder bytes: payload for Zeek and CEF (in/out); EVE flow counts whole
  /// packets (headers included), the only figure Suricata gives.
  std::uint64_t orig_bytes = 0;
  std::uint64_t resp_bytes = 0;
  std::uint64_t orig_ip_bytes = 0;  ///< originator IP-level bytes (RITA's data-size input)
  std::uint32_t orig_pkts = 0;      ///< originator packets (Zeek conn, EVE flow); 0 unknown
  std::uint32_t resp_pkts = 0;      ///< responder packets
  std::string name;  ///< DNS query, TLS SNI or HTTP Host (lower case, no trailing dot)
  std::string uri;   ///< HTTP URI (path and query) when known
  std::string user_agent;
  std::string signature;      ///< EVE alert signature / CEF name
  std::uint8_t severity = 0;  ///< EVE alert severity (1 high … 3 low) / CEF 0–10
  std::string action;  ///< what the sensor did: EVE alert action ("allowed", "blocked"), CEF act
  std::string uid;     ///< Zeek uid / EVE flow_id / CEF externalId, to correlate logs
};

/// What a batch parse saw. Malformed records are counted by kind and a few are kept as samples;
/// they never stop a batch.
struct ParseStats {
  std::size_t lines = 0;    ///< records read (header/comment lines excluded)
  std::size_t events = 0;   ///< records turned into events
  std::size_t skipped = 0;  ///< well-formed records of a kind we do not use (e.g. EVE "stats")
  std::map<std::string, std::size_t> malformed;  ///< by reason ("bad_ts", "bad_ip", "json", …)
  struct Sample {
    std::string source;  ///< file name
    std::size_t line = 0;
    std::string reason;
    std::string text;  ///< the record, cut to 200 bytes
  };
  static constexpr std::size_t kMaxSamples = 20;
  static constexpr std::size_t kMaxSampleBytes = 200;
  std::vector<Sample> samples;  ///< the first kMaxSamples malformed records
  [[nodiscard]] std::size_t MalformedTotal() const;
  /// Counts one malformed record under `reason` and keeps it as a sample while there is room
  /// (`text` cut to kMaxSampleBytes on a UTF-8 boundary). Does not touch `lines`.
  void AddMalformed(std::string_view reason, std::string_view source, std::size_t line,
                    std::string_view text);
  /// Adds the counts of `other` and its samples while there is room.
  void Merge(const ParseStats& other);
};

}  // namespace hoshi::defense
