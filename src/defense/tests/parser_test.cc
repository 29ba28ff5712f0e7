// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/clock.h"
#include "hoshi/defense/logs.h"

#include "../log_internal.h"

namespace hoshi::defense {
namespace {

namespace fs = std::filesystem;

struct Parsed {
  ParseStats stats;
  std::vector<Event> events;
};

Parsed Parse(std::string_view text, const ParseOptions& options = {},
             std::string_view source = "test.log") {
  std::istringstream in{std::string(text)};
  Parsed out;
  auto stats = ParseLog(in, source, options, [&](const Event& e) { out.events.push_back(e); });
  EXPECT_TRUE(stats.ok()) << (stats ? "" : stats.error().ToString(Lang::kEn));
  if (stats) {
    out.stats = *stats;
    std::size_t input_problems = 0;  // not records
    for (const char* reason : {"gzip_truncated", "gzip_corrupt", "bad_header"}) {
      input_problems += out.stats.malformed.contains(reason) ? out.stats.malformed.at(reason) : 0;
    }
    EXPECT_EQ(out.stats.lines,
              out.stats.events + out.stats.skipped + out.stats.MalformedTotal() - input_problems)
        << "every record is counted once";
  }
  return out;
}

/// One record of a table-driven test and what becomes of it: a malformed reason, or "" for a
/// record that is skipped.
struct RecordCase {
  std::string_view line;
  std::string_view reason;
};

/// Parses `prefix` followed by the cases' lines and checks the malformed counts, the skipped
/// count and each sample's reason and line (the first case is on line `first_line`).
Parsed ExpectCases(std::string_view prefix, std::span<const RecordCase> cases,
                   const ParseOptions& options, std::size_t first_line = 1,
                   std::string_view suffix = "") {
  std::string text(prefix);
  std::map<std::string, std::size_t> expected;
  std::size_t skipped = 0;
  for (const RecordCase& c : cases) {
    text += std::string(c.line) + "\n";
    if (c.reason.empty()) {
      ++skipped;
    } else {
      ++expected[std::string(c.reason)];
    }
  }
  text += suffix;
  Parsed parsed = Parse(text, options);
  EXPECT_EQ(parsed.stats.malformed, expected);
  EXPECT_EQ(parsed.stats.skipped, skipped);
  std::size_t sample = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].reason.empty()) {
      continue;
    }
    if (sample >= parsed.stats.samples.size()) {
      ADD_FAILURE() << "no sample for " << cases[i].line;
      break;
    }
    const ParseStats::Sample& got = parsed.stats.samples[sample++];
    EXPECT_EQ(got.reason, cases[i].reason) << cases[i].line;
    EXPECT_EQ(got.line, first_line + i) << cases[i].line;
    EXPECT_EQ(got.source, "test.log");
  }
  return parsed;
}

std::string Gzip(std::string_view text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
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

IpAddress Ip(std::string_view text) {
  return ParseIp(text).value_or(IpAddress{});
}

// 2024-01-10T00:00:00Z, the "now" of the syslog tests.
const FakeClock& TestClock() {
  static const FakeClock clock(TimePoint(std::chrono::seconds(1704844800)));
  return clock;
}

// ---- Detection and reading. ----

TEST(ParserTest, DetectsTheFormatFromTheFirstLine) {
  const struct {
    std::string_view line;
    std::optional<LogFormat> format;
  } cases[] = {
      {"#separator \\x09", LogFormat::kZeekTsv},
      {"#fields\tts\tuid", LogFormat::kZeekTsv},
      {"\xEF\xBB\xBF#separator \\x09", LogFormat::kZeekTsv},
      {R"({"timestamp":"2024-01-02T03:04:05.000000+0000","event_type":"alert"})",
       LogFormat::kSuricataEve},
      {R"({"_path":"dns","ts":"2018-03-24T17:15:20.865716Z"})", LogFormat::kZeekJson},
      {R"({"ts": 1517336042.279652, "uid": "CVvreZ2AGtqjnP3nnl"})", LogFormat::kZeekJson},
      {R"({"ts": 1, "id.orig_h": "10.0.0.1"})", LogFormat::kZeekJson},
      {"<134>1 2024-01-02T03:04:05Z host app - - - CEF:0|a|b|c|d|e|1|", LogFormat::kSyslog},
      {"<13>Jan  2 03:04:05 host tag: hello", LogFormat::kSyslog},
      {"Jan  2 03:04:05 host tag: hello", LogFormat::kSyslog},
      {"CEF:0|a|b|c|d|e|1|src=10.0.0.1", LogFormat::kSyslog},
      {"2024-01-02T03:04:05.123+09:00 fw tag: text", LogFormat::kSyslog},
      {R"({"ts": 1521911720.1, "peer": "zeek", "mem": 60})", LogFormat::kZeekJson},  // stats.log
      {R"({"name": "x"})", std::nullopt},
      {"hello world", std::nullopt},
      {"<abc>hello", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DetectLogFormat(c.line), c.format) << c.line;
  }
}

TEST(ParserTest, AnUnknownFormatIsAnError) {
  std::istringstream in("\n\nthis is not a log\n");
  const auto stats = ParseLog(in, "notes.txt", {}, {});
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code(), ErrorCode::kDataError);
  EXPECT_EQ(stats.error().reason(), "defense.log_format");
  ASSERT_TRUE(stats.error().location().has_value());
  EXPECT_EQ(stats.error().location()->line, 3);
  EXPECT_NE(stats.error().message(Lang::kJa).find("notes.txt"), std::string::npos);
}

TEST(ParserTest, AnEmptyInputHasNoRecords) {
  const Parsed parsed = Parse("");
  EXPECT_EQ(parsed.stats.lines, 0U);
  EXPECT_TRUE(parsed.events.empty());
}

TEST(ParserTest, NamesFormats) {
  EXPECT_EQ(LogFormatName(LogFormat::kAuto), "auto");
  EXPECT_EQ(LogFormatName(LogFormat::kZeekTsv), "zeek-tsv");
  EXPECT_EQ(LogFormatName(LogFormat::kZeekJson), "zeek-json");
  EXPECT_EQ(LogFormatName(LogFormat::kSuricataEve), "suricata-eve");
  EXPECT_EQ(LogFormatName(LogFormat::kSyslog), "syslog");
}

TEST(ParserTest, TellsLogFileNames) {
  for (const std::string_view name :
       {"conn.log", "dns.log.gz", "eve.json", "EVE.JSON.GZ", "x.jsonl", "a.ndjson", "fw.cef",
        "m.syslog", "x.eve", "conn.09:00:00-10:00:00.log.gz"}) {
    EXPECT_TRUE(IsLogFileName(name)) << name;
  }
  for (const std::string_view name :
       {"README.md", "notes.txt", ".hidden.log", "log", "x.gz", "conn.log.bak", ""}) {
    EXPECT_FALSE(IsLogFileName(name)) << name;
  }
}

// Zeek TSV header for a conn log (RITA's test data fields, fewer columns).
constexpr std::string_view kConnHeader =
    "#separator \\x09\n"
    "#set_separator\t,\n"
    "#empty_field\t(empty)\n"
    "#unset_field\t-\n"
    "#path\tconn\n"
    "#open\t2018-01-31-12-00-00\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
    "orig_bytes\tresp_bytes\tconn_state\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
    "tunnel_parents\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\t"
    "count\tcount\tcount\tcount\tset[string]\n";

constexpr std::string_view kConnRow =
    "1517422326.539915\tCxHo3m4N8uGxrMlcl2\t10.55.100.100\t61843\t205.204.101.182\t80\ttcp\thttp\t"
    "108.985496\t719\t336\tSF\t10\t1131\t4\t508\t(empty)\n";

TEST(ParserTest, GzipAndPlainGiveTheSameEvents) {
  const std::string text = std::string(kConnHeader) + std::string(kConnRow) + "#close\tx\n";
  const Parsed plain = Parse(text);
  const Parsed gzip = Parse(Gzip(text), {}, "conn.log.gz");
  ASSERT_EQ(plain.events.size(), 1U);
  ASSERT_EQ(gzip.events.size(), 1U);
  EXPECT_EQ(gzip.events[0].ts_us, plain.events[0].ts_us);
  EXPECT_EQ(gzip.events[0].uid, plain.events[0].uid);
  EXPECT_TRUE(gzip.stats.malformed.empty());
}

TEST(ParserTest, ReadsConcatenatedGzipMembers) {
  const std::string first = std::string(kConnHeader) + std::string(kConnRow);
  const std::string second(kConnRow);
  const Parsed parsed = Parse(Gzip(first) + Gzip(second));
  EXPECT_EQ(parsed.events.size(), 2U);
  EXPECT_TRUE(parsed.stats.malformed.empty());
}

TEST(ParserTest, ATruncatedGzipKeepsTheEventsReadSoFar) {
  std::string text(kConnHeader);
  for (int i = 0; i < 2000; ++i) {
    text += kConnRow;
  }
  const std::string gz = Gzip(text);
  const Parsed parsed = Parse(std::string_view(gz).substr(0, gz.size() * 2 / 3));
  EXPECT_GT(parsed.events.size(), 100U);
  EXPECT_LT(parsed.events.size(), 2000U);
  EXPECT_EQ(parsed.stats.malformed.at("gzip_truncated"), 1U);
  EXPECT_EQ(parsed.stats.MalformedTotal(), 1U) << "the cut last line is dropped, not counted";
  EXPECT_EQ(parsed.stats.events, parsed.stats.lines);
}

TEST(ParserTest, ACorruptGzipIsCountedAndNeverFatal) {
  std::string text(kConnHeader);
  for (int i = 0; i < 2000; ++i) {
    text += kConnRow;
  }
  const std::string gz = Gzip(text);
  // Damage in the middle: inflate either fails or reads garbage up to the end of the input.
  std::string damaged = gz;
  for (std::size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) {
    damaged[i] = static_cast<char>(~damaged[i]);
  }
  const Parsed middle = Parse(damaged);
  EXPECT_LT(middle.events.size(), 2000U);
  EXPECT_EQ(
      middle.stats.malformed.count("gzip_corrupt") + middle.stats.malformed.count("gzip_truncated"),
      1U);
  // A bad CRC in the trailer: every record was read, then the check fails.
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 8] = static_cast<char>(~bad_crc[bad_crc.size() - 8]);
  const Parsed trailer = Parse(bad_crc);
  EXPECT_EQ(trailer.events.size(), 2000U);
  EXPECT_EQ(trailer.stats.malformed, (std::map<std::string, std::size_t>{{"gzip_corrupt", 1}}));
  // Not gzip after the magic bytes at all.
  const Parsed header = Parse(std::string("\x1f\x8b\x07\x00garbage", 11));
  EXPECT_TRUE(header.events.empty());
  EXPECT_EQ(header.stats.malformed, (std::map<std::string, std::size_t>{{"gzip_corrupt", 1}}));
}

TEST(ParserTest, HandlesCrlfBlankLinesAndAMissingFinalNewline) {
  std::string text(kConnHeader);
  text += "\r\n   \n";
  std::string row(kConnRow);
  row.pop_back();
  text += row + "\r\n\n" + row;  // the last line has no newline
  const Parsed parsed = Parse(text);
  ASSERT_EQ(parsed.events.size(), 2U);
  EXPECT_EQ(parsed.events[1].orig_ip_bytes, 1131U);
  EXPECT_EQ(parsed.stats.lines, 2U);
}

TEST(ParserTest, AnOverlongLineIsCountedAndSkipped) {
  std::string text(kConnHeader);
  text += std::string(9 << 20, 'x') + "\n";
  text += kConnRow;
  const Parsed parsed = Parse(text);
  EXPECT_EQ(parsed.events.size(), 1U);
  EXPECT_EQ(parsed.stats.malformed.at("line_too_long"), 1U);
  ASSERT_EQ(parsed.stats.samples.size(), 1U);
  EXPECT_EQ(parsed.stats.samples[0].line, 9U);
}

// ---- Field readers. ----

TEST(ParserTest, TimestampsAreExactToTheMicrosecond) {
  const struct {
    std::string_view text;
    std::optional<std::int64_t> micros;
  } cases[] = {
      {"1521912990.123456", 1521912990123456},
      {"1517422328.68068", 1517422328680680},
      {"1517422328.1", 1517422328100000},
      {"1517422328", 1517422328000000},
      {"1517422328.1234569", 1517422328123456},  // truncated, never rounded
      {"0.000001", 1},
      {"1517422328680", 1517422328680000},  // 13 digits: milliseconds
      {"2018-03-24T17:15:20.865716Z", 1521911720865716},
      {"2018-03-24T17:15:20Z", 1521911720000000},
      {"2024-01-02T03:04:05.123456+0000", 1704164645123456},
      {"2024-01-02T12:04:05.123456+09:00", 1704164645123456},
      {"2024-01-01T22:04:05.123456-0500", 1704164645123456},
      {"2024-01-02 03:04:05.5", 1704164645500000},
      {"2024-02-29T00:00:00Z", 1709164800000000},
      {"2023-02-29T00:00:00Z", std::nullopt},
      {"2024-13-01T00:00:00Z", std::nullopt},
      {"2024-01-02T25:00:00Z", std::nullopt},
      {"2024-01-02T03:04:05.Z", std::nullopt},
      {"2024-01-02T03:04:05Zjunk", std::nullopt},
      {"-1.5", std::nullopt},
      {"1.5e9", std::nullopt},
      {"15219x2990", std::nullopt},
      {"", std::nullopt},
      {"-", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(detail::ParseTimeMicros(c.text), c.micros) << c.text;
  }
}

TEST(ParserTest, ReadsPortsProtocolsAndHosts) {
  EXPECT_EQ(detail::ParsePort("65535"), 65535);
  EXPECT_FALSE(detail::ParsePort("65536").has_value());
  EXPECT_FALSE(detail::ParsePort("-1").has_value());
  EXPECT_EQ(detail::ParseProto("TCP"), Proto::kTcp);
  EXPECT_EQ(detail::ParseProto("udp"), Proto::kUdp);
  EXPECT_EQ(detail::ParseProto("IPv6-ICMP"), Proto::kIcmpV6);
  EXPECT_EQ(detail::ParseProto("017"), Proto::kUdp);
  EXPECT_EQ(static_cast<int>(detail::ParseProto("47")), 47);
  EXPECT_EQ(detail::ParseProto("unknown_transport"), Proto::kUnknown);
  EXPECT_EQ(detail::NormaliseHost("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(detail::NormaliseHost("example.com:8080"), "example.com");
  EXPECT_EQ(detail::NormaliseHost("[2001:DB8::1]:443"), "2001:db8::1");
  EXPECT_EQ(detail::NormaliseHost("2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(detail::ClampCount(1ULL << 40), 0xFFFFFFFFU);
}

// ---- Zeek. ----

TEST(ZeekTest, ReadsTsvConn) {
  const Parsed parsed = Parse(std::string(kConnHeader) + std::string(kConnRow) + "#close\tx\n");
  EXPECT_EQ(parsed.stats.lines, 1U);
  ASSERT_EQ(parsed.events.size(), 1U);
  const Event& e = parsed.events[0];
  EXPECT_EQ(e.kind, EventKind::kConn);
  EXPECT_EQ(e.ts_us, 1517422326539915);
  EXPECT_EQ(e.uid, "CxHo3m4N8uGxrMlcl2");
  EXPECT_EQ(e.src, Ip("10.55.100.100"));
  EXPECT_EQ(e.src_port, 61843);
  EXPECT_EQ(e.dst, Ip("205.204.101.182"));
  EXPECT_EQ(e.dst_port, 80);
  EXPECT_EQ(e.proto, Proto::kTcp);
  EXPECT_DOUBLE_EQ(e.duration_s, 108.985496);
  EXPECT_EQ(e.orig_bytes, 719U);
  EXPECT_EQ(e.resp_bytes, 336U);
  EXPECT_EQ(e.orig_ip_bytes, 1131U);
  EXPECT_EQ(e.orig_pkts, 10U);
  EXPECT_EQ(e.resp_pkts, 4U);
  EXPECT_TRUE(e.name.empty());
}

/// kConnRow with column `column` replaced by `value`; nullopt drops the column, and a column
/// past the last one is appended.
std::string ConnRowWith(std::size_t column, std::optional<std::string_view> value) {
  std::vector<std::string> cells;
  std::istringstream row{std::string(kConnRow.substr(0, kConnRow.size() - 1))};
  for (std::string cell; std::getline(row, cell, '\t');) {
    cells.push_back(cell);
  }
  if (column >= cells.size()) {
    cells.resize(column + 1);
  }
  if (value) {
    cells[column] = *value;
  } else {
    cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(column));
  }
  std::string out;
  for (const std::string& cell : cells) {
    out += (out.empty() ? "" : "\t") + cell;
  }
  return out;
}

TEST(ZeekTest, CountsMalformedTsvRecordsByReason) {
  // Columns of kConnRow: 0 ts, 2 id.orig_h, 3 id.orig_p, 4 id.resp_h, 8 duration, 9 orig_bytes,
  // 16 tunnel_parents (the last).
  const struct {
    std::size_t column;
    std::optional<std::string_view> value;
    std::string_view reason;
  } kEdits[] = {
      {0, "15174223x6.539915", "bad_ts"},
      {0, "-", "bad_ts"},
      {2, "10.55.100", "bad_ip"},
      {4, "-", "bad_ip"},
      {3, "70000", "bad_port"},
      {9, "12a", "bad_number"},
      {8, "-3", "bad_number"},
      {16, std::nullopt, "field_count"},
      {17, "-", "field_count"},
  };
  std::vector<std::string> rows;
  for (const auto& edit : kEdits) {
    rows.push_back(ConnRowWith(edit.column, edit.value));
  }
  std::vector<RecordCase> cases;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cases.push_back({rows[i], kEdits[i].reason});
  }
  cases.push_back({"garbage", "field_count"});
  const Parsed parsed = ExpectCases(kConnHeader, cases, {}, /*first_line=*/9, /*suffix=*/kConnRow);
  EXPECT_EQ(parsed.events.size(), 1U) << "one bad record never stops the batch";
}

TEST(ZeekTest, ReadsSeveralHeaderBlocksAndSkipsUnusedLogTypes) {
  std::string text(kConnHeader);
  text += kConnRow;
  text += "#close\t2018-01-31-12-00-01\n";
  // A dns block with unset fields and an escaped query, then an x509 block.
  text +=
      "#separator \\x09\n#unset_field\t-\n#empty_field\t(empty)\n#path\tdns\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]\n"
      "1521911720.865716\tCq\t10.47.1.100\t41772\t10.0.0.100\t53\tudp\tISE.wrccdc.org.\t1.2.3.4,5."
      "6.7.8\n"
      "1521911720.865717\tCr\t10.47.1.100\t41772\t10.0.0.100\t53\tudp\ta\\x09b.example\t-\n"
      "1521911720.865718\tCs\t10.47.1.100\t41772\t10.0.0.100\t53\tudp\t-\t(empty)\n"
      "1521911720.865719\tCt\t10.47.1.100\t41772\t10.0.0.100\t53\tudp\t(empty)\t-\n"
      "#separator \\x09\n#path\tx509\n#fields\tts\tid\tcertificate.version\n"
      "#types\ttime\tstring\tcount\n"
      "1521911720.1\tFx\t3\n"
      "1521911720.2\tFy\t3\n";
  const Parsed parsed = Parse(text);
  ASSERT_EQ(parsed.events.size(), 5U);
  EXPECT_EQ(parsed.events[1].kind, EventKind::kDns);
  EXPECT_EQ(parsed.events[1].name, "ise.wrccdc.org");
  EXPECT_EQ(parsed.events[1].proto, Proto::kUdp);
  EXPECT_EQ(parsed.events[2].name, "a\tb.example");
  EXPECT_EQ(parsed.events[3].name, "") << "unset";
  EXPECT_EQ(parsed.events[4].name, "") << "empty";
  EXPECT_EQ(parsed.stats.skipped, 2U);
  EXPECT_TRUE(parsed.stats.malformed.empty());
}

TEST(ZeekTest, TsvWithoutPathTakesTheTypeFromTheFileName) {
  const std::string text =
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tserver_name\n"
      "1521911720.615923\tCm\t10.164.94.120\t39611\t10.47.3.200\t443\tWWW.Example.com\n";
  EXPECT_EQ(Parse(text, {}, "/var/log/zeek/ssl.09:00:00-10:00:00.log").events.at(0).name,
            "www.example.com");
  EXPECT_EQ(Parse(text, {}, "json_with_all_fields_ssl.log").events.at(0).kind, EventKind::kTls);
  EXPECT_EQ(Parse(text, {}, "files.log").stats.skipped, 1U);
}

TEST(ZeekTest, DataBeforeAnyHeaderIsMalformed) {
  const Parsed parsed = Parse("1517422326.5\tC1\n", {.format = LogFormat::kZeekTsv});
  EXPECT_EQ(parsed.stats.malformed.at("no_header"), 1U);
}

TEST(ZeekTest, AHeaderWhoseTypesDoNotMatchItsFieldsIsReported) {
  const Parsed parsed = Parse("#fields\tts\tuid\n#types\ttime\n1517422326.5\tC1\n",
                              {.format = LogFormat::kZeekTsv}, "conn.log");
  EXPECT_EQ(parsed.stats.malformed.at("bad_header"), 1U);
  EXPECT_EQ(parsed.stats.lines, 1U) << "a header problem is not a record";
}

TEST(ZeekTest, ReadsJsonRecords) {
  const std::string text =
      R"({"ts": 1517422326.539915, "uid": "CxHo3m4N8uGxrMlcl2", "id.orig_h": "10.55.100.100", "id.orig_p": 61843, "id.resp_h": "205.204.101.182", "id.resp_p": 80, "proto": "tcp", "service": "http", "duration": 108.985496, "orig_bytes": 719, "resp_bytes": 336, "conn_state": "SF", "orig_pkts": 10, "orig_ip_bytes": 1131, "resp_pkts": 4, "resp_ip_bytes": 508, "_path": "conn"})"
      "\n"
      R"({"_path":"dns","_write_ts":"2018-03-24T17:15:20.866586Z","ts":"2018-03-24T17:15:20.865716Z","uid":"Cq","id.orig_h":"10.47.1.100","id.orig_p":41772,"id.resp_h":"10.0.0.100","id.resp_p":53,"proto":"udp","rtt":0.0008699893951416016,"query":"ise.wrccdc.org","answers":["a","b"],"TTLs":[2230.0],"rejected":false})"
      "\n"
      R"({"ts":1517422328680,"uid":"C2","id":{"orig_h":"10.55.100.105","orig_p":52261,"resp_h":"205.204.101.182","resp_p":80},"host":"Gm.MMstat.com:80","uri":"/sc?a=1","user_agent":"Mozilla/5.0 \"x\"","_path":"http"})"
      "\n"
      R"({"ts":1517422336.04539,"uid":"C3","id.orig_h":"10.55.100.111","id.orig_p":57488,"id.resp_h":"208.89.12.153","id.resp_p":443,"server_name":null,"_path":"ssl"})"
      "\n"
      R"({"_path":"x509","ts":1,"id":"Fx","certificate.version":3})"
      "\n"
      R"({"_path":"weird","ts":"not a time, but skipped before it is read","id.orig_h":"x"})"
      "\n";
  const Parsed parsed = Parse(text);
  EXPECT_TRUE(parsed.stats.malformed.empty());
  EXPECT_EQ(parsed.stats.skipped, 2U);
  ASSERT_EQ(parsed.events.size(), 4U);
  const Event& conn = parsed.events[0];
  EXPECT_EQ(conn.kind, EventKind::kConn);
  EXPECT_EQ(conn.ts_us, 1517422326539915);
  EXPECT_EQ(conn.src, Ip("10.55.100.100"));
  EXPECT_EQ(conn.dst_port, 80);
  EXPECT_DOUBLE_EQ(conn.duration_s, 108.985496);
  EXPECT_EQ(conn.orig_ip_bytes, 1131U);
  EXPECT_EQ(conn.resp_pkts, 4U);
  const Event& dns = parsed.events[1];
  EXPECT_EQ(dns.kind, EventKind::kDns);
  EXPECT_EQ(dns.ts_us, 1521911720865716);
  EXPECT_EQ(dns.name, "ise.wrccdc.org");
  const Event& http = parsed.events[2];
  EXPECT_EQ(http.kind, EventKind::kHttp);
  EXPECT_EQ(http.ts_us, 1517422328680000) << "epoch milliseconds";
  EXPECT_EQ(http.src, Ip("10.55.100.105")) << "nested id object";
  EXPECT_EQ(http.dst_port, 80);
  EXPECT_EQ(http.name, "gm.mmstat.com");
  EXPECT_EQ(http.uri, "/sc?a=1");
  EXPECT_EQ(http.user_agent, "Mozilla/5.0 \"x\"");
  const Event& ssl = parsed.events[3];
  EXPECT_EQ(ssl.kind, EventKind::kTls);
  EXPECT_EQ(ssl.ts_us, 1517422336045390);
  EXPECT_EQ(ssl.name, "") << "null is unset";
}

TEST(ZeekTest, CountsMalformedJsonRecordsByReason) {
  constexpr RecordCase kCases[] = {
      {R"({"_path":"dns","ts":"2018-03-24T17:15:20.865716Z","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2")",
       "json"},
      {R"({"_path":"dns","ts":"2018-03-24T17:15:20Z","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"} x)",
       "json"},
      {R"(["_path","dns"])", "json"},
      {R"({"_path":"dns","ts":"2018-03-24T17:15:20Z","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","query":"a)"
       "\xff\xfe"
       R"("})",
       "json"},
      {R"({"_path":"dns","ts":"yesterday","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"})",
       "bad_ts"},
      {R"({"_path":"dns","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"})", "bad_ts"},
      {R"({"_path":"dns","ts":1.5,"id.orig_h":"10.0.0.999","id.resp_h":"10.0.0.2"})", "bad_ip"},
      {R"({"_path":"dns","ts":1.5,"id.orig_h":"10.0.0.1"})", "bad_ip"},
      {R"({"_path":"dns","ts":1.5,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","id.resp_p":-53})",
       "bad_port"},
      {R"({"_path":"conn","ts":1.5,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","orig_bytes":"many"})",
       "bad_number"},
  };
  ExpectCases("", kCases, {.format = LogFormat::kZeekJson});
}

TEST(ZeekTest, JsonWithoutPathTakesTheTypeFromTheFileName) {
  const std::string line =
      R"({"ts": 1517336042.279652, "uid": "CV", "id.orig_h": "192.168.88.2", "id.orig_p": 55638, "id.resp_h": "165.227.88.15", "id.resp_p": 53, "proto": "udp", "query": "6dde.dnsc.r-1x.com"})";
  const Parsed dns = Parse(line, {}, "json_with_all_fields_dns.log");
  ASSERT_EQ(dns.events.size(), 1U);
  EXPECT_EQ(dns.events[0].kind, EventKind::kDns);
  EXPECT_EQ(dns.events[0].name, "6dde.dnsc.r-1x.com");
  EXPECT_EQ(Parse(line, {}, "zeek.json").stats.skipped, 1U) << "no log type known";
}

// ---- Suricata EVE. ----

TEST(SuricataTest, ReadsEveRecords) {
  const std::string text =
      R"({"timestamp":"2024-01-02T03:04:05.123456+0000","flow_id":1234567890123456,"in_iface":"eth0","event_type":"alert","src_ip":"10.0.0.5","src_port":51000,"dest_ip":"203.0.113.9","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2000001,"rev":1,"signature":"ET POLICY curl User-Agent","category":"Policy","severity":2,"metadata":{"x":["y"]}},"http":{"hostname":"Example.COM","url":"/x?y=1","http_user_agent":"curl/8.0","status":200},"flow":{"pkts_toserver":4,"pkts_toclient":3,"bytes_toserver":400,"bytes_toclient":300,"start":"2024-01-02T03:04:04.000000+0000"}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:05:00.000000+0000","flow_id":7,"event_type":"flow","src_ip":"2001:db8::5","src_port":5353,"dest_ip":"2001:db8::53","dest_port":53,"proto":"UDP","app_proto":"dns","flow":{"pkts_toserver":3,"pkts_toclient":2,"bytes_toserver":300,"bytes_toclient":200,"start":"2024-01-02T03:04:00.500000+0000","end":"2024-01-02T03:04:02.000000+0000","age":2,"state":"established","reason":"timeout","alerted":false}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:04:06.000001+0000","flow_id":8,"event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.5","dest_port":40000,"proto":"UDP","dns":{"version":2,"type":"answer","id":1,"rrname":"WWW.Example.org.","answers":[{"rrname":"cdn.example.net","rdata":"192.0.2.7"}]}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:04:07+0000","event_type":"dns","src_ip":"10.0.0.5","src_port":40001,"dest_ip":"10.0.0.53","dest_port":53,"proto":"17","dns":{"version":3,"type":"request","queries":[{"rrname":"v3.example.net","rrtype":"A"},{"rrname":"second.example"}]}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:04:08.5+0000","event_type":"tls","src_ip":"10.0.0.5","src_port":40002,"dest_ip":"198.51.100.1","dest_port":443,"proto":"TCP","tls":{"sni":"secure.example.com","version":"TLS 1.3","ja3":{"hash":"abc"}}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:04:09+0000","event_type":"http","src_ip":"10.0.0.5","src_port":40003,"dest_ip":"198.51.100.2","dest_port":8080,"proto":"TCP","http":{"hostname":"shop.example:8080","url":"/cart","http_user_agent":"Mozilla/5.0"}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:04:10+0000","event_type":"stats","stats":{"uptime":10,"decoder":{"pkts":5}}})"
      "\n"
      R"({"timestamp":"2024-01-02T03:04:11+0000","event_type":"quic","src_ip":"10.0.0.5","dest_ip":"198.51.100.3","quic":{"sni":"q.example"}})"
      "\n";
  const Parsed parsed = Parse(text);
  EXPECT_TRUE(parsed.stats.malformed.empty());
  EXPECT_EQ(parsed.stats.skipped, 2U) << "stats and an event type we do not use";
  ASSERT_EQ(parsed.events.size(), 6U);

  const Event& alert = parsed.events[0];
  EXPECT_EQ(alert.kind, EventKind::kAlert);
  EXPECT_EQ(alert.ts_us, 1704164644000000) << "flow.start when the record has one";
  EXPECT_EQ(alert.uid, "1234567890123456");
  EXPECT_EQ(alert.src, Ip("10.0.0.5"));
  EXPECT_EQ(alert.src_port, 51000);
  EXPECT_EQ(alert.dst, Ip("203.0.113.9"));
  EXPECT_EQ(alert.dst_port, 80);
  EXPECT_EQ(alert.proto, Proto::kTcp);
  EXPECT_EQ(alert.signature, "ET POLICY curl User-Agent");
  EXPECT_EQ(alert.severity, 2);
  EXPECT_EQ(alert.action, "allowed");
  EXPECT_EQ(alert.name, "example.com");
  EXPECT_EQ(alert.uri, "/x?y=1");
  EXPECT_EQ(alert.user_agent, "curl/8.0");
  EXPECT_EQ(alert.orig_bytes, 400U);

  const Event& flow = parsed.events[1];
  EXPECT_EQ(flow.kind, EventKind::kFlow);
  EXPECT_EQ(flow.ts_us, 1704164640500000);
  EXPECT_DOUBLE_EQ(flow.duration_s, 1.5);
  EXPECT_EQ(flow.src, Ip("2001:db8::5"));
  EXPECT_EQ(flow.proto, Proto::kUdp);
  EXPECT_EQ(flow.orig_bytes, 300U);
  EXPECT_EQ(flow.orig_ip_bytes, 300U);
  EXPECT_EQ(flow.resp_bytes, 200U);
  EXPECT_EQ(flow.orig_pkts, 3U);
  EXPECT_EQ(flow.resp_pkts, 2U);

  EXPECT_EQ(parsed.events[2].kind, EventKind::kDns);
  EXPECT_EQ(parsed.events[2].name, "www.example.org");
  EXPECT_EQ(parsed.events[2].ts_us, 1704164646000001);
  EXPECT_EQ(parsed.events[3].name, "v3.example.net") << "EVE v3: the first query";
  EXPECT_EQ(parsed.events[3].proto, Proto::kUdp);
  EXPECT_EQ(parsed.events[4].kind, EventKind::kTls);
  EXPECT_EQ(parsed.events[4].name, "secure.example.com");
  EXPECT_EQ(parsed.events[4].ts_us, 1704164648500000);
  EXPECT_EQ(parsed.events[5].kind, EventKind::kHttp);
  EXPECT_EQ(parsed.events[5].name, "shop.example");
  EXPECT_EQ(parsed.events[5].uri, "/cart");
}

TEST(SuricataTest, CountsMalformedRecordsByReason) {
  constexpr RecordCase kCases[] = {
      {R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":"alert","src_ip":"10.0.0.5")",
       "json"},
      {R"({"timestamp":"2024-01-02T03:04:05+0000","src_ip":"10.0.0.5","dest_ip":"10.0.0.6"})",
       "no_event_type"},
      {R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":null,"src_ip":"10.0.0.5"})",
       "no_event_type"},
      {R"({"timestamp":"2024-13-02T03:04:05+0000","event_type":"tls","src_ip":"10.0.0.5","dest_ip":"10.0.0.6"})",
       "bad_ts"},
      {R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":"flow","src_ip":"10.0.0.5","dest_ip":"10.0.0.6","flow":{"start":"2024-01-02T03:04:00+0000","end":"soon"}})",
       "bad_ts"},
      {R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":"tls","src_ip":"10.0.0.999","dest_ip":"10.0.0.6"})",
       "bad_ip"},
      {R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":"tls","src_ip":"10.0.0.5","dest_ip":"10.0.0.6","dest_port":99999})",
       "bad_port"},
      {R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":"alert","src_ip":"10.0.0.5","dest_ip":"10.0.0.6","alert":{"severity":1000}})",
       "bad_number"},
  };
  ExpectCases("", kCases, {.format = LogFormat::kSuricataEve});
}

// ---- Syslog with CEF. ----

TEST(SyslogTest, ReadsCefInRfc5424WithEscapes) {
  const std::string line =
      R"(<134>1 2024-01-02T12:04:05.123456+09:00 utm01 CEF - - [meta seq="1" note="a \] b"][x@1 y="z"] )"
      R"(CEF:0|Fortinet|Fortigate|7.2|13056|Web filter \| blocked \\ x|7|)"
      R"(src=10.0.0.5 dst=203.0.113.9 spt=51000 dpt=8443 proto=TCP )"
      R"(request=https://user@Evil.Example.com:8443/path?q\=1&r\=2 act=blocked )"
      R"(msg=has spaces and \= and \\ and a\nnewline cs1Label=User Agent cs1=curl/8.0 cs2Label=Rule cs2=R1 )"
      R"(in=100 out=2000 externalId=42)";
  const Parsed parsed = Parse(line);
  EXPECT_TRUE(parsed.stats.malformed.empty());
  ASSERT_EQ(parsed.events.size(), 1U);
  const Event& e = parsed.events[0];
  EXPECT_EQ(e.kind, EventKind::kSyslog);
  EXPECT_EQ(e.ts_us, 1704164645123456) << "the header time, no CEF time given";
  EXPECT_EQ(e.signature, "Web filter | blocked \\ x");
  EXPECT_EQ(e.severity, 7);
  EXPECT_EQ(e.src, Ip("10.0.0.5"));
  EXPECT_EQ(e.dst, Ip("203.0.113.9"));
  EXPECT_EQ(e.src_port, 51000);
  EXPECT_EQ(e.dst_port, 8443);
  EXPECT_EQ(e.proto, Proto::kTcp);
  EXPECT_EQ(e.name, "evil.example.com");
  EXPECT_EQ(e.uri, "/path?q=1&r=2");
  EXPECT_EQ(e.action, "blocked");
  EXPECT_EQ(e.user_agent, "curl/8.0") << "cs1 labelled as a user agent";
  EXPECT_EQ(e.orig_bytes, 100U);
  EXPECT_EQ(e.resp_bytes, 2000U);
  EXPECT_EQ(e.uid, "42");
}

TEST(SyslogTest, CefTimesWinOverTheHeader) {
  const struct {
    std::string_view line;
    std::int64_t ts_us;
    double duration_s;
  } cases[] = {
      {"<134>Jan  9 10:00:00 fw CEF:0|V|P|1|1|n|5|rt=1704164645123 src=10.0.0.1", 1704164645123000,
       0},
      {"<134>Jan  9 10:00:00 fw CEF:0|V|P|1|1|n|5|rt=1704164645123 start=1704164600000 "
       "end=1704164601500",
       1704164600000000, 1.5},
      {"<134>Jan  9 10:00:00 fw CEF:0|V|P|1|1|n|5|rt=Jan 02 2024 03:04:05.5", 1704164645500000, 0},
      {"<134>Jan  9 10:00:00 fw CEF:0|V|P|1|1|n|5|rt=Jan 02 2024 03:04:05", 1704164645000000, 0},
      {"<134>Jan  9 10:00:00 fw CEF:0|V|P|1|1|n|5|src=10.0.0.1", 1704794400000000, 0},
      // RFC 3164 has no year: "now" is 2024-01-10, so 31 December is last year's.
      {"<134>Dec 31 23:59:59 fw CEF:0|V|P|1|1|n|5|src=10.0.0.1", 1704067199000000, 0},
      {"Jan 10 23:00:00 fw CEF:0|V|P|1|1|n|5|src=10.0.0.1", 1704927600000000, 0},
      {"2024-01-02T03:04:05Z fw CEF:0|V|P|1|1|n|5|src=10.0.0.1", 1704164645000000, 0},
  };
  for (const auto& c : cases) {
    const Parsed parsed = Parse(c.line, {.clock = &TestClock()});
    ASSERT_EQ(parsed.events.size(), 1U) << c.line;
    EXPECT_EQ(parsed.events[0].ts_us, c.ts_us) << c.line;
    EXPECT_DOUBLE_EQ(parsed.events[0].duration_s, c.duration_s) << c.line;
  }
}

TEST(SyslogTest, MapsLongKeysCustomLabelsAndSeverityNames) {
  const Parsed parsed = Parse(
      "CEF:1|Sophos|UTM|9|2|Blocked|High|rt=1704164645123 sourceAddress=2001:db8::5 "
      "destinationAddress=2001:db8::9 destinationPort=443 transportProtocol=6 "
      "destinationHostName=Portal.Example.ORG deviceAction=drop cs3Label=URL "
      "cs3=http://x.example/a "
      "cs4Label=Host cs4=ignored.example");
  ASSERT_EQ(parsed.events.size(), 1U);
  const Event& e = parsed.events[0];
  EXPECT_EQ(e.severity, 8);
  EXPECT_EQ(e.src, Ip("2001:db8::5"));
  EXPECT_EQ(e.dst_port, 443);
  EXPECT_EQ(e.proto, Proto::kTcp);
  EXPECT_EQ(e.action, "drop");
  EXPECT_EQ(e.name, "x.example") << "the URL's host wins over dhost and cs4";
  EXPECT_EQ(e.uri, "/a");
}

TEST(SyslogTest, SkipsNonCefAndCountsMalformed) {
  constexpr RecordCase kCases[] = {
      {"<13>Jan  9 10:00:00 host sshd[1]: Accepted password for root", ""},
      {"<165>1 2024-01-02T03:04:05Z host app - ID47 - just text", ""},
      {"<13>1 2024-01-02T03:04:05Z host app - ID47", ""},
      {"<999>Jan  9 10:00:00 host CEF:0|V|P|1|1|n|5|src=10.0.0.1", "bad_syslog"},
      {"<13 Jan  9 10:00:00 host CEF:0|V|P|1|1|n|5|src=10.0.0.1", "bad_syslog"},
      {"<13>1 2024-01-02T03:04:05Z host app - ID47 [unterminated CEF:0|V|P|1|1|n|5|", "bad_syslog"},
      {"<13>1 2024-01-02T03:04:05Z", "bad_syslog"},
      {"<13>1 2024-99-02T03:04:05Z host app - - - CEF:0|V|P|1|1|n|5|", "bad_ts"},
      {"<13>Jan 32 10:00:00 host CEF:0|V|P|1|1|n|5|", "bad_ts"},
      {"<13>Jan  9 10:00:00 host CEF:0|V|P|1|1|n", "bad_cef"},
      {"<13>Jan  9 10:00:00 host CEF:x|V|P|1|1|n|5|", "bad_cef"},
      {"<13>Jan  9 10:00:00 host CEF:0|V|P|1|1|n|5|rt=yesterday", "bad_ts"},
      {"CEF:0|V|P|1|1|n|5|src=10.0.0.1", "bad_ts"},
      {"<13>Jan  9 10:00:00 host CEF:0|V|P|1|1|n|5|src=10.0.0.300", "bad_ip"},
      {"<13>Jan  9 10:00:00 host CEF:0|V|P|1|1|n|5|src=10.0.0.3 dpt=http", "bad_port"},
      {"<13>Jan  9 10:00:00 host CEF:0|V|P|1|1|n|5|in=lots", "bad_number"},
  };
  const Parsed parsed =
      ExpectCases("", kCases, {.format = LogFormat::kSyslog, .clock = &TestClock()});
  EXPECT_TRUE(parsed.events.empty());
}

// ---- Files and folders. ----

class ParseLogPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hoshi_logs_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
    fs::create_directories(dir_ / ".hidden");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const fs::path& relative, std::string_view content) {
    std::ofstream out(dir_ / relative, std::ios::binary);
    out << content;
  }
  fs::path dir_;
};

TEST_F(ParseLogPathsTest, WalksFoldersInOrderAndCountsUnreadableFiles) {
  const std::string conn = std::string(kConnHeader) + std::string(kConnRow);
  Write("b_conn.log", conn);
  Write("sub/a_conn.log.gz", Gzip(conn + std::string(kConnRow)));
  Write("notes.txt", "not a log, not read");
  Write(".hidden/conn.log", conn);
  Write("sub/mystery.json", "{\"name\": \"not telemetry\"}\n");
  Write("eve.json", R"({"timestamp":"2024-01-02T03:04:05+0000","event_type":"stats"})");
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  std::size_t events = 0;
  const auto stats = ParseLogPaths(
      {dir_}, {}, [&](const Event&) { ++events; },
      [&](std::size_t done, std::size_t total) { progress.emplace_back(done, total); });
  ASSERT_TRUE(stats.ok()) << stats.error().ToString(Lang::kEn);
  EXPECT_EQ(events, 3U);
  EXPECT_EQ(stats->events, 3U);
  EXPECT_EQ(stats->skipped, 1U);
  EXPECT_EQ(stats->malformed, (std::map<std::string, std::size_t>{{"unknown_format", 1}}));
  ASSERT_EQ(stats->samples.size(), 1U);
  EXPECT_EQ(fs::path(stats->samples[0].source).filename(), "mystery.json");
  const std::vector<std::pair<std::size_t, std::size_t>> expected{{1, 4}, {2, 4}, {3, 4}, {4, 4}};
  EXPECT_EQ(progress, expected);
}

TEST_F(ParseLogPathsTest, ReadsANamedFileWhateverItsName) {
  Write("conn.txt", std::string(kConnHeader) + std::string(kConnRow));
  const auto stats = ParseLogPaths({dir_ / "conn.txt"}, {}, {});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->events, 1U);
}

TEST_F(ParseLogPathsTest, AMissingPathIsAnError) {
  const auto stats = ParseLogPaths({dir_ / "nope.log"}, {}, {});
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(stats.error().reason(), "defense.log_missing");
  const auto file = ParseLogFile(dir_ / "nope.log", {}, {});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kNotFound);
  const auto folder = ParseLogFile(dir_, {}, {});
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().reason(), "defense.log_open");
}

// ---- Real data: the Zeek logs in the shared data folder. ----

fs::path ZeekDir() {
  return fs::path(HOSHI_SHARED_DIR) / "data/telemetry/zeek";
}

/// Malformed records in the real data that we have looked at and accept.
struct Explained {
  std::string_view file;  // relative to ZeekDir()
  std::string_view reason;
  std::size_t count;
  std::string_view why;
};
constexpr Explained kExplained[] = {
    {"rita-json-samples/has_unknown_field_http.log", "field_count", 1,
     "RITA's test log for an unknown column: its header lists i_dont_exist, but its first "
     "record (line 9) was written without that column (29 fields for 30)"},
};

/// An order-sensitive digest of everything an event holds (FNV-1a, 64 bits).
struct Digest {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  std::size_t count = 0;

  void Bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      hash = (hash ^ p[i]) * 0x100000001b3ULL;
    }
  }
  template <typename T>
  void Value(const T& value) {
    Bytes(&value, sizeof value);
  }
  void Text(const std::string& text) {
    Value(text.size());
    Bytes(text.data(), text.size());
  }
  void Add(const Event& e) {
    ++count;
    Value(e.ts_us);
    Value(e.kind);
    Value(e.proto);
    Value(e.src.bytes);
    Value(e.dst.bytes);
    Value(e.src_port);
    Value(e.dst_port);
    Value(e.duration_s);
    Value(e.orig_bytes);
    Value(e.resp_bytes);
    Value(e.orig_ip_bytes);
    Value(e.orig_pkts);
    Value(e.resp_pkts);
    Value(e.severity);
    for (const std::string* text :
         {&e.name, &e.uri, &e.user_agent, &e.signature, &e.action, &e.uid}) {
      Text(*text);
    }
  }
};

struct FileResult {
  ParseStats stats;
  Digest digest;
  std::set<std::string> names;
  std::size_t unnamed = 0;
  std::uint64_t ts_sum = 0;  // modulo 2^64
  std::int64_t ts_min = INT64_MAX;
  std::int64_t ts_max = INT64_MIN;
};

/// Every file under ZeekDir(), parsed once for all the real-data tests.
const std::map<std::string, FileResult>& RealData() {
  static const std::map<std::string, FileResult> results = [] {
    std::map<std::string, FileResult> out;
    for (const auto& entry : fs::recursive_directory_iterator(ZeekDir())) {
      if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".") ||
          entry.path().extension() == ".md") {
        continue;
      }
      FileResult& result = out[fs::relative(entry.path(), ZeekDir()).generic_string()];
      auto stats = ParseLogFile(entry.path(), {}, [&](const Event& e) {
        result.digest.Add(e);
        if (e.name.empty()) {
          ++result.unnamed;
        }
        result.names.insert(e.name);
        result.ts_sum += static_cast<std::uint64_t>(e.ts_us);
        result.ts_min = std::min(result.ts_min, e.ts_us);
        result.ts_max = std::max(result.ts_max, e.ts_us);
      });
      EXPECT_TRUE(stats.ok()) << entry.path() << ": "
                              << (stats ? "" : stats.error().ToString(Lang::kEn));
      if (stats) {
        result.stats = *stats;
      }
    }
    return out;
  }();
  return results;
}

#define HOSHI_REQUIRE_ZEEK_DATA()                                                          \
  do {                                                                                     \
    if (!fs::is_directory(ZeekDir())) {                                                    \
      GTEST_SKIP() << "shared Zeek logs not found at " << ZeekDir()                        \
                   << " (HOSHI_SHARED_DIR/data/telemetry/zeek); real-data checks skipped"; \
    }                                                                                      \
  } while (false)

TEST(ZeekRealDataTest, EveryLogParsesWithNoUnexplainedErrors) {
  HOSHI_REQUIRE_ZEEK_DATA();
  const auto& results = RealData();
  ASSERT_GE(results.size(), 60U) << "wrccdc-2018 TSV and JSON (32 each) and the RITA samples";
  for (const auto& [file, result] : results) {
    SCOPED_TRACE(file);
    const ParseStats& stats = result.stats;
    std::map<std::string, std::size_t> expected;
    for (const Explained& e : kExplained) {
      if (e.file == file) {
        expected[std::string(e.reason)] = e.count;
      }
    }
    EXPECT_EQ(stats.malformed, expected);
    if (stats.malformed != expected) {
      for (const ParseStats::Sample& sample : stats.samples) {
        ADD_FAILURE() << "line " << sample.line << ", " << sample.reason << ": " << sample.text;
      }
    }
    EXPECT_GT(stats.lines, 0U);
    EXPECT_EQ(stats.lines, stats.events + stats.skipped + stats.MalformedTotal());
    // Log types we do not use are skipped whole; the four we use give one event per record.
    const std::string name = fs::path(file).filename().string();
    const bool used = name.starts_with("dns.") || name.starts_with("ssl.") ||
                      name.starts_with("conn.") || name.starts_with("http.") ||
                      file.starts_with("rita-json-samples/");
    EXPECT_EQ(stats.events, used ? stats.lines - stats.MalformedTotal() : 0U);
  }
}

TEST(ZeekRealDataTest, RowCountsMatchTheSource) {
  HOSHI_REQUIRE_ZEEK_DATA();
  const auto& results = RealData();
  // Counted independently (zcat | grep -vc '^#', and python json.loads per line).
  const std::map<std::string, std::size_t> expected{
      {"wrccdc-2018-default/dns.log.gz", 53615},
      {"wrccdc-2018-json/dns.json.gz", 53615},
      {"wrccdc-2018-default/ssl.log.gz", 49474},
      {"wrccdc-2018-json/ssl.json.gz", 49474},
      {"rita-json-samples/json_with_all_fields_conn.log", 29},
      {"rita-json-samples/json_with_all_fields_dns.log", 34},
      {"rita-json-samples/json_with_all_fields_http.log", 10},
      {"rita-json-samples/json_with_all_fields_open_conn.log", 59},
      {"rita-json-samples/json_with_all_fields_ssl.log", 10},
      {"rita-json-samples/has_unknown_field_http.log", 4},
  };
  for (const auto& [file, count] : expected) {
    ASSERT_TRUE(results.contains(file)) << file;
    EXPECT_EQ(results.at(file).stats.events, count) << file;
  }
  // Whole-file figures computed with python from the TSV text (ts read exactly).
  const FileResult& dns = results.at("wrccdc-2018-default/dns.log.gz");
  EXPECT_EQ(dns.ts_sum, 7810354549969837548ULL);
  EXPECT_EQ(dns.ts_min, 1521911720865716);
  EXPECT_EQ(dns.ts_max, 1521912990151237);
  EXPECT_EQ(dns.names.size(), 1650U);
  EXPECT_EQ(dns.unnamed, 14U);
  const FileResult& ssl = results.at("wrccdc-2018-default/ssl.log.gz");
  EXPECT_EQ(ssl.ts_sum, 1508100009538399445ULL);
  EXPECT_EQ(ssl.ts_min, 1521911720615923);
  EXPECT_EQ(ssl.ts_max, 1521912990064308);
  EXPECT_EQ(ssl.names.size(), 543U);
  EXPECT_EQ(ssl.unnamed, 34404U);
}

TEST(ZeekRealDataTest, TsvAndJsonGiveTheSameEvents) {
  HOSHI_REQUIRE_ZEEK_DATA();
  const auto& results = RealData();
  for (const std::string_view log : {"dns", "ssl"}) {
    const std::string tsv = "wrccdc-2018-default/" + std::string(log) + ".log.gz";
    const std::string json = "wrccdc-2018-json/" + std::string(log) + ".json.gz";
    ASSERT_TRUE(results.contains(tsv) && results.contains(json)) << log;
    EXPECT_EQ(results.at(tsv).digest.count, results.at(json).digest.count) << log;
    EXPECT_EQ(results.at(tsv).digest.hash, results.at(json).digest.hash) << log;
  }
}

TEST(ZeekRealDataTest, ABatchOverTheFolderAddsUp) {
  HOSHI_REQUIRE_ZEEK_DATA();
  ParseStats sum;
  for (const auto& [file, result] : RealData()) {
    sum.Merge(result.stats);
  }
  // Parse the (small) RITA folder again as a batch and compare with the per-file figures.
  std::size_t events = 0;
  const auto batch =
      ParseLogPaths({ZeekDir() / "rita-json-samples"}, {}, [&](const Event&) { ++events; });
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->events, events);
  EXPECT_EQ(batch->events, 146U);
  EXPECT_EQ(batch->MalformedTotal(), 1U);
  EXPECT_EQ(sum.MalformedTotal(), std::size(kExplained));
}

}  // namespace
}  // namespace hoshi::defense
