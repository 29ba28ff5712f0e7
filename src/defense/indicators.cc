// SPDX-License-Identifier: Apache-2.0
#include "hoshi/defense/indicators.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <utility>

#include "hoshi/defense/messages.h"

#include "messages_parts.h"

namespace hoshi::defense {
namespace {

constexpr std::array kMessages{
    MessageEntry{"defense.indicator_invalid", "「{1}」は{0}の指標として不正です。",
                 "'{1}' is not a valid {0} indicator."},
    MessageEntry{
        "defense.indicator_unknown",
        "「{0}」がどの種類の指標（IPアドレス、CIDR、ドメイン、URL、ハッシュ）か判別できません。",
        "Cannot tell which kind of indicator (IP address, CIDR, domain, URL, hash) '{0}' "
        "is."},
    MessageEntry{"defense.indicator_window",
                 "指標「{0}」の有効期間の終わりが始まりより後ではありません。",
                 "The validity of indicator '{0}' does not end after it starts."},
    MessageEntry{"defense.indicator_capacity",
                 "指標セットの上限（値の合計 4 GiB、2^32 件）を超えました。",
                 "The indicator set is full (4 GiB of values or 2^32 indicators)."},
    MessageEntry{"defense.indicator_score", "スコア列「{0}」は0以上の整数ではありません。",
                 "The score column '{0}' is not a non-negative integer."},
    MessageEntry{"defense.indicator_columns", "列が多すぎます（指標とスコアの2列まで）: 「{0}」",
                 "Too many columns (at most an indicator and a score): '{0}'"},
    MessageEntry{"defense.stix_not_bundle",
                 "STIXバンドル、STIXオブジェクト、またはその配列ではありません。",
                 "Not a STIX bundle, a STIX object or an array of STIX objects."},
    MessageEntry{"defense.stix_pattern", "STIXパターン「{0}」の{1}文字目付近が不正です。",
                 "The STIX pattern '{0}' is malformed near character {1}."},
    MessageEntry{"defense.stix_time", "指標 {0} の {1}「{2}」はRFC 3339の日時ではありません。",
                 "The {1} '{2}' of indicator {0} is not an RFC 3339 timestamp."},
    MessageEntry{"defense.stix_window",
                 "指標 {0} の valid_until が valid_from より後ではありません。",
                 "The valid_until of indicator {0} is not after its valid_from."},
    MessageEntry{"defense.stix_no_pattern", "指標 {0} に文字列の pattern がありません。",
                 "Indicator {0} has no pattern string."},
    MessageEntry{"defense.stix_value", "指標 {0} のパターンの値「{1}」は{2}として不正です。",
                 "The value '{1}' in the pattern of indicator {0} is not a valid {2}."},
};

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxDomainLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n\f\v");
  return text.substr(first, last - first + 1);
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- IP keys ------------------------------------------------------------------------------

/// A 16-byte address with the bits past `len` cleared, and the prefix length in IPv6 terms
/// (IPv4 /n is ::ffff:a.b.c.d/(96+n)).
struct IpKey {
  std::array<std::uint8_t, 16> bytes{};
  std::uint8_t len = 128;
  bool operator==(const IpKey&) const = default;
  auto operator<=>(const IpKey&) const = default;  // NOLINT(modernize-use-nullptr): tidy 14 bug
};

constexpr std::uint8_t kV4Offset = 96;

/// The first `len` bits of `ip`: the address as two big-endian 64-bit words, one AND each.
IpKey MaskKey(const IpAddress& ip, std::uint8_t len) {
  static_assert(std::endian::native == std::endian::little ||
                std::endian::native == std::endian::big);
  const auto load = [&](std::size_t at) {
    std::uint64_t word = 0;
    std::memcpy(&word, ip.bytes.data() + at, 8);
    if constexpr (std::endian::native == std::endian::little) {
      word = __builtin_bswap64(word);
    }
    return word;
  };
  const auto mask = [](int bits) -> std::uint64_t {
    if (bits <= 0) {
      return 0;
    }
    return bits >= 64 ? ~std::uint64_t{0} : ~std::uint64_t{0} << static_cast<unsigned>(64 - bits);
  };
  const auto store = [](std::uint64_t word, std::uint8_t* out) {
    if constexpr (std::endian::native == std::endian::little) {
      word = __builtin_bswap64(word);
    }
    std::memcpy(out, &word, 8);
  };
  IpKey key;
  key.len = len;
  store(load(0) & mask(len), key.bytes.data());
  store(load(8) & mask(static_cast<int>(len) - 64), key.bytes.data() + 8);
  return key;
}

bool IsMappedV4(const std::array<std::uint8_t, 16>& bytes) {
  for (std::size_t i = 0; i < 10; ++i) {
    if (bytes[i] != 0) {
      return false;
    }
  }
  return bytes[10] == 0xFF && bytes[11] == 0xFF;
}

/// IPv4 family: inside ::ffff:0:0/96 with a prefix of at least 96 bits.
bool IsV4Key(const IpKey& key) {
  return key.len >= kV4Offset && IsMappedV4(key.bytes);
}

std::uint64_t Mix(std::uint64_t x) {
  // splitmix64 finaliser
  x ^= x >> 30U;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27U;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31U;
  return x;
}

std::uint64_t HashKey(const IpKey& key) {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  std::memcpy(&hi, key.bytes.data(), 8);
  std::memcpy(&lo, key.bytes.data() + 8, 8);
  return Mix(hi ^ Mix(lo ^ (std::uint64_t{key.len} << 56U)));
}

std::uint64_t HashText(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

// ---- Normalisation ------------------------------------------------------------------------

struct Normalized {
  IndicatorType type = IndicatorType::kIp;
  std::string text;
  IpKey key;  ///< kIp / kCidr only
  std::uint8_t prefix_len = 0;
};

/// "192.0.2.1", "2001:db8::/32", "::ffff:10.0.0.0/104" (IPv6 terms for IPv6 text).
std::optional<Normalized> NormalizeAddress(std::string_view text) {
  std::string_view addr_text = text;
  std::optional<int> prefix;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    addr_text = text.substr(0, slash);
    const std::string_view len_text = text.substr(slash + 1);
    int value = 0;
    if (!AllDigits(len_text) || len_text.size() > 3 ||
        std::from_chars(len_text.data(), len_text.data() + len_text.size(), value).ec !=
            std::errc()) {
      return std::nullopt;
    }
    prefix = value;
  }
  const auto ip = ParseIp(addr_text);
  if (!ip) {
    return std::nullopt;
  }
  const bool v4_text = addr_text.find(':') == std::string_view::npos;
  int len128 = 128;
  if (prefix) {
    if (*prefix > (v4_text ? 32 : 128)) {
      return std::nullopt;
    }
    len128 = v4_text ? kV4Offset + *prefix : *prefix;
  }
  Normalized out;
  if (len128 == 128) {
    out.key.bytes = ip->bytes;
  } else {
    out.key = MaskKey(*ip, static_cast<std::uint8_t>(len128));
  }
  const bool v4 = IsV4Key(out.key);
  if (v4) {
    // Dotted quad, as ToString writes it, without a printf round trip (lists are mostly IPv4).
    std::array<char, 16> buffer{};
    char* p = buffer.data();
    for (std::size_t i = 12; i < 16; ++i) {
      p = std::to_chars(p, buffer.data() + buffer.size(), out.key.bytes[i]).ptr;
      if (i < 15) {
        *p++ = '.';
      }
    }
    out.text.assign(buffer.data(), p);
  } else {
    IpAddress network;
    network.bytes = out.key.bytes;
    out.text = ToString(network);
  }
  out.prefix_len = static_cast<std::uint8_t>(v4 ? len128 - kV4Offset : len128);
  if (len128 == 128) {
    out.type = IndicatorType::kIp;
  } else {
    out.type = IndicatorType::kCidr;
    out.text += '/';
    out.text += std::to_string(out.prefix_len);
  }
  return out;
}

/// Lower case, no trailing dot; labels of [a-z0-9_-] or non-ASCII bytes, 1–63 bytes each, 253 in
/// all; the last label not all digits.
std::optional<std::string> NormalizeDomain(std::string_view text) {
  if (!text.empty() && text.back() == '.') {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > kMaxDomainLength) {
    return std::nullopt;
  }
  std::string out(text);
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= out.size(); ++i) {
    if (i == out.size() || out[i] == '.') {
      if (i == label_start || i - label_start > kMaxLabelLength) {
        return std::nullopt;
      }
      label_start = i + 1;
      continue;
    }
    const char c = AsciiLower(out[i]);
    out[i] = c;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok) {
      return std::nullopt;
    }
  }
  const auto last_dot = out.rfind('.');
  if (AllDigits(std::string_view(out).substr(last_dot == std::string::npos ? 0 : last_dot + 1))) {
    return std::nullopt;
  }
  return out;
}

/// Upper-cases the hex digits of percent escapes (RFC 3986 §6.2.2.1); false on a bad escape or
/// on whitespace/control characters.
bool AppendUrlTail(std::string_view tail, std::string& out) {
  for (std::size_t i = 0; i < tail.size(); ++i) {
    const char c = tail[i];
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return false;
    }
    if (c == '%') {
      if (i + 2 >= tail.size() || !IsHexDigit(tail[i + 1]) || !IsHexDigit(tail[i + 2])) {
        return false;
      }
      out += '%';
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(tail[i + 1])));
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(tail[i + 2])));
      i += 2;
      continue;
    }
    out += c;
  }
  return true;
}

/// scheme://[userinfo@]host[:port][/path][?query][#fragment] → scheme and host lower case, the
/// default port (http 80, https 443) and the fragment dropped, an empty path as "/".
std::optional<std::string> NormalizeUrl(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() + 1);
  for (std::size_t i = 0; i < sep; ++i) {
    const char c = AsciiLower(text[i]);
    const bool ok = (c >= 'a' && c <= 'z') ||
                    (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) {
      return std::nullopt;
    }
    out += c;
  }
  const std::string scheme = out;
  out += "://";
  std::string_view rest = text.substr(sep + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const auto authority_end = std::min(rest.find_first_of("/?"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = rest.substr(authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (!AppendUrlTail(authority.substr(0, at + 1), out)) {
      return std::nullopt;
    }
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    const auto ip = ParseIp(host);
    if (!ip || port.find_first_not_of(':') == 0) {
      return std::nullopt;
    }
    out += '[' + ToString(*ip) + ']';
  } else {
    if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (const auto ip = ParseIp(host); ip && host.find(':') == std::string_view::npos) {
      out += ToString(*ip);
    } else if (auto domain = NormalizeDomain(host)) {
      out += *domain;
    } else {
      return std::nullopt;
    }
  }
  if (!port.empty()) {
    port.remove_prefix(1);  // ':'
    if (!port.empty()) {
      if (!AllDigits(port) || port.size() > 5) {
        return std::nullopt;
      }
      const bool is_default =
          (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
      if (!is_default) {
        out += ':';
        out += port;
      }
    }
  }
  if (tail.empty() || tail.front() == '?') {
    out += '/';
  }
  if (!AppendUrlTail(tail, out)) {
    return std::nullopt;
  }
  return out;
}

std::optional<IndicatorType> HashTypeFor(std::size_t length) {
  switch (length) {
    case 32:
      return IndicatorType::kMd5;
    case 40:
      return IndicatorType::kSha1;
    case 64:
      return IndicatorType::kSha256;
    default:
      return std::nullopt;
  }
}

std::optional<Normalized> NormalizeHash(std::string_view text) {
  const auto type = HashTypeFor(text.size());
  if (!type || !std::all_of(text.begin(), text.end(), IsHexDigit)) {
    return std::nullopt;
  }
  Normalized out;
  out.type = *type;
  out.text.resize(text.size());
  std::transform(text.begin(), text.end(), out.text.begin(), AsciiLower);
  return out;
}

std::optional<Normalized> FromText(IndicatorType type, std::optional<std::string> text) {
  if (!text) {
    return std::nullopt;
  }
  Normalized out;
  out.type = type;
  out.text = std::move(*text);
  return out;
}

std::optional<Normalized> NormalizeAs(IndicatorType type, std::string_view text) {
  text = Trim(text);
  switch (type) {
    case IndicatorType::kIp:
    case IndicatorType::kCidr:
      return NormalizeAddress(text);
    case IndicatorType::kDomain:
      return FromText(type, NormalizeDomain(text));
    case IndicatorType::kUrl:
      return FromText(type, NormalizeUrl(text));
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256: {
      auto out = NormalizeHash(text);
      if (out && out->type != type) {
        return std::nullopt;
      }
      return out;
    }
  }
  return std::nullopt;
}

/// Type detection for lists: URL, CIDR, host/path, IP, hash, dotted domain.
std::optional<Normalized> Detect(std::string_view text) {
  text = Trim(text);
  if (text.find("://") != std::string_view::npos) {
    return NormalizeAs(IndicatorType::kUrl, text);
  }
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view suffix = text.substr(slash + 1);
    if ((suffix.empty() || AllDigits(suffix)) && ParseIp(text.substr(0, slash))) {
      return NormalizeAddress(text);  // a CIDR, or a bad one (never "http://10.0.0.0/40")
    }
    return NormalizeAs(IndicatorType::kUrl, "http://" + std::string(text));
  }
  if (auto ip = NormalizeAddress(text)) {
    return ip;
  }
  if (auto hash = NormalizeHash(text)) {
    return hash;
  }
  if (text.find('.') != std::string_view::npos) {
    return FromText(IndicatorType::kDomain, NormalizeDomain(text));
  }
  return std::nullopt;
}

Error InvalidValue(IndicatorType type, std::string_view text) {
  return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.indicator_invalid",
                   IndicatorTypeName(type), text.substr(0, 200));
}

Error UnknownValue(std::string_view text) {
  return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.indicator_unknown",
                   text.substr(0, 200));
}

// ---- Set internals ------------------------------------------------------------------------

struct Record {
  std::uint32_t value_off = 0;
  std::uint32_t value_len = 0;
  std::uint32_t meta = 0;
  std::int32_t score = -1;
  IndicatorType type = IndicatorType::kIp;
  std::uint8_t prefix_len = 0;
  bool run_end = true;  ///< the last record with this key (records are sorted by key)
};
static_assert(sizeof(Record) == 20);

struct Meta {
  std::string source;
  std::string stix_id;
  std::string tlp;
  std::vector<std::string> labels;
  std::int64_t valid_from_us = 0;
  std::int64_t valid_until_us = 0;
  bool operator==(const Meta&) const = default;

  [[nodiscard]] bool ValidAt(std::int64_t ts_us) const {
    return (valid_from_us == 0 || ts_us >= valid_from_us) &&
           (valid_until_us == 0 || ts_us < valid_until_us);
  }
};

struct Slot {
  std::uint32_t tag = 0;
  std::uint32_t record = kNone;
};

std::size_t StringHeap(const std::string& s) {
  // libstdc++ keeps up to 15 bytes in place.
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

/// Records of one kind of key, sorted by key after Freeze, with an open-addressing index over
/// the first record of each key.
struct Table {
  std::vector<Record> records;
  std::vector<IpKey> keys;  ///< parallel to records; the IP table only
  std::vector<Slot> slots;
  std::size_t mask = 0;

  [[nodiscard]] std::size_t Bytes() const {
    return records.capacity() * sizeof(Record) + keys.capacity() * sizeof(IpKey) +
           slots.capacity() * sizeof(Slot);
  }

  template <typename Eq>
  [[nodiscard]] std::uint32_t Find(std::uint64_t hash, Eq&& eq) const {
    if (slots.empty()) {
      return kNone;
    }
    const auto tag = static_cast<std::uint32_t>(hash >> 32U);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots[i];
      if (slot.record == kNone) {
        return kNone;
      }
      if (slot.tag == tag && eq(slot.record)) {
        return slot.record;
      }
    }
  }

  /// One slot per run of equal keys: (hash of the key, index of the run's first record).
  void BuildSlots(std::span<const std::pair<std::uint64_t, std::uint32_t>> runs) {
    // Load factor ≤ 2/3 with a power-of-two capacity.
    const std::size_t capacity =
        std::bit_ceil(std::max<std::size_t>(8, runs.size() + runs.size() / 2 + 1));
    std::vector<Slot>(capacity).swap(slots);
    mask = capacity - 1;
    for (const auto& [hash, record] : runs) {
      std::size_t i = hash & mask;
      while (slots[i].record != kNone) {
        i = (i + 1) & mask;
      }
      slots[i] = Slot{static_cast<std::uint32_t>(hash >> 32U), record};
    }
  }
};

enum TableId : std::uint8_t { kIpTable, kDomainTable, kUrlTable, kHashTable, kTableCount };

TableId TableFor(IndicatorType type) {
  switch (type) {
    case IndicatorType::kIp:
    case IndicatorType::kCidr:
      return kIpTable;
    case IndicatorType::kDomain:
      return kDomainTable;
    case IndicatorType::kUrl:
      return kUrlTable;
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256:
      return kHashTable;
  }
  return kHashTable;
}

constexpr std::size_t kTypeCount = 7;

}  // namespace

std::span<const MessageEntry> IndicatorMessages() {
  return kMessages;
}

std::string_view IndicatorTypeName(IndicatorType type) {
  switch (type) {
    case IndicatorType::kIp:
      return "ip";
    case IndicatorType::kCidr:
      return "cidr";
    case IndicatorType::kDomain:
      return "domain";
    case IndicatorType::kUrl:
      return "url";
    case IndicatorType::kMd5:
      return "md5";
    case IndicatorType::kSha1:
      return "sha1";
    case IndicatorType::kSha256:
      return "sha256";
  }
  return "?";
}

Result<Indicator> MakeIndicator(std::string_view text, std::optional<IndicatorType> type) {
  const auto normalized = type ? NormalizeAs(*type, text) : Detect(text);
  if (!normalized) {
    return type ? InvalidValue(*type, text) : UnknownValue(text);
  }
  Indicator out;
  out.type = normalized->type;
  out.value = normalized->text;
  out.prefix_len = normalized->prefix_len;
  return out;
}

Indicator IndicatorView::ToIndicator() const {
  Indicator out;
  out.type = type;
  out.value = std::string(value);
  out.prefix_len = prefix_len;
  out.score = score;
  out.source = std::string(source);
  out.stix_id = std::string(stix_id);
  out.tlp = std::string(tlp);
  out.valid_from_us = valid_from_us;
  out.valid_until_us = valid_until_us;
  out.labels.assign(labels.begin(), labels.end());
  return out;
}

void ImportReport::NoteSkipped(std::string_view reason, std::size_t count) {
  skipped += count;
  reasons[std::string(reason)] += count;
}

void ImportReport::NoteInvalid(std::string_view reason, Error error) {
  ++invalid;
  ++reasons[std::string(reason)];
  if (errors.size() < kMaxErrors) {
    errors.push_back(std::move(error));
  }
}

struct IndicatorSet::Impl {
  std::string arena;
  std::array<Table, kTableCount> tables;
  std::vector<Meta> metas;
  std::array<std::size_t, kTypeCount> counts{};
  /// Prefix lengths (IPv6 terms) present in the IP table, longest first, per family; each with
  /// a filter of its own (one bit per key, chosen by the top bits of its hash; a power of two of
  /// at least 8 bits per key and at least 64 Kibit) so that a length holding no key near the
  /// address costs a bit test instead of a probe.
  struct LengthProbe {
    std::uint8_t len = 0;
    std::uint8_t shift = 0;    ///< hash >> shift is the bit index in this length's filter
    std::uint64_t filter = 0;  ///< offset of the filter's first word in `filters`
  };
  std::vector<LengthProbe> v4_lengths;
  std::vector<LengthProbe> v6_lengths;
  std::vector<std::uint64_t> filters;
  static constexpr unsigned kMinFilterBitsLog2 = 16;
  static constexpr std::size_t kFilterBitsPerKey = 8;

  [[nodiscard]] bool MayHold(const LengthProbe& probe, std::uint64_t hash) const {
    const std::uint64_t bit = hash >> probe.shift;
    return ((filters[probe.filter + (bit >> 6U)] >> (bit & 63U)) & 1U) != 0;
  }
  bool frozen = false;

  [[nodiscard]] std::string_view Text(const Record& r) const {
    return std::string_view(arena).substr(r.value_off, r.value_len);
  }

  std::uint32_t InternMeta(Meta&& meta) {
    if (metas.empty() || !(metas.back() == meta)) {
      metas.push_back(std::move(meta));
    }
    return static_cast<std::uint32_t>(metas.size() - 1);
  }

  /// The metadata of `ind`, shared with the previous indicator when equal (no copies then).
  std::uint32_t InternMeta(const Indicator& ind) {
    if (!metas.empty()) {
      const Meta& last = metas.back();
      if (last.source == ind.source && last.stix_id == ind.stix_id && last.tlp == ind.tlp &&
          last.labels == ind.labels && last.valid_from_us == ind.valid_from_us &&
          last.valid_until_us == ind.valid_until_us) {
        return static_cast<std::uint32_t>(metas.size() - 1);
      }
    }
    return InternMeta(
        Meta{ind.source, ind.stix_id, ind.tlp, ind.labels, ind.valid_from_us, ind.valid_until_us});
  }

  Status AddNormalized(Normalized&& value, int score, std::uint32_t meta) {
    Table& table = tables[TableFor(value.type)];
    if (arena.size() + value.text.size() > std::numeric_limits<std::uint32_t>::max() ||
        table.records.size() >= kNone - 1) {
      return MakeError(ErrorCode::kTooLarge, DefenseMessages(), "defense.indicator_capacity");
    }
    Record r;
    r.value_off = static_cast<std::uint32_t>(arena.size());
    r.value_len = static_cast<std::uint32_t>(value.text.size());
    r.meta = meta;
    r.score = score;
    r.type = value.type;
    r.prefix_len = value.prefix_len;
    arena += value.text;
    table.records.push_back(r);
    if (value.type == IndicatorType::kIp || value.type == IndicatorType::kCidr) {
      table.keys.push_back(value.key);
    }
    ++counts[static_cast<std::size_t>(value.type)];
    frozen = false;
    return Status::Ok();
  }

  void Freeze() {
    std::string new_arena;
    new_arena.reserve(arena.size());
    counts.fill(0);
    FreezeTable(tables[kIpTable], new_arena, true);
    for (const TableId id : {kDomainTable, kUrlTable, kHashTable}) {
      FreezeTable(tables[id], new_arena, false);
    }
    arena = std::move(new_arena);
    arena.shrink_to_fit();
    metas.shrink_to_fit();
    BuildLengths();
    frozen = true;
  }

  /// Sorts by (key hash, key, score descending, metadata, insertion order) — any order that
  /// groups equal keys will do, and hashes make it cheap —, merges exact duplicates, stores each
  /// key's text once in `new_arena`, marks the runs of equal keys and builds the slots.
  void FreezeTable(Table& table, std::string& new_arena, bool ip) {
    struct Item {
      std::uint64_t hash;
      std::int32_t score;
      std::uint32_t meta;
      std::uint32_t index;
    };
    const std::size_t n = table.records.size();
    std::vector<Item> items(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const Record& r = table.records[i];
      const std::uint64_t hash = ip ? HashKey(table.keys[i]) : HashText(Text(r));
      items[i] = Item{hash, r.score, r.meta, i};
    }
    const auto same_key = [&](const Item& a, const Item& b) {
      return a.hash == b.hash &&
             (ip ? table.keys[a.index] == table.keys[b.index]
                 : Text(table.records[a.index]) == Text(table.records[b.index]));
    };
    std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
      if (a.hash != b.hash) {
        return a.hash < b.hash;
      }
      if (!same_key(a, b)) {  // a hash collision: any consistent order
        return ip ? table.keys[a.index] < table.keys[b.index]
                  : Text(table.records[a.index]) < Text(table.records[b.index]);
      }
      if (a.score != b.score) {
        return a.score > b.score;
      }
      return a.meta != b.meta ? a.meta < b.meta : a.index < b.index;
    });
    std::vector<Record> records;
    std::vector<IpKey> keys;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> runs;
    records.reserve(n);
    keys.reserve(ip ? n : 0);
    for (std::size_t k = 0; k < n; ++k) {
      const Item& item = items[k];
      Record r = table.records[item.index];
      if (k > 0 && same_key(items[k - 1], item)) {
        const Record& p = records.back();
        if (p.meta == r.meta && p.score == r.score && p.type == r.type) {
          continue;  // exact duplicate
        }
        records.back().run_end = false;
        r.value_off = p.value_off;  // share the text
      } else {
        runs.emplace_back(item.hash, static_cast<std::uint32_t>(records.size()));
        r.value_off = static_cast<std::uint32_t>(new_arena.size());
        new_arena += Text(table.records[item.index]);
      }
      r.run_end = true;
      records.push_back(r);
      if (ip) {
        keys.push_back(table.keys[item.index]);
      }
      ++counts[static_cast<std::size_t>(r.type)];
    }
    records.shrink_to_fit();
    table.records = std::move(records);
    table.keys = std::move(keys);
    table.BuildSlots(runs);
  }

  void BuildLengths() {
    // Keys per (family, length) first: each length's filter is sized to its keys.
    std::array<std::size_t, 129> v4_keys{};
    std::array<std::size_t, 129> v6_keys{};
    const Table& table = tables[kIpTable];
    for (const IpKey& key : table.keys) {
      ++(IsV4Key(key) ? v4_keys : v6_keys)[key.len];
    }
    std::array<LengthProbe, 129> v4_probe{};
    std::array<LengthProbe, 129> v6_probe{};
    filters.clear();
    for (auto* family : {&v4_keys, &v6_keys}) {
      auto& probes = family == &v4_keys ? v4_probe : v6_probe;
      for (std::size_t len = 0; len < family->size(); ++len) {
        if ((*family)[len] == 0) {
          continue;
        }
        unsigned log2 = kMinFilterBitsLog2;
        while ((std::uint64_t{1} << log2) < (*family)[len] * kFilterBitsPerKey && log2 < 40) {
          ++log2;
        }
        probes[len] = {static_cast<std::uint8_t>(len), static_cast<std::uint8_t>(64 - log2),
                       filters.size()};
        filters.resize(filters.size() + ((std::size_t{1} << log2) / 64));
      }
    }
    for (const IpKey& key : table.keys) {
      const LengthProbe& probe = (IsV4Key(key) ? v4_probe : v6_probe)[key.len];
      const std::uint64_t bit = HashKey(key) >> probe.shift;
      filters[probe.filter + (bit >> 6U)] |= std::uint64_t{1} << (bit & 63U);
    }
    filters.shrink_to_fit();
    v4_lengths.clear();
    v6_lengths.clear();
    for (int len = 128; len >= 0; --len) {
      if (v4_keys[len] != 0) {
        v4_lengths.push_back(v4_probe[len]);
      }
      if (v6_keys[len] != 0) {
        v6_lengths.push_back(v6_probe[len]);
      }
    }
  }

  [[nodiscard]] IndicatorView View(const Record& r) const {
    const Meta& m = metas[r.meta];
    IndicatorView v;
    v.type = r.type;
    v.value = Text(r);
    v.prefix_len = r.prefix_len;
    v.score = r.score;
    v.source = m.source;
    v.stix_id = m.stix_id;
    v.tlp = m.tlp;
    v.valid_from_us = m.valid_from_us;
    v.valid_until_us = m.valid_until_us;
    v.labels = m.labels;
    return v;
  }

  /// The first record of the run starting at `first` that is valid at `ts_us`.
  [[nodiscard]] std::optional<IndicatorView> FirstValid(const Table& table, std::uint32_t first,
                                                        std::int64_t ts_us) const {
    if (first == kNone) {
      return std::nullopt;
    }
    for (std::size_t i = first;; ++i) {
      const Record& r = table.records[i];
      if (metas[r.meta].ValidAt(ts_us)) {
        return View(r);
      }
      if (r.run_end) {
        return std::nullopt;
      }
    }
  }

  [[nodiscard]] std::optional<IndicatorView> FindText(TableId id, std::string_view key,
                                                      std::int64_t ts_us) const {
    HOSHI_DCHECK(frozen);
    const Table& table = tables[id];
    const auto first =
        table.Find(HashText(key), [&](std::uint32_t r) { return Text(table.records[r]) == key; });
    return FirstValid(table, first, ts_us);
  }
};

/// Internal access for the importers in this file.
struct ImportAccess {
  static IndicatorSet::Impl& Of(IndicatorSet& set) { return *set.impl_; }
};

IndicatorSet::IndicatorSet() : impl_(std::make_unique<Impl>()) {}
IndicatorSet::~IndicatorSet() = default;
IndicatorSet::IndicatorSet(IndicatorSet&&) noexcept = default;
IndicatorSet& IndicatorSet::operator=(IndicatorSet&&) noexcept = default;

Status IndicatorSet::Add(const Indicator& indicator) {
  auto normalized = NormalizeAs(indicator.type, indicator.value);
  if (!normalized) {
    return InvalidValue(indicator.type, indicator.value);
  }
  if (indicator.valid_from_us != 0 && indicator.valid_until_us != 0 &&
      indicator.valid_until_us <= indicator.valid_from_us) {
    return MakeError(ErrorCode::kDataError, DefenseMessages(), "defense.indicator_window",
                     normalized->text);
  }
  const std::uint32_t meta = impl_->InternMeta(indicator);
  return impl_->AddNormalized(std::move(*normalized), indicator.score, meta);
}

void IndicatorSet::Freeze() {
  impl_->Freeze();
}

bool IndicatorSet::frozen() const {
  return impl_->frozen;
}

std::optional<IndicatorView> IndicatorSet::MatchIp(const IpAddress& ip, std::int64_t ts_us) const {
  HOSHI_DCHECK(impl_->frozen);
  const Table& table = impl_->tables[kIpTable];
  const auto& lengths = ip.IsV4() ? impl_->v4_lengths : impl_->v6_lengths;
  for (const Impl::LengthProbe& probe : lengths) {
    const IpKey key = MaskKey(ip, probe.len);
    const std::uint64_t hash = HashKey(key);
    if (!impl_->MayHold(probe, hash)) {
      continue;
    }
    const auto first = table.Find(hash, [&](std::uint32_t r) { return table.keys[r] == key; });
    if (auto hit = impl_->FirstValid(table, first, ts_us)) {
      return hit;
    }
  }
  return std::nullopt;
}

std::optional<IndicatorView> IndicatorSet::MatchDomain(std::string_view name,
                                                       std::int64_t ts_us) const {
  if (!name.empty() && name.back() == '.') {
    name.remove_suffix(1);
  }
  if (name.empty() || name.size() > kMaxDomainLength) {
    return std::nullopt;
  }
  std::array<char, kMaxDomainLength> buffer{};
  std::transform(name.begin(), name.end(), buffer.begin(), AsciiLower);
  std::string_view candidate(buffer.data(), name.size());
  while (!candidate.empty()) {
    if (auto hit = impl_->FindText(kDomainTable, candidate, ts_us)) {
      return hit;
    }
    const auto dot = candidate.find('.');
    if (dot == std::string_view::npos) {
      break;
    }
    candidate.remove_prefix(dot + 1);
  }
  return std::nullopt;
}

std::optional<IndicatorView> IndicatorSet::MatchUrl(std::string_view url,
                                                    std::int64_t ts_us) const {
  const auto normalized = NormalizeUrl(Trim(url));
  if (!normalized) {
    return std::nullopt;
  }
  if (auto hit = impl_->FindText(kUrlTable, *normalized, ts_us)) {
    return hit;
  }
  if (const auto query = normalized->find('?'); query != std::string::npos) {
    return impl_->FindText(kUrlTable, std::string_view(*normalized).substr(0, query), ts_us);
  }
  return std::nullopt;
}

std::optional<IndicatorView> IndicatorSet::MatchHash(std::string_view hex,
                                                     std::int64_t ts_us) const {
  hex = Trim(hex);
  std::array<char, 64> buffer{};
  if (!HashTypeFor(hex.size())) {
    return std::nullopt;
  }
  std::transform(hex.begin(), hex.end(), buffer.begin(), AsciiLower);
  return impl_->FindText(kHashTable, std::string_view(buffer.data(), hex.size()), ts_us);
}

std::size_t IndicatorSet::size() const {
  return std::accumulate(impl_->counts.begin(), impl_->counts.end(), std::size_t{0});
}

std::size_t IndicatorSet::Count(IndicatorType type) const {
  return impl_->counts[static_cast<std::size_t>(type)];
}

std::size_t IndicatorSet::MemoryBytes() const {
  const Impl& s = *impl_;
  std::size_t bytes =
      sizeof(Impl) + s.arena.capacity() + s.metas.capacity() * sizeof(Meta) +
      (s.v4_lengths.capacity() + s.v6_lengths.capacity()) * sizeof(Impl::LengthProbe) +
      s.filters.capacity() * sizeof(std::uint64_t);
  for (const Table& t : s.tables) {
    bytes += t.Bytes();
  }
  for (const Meta& m : s.metas) {
    bytes += StringHeap(m.source) + StringHeap(m.stix_id) + StringHeap(m.tlp) +
             m.labels.capacity() * sizeof(std::string);
    for (const std::string& label : m.labels) {
      bytes += StringHeap(label);
    }
  }
  return bytes;
}

// ---- Plain lists --------------------------------------------------------------------------

namespace {

/// Cuts a comment that starts a line or follows whitespace ('#' or ';').
std::string_view StripComment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') &&
        (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

/// Up to `max` fields separated by runs of spaces, tabs or commas; returns the field count
/// (max + 1 when there are more).
std::size_t SplitFields(std::string_view line, std::span<std::string_view> fields) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    const auto start = line.find_first_not_of(" \t,", i);
    if (start == std::string_view::npos) {
      break;
    }
    const auto end = std::min(line.find_first_of(" \t,", start), line.size());
    if (count == fields.size()) {
      return count + 1;
    }
    fields[count++] = line.substr(start, end - start);
    i = end;
  }
  return count;
}

bool IsSinkAddress(std::string_view text) {
  return text == "0.0.0.0" || text == "127.0.0.1" || text == "::" || text == "::1";
}

}  // namespace

Result<ImportReport> ImportPlainList(std::string_view text, std::string_view source,
                                     IndicatorSet& set) {
  auto& impl = ImportAccess::Of(set);
  Meta meta;
  meta.source = std::string(source);
  const std::uint32_t meta_index = impl.InternMeta(std::move(meta));
  ImportReport report;
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto nl = std::min(text.find('\n'), text.size());
    const std::string_view raw = text.substr(0, nl);
    text.remove_prefix(std::min(nl + 1, text.size()));
    ++line_no;
    const std::string_view line = Trim(StripComment(raw));
    if (line.empty()) {
      continue;
    }
    const auto located = [&](Error error) {
      return std::move(error)
          .WithLocation(SourceLocation{std::string(source), static_cast<int>(line_no), 0})
          .WithDetail(std::string(raw.substr(0, 200)));
    };
    std::array<std::string_view, 2> fields;
    const std::size_t count = SplitFields(line, fields);
    if (count > fields.size()) {
      report.NoteInvalid("columns",
                         located(MakeError(ErrorCode::kDataError, DefenseMessages(),
                                           "defense.indicator_columns", line.substr(0, 200))));
      continue;
    }
    std::string_view value = fields[0];
    int score = -1;
    if (count == 2) {
      if (IsSinkAddress(fields[0]) && !AllDigits(fields[1])) {
        value = fields[1];  // hosts file: "0.0.0.0 evil.com"
      } else if (!AllDigits(fields[1]) || fields[1].size() > 9 ||
                 std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), score).ec !=
                     std::errc()) {
        report.NoteInvalid("bad_score", located(MakeError(ErrorCode::kDataError, DefenseMessages(),
                                                          "defense.indicator_score", fields[1])));
        continue;
      }
    }
    auto normalized = Detect(value);
    if (!normalized) {
      report.NoteInvalid("bad_value", located(UnknownValue(value)));
      continue;
    }
    HOSHI_RETURN_IF_ERROR(impl.AddNormalized(std::move(*normalized), score, meta_index));
    ++report.added;
  }
  return report;
}

namespace {

std::optional<IndicatorHit> ToHit(const std::optional<IndicatorView>& view) {
  if (!view) {
    return std::nullopt;
  }
  return IndicatorHit{std::string(view->value),   std::string(IndicatorTypeName(view->type)),
                      std::string(view->source),  view->score,
                      std::string(view->stix_id), std::string(view->tlp)};
}

}  // namespace

std::optional<IndicatorHit> IndicatorSetLookup::LookupIp(const IpAddress& ip,
                                                         std::int64_t ts_us) const {
  return ToHit(set_.MatchIp(ip, ts_us));
}

std::optional<IndicatorHit> IndicatorSetLookup::LookupDomain(std::string_view name,
                                                             std::int64_t ts_us) const {
  return ToHit(set_.MatchDomain(name, ts_us));
}

}  // namespace hoshi::defense
