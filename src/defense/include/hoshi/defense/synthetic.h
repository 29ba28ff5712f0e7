// SPDX-License-Identifier: Apache-2.0
// A deterministic generator of synthetic telemetry (issue #6): office hosts with random traffic,
// jittered beacons, a long connection and a DNS tunnel, with the ground truth kept aside. It feeds
// the detection tests, the 10M-event benchmark and Zeek conn.log fixtures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/defense/event.h"

namespace hoshi::defense {

/// One beacon of the ground truth.
struct SyntheticBeacon {
  IpAddress src;
  IpAddress dst;
  std::string name;  ///< when set, every connection also has a TLS event with this SNI (same uid)
  std::int64_t interval_s = 0;
  double jitter = 0;                ///< each interval is interval_s × (1 + U(−jitter, +jitter))
  std::uint64_t payload_bytes = 0;  ///< originator payload per connection
  std::uint64_t payload_jitter_bytes = 0;  ///< ± uniform on the payload
  std::uint16_t dst_port = 443;
};

/// What to generate. Addresses: hosts 10.1.0.0/16, resolver 10.0.0.53, random destinations from
/// 198.18.0.0/15 (RFC 2544, benchmarking), beacon servers 203.0.113.0/24 and the long connection
/// to 192.0.2.80 (documentation ranges). Names of the tunnel live under the reserved ".example".
struct SyntheticConfig {
  std::uint64_t seed = 1;
  std::int64_t start_s = 1'711'929'600;  ///< 2024-04-01T00:00:00Z
  std::int64_t duration_s = 86'400;

  // Random traffic: each host works a shift of `active_hours` starting between 07:00 and 10:00
  // UTC+9, making Poisson connections at `connections_per_active_hour` × U(0.5, 1.5) (and
  // `off_hours_factor` times that outside the shift) to uniformly random destinations, with
  // log-normal payloads. With `favourite_share` > 0 that share goes instead to a few
  // destinations per host, which makes persistent, irregular pairs (a mail server, a SaaS app).
  // With the defaults about 60–80 random pairs pass RITA's gates and get scored.
  std::size_t hosts = 200;
  std::size_t destinations = 1'000;
  double connections_per_active_hour = 30;
  double active_hours = 9;
  double off_hours_factor = 0.05;
  std::size_t favourites_per_host = 8;
  double favourite_share = 0;
  double payload_median_bytes = 1'500;
  double payload_sigma = 1.5;  ///< of ln(bytes)
  double dns_share = 0.3;      ///< fraction of connections preceded by a DNS query for a known name

  // Beacons: `beacons` of them from distinct random hosts, interval log-uniform in
  // [min_interval_s, max_interval_s], jitter uniform in [0, max_jitter], payload uniform in
  // [min_payload_bytes, max_payload_bytes] ± payload_jitter_bytes; the first `sni_beacons` of them
  // also carry a TLS SNI.
  std::size_t beacons = 5;
  std::int64_t min_interval_s = 60;
  std::int64_t max_interval_s = 3'600;
  double max_jitter = 0.2;
  std::uint64_t min_payload_bytes = 200;
  std::uint64_t max_payload_bytes = 2'000;
  std::uint64_t payload_jitter_bytes = 8;
  std::size_t sni_beacons = 1;

  /// One connection of this many seconds (0: none).
  double long_connection_s = 18'000;  ///< 5 h

  /// DNS tunnel: this many queries (0: none) for random base32 names under `tunnel_domain`,
  /// Poisson over `tunnel_duration_s` starting at a random time.
  std::size_t tunnel_queries = 300;
  std::string tunnel_domain = "tunnel-c2.example";
  std::int64_t tunnel_duration_s = 7'200;
};

/// What was planted, to check detections against.
struct SyntheticTruth {
  std::vector<IpAddress> hosts;
  std::vector<SyntheticBeacon> beacons;
  std::optional<IpAddress> long_connection_src;
  std::optional<IpAddress> long_connection_dst;
  std::optional<IpAddress> tunnel_src;
  std::string tunnel_domain;
};

/// The known-good DNS names that random traffic looks up (a fixed list: common Japanese and
/// global services).
[[nodiscard]] std::span<const std::string_view> SyntheticNormalNames();

/// Streams events in timestamp order (ties in a fixed order), with memory proportional to the
/// number of hosts, so that 10M events need not be held at once. The same config gives the same
/// events. Not thread-safe.
class SyntheticTraffic {
 public:
  /// Error: kInvalidArgument when the counts or ranges do not fit (no hosts but beacons, more
  /// beacons than hosts, more than 60,000 hosts or 131,000 destinations, an empty or inverted
  /// interval or payload range, jitter outside [0, 1), duration ≤ 0).
  [[nodiscard]] static Result<SyntheticTraffic> Create(SyntheticConfig config);

  SyntheticTraffic(SyntheticTraffic&&) noexcept;
  SyntheticTraffic& operator=(SyntheticTraffic&&) noexcept;
  SyntheticTraffic(const SyntheticTraffic&) = delete;
  SyntheticTraffic& operator=(const SyntheticTraffic&) = delete;
  ~SyntheticTraffic();

  /// The next event, or nullopt after the last one (at start_s + duration_s).
  [[nodiscard]] std::optional<Event> Next();
  [[nodiscard]] const SyntheticTruth& truth() const;

 private:
  struct State;
  explicit SyntheticTraffic(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// All events of `config` at once (convenient for tests; use SyntheticTraffic for big runs).
[[nodiscard]] Result<std::vector<Event>> GenerateSyntheticEvents(const SyntheticConfig& config);

/// Writes Zeek TSV conn.log records, with the #separator … #types header first and #close last.
/// Only kConn/kFlow events are written; fields are the classic 21 (ts … tunnel_parents), unknown
/// values "-". Not thread-safe; the stream must outlive the writer.
class ZeekConnLogWriter {
 public:
  /// Writes the header; `open_ts_us` gives the #open line.
  ZeekConnLogWriter(std::ostream& out, std::int64_t open_ts_us);
  void Write(const Event& event);
  /// Writes #close and flushes. Error: kIoError when the stream failed at any point.
  [[nodiscard]] Status Close(std::int64_t close_ts_us);

 private:
  std::ostream& out_;
};

/// Header, the connection events of `events` and #close (#open/#close from the first/last
/// timestamps). Error: kIoError when the stream fails.
[[nodiscard]] Status WriteZeekConnLog(std::ostream& out, std::span<const Event> events);

}  // namespace hoshi::defense
