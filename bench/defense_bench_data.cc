// SPDX-License-Identifier: Apache-2.0
// Data for the telemetry benchmarks (see defense_bench_data.h).
#include "defense_bench_data.h"

#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <ostream>
#include <random>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

namespace hoshi::bench::telemetry {
namespace {

constexpr std::uint32_t kLogRangeBase = (198U << 24) | (18U << 16);  // 198.18.0.0/15
constexpr std::uint32_t kLogRangeSize = 1U << 17;
constexpr std::uint32_t kHitStride = 100;
constexpr std::uint32_t kHitOffset = 1;

constexpr std::uint32_t Ip4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

/// Ranges no generated indicator may touch: what the log generator uses (10/8, 198.18/15,
/// 192.0.2/24, 203.0.113/24) and the other special-purpose IPv4 ranges, so that every random
/// indicator is a public address.
struct Range {
  std::uint32_t network;
  int len;
};
constexpr std::array<Range, 14> kExcluded{{
    {Ip4(0, 0, 0, 0), 8},
    {Ip4(10, 0, 0, 0), 8},
    {Ip4(100, 64, 0, 0), 10},
    {Ip4(127, 0, 0, 0), 8},
    {Ip4(169, 254, 0, 0), 16},
    {Ip4(172, 16, 0, 0), 12},
    {Ip4(192, 0, 0, 0), 24},
    {Ip4(192, 0, 2, 0), 24},
    {Ip4(192, 88, 99, 0), 24},
    {Ip4(192, 168, 0, 0), 16},
    {Ip4(198, 18, 0, 0), 15},
    {Ip4(198, 51, 100, 0), 24},
    {Ip4(203, 0, 113, 0), 24},
    {Ip4(224, 0, 0, 0), 3},
}};

constexpr std::uint32_t Mask(int len) {
  return len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
}

/// Whether network/len overlaps an excluded range (the shorter prefix of the two agrees).
bool Overlaps(std::uint32_t network, int len) {
  for (const Range& r : kExcluded) {
    const std::uint32_t mask = Mask(std::min(len, r.len));
    if ((network & mask) == (r.network & mask)) {
      return true;
    }
  }
  return false;
}

std::string Dotted(std::uint32_t v) {
  return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 255U, (v >> 8) & 255U, v & 255U);
}

std::optional<std::uint32_t> V4Value(const defense::IpAddress& ip) {
  if (!ip.IsV4()) {
    return std::nullopt;
  }
  return (std::uint32_t{ip.bytes[12]} << 24) | (std::uint32_t{ip.bytes[13]} << 16) |
         (std::uint32_t{ip.bytes[14]} << 8) | std::uint32_t{ip.bytes[15]};
}

constexpr std::string_view kLabelAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::array<std::string_view, 11> kTlds{"com", "net", "org",   "info", "xyz", "top",
                                                 "ru",  "cn",  "co.jp", "jp",   "io"};

void AppendLine(std::string& out, std::string_view value, bool tab_delimited) {
  if (tab_delimited) {
    out += '\t';
  }
  out += value;
  if (tab_delimited) {
    out += '\t';
  }
  out += '\n';
}

}  // namespace

void Die(std::string_view what, const Error& error) {
  std::fprintf(stderr, "defense_bench: %.*s: %s %s\n", static_cast<int>(what.size()), what.data(),
               error.ToString(Lang::kEn).c_str(), error.detail().c_str());
  std::exit(1);  // NOLINT(concurrency-mt-unsafe): set-up failure, nothing to unwind
}

void Die(std::string_view what) {
  std::fprintf(stderr, "defense_bench: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);  // NOLINT(concurrency-mt-unsafe): set-up failure, nothing to unwind
}

defense::SyntheticConfig ConnLogConfig() {
  defense::SyntheticConfig c;
  c.seed = 6;
  c.hosts = 5'000;
  c.destinations = 131'000;
  c.connections_per_active_hour = 210;
  c.favourites_per_host = 8;
  c.favourite_share = 0.5;
  c.dns_share = 0;
  c.sni_beacons = 0;
  c.tunnel_queries = 0;
  return c;
}

bool IsListedLogAddress(const defense::IpAddress& ip) {
  const auto v = V4Value(ip);
  if (!v || *v < kLogRangeBase || *v >= kLogRangeBase + kLogRangeSize) {
    return false;
  }
  return (*v - kLogRangeBase) % kHitStride == kHitOffset;
}

ConnLogSummary WriteConnLog(std::ostream& out, std::size_t events) {
  const defense::SyntheticConfig config = ConnLogConfig();
  auto traffic = OrDie(defense::SyntheticTraffic::Create(config), "creating the synthetic traffic");
  ConnLogSummary summary;
  defense::ZeekConnLogWriter writer(out, config.start_s * 1'000'000);
  while (summary.events < events) {
    const std::optional<defense::Event> e = traffic.Next();
    if (!e) {
      break;
    }
    if (e->kind != defense::EventKind::kConn && e->kind != defense::EventKind::kFlow) {
      continue;
    }
    writer.Write(*e);
    if (summary.events == 0) {
      summary.first_ts_us = e->ts_us;
    }
    summary.last_ts_us = e->ts_us;
    ++summary.events;
    if (IsListedLogAddress(e->src) || IsListedLogAddress(e->dst)) {
      ++summary.hit_lines;
    }
  }
  OrDie(writer.Close(summary.last_ts_us), "writing the conn.log");
  const auto end = out.tellp();
  summary.bytes = end < 0 ? 0 : static_cast<std::size_t>(end);
  return summary;
}

IndicatorMix BenchmarkIndicatorMix() {
  IndicatorMix mix;
  mix.log_hits = kListedLogAddresses;
  mix.cidrs = 50'000;
  mix.domains = 100'000;
  mix.ipv4 = 1'000'000 - mix.log_hits - mix.cidrs - mix.domains;
  return mix;
}

std::string IndicatorListText(const IndicatorMix& mix, bool tab_delimited) {
  std::mt19937_64 rng(mix.seed);
  const auto random32 = [&rng] { return static_cast<std::uint32_t>(rng() >> 32); };
  std::string out;
  out.reserve(mix.total() * 20);

  std::size_t hits = 0;
  for (std::uint32_t k = kHitOffset; k < kLogRangeSize && hits < mix.log_hits;
       k += kHitStride, ++hits) {
    AppendLine(out, Dotted(kLogRangeBase + k), tab_delimited);
  }

  // Distinct addresses, then distinct networks (a network's value is its address with the host
  // bits cleared, which never equals one of the addresses above as a /32 key).
  std::unordered_set<std::uint32_t> addresses;
  addresses.reserve(mix.ipv4);
  while (addresses.size() < mix.ipv4) {
    const std::uint32_t v = random32();
    if (!Overlaps(v, 32) && addresses.insert(v).second) {
      AppendLine(out, Dotted(v), tab_delimited);
    }
  }
  std::unordered_set<std::uint64_t> networks;
  networks.reserve(mix.cidrs);
  while (networks.size() < mix.cidrs) {
    const int len = 16 + static_cast<int>(rng() % 13);  // /16 … /28
    const std::uint32_t network = random32() & Mask(len);
    const std::uint64_t key = (std::uint64_t{network} << 8) | static_cast<std::uint64_t>(len);
    if (!Overlaps(network, len) && networks.insert(key).second) {
      AppendLine(out, fmt::format("{}/{}", Dotted(network), len), tab_delimited);
    }
  }
  std::unordered_set<std::string> names;
  names.reserve(mix.domains);
  while (names.size() < mix.domains) {
    std::string name(6 + rng() % 9, ' ');
    for (char& c : name) {
      c = kLabelAlphabet[rng() % kLabelAlphabet.size()];
    }
    name += '.';
    name += kTlds[rng() % kTlds.size()];
    if (names.insert(name).second) {
      AppendLine(out, name, tab_delimited);
    }
  }
  return out;
}

std::size_t HeapInUse() {
  const struct mallinfo2 info = ::mallinfo2();
  return info.uordblks + info.hblkhd;
}

std::size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0;
  std::size_t resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

namespace {
double ClockSeconds(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

double ThreadCpuSeconds() {
  return ClockSeconds(CLOCK_THREAD_CPUTIME_ID);
}
double ProcessCpuSeconds() {
  return ClockSeconds(CLOCK_PROCESS_CPUTIME_ID);
}
double WallSeconds() {
  return ClockSeconds(CLOCK_MONOTONIC);
}

MemoryStreamBuf::MemoryStreamBuf(std::string_view bytes) {
  // std::streambuf's get area is char*, but nothing here writes through it (no putback area).
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast)
  char* begin = const_cast<char*>(bytes.data());
  setg(begin, begin, begin + bytes.size());
}

}  // namespace hoshi::bench::telemetry
