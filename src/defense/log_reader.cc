// SPDX-License-Identifier: Apache-2.0
// Reading telemetry logs: lines from plain or gzip streams, format detection, dispatch to the
// format parsers, batches of files and folders; plus the field readers and the JSON line reader
// that the parsers share (log_internal.h).
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <istream>
#include <limits>
#include <system_error>
#include <utility>

#include <simdjson.h>

#include "hoshi/defense/logs.h"

#include "log_internal.h"
#include "messages_parts.h"

namespace hoshi::defense {
namespace {

namespace fs = std::filesystem;
namespace od = simdjson::ondemand;
using detail::kLinePadding;
using detail::MonthFromName;

static_assert(simdjson::SIMDJSON_PADDING <= kLinePadding);

constexpr std::array kMessages{
    MessageEntry{"defense.log_missing", "ログ「{0}」が見つかりません。",
                 "The log '{0}' does not exist."},
    MessageEntry{"defense.log_open", "ログ「{0}」を開けません。", "Cannot open the log '{0}'."},
    MessageEntry{"defense.log_read", "ログ「{0}」の読み込み中にエラーが発生しました。",
                 "Reading the log '{0}' failed."},
    MessageEntry{"defense.log_list", "フォルダ「{0}」のファイル一覧を取得できません。",
                 "Cannot list the files in the folder '{0}'."},
    MessageEntry{"defense.log_format",
                 "ログ「{0}」の形式を判別できません（Zeek TSV/JSON、Suricata EVE、syslog "
                 "のいずれでもありません）。",
                 "Cannot tell the format of the log '{0}' (not Zeek TSV/JSON, Suricata EVE or "
                 "syslog)."},
};

constexpr std::size_t kChunkBytes = std::size_t{256} << 10U;
/// A longer line is counted as malformed ("line_too_long") and skipped, so that a file without
/// line breaks cannot take unbounded memory. EVE alerts with payloads stay well below this.
constexpr std::size_t kMaxLineBytes = 8 << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

char ToLower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLower(x) == ToLower(y);
         });
}

// "Mmm dd hh:mm:ss" (the day may be space-padded): the RFC 3164 time.
bool IsRfc3164Time(std::string_view text) {
  if (text.size() < 15 || MonthFromName(text.substr(0, 3)) == 0 || text[3] != ' ') {
    return false;
  }
  const std::string_view rest = text.substr(4, 11);
  constexpr std::string_view kShape = "dd dd:dd:dd";
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool ok =
        kShape[i] == 'd' ? IsDigit(rest[i]) || (i == 0 && rest[i] == ' ') : rest[i] == kShape[i];
    if (!ok) {
      return false;
    }
  }
  return true;
}

// ---- Lines from a plain or gzip stream. ----

/// Splits a stream into lines. Each line returned has kLinePadding readable bytes after it.
/// A gzip stream (magic 1f 8b) is inflated on the fly, member after member; data after the last
/// member that is not another member is ignored, as gzip(1) does.
class LineReader {
 public:
  struct Line {
    std::string_view text;  // without "\n" / "\r\n"; for a too-long line, its start
    std::size_t number = 0;
    bool too_long = false;
  };

  explicit LineReader(std::istream& in) : in_(in), raw_(kChunkBytes) {}
  ~LineReader() {
    if (inflating_) {
      inflateEnd(&zs_);
    }
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line; nullopt at the end of what can be read.
  std::optional<Line> Next();
  /// Empty, or "gzip_truncated" / "gzip_corrupt" once Next() has returned nullopt.
  [[nodiscard]] std::string_view problem() const { return problem_; }
  /// The start of the unterminated text dropped with a cut gzip stream.
  [[nodiscard]] std::string_view dropped() const { return dropped_; }
  [[nodiscard]] bool read_error() const { return read_error_; }

 private:
  enum class Mode { kUnknown, kPlain, kGzip };

  /// Appends decoded bytes after end_; false when there are no more.
  bool Fill();
  bool ReadRaw();
  bool Inflate(std::size_t room);
  std::optional<Line> TakeLine(std::size_t newline);

  std::istream& in_;
  std::vector<char> raw_;
  std::size_t raw_begin_ = 0;
  std::size_t raw_end_ = 0;
  bool raw_eof_ = false;
  std::string buf_;  // decoded bytes [begin_, end_), then at least kLinePadding spare bytes
  std::size_t begin_ = 0;
  std::size_t scanned_ = 0;  // [begin_, scanned_) holds no '\n'
  std::size_t end_ = 0;
  bool done_ = false;
  bool discarding_ = false;  // inside a too-long line, dropping bytes up to its '\n'
  std::size_t line_number_ = 0;
  Mode mode_ = Mode::kUnknown;
  z_stream zs_{};
  bool inflating_ = false;
  bool gzip_finished_ = false;  // the last member has ended
  std::string_view problem_;
  std::string dropped_;
  bool read_error_ = false;
};

std::optional<LineReader::Line> LineReader::TakeLine(std::size_t newline) {
  std::string_view text(buf_.data() + begin_, newline - begin_);
  begin_ = newline + 1;
  scanned_ = begin_;
  if (discarding_) {
    discarding_ = false;
    return std::nullopt;
  }
  ++line_number_;
  if (!text.empty() && text.back() == '\r') {
    text.remove_suffix(1);
  }
  if (line_number_ == 1 && text.starts_with(kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
  }
  return Line{text, line_number_, false};
}

std::optional<LineReader::Line> LineReader::Next() {
  for (;;) {
    const char* base = buf_.data();
    const void* found =
        scanned_ < end_ ? std::memchr(base + scanned_, '\n', end_ - scanned_) : nullptr;
    if (found != nullptr) {
      const auto newline = static_cast<std::size_t>(static_cast<const char*>(found) - base);
      if (auto line = TakeLine(newline)) {
        return line;
      }
      continue;
    }
    scanned_ = end_;
    if (discarding_) {
      begin_ = end_;
    } else if (end_ - begin_ >= kMaxLineBytes) {
      const std::string_view start(base + begin_, ParseStats::kMaxSampleBytes);
      begin_ = scanned_ = end_;  // the bytes stay in place until the next Fill()
      discarding_ = true;
      return Line{start, ++line_number_, true};
    }
    if (!done_ && Fill()) {
      continue;
    }
    done_ = true;
    if (begin_ == end_ || discarding_) {
      return std::nullopt;
    }
    if (!problem_.empty()) {
      // The text after the last line break of a cut stream is a cut record: drop it.
      dropped_.assign(buf_, begin_, std::min(end_ - begin_, ParseStats::kMaxSampleBytes));
      begin_ = scanned_ = end_;
      return std::nullopt;
    }
    buf_[end_] = '\n';  // the padding after end_ holds it
    return TakeLine(end_++);
  }
}

bool LineReader::ReadRaw() {
  if (raw_begin_ > 0) {
    std::copy(raw_.begin() + static_cast<std::ptrdiff_t>(raw_begin_),
              raw_.begin() + static_cast<std::ptrdiff_t>(raw_end_), raw_.begin());
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  if (raw_eof_ || raw_end_ == raw_.size()) {
    return false;
  }
  in_.read(raw_.data() + raw_end_, static_cast<std::streamsize>(raw_.size() - raw_end_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  raw_end_ += got;
  if (in_.bad()) {
    read_error_ = true;
  }
  if (!in_) {
    raw_eof_ = true;
  }
  return got > 0;
}

bool LineReader::Inflate(std::size_t room) {
  for (;;) {
    if (raw_begin_ == raw_end_ && !ReadRaw()) {
      problem_ = read_error_ ? std::string_view{} : "gzip_truncated";
      return false;
    }
    zs_.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_begin_);
    zs_.avail_in = static_cast<uInt>(raw_end_ - raw_begin_);
    zs_.next_out = reinterpret_cast<Bytef*>(buf_.data() + end_);
    zs_.avail_out = static_cast<uInt>(room);
    const int status = inflate(&zs_, Z_NO_FLUSH);
    raw_begin_ = raw_end_ - zs_.avail_in;
    const std::size_t produced = room - zs_.avail_out;
    end_ += produced;
    if (status == Z_STREAM_END) {
      // Another member follows only if it starts with the magic bytes.
      if (raw_end_ - raw_begin_ < 2) {
        ReadRaw();
      }
      const bool next_member =
          IsGzip(std::string_view(raw_.data() + raw_begin_, raw_end_ - raw_begin_));
      if (!next_member) {
        gzip_finished_ = true;
        return produced > 0;
      }
      inflateReset(&zs_);
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      problem_ = "gzip_corrupt";
      return produced > 0;
    }
    if (produced > 0) {
      return true;
    }
  }
}

bool LineReader::Fill() {
  if (begin_ > 0) {
    std::copy(buf_.begin() + static_cast<std::ptrdiff_t>(begin_),
              buf_.begin() + static_cast<std::ptrdiff_t>(end_), buf_.begin());
    end_ -= begin_;
    scanned_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() < end_ + kChunkBytes + kLinePadding) {
    buf_.resize(end_ + kChunkBytes + kLinePadding);
  }
  if (mode_ == Mode::kUnknown) {
    while (raw_end_ < 2 && ReadRaw()) {
    }
    const bool gzip = IsGzip(std::string_view(raw_.data(), raw_end_));
    mode_ = gzip ? Mode::kGzip : Mode::kPlain;
    if (gzip) {
      inflating_ = inflateInit2(&zs_, 15 + 16) == Z_OK;  // 16: gzip wrapper only
      if (!inflating_) {
        problem_ = "gzip_corrupt";
        return false;
      }
    }
  }
  if (mode_ == Mode::kGzip) {
    return problem_.empty() && !gzip_finished_ && Inflate(kChunkBytes);
  }
  if (raw_begin_ == raw_end_ && !ReadRaw()) {
    return false;
  }
  const std::size_t take = raw_end_ - raw_begin_;
  std::copy(raw_.begin() + static_cast<std::ptrdiff_t>(raw_begin_),
            raw_.begin() + static_cast<std::ptrdiff_t>(raw_end_),
            buf_.begin() + static_cast<std::ptrdiff_t>(end_));
  end_ += take;
  raw_begin_ = raw_end_;
  return take > 0;
}

// ---- Dispatch. ----

std::unique_ptr<detail::LineParser> MakeParser(LogFormat format, std::string_view source_name,
                                               const ParseOptions& options) {
  switch (format) {
    case LogFormat::kZeekTsv:
      return detail::MakeZeekTsvParser(source_name);
    case LogFormat::kZeekJson:
      return detail::MakeZeekJsonParser(source_name);
    case LogFormat::kSuricataEve:
      return detail::MakeSuricataParser();
    case LogFormat::kSyslog:
    case LogFormat::kAuto:
      break;
  }
  return detail::MakeSyslogParser(options.clock != nullptr ? *options.clock
                                                           : SystemClock::Instance());
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Adds the log-like files under `folder`, sorted, to `files`.
Status ListFolder(const fs::path& folder, std::vector<fs::path>& files) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name.front() == '.' && it->is_directory(ec)) {
      it.disable_recursion_pending();  // hidden folders (.git, …)
      continue;
    }
    if (it->is_regular_file(ec) && IsLogFileName(name)) {
      found.push_back(it->path());
    }
  }
  if (ec) {
    return MakeError(ErrorCode::kIoError, LogMessages(), "defense.log_list", folder.string())
        .WithDetail(ec.message());
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return Status::Ok();
}

}  // namespace

std::span<const MessageEntry> LogMessages() {
  return kMessages;
}

std::string_view LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::kAuto:
      return "auto";
    case LogFormat::kZeekTsv:
      return "zeek-tsv";
    case LogFormat::kZeekJson:
      return "zeek-json";
    case LogFormat::kSuricataEve:
      return "suricata-eve";
    case LogFormat::kSyslog:
      return "syslog";
  }
  return "unknown";
}

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Status CheckLogStart(std::string_view log, std::string_view source_name) {
  if (IsGzip(log)) {
    return Status::Ok();
  }
  while (!log.empty()) {
    const auto nl = log.find('\n');
    std::string_view line = log.substr(0, nl);
    log = nl == std::string_view::npos ? std::string_view() : log.substr(nl + 1);
    while (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (IsBlank(line)) {
      continue;
    }
    if (!DetectLogFormat(line)) {
      return MakeError(ErrorCode::kDataError, LogMessages(), "defense.log_format", source_name);
    }
    return Status::Ok();
  }
  return Status::Ok();
}

std::optional<LogFormat> DetectLogFormat(std::string_view line) {
  if (line.starts_with(kUtf8Bom)) {
    line.remove_prefix(kUtf8Bom.size());
  }
  line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
  if (line.starts_with("#separator") || line.starts_with("#fields")) {
    return LogFormat::kZeekTsv;
  }
  if (line.starts_with("{")) {
    if (Contains(line, "\"event_type\"")) {
      return LogFormat::kSuricataEve;
    }
    if (Contains(line, "\"_path\"") || Contains(line, "\"ts\"")) {
      return LogFormat::kZeekJson;
    }
    return std::nullopt;
  }
  if (line.size() >= 3 && line[0] == '<') {
    const std::size_t close = line.find('>');
    if (close >= 2 && close <= 4 &&
        std::all_of(line.begin() + 1, line.begin() + static_cast<std::ptrdiff_t>(close), IsDigit)) {
      return LogFormat::kSyslog;
    }
  }
  // Syslog as a daemon writes it to a file: no <PRI>, an RFC 3164 or RFC 3339 time first.
  if (line.starts_with("CEF:") || IsRfc3164Time(line) ||
      detail::ParseIsoMicros(line.substr(0, line.find(' '))).has_value()) {
    return LogFormat::kSyslog;
  }
  return std::nullopt;
}

bool IsLogFileName(std::string_view file_name) {
  if (file_name.empty() || file_name.front() == '.') {
    return false;
  }
  std::string name(file_name);
  std::transform(name.begin(), name.end(), name.begin(), ToLower);
  std::string_view stem = name;
  if (stem.ends_with(".gz")) {
    stem.remove_suffix(3);
  }
  constexpr std::array kExtensions = {".log", ".json", ".jsonl", ".ndjson",
                                      ".eve", ".cef",  ".syslog"};
  return std::any_of(kExtensions.begin(), kExtensions.end(),
                     [&](std::string_view ext) { return stem.ends_with(ext); });
}

Result<ParseStats> ParseLog(std::istream& in, std::string_view source_name,
                            const ParseOptions& options, const EventSink& sink) {
  ParseStats stats;
  detail::RecordContext context(source_name, stats, sink);
  LineReader reader(in);
  std::unique_ptr<detail::LineParser> parser;
  while (const auto line = reader.Next()) {
    context.SetLine(line->number, line->text);
    if (line->too_long) {
      context.Malformed("line_too_long");
      continue;
    }
    if (IsBlank(line->text)) {
      continue;
    }
    if (!parser) {
      const std::optional<LogFormat> format =
          options.format == LogFormat::kAuto ? DetectLogFormat(line->text) : options.format;
      if (!format) {
        return MakeError(ErrorCode::kDataError, LogMessages(), "defense.log_format", source_name)
            .WithLocation(SourceLocation{std::string(source_name), static_cast<int>(line->number)})
            .WithDetail(std::string(line->text.substr(0, ParseStats::kMaxSampleBytes)));
      }
      parser = MakeParser(*format, source_name, options);
    }
    parser->Parse(line->text, context);
  }
  if (reader.read_error()) {
    return MakeError(ErrorCode::kIoError, LogMessages(), "defense.log_read", source_name);
  }
  if (!reader.problem().empty()) {
    context.InputProblem(reader.problem(), reader.dropped());
  }
  return stats;
}

Result<ParseStats> ParseLogFile(const fs::path& path, const ParseOptions& options,
                                const EventSink& sink) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, LogMessages(), "defense.log_missing", path.string());
  }
  std::ifstream in;
  if (!fs::is_directory(path, ec)) {
    in.open(path, std::ios::binary);
  }
  if (!in.is_open()) {
    return MakeError(ErrorCode::kIoError, LogMessages(), "defense.log_open", path.string())
        .WithDetail(std::error_code(errno, std::generic_category()).message());
  }
  return ParseLog(in, path.string(), options, sink);
}

Result<ParseStats> ParseLogPaths(const std::vector<fs::path>& paths, const ParseOptions& options,
                                 const EventSink& sink, const ProgressFn& progress) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      HOSHI_RETURN_IF_ERROR(ListFolder(path, files));
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return MakeError(ErrorCode::kNotFound, LogMessages(), "defense.log_missing", path.string());
    }
  }
  ParseStats total;
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto stats = ParseLogFile(files[i], options, sink);
    if (stats) {
      total.Merge(*stats);
    } else {
      const Error& error = stats.error();
      total.AddMalformed(error.reason() == "defense.log_format" ? "unknown_format" : "unreadable",
                         files[i].string(), 0, error.message(Lang::kEn));
    }
    if (progress) {
      progress(i + 1, files.size());
    }
  }
  return total;
}

// ---- Field readers (log_internal.h). ----
namespace detail {
namespace {

// Reads exactly `count` digits at `pos`, advancing it.
std::optional<int> ReadDigits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!IsDigit(c)) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

// Reads ".ddd…" at `pos` if there, as microseconds (truncated); 0 when absent; nullopt when
// the dot has no digits after it.
std::optional<std::int64_t> ReadFraction(std::string_view text, std::size_t& pos) {
  if (pos >= text.size() || (text[pos] != '.' && text[pos] != ',')) {
    return 0;
  }
  ++pos;
  const std::size_t start = pos;
  std::int64_t micros = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (pos - start < 6) {
      micros = micros * 10 + (text[pos] - '0');
    }
    ++pos;
  }
  if (pos == start) {
    return std::nullopt;
  }
  for (std::size_t n = pos - start; n < 6; ++n) {
    micros *= 10;
  }
  return micros;
}

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

}  // namespace

std::optional<std::int64_t> ParseEpochMicros(std::string_view text) {
  std::size_t pos = 0;
  std::int64_t seconds = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (pos >= 12) {
      return std::nullopt;  // past the year 33658
    }
    seconds = seconds * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == 0) {
    return std::nullopt;
  }
  const auto fraction = ReadFraction(text, pos);
  if (!fraction || pos != text.size()) {
    return std::nullopt;
  }
  return seconds * kMicrosPerSecond + *fraction;
}

std::optional<std::int64_t> CivilMicros(int year, int month, int day, int hour, int minute,
                                        int second) {
  constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > kDaysInMonth[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0) ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  // Days since 1970-01-01 (H. Hinnant's days_from_civil; years start in March).
  const int y = month <= 2 ? year - 1 : year;
  const int era = y / 400;
  const int year_of_era = y - era * 400;
  const int day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const std::int64_t days = std::int64_t{era} * 146097 + day_of_era - 719468;
  return ((days * 24 + hour) * 60 + minute) * 60 * kMicrosPerSecond +
         std::int64_t{second} * kMicrosPerSecond;
}

std::optional<std::int64_t> ParseIsoMicros(std::string_view text) {
  std::size_t pos = 0;
  const auto year = ReadDigits(text, pos, 4);
  if (!year || pos >= text.size() || text[pos++] != '-') {
    return std::nullopt;
  }
  const auto month = ReadDigits(text, pos, 2);
  if (!month || pos >= text.size() || text[pos++] != '-') {
    return std::nullopt;
  }
  const auto day = ReadDigits(text, pos, 2);
  if (!day || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  const auto hour = ReadDigits(text, pos, 2);
  if (!hour || pos >= text.size() || text[pos++] != ':') {
    return std::nullopt;
  }
  const auto minute = ReadDigits(text, pos, 2);
  if (!minute || pos >= text.size() || text[pos++] != ':') {
    return std::nullopt;
  }
  const auto second = ReadDigits(text, pos, 2);
  const auto fraction = second ? ReadFraction(text, pos) : std::nullopt;
  const auto base =
      fraction ? CivilMicros(*year, *month, *day, *hour, *minute, *second) : std::nullopt;
  if (!base) {
    return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos++] == '-' ? -1 : 1;
    const auto off_hours = ReadDigits(text, pos, 2);
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
    }
    const auto off_minutes = pos < text.size() ? ReadDigits(text, pos, 2) : std::optional<int>(0);
    if (!off_hours || !off_minutes || *off_hours > 23 || *off_minutes > 59) {
      return std::nullopt;
    }
    offset_minutes = std::int64_t{sign} * (std::int64_t{*off_hours} * 60 + *off_minutes);
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return *base + *fraction - offset_minutes * 60 * kMicrosPerSecond;
}

std::optional<std::int64_t> ParseTimeMicros(std::string_view text) {
  if (text.size() > 4 && text[4] == '-') {
    return ParseIsoMicros(text);
  }
  if (text.size() >= 13 && std::all_of(text.begin(), text.end(), IsDigit)) {
    const auto millis = ParseCount(text);
    if (!millis ||
        *millis > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1000)) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(*millis) * 1000;
  }
  return ParseEpochMicros(text);
}

int MonthFromName(std::string_view name) {
  constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoreCase(name, kMonths[i])) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::optional<std::uint64_t> ParseCount(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint16_t> ParsePort(std::string_view text) {
  const auto value = ParseCount(text);
  if (!value || *value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*value);
}

std::optional<double> ParseSeconds(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < 0 ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Proto ParseProto(std::string_view text) {
  struct Name {
    std::string_view name;
    Proto proto;
  };
  constexpr std::array kNames = {Name{"tcp", Proto::kTcp},       Name{"udp", Proto::kUdp},
                                 Name{"icmp", Proto::kIcmp},     Name{"icmp6", Proto::kIcmpV6},
                                 Name{"icmpv6", Proto::kIcmpV6}, Name{"ipv6-icmp", Proto::kIcmpV6}};
  for (const Name& n : kNames) {
    if (EqualsIgnoreCase(text, n.name)) {
      return n.proto;
    }
  }
  const auto number = ParseCount(text);
  return number && *number <= 255 ? static_cast<Proto>(*number) : Proto::kUnknown;
}

std::uint32_t ClampCount(std::uint64_t count) {
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(count, std::numeric_limits<std::uint32_t>::max()));
}

std::string_view ReadFlowTexts(const FlowTexts& texts, Event& event) {
  if (texts.ts || texts.required) {
    const auto ts_us = texts.ts ? ParseTimeMicros(*texts.ts) : std::nullopt;
    if (!ts_us) {
      return "bad_ts";
    }
    event.ts_us = *ts_us;
  }
  for (const auto& [text, ip] :
       {std::pair{texts.src, &event.src}, std::pair{texts.dst, &event.dst}}) {
    const auto value = text ? ParseIp(*text) : std::nullopt;
    if (value) {
      *ip = *value;
    } else if (text || texts.required) {
      return "bad_ip";
    }
  }
  for (const auto& [text, port] :
       {std::pair{texts.src_port, &event.src_port}, std::pair{texts.dst_port, &event.dst_port}}) {
    const auto value = text ? ParsePort(*text) : std::nullopt;
    if (value) {
      *port = *value;
    } else if (text) {
      return "bad_port";
    }
  }
  if (texts.proto) {
    event.proto = ParseProto(*texts.proto);
  }
  return "";
}

std::string_view ReadCounts(std::initializer_list<CountText> counts) {
  for (const CountText& count : counts) {
    if (count.text) {
      const auto value = ParseCount(*count.text);
      if (!value) {
        return "bad_number";
      }
      *count.out = *value;
    }
  }
  return "";
}

std::string NormaliseHost(std::string_view host) {
  host.remove_prefix(std::min(host.find_first_not_of(' '), host.size()));
  host = host.substr(0, host.find_last_not_of(' ') + 1);
  if (host.starts_with("[")) {
    host = host.substr(1, host.find(']') - 1);  // "[2001:db8::1]:443"
  } else if (const std::size_t colon = host.find(':');
             colon != std::string_view::npos &&
             host.find(':', colon + 1) == std::string_view::npos) {
    host = host.substr(0, colon);  // "example.com:8080"
  }
  while (!host.empty() && host.back() == '.') {
    host.remove_suffix(1);
  }
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(), ToLower);
  return out;
}

// ---- JSON lines. ----

struct JsonLineReader::Impl {
  /// Nested objects deeper than this are not looked into (no field we read is that deep).
  static constexpr std::size_t kMaxDepth = 4;
  /// Sentinel error: the stop field said the record is not wanted.
  static constexpr auto kUnwanted = simdjson::error_code::NUM_ERROR_CODES;

  od::parser parser;
  std::vector<JsonField> fields;  // sorted by key
  // fields[first[c], first[c + 1]) are the keys starting with byte c: the lookup is a
  // handful of compares, which matters in debug builds.
  std::array<std::uint16_t, 257> first{};
  std::vector<std::string> prefixes;  // "alert", "dns", "dns.queries": objects worth entering
  std::optional<JsonStop> stop;
  std::string path;  // flattened key of the object being read (below the root)
  std::span<std::optional<std::string_view>> slots;

  const JsonField* Find(std::string_view key) const {
    if (key.empty()) {
      return nullptr;
    }
    const auto c = static_cast<unsigned char>(key.front());
    for (std::size_t i = first[c]; i < first[c + 1U]; ++i) {
      const std::string_view candidate = fields[i].key;
      if (candidate.size() == key.size() &&
          std::memcmp(candidate.data(), key.data(), key.size()) == 0) {
        return &fields[i];
      }
    }
    return nullptr;
  }
  bool IsPrefix(std::string_view key) const {
    return std::find(prefixes.begin(), prefixes.end(), key) != prefixes.end();
  }

  simdjson::error_code ReadObject(od::object object, std::size_t depth) {
    const std::size_t base = path.size();
    for (auto field : object) {
      std::string_view key;
      if (const auto error = field.unescaped_key().get(key)) {
        return error;
      }
      if (depth > 0) {
        path.resize(base);
        path += '.';
        path += key;
        key = path;
      }
      const JsonField* wanted = Find(key);
      if (wanted == nullptr && !IsPrefix(key)) {
        continue;  // the iterator skips the value unread
      }
      od::value value;
      if (const auto error = field.value().get(value)) {
        return error;
      }
      if (const auto error = ReadValue(value, key, wanted, depth)) {
        return error;
      }
    }
    path.resize(base);
    return simdjson::SUCCESS;
  }

  // Reads the value whose flattened key is `key` (which is `path` below the root); `field` is
  // its entry in `fields`, if any.
  simdjson::error_code ReadValue(od::value& value, std::string_view key, const JsonField* field,
                                 std::size_t depth) {
    od::json_type type{};
    if (const auto error = value.type().get(type)) {
      return error;
    }
    if (type == od::json_type::object || type == od::json_type::array) {
      if (depth >= kMaxDepth) {
        return simdjson::SUCCESS;
      }
      if (depth == 0) {
        path.assign(key);
      }
      if (type == od::json_type::object) {
        od::object object;
        if (const auto error = value.get_object().get(object)) {
          return error;
        }
        return ReadObject(object, depth + 1);
      }
      od::array array;
      if (const auto error = value.get_array().get(array)) {
        return error;
      }
      for (auto element : array) {  // the first element only
        od::value first_value;
        if (const auto error = element.get(first_value)) {
          return error;
        }
        return ReadValue(first_value, path, field, depth + 1);
      }
      return simdjson::SUCCESS;
    }
    if (field == nullptr || type == od::json_type::null) {
      return simdjson::SUCCESS;
    }
    std::string_view text;
    if (type == od::json_type::string) {
      if (const auto error = value.get_string().get(text)) {
        return error;
      }
    } else {
      text = value.raw_json_token();
      text = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
    }
    slots[field->slot] = text;
    if (stop && stop->slot == field->slot && !stop->wanted(text)) {
      return kUnwanted;
    }
    return simdjson::SUCCESS;
  }
};

JsonLineReader::JsonLineReader(std::span<const JsonField> fields, std::optional<JsonStop> stop)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.stop = stop;
  impl.fields.assign(fields.begin(), fields.end());
  std::sort(impl.fields.begin(), impl.fields.end(),
            [](const JsonField& a, const JsonField& b) { return a.key < b.key; });
  for (std::size_t c = 0, i = 0; c < impl.first.size(); ++c) {
    while (i < impl.fields.size() && !impl.fields[i].key.empty() &&
           static_cast<unsigned char>(impl.fields[i].key.front()) < c) {
      ++i;
    }
    impl.first[c] = static_cast<std::uint16_t>(i);
  }
  for (const JsonField& field : fields) {
    for (std::size_t dot = field.key.find('.'); dot != std::string_view::npos;
         dot = field.key.find('.', dot + 1)) {
      std::string prefix(field.key.substr(0, dot));
      if (!impl.IsPrefix(prefix)) {
        impl.prefixes.push_back(std::move(prefix));
      }
    }
  }
}

JsonLineReader::~JsonLineReader() = default;

bool JsonLineReader::Read(std::string_view line, std::span<std::optional<std::string_view>> slots,
                          RecordContext& context) {
  std::fill(slots.begin(), slots.end(), std::nullopt);
  impl_->slots = slots;
  impl_->path.clear();
  od::document doc;
  od::object object;
  simdjson::error_code error =
      impl_->parser.iterate(line.data(), line.size(), line.size() + kLinePadding).get(doc);
  if (!error) {
    error = doc.get_object().get(object);
  }
  if (!error) {
    error = impl_->ReadObject(object, 0);
  }
  // Nothing may follow the object: at its end the document has no current location.
  const char* at = nullptr;
  if (!error && doc.current_location().get(at) != simdjson::OUT_OF_BOUNDS) {
    error = simdjson::TRAILING_CONTENT;
  }
  if (error == Impl::kUnwanted) {
    context.Skip();
  } else if (error) {
    context.Malformed("json");
  }
  return !error;
}

}  // namespace detail
}  // namespace hoshi::defense
