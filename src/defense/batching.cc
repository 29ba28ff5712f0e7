// SPDX-License-Identifier: Apache-2.0
// Cutting a log into gzip pieces that fit a stream message and parse on their own.
//
// The pieces are contiguous line ranges. A piece is sized by trial: compress a guess, then grow
// or shrink it by the observed compression ratio until it is close under the budget (a few
// compressions per piece; the guess carries over from the previous piece). Zeek TSV pieces start
// with the header lines in force, tracked the way the TSV parser reads them (zeek.cc): one line
// per header key, replaced in place; a #separator line starts a new block and drops the #path,
// #fields and #types of the old one (the parser resets its schema there) but keeps the other keys.
#include "hoshi/defense/batching.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <utility>

#include "messages_parts.h"

namespace hoshi::defense {
namespace {

constexpr std::array kMessages{
    MessageEntry{"defense.batch_budget",
                 "バッチの上限 {0} バイトは小さすぎます（{1} バイト以上を指定してください）。",
                 "The batch limit of {0} bytes is too small (use at least {1} bytes)."},
    MessageEntry{"defense.batch_log_too_large",
                 "ログ「{0}」は展開すると上限の {1} バイトを超えます。分割してから送ってください。",
                 "The log '{0}' exceeds the limit of {1} bytes once decompressed. Split it "
                 "before sending."},
    MessageEntry{"defense.batch_line_too_large",
                 "この行は長すぎて、1 つのバッチ（上限 {0} バイト）に収まりません。",
                 "This line is too long to fit into one batch (limit: {0} bytes)."},
};

constexpr std::size_t kInflateChunk = std::size_t{256} << 10U;
/// zlib counts input in `uInt`; larger slices are fed in parts of this size.
constexpr std::size_t kMaxZlibInput = std::size_t{1} << 30U;
/// A piece at least this full (of the budget) is not grown further.
constexpr double kGoodFill = 0.85;
/// Aim a little under the budget when resizing by the observed ratio.
constexpr double kAim = 0.92;
/// Growing attempts per piece (shrinking always continues until the piece fits).
constexpr int kMaxGrowAttempts = 4;
/// First guess of the raw bytes of a piece, as a multiple of the budget (logs compress ~5–15×).
constexpr std::size_t kFirstGuessRatio = 6;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string Num(std::uint64_t v) {
  return FormatNumber(static_cast<long long>(v));
}

struct Inflated {
  std::string text;
  std::string problem;
};

Error LogTooLarge(std::string_view source_name) {
  return MakeError(ErrorCode::kTooLarge, BatchingMessages(), "defense.batch_log_too_large",
                   source_name, Num(kMaxPackedLogBytes));
}

// Inflates gzip members in turn (data after the last member that is not another member is
// ignored, as gzip(1) and ParseLog do). A damaged or cut stream keeps what came before.
Result<Inflated> Inflate(std::string_view log, std::string_view source_name) {
  Inflated out;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {  // 16: gzip wrapper only
    out.problem = "gzip_corrupt";
    return out;
  }
  std::size_t consumed = 0;  // bytes of `log` handed to zlib
  bool member_ended = false;
  while (true) {
    if (zs.avail_in == 0 && consumed < log.size()) {
      const std::size_t n = std::min(log.size() - consumed, kMaxZlibInput);
      // zlib takes a non-const pointer but does not write through it.
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(log.data() + consumed));
      zs.avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    if (member_ended) {
      // Another member follows only when its magic does.
      const std::size_t at = consumed - zs.avail_in;
      if (at >= log.size() || !IsGzip(log.substr(at))) {
        break;
      }
      inflateReset(&zs);
      member_ended = false;
    }
    const std::size_t old_size = out.text.size();
    out.text.resize(old_size + kInflateChunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.text.data() + old_size);
    zs.avail_out = static_cast<uInt>(kInflateChunk);
    const int status = inflate(&zs, Z_NO_FLUSH);
    out.text.resize(old_size + (kInflateChunk - zs.avail_out));
    if (out.text.size() > kMaxPackedLogBytes) {
      inflateEnd(&zs);
      return LogTooLarge(source_name);
    }
    if (status == Z_STREAM_END) {
      member_ended = true;
    } else if (status == Z_BUF_ERROR && zs.avail_in == 0 && consumed >= log.size()) {
      out.problem = "gzip_truncated";  // no progress possible: the input ended mid-member
      break;
    } else if (status != Z_OK && !(status == Z_BUF_ERROR && zs.avail_in == 0)) {
      out.problem = "gzip_corrupt";
      break;
    }
  }
  inflateEnd(&zs);
  if (!out.problem.empty()) {
    // The cut last line is dropped, as ParseLog does.
    const std::size_t nl = out.text.rfind('\n');
    out.text.resize(nl == std::string::npos ? 0 : nl + 1);
  }
  return out;
}

/// gzip of `parts` concatenated (level 6, no file name, mtime 0: the same input gives the same
/// bytes).
std::string Gzip(std::initializer_list<std::string_view> parts) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return {};
  }
  std::size_t total = 0;
  for (const std::string_view part : parts) {
    total += part.size();
  }
  std::string out;
  out.resize(std::min<std::size_t>(total / 4 + 1024, std::size_t{64} << 20U));
  std::size_t written = 0;
  const auto pump = [&](int flush) {
    int status = Z_OK;
    do {
      if (written == out.size()) {
        out.resize(out.size() * 2);
      }
      const std::size_t room = std::min(out.size() - written, kMaxZlibInput);
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + written);
      zs.avail_out = static_cast<uInt>(room);
      status = deflate(&zs, flush);
      written += room - zs.avail_out;
      if (status == Z_STREAM_ERROR) {
        return;  // not reached: the stream state is always valid here
      }
    } while (zs.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
  };
  for (std::string_view part : parts) {
    while (!part.empty()) {
      const std::size_t n = std::min(part.size(), kMaxZlibInput);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
      zs.avail_in = static_cast<uInt>(n);
      pump(Z_NO_FLUSH);
      part.remove_prefix(n);
    }
  }
  zs.next_in = nullptr;
  zs.avail_in = 0;
  pump(Z_FINISH);
  deflateEnd(&zs);
  out.resize(written);
  return out;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string_view StripLineEnd(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

/// The Zeek TSV header in force, one line per key (see the file comment).
class ZeekHeader {
 public:
  /// Takes note of one line of the log (with its line end). `first` marks the log's first line
  /// (which may start with a BOM).
  void Note(std::string_view line, bool first) {
    std::string_view body = line;
    if (first && body.starts_with(kUtf8Bom)) {
      body.remove_prefix(kUtf8Bom.size());
    }
    if (body.empty() || body.front() != '#') {
      return;
    }
    std::size_t key_end = 1;
    while (key_end < body.size() &&
           (std::isalnum(static_cast<unsigned char>(body[key_end])) != 0 || body[key_end] == '_')) {
      ++key_end;
    }
    const std::string_view key = body.substr(0, key_end);
    if (key == "#close") {
      return;  // a trailer, not a header: passed through with the lines
    }
    std::string text(StripLineEnd(line));
    text += '\n';
    if (key == "#separator") {
      std::erase_if(entries_, [](const auto& e) {
        return e.first == "#separator" || e.first == "#path" || e.first == "#fields" ||
               e.first == "#types";
      });
      entries_.insert(entries_.begin(), {std::string(key), std::move(text)});
    } else {
      const auto it = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const auto& e) { return e.first == key; });
      if (it != entries_.end()) {
        it->second = std::move(text);
      } else {
        entries_.emplace_back(std::string(key), std::move(text));
      }
    }
    dirty_ = true;
  }

  /// The header lines to put before a piece.
  const std::string& Text() {
    if (dirty_) {
      text_.clear();
      for (const auto& e : entries_) {
        text_ += e.second;
      }
      dirty_ = false;
    }
    return text_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  std::string text_;
  bool dirty_ = false;
};

/// The end (one past the '\n') of the line holding byte `at` of `text`, or text.size().
std::size_t LineEndAt(std::string_view text, std::size_t at) {
  if (at >= text.size()) {
    return text.size();
  }
  const std::size_t nl = text.find('\n', at);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

/// The end of the line before the one that ends at `end` (> begin), or 0 when [begin, end) is
/// one line.
std::size_t PreviousLineEnd(std::string_view text, std::size_t begin, std::size_t end) {
  if (end - begin < 2) {
    return 0;
  }
  const std::size_t nl = text.rfind('\n', end - 2);
  return nl == std::string_view::npos || nl < begin ? 0 : nl + 1;
}

std::size_t Scale(std::size_t raw, std::size_t budget, std::size_t compressed) {
  constexpr std::size_t kLargest = std::numeric_limits<std::size_t>::max() / 2;
  const double scaled = static_cast<double>(raw) * static_cast<double>(budget) * kAim /
                        static_cast<double>(std::max<std::size_t>(compressed, 1));
  return scaled >= static_cast<double>(kLargest) ? kLargest : static_cast<std::size_t>(scaled);
}

}  // namespace

std::span<const MessageEntry> BatchingMessages() {
  return kMessages;
}

Result<PackedLog> PackLogBatches(std::string_view log, std::size_t max_piece_bytes,
                                 std::string_view source_name) {
  if (max_piece_bytes < kMinBatchBytes) {
    return MakeError(ErrorCode::kInvalidArgument, BatchingMessages(), "defense.batch_budget",
                     Num(max_piece_bytes), Num(kMinBatchBytes));
  }
  Inflated inflated;
  std::string_view text = log;
  if (IsGzip(log)) {
    HOSHI_ASSIGN_OR_RETURN(inflated, Inflate(log, source_name));
    text = inflated.text;
  } else if (log.size() > kMaxPackedLogBytes) {
    return LogTooLarge(source_name);
  }

  PackedLog packed;
  packed.problem = inflated.problem;
  packed.raw_bytes = text.size();
  packed.lines = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')) +
                 (!text.empty() && text.back() != '\n' ? 1 : 0);

  // The format, from the first non-blank line.
  std::size_t first_line_no = 1;
  for (std::size_t at = 0; at < text.size(); ++first_line_no) {
    const std::size_t end = LineEndAt(text, at);
    const std::string_view line = StripLineEnd(text.substr(at, end - at));
    at = end;
    if (IsBlank(line)) {
      continue;
    }
    const std::optional<LogFormat> format = DetectLogFormat(line);
    if (!format) {
      return MakeError(ErrorCode::kDataError, LogMessages(), "defense.log_format", source_name)
          .WithLocation(SourceLocation{std::string(source_name),
                                       static_cast<int>(std::min<std::size_t>(
                                           first_line_no, static_cast<std::size_t>(INT_MAX)))});
    }
    packed.format = *format;
    break;
  }
  if (packed.format == LogFormat::kAuto) {
    return packed;  // nothing but blank lines
  }
  const bool zeek_tsv = packed.format == LogFormat::kZeekTsv;

  ZeekHeader header;
  std::size_t pos = 0;
  std::size_t line_no = 1;  // of the line starting at pos
  std::size_t guess = max_piece_bytes * kFirstGuessRatio;
  while (pos < text.size() && !IsBlank(text.substr(pos))) {
    const std::string prefix = zeek_tsv ? header.Text() : std::string();
    std::size_t end = LineEndAt(text, pos + std::max<std::size_t>(guess, 1) - 1);
    std::size_t best_end = 0;
    std::string best;
    int grows = 0;
    while (true) {
      std::string piece = Gzip({prefix, text.substr(pos, end - pos)});
      const std::size_t raw = end - pos;
      if (piece.size() <= max_piece_bytes) {
        best_end = end;
        best = std::move(piece);
        if (end == text.size() ||
            static_cast<double>(best.size()) >= kGoodFill * static_cast<double>(max_piece_bytes)) {
          break;
        }
        if (++grows > kMaxGrowAttempts) {
          break;
        }
        const std::size_t next = LineEndAt(text, pos + Scale(raw, max_piece_bytes, best.size()));
        if (next <= end) {
          break;
        }
        end = next;
        continue;
      }
      // Too big: shrink by the ratio, at least by one line.
      std::size_t next = LineEndAt(text, pos + Scale(raw, max_piece_bytes, piece.size()));
      if (next >= end) {
        next = PreviousLineEnd(text, pos, end);
      }
      if (next <= best_end) {
        if (best_end > 0) {
          break;  // the best fit so far is as good as it gets
        }
        if (next == 0) {
          return MakeError(ErrorCode::kTooLarge, BatchingMessages(), "defense.batch_line_too_large",
                           Num(max_piece_bytes))
              .WithLocation(
                  SourceLocation{std::string(source_name),
                                 static_cast<int>(std::min<std::size_t>(line_no, INT_MAX))});
        }
      }
      end = next;
    }
    const std::string_view taken = text.substr(pos, best_end - pos);
    if (zeek_tsv) {
      for (std::size_t at = 0; at < taken.size();) {
        const std::size_t line_end = LineEndAt(taken, at);
        header.Note(taken.substr(at, line_end - at), pos + at == 0);
        at = line_end;
      }
    }
    line_no += static_cast<std::size_t>(std::count(taken.begin(), taken.end(), '\n'));
    guess = taken.size();
    pos = best_end;
    packed.pieces.push_back(std::move(best));
  }
  return packed;
}

}  // namespace hoshi::defense
