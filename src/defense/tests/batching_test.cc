// SPDX-License-Identifier: Apache-2.0
#include "hoshi/defense/batching.h"

#include <zlib.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hoshi/defense/logs.h"
#include "hoshi/defense/synthetic.h"

namespace hoshi::defense {
namespace {

std::string Gzip(std::string_view text, int level = Z_DEFAULT_COMPRESSION) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string Gunzip(std::string_view bytes) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  int status = Z_OK;
  while (status == Z_OK) {
    const std::size_t old = out.size();
    out.resize(old + 65536);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = 65536;
    status = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + 65536 - zs.avail_out);
  }
  EXPECT_EQ(status, Z_STREAM_END);
  EXPECT_EQ(zs.avail_in, 0U) << "one gzip member per piece";
  inflateEnd(&zs);
  return out;
}

/// Every field of an event, to compare events as values.
std::string Key(const Event& e) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", e.ts_us,
                     EventKindName(e.kind), static_cast<int>(e.proto), ToString(e.src),
                     ToString(e.dst), e.src_port, e.dst_port, e.duration_s, e.orig_bytes,
                     e.resp_bytes, e.orig_ip_bytes, e.orig_pkts, e.resp_pkts, e.name, e.uri,
                     e.user_agent, e.signature, static_cast<int>(e.severity), e.action, e.uid);
}

struct Parsed {
  ParseStats stats;
  std::vector<std::string> events;
};

Parsed Parse(std::string_view bytes, std::string_view name) {
  std::istringstream in{std::string(bytes)};
  Parsed out;
  auto stats = ParseLog(in, name, {}, [&](const Event& e) { out.events.push_back(Key(e)); });
  EXPECT_TRUE(stats.ok()) << (stats ? "" : stats.error().ToString(Lang::kEn));
  if (stats) {
    out.stats = *stats;
  }
  return out;
}

/// Packs `log`, checks every piece (size, one gzip member, parses alone without anomalies) and
/// that the pieces together give exactly the events of the whole log, in order.
PackedLog ExpectFaithful(std::string_view log, std::size_t budget, std::string_view name) {
  auto packed = PackLogBatches(log, budget, name);
  EXPECT_TRUE(packed.ok()) << (packed ? "" : packed.error().ToString(Lang::kEn));
  if (!packed) {
    return {};
  }
  const Parsed whole = Parse(log, name);
  EXPECT_FALSE(whole.events.empty());
  std::vector<std::string> events;
  std::size_t lines = 0;
  std::size_t skipped = 0;
  for (const std::string& piece : packed->pieces) {
    EXPECT_LE(piece.size(), budget);
    EXPECT_FALSE(Gunzip(piece).empty());
    const Parsed part = Parse(piece, name);
    EXPECT_TRUE(part.stats.malformed.empty()) << part.stats.malformed.begin()->first;
    events.insert(events.end(), part.events.begin(), part.events.end());
    lines += part.stats.lines;
    skipped += part.stats.skipped;
  }
  EXPECT_EQ(events.size(), whole.events.size());
  EXPECT_EQ(events, whole.events);
  EXPECT_EQ(lines, whole.stats.lines) << "repeated header lines are not records";
  EXPECT_EQ(skipped, whole.stats.skipped);
  EXPECT_EQ(packed->raw_bytes, log.size());
  return std::move(packed).value();
}

/// The pieces are filled: all but the last hold at least half the budget.
void ExpectFilled(const PackedLog& packed, std::size_t budget) {
  for (std::size_t i = 0; i + 1 < packed.pieces.size(); ++i) {
    EXPECT_GE(packed.pieces[i].size(), budget / 2) << "piece " << i;
  }
}

/// A Zeek TSV file with two header blocks: a synthetic conn log (#close included), then a dns
/// block with another header (no #set_separator or #open, other #unset_field).
std::string TwoBlockZeekLog() {
  SyntheticConfig config;
  config.hosts = 20;
  config.destinations = 50;
  config.duration_s = std::int64_t{4} * 3600;
  config.beacons = 2;
  config.tunnel_queries = 0;
  config.long_connection_s = 0;
  auto events = GenerateSyntheticEvents(config);
  EXPECT_TRUE(events.ok());
  std::ostringstream conn;
  EXPECT_TRUE(WriteZeekConnLog(conn, *events).ok());
  std::string text = conn.str();
  text +=
      "#separator \\x09\n#unset_field\t?\n#empty_field\t(empty)\n#path\tdns\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]\n";
  std::mt19937 rng(7);
  for (int i = 0; i < 400; ++i) {
    text +=
        fmt::format("1711933200.{:06}\tD{}\t10.1.0.{}\t{}\t10.0.0.53\t53\tudp\th{}.example\t?\n", i,
                    rng(), rng() % 250 + 1, 1024 + rng() % 60000, rng() % 1000);
  }
  text += "#close\t2024-04-01-02-00-00\n";
  return text;
}

TEST(BatchingTest, ZeekTsvPiecesRepeatTheHeaderInForceAndParseAlone) {
  const std::string log = TwoBlockZeekLog();
  constexpr std::size_t kBudget = 4096;
  const PackedLog packed = ExpectFaithful(log, kBudget, "conn.log");
  EXPECT_EQ(packed.format, LogFormat::kZeekTsv);
  EXPECT_TRUE(packed.problem.empty());
  ASSERT_GT(packed.pieces.size(), 10U);
  ExpectFilled(packed, kBudget);
  bool saw_dns = false;
  for (std::size_t i = 0; i < packed.pieces.size(); ++i) {
    const std::string text = Gunzip(packed.pieces[i]);
    if (i > 0) {
      EXPECT_TRUE(text.starts_with("#separator \\x09\n")) << "piece " << i;
    }
    // After the first block, the header in force is the dns block's, with the keys the second
    // block did not repeat (#set_separator, #open) kept from the first one.
    if (text.find("#path\tdns\n") != std::string::npos && !Has(text, "#path\tconn")) {
      saw_dns = true;
      EXPECT_TRUE(Has(text, "#unset_field\t?\n")) << text.substr(0, 400);
      EXPECT_TRUE(Has(text, "#set_separator\t,\n")) << text.substr(0, 400);
      EXPECT_FALSE(Has(text,
                       "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\t"
                       "proto\tservice"))
          << "the conn schema is gone";
    }
  }
  EXPECT_TRUE(saw_dns);
}

TEST(BatchingTest, ZeekJsonPiecesParseAlone) {
  std::string log;
  std::mt19937 rng(11);
  for (int i = 0; i < 1500; ++i) {
    log +=
        fmt::format(R"({{"_path":"conn","ts":1711933200.{:06},"uid":"C{}","id.orig_h":"10.1.0.{}",)"
                    R"("id.orig_p":{},"id.resp_h":"198.18.{}.{}","id.resp_p":443,"proto":"tcp",)"
                    R"("duration":{}.5,"orig_bytes":{},"resp_bytes":{}}})"
                    "\n",
                    i, rng(), rng() % 250 + 1, 1024 + rng() % 60000, rng() % 250, rng() % 250,
                    rng() % 100, rng() % 100000, rng() % 100000);
  }
  constexpr std::size_t kBudget = 8192;
  const PackedLog packed = ExpectFaithful(log, kBudget, "conn.json");
  EXPECT_EQ(packed.format, LogFormat::kZeekJson);
  EXPECT_GT(packed.pieces.size(), 5U);
  ExpectFilled(packed, kBudget);
  EXPECT_EQ(packed.lines, 1500U);
}

TEST(BatchingTest, SyslogPiecesParseAlone) {
  std::string log;
  std::mt19937 rng(3);
  for (int i = 0; i < 1200; ++i) {
    log += fmt::format(
        "<134>1 2024-01-02T03:{:02}:{:02}.{:06}Z fw{} app - - - CEF:0|Vendor|Product|1|{}|Blocked "
        "{}|5|src=10.0.0.{} dst=203.0.113.{} spt={} dpt=443 proto=TCP act=blocked\n",
        i / 60 % 60, i % 60, rng() % 1000000, rng() % 4, rng() % 100, rng() % 7, rng() % 250 + 1,
        rng() % 250 + 1, 1024 + rng() % 60000);
    if (i % 100 == 0) {
      log += "\n";  // blank lines are carried along
    }
  }
  constexpr std::size_t kBudget = 2048;
  const PackedLog packed = ExpectFaithful(log, kBudget, "fw.syslog");
  EXPECT_EQ(packed.format, LogFormat::kSyslog);
  EXPECT_GT(packed.pieces.size(), 10U);
  ExpectFilled(packed, kBudget);
}

TEST(BatchingTest, GzipInputGivesTheSamePiecesAsPlain) {
  const std::string log = TwoBlockZeekLog();
  auto plain = PackLogBatches(log, 4096, "conn.log");
  ASSERT_TRUE(plain.ok());
  // Two gzip members (as `cat a.gz b.gz` makes), at another compression level than the pieces.
  const std::size_t half = log.find("#separator", 10);
  const std::string gz =
      Gzip(std::string_view(log).substr(0, half), 1) + Gzip(std::string_view(log).substr(half), 9);
  auto gzip = PackLogBatches(gz, 4096, "conn.log.gz");
  ASSERT_TRUE(gzip.ok()) << gzip.error().ToString(Lang::kEn);
  EXPECT_EQ(gzip->pieces, plain->pieces) << "the pieces depend only on the text";
  EXPECT_EQ(gzip->raw_bytes, log.size());
  EXPECT_TRUE(gzip->problem.empty());
  // And again: deterministic.
  auto again = PackLogBatches(gz, 4096, "conn.log.gz");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pieces, gzip->pieces);
}

TEST(BatchingTest, TruncatedGzipKeepsTheLinesBeforeTheCut) {
  const std::string log = TwoBlockZeekLog();
  const std::string gz = Gzip(log);
  const std::string cut = gz.substr(0, gz.size() * 2 / 3);
  auto packed = PackLogBatches(cut, 4096, "conn.log.gz");
  ASSERT_TRUE(packed.ok()) << packed.error().ToString(Lang::kEn);
  EXPECT_EQ(packed->problem, "gzip_truncated");
  const Parsed whole = Parse(cut, "conn.log.gz");  // ParseLog drops the cut line too
  std::vector<std::string> events;
  for (const std::string& piece : packed->pieces) {
    const Parsed part = Parse(piece, "conn.log.gz");
    events.insert(events.end(), part.events.begin(), part.events.end());
  }
  EXPECT_FALSE(events.empty());
  EXPECT_EQ(events, whole.events);
  EXPECT_LT(packed->raw_bytes, log.size());
}

TEST(BatchingTest, ALineThatCannotFitNamesItsLineNumber) {
  std::string log =
      "<134>1 2024-01-02T03:04:05Z fw app - - - CEF:0|V|P|1|1|n|5|src=10.0.0.1\n"
      "<134>1 2024-01-02T03:04:06Z fw app - - - CEF:0|V|P|1|1|n|5|src=10.0.0.2\n"
      "<134>1 2024-01-02T03:04:07Z fw app - - - CEF:0|V|P|1|1|n|5|msg=";
  std::mt19937 rng(5);
  for (int i = 0; i < 20000; ++i) {
    log += static_cast<char>('A' + rng() % 26);  // incompressible enough
  }
  log += "\n";
  auto packed = PackLogBatches(log, 2048, "fw.log");
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(packed.error().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(packed.error().reason(), "defense.batch_line_too_large");
  ASSERT_TRUE(packed.error().location().has_value());
  EXPECT_EQ(packed.error().location()->line, 3);
  EXPECT_EQ(packed.error().location()->source, "fw.log");
  EXPECT_TRUE(Has(packed.error().ToString(Lang::kJa), "3 行目"))
      << packed.error().ToString(Lang::kJa);
  EXPECT_TRUE(Has(packed.error().ToString(Lang::kEn), "2,048 bytes"))
      << packed.error().ToString(Lang::kEn);
  // A long line that compresses well fits.
  const std::string repetitive =
      "<134>1 2024-01-02T03:04:07Z fw app - - - CEF:0|V|P|1|1|n|5|src=10.0.0.1 msg=" +
      std::string(20000, 'x') + "\n";
  EXPECT_TRUE(PackLogBatches(repetitive, 2048, "fw.log").ok());
}

TEST(BatchingTest, RejectsTinyBudgetsAndUnknownFormats) {
  auto tiny = PackLogBatches("CEF:0|V|P|1|1|n|5|src=10.0.0.1\n", 100, "x.log");
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().code(), ErrorCode::kInvalidArgument);
  auto unknown = PackLogBatches("\n\nhello world\n", 4096, "x.log");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kDataError);
  EXPECT_EQ(unknown.error().reason(), "defense.log_format");
  EXPECT_EQ(unknown.error().location()->line, 3);
}

TEST(BatchingTest, EmptyAndBlankLogsGiveNoPieces) {
  for (const std::string_view log : {std::string_view(), std::string_view("\n \n\t\n")}) {
    auto packed = PackLogBatches(log, 4096, "x.log");
    ASSERT_TRUE(packed.ok());
    EXPECT_TRUE(packed->pieces.empty());
  }
  auto gz = PackLogBatches(Gzip(""), 4096, "x.log.gz");
  ASSERT_TRUE(gz.ok()) << gz.error().ToString(Lang::kEn);
  EXPECT_TRUE(gz->pieces.empty());
  EXPECT_TRUE(gz->problem.empty());
}

TEST(BatchingTest, MessagesHaveBothLanguages) {
  for (const MessageEntry& m : BatchingMessages()) {
    EXPECT_TRUE(m.key.starts_with("defense.batch_")) << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
  }
}

}  // namespace
}  // namespace hoshi::defense
