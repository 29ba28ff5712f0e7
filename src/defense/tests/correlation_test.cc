// SPDX-License-Identifier: Apache-2.0
// Correlation keys, the correlation config, and the analysis of one batch (plain and gzip).
#include <zlib.h>

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "hoshi/defense/indicators.h"
#include "hoshi/defense/synthetic.h"
#include "hoshi/defense/telemetry_store.h"

namespace hoshi::defense {
namespace {

std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  // zlib's API takes non-const pointers; the input is only read.
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(TargetKeyTest, RoundTripsEveryType) {
  for (const auto& o :
       {Observable{ObservableType::kIpv4, "203.0.113.5"},
        Observable{ObservableType::kIpv6, "2001:db8::1"},
        Observable{ObservableType::kDomain, "evil.example"},
        Observable{ObservableType::kUrl, "http://evil.example/a:b"},
        Observable{ObservableType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"},
        Observable{ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        Observable{ObservableType::kSha256, std::string(64, 'a')}}) {
    const auto key = TargetKey(o);
    const auto back = ParseTargetKey(key);
    ASSERT_TRUE(back.has_value()) << key;
    EXPECT_EQ(back->type, o.type) << key;
    EXPECT_EQ(back->value, o.value) << key;
  }
  EXPECT_EQ(TargetKey({ObservableType::kIpv4, "203.0.113.5"}), "ipv4:203.0.113.5");
  EXPECT_FALSE(ParseTargetKey("nonsense").has_value());
  EXPECT_FALSE(ParseTargetKey("mac:00:11").has_value());
}

TEST(TargetKeyTest, BeaconTargetsAreTheAttackerSideOnly) {
  Detection d;
  d.kind = Detection::Kind::kBeacon;
  d.src = *ParseIp("192.168.1.10");
  d.dst = *ParseIp("203.0.113.5");
  EXPECT_EQ(TargetKeys(d), std::vector<std::string>{"ipv4:203.0.113.5"});
  d.dst = *ParseIp("10.0.0.1");  // internal destination: nothing to correlate
  EXPECT_TRUE(TargetKeys(d).empty());
}

TEST(CorrelationConfigTest, RejectsNonsense) {
  EXPECT_TRUE(ValidateCorrelationConfig({}).ok());
  CorrelationConfig one_org;
  one_org.min_organizations = 1;
  CorrelationConfig no_window;
  no_window.window_us = 0;
  CorrelationConfig bad_score;
  bad_score.min_score = 1.5;
  for (const auto& c : {one_org, no_window, bad_score}) {
    const Status s = ValidateCorrelationConfig(c);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(CheckLogStartTest, RefusesPlainTextInNoKnownFormatAndLeavesGzipToTheParser) {
  EXPECT_TRUE(CheckLogStart("\n  \n#separator \\x09\n", "conn.log").ok());
  EXPECT_TRUE(CheckLogStart(R"({"event_type":"alert"})", "eve.json").ok());
  EXPECT_TRUE(CheckLogStart("", "empty.log").ok());
  EXPECT_TRUE(CheckLogStart(Gzip("not a log\n"), "x.gz").ok());
  const Status bad = CheckLogStart("\r\nhello, this is not a log\r\n", "note.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataError);
  EXPECT_NE(bad.error().message(Lang::kEn).find("note.txt"), std::string::npos);
  EXPECT_TRUE(IsGzip(Gzip("x")));
  EXPECT_FALSE(IsGzip("\x1f"));
}

class AnalyseBatchTest : public testing::Test {
 protected:
  void SetUp() override {
    SyntheticConfig config;
    config.hosts = 40;
    config.destinations = 200;
    config.beacons = 2;
    config.sni_beacons = 0;
    config.tunnel_queries = 0;
    auto traffic = SyntheticTraffic::Create(config);
    ASSERT_TRUE(traffic.ok());
    std::vector<Event> events;
    while (auto e = traffic->Next()) {
      events.push_back(std::move(*e));
    }
    truth_ = traffic->truth();
    std::ostringstream out;
    ASSERT_TRUE(WriteZeekConnLog(out, events).ok());
    log_ = out.str();
    conn_events_ = static_cast<std::size_t>(std::count_if(
        events.begin(), events.end(), [](const Event& e) { return e.kind == EventKind::kConn; }));
  }

  std::string log_;
  std::size_t conn_events_ = 0;
  SyntheticTruth truth_;
};

TEST_F(AnalyseBatchTest, FindsTheBeaconsAndTheIndicatorInPlainAndGzipPayloads) {
  IndicatorSet set;
  auto imported = ImportPlainList(ToString(truth_.beacons[1].dst) + "\n", "test-list", set);
  ASSERT_TRUE(imported.ok());
  set.Freeze();
  const IndicatorSetLookup lookup(set);

  for (const bool gzip : {false, true}) {
    SCOPED_TRACE(gzip ? "gzip" : "plain");
    auto a = AnalyseBatch(gzip ? Gzip(log_) : log_, "conn.log", &lookup);
    ASSERT_TRUE(a.ok()) << a.error().ToString(Lang::kEn);
    EXPECT_EQ(a->stats.events, conn_events_);
    EXPECT_EQ(a->stats.MalformedTotal(), 0u);
    ASSERT_TRUE(a->first_ts_us && a->last_ts_us);
    EXPECT_LT(*a->first_ts_us, *a->last_ts_us);
    for (const auto& beacon : truth_.beacons) {
      const auto found = std::any_of(a->detections.begin(), a->detections.end(), [&](auto& d) {
        return d.kind == Detection::Kind::kBeacon && d.dst == beacon.dst;
      });
      EXPECT_TRUE(found) << ToString(beacon.dst);
    }
    const auto hit = std::any_of(a->detections.begin(), a->detections.end(), [&](auto& d) {
      return d.kind == Detection::Kind::kIndicatorHit && d.dst == truth_.beacons[1].dst;
    });
    EXPECT_TRUE(hit);
  }
}

TEST_F(AnalyseBatchTest, CountsMalformedRecordsAndRejectsAnUnknownFormat) {
  std::string broken = log_;
  const auto fields_end = broken.find("#types");
  const auto line_end = broken.find('\n', fields_end);
  broken.insert(line_end + 1, "not-a-time\tC1\t10.0.0.1\t1\n");
  auto a = AnalyseBatch(broken, "conn.log", nullptr);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->stats.events, conn_events_);
  EXPECT_EQ(a->stats.MalformedTotal(), 1u);

  auto bad = AnalyseBatch("\x01\x02 binary junk\n", "x.bin", nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataError);
}

}  // namespace
}  // namespace hoshi::defense
