// SPDX-License-Identifier: Apache-2.0
#include "hoshi/defense/indicators.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/defense/event.h"
#include "hoshi/defense/messages.h"

namespace hoshi::defense {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1'700'000'000'000'000;  // 2023-11-14, µs

IpAddress Ip(std::string_view text) {
  const auto ip = ParseIp(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress{});
}

Indicator Ind(IndicatorType type, std::string value, int score = -1) {
  Indicator ind;
  ind.type = type;
  ind.value = std::move(value);
  ind.score = score;
  ind.source = "test";
  return ind;
}

IndicatorSet Build(const std::vector<Indicator>& indicators) {
  IndicatorSet set;
  for (const Indicator& ind : indicators) {
    EXPECT_TRUE(set.Add(ind).ok()) << ind.value;
  }
  set.Freeze();
  return set;
}

std::string Hit(const std::optional<IndicatorView>& view) {
  return view ? std::string(view->value) : "-";
}

std::optional<std::string> ReadShared(const fs::path& relative) {
  const fs::path path = fs::path(HOSHI_SHARED_DIR) / relative;
  if (!fs::exists(path)) {
    return std::nullopt;
  }
  auto text = ReadFile(path.string());
  EXPECT_TRUE(text.ok()) << path;
  return text ? std::optional<std::string>(std::move(*text)) : std::nullopt;
}

// ---- Messages -----------------------------------------------------------------------------

TEST(IndicatorMessages, BothLanguagesSamePlaceholders) {
  const std::vector<std::string_view> used = {
      "defense.indicator_invalid",  "defense.indicator_unknown", "defense.indicator_window",
      "defense.indicator_capacity", "defense.indicator_score",   "defense.indicator_columns",
      "defense.stix_not_bundle",    "defense.stix_pattern",      "defense.stix_time",
      "defense.stix_window",        "defense.stix_no_pattern",   "defense.stix_value"};
  std::size_t mine = 0;
  for (const MessageEntry& m : DefenseMessages()) {
    if (!m.key.starts_with("defense.indicator_") && !m.key.starts_with("defense.stix_")) {
      continue;
    }
    ++mine;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
    for (const std::string_view placeholder : {"{0}", "{1}", "{2}"}) {
      EXPECT_EQ(m.ja.find(placeholder) == std::string_view::npos,
                m.en.find(placeholder) == std::string_view::npos)
          << m.key << " " << placeholder;
    }
    EXPECT_NE(std::find(used.begin(), used.end(), m.key), used.end()) << "unused: " << m.key;
  }
  EXPECT_EQ(mine, used.size());
}

// ---- Normalisation ------------------------------------------------------------------------

struct NormCase {
  std::string_view text;
  std::optional<IndicatorType> type;      // given type; nullopt = detect
  std::optional<IndicatorType> expected;  // nullopt = invalid
  std::string_view value;
  int prefix_len;
};

TEST(IndicatorNormalise, Table) {
  using T = IndicatorType;
  const std::vector<NormCase> cases = {
      {"192.0.2.1", std::nullopt, T::kIp, "192.0.2.1", 32},
      {" 192.0.2.1 ", T::kIp, T::kIp, "192.0.2.1", 32},
      {"::ffff:192.0.2.1", std::nullopt, T::kIp, "192.0.2.1", 32},
      {"2001:DB8::1", std::nullopt, T::kIp, "2001:db8::1", 128},
      {"10.1.2.3/8", std::nullopt, T::kCidr, "10.0.0.0/8", 8},  // host bits cleared
      {"10.1.2.3/32", T::kCidr, T::kIp, "10.1.2.3", 32},
      {"0.0.0.0/0", std::nullopt, T::kCidr, "0.0.0.0/0", 0},
      {"::ffff:10.0.0.0/104", std::nullopt, T::kCidr, "10.0.0.0/8", 8},
      {"2001:db8:1:2::/48", std::nullopt, T::kCidr, "2001:db8:1::/48", 48},
      {"10.0.0.0/33", std::nullopt, std::nullopt, "", 0},
      {"2001:db8::/129", std::nullopt, std::nullopt, "", 0},
      {"10.0.0.0/", std::nullopt, std::nullopt, "", 0},
      {"Evil.COM.", std::nullopt, T::kDomain, "evil.com", 0},
      {"xn--80ak6aa92e.com", std::nullopt, T::kDomain, "xn--80ak6aa92e.com", 0},
      {"_dmarc.example.org", std::nullopt, T::kDomain, "_dmarc.example.org", 0},
      {"localhost", std::nullopt, std::nullopt, "", 0},  // lists need a dot
      {"localhost", T::kDomain, T::kDomain, "localhost", 0},
      {"a..b.com", T::kDomain, std::nullopt, "", 0},
      {"bad domain.com", T::kDomain, std::nullopt, "", 0},
      {"999.1.1.1", std::nullopt, std::nullopt, "", 0},  // numeric TLD: a bad address
      {"HTTP://Example.COM", std::nullopt, T::kUrl, "http://example.com/", 0},
      {"https://Example.com:443/A/b?X=1#frag", std::nullopt, T::kUrl, "https://example.com/A/b?X=1",
       0},
      {"http://example.com:8080/p%2fq", std::nullopt, T::kUrl, "http://example.com:8080/p%2Fq", 0},
      {"http://user@EXAMPLE.com/", std::nullopt, T::kUrl, "http://user@example.com/", 0},
      {"http://[2001:DB8::1]:80/x", std::nullopt, T::kUrl, "http://[2001:db8::1]/x", 0},
      {"http://example.com?q", std::nullopt, T::kUrl, "http://example.com/?q", 0},
      {"example.com/dl/x.exe", std::nullopt, T::kUrl, "http://example.com/dl/x.exe", 0},
      {"http://exa mple.com/", T::kUrl, std::nullopt, "", 0},
      {"http://example.com/%zz", T::kUrl, std::nullopt, "", 0},
      {"D41D8CD98F00B204E9800998ECF8427E", std::nullopt, T::kMd5,
       "d41d8cd98f00b204e9800998ecf8427e", 0},
      {"da39a3ee5e6b4b0d3255bfef95601890afd80709", std::nullopt, T::kSha1,
       "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0},
      {"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", T::kSha256, T::kSha256,
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0},
      {"d41d8cd98f00b204e9800998ecf8427e", T::kSha1, std::nullopt, "", 0},  // wrong length
      {"g41d8cd98f00b204e9800998ecf8427e", T::kMd5, std::nullopt, "", 0},
      {"", std::nullopt, std::nullopt, "", 0},
  };
  for (const NormCase& c : cases) {
    SCOPED_TRACE(std::string(c.text));
    const auto ind = MakeIndicator(c.text, c.type);
    ASSERT_EQ(ind.ok(), c.expected.has_value());
    if (!ind.ok()) {
      EXPECT_FALSE(ind.error().reason().empty());
      continue;
    }
    EXPECT_EQ(ind->type, *c.expected);
    EXPECT_EQ(ind->value, c.value);
    EXPECT_EQ(ind->prefix_len, c.prefix_len);
  }
}

// ---- Matching -----------------------------------------------------------------------------

TEST(IndicatorSet, LongestPrefixMatch) {
  using T = IndicatorType;
  const IndicatorSet set = Build({
      Ind(T::kCidr, "10.0.0.0/8"),
      Ind(T::kCidr, "10.1.0.0/16"),
      Ind(T::kIp, "10.1.2.3"),
      Ind(T::kCidr, "192.168.0.0/24"),
      Ind(T::kCidr, "2001:db8::/32"),
      Ind(T::kCidr, "2001:db8:1::/48"),
      Ind(T::kIp, "2001:db8:1::5"),
      Ind(T::kCidr, "::/0"),
  });
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"10.1.2.3", "10.1.2.3"},
      {"::ffff:10.1.2.3", "10.1.2.3"},  // IPv4-mapped is the same address
      {"10.1.2.4", "10.1.0.0/16"},
      {"10.2.0.1", "10.0.0.0/8"},
      {"11.0.0.1", "-"},  // ::/0 is IPv6 only
      {"192.168.0.255", "192.168.0.0/24"},
      {"192.168.1.0", "-"},
      {"2001:db8:1::5", "2001:db8:1::5"},
      {"2001:db8:1::6", "2001:db8:1::/48"},
      {"2001:db8:2::1", "2001:db8::/32"},
      {"2001:db9::1", "::/0"},
  };
  for (const auto& [address, expected] : cases) {
    EXPECT_EQ(Hit(set.MatchIp(Ip(address), kNow)), expected) << address;
  }
  const auto hit = set.MatchIp(Ip("10.9.9.9"), kNow);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->type, T::kCidr);
  EXPECT_EQ(hit->prefix_len, 8);
  EXPECT_EQ(hit->source, "test");
  EXPECT_EQ(set.size(), 8U);
  EXPECT_EQ(set.Count(T::kCidr), 6U);
  EXPECT_EQ(set.Count(T::kIp), 2U);
}

// Longest-prefix matching against a plain reference (a set of (masked address, length) pairs,
// masked byte by byte), over many prefix lengths in both families and more /32s than the
// smallest per-length filter holds (the filters grow with their keys).
TEST(IndicatorSet, LongestPrefixMatchAgreesWithAReference) {
  using T = IndicatorType;
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  const auto next = [&] {
    state ^= state << 13U;
    state ^= state >> 7U;
    state ^= state << 17U;
    return state;
  };
  using Key = std::pair<std::array<std::uint8_t, 16>, int>;  // masked bytes, IPv6-terms length
  const auto mask = [](std::array<std::uint8_t, 16> bytes, int len) {
    for (int i = 0; i < 16; ++i) {
      const int bits = len - i * 8;
      bytes[static_cast<std::size_t>(i)] &=
          bits >= 8 ? 0xFF : (bits > 0 ? static_cast<std::uint8_t>(0xFF00U >> bits) : 0);
    }
    return bytes;
  };
  std::map<Key, std::string> reference;
  std::vector<Indicator> indicators;
  std::vector<IpAddress> probes;
  const auto add = [&](const IpAddress& ip, int len, bool v4) {
    const int full = v4 ? len + 96 : len;
    const auto masked = mask(ip.bytes, full);
    IpAddress base;
    base.bytes = masked;
    std::string value = ToString(base);
    const bool host = len == (v4 ? 32 : 128);
    if (!host) {
      value += "/" + std::to_string(len);
    }
    if (reference.emplace(Key{masked, full}, value).second) {
      indicators.push_back(Ind(host ? T::kIp : T::kCidr, value));
    }
  };
  const auto random_v4 = [&] {
    return Ip(
        fmt::format("{}.{}.{}.{}", next() % 223 + 1, next() % 256, next() % 256, next() % 256));
  };
  const auto random_v6 = [&] {
    return Ip(fmt::format("2001:db8:{:x}:{:x}::{:x}", next() % 0x10000, next() % 0x10000,
                          next() % 0x10000));
  };
  for (int i = 0; i < 20'000; ++i) {
    const IpAddress ip = random_v4();
    add(ip, 32, true);
    probes.push_back(ip);
  }
  for (int i = 0; i < 600; ++i) {
    const IpAddress ip = random_v4();
    add(ip, static_cast<int>(next() % 31) + 1, true);
    probes.push_back(ip);
  }
  for (int i = 0; i < 600; ++i) {
    const IpAddress ip = random_v6();
    add(ip, static_cast<int>(next() % 96) + 32, false);
    probes.push_back(ip);
  }
  for (int i = 0; i < 5'000; ++i) {
    probes.push_back(i % 2 == 0 ? random_v4() : random_v6());
  }
  const IndicatorSet set = Build(indicators);
  std::size_t hits = 0;
  for (const IpAddress& ip : probes) {
    const bool v4 = ip.IsV4();
    std::string expected = "-";
    for (int len = 128; len >= (v4 ? 96 : 0); --len) {
      const auto it = reference.find(Key{mask(ip.bytes, len), len});
      if (it != reference.end()) {
        expected = it->second;
        break;
      }
    }
    hits += expected != "-" ? 1 : 0;
    ASSERT_EQ(Hit(set.MatchIp(ip, kNow)), expected) << ToString(ip);
  }
  EXPECT_GT(hits, 21'000U);  // every listed address and every CIDR's own probe at least
}

TEST(IndicatorSet, ValidityWindows) {
  using T = IndicatorType;
  constexpr std::int64_t kDay = 86'400'000'000;
  Indicator expired = Ind(T::kIp, "198.51.100.7");
  expired.valid_from_us = kNow - 10 * kDay;
  expired.valid_until_us = kNow - kDay;
  Indicator current = Ind(T::kCidr, "198.51.100.0/24");
  current.valid_from_us = kNow - kDay;
  Indicator future = Ind(T::kDomain, "later.example");
  future.valid_from_us = kNow + kDay;
  const IndicatorSet set = Build({expired, current, future});
  // The exact address has expired: the covering CIDR answers.
  EXPECT_EQ(Hit(set.MatchIp(Ip("198.51.100.7"), kNow)), "198.51.100.0/24");
  EXPECT_EQ(Hit(set.MatchIp(Ip("198.51.100.7"), kNow - 2 * kDay)), "198.51.100.7");
  EXPECT_EQ(Hit(set.MatchIp(Ip("198.51.100.8"), kNow - 2 * kDay)), "-");
  // valid_until is exclusive.
  EXPECT_EQ(Hit(set.MatchIp(Ip("198.51.100.7"), kNow - kDay - 1)), "198.51.100.7");
  EXPECT_EQ(Hit(set.MatchDomain("a.later.example", kNow)), "-");
  EXPECT_EQ(Hit(set.MatchDomain("a.later.example", kNow + kDay)), "later.example");

  IndicatorSet bad;
  Indicator reversed = Ind(T::kIp, "192.0.2.1");
  reversed.valid_from_us = kNow;
  reversed.valid_until_us = kNow;
  const Status status = bad.Add(reversed);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().reason(), "defense.indicator_window");
}

TEST(IndicatorSet, DomainAndParents) {
  using T = IndicatorType;
  const IndicatorSet set = Build({
      Ind(T::kDomain, "evil.com"),
      Ind(T::kDomain, "deep.sub.evil.com"),
      Ind(T::kDomain, "EXAMPLE.org."),
      Ind(T::kDomain, "bad.co.uk"),
  });
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"evil.com", "evil.com"},
      {"a.b.evil.com", "evil.com"},
      {"x.deep.sub.evil.com", "deep.sub.evil.com"},  // most specific
      {"sub.evil.com", "evil.com"},
      {"notevil.com", "-"},
      {"evil.com.au", "-"},
      {"com", "-"},  // a bare TLD never matches unless listed
      {"EVIL.COM.", "evil.com"},
      {"www.Example.ORG", "example.org"},
      {"co.uk", "-"},
      {"x.bad.co.uk", "bad.co.uk"},
      {"", "-"},
      {".", "-"},
  };
  for (const auto& [name, expected] : cases) {
    EXPECT_EQ(Hit(set.MatchDomain(name, kNow)), expected) << name;
  }
  const IndicatorSet tld = Build({Ind(T::kDomain, "zip")});
  EXPECT_EQ(Hit(tld.MatchDomain("files.zip", kNow)), "zip");
}

TEST(IndicatorSet, Urls) {
  using T = IndicatorType;
  const IndicatorSet set = Build({
      Ind(T::kUrl, "http://x4z9arb.cn/4712/"),
      Ind(T::kUrl, "HTTPS://Paypa1.Banking.com"),
      Ind(T::kUrl, "http://evil.example:8080/a?b=1"),
  });
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"http://x4z9arb.cn/4712/", "http://x4z9arb.cn/4712/"},
      {"HTTP://X4Z9ARB.CN:80/4712/#top", "http://x4z9arb.cn/4712/"},
      {"http://x4z9arb.cn/4712/?session=1", "http://x4z9arb.cn/4712/"},  // query dropped
      {"http://x4z9arb.cn/4712", "-"},
      {"http://x4z9arb.cn/4712/X", "-"},
      {"https://paypa1.banking.com/", "https://paypa1.banking.com/"},
      {"http://paypa1.banking.com/", "-"},  // scheme matters
      {"http://evil.example:8080/a?b=1", "http://evil.example:8080/a?b=1"},
      {"http://evil.example:8080/a?b=2", "-"},
      {"not a url", "-"},
  };
  for (const auto& [url, expected] : cases) {
    EXPECT_EQ(Hit(set.MatchUrl(url, kNow)), expected) << url;
  }
}

TEST(IndicatorSet, HashesAnyCase) {
  using T = IndicatorType;
  const IndicatorSet set = Build({
      Ind(T::kMd5, "001DD76872D80801692FF942308C64E6"),
      Ind(T::kSha256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"),
  });
  EXPECT_EQ(Hit(set.MatchHash("001dd76872d80801692ff942308c64e6", kNow)),
            "001dd76872d80801692ff942308c64e6");
  EXPECT_EQ(Hit(set.MatchHash("001DD76872d80801692ff942308c64E6", kNow)),
            "001dd76872d80801692ff942308c64e6");
  EXPECT_EQ(
      Hit(set.MatchHash("EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C", kNow)),
      "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
  EXPECT_EQ(Hit(set.MatchHash("001dd76872d80801692ff942308c64e7", kNow)), "-");
  EXPECT_EQ(Hit(set.MatchHash("001dd7", kNow)), "-");
}

TEST(IndicatorSet, DuplicatesPreferHigherScoreAndMerge) {
  using T = IndicatorType;
  Indicator other_source = Ind(T::kIp, "203.0.113.9", 3);
  other_source.source = "other";
  other_source.tlp = "amber";
  other_source.labels = {"malicious-activity"};
  const IndicatorSet set = Build({
      Ind(T::kIp, "203.0.113.9", 1),
      Ind(T::kIp, "203.0.113.9", 1),  // exact duplicate: merged
      other_source,
  });
  EXPECT_EQ(set.size(), 2U);
  const auto hit = set.MatchIp(Ip("203.0.113.9"), kNow);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->score, 3);
  const Indicator copy = hit->ToIndicator();
  EXPECT_EQ(copy.source, "other");
  EXPECT_EQ(copy.tlp, "amber");
  EXPECT_EQ(copy.labels, std::vector<std::string>{"malicious-activity"});
  EXPECT_GT(set.MemoryBytes(), 0U);
}

TEST(IndicatorSet, AddAfterFreezeRebuilds) {
  IndicatorSet set;
  ASSERT_TRUE(set.Add(Ind(IndicatorType::kIp, "192.0.2.1")).ok());
  set.Freeze();
  EXPECT_EQ(Hit(set.MatchIp(Ip("192.0.2.2"), kNow)), "-");
  ASSERT_TRUE(set.Add(Ind(IndicatorType::kCidr, "192.0.2.0/24")).ok());
  EXPECT_FALSE(set.frozen());
  set.Freeze();
  EXPECT_EQ(Hit(set.MatchIp(Ip("192.0.2.2"), kNow)), "192.0.2.0/24");
  EXPECT_EQ(Hit(set.MatchIp(Ip("192.0.2.1"), kNow)), "192.0.2.1");
  const Status bad = set.Add(Ind(IndicatorType::kDomain, "no spaces.example"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason(), "defense.indicator_invalid");
}

// ---- STIX patterns ------------------------------------------------------------------------

using Kind = StixAlternative::Kind;

struct PatternCase {
  std::string_view pattern;
  bool ok;
  std::vector<std::string> summary;  // one line per alternative
};

std::string Summarise(const StixAlternative& alt) {
  if (alt.kind == Kind::kConjunction) {
    return "AND";
  }
  if (alt.kind == Kind::kRepeated) {
    return "REPEATS";
  }
  std::string path = alt.object_type + ":";
  for (std::size_t i = 0; i < alt.path.size(); ++i) {
    path += (i == 0 || alt.path[i].starts_with("[") ? "" : ".") + alt.path[i];
  }
  std::string values;
  for (const std::string& v : alt.values) {
    values += (values.empty() ? "" : "|") + v;
  }
  return fmt::format("{} {}{} {}{}", path, alt.negated ? "NOT " : "", alt.op, values,
                     alt.values_are_strings ? "" : " (non-string)");
}

TEST(StixPattern, Table) {
  const std::vector<PatternCase> cases = {
      {"[ipv4-addr:value = '198.51.100.1']", true, {"ipv4-addr:value = 198.51.100.1"}},
      {"[ ipv4-addr:value = '10.0.0.0' ]", true, {"ipv4-addr:value = 10.0.0.0"}},
      {"[domain-name:value = 'a.com' OR ipv4-addr:value = '1.2.3.4']",
       true,
       {"domain-name:value = a.com", "ipv4-addr:value = 1.2.3.4"}},
      {"[ipv4-addr:value = '1.1.1.1'] OR [ipv6-addr:value == '2001:db8::/32']",
       true,
       {"ipv4-addr:value = 1.1.1.1", "ipv6-addr:value = 2001:db8::/32"}},
      {"[file:hashes.MD5 = 'x' AND file:name = 'y']", true, {"AND"}},
      {"[a:b = 'x'] AND [c:d = 'y']", true, {"AND"}},
      {"[a:b = 'x'] FOLLOWEDBY [c:d = 'y']", true, {"AND"}},
      {"[a:b = 'x'] OR ([c:d = 'y'] AND [e:f = 'z'])", true, {"a:b = x", "AND"}},
      {"[a:b = 'x' OR (c:d = 'y' AND e:f = 'z')]", true, {"a:b = x", "AND"}},
      {"([ipv4-addr:value = '1.2.3.4'] OR [url:value = 'http://a/']) WITHIN 300 SECONDS",
       true,
       {"ipv4-addr:value = 1.2.3.4", "url:value = http://a/"}},
      {"[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES", true, {"REPEATS"}},
      {"[ipv4-addr:value = '1.2.3.4'] REPEATS 1 TIMES", true, {"ipv4-addr:value = 1.2.3.4"}},
      {"[file:hashes.'SHA-256' = 'ab']", true, {"file:hashes.SHA-256 = ab"}},
      {"[file:hashes.\"SHA-1\" = 'ab']", true, {"file:hashes.SHA-1 = ab"}},
      {"[file:name = 'it\\'s \\\\ here']", true, {"file:name = it's \\ here"}},
      {"[email-message:subject MATCHES '^[IMPORTANT] Please']",
       true,
       {"email-message:subject MATCHES ^[IMPORTANT] Please"}},
      {"[email-message:from_ref.value MATCHES '.+\\\\banking@x\\\\.com$']",
       true,
       {"email-message:from_ref.value MATCHES .+\\banking@x\\.com$"}},
      {"[domain-name:value IN ('a.com', 'b.com')]", true, {"domain-name:value IN a.com|b.com"}},
      {"[domain-name:value NOT IN ('a.com')]", true, {"domain-name:value NOT IN a.com"}},
      {"[url:value LIKE 'http://%.evil.com/%']", true, {"url:value LIKE http://%.evil.com/%"}},
      {"[network-traffic:dst_port > 1024]", true, {"network-traffic:dst_port > 1024 (non-string)"}},
      {"[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
       true,
       {"file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0 (non-string)"}},
      {"[process:name = 'a'] /* comment */ OR // line\n [process:name = 'b']",
       true,
       {"process:name = a", "process:name = b"}},
      {"[ipv4-addr:value = '1.2.3.4'] or [ipv4-addr:value = '5.6.7.8']",
       true,
       {"ipv4-addr:value = 1.2.3.4", "ipv4-addr:value = 5.6.7.8"}},
      {"", false, {}},
      {"ipv4-addr:value = '1.2.3.4'", false, {}},
      {"[ipv4-addr:value = '1.2.3.4'", false, {}},
      {"[ipv4-addr:value = '1.2.3.4]", false, {}},
      {"[ipv4-addr:value '1.2.3.4']", false, {}},
      {"[ipv4-addr = '1.2.3.4']", false, {}},
      {"[ipv4-addr:value = '1.2.3.4'] OR", false, {}},
      {"[ipv4-addr:value = '1.2.3.4'] WITHIN SECONDS", false, {}},
      {"[ipv4-addr:value = '1.2.3.4'] START t'2016-01-01T00:00:00Z'", false, {}},
      {"[ipv4-addr:value = @]", false, {}},
  };
  for (const PatternCase& c : cases) {
    SCOPED_TRACE(std::string(c.pattern));
    const auto parsed = ParseStixPattern(c.pattern);
    ASSERT_EQ(parsed.ok(), c.ok);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().reason(), "defense.stix_pattern");
      EXPECT_FALSE(parsed.error().detail().empty());
      continue;
    }
    std::vector<std::string> summary;
    for (const StixAlternative& alt : *parsed) {
      summary.push_back(Summarise(alt));
    }
    EXPECT_EQ(summary, c.summary);
  }
}

TEST(StixPattern, StartStopNarrowsWindow) {
  const auto parsed = ParseStixPattern(
      "[ipv4-addr:value = '1.2.3.4'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 1U);
  EXPECT_EQ((*parsed)[0].start_us, 1'464'739'200'000'000);
  EXPECT_EQ((*parsed)[0].stop_us, 1'467'331'200'000'000);
}

// ---- STIX bundles -------------------------------------------------------------------------

std::string Bundle(std::string_view objects) {
  return fmt::format(R"({{"type": "bundle", "id": "bundle--1", "objects": [{}]}})", objects);
}

std::string IndicatorJson(std::string_view id, std::string_view pattern,
                          std::string_view extra = "",
                          std::string_view valid_from = "2020-01-01T00:00:00Z") {
  return fmt::format(
      R"({{"type": "indicator", "spec_version": "2.1", "id": "indicator--{}", "pattern": {},
          "pattern_type": "stix", "valid_from": "{}"{}}})",
      id, Json(pattern).dump(), valid_from, extra);
}

TEST(StixBundle, PatternsMarkingsAndCounts) {
  const std::string json = Bundle(
      IndicatorJson("a", "[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'Evil.example']",
                    R"(, "confidence": 85, "indicator_types": ["malicious-activity"],
                       "labels": ["c2", "malicious-activity"],
                       "valid_until": "2030-01-01T00:00:00Z",
                       "object_marking_refs": ["marking-definition--tlp2amber",
                         "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"])") +
      "," +
      R"({"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--tlp2amber",
          "name": "TLP:AMBER+STRICT", "created": "2022-10-01T00:00:00Z",
          "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
            {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}}},)" +
      IndicatorJson("b",
                    "[file:hashes.'SHA-1' = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709'] AND "
                    "[ipv4-addr:value = '192.0.2.1']") +
      "," + IndicatorJson("c", "[ipv4-addr:value = '2001:db8::1']") + "," +
      IndicatorJson("d", "[url:value = 'http://a.example/x'") + "," +
      IndicatorJson("e", "[process:name = 'evil.exe' OR ipv6-addr:value = '2001:db8::/32']",
                    R"(, "granular_markings": [{"marking_ref":
                         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
                         "selectors": ["pattern"]}])") +
      "," + IndicatorJson("f", "[domain-name:value = 'revoked.example']", R"(, "revoked": true)") +
      "," +
      R"({"type": "indicator", "id": "indicator--g", "pattern": "alert tcp any any -> any any",
          "pattern_type": "snort", "valid_from": "2020-01-01T00:00:00Z"},)" +
      IndicatorJson("h", "[ipv4-addr:value = '203.0.113.5']", "", "yesterday") + "," +
      IndicatorJson("i",
                    "[ipv4-addr:value IN ('203.0.113.6', '203.0.113.7')] "
                    "START t'2021-01-01T00:00:00Z' STOP t'2022-01-01T00:00:00Z'") +
      "," + IndicatorJson("j", "[url:value MATCHES '^http://.*\\\\.evil/']") + "," +
      R"({"type": "identity", "id": "identity--x", "name": "ignored"})");
  IndicatorSet set;
  const auto report = ImportStixBundle(json, "inline.json", set);
  ASSERT_TRUE(report.ok()) << report.error().ToString(Lang::kEn);
  // a: 2; e: ipv6 CIDR; i: two addresses.
  EXPECT_EQ(report->added, 5U);
  // b conjunction, e process, f revoked, g snort, j MATCHES.
  EXPECT_EQ(report->skipped, 5U);
  // c IPv6 text in ipv4-addr, d unterminated, h bad valid_from.
  EXPECT_EQ(report->invalid, 3U);
  const std::map<std::string, std::size_t> reasons = {
      {"bad_pattern", 1},          {"bad_time", 1},        {"bad_value", 1},
      {"conjunction", 1},          {"pattern_type", 1},    {"revoked", 1},
      {"unsupported_operator", 1}, {"unsupported_type", 1}};
  EXPECT_EQ(report->reasons, reasons);
  ASSERT_EQ(report->errors.size(), 3U);
  for (const Error& error : report->errors) {
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->source, "inline.json");
  }
  EXPECT_EQ(report->errors[0].reason(), "defense.stix_value");
  EXPECT_EQ(report->errors[1].reason(), "defense.stix_pattern");
  EXPECT_EQ(report->errors[2].reason(), "defense.stix_time");

  set.Freeze();
  constexpr std::int64_t k2025 = 1'735'689'600'000'000;
  const auto a = set.MatchDomain("www.evil.example", k2025);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->stix_id, "indicator--a");
  EXPECT_EQ(a->tlp, "amber+strict");  // most restrictive of amber+strict and green
  EXPECT_EQ(a->score, 85);
  EXPECT_EQ(a->source, "inline.json");
  EXPECT_EQ(std::vector<std::string>(a->labels.begin(), a->labels.end()),
            (std::vector<std::string>{"malicious-activity", "c2"}));
  EXPECT_EQ(a->valid_from_us, 1'577'836'800'000'000);
  EXPECT_EQ(a->valid_until_us, 1'893'456'000'000'000);
  EXPECT_EQ(Hit(set.MatchIp(Ip("198.51.100.1"), k2025)), "198.51.100.1");
  EXPECT_EQ(Hit(set.MatchIp(Ip("198.51.100.1"), 1'893'456'000'000'000)), "-");  // expired
  const auto e = set.MatchIp(Ip("2001:db8::99"), k2025);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->tlp, "red");  // granular marking on "pattern"
  EXPECT_EQ(e->score, -1);
  // START/STOP narrowed the window of the IN values to 2021.
  EXPECT_EQ(Hit(set.MatchIp(Ip("203.0.113.7"), k2025)), "-");
  EXPECT_EQ(Hit(set.MatchIp(Ip("203.0.113.7"), 1'625'097'600'000'000)), "203.0.113.7");
  EXPECT_EQ(Hit(set.MatchIp(Ip("192.0.2.1"), k2025)), "-");  // conjunction not imported
}

TEST(StixBundle, FatalErrors) {
  IndicatorSet set;
  const auto broken = ImportStixBundle("{\"type\": \"bundle\", ", "broken.json", set);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code(), ErrorCode::kDataError);
  const auto not_stix = ImportStixBundle("[1, 2]", "numbers.json", set);
  ASSERT_TRUE(not_stix.ok());  // an array of non-objects holds no indicators
  EXPECT_EQ(not_stix->added, 0U);
  const auto scalar = ImportStixBundle("\"text\"", "scalar.json", set);
  ASSERT_FALSE(scalar.ok());
  EXPECT_EQ(scalar.error().reason(), "defense.stix_not_bundle");
  const auto no_type = ImportStixBundle("{\"objects\": []}", "no-type.json", set);
  ASSERT_FALSE(no_type.ok());
  EXPECT_EQ(no_type.error().reason(), "defense.stix_not_bundle");
}

struct SharedBundle {
  std::string_view path;
  std::size_t added;
  std::size_t skipped;
  std::size_t invalid;
};

TEST(StixBundle, SharedBundlesImport) {
  const fs::path dir = fs::path(HOSHI_SHARED_DIR) / "data/telemetry/stix";
  if (!fs::exists(dir)) {
    GTEST_SKIP() << "shared STIX bundles not found at " << dir;
  }
  // Counted independently with python3 (json + re + ipaddress) over the same files: each OR'd
  // equality on a supported path is one value; AND groups and other object types are skipped;
  // poisonivy's "domain autuo.xicp.net" (a space in a domain name) is invalid.
  const std::vector<SharedBundle> expected = {
      {"cti-documentation/apt1.json", 10, 2, 0},
      {"cti-documentation/defining-campaigns-threat-actors-intrusion-sets.json", 0, 0, 0},
      {"cti-documentation/identifying-a-threat-actor-profile.json", 0, 0, 0},
      {"cti-documentation/indicator-for-malicious-url.json", 1, 0, 0},
      {"cti-documentation/malware-indicator-for-file-hash.json", 1, 0, 0},
      {"cti-documentation/poisonivy.json", 64, 2, 1},
      {"cti-documentation/sighting-of-an-indicator.json", 1, 0, 0},
      {"cti-documentation/sighting-of-observed-data.json", 0, 0, 0},
      {"cti-documentation/threat-actor-leveraging-attack-patterns-and-malware.json", 0, 0, 0},
      {"cti-documentation/using-granular-markings.json", 0, 1, 0},
      {"cti-documentation/using-marking-definitions.json", 1, 0, 0},
      {"cti-stix2-json-schemas/apt1.json", 10, 2, 0},
      {"cti-stix2-json-schemas/indicator-for-c2-ip-address.json", 1, 0, 0},
      {"cti-stix2-json-schemas/indicator-to-campaign-relationship.json", 1, 0, 0},
      {"cti-stix2-json-schemas/indicators-for-C2-with-COA.json", 2, 0, 0},
      {"cti-stix2-json-schemas/infrastructure.json", 0, 0, 0},
      {"cti-stix2-json-schemas/interop-objectmarking-test.json", 0, 0, 0},
      {"cti-stix2-json-schemas/malicious-email-indicator-with-attachment.json", 0, 2, 0},
      {"cti-stix2-json-schemas/poisonivy.json", 64, 2, 1},
  };
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    files += entry.path().extension() == ".json" ? 1 : 0;
  }
  EXPECT_EQ(files, expected.size()) << "a bundle was added or removed: update this table";
  IndicatorSet all;
  for (const SharedBundle& bundle : expected) {
    SCOPED_TRACE(std::string(bundle.path));
    const auto text = ReadShared(fs::path("data/telemetry/stix") / bundle.path);
    ASSERT_TRUE(text.has_value());
    IndicatorSet set;
    const auto report = ImportStixBundle(*text, bundle.path, set);
    ASSERT_TRUE(report.ok()) << report.error().ToString(Lang::kEn);
    EXPECT_EQ(report->added, bundle.added);
    EXPECT_EQ(report->skipped, bundle.skipped);
    EXPECT_EQ(report->invalid, bundle.invalid);
    set.Freeze();
    EXPECT_EQ(set.size(), bundle.added);  // no value repeats inside one STIX object
    ASSERT_TRUE(ImportStixBundle(*text, bundle.path, all).ok());
  }
  all.Freeze();
  // apt1: CIDR, domain and MD5 indicators.
  const auto cidr = all.MatchIp(Ip("223.167.1.1"), kNow);
  ASSERT_TRUE(cidr.has_value());
  EXPECT_EQ(cidr->value, "223.166.0.0/15");
  EXPECT_EQ(cidr->stix_id.substr(0, 11), "indicator--");
  EXPECT_EQ(Hit(all.MatchDomain("mail.hugesoft.org", kNow)), "hugesoft.org");
  EXPECT_EQ(Hit(all.MatchHash("001DD76872D80801692FF942308C64E6", kNow)),
            "001dd76872d80801692ff942308c64e6");
  EXPECT_EQ(Hit(all.MatchUrl("http://x4z9arb.cn/4712/", kNow)), "http://x4z9arb.cn/4712/");
  EXPECT_EQ(Hit(all.MatchDomain("microsoftb.byinter.net", kNow)), "microsoftb.byinter.net");
  EXPECT_EQ(Hit(all.MatchIp(Ip("113.10.246.30"), kNow)), "113.10.246.30");
}

TEST(StixBundle, SharedMarkingDefinitionsKeepTlp) {
  const auto text =
      ReadShared("data/telemetry/stix/cti-documentation/using-marking-definitions.json");
  if (!text) {
    GTEST_SKIP() << "shared STIX bundles not found under " << HOSHI_SHARED_DIR;
  }
  IndicatorSet set;
  const auto report = ImportStixBundle(*text, "using-marking-definitions.json", set);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->added, 1U);
  set.Freeze();
  const auto hit = set.MatchIp(Ip("10.0.0.0"), kNow);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->tlp, "amber");  // TLP:AMBER (TLP 1.0 id) next to a statement marking
  EXPECT_EQ(hit->stix_id, "indicator--33fe3b22-0201-47cf-85d0-97c02164528d");
}

// ---- Plain lists --------------------------------------------------------------------------

TEST(PlainList, FormatsAndBadLines) {
  const std::string text =
      "\xEF\xBB\xBF# feed header\r\n"
      "192.0.2.1\t7\r\n"
      "198.51.100.0/24, 3\n"
      "\n"
      "  evil.example   # inline comment\n"
      "http://evil.example/dl?id=1\n"
      "D41D8CD98F00B204E9800998ECF8427E\n"
      "0.0.0.0 ads.example\n"
      "203.0.113.0/24 ; SBL123\n"
      "2001:db8::/32 10\n"
      "not_an_indicator\n"
      "192.0.2.2 high\n"
      "192.0.2.3 1 2\n"
      "10.0.0.0/40\n";
  IndicatorSet set;
  const auto report = ImportPlainList(text, "list.txt", set);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->added, 8U);
  EXPECT_EQ(report->skipped, 0U);
  EXPECT_EQ(report->invalid, 4U);
  const std::map<std::string, std::size_t> reasons = {
      {"bad_score", 1}, {"bad_value", 2}, {"columns", 1}};
  EXPECT_EQ(report->reasons, reasons);
  ASSERT_EQ(report->errors.size(), 4U);
  EXPECT_EQ(report->errors[0].location()->line, 11);
  EXPECT_EQ(report->errors[0].reason(), "defense.indicator_unknown");
  EXPECT_EQ(report->errors[1].reason(), "defense.indicator_score");
  EXPECT_EQ(report->errors[2].reason(), "defense.indicator_columns");
  EXPECT_EQ(report->errors[3].location()->line, 14);

  set.Freeze();
  const auto ip = set.MatchIp(Ip("192.0.2.1"), kNow);
  ASSERT_TRUE(ip.has_value());
  EXPECT_EQ(ip->score, 7);
  EXPECT_EQ(ip->source, "list.txt");
  EXPECT_EQ(set.MatchIp(Ip("198.51.100.200"), kNow)->score, 3);
  EXPECT_EQ(Hit(set.MatchIp(Ip("203.0.113.77"), kNow)), "203.0.113.0/24");
  EXPECT_EQ(set.MatchIp(Ip("2001:db8:ffff::1"), kNow)->score, 10);
  EXPECT_EQ(Hit(set.MatchDomain("cdn.evil.example", kNow)), "evil.example");
  EXPECT_EQ(Hit(set.MatchDomain("ads.example", kNow)), "ads.example");
  EXPECT_EQ(Hit(set.MatchUrl("http://EVIL.example/dl?id=1", kNow)), "http://evil.example/dl?id=1");
  EXPECT_EQ(Hit(set.MatchHash("d41d8cd98f00b204e9800998ecf8427e", kNow)),
            "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Hit(set.MatchIp(Ip("0.0.0.0"), kNow)), "-");  // the hosts-file sink is not listed
}

TEST(PlainList, ErrorSamplesAreCapped) {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "garbage\n";
  }
  IndicatorSet set;
  const auto report = ImportPlainList(text, "junk.txt", set);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->invalid, 50U);
  EXPECT_EQ(report->errors.size(), ImportReport::kMaxErrors);
}

TEST(PlainList, IpsumImportsCompletely) {
  const auto text = ReadShared("data/telemetry/blocklists/ipsum.txt");
  if (!text) {
    GTEST_SKIP() << "shared ipsum.txt not found under " << HOSHI_SHARED_DIR;
  }
  IndicatorSet set;
  const auto report = ImportPlainList(*text, "ipsum", set);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->added, 120'430U);
  EXPECT_EQ(report->invalid, 0U);
  set.Freeze();
  EXPECT_EQ(set.Count(IndicatorType::kIp), 120'430U);
  // The first entries of the file (sorted by count).
  const auto top = set.MatchIp(Ip("77.90.185.20"), kNow);
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->score, 10);
  EXPECT_EQ(top->source, "ipsum");
  EXPECT_EQ(set.MatchIp(Ip("2.57.122.53"), kNow)->score, 9);
  // Every listed address matches with its own count.
  std::size_t checked = 0;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto nl = std::min(rest.find('\n'), rest.size());
    const std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(std::min(nl + 1, rest.size()));
    if (line.empty() || line[0] == '#' || ++checked % 97 != 0) {
      continue;
    }
    const auto tab = line.find('\t');
    const auto hit = set.MatchIp(Ip(line.substr(0, tab)), kNow);
    ASSERT_TRUE(hit.has_value()) << line;
    EXPECT_EQ(std::to_string(hit->score), line.substr(tab + 1)) << line;
  }
  EXPECT_EQ(checked, 120'430U);
}

// ---- A million indicators ----------------------------------------------------------------

IpAddress V4(std::uint32_t value) {
  IpAddress ip;
  ip.bytes[10] = 0xFF;
  ip.bytes[11] = 0xFF;
  for (int i = 0; i < 4; ++i) {
    ip.bytes[12 + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
  }
  return ip;
}

IpAddress V6(std::uint16_t a, std::uint16_t b, std::uint16_t c, std::uint16_t last) {
  IpAddress ip;
  const std::array<std::uint16_t, 4> head{0x2001, a, b, c};
  for (std::size_t i = 0; i < head.size(); ++i) {
    ip.bytes[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    ip.bytes[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xFF);
  }
  ip.bytes[14] = static_cast<std::uint8_t>(last >> 8);
  ip.bytes[15] = static_cast<std::uint8_t>(last & 0xFF);
  return ip;
}

/// Appends `value` in `base`, zero-padded to `width` (std::to_chars: cheap even under ASan).
void Append(std::string& out, std::uint64_t value, int base = 10, std::size_t width = 0) {
  std::array<char, 24> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, base).ptr;
  const auto length = static_cast<std::size_t>(end - buffer.data());
  out.append(width > length ? width - length : 0, '0');
  out.append(buffer.data(), length);
}

void AppendQuad(std::string& out, std::uint32_t a) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    Append(out, (a >> shift) & 0xFFU);
    out += shift > 0 ? '.' : '/';
  }
  out.pop_back();
}

std::string FakeSha256(std::uint64_t i) {
  std::uint64_t x = i + 0x9E3779B97F4A7C15ULL;
  std::string out;
  for (int part = 0; part < 4; ++part) {
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    Append(out, x, 16, 16);
  }
  return out;
}

constexpr std::uint32_t kExactV4 = 700'000;  // 11.0.0.0 + 16 i
constexpr std::uint32_t kCidrV4 = 100'000;   // 12.0.0.0 + 256 i, /24
constexpr std::uint32_t kExactV6 = 50'000;   // 2001:1:i/65536:i%65536::1
constexpr std::uint32_t kCidrV6 = 10'000;    // 2001:2:i::/48
constexpr std::uint32_t kDomains = 100'000;  // host<i>.zone<i%1000>.test
constexpr std::uint32_t kHashes = 40'000;
constexpr std::uint32_t kBase11 = 11U << 24;
constexpr std::uint32_t kBase12 = 12U << 24;

TEST(IndicatorSet, MillionSyntheticIndicators) {
  using T = IndicatorType;
  // Built as one list text (the cheapest path under ASan), values in simple, not always
  // canonical, spellings; the checks below compare with ToString's canonical text.
  std::string text;
  text.reserve(30'000'000);
  for (std::uint32_t i = 0; i < kExactV4; ++i) {
    AppendQuad(text, kBase11 + 16 * i);
    text += '\n';
  }
  for (std::uint32_t i = 0; i < kCidrV4; ++i) {
    AppendQuad(text, kBase12 + 256 * i);
    text += "/24\n";
  }
  for (std::uint32_t i = 0; i < kExactV6; ++i) {
    text += "2001:1:";
    Append(text, i >> 16, 16);
    text += ':';
    Append(text, i & 0xFFFF, 16);
    text += ":0:0:0:1\n";
  }
  for (std::uint32_t i = 0; i < kCidrV6; ++i) {
    text += "2001:2:";
    Append(text, i, 16);
    text += "::/48\n";
  }
  for (std::uint32_t i = 0; i < kDomains; ++i) {
    text += "host";
    Append(text, i);
    text += ".zone";
    Append(text, i % 1000);
    text += ".test\n";
  }
  for (std::uint32_t i = 0; i < kHashes; ++i) {
    text += FakeSha256(i);
    text += '\n';
  }
  IndicatorSet set;
  const auto report = ImportPlainList(text, "synthetic", set);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->invalid, 0U);
  ASSERT_EQ(report->added, 1'000'000U);
  set.Freeze();
  ASSERT_EQ(set.size(), 1'000'000U);
  EXPECT_EQ(set.Count(T::kIp), kExactV4 + kExactV6);
  EXPECT_EQ(set.Count(T::kCidr), kCidrV4 + kCidrV6);
  const std::size_t bytes = set.MemoryBytes();
  RecordProperty("memory_bytes", std::to_string(bytes));
  EXPECT_LT(bytes, 120U * 1'000'000U);  // ~70–80 bytes per indicator expected

  for (std::uint32_t i = 0; i < kExactV4; i += 997) {
    const IpAddress ip = V4(kBase11 + 16 * i);
    EXPECT_EQ(Hit(set.MatchIp(ip, kNow)), ToString(ip));
    EXPECT_EQ(Hit(set.MatchIp(V4(kBase11 + 16 * i + 1), kNow)), "-");
  }
  for (std::uint32_t i = 0; i < kCidrV4; i += 101) {
    const std::string expected = ToString(V4(kBase12 + 256 * i)) + "/24";
    EXPECT_EQ(Hit(set.MatchIp(V4(kBase12 + 256 * i + 77), kNow)), expected);
  }
  EXPECT_EQ(Hit(set.MatchIp(V4(kBase12 + 256 * kCidrV4), kNow)), "-");
  for (std::uint32_t i = 0; i < kExactV6; i += 499) {
    const IpAddress ip =
        V6(1, static_cast<std::uint16_t>(i >> 16), static_cast<std::uint16_t>(i & 0xFFFF), 1);
    EXPECT_EQ(Hit(set.MatchIp(ip, kNow)), ToString(ip));
  }
  for (std::uint32_t i = 0; i < kCidrV6; i += 99) {
    const auto hit = set.MatchIp(V6(2, static_cast<std::uint16_t>(i), 0x1234, 0xABCD), kNow);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->value, ToString(V6(2, static_cast<std::uint16_t>(i), 0, 0)) + "/48");
  }
  for (std::uint32_t i = 0; i < kDomains; i += 113) {
    const std::string name = fmt::format("host{}.zone{}.test", i, i % 1000);
    EXPECT_EQ(Hit(set.MatchDomain("www.a." + name, kNow)), name);
    EXPECT_EQ(Hit(set.MatchDomain(fmt::format("x{}", name), kNow)), "-");
  }
  EXPECT_EQ(Hit(set.MatchDomain("zone1.test", kNow)), "-");
  for (std::uint32_t i = 0; i < kHashes; i += 41) {
    const std::string hash = FakeSha256(i);
    EXPECT_EQ(Hit(set.MatchHash(hash, kNow)), hash);
  }
  EXPECT_EQ(Hit(set.MatchHash(FakeSha256(kHashes), kNow)), "-");
}

TEST(IndicatorSetLookupTest, FeedsTheDetectionEngineAtTheEventsTime) {
  IndicatorSet set;
  auto report = ImportPlainList("198.51.100.0/24 7\nevil.example\n", "feed-a", set);
  ASSERT_TRUE(report.has_value());
  Indicator later;
  later.type = IndicatorType::kIp;
  later.value = "203.0.113.9";
  later.source = "feed-b";
  later.valid_from_us = 2'000'000'000'000'000;  // only from 2033 on
  ASSERT_TRUE(set.Add(later).ok());
  set.Freeze();
  const IndicatorSetLookup lookup(set);
  const auto hit = lookup.LookupIp(*ParseIp("198.51.100.66"), 1'700'000'000'000'000);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->indicator, "198.51.100.0/24");
  EXPECT_EQ(hit->type, "cidr");
  EXPECT_EQ(hit->source, "feed-a");
  EXPECT_EQ(hit->score, 7);
  EXPECT_TRUE(lookup.LookupDomain("cdn.evil.example", 0).has_value());
  EXPECT_FALSE(lookup.LookupIp(*ParseIp("203.0.113.9"), 1'700'000'000'000'000).has_value());

  auto engine = DetectionEngine::Create();
  ASSERT_TRUE(engine.has_value());
  engine->SetIndicatorLookup(&lookup);
  Event conn;
  conn.ts_us = 1'700'000'000'000'000;
  conn.proto = Proto::kTcp;
  conn.src = *ParseIp("10.1.0.5");
  conn.dst = *ParseIp("198.51.100.66");
  conn.dst_port = 443;
  engine->Add(conn);
  const auto detections = engine->Finish();
  const auto it = std::find_if(detections.begin(), detections.end(), [](const Detection& d) {
    return d.kind == Detection::Kind::kIndicatorHit;
  });
  ASSERT_NE(it, detections.end());
  EXPECT_EQ(it->evidence.at("source"), "feed-a");
}

}  // namespace
}  // namespace hoshi::defense
