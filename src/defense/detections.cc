// SPDX-License-Identifier: Apache-2.0
// The detection engine: accumulates events, then scores beacons (beacon.cc), strobes, long
// connections, DNS names and indicator hits. Thresholds mirror RITA v5's default_config.hjson
// where RITA has them (see detections.h).
#include "hoshi/defense/detections.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "messages_parts.h"

namespace hoshi::defense {

namespace {

constexpr MessageEntry kMessages[] = {
    {"defense.detect_kind_beacon", "ビーコン（定期的な通信）", "Beaconing"},
    {"defense.detect_kind_strobe", "ストローブ（過剰な回数の接続）", "Strobe"},
    {"defense.detect_kind_long_connection", "長時間の接続", "Long connection"},
    {"defense.detect_kind_dns_entropy", "ランダムな DNS 名", "Random-looking DNS names"},
    {"defense.detect_kind_c2_over_dns", "DNS を使った C2", "C2 over DNS"},
    {"defense.detect_kind_indicator_hit", "脅威情報の指標に一致", "Indicator match"},
    {"defense.detect_beacon",
     "定期的な通信（ビーコン）の疑い：{0} → {1}（ビーコンスコア {2}、接続 {3} 回）",
     "Suspected beaconing: {0} → {1} (beacon score {2}, {3} connections)"},
    {"defense.detect_beacon_explain",
     "RITA v5 と同じ方法で採点しています：接続間隔と送信サイズのばらつき（歪度と中央絶対偏差）、"
     "24 時間の時間帯別の分布、通信が続いた長さの 4 つを 25% ずつ合計します。0.5 "
     "以上を報告します。",
     "Scored as RITA v5 does: the spread of the intervals and of the sizes sent (skewness and "
     "median absolute deviation), the hour-by-hour histogram over 24 hours, and how long the "
     "traffic lasted, 25% each. Scores of 0.5 and above are reported."},
    {"defense.detect_strobe", "ストローブ：{0} → {1}（24 時間で {2} 回の接続）",
     "Strobe: {0} → {1} ({2} connections in 24 hours)"},
    {"defense.detect_strobe_explain",
     "24 時間に 86,400 回（毎秒 1 回）以上の接続は採点せず、高い脅威として扱います（RITA "
     "と同じ）。",
     "Pairs with 86,400 or more connections in 24 hours (one a second) are not scored but "
     "treated as high threat, as RITA does."},
    {"defense.detect_long_connection", "長時間の接続：{0} → {1}（合計 {2} 時間）",
     "Long connection: {0} → {1} ({2} hours in total)"},
    {"defense.detect_long_connection_explain",
     "24 時間の中での接続時間の合計です。1 時間から報告し、4・8・12 時間で脅威が上がります（RITA "
     "と同じ）。",
     "Total connection time over 24 hours. Reported from 1 hour; the threat rises at 4, 8 and 12 "
     "hours, as in RITA."},
    {"defense.detect_dns_entropy",
     "DNS トンネリングの疑い：{0} が {1} 配下のランダムな名前を {2} 種類問い合わせ",
     "Suspected DNS tunnelling: {0} asked for {2} random-looking names under {1}"},
    {"defense.detect_dns_entropy_explain",
     "サブドメインに、英字と数字が混ざった 16 文字以上でエントロピーの高い（1 文字あたり 3.0 "
     "ビット以上）部分がある名前を数えます。同じドメインで 5 種類以上を報告します。",
     "Counts names whose subdomain holds a run of 16 or more mixed letters and digits with high "
     "entropy (3.0 bits per character or more). Five or more under one domain are reported."},
    {"defense.detect_c2_over_dns",
     "DNS を使った C2 の疑い：{1} のサブドメインが {2} 種類（主な問い合わせ元 {0}）",
     "Suspected C2 over DNS: {2} unique subdomains of {1} (top querier {0})"},
    {"defense.detect_c2_over_dns_explain",
     "1 つのドメインに 100 種類以上のサブドメインが問い合わされると報告します（RITA と同じ）。",
     "Reported when 100 or more unique subdomains of one domain are queried, as in RITA."},
    {"defense.detect_indicator_hit", "脅威情報の指標に一致：{0} → {1}（{2}、出典 {3}）",
     "Indicator match: {0} → {1} ({2}, from {3})"},
    {"defense.detect_indicator_hit_explain",
     "共有された脅威情報（IP アドレスやドメイン）と一致した通信です。",
     "Traffic that matched shared threat intelligence (an IP address or a domain)."},
    {"defense.detect_config_invalid", "検知の設定が正しくありません：{0}",
     "Invalid detection settings: {0}"},
    {"defense.detect_synthetic_write_failed", "Zeek 形式の conn.log を書き出せませんでした",
     "Could not write the Zeek conn.log"},
};

// Two-level public suffixes treated as one label by RegisteredDomain (a small table instead of
// the Public Suffix List; extend it when a country's names are misgrouped).
constexpr std::string_view kTwoLevelSuffixes[] = {
    "co.jp", "ne.jp", "or.jp",  "ac.jp",  "go.jp",  "ad.jp",  "ed.jp",  "gr.jp",
    "lg.jp", "co.uk", "org.uk", "ac.uk",  "gov.uk", "com.au", "net.au", "org.au",
    "co.nz", "co.kr", "com.cn", "com.tw", "com.hk", "com.sg", "co.in",  "com.br",
};

constexpr std::string_view kIdnPrefix = "xn--";
constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerHour = 3'600;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::uint64_t Mix(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t HashIp(const IpAddress& ip, std::uint64_t seed) {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  std::memcpy(&lo, ip.bytes.data(), sizeof lo);
  std::memcpy(&hi, ip.bytes.data() + sizeof lo, sizeof hi);
  return Mix(seed ^ Mix(lo) ^ Mix(hi + 0x9e3779b97f4a7c15ULL));
}

std::uint64_t HashText(std::string_view text) {
  // 0 means "no uid"; a real hash of 0 is moved to 1.
  if (text.empty()) {
    return 0;
  }
  const std::uint64_t h = std::hash<std::string_view>{}(text);
  return h == 0 ? 1 : h;
}

struct IpHash {
  std::size_t operator()(const IpAddress& ip) const { return HashIp(ip, 7); }
};

struct IpPairKey {
  IpAddress src;
  IpAddress dst;
  bool operator==(const IpPairKey&) const = default;
};
struct IpPairKeyHash {
  std::size_t operator()(const IpPairKey& k) const { return HashIp(k.dst, HashIp(k.src, 1)); }
};

struct NameKey {
  IpAddress src;
  std::string name;
  bool operator==(const NameKey&) const = default;
};
struct NameKeyHash {
  std::size_t operator()(const NameKey& k) const { return HashIp(k.src, HashText(k.name)); }
};

// One connection of an IP pair. ~32 bytes: this is the engine's memory per event.
struct ConnSample {
  std::int64_t ts_us = 0;
  std::uint64_t bytes = 0;  // orig_ip_bytes
  std::uint64_t uid = 0;    // HashText(uid), 0 when none
  float duration_s = 0;
};

// Up to `limit` distinct values, in first-seen order.
template <typename T>
void AddDistinct(std::vector<T>& values, const T& value, std::size_t limit) {
  if (values.size() < limit && std::find(values.begin(), values.end(), value) == values.end()) {
    values.push_back(value);
  }
}

struct TimeSpan {
  std::int64_t first_us = 0;
  std::int64_t last_us = 0;
  bool empty = true;
  void Add(std::int64_t ts_us) {
    if (empty) {
      first_us = last_us = ts_us;
      empty = false;
    } else {
      first_us = std::min(first_us, ts_us);
      last_us = std::max(last_us, ts_us);
    }
  }
};

struct IpPair {
  std::vector<ConnSample> samples;
  std::vector<std::uint16_t> dst_ports;
};

struct NameSample {
  std::int64_t ts_us = 0;
  std::uint64_t bytes = 0;
  std::uint64_t uid = 0;
};

struct NamePair {
  std::vector<NameSample> samples;
  std::vector<IpAddress> servers;
  std::vector<std::uint16_t> dst_ports;
};

struct DnsSourceDomain {
  std::unordered_set<std::uint64_t> names;
  std::vector<std::string> examples;
  double max_entropy = 0;
  std::size_t queries = 0;
  TimeSpan span;
};

struct DnsDomain {
  std::unordered_set<std::uint64_t> subdomains;
  std::unordered_map<IpAddress, std::size_t, IpHash> queriers;
  TimeSpan span;
};

struct IndicatorGroup {
  IndicatorHit hit;
  std::string field;  // "src_ip", "dst_ip", "name"
  std::size_t events = 0;
  TimeSpan span;
};

bool IsConnection(EventKind kind) {
  return kind == EventKind::kConn || kind == EventKind::kFlow;
}
bool IsNamedSession(EventKind kind) {
  return kind == EventKind::kTls || kind == EventKind::kHttp;
}

std::string_view TrimDot(std::string_view name) {
  while (!name.empty() && name.back() == '.') {
    name.remove_suffix(1);
  }
  return name;
}

bool IsReverseLookup(std::string_view name) {
  return name == "arpa" || (name.size() > 5 && name.substr(name.size() - 5) == ".arpa");
}

Json PortsJson(const std::vector<std::uint16_t>& ports) {
  Json out = Json::array();
  for (const std::uint16_t p : ports) {
    out.push_back(p);
  }
  return out;
}

Json BeaconEvidence(const BeaconScore& s, std::string_view type, std::int64_t start_s,
                    std::int64_t end_s) {
  Json hist = Json::array();
  for (const std::uint32_t c : s.histogram) {
    hist.push_back(c);
  }
  return Json{
      {"beacon_type", type},
      {"beacon_score", s.score},
      {"ts_score", s.ts_score},
      {"ds_score", s.ds_score},
      {"hist_score", s.hist_score},
      {"dur_score", s.dur_score},
      {"connections", s.connections},
      {"unique_timestamps", s.unique_timestamps},
      {"interval",
       {{"median_s", s.ts_median_s},
        {"mad_s", s.ts_mad_s},
        {"skew", s.ts_skew},
        {"mode_s", s.ts_mode_s},
        {"mode_count", s.ts_mode_count}}},
      {"data_size",
       {{"median_bytes", s.ds_median_bytes},
        {"mad_bytes", s.ds_mad_bytes},
        {"skew", s.ds_skew},
        {"mode_bytes", s.ds_mode_bytes},
        {"mode_count", s.ds_mode_count}}},
      {"histogram", std::move(hist)},
      {"hist_cv_score", s.hist_cv_score},
      {"hist_bimodal_score", s.hist_bimodal_score},
      {"hist_bars", s.hist_bars},
      {"longest_run", s.longest_run},
      {"dur_coverage", s.dur_coverage},
      {"dur_consistency", s.dur_consistency},
      {"window", {{"start_s", start_s}, {"end_s", end_s}}},
  };
}

}  // namespace

std::span<const MessageEntry> DetectionMessages() {
  return kMessages;
}

// ---------------------------------------------------------------------------------------------
// DNS names.
// ---------------------------------------------------------------------------------------------

std::string_view RegisteredDomain(std::string_view name) {
  const std::size_t last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) {
    return name;
  }
  const std::size_t second_dot = name.rfind('.', last_dot - 1);
  if (second_dot == std::string_view::npos) {
    return name;
  }
  const std::string_view last_two = name.substr(second_dot + 1);
  const bool two_level = std::find(std::begin(kTwoLevelSuffixes), std::end(kTwoLevelSuffixes),
                                   last_two) != std::end(kTwoLevelSuffixes);
  if (!two_level || second_dot == 0) {
    return last_two;
  }
  const std::size_t third_dot = name.rfind('.', second_dot - 1);
  return third_dot == std::string_view::npos ? name : name.substr(third_dot + 1);
}

DnsNameInfo AnalyseDnsName(std::string_view name, const DnsEntropyConfig& config) {
  DnsNameInfo info;
  name = TrimDot(name);
  const std::string_view registered = RegisteredDomain(name);
  if (registered.find('.') == std::string_view::npos) {
    return info;  // a single label: nothing to split
  }
  info.registered_domain = std::string(registered);
  if (registered.size() + 1 >= name.size()) {
    return info;
  }
  const std::string_view sub = name.substr(0, name.size() - registered.size() - 1);
  info.subdomain = std::string(sub);

  std::size_t label_begin = 0;
  while (label_begin <= sub.size()) {
    const std::size_t label_end = std::min(sub.find('.', label_begin), sub.size());
    const std::string_view label = sub.substr(label_begin, label_end - label_begin);
    label_begin = label_end + 1;
    if (label.substr(0, kIdnPrefix.size()) == kIdnPrefix) {
      continue;  // Punycode is random-looking by nature
    }
    std::size_t token_begin = 0;
    while (token_begin <= label.size()) {
      std::size_t token_end = label.find_first_of("-_", token_begin);
      token_end = std::min(token_end, label.size());
      const std::string_view token = label.substr(token_begin, token_end - token_begin);
      token_begin = token_end + 1;
      if (token.size() < config.min_token_length) {
        continue;
      }
      const bool has_digit = std::any_of(token.begin(), token.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      });
      const bool has_alpha = std::any_of(token.begin(), token.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) != 0;
      });
      const double entropy = stats::ShannonEntropy(token);
      if (has_digit && has_alpha && entropy >= config.min_entropy_bits && entropy > info.entropy) {
        info.token = std::string(token);
        info.entropy = entropy;
        info.high_entropy = true;
      }
    }
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Detections.
// ---------------------------------------------------------------------------------------------

std::string_view DetectionKindName(Detection::Kind kind) {
  switch (kind) {
    case Detection::Kind::kBeacon:
      return "beacon";
    case Detection::Kind::kStrobe:
      return "strobe";
    case Detection::Kind::kLongConnection:
      return "long_connection";
    case Detection::Kind::kDnsEntropy:
      return "dns_entropy";
    case Detection::Kind::kC2OverDns:
      return "c2_over_dns";
    case Detection::Kind::kIndicatorHit:
      return "indicator_hit";
  }
  return "unknown";
}

LocalizedText Describe(const Detection& d) {
  const std::string src = ToString(d.src);
  const std::string target = d.dst.IsUnspecified() || !d.name.empty() ? d.name : ToString(d.dst);
  // Evidence may come from elsewhere (storage, an API): read it without nlohmann's throwing
  // accessors.
  const auto field = [&](std::string_view key) -> const Json* {
    if (!d.evidence.is_object()) {
      return nullptr;
    }
    const auto it = d.evidence.find(key);
    return it == d.evidence.end() ? nullptr : &*it;
  };
  const auto number = [&](std::string_view key) -> double {
    const Json* j = field(key);
    return j != nullptr && j->is_number() ? j->get<double>() : 0.0;
  };
  const auto text = [&](std::string_view key) -> std::string {
    const Json* j = field(key);
    return j == nullptr ? std::string("?") : j->is_string() ? j->get<std::string>() : j->dump();
  };
  const std::string key = fmt::format("defense.detect_{}", DetectionKindName(d.kind));
  switch (d.kind) {
    case Detection::Kind::kBeacon: {
      return FormatMessage(kMessages, key, src, target,
                           fmt::format("{:.3f}", number("beacon_score")), d.events);
    }
    case Detection::Kind::kStrobe:
      return FormatMessage(kMessages, key, src, target, d.events);
    case Detection::Kind::kLongConnection: {
      return FormatMessage(kMessages, key, src, target,
                           fmt::format("{:.1f}", number("total_duration_s") / kSecondsPerHour));
    }
    case Detection::Kind::kDnsEntropy:
      return FormatMessage(kMessages, key, src, d.name, text("distinct_names"));
    case Detection::Kind::kC2OverDns:
      return FormatMessage(kMessages, key, src, d.name, text("unique_subdomains"));
    case Detection::Kind::kIndicatorHit: {
      const std::string where = d.dst.IsUnspecified() ? std::string("-") : ToString(d.dst);
      return FormatMessage(kMessages, key, src, where, d.name, text("source"));
    }
  }
  return FormatMessage(kMessages, key, src, target);
}

struct DetectionEngine::State {
  DetectionConfig config;
  const IndicatorLookup* lookup = nullptr;

  std::unordered_map<IpPairKey, IpPair, IpPairKeyHash> ip_pairs;
  std::unordered_map<NameKey, NamePair, NameKeyHash> name_pairs;
  TimeSpan connection_span;  // over the connection-based events that were kept

  std::unordered_map<std::string, DnsDomain> dns_domains;
  std::map<std::pair<IpAddress, std::string>, DnsSourceDomain> dns_sources;

  std::map<std::tuple<IpAddress, IpAddress, std::string, std::string>, IndicatorGroup> indicators;

  bool Filtered(const Event& e) const {
    const bool src_internal = e.src.IsPrivate();
    const bool dst_internal = e.dst.IsPrivate();
    return (config.filter_internal_to_internal && src_internal && dst_internal) ||
           (config.filter_external_to_internal && !src_internal && dst_internal);
  }

  void AddConnection(const Event& e) {
    IpPair& pair = ip_pairs[IpPairKey{e.src, e.dst}];
    pair.samples.push_back(
        ConnSample{e.ts_us, e.orig_ip_bytes, HashText(e.uid), static_cast<float>(e.duration_s)});
    AddDistinct(pair.dst_ports, e.dst_port, config.max_evidence_items);
    connection_span.Add(e.ts_us);
  }

  void AddNamedSession(const Event& e) {
    NamePair& pair = name_pairs[NameKey{e.src, e.name}];
    pair.samples.push_back(NameSample{e.ts_us, e.orig_ip_bytes, HashText(e.uid)});
    AddDistinct(pair.servers, e.dst, config.max_evidence_items);
    AddDistinct(pair.dst_ports, e.dst_port, config.max_evidence_items);
    connection_span.Add(e.ts_us);
  }

  void AddDns(const Event& e) {
    const std::string_view name = TrimDot(e.name);
    if (name.empty() || IsReverseLookup(name)) {
      return;
    }
    const DnsNameInfo info = AnalyseDnsName(name, config.dns_entropy);
    if (info.subdomain.empty()) {
      return;
    }
    DnsDomain& domain = dns_domains[info.registered_domain];
    const std::uint64_t name_hash = HashText(name);
    domain.subdomains.insert(name_hash);
    ++domain.queriers[e.src];
    domain.span.Add(e.ts_us);
    if (!info.high_entropy) {
      return;
    }
    DnsSourceDomain& source = dns_sources[{e.src, info.registered_domain}];
    if (source.names.insert(name_hash).second &&
        source.examples.size() < config.max_evidence_items) {
      source.examples.emplace_back(name);
    }
    source.max_entropy = std::max(source.max_entropy, info.entropy);
    ++source.queries;
    source.span.Add(e.ts_us);
  }

  void MatchIndicator(const Event& e, std::optional<IndicatorHit> hit, std::string_view field) {
    if (!hit) {
      return;
    }
    const auto key = std::make_tuple(e.src, e.dst, hit->indicator, std::string(field));
    IndicatorGroup& group = indicators[key];
    if (group.events == 0) {
      group.hit = std::move(*hit);
      group.field = std::string(field);
    }
    ++group.events;
    group.span.Add(e.ts_us);
  }

  void AddIndicators(const Event& e) {
    if (lookup == nullptr) {
      return;
    }
    if (!e.src.IsUnspecified()) {
      MatchIndicator(e, lookup->LookupIp(e.src, e.ts_us), "src_ip");
    }
    if (!e.dst.IsUnspecified()) {
      MatchIndicator(e, lookup->LookupIp(e.dst, e.ts_us), "dst_ip");
    }
    if (!e.name.empty()) {
      MatchIndicator(e, lookup->LookupDomain(TrimDot(e.name), e.ts_us), "name");
    }
  }

  // The beacon window: [start_s, end_s], and `cutoff_s`, the start of the hour in which it begins
  // (RITA keeps whole hours).
  struct Window {
    std::int64_t start_s = 0;
    std::int64_t end_s = 0;
    std::int64_t cutoff_s = 0;
  };
  Window BeaconWindow() const {
    Window w;
    w.end_s = FloorDiv(connection_span.last_us, kMicrosPerSecond);
    w.start_s = std::max(FloorDiv(connection_span.first_us, kMicrosPerSecond),
                         w.end_s - config.beacon.window_s);
    w.cutoff_s = FloorDiv(w.start_s, kSecondsPerHour) * kSecondsPerHour;
    return w;
  }

  // Scores one list of (ts, bytes) and appends a beacon or strobe detection. Returns whether the
  // pair passed RITA's gates (analysed and not a strobe).
  bool ReportBeacon(Detection base, std::span<const std::int64_t> ts_s,
                    std::span<const std::int64_t> bytes, const Window& w, std::string_view type,
                    const Json& extra, std::vector<Detection>& out) const {
    const std::optional<BeaconScore> s =
        ScoreBeacon(ts_s, bytes, w.start_s, w.end_s, config.beacon);
    if (!s) {
      return false;
    }
    base.first_ts_us = s->first_ts_s * kMicrosPerSecond;
    base.last_ts_us = s->last_ts_s * kMicrosPerSecond;
    base.events = s->connections;
    if (s->strobe) {
      base.kind = Detection::Kind::kStrobe;
      base.score = config.strobe_score;
      base.evidence = Json{{"beacon_type", type},
                           {"connections", s->connections},
                           {"unique_timestamps", s->unique_timestamps},
                           {"window", {{"start_s", w.start_s}, {"end_s", w.end_s}}}};
      base.evidence.update(extra);
      out.push_back(std::move(base));
      return false;
    }
    if (s->score >= config.beacon_report_min_score) {
      base.kind = Detection::Kind::kBeacon;
      base.score = BucketedThreat(s->score, config.beacon);
      base.evidence = BeaconEvidence(*s, type, w.start_s, w.end_s);
      base.evidence.update(extra);
      out.push_back(std::move(base));
    }
    return true;
  }

  // SNI/Host pairs first; returns the uids of the connections they claimed.
  std::unordered_set<std::uint64_t> FinishNamePairs(const Window& w,
                                                    std::vector<Detection>& out) const {
    std::unordered_set<std::uint64_t> claimed;
    if (name_pairs.empty()) {
      return claimed;
    }
    // The connection behind each TLS/HTTP event, by uid.
    std::unordered_map<std::uint64_t, const ConnSample*> conn_by_uid;
    for (const auto& [key, pair] : name_pairs) {
      for (const NameSample& s : pair.samples) {
        if (s.uid != 0) {
          conn_by_uid.emplace(s.uid, nullptr);
        }
      }
    }
    for (const auto& [key, pair] : ip_pairs) {
      for (const ConnSample& c : pair.samples) {
        if (c.uid != 0) {
          const auto it = conn_by_uid.find(c.uid);
          if (it != conn_by_uid.end() && it->second == nullptr) {
            it->second = &c;
          }
        }
      }
    }

    std::vector<std::int64_t> ts;
    std::vector<std::int64_t> bytes;
    std::vector<std::uint64_t> uids;
    std::unordered_set<std::uint64_t> seen;
    for (const auto& [key, pair] : name_pairs) {
      ts.clear();
      bytes.clear();
      uids.clear();
      seen.clear();
      for (const NameSample& s : pair.samples) {
        if (s.uid != 0 && !seen.insert(s.uid).second) {
          continue;  // several HTTP requests on one connection count once
        }
        std::int64_t ts_us = s.ts_us;
        std::uint64_t size = s.bytes;
        if (s.uid != 0) {
          const auto it = conn_by_uid.find(s.uid);
          if (it != conn_by_uid.end() && it->second != nullptr) {
            ts_us = it->second->ts_us;
            size = it->second->bytes;
          }
        }
        const std::int64_t t = FloorDiv(ts_us, kMicrosPerSecond);
        if (t < w.cutoff_s) {
          continue;
        }
        ts.push_back(t);
        bytes.push_back(static_cast<std::int64_t>(size));
        uids.push_back(s.uid);
      }
      Detection base;
      base.src = key.src;
      base.dst = pair.servers.empty() ? IpAddress{} : pair.servers.front();
      base.name = key.name;
      Json servers = Json::array();
      for (const IpAddress& ip : pair.servers) {
        servers.push_back(ToString(ip));
      }
      Json extra{{"server_ips", std::move(servers)}, {"dst_ports", PortsJson(pair.dst_ports)}};
      if (ReportBeacon(std::move(base), ts, bytes, w, "sni", extra, out)) {
        for (const std::uint64_t uid : uids) {
          if (uid != 0) {
            claimed.insert(uid);
          }
        }
      }
    }
    return claimed;
  }

  void FinishIpPairs(const Window& w, const std::unordered_set<std::uint64_t>& claimed,
                     std::vector<Detection>& out) const {
    std::vector<std::int64_t> ts;
    std::vector<std::int64_t> bytes;
    for (const auto& [key, pair] : ip_pairs) {
      ts.clear();
      bytes.clear();
      double total_duration = 0;
      double longest = 0;
      std::size_t long_events = 0;
      TimeSpan long_span;
      bool claimed_pair = false;
      for (const ConnSample& c : pair.samples) {
        const std::int64_t t = FloorDiv(c.ts_us, kMicrosPerSecond);
        // Long connections: every connection that is still open at the window's first hour.
        if (static_cast<double>(t) + c.duration_s >= static_cast<double>(w.cutoff_s)) {
          total_duration += c.duration_s;
          longest = std::max(longest, static_cast<double>(c.duration_s));
          ++long_events;
          long_span.Add(c.ts_us);
        }
        if (t < w.cutoff_s) {
          continue;
        }
        claimed_pair = claimed_pair || (c.uid != 0 && claimed.contains(c.uid));
        ts.push_back(t);
        bytes.push_back(static_cast<std::int64_t>(c.bytes));
      }
      Detection base;
      base.src = key.src;
      base.dst = key.dst;
      if (!claimed_pair) {
        ReportBeacon(base, ts, bytes, w, "ip", Json{{"dst_ports", PortsJson(pair.dst_ports)}}, out);
      }

      if (total_duration >= config.long_connection_minimum_duration_s) {
        base.kind = Detection::Kind::kLongConnection;
        base.score = BucketedScore(total_duration, config.long_connection_score_thresholds);
        base.first_ts_us = long_span.first_us;
        base.last_ts_us = long_span.last_us;
        base.events = long_events;
        base.evidence = Json{{"total_duration_s", total_duration},
                             {"longest_s", longest},
                             {"connections", long_events},
                             {"dst_ports", PortsJson(pair.dst_ports)}};
        out.push_back(std::move(base));
      }
    }
  }

  void FinishDns(std::vector<Detection>& out) const {
    for (const auto& [key, source] : dns_sources) {
      const double score = BucketedScore(static_cast<double>(source.names.size()),
                                         config.dns_entropy_score_thresholds);
      if (score <= 0) {
        continue;
      }
      Detection d;
      d.kind = Detection::Kind::kDnsEntropy;
      d.src = key.first;
      d.name = key.second;
      d.score = score;
      d.first_ts_us = source.span.first_us;
      d.last_ts_us = source.span.last_us;
      d.events = source.queries;
      d.evidence = Json{{"distinct_names", source.names.size()},
                        {"queries", source.queries},
                        {"max_entropy", source.max_entropy},
                        {"examples", source.examples}};
      out.push_back(std::move(d));
    }
    for (const auto& [name, domain] : dns_domains) {
      if (domain.subdomains.size() < config.c2_subdomain_threshold) {
        continue;
      }
      std::vector<std::pair<IpAddress, std::size_t>> queriers(domain.queriers.begin(),
                                                              domain.queriers.end());
      std::sort(queriers.begin(), queriers.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      Json queried_by = Json::array();
      std::size_t queries = 0;
      for (std::size_t i = 0; i < queriers.size(); ++i) {
        queries += queriers[i].second;
        if (i < config.max_evidence_items) {
          queried_by.push_back(
              {{"ip", ToString(queriers[i].first)}, {"queries", queriers[i].second}});
        }
      }
      Detection d;
      d.kind = Detection::Kind::kC2OverDns;
      d.src = queriers.front().first;
      d.name = name;
      d.score =
          BucketedScore(static_cast<double>(domain.subdomains.size()), config.c2_score_thresholds);
      d.first_ts_us = domain.span.first_us;
      d.last_ts_us = domain.span.last_us;
      d.events = queries;
      d.evidence = Json{{"unique_subdomains", domain.subdomains.size()},
                        {"queriers", queriers.size()},
                        {"queried_by", std::move(queried_by)}};
      out.push_back(std::move(d));
    }
  }

  void FinishIndicators(std::vector<Detection>& out) const {
    for (const auto& [key, group] : indicators) {
      Detection d;
      d.kind = Detection::Kind::kIndicatorHit;
      d.src = std::get<0>(key);
      d.dst = std::get<1>(key);
      d.name = group.hit.indicator;
      d.score = config.indicator_score;
      d.first_ts_us = group.span.first_us;
      d.last_ts_us = group.span.last_us;
      d.events = group.events;
      d.evidence = Json{{"field", group.field},
                        {"indicator", group.hit.indicator},
                        {"type", group.hit.type},
                        {"source", group.hit.source},
                        {"indicator_score", group.hit.score},
                        {"stix_id", group.hit.stix_id},
                        {"tlp", group.hit.tlp}};
      out.push_back(std::move(d));
    }
  }
};

Result<DetectionEngine> DetectionEngine::Create(DetectionConfig config) {
  HOSHI_RETURN_IF_ERROR(ValidateBeaconConfig(config.beacon));
  HOSHI_RETURN_IF_ERROR(ValidateScoreThresholds(config.long_connection_score_thresholds,
                                                "long_connection_score_thresholds"));
  HOSHI_RETURN_IF_ERROR(ValidateScoreThresholds(config.c2_score_thresholds, "c2_score_thresholds"));
  HOSHI_RETURN_IF_ERROR(
      ValidateScoreThresholds(config.dns_entropy_score_thresholds, "dns_entropy_score_thresholds"));
  const auto unit = [](double x) { return x >= 0 && x <= 1; };
  if (!unit(config.beacon_report_min_score) || !unit(config.strobe_score) ||
      !unit(config.indicator_score) || config.dns_entropy.min_token_length == 0) {
    return MakeError(ErrorCode::kInvalidArgument, DetectionMessages(),
                     "defense.detect_config_invalid",
                     "scores must be in [0, 1] and min_token_length at least 1");
  }
  auto state = std::make_unique<State>();
  state->config = config;
  return DetectionEngine(std::move(state));
}

DetectionEngine::DetectionEngine(std::unique_ptr<State> state) : state_(std::move(state)) {}
DetectionEngine::DetectionEngine(DetectionEngine&&) noexcept = default;
DetectionEngine& DetectionEngine::operator=(DetectionEngine&&) noexcept = default;
DetectionEngine::~DetectionEngine() = default;

void DetectionEngine::SetIndicatorLookup(const IndicatorLookup* lookup) {
  state_->lookup = lookup;
}

const DetectionConfig& DetectionEngine::config() const {
  return state_->config;
}

void DetectionEngine::Add(const Event& event) {
  State& s = *state_;
  s.AddIndicators(event);
  if (event.kind == EventKind::kDns) {
    s.AddDns(event);
    return;
  }
  const bool connection = IsConnection(event.kind);
  const bool named = IsNamedSession(event.kind) && !event.name.empty();
  if ((!connection && !named) || event.src.IsUnspecified() || event.dst.IsUnspecified() ||
      s.Filtered(event)) {
    return;
  }
  if (connection) {
    s.AddConnection(event);
  } else {
    s.AddNamedSession(event);
  }
}

void DetectionEngine::Add(std::span<const Event> events) {
  for (const Event& e : events) {
    Add(e);
  }
}

std::vector<Detection> DetectionEngine::Finish() const {
  const State& s = *state_;
  std::vector<Detection> out;
  if (!s.connection_span.empty) {
    const State::Window w = s.BeaconWindow();
    const std::unordered_set<std::uint64_t> claimed = s.FinishNamePairs(w, out);
    s.FinishIpPairs(w, claimed, out);
  }
  s.FinishDns(out);
  s.FinishIndicators(out);
  std::sort(out.begin(), out.end(), [](const Detection& a, const Detection& b) {
    return std::tie(b.score, a.kind, a.src, a.dst, a.name) <
           std::tie(a.score, b.kind, b.src, b.dst, b.name);
  });
  return out;
}

}  // namespace hoshi::defense
