// SPDX-License-Identifier: Apache-2.0
// Synthetic traffic: independent streams (one per host, beacon, long connection and tunnel), each
// with its own seeded mt19937_64, merged in timestamp order through a heap. Random numbers are
// drawn from the raw engine output (not std::*_distribution, whose algorithms differ between
// standard libraries) so that a seed gives the same events everywhere.
#include "hoshi/defense/synthetic.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numbers>
#include <random>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "hoshi/core/clock.h"

#include "messages_parts.h"

namespace hoshi::defense {

namespace {

constexpr std::int64_t kMicros = 1'000'000;
constexpr std::int64_t kJstOffsetS = 32'400;  // UTC+9
constexpr double kSecondsPerHour = 3'600;

// Address plan (see SyntheticConfig).
constexpr std::uint32_t kHostBase = (10U << 24) | (1U << 16);           // 10.1.0.0/16
constexpr std::uint32_t kHostsPerSubnet = 250;                          // 10.1.x.1 … 10.1.x.250
constexpr std::uint32_t kResolver = (10U << 24) | 53U;                  // 10.0.0.53
constexpr std::uint32_t kDestinationBase = (198U << 24) | (18U << 16);  // 198.18.0.0/15
constexpr std::uint32_t kBeaconServerBase = (203U << 24) | (113U << 8) | 10U;    // 203.0.113.10
constexpr std::uint32_t kLongConnectionServer = (192U << 24) | (2U << 8) | 80U;  // 192.0.2.80
constexpr std::size_t kMaxHosts = 60'000;
constexpr std::size_t kMaxDestinations = 131'000;
constexpr std::size_t kMaxBeacons = 200;

// Connection shapes.
constexpr std::uint64_t kMss = 1'448;
constexpr std::uint64_t kHeaderBytes = 52;  // IPv4 + TCP with timestamps
constexpr std::uint64_t kHandshakePackets = 3;
constexpr double kMaxRandomDurationS = 600;
constexpr std::uint64_t kBeaconResponseBytes = 320;
constexpr std::uint16_t kEphemeralPortBase = 49'152;
constexpr std::uint16_t kEphemeralPortCount = 16'384;
constexpr std::int64_t kDnsLeadMinUs = 5'000;  // the lookup comes 5–50 ms before its connection
constexpr std::int64_t kDnsLeadSpanUs = 45'000;
constexpr std::int64_t kTlsAfterConnUs = 50'000;
constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kUidLength = 17;  // Zeek: "C" + 17 base62 characters
constexpr std::size_t kTunnelLabelMin = 30;
constexpr std::size_t kTunnelLabelMax = 63;

constexpr std::string_view kNormalNames[] = {
    "www.example.co.jp",
    "mail.google.com",
    "cdn-12.akamaized.net",
    "www.yahoo.co.jp",
    "news.yahoo.co.jp",
    "www.google.com",
    "fonts.googleapis.com",
    "safebrowsing.googleapis.com",
    "www.gstatic.com",
    "outlook.office365.com",
    "login.microsoftonline.com",
    "teams.microsoft.com",
    "ctldl.windowsupdate.com",
    "www.amazon.co.jp",
    "s3.ap-northeast-1.amazonaws.com",
    "my-load-balancer-1234567890.ap-northeast-1.elb.amazonaws.com",
    "d3c33hcgiwev3.cloudfront.net",
    "r4---sn-ogueln7r.googlevideo.com",
    "e13678.dscb.akamaiedge.net",
    "www.nikkei.com",
    "www.nhk.or.jp",
    "obs.line-scdn.net",
    "www.rakuten.co.jp",
    "api.github.com",
    "ocsp.digicert.com",
    "xn--wgv71a119e.jp",
    "www.city.shibuya.tokyo.jp",
    "www.u-tokyo.ac.jp",
    "www.mhlw.go.jp",
    "www.bbc.co.uk",
    "connectivity-check.ubuntu.com",
    "time.windows.com",
    "us04web.zoom.us",
    "pagead2.googlesyndication.com",
    "securepubads.g.doubleclick.net",
    "www.google-analytics.com",
    "gateway.icloud.com",
    "cdn.jsdelivr.net",
    "slack.com",
    "github.com",
};

IpAddress V4(std::uint32_t v) {
  IpAddress ip;
  ip.bytes[10] = 0xff;
  ip.bytes[11] = 0xff;
  for (std::size_t i = 0; i < 4; ++i) {
    ip.bytes[12 + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
  }
  return ip;
}

IpAddress HostAddress(std::size_t i) {
  const auto index = static_cast<std::uint32_t>(i);
  return V4(kHostBase + (index / kHostsPerSubnet) * 256 + index % kHostsPerSubnet + 1);
}

std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Portable draws from mt19937_64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  double Normal() {  // Box–Muller, one value per call
    const double u1 = 1 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  std::string Text(std::string_view alphabet, std::size_t length) {
    std::string out(length, ' ');
    for (char& c : out) {
      c = alphabet[Below(alphabet.size())];
    }
    return out;
  }

 private:
  std::mt19937_64 engine_;
};

std::uint64_t IpBytes(std::uint64_t payload) {
  const std::uint64_t packets = kHandshakePackets + (payload + kMss - 1) / kMss;
  return payload + kHeaderBytes * packets;
}

Event Connection(Rng& rng, std::int64_t ts_us, const IpAddress& src, const IpAddress& dst,
                 std::uint16_t dst_port, std::uint64_t orig_bytes, std::uint64_t resp_bytes,
                 double duration_s) {
  Event e;
  e.ts_us = ts_us;
  e.kind = EventKind::kConn;
  e.proto = Proto::kTcp;
  e.src = src;
  e.dst = dst;
  e.src_port = static_cast<std::uint16_t>(kEphemeralPortBase + rng.Below(kEphemeralPortCount));
  e.dst_port = dst_port;
  e.duration_s = duration_s;
  e.orig_bytes = orig_bytes;
  e.resp_bytes = resp_bytes;
  e.orig_ip_bytes = IpBytes(orig_bytes);
  e.uid = "C" + rng.Text(kBase62, kUidLength);
  return e;
}

Event DnsQuery(Rng& rng, std::int64_t ts_us, const IpAddress& src, std::string name) {
  Event e;
  e.ts_us = ts_us;
  e.kind = EventKind::kDns;
  e.proto = Proto::kUdp;
  e.src = src;
  e.dst = V4(kResolver);
  e.src_port = static_cast<std::uint16_t>(kEphemeralPortBase + rng.Below(kEphemeralPortCount));
  e.dst_port = 53;
  e.name = std::move(name);
  e.uid = "C" + rng.Text(kBase62, kUidLength);
  return e;
}

std::string ZeekTime(std::int64_t ts_us) {
  // "2024-04-01T00:00:00Z" → "2024-04-01-00-00-00"
  std::string text = FormatTimestamp(TimePoint(std::chrono::microseconds(ts_us)));
  std::replace(text.begin(), text.end(), 'T', '-');
  std::replace(text.begin(), text.end(), ':', '-');
  if (!text.empty() && text.back() == 'Z') {
    text.pop_back();
  }
  return text;
}

std::string_view ZeekProto(Proto proto) {
  switch (proto) {
    case Proto::kTcp:
      return "tcp";
    case Proto::kUdp:
      return "udp";
    case Proto::kIcmp:
    case Proto::kIcmpV6:
      return "icmp";
    case Proto::kUnknown:
      break;
  }
  return "unknown_transport";
}

Status CheckConfig(const SyntheticConfig& c) {
  const auto invalid = [](std::string_view what) {
    return MakeError(ErrorCode::kInvalidArgument, DetectionMessages(),
                     "defense.detect_config_invalid", what);
  };
  if (c.duration_s <= 0) {
    return invalid("synthetic duration_s must be positive");
  }
  if (c.hosts > kMaxHosts || c.destinations > kMaxDestinations || c.beacons > kMaxBeacons) {
    return invalid("synthetic hosts ≤ 60,000, destinations ≤ 131,000, beacons ≤ 200");
  }
  if (c.beacons > c.hosts || (c.long_connection_s > 0 && c.hosts == 0) ||
      (c.tunnel_queries > 0 && c.hosts == 0) || (c.hosts > 0 && c.destinations == 0)) {
    return invalid(
        "synthetic beacons, long connection and tunnel need hosts; hosts need "
        "destinations");
  }
  if (c.min_interval_s <= 0 || c.max_interval_s < c.min_interval_s ||
      c.max_payload_bytes < c.min_payload_bytes || c.payload_jitter_bytes > c.min_payload_bytes ||
      !(c.max_jitter >= 0 && c.max_jitter < 1)) {
    return invalid("synthetic interval, payload or jitter range is empty or inverted");
  }
  if (!(c.connections_per_active_hour >= 0 && c.active_hours >= 0 && c.active_hours <= 24 &&
        c.off_hours_factor >= 0 && c.off_hours_factor <= 1 && c.favourite_share >= 0 &&
        c.favourite_share <= 1 && c.dns_share >= 0 && c.dns_share <= 1 &&
        c.payload_median_bytes >= 1 && c.payload_sigma >= 0 && c.long_connection_s >= 0 &&
        c.tunnel_duration_s > 0)) {
    return invalid("synthetic rates and shares must be in range");
  }
  return Status::Ok();
}

}  // namespace

std::span<const std::string_view> SyntheticNormalNames() {
  return kNormalNames;
}

struct SyntheticTraffic::State {
  enum class Kind { kHost, kBeacon, kLongConnection, kTunnel };
  struct Stream {
    Kind kind = Kind::kHost;
    std::size_t index = 0;  // host or beacon number
    Rng rng{0};
    std::size_t remaining = 0;  // tunnel queries left
  };
  struct Host {
    double rate_per_s = 0;     // candidate rate (the shift's rate)
    double shift_begin_h = 0;  // JST hour of day
    std::vector<std::uint32_t> favourites;
  };
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  struct Entry {
    std::int64_t ts_us = 0;
    std::uint64_t seq = 0;
    std::size_t stream = 0;
    std::size_t slot = kNoSlot;  // a ready event in `pool`; kNoSlot: step `stream`
  };

  SyntheticConfig config;
  SyntheticTruth truth;
  std::vector<Stream> streams;
  std::vector<Host> hosts;
  std::vector<Entry> heap;  // small entries; the events wait in `pool`
  std::vector<Event> pool;
  std::vector<std::size_t> free_slots;
  std::uint64_t next_seq = 0;
  std::int64_t end_us = 0;

  static bool Later(const Entry& a, const Entry& b) {
    return a.ts_us != b.ts_us ? a.ts_us > b.ts_us : a.seq > b.seq;
  }
  void Push(std::int64_t ts_us, std::size_t stream, std::size_t slot = kNoSlot) {
    heap.push_back(Entry{ts_us, next_seq++, stream, slot});
    std::push_heap(heap.begin(), heap.end(), Later);
  }
  void Emit(Event event) {
    const std::int64_t ts = event.ts_us;
    std::size_t slot = pool.size();
    if (free_slots.empty()) {
      pool.push_back(std::move(event));
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
      pool[slot] = std::move(event);
    }
    Push(ts, 0, slot);
  }
  std::size_t AddStream(Kind kind, std::size_t index) {
    streams.push_back(Stream{kind, index, Rng(SplitMix(config.seed ^ SplitMix(streams.size())))});
    return streams.size() - 1;
  }

  void Setup() {
    Rng rng(SplitMix(config.seed));
    const std::int64_t start_us = config.start_s * kMicros;
    end_us = (config.start_s + config.duration_s) * kMicros;
    const double rate_per_s = config.connections_per_active_hour / kSecondsPerHour;

    for (std::size_t i = 0; i < config.hosts; ++i) {
      truth.hosts.push_back(HostAddress(i));
      Host host;
      host.rate_per_s = rate_per_s * rng.Uniform(0.5, 1.5);
      host.shift_begin_h = rng.Uniform(7, 10);
      for (std::size_t f = 0; f < config.favourites_per_host; ++f) {
        host.favourites.push_back(static_cast<std::uint32_t>(rng.Below(config.destinations)));
      }
      hosts.push_back(std::move(host));
      const std::size_t s = AddStream(Kind::kHost, i);
      if (hosts.back().rate_per_s > 0) {
        Push(start_us + static_cast<std::int64_t>(
                            streams[s].rng.Exponential(1 / hosts.back().rate_per_s) * kMicros),
             s);
      }
    }

    // Beacons from distinct hosts (a partial shuffle of the host numbers).
    std::vector<std::size_t> order(config.hosts);
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    for (std::size_t k = 0; k < config.beacons; ++k) {
      std::swap(order[k], order[k + rng.Below(order.size() - k)]);
      SyntheticBeacon b;
      b.src = HostAddress(order[k]);
      b.dst = V4(kBeaconServerBase + static_cast<std::uint32_t>(k));
      if (k < config.sni_beacons) {
        b.name = fmt::format("sync{}.beacon-c2.example", k);
      }
      b.interval_s =
          std::llround(std::exp(rng.Uniform(std::log(static_cast<double>(config.min_interval_s)),
                                            std::log(static_cast<double>(config.max_interval_s)))));
      b.interval_s = std::clamp(b.interval_s, config.min_interval_s, config.max_interval_s);
      b.jitter = rng.Uniform(0, config.max_jitter);
      b.payload_bytes = config.min_payload_bytes +
                        rng.Below(config.max_payload_bytes - config.min_payload_bytes + 1);
      b.payload_jitter_bytes = config.payload_jitter_bytes;
      truth.beacons.push_back(b);
      const std::size_t s = AddStream(Kind::kBeacon, k);
      Push(start_us + static_cast<std::int64_t>(rng.Uniform() * static_cast<double>(b.interval_s) *
                                                kMicros),
           s);
    }

    if (config.long_connection_s > 0) {
      const std::size_t host = rng.Below(config.hosts);
      truth.long_connection_src = HostAddress(host);
      truth.long_connection_dst = V4(kLongConnectionServer);
      const double room =
          std::max(0.0, static_cast<double>(config.duration_s) - config.long_connection_s);
      const std::size_t s = AddStream(Kind::kLongConnection, host);
      Push(start_us + static_cast<std::int64_t>(rng.Uniform() * room * kMicros), s);
    }

    if (config.tunnel_queries > 0) {
      const std::size_t host = rng.Below(config.hosts);
      truth.tunnel_src = HostAddress(host);
      truth.tunnel_domain = config.tunnel_domain;
      const double room = std::max<double>(0, static_cast<double>(config.duration_s) -
                                                  static_cast<double>(config.tunnel_duration_s));
      const std::size_t s = AddStream(Kind::kTunnel, host);
      streams[s].remaining = config.tunnel_queries;
      Push(start_us + static_cast<std::int64_t>(rng.Uniform() * room * kMicros), s);
    }
  }

  bool InShift(const Host& host, std::int64_t ts_us) const {
    const double hour =
        static_cast<double>(((ts_us / kMicros + kJstOffsetS) % 86'400 + 86'400) % 86'400) /
        kSecondsPerHour;
    const double since = std::fmod(hour - host.shift_begin_h + 24, 24);
    return since < config.active_hours;
  }

  void StepHost(Stream& s, std::int64_t ts_us) {
    const Host& host = hosts[s.index];
    // Thinning: candidates come at the shift rate; off-shift ones are kept with the factor.
    const bool keep = InShift(host, ts_us) || s.rng.Uniform() < config.off_hours_factor;
    if (keep) {
      const IpAddress src = HostAddress(s.index);
      std::uint32_t dst_index = 0;
      if (!host.favourites.empty() && s.rng.Uniform() < config.favourite_share) {
        dst_index = host.favourites[s.rng.Below(host.favourites.size())];
      } else {
        dst_index = static_cast<std::uint32_t>(s.rng.Below(config.destinations));
      }
      const double port_draw = s.rng.Uniform();
      const std::uint16_t port = port_draw < 0.8 ? 443 : port_draw < 0.95 ? 80 : 8'443;
      const auto orig = static_cast<std::uint64_t>(
          std::llround(s.rng.LogNormal(config.payload_median_bytes, config.payload_sigma)));
      const auto resp = static_cast<std::uint64_t>(
          std::llround(s.rng.LogNormal(8 * config.payload_median_bytes, config.payload_sigma)));
      const double duration = std::min(kMaxRandomDurationS, s.rng.LogNormal(1.0, 1.2));
      std::int64_t conn_ts = ts_us;
      if (s.rng.Uniform() < config.dns_share) {
        const std::string_view name = kNormalNames[s.rng.Below(std::size(kNormalNames))];
        Emit(DnsQuery(s.rng, ts_us, src, std::string(name)));
        conn_ts += kDnsLeadMinUs + static_cast<std::int64_t>(s.rng.Below(kDnsLeadSpanUs));
      }
      Emit(Connection(s.rng, conn_ts, src, V4(kDestinationBase + 1 + dst_index), port, orig, resp,
                      duration));
    }
    const auto next =
        ts_us + static_cast<std::int64_t>(s.rng.Exponential(1 / host.rate_per_s) * kMicros) + 1;
    if (next < end_us) {
      Push(next, static_cast<std::size_t>(&s - streams.data()));
    }
  }

  void StepBeacon(Stream& s, std::int64_t ts_us) {
    const SyntheticBeacon& b = truth.beacons[s.index];
    const auto jitter = static_cast<std::int64_t>(s.rng.Below(2 * b.payload_jitter_bytes + 1)) -
                        static_cast<std::int64_t>(b.payload_jitter_bytes);
    const auto payload =
        static_cast<std::uint64_t>(static_cast<std::int64_t>(b.payload_bytes) + jitter);
    Event conn = Connection(s.rng, ts_us, b.src, b.dst, b.dst_port, payload, kBeaconResponseBytes,
                            s.rng.Uniform(0.2, 1.0));
    if (!b.name.empty()) {
      Event tls = conn;
      tls.kind = EventKind::kTls;
      tls.ts_us += kTlsAfterConnUs;
      tls.duration_s = 0;
      tls.orig_bytes = tls.resp_bytes = tls.orig_ip_bytes = 0;
      tls.name = b.name;
      Emit(std::move(tls));
    }
    Emit(std::move(conn));
    const double interval =
        static_cast<double>(b.interval_s) * (1 + s.rng.Uniform(-b.jitter, b.jitter));
    const auto next = ts_us + static_cast<std::int64_t>(interval * kMicros);
    if (next < end_us) {
      Push(next, static_cast<std::size_t>(&s - streams.data()));
    }
  }

  void StepLongConnection(Stream& s, std::int64_t ts_us) {
    Event e = Connection(s.rng, ts_us, HostAddress(s.index), V4(kLongConnectionServer), 22,
                         5'000'000, 50'000'000, config.long_connection_s);
    Emit(std::move(e));
  }

  void StepTunnel(Stream& s, std::int64_t ts_us) {
    const std::size_t length = kTunnelLabelMin + s.rng.Below(kTunnelLabelMax - kTunnelLabelMin + 1);
    std::string name = s.rng.Text(kBase32, length);
    const std::size_t second = s.rng.Below(kTunnelLabelMax);
    if (second >= kTunnelLabelMin) {
      name += "." + s.rng.Text(kBase32, second);
    }
    Emit(DnsQuery(s.rng, ts_us, HostAddress(s.index), name + "." + config.tunnel_domain));
    --s.remaining;
    const double mean_gap =
        static_cast<double>(config.tunnel_duration_s) / static_cast<double>(config.tunnel_queries);
    const auto next = ts_us + static_cast<std::int64_t>(s.rng.Exponential(mean_gap) * kMicros) + 1;
    if (s.remaining > 0 && next < end_us) {
      Push(next, static_cast<std::size_t>(&s - streams.data()));
    }
  }

  std::optional<Event> Next() {
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), Later);
      const Entry entry = heap.back();
      heap.pop_back();
      if (entry.slot != kNoSlot) {
        free_slots.push_back(entry.slot);
        return std::move(pool[entry.slot]);
      }
      Stream& s = streams[entry.stream];
      switch (s.kind) {
        case Kind::kHost:
          StepHost(s, entry.ts_us);
          break;
        case Kind::kBeacon:
          StepBeacon(s, entry.ts_us);
          break;
        case Kind::kLongConnection:
          StepLongConnection(s, entry.ts_us);
          break;
        case Kind::kTunnel:
          StepTunnel(s, entry.ts_us);
          break;
      }
    }
    return std::nullopt;
  }
};

Result<SyntheticTraffic> SyntheticTraffic::Create(SyntheticConfig config) {
  HOSHI_RETURN_IF_ERROR(CheckConfig(config));
  auto state = std::make_unique<State>();
  state->config = std::move(config);
  state->Setup();
  return SyntheticTraffic(std::move(state));
}

SyntheticTraffic::SyntheticTraffic(std::unique_ptr<State> state) : state_(std::move(state)) {}
SyntheticTraffic::SyntheticTraffic(SyntheticTraffic&&) noexcept = default;
SyntheticTraffic& SyntheticTraffic::operator=(SyntheticTraffic&&) noexcept = default;
SyntheticTraffic::~SyntheticTraffic() = default;

std::optional<Event> SyntheticTraffic::Next() {
  return state_->Next();
}
const SyntheticTruth& SyntheticTraffic::truth() const {
  return state_->truth;
}

Result<std::vector<Event>> GenerateSyntheticEvents(const SyntheticConfig& config) {
  HOSHI_ASSIGN_OR_RETURN(SyntheticTraffic traffic, SyntheticTraffic::Create(config));
  std::vector<Event> events;
  while (std::optional<Event> e = traffic.Next()) {
    events.push_back(std::move(*e));
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// Zeek conn.log
// ---------------------------------------------------------------------------------------------

ZeekConnLogWriter::ZeekConnLogWriter(std::ostream& out, std::int64_t open_ts_us) : out_(out) {
  out_ << "#separator \\x09\n"
       << "#set_separator\t,\n"
       << "#empty_field\t(empty)\n"
       << "#unset_field\t-\n"
       << "#path\tconn\n"
       << "#open\t" << ZeekTime(open_ts_us) << '\n'
       << "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration"
          "\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory"
          "\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
       << "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount"
          "\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n";
}

void ZeekConnLogWriter::Write(const Event& e) {
  if (e.kind != EventKind::kConn && e.kind != EventKind::kFlow) {
    return;
  }
  const std::int64_t seconds =
      e.ts_us >= 0 ? e.ts_us / kMicros : -((-e.ts_us + kMicros - 1) / kMicros);
  const std::int64_t micros = e.ts_us - seconds * kMicros;
  const std::string duration = e.duration_s > 0 ? fmt::format("{:.6f}", e.duration_s) : "-";
  const auto flag = [](bool b) { return b ? "T" : "F"; };
  // Fields the Event does not carry (service, conn_state, missed_bytes, history, packet counts,
  // resp_ip_bytes, tunnel_parents) are written unset.
  out_ << fmt::format(
      "{}.{:06}\t{}\t{}\t{}\t{}\t{}\t{}\t-\t{}\t{}\t{}\t-\t{}\t{}\t-\t-\t-\t{}\t-\t-\t-\n", seconds,
      micros, e.uid.empty() ? "-" : e.uid, ToString(e.src), e.src_port, ToString(e.dst), e.dst_port,
      ZeekProto(e.proto), duration, e.orig_bytes, e.resp_bytes, flag(e.src.IsPrivate()),
      flag(e.dst.IsPrivate()), e.orig_ip_bytes);
}

Status ZeekConnLogWriter::Close(std::int64_t close_ts_us) {
  out_ << "#close\t" << ZeekTime(close_ts_us) << '\n';
  out_.flush();
  if (!out_) {
    return MakeError(ErrorCode::kIoError, DetectionMessages(),
                     "defense.detect_synthetic_write_failed");
  }
  return Status::Ok();
}

Status WriteZeekConnLog(std::ostream& out, std::span<const Event> events) {
  std::int64_t first = 0;
  std::int64_t last = 0;
  if (!events.empty()) {
    const auto [lo, hi] =
        std::minmax_element(events.begin(), events.end(),
                            [](const Event& a, const Event& b) { return a.ts_us < b.ts_us; });
    first = lo->ts_us;
    last = hi->ts_us;
  }
  ZeekConnLogWriter writer(out, first);
  for (const Event& e : events) {
    writer.Write(e);
  }
  return writer.Close(last);
}

}  // namespace hoshi::defense
