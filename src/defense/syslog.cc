// SPDX-License-Identifier: Apache-2.0
// Syslog carrying CEF (ArcSight Common Event Format), as UTMs and firewalls send it.
//
// Header forms read: RFC 5424 ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG"), RFC 3164
// ("<PRI>Mmm dd hh:mm:ss HOST TAG: MSG"), an RFC 3339 time instead of the 3164 one (rsyslog's
// file format), and no header at all ("<PRI>CEF:…" or a bare "CEF:…"); the <PRI> may be missing,
// as in files written by a syslog daemon. The CEF record is found by "CEF:" in the message; a
// message without one is counted as skipped.
//
// CEF: "CEF:Version|Vendor|Product|Version|Signature ID|Name|Severity|Extension" ("\|" and "\\"
// escaped in the header); the extension is "key=value" pairs separated by spaces, values may
// hold spaces, "\=", "\\", "\n", "\r". Mapped: src, dst, spt, dpt, proto, request (URL → name,
// uri), dhost, requestClientApplication, act, in, out, externalId (→ uid), start/rt/end, their
// long names (sourceAddress, …), and cs1..cs6 whose label names a URL, host or user agent. The
// event time is start, else rt, else the syslog header's; CEF times are epoch milliseconds,
// "Mmm dd yyyy hh:mm:ss[.SSS]", "Mmm dd hh:mm:ss" or RFC 3339. Times without a zone are UTC.
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "log_internal.h"

namespace hoshi::defense::detail {
namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

/// Removes and returns the text up to the next space (the space is removed too).
std::string_view TakeToken(std::string_view& text) {
  const std::size_t space = text.find(' ');
  const std::string_view token = text.substr(0, space);
  text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
  return token;
}

/// Skips RFC 5424 structured data ("-" or "[id k=\"v\"]…"); false when it is cut.
bool SkipStructuredData(std::string_view& text) {
  if (text.starts_with('-')) {
    text.remove_prefix(1);
    return true;
  }
  while (text.starts_with('[')) {
    bool quoted = false;
    std::size_t i = 1;
    for (; i < text.size(); ++i) {
      if (quoted && text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        quoted = !quoted;
      } else if (!quoted && text[i] == ']') {
        break;
      }
    }
    if (i >= text.size()) {
      return false;
    }
    text.remove_prefix(i + 1);
  }
  return true;
}

// ---- CEF. ----

/// The CEF extension keys we read, by slot.
enum class CefSlot : std::size_t {
  kSrc,
  kDst,
  kSpt,
  kDpt,
  kProto,
  kRequest,
  kDhost,
  kUserAgent,
  kAct,
  kIn,
  kOut,
  kExternalId,
  kStart,
  kRt,
  kEnd,
  kCount,
};

struct CefKey {
  std::string_view key;
  CefSlot slot;
};

constexpr std::array kCefKeys{
    CefKey{"src", CefSlot::kSrc},
    CefKey{"sourceAddress", CefSlot::kSrc},
    CefKey{"dst", CefSlot::kDst},
    CefKey{"destinationAddress", CefSlot::kDst},
    CefKey{"spt", CefSlot::kSpt},
    CefKey{"sourcePort", CefSlot::kSpt},
    CefKey{"dpt", CefSlot::kDpt},
    CefKey{"destinationPort", CefSlot::kDpt},
    CefKey{"proto", CefSlot::kProto},
    CefKey{"transportProtocol", CefSlot::kProto},
    CefKey{"request", CefSlot::kRequest},
    CefKey{"requestURL", CefSlot::kRequest},
    CefKey{"dhost", CefSlot::kDhost},
    CefKey{"destinationHostName", CefSlot::kDhost},
    CefKey{"requestClientApplication", CefSlot::kUserAgent},
    CefKey{"act", CefSlot::kAct},
    CefKey{"deviceAction", CefSlot::kAct},
    CefKey{"in", CefSlot::kIn},
    CefKey{"bytesIn", CefSlot::kIn},
    CefKey{"out", CefSlot::kOut},
    CefKey{"bytesOut", CefSlot::kOut},
    CefKey{"externalId", CefSlot::kExternalId},
    CefKey{"start", CefSlot::kStart},
    CefKey{"startTime", CefSlot::kStart},
    CefKey{"rt", CefSlot::kRt},
    CefKey{"receiptTime", CefSlot::kRt},
    CefKey{"end", CefSlot::kEnd},
    CefKey{"endTime", CefSlot::kEnd},
};

/// Custom string labels (lower case, letters and digits only) that name a field we read; a
/// standard key wins over a custom string.
constexpr std::array kCustomLabels{
    CefKey{"url", CefSlot::kRequest},         CefKey{"requesturl", CefSlot::kRequest},
    CefKey{"fullurl", CefSlot::kRequest},     CefKey{"host", CefSlot::kDhost},
    CefKey{"hostname", CefSlot::kDhost},      CefKey{"domain", CefSlot::kDhost},
    CefKey{"useragent", CefSlot::kUserAgent}, CefKey{"httpuseragent", CefSlot::kUserAgent},
};

constexpr std::size_t kCustomStrings = 6;  // cs1..cs6

const CefKey* FindKey(std::span<const CefKey> table, std::string_view key) {
  const auto it =
      std::find_if(table.begin(), table.end(), [key](const CefKey& k) { return k.key == key; });
  return it == table.end() ? nullptr : &*it;
}

/// Decodes CEF escapes: "\|", "\\", "\=", "\n", "\r"; other backslashes are kept.
std::string CefUnescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out.push_back(text[i]);
      continue;
    }
    const char next = text[++i];
    switch (next) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case '|':
      case '\\':
      case '=':
        out.push_back(next);
        break;
      default:
        out.push_back('\\');
        out.push_back(next);
    }
  }
  return out;
}

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

/// The extension's key=value pairs. A key runs back from an unescaped '=' over key characters
/// to a space or the start; an '=' without such a key is part of the value before it.
std::vector<std::pair<std::string_view, std::string>> SplitExtension(std::string_view ext) {
  std::vector<std::pair<std::size_t, std::size_t>> keys;  // key start, '=' position
  for (std::size_t i = 0; i < ext.size(); ++i) {
    if (ext[i] == '\\') {
      ++i;
      continue;
    }
    if (ext[i] != '=') {
      continue;
    }
    std::size_t start = i;
    while (start > 0 && IsKeyChar(ext[start - 1])) {
      --start;
    }
    const bool after_previous = keys.empty() || start > keys.back().second;
    if (start < i && (start == 0 || ext[start - 1] == ' ') && after_previous) {
      keys.emplace_back(start, i);
    }
  }
  std::vector<std::pair<std::string_view, std::string>> pairs;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::size_t value_start = keys[k].second + 1;
    const std::size_t value_end = k + 1 < keys.size() ? keys[k + 1].first : ext.size();
    std::string_view value = ext.substr(value_start, value_end - value_start);
    value = value.substr(0, value.find_last_not_of(' ') + 1);
    pairs.emplace_back(ext.substr(keys[k].first, keys[k].second - keys[k].first),
                       CefUnescape(value));
  }
  return pairs;
}

/// Splits the header at the first seven unescaped '|': seven fields and the extension.
std::optional<std::array<std::string_view, 8>> SplitCefHeader(std::string_view cef) {
  std::array<std::string_view, 8> parts;
  std::size_t field = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < cef.size() && field < 7; ++i) {
    if (cef[i] == '\\') {
      ++i;
    } else if (cef[i] == '|') {
      parts[field++] = cef.substr(start, i - start);
      start = i + 1;
    }
  }
  if (field < 7) {
    return std::nullopt;
  }
  parts[7] = cef.substr(start);
  return parts;
}

/// CEF severity: 0–10, or Low / Medium / High / Very-High (3, 6, 8, 10); 0 when unknown.
std::uint8_t CefSeverity(std::string_view text) {
  if (const auto number = ParseCount(text); number && *number <= 10) {
    return static_cast<std::uint8_t>(*number);
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  constexpr std::array<std::pair<std::string_view, std::uint8_t>, 4> kNames{
      {{"low", 3}, {"medium", 6}, {"high", 8}, {"very-high", 10}}};
  for (const auto& [name, value] : kNames) {
    if (lower == name) {
      return value;
    }
  }
  return 0;
}

/// Splits a URL into host (→ name) and path with query (→ uri); a text without a scheme is read
/// as "host/path", or as a bare path when it starts with '/'.
void SplitUrl(std::string_view url, Event& event) {
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  } else if (url.starts_with('/')) {
    event.uri = std::string(url);
    return;
  }
  const std::size_t path = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, path);
  authority.remove_prefix(authority.find('@') == std::string_view::npos ? 0
                                                                        : authority.find('@') + 1);
  event.name = NormaliseHost(authority);
  event.uri = path == std::string_view::npos ? "" : std::string(url.substr(path));
}

class SyslogParser final : public LineParser {
 public:
  explicit SyslogParser(const Clock& clock) {
    const TimePoint now = clock.Now();
    now_us_ = now.time_since_epoch().count();
    year_ = static_cast<int>(
        std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
  }

  void Parse(std::string_view line, RecordContext& context) override {
    std::string_view rest = line;
    if (rest.starts_with('<')) {
      const std::size_t close = rest.find('>');
      const auto pri =
          close == std::string_view::npos ? std::nullopt : ParseCount(rest.substr(1, close - 1));
      if (!pri || *pri > 191) {
        context.Malformed("bad_syslog");
        return;
      }
      rest.remove_prefix(close + 1);
    }
    std::optional<std::int64_t> header_us;
    std::string_view bad_header;
    if (rest.size() > 2 && IsDigit(rest[0]) &&
        (rest[1] == ' ' || (IsDigit(rest[1]) && rest[2] == ' '))) {
      bad_header = ReadRfc5424Header(rest, header_us);
    } else if (rest.size() >= 15 && MonthFromName(rest.substr(0, 3)) != 0 && rest[3] == ' ') {
      header_us = ShortTimeMicros(rest.substr(0, 15));
      bad_header = header_us ? "" : "bad_ts";
      rest.remove_prefix(std::min<std::size_t>(16, rest.size()));
    } else if (rest.size() > 4 && rest[4] == '-' && IsDigit(rest[0])) {
      header_us = ParseIsoMicros(TakeToken(rest));
      bad_header = header_us ? "" : "bad_ts";
    }
    if (!bad_header.empty()) {
      context.Malformed(bad_header);
      return;
    }
    const std::size_t cef = rest.find("CEF:");
    if (cef == std::string_view::npos) {
      context.Skip();
      return;
    }
    Event event;
    context.EmitOrMalformed(ReadCef(rest.substr(cef), header_us, event), event);
  }

 private:
  // "TIMESTAMP HOST APP PROCID MSGID SD [MSG]" after "<PRI>1 "; leaves `rest` at MSG.
  static std::string_view ReadRfc5424Header(std::string_view& rest,
                                            std::optional<std::int64_t>& header_us) {
    TakeToken(rest);  // the version
    const std::string_view timestamp = TakeToken(rest);
    if (timestamp != "-") {
      header_us = ParseIsoMicros(timestamp);
      if (!header_us) {
        return "bad_ts";
      }
    }
    for (int i = 0; i < 4; ++i) {  // HOSTNAME APP-NAME PROCID MSGID
      if (TakeToken(rest).empty()) {
        return "bad_syslog";
      }
    }
    if (!SkipStructuredData(rest)) {
      return "bad_syslog";
    }
    if (rest.starts_with(' ')) {
      rest.remove_prefix(1);
    }
    if (rest.starts_with("\xEF\xBB\xBF")) {
      rest.remove_prefix(3);
    }
    return "";
  }

  // "Mmm dd hh:mm:ss" (RFC 3164, no year) or "Mmm dd yyyy hh:mm:ss[.SSS]" (CEF).
  [[nodiscard]] std::optional<std::int64_t> ShortTimeMicros(std::string_view text) const {
    const int month = MonthFromName(text.substr(0, 3));
    std::string_view rest = text.substr(std::min<std::size_t>(4, text.size()));
    rest.remove_prefix(rest.starts_with(' ') ? 1 : 0);  // "Jan  2"
    const auto day = ParseCount(TakeToken(rest));
    std::optional<std::uint64_t> year;
    if (rest.size() > 4 && rest[4] == ' ') {
      year = ParseCount(TakeToken(rest));
      if (!year || *year > 9999) {
        return std::nullopt;
      }
    }
    const std::string_view clock = rest.substr(0, rest.find('.'));
    if (month == 0 || !day || *day > 31 || clock.size() != 8 || clock[2] != ':' ||
        clock[5] != ':') {
      return std::nullopt;
    }
    const auto hour = ParseCount(clock.substr(0, 2));
    const auto minute = ParseCount(clock.substr(3, 2));
    const auto second = ParseCount(clock.substr(6, 2));
    const std::string_view fraction = rest.substr(std::min(rest.size(), clock.size() + 1));
    auto millis = fraction.empty() ? std::optional<std::uint64_t>(0) : ParseCount(fraction);
    if (!hour || !minute || !second || !millis || fraction.size() > 3 ||
        (clock.size() < rest.size() && fraction.empty())) {
      return std::nullopt;
    }
    for (std::size_t n = fraction.size(); n < 3 && !fraction.empty(); ++n) {
      *millis *= 10;  // ".5" is 500 ms
    }
    const auto at = [&](int y) {
      const auto base = CivilMicros(y, month, static_cast<int>(*day), static_cast<int>(*hour),
                                    static_cast<int>(*minute), static_cast<int>(*second));
      return base ? std::optional(*base + static_cast<std::int64_t>(*millis) * 1000) : std::nullopt;
    };
    if (year) {
      return at(static_cast<int>(*year));
    }
    // No year: this year, unless that is more than a day ahead of now (December read in January).
    const auto this_year = at(year_);
    return this_year && *this_year > now_us_ + kMicrosPerDay ? at(year_ - 1) : this_year;
  }

  // A CEF time: epoch milliseconds, "Mmm dd [yyyy ]hh:mm:ss[.SSS]" or RFC 3339.
  [[nodiscard]] std::optional<std::int64_t> CefTimeMicros(std::string_view text) const {
    if (!text.empty() && std::all_of(text.begin(), text.end(), IsDigit)) {
      const auto millis = ParseCount(text);
      return millis && *millis < (1ULL << 53U)
                 ? std::optional(static_cast<std::int64_t>(*millis) * 1000)
                 : std::nullopt;
    }
    if (MonthFromName(text.substr(0, 3)) != 0) {
      return ShortTimeMicros(text);
    }
    return ParseIsoMicros(text);
  }

  std::string_view ReadCef(std::string_view cef, std::optional<std::int64_t> header_us,
                           Event& event) const {
    const auto header = SplitCefHeader(cef);
    if (!header || !ParseCount((*header)[0].substr(4))) {
      return "bad_cef";
    }
    event.kind = EventKind::kSyslog;
    event.signature = CefUnescape((*header)[5]);
    event.severity = CefSeverity((*header)[6]);

    std::array<std::optional<std::string>, static_cast<std::size_t>(CefSlot::kCount)> values;
    std::array<std::string, kCustomStrings> custom;
    std::array<std::string, kCustomStrings> labels;
    for (auto& [key, value] : SplitExtension((*header)[7])) {
      if (const CefKey* known = FindKey(kCefKeys, key)) {
        values[static_cast<std::size_t>(known->slot)] = std::move(value);
      } else if (key.size() >= 3 && key.starts_with("cs") && key[2] >= '1' &&
                 key[2] < static_cast<char>('1' + kCustomStrings)) {
        const auto n = static_cast<std::size_t>(key[2] - '1');
        if (key.size() == 3) {
          custom[n] = std::move(value);
        } else if (key.substr(3) == "Label") {
          labels[n] = std::move(value);
        }
      }
    }
    for (std::size_t n = 0; n < kCustomStrings; ++n) {
      std::string label;
      for (const char c : labels[n]) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
          label.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
      }
      const CefKey* known = FindKey(kCustomLabels, label);
      if (known != nullptr && !custom[n].empty() &&
          !values[static_cast<std::size_t>(known->slot)]) {
        values[static_cast<std::size_t>(known->slot)] = std::move(custom[n]);
      }
    }
    const auto get = [&](CefSlot slot) -> std::optional<std::string_view> {
      const auto& value = values[static_cast<std::size_t>(slot)];
      return value ? std::optional<std::string_view>(*value) : std::nullopt;
    };

    // Times: start, else rt, else the syslog header; CEF forms first, then ours.
    std::optional<std::int64_t> start_us = header_us;
    for (const CefSlot slot : {CefSlot::kRt, CefSlot::kStart}) {
      if (const auto text = get(slot)) {
        start_us = CefTimeMicros(*text);
        if (!start_us) {
          return "bad_ts";
        }
      }
    }
    if (!start_us) {
      return "bad_ts";
    }
    const FlowTexts flow{std::nullopt,       get(CefSlot::kSrc), get(CefSlot::kDst),
                         get(CefSlot::kSpt), get(CefSlot::kDpt), get(CefSlot::kProto),
                         /*required=*/false};
    if (const std::string_view reason = ReadFlowTexts(flow, event); !reason.empty()) {
      return reason;
    }
    event.ts_us = *start_us;
    if (const auto end = get(CefSlot::kEnd)) {
      const auto end_us = CefTimeMicros(*end);
      if (!end_us) {
        return "bad_ts";
      }
      event.duration_s = *end_us > *start_us ? static_cast<double>(*end_us - *start_us) / 1e6 : 0;
    }
    if (const std::string_view reason = ReadCounts(
            {{get(CefSlot::kIn), &event.orig_bytes}, {get(CefSlot::kOut), &event.resp_bytes}});
        !reason.empty()) {
      return reason;
    }
    if (const auto request = get(CefSlot::kRequest)) {
      SplitUrl(*request, event);
    }
    if (const auto dhost = get(CefSlot::kDhost); dhost && event.name.empty()) {
      event.name = NormaliseHost(*dhost);
    }
    event.user_agent = get(CefSlot::kUserAgent).value_or("");
    event.action = get(CefSlot::kAct).value_or("");
    event.uid = get(CefSlot::kExternalId).value_or("");
    return "";
  }

  std::int64_t now_us_ = 0;
  int year_ = 1970;
};

}  // namespace

std::unique_ptr<LineParser> MakeSyslogParser(const Clock& clock) {
  return std::make_unique<SyslogParser>(clock);
}

}  // namespace hoshi::defense::detail
