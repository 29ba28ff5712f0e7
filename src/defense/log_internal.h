// SPDX-License-Identifier: Apache-2.0
// Internal: what the telemetry log parsers share (log_reader.cc, zeek.cc, suricata.cc,
// syslog.cc). Not installed; only this module's sources include it.
//
// log_reader.cc turns a stream (plain or gzip) into lines and hands each non-empty line to one
// LineParser per input, chosen from the first line. A parser reports each record to the
// RecordContext exactly once (Emit, Skip or Malformed), so that
// lines == events + skipped + malformed records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hoshi/core/clock.h"
#include "hoshi/defense/event.h"
#include "hoshi/defense/logs.h"

namespace hoshi::defense::detail {

/// Every line handed to a parser has at least this many readable bytes after its end, so that
/// JSON lines are parsed in place (simdjson's SIMDJSON_PADDING; checked in log_reader.cc).
inline constexpr std::size_t kLinePadding = 64;

/// Where a parser reports records: counts them, passes events on, samples malformed ones.
class RecordContext {
 public:
  RecordContext(std::string_view source, ParseStats& stats, const EventSink& sink)
      : source_(source), stats_(stats), sink_(sink) {}

  /// The line about to be parsed (1-based number), for samples.
  void SetLine(std::size_t number, std::string_view text) {
    line_number_ = number;
    line_ = text;
  }
  void Emit(const Event& event) {
    ++stats_.lines;
    ++stats_.events;
    if (sink_) {
      sink_(event);
    }
  }
  /// Emit(event) when `reason` is empty, else Malformed(reason): the end of every record parse.
  void EmitOrMalformed(std::string_view reason, const Event& event) {
    if (reason.empty()) {
      Emit(event);
    } else {
      Malformed(reason);
    }
  }
  void Skip() {
    ++stats_.lines;
    ++stats_.skipped;
  }
  void Malformed(std::string_view reason) {
    ++stats_.lines;
    stats_.AddMalformed(reason, source_, line_number_, line_);
  }
  /// A problem of the input rather than of one record (a header line, a cut gzip stream):
  /// counted as malformed without counting a record.
  void InputProblem(std::string_view reason, std::string_view text) {
    stats_.AddMalformed(reason, source_, line_number_, text);
  }
  [[nodiscard]] std::string_view source() const { return source_; }

 private:
  std::string_view source_;
  ParseStats& stats_;
  const EventSink& sink_;
  std::size_t line_number_ = 0;
  std::string_view line_;
};

/// One format's record parser. It keeps state across lines (a Zeek TSV header, a JSON parser).
class LineParser {
 public:
  virtual ~LineParser() = default;
  /// `line` is not empty and has no line break.
  virtual void Parse(std::string_view line, RecordContext& context) = 0;
};

/// `source_name` gives the Zeek log type when the log does not (see ParseLog).
[[nodiscard]] std::unique_ptr<LineParser> MakeZeekTsvParser(std::string_view source_name);
[[nodiscard]] std::unique_ptr<LineParser> MakeZeekJsonParser(std::string_view source_name);
[[nodiscard]] std::unique_ptr<LineParser> MakeSuricataParser();
[[nodiscard]] std::unique_ptr<LineParser> MakeSyslogParser(const Clock& clock);

// ---- Field readers shared by the parsers (log_reader.cc). nullopt: not a valid value. ----

/// Decimal epoch seconds, exact from the text: "1521912990.123456" → 1521912990123456. Digits
/// past the sixth decimal are dropped (truncation, never rounding).
[[nodiscard]] std::optional<std::int64_t> ParseEpochMicros(std::string_view text);
/// ISO 8601 / RFC 3339: "2024-01-02T03:04:05.123456+0000", "…Z", "…+09:00", a space instead of
/// the "T"; no zone means UTC.
[[nodiscard]] std::optional<std::int64_t> ParseIsoMicros(std::string_view text);
/// Either of the above. An integer of 13 or more digits is epoch milliseconds (Zeek's
/// JSON::TS_MILLIS), as no epoch second count will have 13 digits before the year 33658.
[[nodiscard]] std::optional<std::int64_t> ParseTimeMicros(std::string_view text);
/// Microseconds at a UTC calendar time; nullopt for an impossible date or time.
[[nodiscard]] std::optional<std::int64_t> CivilMicros(int year, int month, int day, int hour,
                                                      int minute, int second);
/// 1..12 from "Jan".."Dec" (case-insensitive); 0 otherwise.
[[nodiscard]] int MonthFromName(std::string_view name);
[[nodiscard]] std::optional<std::uint64_t> ParseCount(std::string_view text);
[[nodiscard]] std::optional<std::uint16_t> ParsePort(std::string_view text);
/// A non-negative decimal number of seconds ("108.985496").
[[nodiscard]] std::optional<double> ParseSeconds(std::string_view text);
/// "tcp", "UDP", "icmp", "ipv6-icmp", "icmp6", or an IANA number ("6", "017"); kUnknown otherwise.
[[nodiscard]] Proto ParseProto(std::string_view text);
/// A packet count as stored in Event (saturating).
[[nodiscard]] std::uint32_t ClampCount(std::uint64_t count);

/// The texts every flow-like record has; nullopt when absent.
struct FlowTexts {
  std::optional<std::string_view> ts;  ///< ParseTimeMicros
  std::optional<std::string_view> src;
  std::optional<std::string_view> dst;
  std::optional<std::string_view> src_port;
  std::optional<std::string_view> dst_port;
  std::optional<std::string_view> proto;
  /// The time and both addresses must be there (Zeek, EVE). CEF: false, and the time is read by
  /// the caller.
  bool required = true;
};
/// Reads them into `event`. Returns the malformed reason ("bad_ts", "bad_ip", "bad_port"), or ""
/// when all are good. A text that is present must be valid; an unknown protocol name is
/// kUnknown, not an error.
[[nodiscard]] std::string_view ReadFlowTexts(const FlowTexts& texts, Event& event);
/// A count to read, and where to put it.
struct CountText {
  std::optional<std::string_view> text;
  std::uint64_t* out;
};
/// Reads the counts that are present. Returns "bad_number" when one is not a count, else "".
[[nodiscard]] std::string_view ReadCounts(std::initializer_list<CountText> counts);
/// Host name as stored in Event::name: lower case, no trailing dot, no ":port", no brackets
/// around an IPv6 literal.
[[nodiscard]] std::string NormaliseHost(std::string_view host);

/// One scalar the JSON reader picks up: its flattened key ("id.orig_h", "alert.signature";
/// through an array, its first element: "dns.queries.rrname") and the slot it fills.
struct JsonField {
  std::string_view key;
  std::size_t slot;
};

/// A field whose value decides that the rest of the record is not worth reading (Zeek "_path",
/// EVE "event_type" of a kind we skip).
struct JsonStop {
  std::size_t slot;
  bool (*wanted)(std::string_view value);
};

/// Reads one JSON object per line with simdjson On Demand, reusing one parser. Only the listed
/// fields are materialised; other values are skipped (their grammar is not checked, but stage 1
/// still checks UTF-8, strings and brackets over the whole line).
class JsonLineReader {
 public:
  /// `fields` must outlive the reader.
  explicit JsonLineReader(std::span<const JsonField> fields, std::optional<JsonStop> stop = {});
  ~JsonLineReader();
  JsonLineReader(const JsonLineReader&) = delete;
  JsonLineReader& operator=(const JsonLineReader&) = delete;

  /// Fills `slots` (one per slot number; cleared first) with the text of each listed field: a
  /// string's unescaped content or a number's or boolean's token; null is left empty. The texts
  /// are valid until the next call. true: the caller turns the slots into an event. Otherwise
  /// the record has been reported to `context`: as malformed "json" when the line is not one
  /// well-formed JSON object, as skipped as soon as the stop field has a value that is not
  /// wanted (the rest of the line is not read).
  [[nodiscard]] bool Read(std::string_view line, std::span<std::optional<std::string_view>> slots,
                          RecordContext& context);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoshi::defense::detail
