// SPDX-License-Identifier: Apache-2.0
#include "hoshi/defense/event.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace hoshi::defense {
namespace {

struct IpCase {
  std::string_view text;
  std::string_view canonical;  // "" when the text is not an address
  bool v4;
  bool is_private;
};

// RFC 5952 §4 rules: lower case, no leading zeros, "::" for the longest (first on a tie) run of
// two or more zero groups, never for a single group.
constexpr IpCase kIpCases[] = {
    {"192.0.2.1", "192.0.2.1", true, false},
    {"10.47.1.100", "10.47.1.100", true, true},
    {"172.16.0.1", "172.16.0.1", true, true},
    {"172.32.0.1", "172.32.0.1", true, false},
    {"192.168.88.2", "192.168.88.2", true, true},
    {"127.0.0.1", "127.0.0.1", true, true},
    {"169.254.1.1", "169.254.1.1", true, true},
    {"100.64.0.1", "100.64.0.1", true, true},
    {"100.128.0.1", "100.128.0.1", true, false},
    {"::ffff:192.0.2.1", "192.0.2.1", true, false},
    {"2001:DB8::1", "2001:db8::1", false, false},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", false, false},
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", false, false},
    {"2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1", false, false},
    {"::", "::", false, false},
    {"::1", "::1", false, true},
    {"::2", "::2", false, false},
    {"1::", "1::", false, false},
    {"fe80::1%eth0", "fe80::1", false, true},
    {"fd00::5", "fd00::5", false, true},
    {"fc00::5", "fc00::5", false, true},
    {"fec0::5", "fec0::5", false, false},
    {"", "", false, false},
    {"-", "", false, false},
    {"256.0.0.1", "", false, false},
    {"10.0.0", "", false, false},
    {"1.2.3.4 ", "", false, false},
    {"2001:db8::1::2", "", false, false},
    {"example.com", "", false, false},
};

TEST(EventTest, ParsesAndPrintsAddresses) {
  for (const IpCase& c : kIpCases) {
    SCOPED_TRACE(c.text);
    const auto ip = ParseIp(c.text);
    if (c.canonical.empty()) {
      EXPECT_FALSE(ip.has_value());
      continue;
    }
    ASSERT_TRUE(ip.has_value());
    EXPECT_EQ(ToString(*ip), c.canonical);
    EXPECT_EQ(ip->IsV4(), c.v4);
    EXPECT_EQ(ip->IsPrivate(), c.is_private);
    EXPECT_EQ(ParseIp(ToString(*ip)), ip) << "the canonical text reads back the same";
  }
}

TEST(EventTest, UnspecifiedMeansNoAddress) {
  EXPECT_TRUE(IpAddress{}.IsUnspecified());
  EXPECT_FALSE(IpAddress{}.IsV4());
  EXPECT_TRUE(ParseIp("::")->IsUnspecified());
  EXPECT_FALSE(ParseIp("0.0.0.0")->IsUnspecified()) << "IPv4 0.0.0.0 is ::ffff:0.0.0.0";
}

TEST(EventTest, AddressesOrderAsKeys) {
  EXPECT_LT(*ParseIp("10.0.0.1"), *ParseIp("10.0.0.2"));
  EXPECT_LT(*ParseIp("10.0.0.1"), *ParseIp("2001:db8::1")) << "mapped IPv4 sorts by ::ffff:0:0/96";
}

TEST(EventTest, NamesEveryKind) {
  EXPECT_EQ(EventKindName(EventKind::kConn), "conn");
  EXPECT_EQ(EventKindName(EventKind::kDns), "dns");
  EXPECT_EQ(EventKindName(EventKind::kTls), "tls");
  EXPECT_EQ(EventKindName(EventKind::kHttp), "http");
  EXPECT_EQ(EventKindName(EventKind::kAlert), "alert");
  EXPECT_EQ(EventKindName(EventKind::kFlow), "flow");
  EXPECT_EQ(EventKindName(EventKind::kSyslog), "syslog");
}

TEST(EventTest, MalformedAreCountedAndSampled) {
  ParseStats stats;
  for (std::size_t i = 0; i < ParseStats::kMaxSamples + 5; ++i) {
    stats.AddMalformed(i % 2 == 0 ? "bad_ts" : "bad_ip", "a.log", i + 1, "text");
  }
  EXPECT_EQ(stats.MalformedTotal(), ParseStats::kMaxSamples + 5);
  EXPECT_EQ(stats.malformed.at("bad_ts"), 13U);
  EXPECT_EQ(stats.malformed.at("bad_ip"), 12U);
  ASSERT_EQ(stats.samples.size(), ParseStats::kMaxSamples);
  EXPECT_EQ(stats.samples[3].line, 4U);
  EXPECT_EQ(stats.samples[3].reason, "bad_ip");
  EXPECT_EQ(stats.samples[3].source, "a.log");
  EXPECT_EQ(stats.lines, 0U) << "AddMalformed does not count records";
}

TEST(EventTest, SampleTextIsCutOnACharacterBoundary) {
  ParseStats stats;
  // 199 ASCII bytes and then a three-byte character straddling the 200-byte limit.
  const std::string text = std::string(199, 'a') + "\xE6\x98\x9F" + "tail";
  stats.AddMalformed("json", "a.log", 1, text);
  ASSERT_EQ(stats.samples.size(), 1U);
  EXPECT_EQ(stats.samples[0].text, std::string(199, 'a'));
  stats.AddMalformed("json", "a.log", 2, std::string(300, 'b'));
  EXPECT_EQ(stats.samples[1].text.size(), ParseStats::kMaxSampleBytes);
}

TEST(EventTest, MergeAddsCountsAndKeepsTheFirstSamples) {
  ParseStats a;
  a.lines = 10;
  a.events = 7;
  a.skipped = 2;
  a.AddMalformed("bad_ts", "a.log", 3, "x");
  ParseStats b;
  b.lines = 5;
  b.events = 1;
  b.skipped = 1;
  for (std::size_t i = 0; i < ParseStats::kMaxSamples; ++i) {
    b.AddMalformed("json", "b.log", i + 1, "y");
  }
  a.Merge(b);
  EXPECT_EQ(a.lines, 15U);
  EXPECT_EQ(a.events, 8U);
  EXPECT_EQ(a.skipped, 3U);
  EXPECT_EQ(a.malformed.at("bad_ts"), 1U);
  EXPECT_EQ(a.malformed.at("json"), ParseStats::kMaxSamples);
  EXPECT_EQ(a.MalformedTotal(), ParseStats::kMaxSamples + 1);
  ASSERT_EQ(a.samples.size(), ParseStats::kMaxSamples);
  EXPECT_EQ(a.samples.front().source, "a.log");
  EXPECT_EQ(a.samples.back().source, "b.log");
}

}  // namespace
}  // namespace hoshi::defense
