// SPDX-License-Identifier: Apache-2.0
// Indicator files: STIX, MISP CSV and plain lists recognised by content; folders loaded into one
// frozen set; unreadable files listed, missing paths refused.
#include <filesystem>

#include <gtest/gtest.h>

#include "hoshi/core/file.h"
#include "hoshi/defense/indicators.h"

namespace hoshi::defense {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMispCsv =
    "uuid,event_id,category,type,value,comment,to_ids,date,object_relation\n"
    "5f0c,12,Network activity,ip-dst,203.0.113.7,C2,1,1700000000,\n"
    "5f0d,12,Network activity,ip-dst|port,198.51.100.9|8443,,1,1700000000,\n"
    "5f0e,12,Network activity,domain|ip,\"evil.example|203.0.113.8\",\"a \"\"quoted\"\" comment, "
    "with comma\","
    "1,1700000000,\n"
    "5f0f,12,Payload delivery,filename|sha256,\"dropper.exe|"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",,1,1700000000,\n"
    "5f10,12,Network activity,url,http://evil.example/gate.php,,1,1700000000,\n"
    "5f11,12,Network activity,ip-src,192.0.2.0/24,scanner range,1,1700000000,\n"
    "5f12,12,Other,text,just a note,,0,1700000000,\n"
    "5f13,12,Network activity,ip-dst,203.0.113.200,benign CDN,0,1700000000,\n"
    "5f14,12,Network activity,ip-dst,not-an-ip,,1,1700000000,\n"
    "5f15,12,External analysis,link,https://blog.example/report,,1,1700000000,\n";

TEST(MispCsvTest, ImportsTheUsableAttributeTypes) {
  IndicatorSet set;
  auto report = ImportMispCsv(kMispCsv, "misp-event-12.csv", set);
  ASSERT_TRUE(report.ok()) << report.error().ToString(Lang::kEn);
  // ip, ip|port, domain|ip (two), filename|sha256, url, cidr
  EXPECT_EQ(report->added, 7u);
  EXPECT_EQ(report->reasons.at("not_for_ids"), 2u);
  EXPECT_EQ(report->reasons.at("unsupported_type"), 1u);  // link
  EXPECT_EQ(report->reasons.at("bad_value"), 1u);
  set.Freeze();
  const auto hit = set.MatchIp(*ParseIp("203.0.113.7"), 0);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->source, "misp-event-12.csv");
  EXPECT_TRUE(set.MatchIp(*ParseIp("198.51.100.9"), 0).has_value());
  EXPECT_TRUE(set.MatchIp(*ParseIp("203.0.113.8"), 0).has_value());
  EXPECT_TRUE(set.MatchIp(*ParseIp("192.0.2.77"), 0).has_value());
  EXPECT_FALSE(set.MatchIp(*ParseIp("203.0.113.200"), 0).has_value());  // to_ids 0
  EXPECT_TRUE(set.MatchDomain("c2.evil.example", 0).has_value());
  EXPECT_TRUE(set.MatchUrl("http://evil.example/gate.php", 0).has_value());
  EXPECT_TRUE(set.MatchHash("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", 0)
                  .has_value());
}

TEST(MispCsvTest, RefusesAHeaderWithoutTypeAndValue) {
  IndicatorSet set;
  auto report = ImportMispCsv("uuid,event_id,category\n1,2,3\n", "x.csv", set);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code(), ErrorCode::kDataError);
  EXPECT_EQ(set.size(), 0u);
}

class IndicatorFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hoshi-ind-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "feeds" / "nested");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(IndicatorFilesTest, LoadsAFolderByContentIntoOneFrozenSet) {
  ASSERT_TRUE(WriteFileAtomic(dir_ / "feeds" / "misp.csv", kMispCsv).ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "feeds" / "ipsum.txt", "# ipsum\n198.18.0.1\t5\n").ok());
  ASSERT_TRUE(WriteFileAtomic(
                  dir_ / "feeds" / "nested" / "bundle.json",
                  R"({"type":"bundle","id":"bundle--1","objects":[{"type":"indicator",)"
                  R"("spec_version":"2.1","id":"indicator--7d1f0e6e-0a5a-4e5e-9f3e-1b2c3d4e5f60",)"
                  R"("created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z",)"
                  R"("pattern":"[domain-name:value = 'stix.example']","pattern_type":"stix",)"
                  R"("valid_from":"2026-01-01T00:00:00Z"}]})")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "feeds" / "README.md", "not read").ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "feeds" / ".hidden.txt", "203.0.113.99\n").ok());
  auto load = LoadIndicatorPaths({dir_ / "feeds"});
  ASSERT_TRUE(load.ok()) << load.error().ToString(Lang::kEn);
  EXPECT_EQ(load->files, 3u);
  EXPECT_EQ(load->report.added, 9u);
  EXPECT_TRUE(load->set->frozen());
  constexpr std::int64_t k2027 = std::int64_t{1'800'000'000} * 1'000'000;
  EXPECT_TRUE(load->set->MatchDomain("a.stix.example", k2027).has_value());
  EXPECT_TRUE(load->set->MatchIp(*ParseIp("198.18.0.1"), 0).has_value());
  EXPECT_FALSE(load->set->MatchIp(*ParseIp("203.0.113.99"), 0).has_value());
  EXPECT_TRUE(IsIndicatorFileName("feed.STIX"));
  EXPECT_FALSE(IsIndicatorFileName("notes.md"));
}

TEST_F(IndicatorFilesTest, AMissingPathIsAnErrorAnUnreadableFileIsListed) {
  auto missing = LoadIndicatorPaths({dir_ / "nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomic(dir_ / "feeds" / "broken.json", "{not json").ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "feeds" / "ok.txt", "203.0.113.1\n").ok());
  auto load = LoadIndicatorPaths({dir_ / "feeds"});
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load->files, 1u);
  ASSERT_EQ(load->file_errors.size(), 1u);
  EXPECT_TRUE(load->set->MatchIp(*ParseIp("203.0.113.1"), 0).has_value());
}

}  // namespace
}  // namespace hoshi::defense
