// SPDX-License-Identifier: Apache-2.0
// Zeek logs, TSV and JSON: conn, dns, ssl and http records become events; records of other log
// types (x509, weird, files, …) are counted as skipped.
//
// TSV: the schema comes from the header lines (#separator, #set_separator, #empty_field,
// #unset_field, #path, #fields, #types); a file may hold several header blocks (a new
// #separator or #fields line starts a new schema). String values are unescaped (\xHH).
// JSON: one object per line, with flattened keys ("id.orig_h") or a nested "id" object; "ts" as
// epoch seconds, epoch milliseconds or ISO 8601. The log type is "_path" when present.
// Both: the log type falls back to the file name ("dns.log", "…_ssl.log"); one field table
// serves both forms, and one function builds the event.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/text.h"

#include "log_internal.h"

namespace hoshi::defense::detail {
namespace {

/// The Zeek fields we read, by slot.
enum class ZeekSlot : std::size_t {
  kTs,
  kUid,
  kOrigH,
  kOrigP,
  kRespH,
  kRespP,
  kProto,
  kDuration,
  kOrigBytes,
  kRespBytes,
  kOrigIpBytes,
  kOrigPkts,
  kRespPkts,
  kQuery,
  kServerName,
  kHost,
  kUri,
  kUserAgent,
  kPath,
  kCount,
};
constexpr auto kSlotCount = static_cast<std::size_t>(ZeekSlot::kCount);

struct ZeekField {
  std::string_view name;  // TSV column, JSON key
  ZeekSlot slot;
  bool text;  // a string: TSV \xHH escapes are decoded
};

constexpr std::array kZeekFields{
    ZeekField{"ts", ZeekSlot::kTs, false},
    ZeekField{"uid", ZeekSlot::kUid, true},
    ZeekField{"id.orig_h", ZeekSlot::kOrigH, false},
    ZeekField{"id.orig_p", ZeekSlot::kOrigP, false},
    ZeekField{"id.resp_h", ZeekSlot::kRespH, false},
    ZeekField{"id.resp_p", ZeekSlot::kRespP, false},
    ZeekField{"proto", ZeekSlot::kProto, false},
    ZeekField{"duration", ZeekSlot::kDuration, false},
    ZeekField{"orig_bytes", ZeekSlot::kOrigBytes, false},
    ZeekField{"resp_bytes", ZeekSlot::kRespBytes, false},
    ZeekField{"orig_ip_bytes", ZeekSlot::kOrigIpBytes, false},
    ZeekField{"orig_pkts", ZeekSlot::kOrigPkts, false},
    ZeekField{"resp_pkts", ZeekSlot::kRespPkts, false},
    ZeekField{"query", ZeekSlot::kQuery, true},
    ZeekField{"server_name", ZeekSlot::kServerName, true},
    ZeekField{"host", ZeekSlot::kHost, true},
    ZeekField{"uri", ZeekSlot::kUri, true},
    ZeekField{"user_agent", ZeekSlot::kUserAgent, true},
    ZeekField{"_path", ZeekSlot::kPath, true},
};

constexpr auto kZeekJsonFields = [] {
  std::array<JsonField, kZeekFields.size()> out{};
  for (std::size_t i = 0; i < kZeekFields.size(); ++i) {
    out[i] = JsonField{kZeekFields[i].name, static_cast<std::size_t>(kZeekFields[i].slot)};
  }
  return out;
}();

/// The log types we turn into events, and which field names the host.
struct ZeekLog {
  std::string_view path;
  EventKind kind;
  ZeekSlot name_slot;  // kCount: none
};

constexpr std::array kZeekLogs{
    ZeekLog{"conn", EventKind::kConn, ZeekSlot::kCount},
    ZeekLog{"dns", EventKind::kDns, ZeekSlot::kQuery},
    ZeekLog{"ssl", EventKind::kTls, ZeekSlot::kServerName},
    ZeekLog{"http", EventKind::kHttp, ZeekSlot::kHost},
};

const ZeekLog* FindLog(std::string_view path) {
  const auto it = std::find_if(kZeekLogs.begin(), kZeekLogs.end(),
                               [&](const ZeekLog& log) { return log.path == path; });
  return it == kZeekLogs.end() ? nullptr : &*it;
}

/// The log type a file name implies: "dns.log" → dns, "conn.2024-01-02.log.gz" → conn,
/// "json_with_all_fields_ssl.log" → ssl; nullptr when none we use.
const ZeekLog* LogFromName(std::string_view source_name) {
  const std::size_t slash = source_name.find_last_of("/\\");
  std::string_view stem =
      slash == std::string_view::npos ? source_name : source_name.substr(slash + 1);
  stem = stem.substr(0, stem.find('.'));
  if (const ZeekLog* log = FindLog(stem)) {
    return log;
  }
  const std::size_t underscore = stem.rfind('_');
  return underscore == std::string_view::npos ? nullptr : FindLog(stem.substr(underscore + 1));
}

/// One record's values by slot: nullopt when absent or unset.
using ZeekValues = std::array<std::optional<std::string_view>, kSlotCount>;

std::optional<std::string_view> Get(const ZeekValues& values, ZeekSlot slot) {
  return values[static_cast<std::size_t>(slot)];
}

/// Builds the event of one record; returns the malformed reason, or "" when the event is good.
std::string_view BuildEvent(const ZeekLog& log, const ZeekValues& values, Event& event) {
  event.kind = log.kind;
  const FlowTexts flow{Get(values, ZeekSlot::kTs),    Get(values, ZeekSlot::kOrigH),
                       Get(values, ZeekSlot::kRespH), Get(values, ZeekSlot::kOrigP),
                       Get(values, ZeekSlot::kRespP), Get(values, ZeekSlot::kProto)};
  if (const std::string_view reason = ReadFlowTexts(flow, event); !reason.empty()) {
    return reason;
  }
  std::uint64_t orig_pkts = 0;
  std::uint64_t resp_pkts = 0;
  if (const std::string_view reason =
          ReadCounts({{Get(values, ZeekSlot::kOrigBytes), &event.orig_bytes},
                      {Get(values, ZeekSlot::kRespBytes), &event.resp_bytes},
                      {Get(values, ZeekSlot::kOrigIpBytes), &event.orig_ip_bytes},
                      {Get(values, ZeekSlot::kOrigPkts), &orig_pkts},
                      {Get(values, ZeekSlot::kRespPkts), &resp_pkts}});
      !reason.empty()) {
    return reason;
  }
  event.orig_pkts = ClampCount(orig_pkts);
  event.resp_pkts = ClampCount(resp_pkts);
  if (const auto duration = Get(values, ZeekSlot::kDuration)) {
    const auto seconds = ParseSeconds(*duration);
    if (!seconds) {
      return "bad_number";
    }
    event.duration_s = *seconds;
  }
  if (log.name_slot != ZeekSlot::kCount) {
    event.name = NormaliseHost(Get(values, log.name_slot).value_or(""));
  }
  event.uri = Get(values, ZeekSlot::kUri).value_or("");
  event.user_agent = Get(values, ZeekSlot::kUserAgent).value_or("");
  event.uid = Get(values, ZeekSlot::kUid).value_or("");
  return "";
}

void EmitRecord(const ZeekLog& log, const ZeekValues& values, RecordContext& context) {
  Event event;
  context.EmitOrMalformed(BuildEvent(log, values, event), event);
}

/// Decodes Zeek's TSV escapes ("\x09" → tab); other text is kept as it is.
std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
        HexDigitValue(text[i + 2]) >= 0 && HexDigitValue(text[i + 3]) >= 0) {
      out.push_back(
          static_cast<char>(HexDigitValue(text[i + 2]) * 16 + HexDigitValue(text[i + 3])));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

/// Splits `line` at `separator` into `cells`, growing it only when a line has more cells than
/// ever before; returns the number of cells.
std::size_t Split(std::string_view line, char separator, std::vector<std::string_view>& cells) {
  std::size_t count = 0;
  const char* at = line.data();
  const char* const end = at + line.size();
  for (;;) {
    const auto* hit =
        static_cast<const char*>(std::memchr(at, separator, static_cast<std::size_t>(end - at)));
    const char* const stop = hit != nullptr ? hit : end;
    if (count == cells.size()) {
      cells.resize(count + 1);
    }
    cells[count++] = std::string_view(at, static_cast<std::size_t>(stop - at));
    if (hit == nullptr) {
      return count;
    }
    at = hit + 1;
  }
}

class ZeekTsvParser final : public LineParser {
 public:
  explicit ZeekTsvParser(std::string_view source_name)
      : name_log_(LogFromName(source_name)), log_(name_log_) {}

  void Parse(std::string_view line, RecordContext& context) override {
    if (line.front() == '#') {
      ParseHeader(line, context);
      return;
    }
    if (columns_.empty()) {
      context.Malformed("no_header");
      return;
    }
    if (log_ == nullptr) {
      context.Skip();
      return;
    }
    if (Split(line, separator_, cells_) != columns_.size()) {
      context.Malformed("field_count");
      return;
    }
    values_.fill(std::nullopt);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const ZeekField* field = columns_[i];
      std::string_view cell = cells_[i];
      if (field == nullptr || cell == unset_field_) {
        continue;
      }
      const auto slot = static_cast<std::size_t>(field->slot);
      if (cell == empty_field_) {
        cell = {};
      } else if (field->text && cell.find("\\x") != std::string_view::npos) {
        unescaped_[slot] = Unescape(cell);
        cell = unescaped_[slot];
      }
      values_[slot] = cell;
    }
    EmitRecord(*log_, values_, context);
  }

 private:
  void ParseHeader(std::string_view line, RecordContext& context) {
    constexpr std::string_view kSeparator = "#separator ";
    if (line.starts_with(kSeparator)) {
      // A new header block: its own separator and schema.
      const std::string separator = Unescape(line.substr(kSeparator.size()));
      if (separator.size() == 1) {
        separator_ = separator.front();
      } else {
        context.InputProblem("bad_header", line);
      }
      columns_.clear();
      log_ = name_log_;
      return;
    }
    const std::size_t count = Split(line, separator_, cells_);
    const std::string_view key = cells_.front();
    const std::string_view value = count > 1 ? cells_[1] : std::string_view{};
    if (key == "#empty_field") {
      empty_field_ = Unescape(value);
    } else if (key == "#unset_field") {
      unset_field_ = Unescape(value);
    } else if (key == "#path") {
      log_ = FindLog(value);
    } else if (key == "#fields") {
      columns_.clear();
      for (std::size_t i = 1; i < count; ++i) {
        const auto it = std::find_if(kZeekFields.begin(), kZeekFields.end(),
                                     [&](const ZeekField& f) { return f.name == cells_[i]; });
        columns_.push_back(it == kZeekFields.end() ? nullptr : &*it);
      }
    } else if (key == "#types" && count - 1 != columns_.size()) {
      context.InputProblem("bad_header", line);
    }
    // #set_separator (no set or vector field is read), #open, #close and other comments carry
    // nothing we use.
  }

  const ZeekLog* name_log_;  // from the file name, when the header has no #path
  const ZeekLog* log_;
  char separator_ = '\t';
  std::string empty_field_ = "(empty)";
  std::string unset_field_ = "-";
  std::vector<const ZeekField*> columns_;  // per column; nullptr for fields we do not read
  std::vector<std::string_view> cells_;
  ZeekValues values_;
  std::array<std::string, kSlotCount> unescaped_;
};

class ZeekJsonParser final : public LineParser {
 public:
  explicit ZeekJsonParser(std::string_view source_name)
      : name_log_(LogFromName(source_name)),
        reader_(kZeekJsonFields,
                JsonStop{static_cast<std::size_t>(ZeekSlot::kPath),
                         [](std::string_view path) { return FindLog(path) != nullptr; }}) {}

  void Parse(std::string_view line, RecordContext& context) override {
    if (!reader_.Read(line, values_, context)) {
      return;
    }
    const auto path = Get(values_, ZeekSlot::kPath);
    const ZeekLog* log = path ? FindLog(*path) : name_log_;
    if (log == nullptr) {
      context.Skip();
      return;
    }
    EmitRecord(*log, values_, context);
  }

 private:
  const ZeekLog* name_log_;
  JsonLineReader reader_;
  ZeekValues values_;
};

}  // namespace

std::unique_ptr<LineParser> MakeZeekTsvParser(std::string_view source_name) {
  return std::make_unique<ZeekTsvParser>(source_name);
}

std::unique_ptr<LineParser> MakeZeekJsonParser(std::string_view source_name) {
  return std::make_unique<ZeekJsonParser>(source_name);
}

}  // namespace hoshi::defense::detail
