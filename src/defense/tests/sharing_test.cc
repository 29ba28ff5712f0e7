// SPDX-License-Identifier: Apache-2.0
// De-identified STIX 2.1 sharing and the TAXII 2.1 responses (issue #6).
#include "hoshi/defense/sharing.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/clock.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/event.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/messages.h"

namespace hoshi::defense {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kT0 = 1'794'787'200;                   // 2026-11-16T00:00:00Z, seconds
constexpr std::int64_t kNowUs = 1'795'305'600LL * 1'000'000;  // 2026-11-22T00:00:00Z
constexpr std::int64_t kDay = 86'400;

// The victim's values and their derived forms (computed with Python's hashlib).
constexpr std::string_view kVictimIp = "192.168.1.23";
constexpr std::string_view kVictimIpInteger = "3232235799";
constexpr std::string_view kVictimIpMd5 = "469adc5ca61ab1099c4c0c094796b09d";
constexpr std::string_view kVictimIpSha1 = "9482a75aa118c9a3f3e3326bbdd4211a3991bc0b";
constexpr std::string_view kVictimIpSha256 =
    "cc6b08f9e38f604b3b318293a83ebb79d6cfa7bf184d46ff6ce45d627f2d73e2";
constexpr std::string_view kVictimIpSha256Newline =  // echo 192.168.1.23 | sha256sum
    "ebc2b45066dfb7111e9de5a99c8222ca178cec69de1e9dfda6b50bf1155dd12b";
constexpr std::string_view kVictimUserSha256 =  // sha256("yamada.taro")
    "2b974f923445de2172198b70d5179ff8bfa284c65764dba83992758914e8aff7";
constexpr std::string_view kVictimPublicIp = "198.51.100.10";

IpAddress Ip(std::string_view text) {
  const std::optional<IpAddress> ip = ParseIp(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress{});
}

VictimContext Context() {
  VictimContext c;
  c.addresses = {Ip(kVictimIp), Ip(kVictimPublicIp), Ip("2001:db8:1::23")};
  c.networks = {"192.168.1.0/24", "198.51.100.0/28"};
  c.host_names = {"taro-pc.corp.hoshitori-ss.co.jp", "fileserver01"};
  c.user_names = {"yamada.taro", "ito"};
  c.organization_terms = {"株式会社星取製作所", "Hoshitori Seisakusho", "5010001234567"};
  c.own_domains = {"hoshitori-ss.co.jp"};
  return c;
}

Event Conn(std::int64_t ts_s, std::string_view src, std::string_view dst, std::uint64_t bytes,
           std::string uid = "", std::uint16_t port = 443) {
  Event e;
  e.ts_us = ts_s * 1'000'000;
  e.kind = EventKind::kConn;
  e.proto = Proto::kTcp;
  e.src = Ip(src);
  e.dst = Ip(dst);
  e.dst_port = port;
  e.orig_ip_bytes = bytes;
  e.duration_s = 0.5;
  e.uid = std::move(uid);
  return e;
}

Event Dns(std::int64_t ts_s, std::string_view src, std::string name) {
  Event e;
  e.ts_us = ts_s * 1'000'000;
  e.kind = EventKind::kDns;
  e.proto = Proto::kUdp;
  e.src = Ip(src);
  e.dst = Ip("192.168.1.1");
  e.dst_port = 53;
  e.name = std::move(name);
  return e;
}

/// A realistic day at the victim, run through the real detection engine.
struct Scenario {
  std::vector<Detection> detections;
  std::vector<std::string> tunnel_tokens;  ///< the random DNS labels (exfiltrated data)
  IndicatorSet indicators;
};

Scenario MakeScenario() {
  Scenario s;
  // Feeds: a plain list (scanner) read from a path that names the user, and a STIX bundle that
  // lists the C2 domain under TLP 2.0 GREEN.
  const auto plain =
      ImportPlainList("45.155.205.99\t7\n", "/home/yamada.taro/feeds/scanners.txt", s.indicators);
  EXPECT_TRUE(plain.has_value());
  const std::string stix =
      R"({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
    "objects": [{"type": "indicator", "spec_version": "2.1",
      "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
      "created": "2026-10-01T00:00:00.000Z", "modified": "2026-10-01T00:00:00.000Z",
      "pattern": "[domain-name:value = 'c2.evil.example']", "pattern_type": "stix",
      "valid_from": "2026-10-01T00:00:00Z",
      "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}]})";
  const auto bundle = ImportStixBundle(stix, "/srv/feeds/intel.json", s.indicators);
  EXPECT_TRUE(bundle.has_value());
  s.indicators.Freeze();

  auto engine = DetectionEngine::Create();
  EXPECT_TRUE(engine.has_value());
  const IndicatorSetLookup lookup(s.indicators);
  engine->SetIndicatorLookup(&lookup);

  std::uint64_t x = 0x5EED;
  const auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33U;
  };
  for (std::int64_t t = 0; t < kDay; t += 300) {
    // 1. A TLS beacon from the victim's PC to the C2 server, every 5 minutes with jitter.
    const std::int64_t ts = kT0 + t + static_cast<std::int64_t>(next() % 7);
    const std::string uid = "Cb" + std::to_string(t);
    engine->Add(Conn(ts, kVictimIp, "203.0.113.5", 640 + next() % 4, uid));
    Event tls = Conn(ts, kVictimIp, "203.0.113.5", 0, uid);
    tls.kind = EventKind::kTls;
    tls.name = "c2.evil.example";
    engine->Add(tls);
    // 2. A "beacon" to the victim's own public server (hairpin NAT): nothing to share.
    engine->Add(Conn(kT0 + t, "192.168.1.40", kVictimPublicIp, 300));
  }
  // 3. DNS tunnelling: the labels carry the host name, the user name and random data.
  const std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  for (int i = 0; i < 150; ++i) {
    std::string token;
    for (int j = 0; j < 24; ++j) {
      token += alphabet[next() % alphabet.size()];
    }
    s.tunnel_tokens.push_back(token);
    engine->Add(Dns(kT0 + 600 + i * 20, kVictimIp, token + ".taro-pc.yamada.taro.tunnel.example"));
  }
  // 4. An inbound scanner listed in a feed.
  for (int i = 0; i < 5; ++i) {
    engine->Add(Conn(kT0 + 7'200 + i, "45.155.205.99", kVictimPublicIp, 60, "", 22));
  }
  s.detections = engine->Finish();
  engine->SetIndicatorLookup(nullptr);
  return s;
}

SightingRecord Record(std::string kind, ObservableType type, std::string value,
                      std::size_t organizations = 1) {
  SightingRecord r;
  r.detection_kind = std::move(kind);
  r.observable = Observable{type, std::move(value)};
  r.score = 0.6;
  r.first_seen_us = kT0 * 1'000'000;
  r.last_seen_us = (kT0 + 3'600) * 1'000'000;
  r.count = 12;
  r.organizations = organizations;
  return r;
}

ShareOptions Options() {
  ShareOptions o;
  o.now_us = kNowUs;
  return o;
}

std::vector<const Json*> OfType(const Json& bundle, std::string_view type) {
  std::vector<const Json*> out;
  for (const Json& o : bundle.at("objects")) {
    if (o.at("type") == type) {
      out.push_back(&o);
    }
  }
  return out;
}

std::set<std::string> Patterns(const Json& bundle) {
  std::set<std::string> out;
  for (const Json* o : OfType(bundle, "indicator")) {
    out.insert(o->at("pattern").get<std::string>());
  }
  return out;
}

const Json* ById(const Json& bundle, const std::string& id) {
  for (const Json& o : bundle.at("objects")) {
    if (o.at("id") == id) {
      return &o;
    }
  }
  return nullptr;
}

std::string LowerText(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return text;
}

/// The scenario's records with the organisation counts the platform would have added.
std::vector<SightingRecord> ScenarioRecords(const Scenario& s, const VictimContext& context) {
  auto records = SightingRecordsFor(s.detections, context);
  EXPECT_TRUE(records.has_value());
  std::vector<SightingRecord> out = records ? *records : std::vector<SightingRecord>{};
  for (SightingRecord& r : out) {
    r.sector = "製造業";
    r.organizations =
        r.detection_kind == "beacon" ? 4 : (r.detection_kind == "indicator_hit" ? 2 : 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Observables.
// ---------------------------------------------------------------------------------------------

TEST(SharingObservableTest, PatternsForEveryTypeAndEscaping) {
  const struct {
    ObservableType type;
    std::string_view value;
    std::string_view pattern;
  } kCases[] = {
      {ObservableType::kIpv4, "203.0.113.5", "[ipv4-addr:value = '203.0.113.5']"},
      {ObservableType::kIpv6, "2001:DB8::0005", "[ipv6-addr:value = '2001:db8::5']"},
      {ObservableType::kDomain, "Evil.Example.", "[domain-name:value = 'evil.example']"},
      {ObservableType::kUrl, "HTTP://user:pw@Evil.Example:80/a'b\\c?q=1",
       R"([url:value = 'http://evil.example/a\'b\\c?q=1'])"},
      {ObservableType::kMd5, "D41D8CD98F00B204E9800998ECF8427E",
       "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"},
      {ObservableType::kSha1, "a9993e364706816aba3e25717850c26c9cd0d89d",
       "[file:hashes.'SHA-1' = 'a9993e364706816aba3e25717850c26c9cd0d89d']"},
      {ObservableType::kSha256, kVictimUserSha256,
       "[file:hashes.'SHA-256' = "
       "'2b974f923445de2172198b70d5179ff8bfa284c65764dba83992758914e8aff7']"},
  };
  for (const auto& c : kCases) {
    const auto o = MakeObservable(c.type, c.value);
    ASSERT_TRUE(o.has_value()) << c.value;
    EXPECT_EQ(StixPattern(*o), c.pattern);
    // The project's own STIX pattern parser reads the value back unchanged.
    const auto parsed = ParseStixPattern(StixPattern(*o));
    ASSERT_TRUE(parsed.has_value()) << StixPattern(*o);
    ASSERT_EQ(parsed->size(), 1U);
    EXPECT_EQ(parsed->front().values, std::vector<std::string>{o->value});
  }
  EXPECT_FALSE(MakeObservable(ObservableType::kIpv4, "2001:db8::1").has_value());
  EXPECT_FALSE(MakeObservable(ObservableType::kIpv6, "203.0.113.5").has_value());
  EXPECT_FALSE(MakeObservable(ObservableType::kIpv4, "203.0.113.0/24").has_value());
  EXPECT_FALSE(MakeObservable(ObservableType::kSha256, "abc").has_value());
  const auto bad = MakeObservable(ObservableType::kDomain, "not a domain");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().reason(), "defense.share_observable");
}

TEST(SharingObservableTest, AttackerSideByDetectionKind) {
  const VictimContext context = Context();
  const auto observables = [&](const Detection& d) {
    auto out = AttackerObservables(d, context);
    EXPECT_TRUE(out.has_value());
    std::vector<std::string> text;
    for (const Observable& o : out ? *out : std::vector<Observable>{}) {
      text.push_back(std::string(ObservableTypeName(o.type)) + ":" + o.value);
    }
    return text;
  };
  using V = std::vector<std::string>;

  Detection beacon;
  beacon.kind = Detection::Kind::kBeacon;
  beacon.src = Ip(kVictimIp);
  beacon.dst = Ip("203.0.113.5");
  beacon.name = "c2.evil.example:8443";
  EXPECT_EQ(observables(beacon), (V{"ipv4:203.0.113.5", "domain:c2.evil.example"}));
  beacon.name = "[2001:db8:bad::5]:443";
  EXPECT_EQ(observables(beacon), (V{"ipv4:203.0.113.5", "ipv6:2001:db8:bad::5"}));
  // The victim's own public address, private addresses and NAT64 forms of them are not shared.
  beacon.name.clear();
  for (const std::string_view dst :
       {kVictimPublicIp, std::string_view("198.51.100.3"), std::string_view("10.9.8.7"),
        std::string_view("64:ff9b::c0a8:117"), std::string_view("224.0.0.251")}) {
    beacon.dst = Ip(dst);
    EXPECT_EQ(observables(beacon), V{}) << dst;
  }
  // A lookalike SNI naming the victim is not shared either.
  beacon.dst = Ip("203.0.113.5");
  beacon.name = "hoshitori-ss.co.jp.login-check.example";
  EXPECT_EQ(observables(beacon), V{"ipv4:203.0.113.5"});
  // Direction unknown (the source is not victim side): nothing.
  beacon.src = Ip("192.0.2.77");
  EXPECT_EQ(observables(beacon), V{});
  // A public source in the victim's networks is victim side.
  beacon.src = Ip("198.51.100.4");
  EXPECT_EQ(observables(beacon), V{"ipv4:203.0.113.5"});

  Detection dns;
  dns.kind = Detection::Kind::kDnsEntropy;
  dns.src = Ip(kVictimIp);
  dns.name = "mzxw6ytboi2dmnbzgq3tqmbq.taro-pc.yamada.taro.tunnel.example";
  EXPECT_EQ(observables(dns), V{"domain:tunnel.example"});
  dns.kind = Detection::Kind::kC2OverDns;
  dns.name = "x1.tunnel.example.co.jp";
  EXPECT_EQ(observables(dns), V{"domain:example.co.jp"});
  dns.name = "mail.hoshitori-ss.co.jp";
  EXPECT_EQ(observables(dns), V{});
  dns.name = "5.113.0.203.in-addr.arpa";
  EXPECT_EQ(observables(dns), V{});

  Detection hit;
  hit.kind = Detection::Kind::kIndicatorHit;
  hit.src = Ip("45.155.205.99");
  hit.dst = Ip(kVictimPublicIp);
  hit.name = "45.155.205.99";
  hit.evidence = Json{{"field", "src_ip"}, {"type", "ip"}};
  EXPECT_EQ(observables(hit), V{"ipv4:45.155.205.99"});  // inbound: the src
  hit.src = Ip(kVictimIp);
  hit.dst = Ip("203.0.113.77");
  hit.name = "203.0.113.0/24";
  hit.evidence = Json{{"field", "dst_ip"}, {"type", "cidr"}};
  EXPECT_EQ(observables(hit), V{"ipv4:203.0.113.77"});  // the address that matched the CIDR
  hit.name = "evil.example";
  hit.evidence = Json{{"field", "name"}, {"type", "domain"}};
  EXPECT_EQ(observables(hit), V{"domain:evil.example"});  // the listed domain, not the query
  hit.name = "http://evil.example/gate.php";
  hit.evidence = Json{{"type", "url"}};
  EXPECT_EQ(observables(hit), V{"url:http://evil.example/gate.php"});
  hit.name = "10.0.0.0/8";  // a careless feed entry matching the victim's own host
  hit.dst = Ip("10.1.2.3");
  hit.evidence = Json{{"field", "dst_ip"}, {"type", "cidr"}};
  EXPECT_EQ(observables(hit), V{});

  VictimContext broken = context;
  broken.networks.emplace_back("198.51.100.0/33");
  const auto error = AttackerObservables(beacon, broken);
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().reason(), "defense.share_context");
  EXPECT_NE(error.error().message().en.find("networks[2]"), std::string::npos);
  EXPECT_EQ(error.error().message().en.find("/33"), std::string::npos);  // never the value
}

// ---------------------------------------------------------------------------------------------
// Leak detection.
// ---------------------------------------------------------------------------------------------

TEST(SharingLeakTest, FindsEveryFormOfAVictimValue) {
  const VictimContext context = Context();
  const auto leaks = [&](std::string_view text) { return FindLeaks(text, context); };
  using V = std::vector<std::string>;
  EXPECT_EQ(leaks("{\"pattern\": \"[ipv4-addr:value = '203.0.113.5']\"}"), V{});

  EXPECT_EQ(leaks("seen from 192.168.1.23."),
            (V{"addresses[0]:text", "networks[0]:member", "non_public_address"}));
  EXPECT_EQ(leaks("192.168.1.230"), (V{"networks[0]:member", "non_public_address"}));
  EXPECT_EQ(leaks("{\"connections\": 3232235799}"), V{"addresses[0]:integer"});
  EXPECT_EQ(leaks("32322357990"), V{});  // a longer number is not the address
  EXPECT_EQ(leaks("0xC0A80117"), V{"addresses[0]:hex"});
  EXPECT_EQ(leaks("23.1.168.192.in-addr.arpa"), V{"addresses[0]:reversed"});
  EXPECT_EQ(leaks(kVictimIpMd5), V{"addresses[0]:md5"});
  EXPECT_EQ(leaks(kVictimIpSha1), V{"addresses[0]:sha1"});
  EXPECT_EQ(leaks(LowerText(std::string(kVictimIpSha256))), V{"addresses[0]:sha256"});
  std::string upper(kVictimIpSha256);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return c >= 'a' && c <= 'f' ? static_cast<char>(c - 32) : c; });
  EXPECT_EQ(leaks(upper), V{"addresses[0]:sha256"});
  EXPECT_EQ(leaks(kVictimIpSha256Newline), V{"addresses[0]:sha256"});
  // A SHA-256 of the victim's address planted in an indicator description.
  const std::string planted = R"({"type":"indicator","description":"pseudonymised host )" +
                              std::string(kVictimIpSha256) + "\"}";
  EXPECT_EQ(leaks(planted), V{"addresses[0]:sha256"});

  EXPECT_EQ(leaks("198.51.100.10"), (V{"addresses[1]:text", "networks[1]:member"}));
  EXPECT_EQ(leaks("198.51.100.14"), V{"networks[1]:member"});
  EXPECT_EQ(leaks("198.51.100.16"), V{});
  EXPECT_EQ(leaks("[ipv6-addr:value = '2001:db8:1::23']"), V{"addresses[2]:text"});
  EXPECT_EQ(leaks("2001:0DB8:0001:0000:0000:0000:0000:0023"),
            (V{"addresses[2]:full", "addresses[2]:text"}));
  EXPECT_EQ(leaks("2001:db8:1::230"), V{});
  EXPECT_EQ(leaks("::ffff:10.0.0.8 and fe80::1"), V{"non_public_address"});
  EXPECT_EQ(leaks("2026-11-22T09:00:00.000Z 1.2.3.4 v1.2.3"), V{});

  EXPECT_EQ(leaks("TARO-PC.corp.hoshitori-ss.co.jp"),
            (V{"host_names[0]:text", "own_domains[0]:text"}));
  EXPECT_EQ(leaks("TARO-PC"), V{"host_names[0]:text"});  // the first label, any case
  EXPECT_EQ(leaks("\\\\FILESERVER01\\share"), V{"host_names[1]:text"});
  EXPECT_EQ(leaks(kVictimUserSha256), V{"user_names[0]:sha256"});
  EXPECT_EQ(leaks("Yamada.Taro"), V{"user_names[0]:text"});
  EXPECT_EQ(leaks("monitoring"), V{});  // a short user name only as a whole token
  EXPECT_EQ(leaks("user=ito;"), V{"user_names[1]:text"});
  EXPECT_EQ(leaks("株式会社星取製作所 様"), V{"organization_terms[0]:text"});
  EXPECT_EQ(leaks("\\u682a\\u5f0f\\u4f1a\\u793e\\u661f\\u53d6\\u88fd\\u4f5c\\u6240"),
            V{"organization_terms[0]:text"});  // JSON with ensure_ascii
  EXPECT_EQ(leaks("HOSHITORI SEISAKUSHO"), V{"organization_terms[1]:text"});
  EXPECT_EQ(leaks("法人番号 5010001234567"), V{"organization_terms[2]:text"});
  EXPECT_EQ(leaks("https://www.hoshitori-ss.co.jp/"), V{"own_domains[0]:text"});
  EXPECT_EQ(leaks("nothoshitori-ss.co.jpx"), V{});

  // Own domains on label boundaries (without the same text as an organisation term).
  VictimContext domains;
  domains.own_domains = {"example.co.jp."};
  EXPECT_EQ(FindLeaks("mail.EXAMPLE.co.jp", domains), V{"own_domains[0]:text"});
  EXPECT_EQ(FindLeaks("example.co.jp.phish.example", domains), V{"own_domains[0]:text"});
  EXPECT_EQ(FindLeaks("myexample.co.jp", domains), V{});
  EXPECT_EQ(FindLeaks("my-example.co.jp", domains), V{});
}

TEST(SharingLeakTest, ContextValidationNamesTheFieldNotTheValue) {
  VictimContext context = Context();
  EXPECT_TRUE(ValidateVictimContext(context).ok());
  context.user_names.emplace_back("  ");
  const Status status = ValidateVictimContext(context);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message().ja.find("user_names[2]"), std::string::npos);
  context = Context();
  context.networks = {"2001:db8::/48", "198.51.100.7"};  // a bare address is a /32
  EXPECT_TRUE(ValidateVictimContext(context).ok());
  context.networks.emplace_back("intranet");
  EXPECT_FALSE(ValidateVictimContext(context).ok());
}

// ---------------------------------------------------------------------------------------------
// Evidence.
// ---------------------------------------------------------------------------------------------

TEST(SharingEvidenceTest, OnlyTheAllowListLeaves) {
  const Json evidence = {
      {"beacon_type", "sni"},
      {"beacon_score", 0.97},
      {"connections", 288},
      {"interval", {{"median_s", 300.0}, {"mad_s", 2.0}, {"note", "taro-pc"}}},
      {"histogram", Json::array({12, 12, 12, 12})},
      {"dst_ports", Json::array({443})},
      {"server_ips", Json::array({"203.0.113.5"})},
      {"examples", Json::array({"abc.taro-pc.tunnel.example"})},
      {"queried_by", Json::array({{{"ip", "192.168.1.23"}, {"queries", 3}}})},
      {"user_agent", "Mozilla/5.0"},
      {"uid", "CAbc123"},
      {"uri", "/gate.php?host=taro-pc"},
      {"field", "<script>"},
      {"max_entropy", std::numeric_limits<double>::infinity()},
      {"queries", "12"},
      {"window", {{"start_s", kT0}, {"end_s", kT0 + kDay}}},
  };
  const Json expected = {
      {"beacon_type", "sni"},
      {"beacon_score", 0.97},
      {"connections", 288},
      {"interval", {{"median_s", 300.0}, {"mad_s", 2.0}}},
      {"histogram", Json::array({12, 12, 12, 12})},
      {"dst_ports", Json::array({443})},
      {"window", {{"start_s", kT0}, {"end_s", kT0 + kDay}}},
  };
  EXPECT_EQ(AllowListedEvidence(evidence), expected);
  EXPECT_EQ(AllowListedEvidence(Json()), Json::object());
  EXPECT_EQ(AllowListedEvidence(Json::array({1, 2})), Json::object());
}

// ---------------------------------------------------------------------------------------------
// STIX export.
// ---------------------------------------------------------------------------------------------

TEST(SharingExportTest, RealisticDetectionsShareOnlyTheAttackerSide) {
  const VictimContext context = Context();
  const Scenario scenario = MakeScenario();
  std::vector<SightingRecord> records = ScenarioRecords(scenario, context);

  // What the platform might also have stored, from other paths: victim values of every kind.
  records.push_back(Record("beacon", ObservableType::kIpv4, std::string(kVictimPublicIp)));
  records.push_back(Record("beacon", ObservableType::kIpv4, "10.1.2.3"));
  records.push_back(Record("long_connection", ObservableType::kIpv6, "fd00::1"));
  records.push_back(Record("beacon", ObservableType::kDomain, "vpn.hoshitori-ss.co.jp"));
  records.push_back(Record("beacon", ObservableType::kDomain, "hoshitori-ss.co.jp.verify.example"));
  records.push_back(Record("beacon", ObservableType::kUrl, "http://203.0.113.9/taro-pc/upload"));
  records.push_back(Record("beacon", ObservableType::kUrl, "http://192.168.1.1/"));
  records.push_back(Record("dns_entropy", ObservableType::kDomain, "23.1.168.192.in-addr.arpa"));
  records.push_back(Record("beacon", ObservableType::kSha256, std::string(kVictimIpSha256)));
  records.push_back(Record("lateral_movement", ObservableType::kIpv4, "203.0.113.99"));
  records.push_back(Record("beacon", ObservableType::kIpv4, "203.0.113.300"));
  SightingRecord amber = Record("indicator_hit", ObservableType::kDomain, "amber.example");
  amber.indicator = IndicatorHit{"amber.example", "domain", "partner", 80, "", "amber"};
  records.push_back(amber);

  const auto result = ExportStix(records, context, Options());
  ASSERT_TRUE(result.has_value()) << result.error().ToString(Lang::kEn);
  const Json& bundle = result->bundle;

  EXPECT_EQ(Patterns(bundle), (std::set<std::string>{
                                  "[ipv4-addr:value = '203.0.113.5']",
                                  "[domain-name:value = 'c2.evil.example']",
                                  "[domain-name:value = 'tunnel.example']",
                                  "[ipv4-addr:value = '45.155.205.99']",
                              }));
  EXPECT_EQ(result->indicators, 4U);
  // beacon ×2 (address, SNI), indicator_hit ×2 (C2 domain, scanner), dns_entropy, c2_over_dns.
  EXPECT_EQ(result->sightings, 6U);
  EXPECT_EQ(result->exported, records.size() - 12);
  EXPECT_EQ(result->dropped, (std::map<std::string, std::size_t>{{"invalid_value", 1},
                                                                 {"own_domain", 2},
                                                                 {"private_address", 3},
                                                                 {"reverse_dns", 1},
                                                                 {"tlp_restricted", 1},
                                                                 {"unknown_kind", 1},
                                                                 {"victim_value", 3}}));

  // None of the victim's values, in any form, is in the bundle.
  const std::string text = LowerText(DumpJson(bundle, -1));
  for (const std::string_view forbidden : {kVictimIp,
                                           kVictimIpInteger,
                                           kVictimIpMd5,
                                           kVictimIpSha1,
                                           kVictimIpSha256,
                                           kVictimIpSha256Newline,
                                           kVictimUserSha256,
                                           kVictimPublicIp,
                                           std::string_view("c0a80117"),
                                           std::string_view("192.168.1.40"),
                                           std::string_view("taro-pc"),
                                           std::string_view("fileserver01"),
                                           std::string_view("yamada"),
                                           std::string_view("星取"),
                                           std::string_view("hoshitori seisakusho"),
                                           std::string_view("hoshitori-ss"),
                                           std::string_view("5010001234567"),
                                           std::string_view("/home/"),
                                           std::string_view("queried_by"),
                                           std::string_view("examples"),
                                           std::string_view("server_ips")}) {
    EXPECT_EQ(text.find(forbidden), std::string::npos) << forbidden;
  }
  for (const std::string& token : scenario.tunnel_tokens) {
    EXPECT_EQ(text.find(token), std::string::npos) << token;
  }
  EXPECT_EQ(FindLeaks(DumpJson(bundle), context), std::vector<std::string>{});

  // The C2 domain: one indicator, both kinds, the feed kept as a reference without its path.
  const Json* c2 = nullptr;
  for (const Json* o : OfType(bundle, "indicator")) {
    if (o->at("name") == "c2.evil.example") {
      c2 = o;
    }
  }
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(c2->at("indicator_types"), Json::array({"anomalous-activity", "malicious-activity"}));
  EXPECT_EQ(c2->at("labels"), Json::array({"beacon", "indicator_hit"}));
  EXPECT_EQ(c2->at("external_references"),
            Json::array({{{"source_name", "intel.json"},
                          {"external_id", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}}}));
  EXPECT_EQ(c2->at("confidence"), 80);
  // The indicator's UUIDv5 as Python computes it:
  // uuid5(UUID('3b6a1f52-8e07-4c9d-a134-5e0b7c2fd861'), 'indicator|domain|c2.evil.example').
  EXPECT_EQ(c2->at("id"), "indicator--a01394c3-0aa6-53ba-b729-05d9f99a0d1c");
  const Json* ip_indicator = ById(bundle, "indicator--3c143eca-d530-569c-94cd-d9b922eb4450");
  ASSERT_NE(ip_indicator, nullptr);
  EXPECT_EQ(ip_indicator->at("pattern"), "[ipv4-addr:value = '203.0.113.5']");

  // Beacon evidence survives as numbers only.
  bool beacon_evidence = false;
  for (const Json* s : OfType(bundle, "sighting")) {
    if (s->at("x_hoshitori_detection") == "beacon") {
      const Json& evidence = s->at("x_hoshitori_evidence");
      EXPECT_EQ(evidence.at("beacon_type"), "sni");
      EXPECT_GE(evidence.at("beacon_score").get<double>(), 0.9);
      EXPECT_EQ(evidence.at("histogram").size(), 24U);
      EXPECT_EQ(evidence.at("dst_ports"), Json::array({443}));
      EXPECT_FALSE(evidence.contains("server_ips"));
      beacon_evidence = true;
    }
  }
  EXPECT_TRUE(beacon_evidence);

  // The project's own STIX importer reads the bundle back: every attacker value matches, with
  // the TLP 2.0 GREEN marking.
  IndicatorSet set;
  const auto report = ImportStixBundle(DumpJson(bundle), "shared.json", set);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->added, 4U);
  set.Freeze();
  const auto hit = set.MatchIp(Ip("203.0.113.5"), kNowUs);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->tlp, "green");
  EXPECT_TRUE(set.MatchDomain("c2.evil.example", kNowUs).has_value());
  EXPECT_TRUE(set.MatchDomain("tunnel.example", kNowUs).has_value());
  EXPECT_TRUE(set.MatchIp(Ip("45.155.205.99"), kNowUs).has_value());
  EXPECT_FALSE(set.MatchIp(Ip(kVictimPublicIp), kNowUs).has_value());
}

TEST(SharingExportTest, EveryObjectHasTheStixRequiredProperties) {
  const VictimContext context = Context();
  const Scenario scenario = MakeScenario();
  const auto result = ExportStix(ScenarioRecords(scenario, context), context, Options());
  ASSERT_TRUE(result.has_value());
  const Json& bundle = result->bundle;
  const std::regex uuid(
      "^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-"
      "[0-9a-f]{12}$");
  const std::regex time(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
  EXPECT_EQ(bundle.at("type"), "bundle");
  EXPECT_TRUE(std::regex_match(bundle.at("id").get<std::string>(), uuid));
  EXPECT_TRUE(bundle.at("id").get<std::string>().starts_with("bundle--"));
  EXPECT_FALSE(bundle.contains("spec_version"));  // a STIX 2.1 bundle has none

  std::set<std::string> ids;
  std::string marking;
  for (const Json* m : OfType(bundle, "marking-definition")) {
    marking = m->at("id").get<std::string>();
    EXPECT_EQ(m->at("name"), "TLP:GREEN");
    EXPECT_EQ(m->at("extensions")
                  .at("extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d")
                  .at("tlp_2_0"),
              "green");
  }
  EXPECT_EQ(marking, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb");
  std::string producer;
  for (const Json* i : OfType(bundle, "identity")) {
    if (i->at("identity_class") == "organization") {
      producer = i->at("id").get<std::string>();
    }
  }
  ASSERT_FALSE(producer.empty());
  for (const Json& o : bundle.at("objects")) {
    const std::string type = o.at("type").get<std::string>();
    const std::string id = o.at("id").get<std::string>();
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
    EXPECT_TRUE(id.starts_with(type + "--")) << id;
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    EXPECT_EQ(o.at("spec_version"), "2.1") << id;
    EXPECT_TRUE(std::regex_match(o.at("created").get<std::string>(), time)) << id;
    if (type == "marking-definition") {
      continue;
    }
    EXPECT_TRUE(std::regex_match(o.at("modified").get<std::string>(), time)) << id;
    EXPECT_LE(o.at("created").get<std::string>(), o.at("modified").get<std::string>()) << id;
    EXPECT_EQ(o.at("object_marking_refs"), Json::array({marking})) << id;
    if (id != producer) {
      EXPECT_EQ(o.at("created_by_ref"), producer) << id;
    }
    if (type == "indicator") {
      for (const char* key : {"name", "pattern", "pattern_type", "valid_from", "valid_until"}) {
        EXPECT_TRUE(o.contains(key)) << id << " " << key;
      }
      EXPECT_EQ(o.at("pattern_type"), "stix");
      EXPECT_LT(o.at("valid_from").get<std::string>(), o.at("valid_until").get<std::string>());
    }
    if (type == "sighting") {
      const Json* of = ById(bundle, o.at("sighting_of_ref").get<std::string>());
      ASSERT_NE(of, nullptr) << id;
      EXPECT_EQ(of->at("type"), "indicator");
      for (const Json& ref : o.at("where_sighted_refs")) {
        const Json* where = ById(bundle, ref.get<std::string>());
        ASSERT_NE(where, nullptr) << id;
        EXPECT_EQ(where->at("identity_class"), "class");
      }
      EXPECT_LE(o.at("first_seen").get<std::string>(), o.at("last_seen").get<std::string>());
      EXPECT_GE(o.at("count").get<std::int64_t>(), 1);
    }
  }

  // The same keys as the STIX 2.1 examples of OASIS (cti-documentation) have, and more.
  const fs::path example = fs::path(HOSHI_SHARED_DIR) /
                           "data/telemetry/stix/cti-documentation/sighting-of-an-indicator.json";
  if (!fs::exists(example)) {
    GTEST_SKIP() << "shared STIX example not found at " << example;
  }
  const auto text = ReadFile(example.string());
  ASSERT_TRUE(text.has_value());
  const auto oasis = ParseJson(*text);
  ASSERT_TRUE(oasis.has_value());
  for (const Json& theirs : oasis->at("objects")) {
    const std::string type = theirs.at("type").get<std::string>();
    if (type != "indicator" && type != "sighting") {
      continue;
    }
    const Json* ours = OfType(bundle, type).front();
    for (const auto& [key, value] : theirs.items()) {
      EXPECT_TRUE(ours->contains(key)) << type << " lacks " << key;
      EXPECT_EQ(ours->at(key).type(), value.type()) << type << "." << key;
    }
  }
}

TEST(SharingExportTest, IdsAreStableAndOutputDeterministic) {
  const VictimContext context = Context();
  const Scenario scenario = MakeScenario();
  const std::vector<SightingRecord> records = ScenarioRecords(scenario, context);
  const auto first = ExportStix(records, context, Options());
  const auto again = ExportStix(records, context, Options());
  ShareOptions later = Options();
  later.now_us += 3'600'000'000LL;
  const auto next_hour = ExportStix(records, context, later);
  ASSERT_TRUE(first.has_value() && again.has_value() && next_hour.has_value());
  EXPECT_EQ(DumpJson(first->bundle), DumpJson(again->bundle));

  const auto ids = [](const Json& bundle) {
    std::vector<std::string> out;
    for (const Json& o : bundle.at("objects")) {
      out.push_back(o.at("id").get<std::string>());
    }
    return out;
  };
  EXPECT_EQ(ids(first->bundle), ids(next_hour->bundle));
  EXPECT_NE(first->bundle.at("id"), next_hour->bundle.at("id"));
  // Only `modified` moves for indicators and sightings.
  const Json* a = OfType(first->bundle, "sighting").front();
  const Json* b = OfType(next_hour->bundle, "sighting").front();
  EXPECT_EQ(a->at("created"), b->at("created"));
  EXPECT_EQ(a->at("modified"), "2026-11-22T00:00:00.000Z");
  EXPECT_EQ(b->at("modified"), "2026-11-22T01:00:00.000Z");

  // Records in another order merge to the same bundle.
  std::vector<SightingRecord> reversed(records.rbegin(), records.rend());
  const auto shuffled = ExportStix(reversed, context, Options());
  ASSERT_TRUE(shuffled.has_value());
  EXPECT_EQ(DumpJson(first->bundle), DumpJson(shuffled->bundle));
}

TEST(SharingExportTest, SectorOnlyFromEnoughOrganisations) {
  const VictimContext context = Context();
  const auto where = [&](std::size_t organizations, ShareOptions options) {
    SightingRecord r = Record("beacon", ObservableType::kIpv4, "203.0.113.5", organizations);
    r.sector = "製造業";
    const auto result = ExportStix(std::vector<SightingRecord>{r}, context, options);
    EXPECT_TRUE(result.has_value());
    const Json& s = *OfType(result->bundle, "sighting").front();
    EXPECT_EQ(s.at("x_hoshitori_organizations"), organizations);
    return ById(result->bundle, s.at("where_sighted_refs").at(0).get<std::string>())
        ->at("name")
        .get<std::string>();
  };
  EXPECT_EQ(where(1, Options()), "参加組織");
  EXPECT_EQ(where(2, Options()), "参加組織");
  EXPECT_EQ(where(3, Options()), "製造業の参加組織");
  EXPECT_EQ(where(40, Options()), "製造業の参加組織");
  ShareOptions english = Options();
  english.lang = Lang::kEn;
  EXPECT_EQ(where(3, english), "Participating organisations in 製造業");
  EXPECT_EQ(where(2, english), "Participating organisation");
  ShareOptions strict = Options();
  strict.min_organizations_for_sector = 10;
  EXPECT_EQ(where(9, strict), "参加組織");

  // Two records of one observable with different sectors: no sector.
  SightingRecord a = Record("beacon", ObservableType::kIpv4, "203.0.113.5", 5);
  a.sector = "製造業";
  SightingRecord b = a;
  b.sector = "医療";
  const auto mixed = ExportStix(std::vector<SightingRecord>{a, b}, context, Options());
  ASSERT_TRUE(mixed.has_value());
  EXPECT_EQ(OfType(mixed->bundle, "identity").size(), 2U);  // producer + generic
  // A sector label that names the victim is not used.
  a.sector = "株式会社星取製作所";
  const auto named = ExportStix(std::vector<SightingRecord>{a}, context, Options());
  ASSERT_TRUE(named.has_value());
  EXPECT_EQ(DumpJson(named->bundle).find("星取"), std::string::npos);

  ShareOptions one = Options();
  one.min_organizations_for_sector = 1;
  const auto error = ExportStix(std::vector<SightingRecord>{a}, context, one);
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().reason(), "defense.share_min_orgs");
}

TEST(SharingExportTest, TlpMarkings) {
  const VictimContext context = Context();
  const std::vector<SightingRecord> records{
      Record("beacon", ObservableType::kDomain, "c2.evil.example")};
  const auto marking_of = [&](std::string tlp, bool v1) -> std::optional<Json> {
    ShareOptions options = Options();
    options.tlp = std::move(tlp);
    options.tlp_1_0 = v1;
    const auto result = ExportStix(records, context, options);
    if (!result) {
      EXPECT_EQ(result.error().reason(), "defense.share_tlp");
      return std::nullopt;
    }
    const auto markings = OfType(result->bundle, "marking-definition");
    EXPECT_EQ(markings.size(), 1U);
    for (const Json* o : OfType(result->bundle, "indicator")) {
      EXPECT_EQ(o->at("object_marking_refs").at(0), markings.front()->at("id"));
    }
    return *markings.front();
  };
  EXPECT_EQ(marking_of("TLP:CLEAR", false)->at("id"),
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487");
  EXPECT_EQ(marking_of("amber+strict", false)->at("id"),
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003");
  EXPECT_EQ(marking_of("tlp:red", false)->at("name"), "TLP:RED");
  const auto green_v1 = marking_of("TLP:GREEN", true);
  EXPECT_EQ(green_v1->at("id"), "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da");
  EXPECT_EQ(green_v1->at("definition"), (Json{{"tlp", "green"}}));
  EXPECT_EQ(green_v1->at("created"), "2017-01-20T00:00:00.000Z");
  EXPECT_EQ(marking_of("TLP:WHITE", false)->at("id"),
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9");
  EXPECT_EQ(marking_of("TLP:CLEAR", true)->at("id"),
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9");
  EXPECT_FALSE(marking_of("TLP:AMBER+STRICT", true).has_value());
  EXPECT_FALSE(marking_of("TLP:PURPLE", false).has_value());

  // Feed TLP: an AMBER feed entry is not re-shared as GREEN, but can go out under AMBER.
  SightingRecord amber = Record("indicator_hit", ObservableType::kDomain, "amber.example");
  amber.indicator = IndicatorHit{"amber.example", "domain", "partner", -1, "", "TLP:AMBER"};
  ShareOptions options = Options();
  EXPECT_EQ(ExportStix(std::vector<SightingRecord>{amber}, context, options)->dropped,
            (std::map<std::string, std::size_t>{{"tlp_restricted", 1}}));
  options.tlp = "TLP:AMBER";
  EXPECT_EQ(ExportStix(std::vector<SightingRecord>{amber}, context, options)->indicators, 1U);
  amber.indicator->tlp = "confidential";  // unknown: fail closed
  EXPECT_EQ(ExportStix(std::vector<SightingRecord>{amber}, context, options)->indicators, 0U);
}

TEST(SharingExportTest, FailsClosedWhenALeakReachesTheBundle) {
  const VictimContext context = Context();
  // A numeric evidence field that happens to be the victim's address as an integer.
  SightingRecord r = Record("beacon", ObservableType::kIpv4, "203.0.113.5");
  r.evidence = Json{{"connections", 3232235799LL}};
  const auto leaked = ExportStix(std::vector<SightingRecord>{r}, context, Options());
  ASSERT_FALSE(leaked.has_value());
  EXPECT_EQ(leaked.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(leaked.error().reason(), "defense.share_leak");
  EXPECT_NE(leaked.error().message().ja.find("1件"), std::string::npos);
  EXPECT_EQ(leaked.error().ToString(Lang::kEn).find("3232235799"), std::string::npos);
  EXPECT_EQ(leaked.error().detail().find("3232235799"), std::string::npos);

  // Without evidence the same record is fine.
  ShareOptions no_evidence = Options();
  no_evidence.include_evidence = false;
  const auto ok = ExportStix(std::vector<SightingRecord>{r}, context, no_evidence);
  ASSERT_TRUE(ok.has_value());
  EXPECT_FALSE(OfType(ok->bundle, "sighting").front()->contains("x_hoshitori_evidence"));

  // A producer name that names the victim.
  ShareOptions named = no_evidence;
  named.producer_name = "星取 SOC (Hoshitori Seisakusho)";
  const auto by_name = ExportStix(std::vector<SightingRecord>{r}, context, named);
  ASSERT_FALSE(by_name.has_value());
  EXPECT_EQ(by_name.error().reason(), "defense.share_leak");
  EXPECT_EQ(by_name.error().message().en.find("Hoshitori"), std::string::npos);

  // A feed name that names the victim is left out of the references instead; a feed's folder
  // (which may name the user) is never shared.
  SightingRecord hit = Record("indicator_hit", ObservableType::kDomain, "evil.example");
  hit.indicator = IndicatorHit{"evil.example",
                               "domain",
                               "C:\\Users\\yamada.taro\\Hoshitori Seisakusho blocklist.txt",
                               -1,
                               "",
                               ""};
  const auto private_feed = ExportStix(std::vector<SightingRecord>{hit}, context, no_evidence);
  ASSERT_TRUE(private_feed.has_value());
  EXPECT_FALSE(OfType(private_feed->bundle, "indicator").front()->contains("external_references"));
  hit.indicator->source = "C:\\Users\\yamada.taro\\feeds\\abuse-ch.txt";
  const auto public_feed = ExportStix(std::vector<SightingRecord>{hit}, context, no_evidence);
  ASSERT_TRUE(public_feed.has_value());
  EXPECT_EQ(OfType(public_feed->bundle, "indicator").front()->at("external_references"),
            Json::array({{{"source_name", "abuse-ch.txt"}, {"description", "listed indicator"}}}));
}

TEST(SharingExportTest, OptionErrors) {
  const VictimContext context = Context();
  const std::vector<SightingRecord> none;
  ShareOptions options;  // now_us unset
  EXPECT_EQ(ExportStix(none, context, options).error().reason(), "defense.share_now");
  options = Options();
  options.producer_name = " ";
  EXPECT_EQ(ExportStix(none, context, options).error().reason(), "defense.share_producer");
  VictimContext broken = context;
  broken.host_names.emplace_back("");
  EXPECT_EQ(ExportStix(none, broken, Options()).error().reason(), "defense.share_context");
  // An empty export is still a valid bundle: producer identity and marking.
  const auto empty = ExportStix(none, context, Options());
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->bundle.at("objects").size(), 2U);
}

TEST(SharingExportTest, MessagesInBothLanguages) {
  const std::set<std::string_view> used{"defense.share_observable",
                                        "defense.share_context",
                                        "defense.share_tlp",
                                        "defense.share_min_orgs",
                                        "defense.share_now",
                                        "defense.share_producer",
                                        "defense.share_leak",
                                        "defense.share_sector_identity",
                                        "defense.share_generic_identity",
                                        "defense.share_indicator_description",
                                        "defense.share_taxii_added_after",
                                        "defense.share_taxii_limit",
                                        "defense.share_taxii_next",
                                        "defense.share_taxii_match_type",
                                        "defense.share_taxii_match_id",
                                        "defense.share_taxii_repeated"};
  std::size_t mine = 0;
  for (const MessageEntry& m : DefenseMessages()) {
    if (!m.key.starts_with("defense.share_")) {
      continue;
    }
    ++mine;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
    for (const std::string_view placeholder : {"{0}", "{1}", "{2}", "{3}"}) {
      EXPECT_EQ(m.ja.find(placeholder) == std::string_view::npos,
                m.en.find(placeholder) == std::string_view::npos)
          << m.key << " " << placeholder;
    }
    EXPECT_TRUE(used.contains(m.key)) << "unused: " << m.key;
  }
  EXPECT_EQ(mine, used.size());
}

// ---------------------------------------------------------------------------------------------
// Golden cases: tests/golden/defense_share/<case>/input.json → expected.json.
// HOSHI_UPDATE_GOLDEN=1 rewrites expected.json; a reviewer reads the diff.
// ---------------------------------------------------------------------------------------------

std::vector<std::string> Strings(const Json& object, std::string_view key) {
  std::vector<std::string> out;
  for (const Json& v : object.value(std::string(key), Json::array())) {
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::int64_t Micros(const Json& object, std::string_view key) {
  const auto t = ParseTimestamp(object.value(std::string(key), std::string()));
  EXPECT_TRUE(t.has_value()) << key;
  return t ? t->time_since_epoch().count() : 0;
}

/// Reads a case: the context, the options and the records.
std::tuple<VictimContext, ShareOptions, std::vector<SightingRecord>> ReadCase(const Json& in) {
  VictimContext context;
  const Json& c = in.at("context");
  for (const std::string& a : Strings(c, "addresses")) {
    context.addresses.push_back(Ip(a));
  }
  context.networks = Strings(c, "networks");
  context.host_names = Strings(c, "host_names");
  context.user_names = Strings(c, "user_names");
  context.organization_terms = Strings(c, "organization_terms");
  context.own_domains = Strings(c, "own_domains");

  ShareOptions options;
  const Json& o = in.at("options");
  options.now_us = Micros(o, "now");
  options.tlp = o.value("tlp", options.tlp);
  options.min_organizations_for_sector =
      o.value("min_organizations_for_sector", options.min_organizations_for_sector);
  options.lang = o.value("lang", "ja") == "en" ? Lang::kEn : Lang::kJa;

  const std::map<std::string, ObservableType> types{
      {"ipv4", ObservableType::kIpv4},     {"ipv6", ObservableType::kIpv6},
      {"domain", ObservableType::kDomain}, {"url", ObservableType::kUrl},
      {"md5", ObservableType::kMd5},       {"sha1", ObservableType::kSha1},
      {"sha256", ObservableType::kSha256}};
  std::vector<SightingRecord> records;
  for (const Json& r : in.at("records")) {
    SightingRecord record;
    record.detection_kind = r.at("kind").get<std::string>();
    record.observable =
        Observable{types.at(r.at("type").get<std::string>()), r.at("value").get<std::string>()};
    record.score = r.value("score", 0.0);
    record.first_seen_us = Micros(r, "first_seen");
    record.last_seen_us = Micros(r, "last_seen");
    record.count = r.value("count", std::uint64_t{0});
    record.organizations = r.value("organizations", std::size_t{0});
    if (r.contains("sector")) {
      record.sector = r.at("sector").get<std::string>();
    }
    if (r.contains("indicator")) {
      const Json& h = r.at("indicator");
      record.indicator =
          IndicatorHit{h.value("indicator", ""), h.value("type", ""),    h.value("source", ""),
                       h.value("score", -1),     h.value("stix_id", ""), h.value("tlp", "")};
    }
    record.evidence = r.value("evidence", Json());
    records.push_back(std::move(record));
  }
  return {std::move(context), std::move(options), std::move(records)};
}

TEST(SharingGoldenTest, CasesMatchExpected) {
  const fs::path root = fs::path(HOSHI_SOURCE_DIR) / "tests/golden/defense_share";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory() && fs::exists(entry.path() / "input.json")) {
      cases.push_back(entry.path());
    }
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_FALSE(cases.empty()) << "no cases under " << root;
  const char* update = std::getenv("HOSHI_UPDATE_GOLDEN");  // NOLINT(concurrency-mt-unsafe)
  for (const fs::path& dir : cases) {
    SCOPED_TRACE(dir.filename().string());
    ASSERT_TRUE(fs::exists(dir / "README")) << "every case needs a one-line README";
    const auto text = ReadFile((dir / "input.json").string());
    ASSERT_TRUE(text.has_value());
    const auto in = ParseJson(*text, "input.json");
    ASSERT_TRUE(in.has_value());
    const auto [context, options, records] = ReadCase(*in);
    const auto result = ExportStix(records, context, options);
    Json actual;
    if (result) {
      actual = Json{{"exported", result->exported},
                    {"indicators", result->indicators},
                    {"sightings", result->sightings},
                    {"dropped", result->dropped},
                    {"bundle", result->bundle}};
      EXPECT_EQ(FindLeaks(DumpJson(result->bundle), context), std::vector<std::string>{});
    } else {
      actual = Json{{"error", result.error().reason()}};
    }
    const std::string actual_text = DumpJson(actual, 2) + "\n";
    const fs::path expected_path = dir / "expected.json";
    if (update != nullptr && std::string(update) == "1") {
      ASSERT_TRUE(WriteFileAtomic(expected_path.string(), actual_text).ok());
      continue;
    }
    const auto expected = ReadFile(expected_path.string());
    ASSERT_TRUE(expected.has_value()) << "missing expected.json; run with HOSHI_UPDATE_GOLDEN=1";
    EXPECT_EQ(*expected, actual_text)
        << "regenerate with HOSHI_UPDATE_GOLDEN=1 and review the diff";
  }
}

// ---------------------------------------------------------------------------------------------
// TAXII 2.1.
// ---------------------------------------------------------------------------------------------

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(SharingTaxiiTest, DiscoveryApiRootAndCollections) {
  EXPECT_EQ(kTaxiiMediaType, "application/taxii+json;version=2.1");
  const Json discovery = TaxiiDiscovery(TaxiiDiscoveryInfo{"hoshitori TAXII",
                                                           "IPA 集合防御",
                                                           "",
                                                           "https://taxii.example/api1/",
                                                           {"https://taxii.example/api1/"}});
  EXPECT_EQ(discovery, (Json{{"title", "hoshitori TAXII"},
                             {"description", "IPA 集合防御"},
                             {"default", "https://taxii.example/api1/"},
                             {"api_roots", Json::array({"https://taxii.example/api1/"})}}));
  const Json root = TaxiiApiRoot(TaxiiApiRootInfo{"共有", "", 1'048'576});
  EXPECT_EQ(root, (Json{{"title", "共有"},
                        {"versions", Json::array({"application/taxii+json;version=2.1"})},
                        {"max_content_length", 1'048'576}}));
  const std::vector<TaxiiCollectionInfo> collections{
      {"91a7b528-80eb-42ed-a74d-c6fbd5a26116", "攻撃側の指標", "", "indicators"}};
  EXPECT_EQ(TaxiiCollections(collections),
            (Json{{"collections",
                   Json::array(
                       {{{"id", "91a7b528-80eb-42ed-a74d-c6fbd5a26116"},
                         {"title", "攻撃側の指標"},
                         {"alias", "indicators"},
                         {"can_read", true},
                         {"can_write", false},
                         {"media_types", Json::array({"application/stix+json;version=2.1"})}}})}}));
  EXPECT_EQ(TaxiiCollections({}), Json::object());
}

TEST(SharingTaxiiTest, EnvelopePagingAndFilters) {
  // Ten objects: five indicators and five sightings, modified one minute apart.
  std::vector<Json> objects;
  for (int i = 0; i < 10; ++i) {
    const std::string type = i % 2 == 0 ? "indicator" : "sighting";
    objects.push_back(
        Json{{"type", type},
             {"id", type + "--00000000-0000-4000-8000-00000000000" + std::to_string(i)},
             {"created", "2026-11-22T00:00:00.000Z"},
             {"modified", "2026-11-22T00:0" + std::to_string(9 - i) + ":00.000Z"}});
  }
  objects.push_back(Json{{"type", "indicator"}});  // no id: skipped
  objects.push_back(Json{{"type", "indicator"},
                         {"id", "indicator--00000000-0000-4000-8000-0000000000aa"},
                         {"modified", "yesterday"}});  // no time: skipped

  // Pages of three, ordered by modified: objects 9, 8, 7, then 6, 5, 4, …
  TaxiiQuery query;
  query.limit = 3;
  std::vector<std::string> seen;
  std::vector<std::string> first_headers;
  for (int page_no = 0; page_no < 10; ++page_no) {
    const TaxiiPage page = TaxiiEnvelope(objects, query);
    for (const Json& o : page.envelope.at("objects")) {
      seen.push_back(o.at("id").get<std::string>());
    }
    first_headers.push_back(page.date_added_first);
    if (!page.envelope.at("more").get<bool>()) {
      EXPECT_FALSE(page.envelope.contains("next"));
      break;
    }
    const auto parsed = ParseTaxiiQuery(
        Params{{"limit", "3"}, {"next", page.envelope.at("next").get<std::string>()}});
    ASSERT_TRUE(parsed.has_value());
    query = *parsed;
  }
  ASSERT_EQ(seen.size(), 10U);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(seen[i].ends_with(std::to_string(9 - i))) << seen[i];
  }
  EXPECT_EQ(first_headers,
            (std::vector<std::string>{"2026-11-22T00:00:00.000Z", "2026-11-22T00:03:00.000Z",
                                      "2026-11-22T00:06:00.000Z", "2026-11-22T00:09:00.000Z"}));

  // The same selection as manifest records and as versions (one version per object: modified).
  TaxiiQuery two;
  two.limit = 2;
  const TaxiiPage manifest = TaxiiEnvelope(objects, two, TaxiiView::kManifest);
  ASSERT_EQ(manifest.envelope.at("objects").size(), 2U);
  const Json& record = manifest.envelope.at("objects")[0];
  EXPECT_TRUE(record.at("id").get<std::string>().ends_with("9"));
  EXPECT_EQ(record.at("date_added"), "2026-11-22T00:00:00.000Z");
  EXPECT_EQ(record.at("version"), "2026-11-22T00:00:00.000Z");
  EXPECT_EQ(record.at("media_type"), "application/stix+json;version=2.1");
  EXPECT_EQ(record.size(), 4U);
  EXPECT_EQ(manifest.envelope.at("more"), true);
  const TaxiiPage versions = TaxiiEnvelope(objects, two, TaxiiView::kVersions);
  EXPECT_EQ(versions.envelope.at("versions"),
            Json::array({"2026-11-22T00:00:00.000Z", "2026-11-22T00:01:00.000Z"}));
  EXPECT_FALSE(versions.envelope.contains("objects"));

  // added_after, match[type] and match[id] (and their combination).
  const auto ids = [&](const Params& params) {
    const auto q = ParseTaxiiQuery(params);
    EXPECT_TRUE(q.has_value());
    std::vector<std::string> out;
    const TaxiiPage page = TaxiiEnvelope(objects, q ? *q : TaxiiQuery{});
    if (page.envelope.contains("objects")) {
      for (const Json& o : page.envelope.at("objects")) {
        const std::string id = o.at("id").get<std::string>();
        out.push_back(id.substr(id.size() - 1));
      }
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({{"added_after", "2026-11-22T00:06:00Z"}}), (V{"2", "1", "0"}));
  EXPECT_EQ(ids({{"added_after", "2026-11-22T09:06:00+09:00"}}), (V{"2", "1", "0"}));
  EXPECT_EQ(ids({{"match[type]", "sighting"}, {"added_after", "2026-11-22T00:03:00Z"}}),
            (V{"5", "3", "1"}));
  EXPECT_EQ(ids({{"match[type]", "indicator,identity"}, {"limit", "2"}}), (V{"8", "6"}));
  EXPECT_EQ(ids({{"match[id]",
                  "indicator--00000000-0000-4000-8000-000000000004,"
                  "sighting--00000000-0000-4000-8000-00000000000F"}}),
            (V{"4"}));
  EXPECT_EQ(ids({{"match[id]", "sighting--00000000-0000-4000-8000-000000000001"},
                 {"match[id]", "indicator--00000000-0000-4000-8000-000000000004"}}),
            (V{"4", "1"}));
  EXPECT_EQ(ids({{"match[version]", "all"}, {"match[type]", "malware"}}), V{});

  // An empty page: {more: false}, no objects key, no header values.
  TaxiiQuery late;
  late.added_after_us = kNowUs + 3'600'000'000LL;
  const TaxiiPage empty = TaxiiEnvelope(objects, late);
  EXPECT_EQ(empty.envelope, (Json{{"more", false}}));
  EXPECT_TRUE(empty.date_added_first.empty());

  // The exported bundle pages the same way.
  const VictimContext context = Context();
  const auto exported = ExportStix(
      std::vector<SightingRecord>{Record("beacon", ObservableType::kIpv4, "203.0.113.5")}, context,
      Options());
  ASSERT_TRUE(exported.has_value());
  const std::vector<Json> bundle_objects(exported->bundle.at("objects").begin(),
                                         exported->bundle.at("objects").end());
  TaxiiQuery all;
  all.limit = 1000;
  EXPECT_EQ(TaxiiEnvelope(bundle_objects, all).envelope.at("objects").size(),
            bundle_objects.size());
}

TEST(SharingTaxiiTest, QueryParameterErrorsNameTheParameter) {
  const struct {
    Params params;
    std::string_view reason;
    std::string_view parameter;
  } kCases[] = {
      {{{"limit", "0"}}, "defense.share_taxii_limit", "limit"},
      {{{"limit", "1001"}}, "defense.share_taxii_limit", "limit"},
      {{{"limit", "10abc"}}, "defense.share_taxii_limit", "limit"},
      {{{"limit", "-5"}}, "defense.share_taxii_limit", "limit"},
      {{{"added_after", "yesterday"}}, "defense.share_taxii_added_after", "added_after"},
      {{{"added_after", "2026-11-22"}}, "defense.share_taxii_added_after", "added_after"},
      {{{"next", "abc"}}, "defense.share_taxii_next", "next"},
      {{{"next", "h1.!!!"}}, "defense.share_taxii_next", "next"},
      {{{"match[type]", "Indicator"}}, "defense.share_taxii_match_type", "match[type]"},
      {{{"match[type]", "indicator,,sighting"}}, "defense.share_taxii_match_type", "match[type]"},
      {{{"match[id]", "indicator--1234"}}, "defense.share_taxii_match_id", "match[id]"},
      {{{"match[id]", "SIGHTING--00000000-0000-4000-8000-000000000001"}},
       "defense.share_taxii_match_id",
       "match[id]"},
      {{{"match[id]", "00000000-0000-4000-8000-000000000001"}},
       "defense.share_taxii_match_id",
       "match[id]"},
      {{{"limit", "5"}, {"limit", "6"}}, "defense.share_taxii_repeated", "limit"},
  };
  for (const auto& c : kCases) {
    const auto q = ParseTaxiiQuery(c.params);
    ASSERT_FALSE(q.has_value()) << c.params.front().first << "=" << c.params.front().second;
    EXPECT_EQ(q.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(q.error().reason(), c.reason);
    EXPECT_NE(q.error().message().ja.find(c.parameter), std::string::npos);
    EXPECT_NE(q.error().message().en.find(c.parameter), std::string::npos);
  }
  const auto ok = ParseTaxiiQuery(Params{{"limit", "1000"},
                                         {"added_after", "2026-11-22T00:00:00.123Z"},
                                         {"match[spec_version]", "2.1"}});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->limit, 1000U);
  EXPECT_EQ(ok->added_after_us, kNowUs + 123'000);
  EXPECT_EQ(ParseTaxiiQuery(Params{})->limit, kTaxiiDefaultLimit);

  const TaxiiCursor cursor{kNowUs, "indicator--3c143eca-d530-569c-94cd-d9b922eb4450"};
  const auto round_trip = ParseTaxiiQuery(Params{{"next", EncodeTaxiiCursor(cursor)}});
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_EQ(round_trip->next, cursor);

  const Json error = TaxiiError(ParseTaxiiQuery(Params{{"limit", "0"}}).error(), Lang::kEn);
  EXPECT_EQ(error.at("http_status"), "400");
  EXPECT_EQ(error.at("details").at("reason"), "defense.share_taxii_limit");
  EXPECT_NE(error.at("title").get<std::string>().find("limit"), std::string::npos);
}

}  // namespace
}  // namespace hoshi::defense
