// SPDX-License-Identifier: Apache-2.0
// Telemetry log parsers: Zeek TSV and JSON (conn, dns, ssl, http), Suricata EVE JSON (alert,
// flow, dns, tls, http) and syslog (RFC 5424, RFC 3164) carrying CEF, plain or gzip, all
// streamed line by line into one normalised Event.
//
// Policy, the same for every format:
//  - A record that cannot be read (bad time, bad address, wrong field count, broken JSON, …) is
//    counted in ParseStats::malformed under a short reason and sampled; it never stops the
//    batch. Reasons: "bad_ts", "bad_ip", "bad_port", "bad_number", "field_count", "no_header",
//    "json", "no_event_type", "bad_syslog", "bad_cef", "line_too_long"; problems of the input
//    rather than of a record (not counted in `lines`): "bad_header" (a Zeek #types line that
//    does not match #fields, a separator of more than one byte), "gzip_truncated" (the events
//    before the cut are kept; the cut last line is dropped), "gzip_corrupt"; and in ParseLogPaths
//    "unknown_format", "unreadable" for a whole file.
//  - A well-formed record of a kind we do not use (Zeek x509, weird, files …; EVE stats, fileinfo
//    …; syslog without CEF) is counted in `skipped`.
//  - Only whole-input problems are errors: a file that cannot be opened or read, a first line in
//    no known format, a path given to ParseLogPaths that does not exist.
//  - Times are exact to the microsecond: decimal epoch seconds are read from the text, never
//    through a double. Times without a zone are UTC.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string_view>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/event.h"

namespace hoshi::defense {

enum class LogFormat { kAuto, kZeekTsv, kZeekJson, kSuricataEve, kSyslog };
[[nodiscard]] std::string_view LogFormatName(LogFormat format);

/// Receives each event as it is parsed. The reference is valid only during the call.
using EventSink = std::function<void(const Event&)>;
/// Called after each file of a batch: files done, files in the batch.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

struct ParseOptions {
  /// kAuto looks at the first non-empty line (see DetectLogFormat).
  LogFormat format = LogFormat::kAuto;
  /// "Now", for RFC 3164 syslog timestamps, which carry no year: the year is taken from this
  /// clock, and a date that would fall more than one day after "now" is put in the year before
  /// (a December record read in January). nullptr: the system clock.
  const Clock* clock = nullptr;
};

/// The format of a log from its first non-empty line: "#separator"/"#fields" → Zeek TSV; a JSON
/// object with "event_type" → Suricata EVE; a JSON object with "_path" or "ts" → Zeek JSON;
/// "<PRI>", "CEF:", or an RFC 3164 or RFC 3339 time first (syslog as a daemon writes it to a file)
/// → syslog.
[[nodiscard]] std::optional<LogFormat> DetectLogFormat(std::string_view first_line);

/// Whether `bytes` start with the gzip magic bytes (1f 8b).
[[nodiscard]] bool IsGzip(std::string_view bytes);
/// A quick check of a whole log held in memory before it is queued: plain text whose first
/// non-blank line is in no known format is refused (kDataError "defense.log_format", naming
/// `source_name`); gzip is accepted unread (a damaged stream is counted when it is parsed);
/// empty or blank text passes (it holds no records).
[[nodiscard]] Status CheckLogStart(std::string_view log, std::string_view source_name);

/// Parses a log read from `in`, plain or gzip (detected by the magic bytes 1f 8b; concatenated
/// gzip members are read in turn). `source_name` names the input in samples and errors; its file
/// name also gives the Zeek log type when the log itself does not (no #path / "_path"):
/// "dns.log", "conn.2024-01-02.log.gz", "…_ssl.log". Errors: kDataError "defense.log_format",
/// kIoError "defense.log_read".
[[nodiscard]] Result<ParseStats> ParseLog(std::istream& in, std::string_view source_name,
                                          const ParseOptions& options, const EventSink& sink);

/// Parses one file. Errors: kNotFound "defense.log_missing", kIoError "defense.log_open", and
/// those of ParseLog.
[[nodiscard]] Result<ParseStats> ParseLogFile(const std::filesystem::path& path,
                                              const ParseOptions& options, const EventSink& sink);

/// Whether a file name looks like a log (case-insensitive): it ends in .log, .json, .jsonl,
/// .ndjson, .eve, .cef or .syslog, optionally followed by .gz; hidden files never do.
[[nodiscard]] bool IsLogFileName(std::string_view file_name);

/// Parses files and folders in turn. Folders are walked recursively and only log-like files in
/// them are read (IsLogFileName), in sorted order; files named directly are always read. A file
/// that cannot be opened or is in no known format is counted as malformed ("unreadable",
/// "unknown_format") and the batch goes on. Errors: kNotFound "defense.log_missing" for a named
/// path that does not exist, kIoError "defense.log_list" when a folder cannot be walked.
[[nodiscard]] Result<ParseStats> ParseLogPaths(const std::vector<std::filesystem::path>& paths,
                                               const ParseOptions& options, const EventSink& sink,
                                               const ProgressFn& progress = {});

}  // namespace hoshi::defense
