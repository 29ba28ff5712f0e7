// SPDX-License-Identifier: Apache-2.0
// Data for the telemetry benchmarks (issue #6): a deterministic Zeek conn.log from the synthetic
// traffic generator, a deterministic 1M-indicator plain list of which a known set of addresses
// occurs in the log, the grep pattern file for the same indicators, and small helpers (memory
// probes, CPU clocks, an istream over memory).
//
// The hit set: every address 198.18.0.0 + k with k ≡ 1 (mod 100), k < 2^17 (1,311 addresses in
// the generator's destination range 198.18.0.0/15), so about 1% of the random destinations are
// listed. Every other indicator is chosen so that it cannot cover or textually occur as a whole
// tab-separated field of the log: random public IPv4 addresses and CIDRs outside every range the
// generator uses (10.0.0.0/8, 198.18.0.0/15, 192.0.2.0/24, 203.0.113.0/24, and the other special
// ranges), and random domains (a conn.log holds no names). So "lines whose src or dst is listed"
// is the same number for IndicatorSet::MatchIp and for `grep -F` with tab-delimited patterns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <streambuf>
#include <string>
#include <string_view>

#include "hoshi/core/result.h"
#include "hoshi/defense/event.h"
#include "hoshi/defense/synthetic.h"

namespace hoshi::bench::telemetry {

/// Prints the error and exits: benchmark set-up must not go on half initialised.
[[noreturn]] void Die(std::string_view what, const Error& error);
[[noreturn]] void Die(std::string_view what);

/// Unwraps a result or dies naming `what`.
template <typename T>
T OrDie(Result<T> result, std::string_view what) {
  if (!result.ok()) {
    Die(what, result.error());
  }
  return std::move(result).value();
}
inline void OrDie(const Status& status, std::string_view what) {
  if (!status.ok()) {
    Die(what, status.error());
  }
}

/// Events in the whole-file benchmark log, and in the in-process slice (its first events).
inline constexpr std::size_t kLogEvents = 10'000'000;
inline constexpr std::size_t kSliceEvents = 1'000'000;

/// The traffic of the benchmark log: 5,000 hosts over one day, 210 connection candidates per
/// active hour (about 2,050 connections per host and day), half of them to 8 favourite
/// destinations per host and half to any of 131,000 destinations; 5 jittered beacons and one
/// long connection; no DNS (a conn.log holds connections only). About 10.2M connections, cut at
/// kLogEvents.
[[nodiscard]] defense::SyntheticConfig ConnLogConfig();

/// Whether `ip` is one of the 1,311 listed addresses of the log's destination range.
[[nodiscard]] bool IsListedLogAddress(const defense::IpAddress& ip);

/// What WriteConnLog wrote.
struct ConnLogSummary {
  std::size_t events = 0;
  std::size_t hit_lines = 0;  ///< records whose src or dst IsListedLogAddress
  std::size_t bytes = 0;
  std::int64_t first_ts_us = 0;
  std::int64_t last_ts_us = 0;
};

/// Writes the first `events` connections of ConnLogConfig() as a Zeek TSV conn.log (header,
/// records, #close), streaming. Dies on a stream error.
ConnLogSummary WriteConnLog(std::ostream& out, std::size_t events);

/// The indicator mix of a list. Values are distinct within and across kinds.
struct IndicatorMix {
  std::size_t log_hits = 0;  ///< the 1,311 listed log addresses (0 or 1,311)
  std::size_t ipv4 = 0;      ///< random public IPv4 addresses
  std::size_t cidrs = 0;     ///< random public IPv4 networks, /16 to /28
  std::size_t domains = 0;   ///< random names under a few TLDs
  std::uint64_t seed = 6;
  [[nodiscard]] std::size_t total() const { return log_hits + ipv4 + cidrs + domains; }
};

/// The benchmark list: 1,000,000 indicators = 1,311 log hits + 848,689 addresses + 50,000 CIDRs
/// + 100,000 domains.
[[nodiscard]] IndicatorMix BenchmarkIndicatorMix();

/// The number of listed log addresses (IsListedLogAddress).
inline constexpr std::size_t kListedLogAddresses = 1'311;

/// One value per line, in the order: log hits, addresses, CIDRs, domains. `tab_delimited` wraps
/// each value in tabs ("\t198.18.0.1\t"): a grep -F pattern that only matches a whole field.
[[nodiscard]] std::string IndicatorListText(const IndicatorMix& mix, bool tab_delimited = false);

/// Heap bytes in use (glibc mallinfo2: arena + mmapped chunks).
[[nodiscard]] std::size_t HeapInUse();
/// Resident set size of the process from /proc/self/statm, in bytes.
[[nodiscard]] std::size_t ResidentBytes();
/// CPU seconds of the calling thread, and of the whole process.
[[nodiscard]] double ThreadCpuSeconds();
[[nodiscard]] double ProcessCpuSeconds();
/// Wall-clock seconds (monotonic).
[[nodiscard]] double WallSeconds();

/// A read-only streambuf over bytes owned by the caller (no copy, unlike std::istringstream).
class MemoryStreamBuf : public std::streambuf {
 public:
  explicit MemoryStreamBuf(std::string_view bytes);
};

}  // namespace hoshi::bench::telemetry
