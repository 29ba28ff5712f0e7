// SPDX-License-Identifier: Apache-2.0
// De-identified STIX 2.1 export and TAXII 2.1 responses (issue #6). The rules are listed in
// sharing.h.
#include "hoshi/defense/sharing.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/error_code.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/indicators.h"

#include "messages_parts.h"

namespace hoshi::defense {
namespace {

constexpr MessageEntry kMessages[] = {
    MessageEntry{"defense.share_observable", "「{1}」は{0}の観測値として不正です。",
                 "'{1}' is not a valid {0} observable."},
    MessageEntry{
        "defense.share_context",
        "被害組織の情報 {0}[{1}] が不正です（空の値、またはCIDRとして読めないネットワーク）。",
        "The victim context entry {0}[{1}] is invalid (empty, or a network that is not "
        "CIDR text)."},
    MessageEntry{"defense.share_tlp",
                 "TLP「{0}」は使えません（CLEAR、GREEN、AMBER、AMBER+STRICT、RED、WHITE。"
                 "TLP 1.0 では AMBER+STRICT は使えません）。",
                 "TLP '{0}' cannot be used (CLEAR, GREEN, AMBER, AMBER+STRICT, RED, WHITE; "
                 "AMBER+STRICT does not exist in TLP 1.0)."},
    MessageEntry{"defense.share_min_orgs",
                 "業種を示すための最小組織数は2以上にしてください（{0} が指定されました）。",
                 "The minimum number of organisations for naming a sector must be at least 2 "
                 "({0} was given)."},
    MessageEntry{"defense.share_now", "共有データの作成時刻（now_us）が指定されていません。",
                 "The export time (now_us) is not set."},
    MessageEntry{"defense.share_producer", "共有データの作成者名（producer_name）が空です。",
                 "The producer name (producer_name) is empty."},
    MessageEntry{"defense.share_leak",
                 "匿名化の最終確認で、被害組織を特定できる値が{0}件見つかったため、共有データを"
                 "作成しませんでした。",
                 "The final de-identification check found {0} value(s) that could identify a "
                 "victim, so no bundle was produced."},
    MessageEntry{"defense.share_sector_identity", "{0}の参加組織",
                 "Participating organisations in {0}"},
    MessageEntry{"defense.share_generic_identity", "参加組織", "Participating organisation"},
    MessageEntry{
        "defense.share_indicator_description",
        "参加組織で検知された攻撃側の指標です（検知: {0}）。被害組織の情報は除去済みです。",
        "Attacker-side indicator detected at participating organisations (detections: "
        "{0}); victim information removed."},
    MessageEntry{"defense.share_taxii_added_after",
                 "パラメータ {0} の値「{1}」はRFC 3339の日時ではありません。",
                 "Parameter {0}: '{1}' is not an RFC 3339 timestamp."},
    MessageEntry{"defense.share_taxii_limit",
                 "パラメータ {0} の値「{1}」は1以上1000以下の整数ではありません。",
                 "Parameter {0}: '{1}' is not an integer from 1 to 1000."},
    MessageEntry{"defense.share_taxii_next",
                 "パラメータ {0} の値「{1}」はこのサーバーが返したカーソルではありません。",
                 "Parameter {0}: '{1}' is not a cursor returned by this server."},
    MessageEntry{"defense.share_taxii_match_type",
                 "パラメータ {0} の値「{1}」はSTIXの型名の並びではありません。",
                 "Parameter {0}: '{1}' is not a list of STIX type names."},
    MessageEntry{"defense.share_taxii_match_id",
                 "パラメータ {0} の値「{1}」はSTIXのIDの並びではありません。",
                 "Parameter {0}: '{1}' is not a list of STIX ids."},
    MessageEntry{"defense.share_taxii_repeated", "パラメータ {0} が複数回指定されています。",
                 "Parameter {0} is given more than once."},
};

constexpr std::int64_t kMicrosPerMilli = 1'000;
constexpr std::uint64_t kMaxSightingCount = 999'999'999;
constexpr std::size_t kMaxEvidenceArray = 64;
/// Terms of at least this many ASCII characters are matched as substrings, shorter ones as
/// whole tokens.
constexpr std::size_t kSubstringMinLength = 4;
/// The UUIDv5 namespace of hoshitori's deterministic STIX ids (a fixed random UUID).
constexpr std::array<std::uint8_t, 16> kIdNamespace{0x3b, 0x6a, 0x1f, 0x52, 0x8e, 0x07, 0x4c, 0x9d,
                                                    0xa1, 0x34, 0x5e, 0x0b, 0x7c, 0x2f, 0xd8, 0x61};
/// created/modified of the identities the exporter generates (immutable objects).
constexpr std::string_view kIdentityEpoch = "2026-01-01T00:00:00.000Z";

// ---- Digests ------------------------------------------------------------------------------
// MD5 (RFC 1321) and SHA-1 (FIPS 180-4): libsodium has neither. Used only to recognise hashed
// victim values and for UUIDv5; never to protect anything.

std::uint32_t RotL(std::uint32_t x, unsigned n) {
  return (x << n) | (x >> (32U - n));
}

/// The message padded to whole 64-byte blocks with its bit length (big- or little-endian).
std::string Padded(std::string_view data, bool big_endian) {
  std::string out(data);
  out += static_cast<char>(0x80);
  while (out.size() % 64 != 56) {
    out += '\0';
  }
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8U;
  for (unsigned i = 0; i < 8; ++i) {
    const unsigned shift = big_endian ? 56 - 8 * i : 8 * i;
    out += static_cast<char>((bits >> shift) & 0xFFU);
  }
  return out;
}

std::uint32_t Byte(std::string_view block, std::size_t i) {
  return static_cast<unsigned char>(block[i]);
}

std::array<std::uint8_t, 16> Md5(std::string_view data) {
  static const std::array<std::uint32_t, 64> kK = [] {
    std::array<std::uint32_t, 64> k{};
    for (std::size_t i = 0; i < k.size(); ++i) {
      k[i] = static_cast<std::uint32_t>(
          std::floor(std::fabs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
    }
    return k;
  }();
  static constexpr std::array<unsigned, 16> kShift{7, 12, 17, 22, 5, 9,  14, 20,
                                                   4, 11, 16, 23, 6, 10, 15, 21};
  std::array<std::uint32_t, 4> h{0x67452301U, 0xefcdab89U, 0x98badcfeU, 0x10325476U};
  const std::string msg = Padded(data, false);
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    const std::string_view block = std::string_view(msg).substr(off, 64);
    std::array<std::uint32_t, 16> m{};
    for (std::size_t i = 0; i < 16; ++i) {
      m[i] = Byte(block, 4 * i) | (Byte(block, 4 * i + 1) << 8U) | (Byte(block, 4 * i + 2) << 16U) |
             (Byte(block, 4 * i + 3) << 24U);
    }
    std::uint32_t a = h[0];
    std::uint32_t b = h[1];
    std::uint32_t c = h[2];
    std::uint32_t d = h[3];
    for (std::size_t i = 0; i < 64; ++i) {
      std::uint32_t f = 0;
      std::size_t g = 0;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      f += a + kK[i] + m[g];
      a = d;
      d = c;
      c = b;
      b += RotL(f, kShift[(i / 16) * 4 + i % 4]);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < 16; ++i) {
    out[i] = static_cast<std::uint8_t>((h[i / 4] >> (8 * (i % 4))) & 0xFFU);
  }
  return out;
}

std::array<std::uint8_t, 20> Sha1(std::string_view data) {
  std::array<std::uint32_t, 5> h{0x67452301U, 0xEFCDAB89U, 0x98BADCFEU, 0x10325476U, 0xC3D2E1F0U};
  const std::string msg = Padded(data, true);
  for (std::size_t off = 0; off < msg.size(); off += 64) {
    const std::string_view block = std::string_view(msg).substr(off, 64);
    std::array<std::uint32_t, 80> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      w[i] = (Byte(block, 4 * i) << 24U) | (Byte(block, 4 * i + 1) << 16U) |
             (Byte(block, 4 * i + 2) << 8U) | Byte(block, 4 * i + 3);
    }
    for (std::size_t i = 16; i < 80; ++i) {
      w[i] = RotL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    std::uint32_t a = h[0];
    std::uint32_t b = h[1];
    std::uint32_t c = h[2];
    std::uint32_t d = h[3];
    std::uint32_t e = h[4];
    for (std::size_t i = 0; i < 80; ++i) {
      std::uint32_t f = 0;
      std::uint32_t k = 0;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999U;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1U;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDCU;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6U;
      }
      const std::uint32_t temp = RotL(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = RotL(b, 30);
      b = a;
      a = temp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  std::array<std::uint8_t, 20> out{};
  for (std::size_t i = 0; i < 20; ++i) {
    out[i] = static_cast<std::uint8_t>((h[i / 4] >> (24 - 8 * (i % 4))) & 0xFFU);
  }
  return out;
}

/// "<type>--<UUIDv5 of `name` under kIdNamespace>" (RFC 9562 §5.5).
std::string StixId(std::string_view type, std::string_view name) {
  std::string input(kIdNamespace.begin(), kIdNamespace.end());
  input += name;
  const auto digest = Sha1(input);
  std::array<std::uint8_t, 16> uuid{};
  std::copy_n(digest.begin(), uuid.size(), uuid.begin());
  uuid[6] = static_cast<std::uint8_t>((uuid[6] & 0x0FU) | 0x50U);
  uuid[8] = static_cast<std::uint8_t>((uuid[8] & 0x3FU) | 0x80U);
  const std::string hex = ToHex(uuid);
  return std::string(type) + "--" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" +
         hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

// ---- Text helpers -------------------------------------------------------------------------

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

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsLowerAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z');
}

bool IsLowerHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f');
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string TimeText(std::int64_t us) {
  return FormatTimestampMillis(TimePoint(std::chrono::microseconds(us)));
}

std::string Join(const std::set<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) {
      out += sep;
    }
    out += item;
  }
  return out;
}

// ---- Addresses ----------------------------------------------------------------------------

IpAddress V4Mapped(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress ip;
  ip.bytes[10] = 0xFF;
  ip.bytes[11] = 0xFF;
  ip.bytes[12] = a;
  ip.bytes[13] = b;
  ip.bytes[14] = c;
  ip.bytes[15] = d;
  return ip;
}

/// The address and the IPv4 address it embeds (NAT64 64:ff9b::/96, 6to4 2002::/16), if any.
std::vector<IpAddress> AddressForms(const IpAddress& ip) {
  std::vector<IpAddress> forms{ip};
  const auto& b = ip.bytes;
  constexpr std::array<std::uint8_t, 12> kNat64{0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::equal(kNat64.begin(), kNat64.end(), b.begin())) {
    forms.push_back(V4Mapped(b[12], b[13], b[14], b[15]));
  } else if (b[0] == 0x20 && b[1] == 0x02) {
    forms.push_back(V4Mapped(b[2], b[3], b[4], b[5]));
  }
  return forms;
}

/// Not a public unicast address: IsPrivate, unspecified, 0.0.0.0/8, 224.0.0.0/3 (multicast,
/// reserved, broadcast), IPv6 multicast; also when an embedded IPv4 address is one of these.
bool IsNonPublic(const IpAddress& ip) {
  const std::vector<IpAddress> forms = AddressForms(ip);
  return std::any_of(forms.begin(), forms.end(), [](const IpAddress& a) {
    if (a.IsPrivate() || a.IsUnspecified()) {
      return true;
    }
    if (a.IsV4()) {
      return a.bytes[12] == 0 || a.bytes[12] >= 224;
    }
    return a.bytes[0] == 0xFF;
  });
}

struct Network {
  IpAddress base;
  int bits = 128;  ///< prefix length in IPv6 terms (IPv4 /n is 96 + n)
};

std::optional<Network> ParseNetwork(std::string_view text) {
  text = Trim(text);
  const auto slash = text.find('/');
  const auto ip = ParseIp(text.substr(0, slash));
  if (!ip) {
    return std::nullopt;
  }
  Network net{*ip, 128};
  const int family_bits = ip->IsV4() ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view len = text.substr(slash + 1);
    int bits = -1;
    const auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), bits);
    if (ec != std::errc() || ptr != len.data() + len.size() || bits < 0 || bits > family_bits) {
      return std::nullopt;
    }
    net.bits = ip->IsV4() ? 96 + bits : bits;
  }
  return net;
}

bool InNetwork(const IpAddress& ip, const Network& net) {
  for (int bit = 0; bit < net.bits; bit += 8) {
    const int take = std::min(8, net.bits - bit);
    const auto mask = static_cast<std::uint8_t>(0xFFU << static_cast<unsigned>(8 - take));
    const auto i = static_cast<std::size_t>(bit / 8);
    if ((ip.bytes[i] & mask) != (net.base.bytes[i] & mask)) {
      return false;
    }
  }
  return true;
}

/// "0000:0000:…" — all eight groups, four digits each.
std::string FullIpv6(const IpAddress& ip) {
  std::string out;
  const std::string hex = ToHex(ip.bytes);
  for (std::size_t g = 0; g < 8; ++g) {
    if (g > 0) {
      out += ':';
    }
    out += hex.substr(4 * g, 4);
  }
  return out;
}

// ---- Leak finder --------------------------------------------------------------------------

/// What may surround a needle for it to count as found.
enum class Boundary : std::uint8_t {
  kNone,   ///< anywhere
  kAlnum,  ///< not next to [a-z0-9]
  kDigit,  ///< not next to [0-9]
  kHex,    ///< not next to [0-9a-f]
  kIpv6,   ///< not next to [0-9a-f:]
  kLabel,  ///< not next to [a-z0-9-] (a domain on label boundaries)
};

bool Blocks(Boundary boundary, char c) {
  switch (boundary) {
    case Boundary::kNone:
      return false;
    case Boundary::kAlnum:
      return IsLowerAlnum(c);
    case Boundary::kDigit:
      return IsDigit(c);
    case Boundary::kHex:
      return IsLowerHex(c);
    case Boundary::kIpv6:
      return IsLowerHex(c) || c == ':';
    case Boundary::kLabel:
      return IsLowerAlnum(c) || c == '-';
  }
  return false;
}

struct Needle {
  std::string text;  ///< lower case
  std::string label;
  Boundary boundary = Boundary::kNone;
};

bool Contains(std::string_view haystack, const Needle& needle) {
  if (needle.text.empty()) {
    return false;
  }
  for (std::size_t pos = haystack.find(needle.text); pos != std::string_view::npos;
       pos = haystack.find(needle.text, pos + 1)) {
    const std::size_t end = pos + needle.text.size();
    const bool left_ok = pos == 0 || !Blocks(needle.boundary, haystack[pos - 1]);
    const bool right_ok = end >= haystack.size() || !Blocks(needle.boundary, haystack[end]);
    if (left_ok && right_ok) {
      return true;
    }
  }
  return false;
}

/// The forms a text term can take in serialised JSON: as is, JSON-escaped, JSON-escaped with
/// non-ASCII as \uXXXX, and STIX-pattern-escaped then JSON-escaped. All lower case.
std::set<std::string> TextForms(std::string_view term) {
  std::set<std::string> forms;
  const std::string lower = ToLowerAscii(term);
  forms.insert(lower);
  const auto unquoted = [](const std::string& s) {
    return s.size() >= 2 ? s.substr(1, s.size() - 2) : s;
  };
  const Json json(lower);
  forms.insert(unquoted(json.dump(-1, ' ', false, Json::error_handler_t::replace)));
  forms.insert(ToLowerAscii(unquoted(json.dump(-1, ' ', true, Json::error_handler_t::replace))));
  std::string pattern;
  for (const char c : lower) {
    if (c == '\'' || c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  forms.insert(unquoted(Json(pattern).dump(-1, ' ', false, Json::error_handler_t::replace)));
  return forms;
}

class LeakFinder {
 public:
  explicit LeakFinder(const VictimContext& context) {
    for (std::size_t i = 0; i < context.addresses.size(); ++i) {
      AddAddress(context.addresses[i], "addresses[" + std::to_string(i) + "]");
    }
    for (std::size_t i = 0; i < context.networks.size(); ++i) {
      if (const auto net = ParseNetwork(context.networks[i])) {
        networks_.emplace_back(*net, "networks[" + std::to_string(i) + "]:member");
      }
    }
    AddTerms(context.host_names, "host_names", true, true);
    AddTerms(context.user_names, "user_names", false, true);
    AddTerms(context.organization_terms, "organization_terms", false, false);
    for (std::size_t i = 0; i < context.own_domains.size(); ++i) {
      std::string domain = ToLowerAscii(Trim(context.own_domains[i]));
      while (!domain.empty() && domain.back() == '.') {
        domain.pop_back();
      }
      if (!domain.empty()) {
        needles_.push_back(Needle{std::move(domain), "own_domains[" + std::to_string(i) + "]:text",
                                  Boundary::kLabel});
      }
    }
  }

  /// Sorted, distinct findings.
  [[nodiscard]] std::vector<std::string> Find(std::string_view text) const {
    const std::string lower = ToLowerAscii(text);
    std::set<std::string> found;
    for (const Needle& needle : needles_) {
      if (!found.contains(needle.label) && Contains(lower, needle)) {
        found.insert(needle.label);
      }
    }
    ScanAddresses(lower, found);
    return {found.begin(), found.end()};
  }

 private:
  void AddAddress(const IpAddress& ip, const std::string& field) {
    addresses_.emplace_back(ip, field + ":text");
    const std::string text = ToString(ip);
    const auto add = [&](const std::string& needle, std::string_view form, Boundary boundary) {
      needles_.push_back(Needle{ToLowerAscii(needle), field + ":" + std::string(form), boundary});
    };
    if (ip.IsV4()) {
      const auto& b = ip.bytes;
      add(text, "text", Boundary::kDigit);
      add(std::to_string(b[15]) + "." + std::to_string(b[14]) + "." + std::to_string(b[13]) + "." +
              std::to_string(b[12]),
          "reversed", Boundary::kDigit);
      if (b[12] != 0) {  // 0.0.0.0/8 would give short integers found everywhere
        const std::uint32_t value = (static_cast<std::uint32_t>(b[12]) << 24U) |
                                    (static_cast<std::uint32_t>(b[13]) << 16U) |
                                    (static_cast<std::uint32_t>(b[14]) << 8U) | b[15];
        add(std::to_string(value), "integer", Boundary::kDigit);
        add(ToHex(std::span<const std::uint8_t>(b).subspan(12)), "hex", Boundary::kHex);
      }
    } else {
      add(text, "text", Boundary::kIpv6);
      add(FullIpv6(ip), "full", Boundary::kIpv6);
    }
    for (const std::string& input : {text, text + "\n"}) {
      add(ToHex(Md5(input)), "md5", Boundary::kNone);
      add(ToHex(Sha1(input)), "sha1", Boundary::kNone);
      add(Sha256Hex(input), "sha256", Boundary::kNone);
    }
  }

  void AddTerms(const std::vector<std::string>& terms, std::string_view field, bool first_label,
                bool hashed) {
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const std::string prefix = std::string(field) + "[" + std::to_string(i) + "]:";
      const std::string_view term = Trim(terms[i]);
      if (term.empty()) {
        continue;
      }
      std::set<std::string> values{std::string(term)};
      if (first_label) {
        if (const auto dot = term.find('.'); dot != std::string_view::npos && dot > 0) {
          values.insert(std::string(term.substr(0, dot)));
        }
      }
      for (const std::string& value : values) {
        const Boundary boundary = IsAscii(value) && value.size() < kSubstringMinLength
                                      ? Boundary::kAlnum
                                      : Boundary::kNone;
        for (const std::string& form : TextForms(value)) {
          needles_.push_back(Needle{form, prefix + "text", boundary});
        }
        if (hashed) {
          for (const std::string& input : std::set<std::string>{value, ToLowerAscii(value)}) {
            needles_.push_back(Needle{ToHex(Md5(input)), prefix + "md5", Boundary::kNone});
            needles_.push_back(Needle{ToHex(Sha1(input)), prefix + "sha1", Boundary::kNone});
            needles_.push_back(Needle{Sha256Hex(input), prefix + "sha256", Boundary::kNone});
          }
        }
      }
    }
  }

  void CheckAddress(std::string_view token, std::set<std::string>& found) const {
    const auto ip = ParseIp(token);
    if (!ip) {
      return;
    }
    if (IsNonPublic(*ip)) {
      found.insert("non_public_address");
    }
    for (const IpAddress& form : AddressForms(*ip)) {
      for (const auto& [address, label] : addresses_) {
        if (address == form) {
          found.insert(label);
        }
      }
      for (const auto& [net, label] : networks_) {
        if (InNetwork(form, net)) {
          found.insert(label);
        }
      }
    }
  }

  /// Dotted quads (runs of [0-9.] with three dots) and IPv6 tokens (runs of [0-9a-f:.] with at
  /// least two colons) that parse as addresses.
  void ScanAddresses(std::string_view text, std::set<std::string>& found) const {
    const auto scan = [&](auto in_run, auto wanted) {
      for (std::size_t i = 0; i < text.size();) {
        if (!in_run(text[i])) {
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j < text.size() && in_run(text[j])) {
          ++j;
        }
        std::string_view run = text.substr(i, j - i);
        while (!run.empty() && run.front() == '.') {
          run.remove_prefix(1);
        }
        while (!run.empty() && run.back() == '.') {
          run.remove_suffix(1);
        }
        if (wanted(run)) {
          CheckAddress(run, found);
        }
        i = j;
      }
    };
    scan([](char c) { return IsDigit(c) || c == '.'; },
         [](std::string_view run) { return std::count(run.begin(), run.end(), '.') == 3; });
    scan([](char c) { return IsLowerHex(c) || c == ':' || c == '.'; },
         [](std::string_view run) {
           return run.size() <= 45 && std::count(run.begin(), run.end(), ':') >= 2;
         });
  }

  std::vector<Needle> needles_;
  std::vector<std::pair<IpAddress, std::string>> addresses_;
  std::vector<std::pair<Network, std::string>> networks_;
};

/// Why an observable may not be shared, or "" when it may.
std::string_view DropReason(const Observable& observable, const LeakFinder& finder) {
  if (observable.type == ObservableType::kDomain &&
      (observable.value == "arpa" || observable.value.ends_with(".arpa"))) {
    return "reverse_dns";
  }
  if (observable.type == ObservableType::kIpv4 || observable.type == ObservableType::kIpv6) {
    if (const auto ip = ParseIp(observable.value); !ip || IsNonPublic(*ip)) {
      return "private_address";
    }
  }
  const std::vector<std::string> found = finder.Find(observable.value);
  if (found.empty()) {
    return {};
  }
  const auto any = [&](std::string_view prefix) {
    return std::any_of(found.begin(), found.end(),
                       [&](const std::string& f) { return f.starts_with(prefix); });
  };
  if (any("non_public_address")) {
    return "private_address";
  }
  if (any("own_domains")) {
    return "own_domain";
  }
  return "victim_value";
}

// ---- Observables --------------------------------------------------------------------------

std::optional<IndicatorType> IndicatorTypeFor(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
    case ObservableType::kIpv6:
      return IndicatorType::kIp;
    case ObservableType::kDomain:
      return IndicatorType::kDomain;
    case ObservableType::kUrl:
      return IndicatorType::kUrl;
    case ObservableType::kMd5:
      return IndicatorType::kMd5;
    case ObservableType::kSha1:
      return IndicatorType::kSha1;
    case ObservableType::kSha256:
      return IndicatorType::kSha256;
  }
  return std::nullopt;
}

/// Removes "user:password@" from a normalised URL.
std::string WithoutUserInfo(std::string url) {
  const auto sep = url.find("://");
  if (sep == std::string::npos) {
    return url;
  }
  const std::size_t start = sep + 3;
  const std::size_t end = std::min(url.find_first_of("/?", start), url.size());
  const auto at = url.rfind('@', end == 0 ? 0 : end - 1);
  if (at != std::string::npos && at >= start && at < end) {
    url.erase(start, at + 1 - start);
  }
  return url;
}

std::optional<Observable> TryObservable(ObservableType type, std::string_view value) {
  auto made = MakeObservable(type, value);
  if (!made) {
    return std::nullopt;
  }
  return std::move(made).value();
}

std::optional<Observable> AddressObservable(const IpAddress& ip) {
  if (ip.IsUnspecified()) {
    return std::nullopt;
  }
  return Observable{ip.IsV4() ? ObservableType::kIpv4 : ObservableType::kIpv6, ToString(ip)};
}

/// A TLS SNI / HTTP Host: an address literal (bracketed or with a port) or a domain.
std::optional<Observable> HostObservable(std::string_view host) {
  host = Trim(host);
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    host = close == std::string_view::npos ? std::string_view{} : host.substr(1, close - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  if (const auto ip = ParseIp(host)) {
    return AddressObservable(*ip);
  }
  return TryObservable(ObservableType::kDomain, host);
}

std::string EvidenceString(const Json& evidence, std::string_view key) {
  if (!evidence.is_object()) {
    return {};
  }
  const auto it = evidence.find(key);
  return it != evidence.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The observable type of an indicator value when the hit does not say.
ObservableType DetectType(std::string_view value) {
  if (const auto ip = ParseIp(value)) {
    return ip->IsV4() ? ObservableType::kIpv4 : ObservableType::kIpv6;
  }
  if (value.find("://") != std::string_view::npos) {
    return ObservableType::kUrl;
  }
  const bool hex = !value.empty() && std::all_of(value.begin(), value.end(),
                                                 [](char c) { return IsLowerHex(AsciiLower(c)); });
  if (hex && value.size() == 32) {
    return ObservableType::kMd5;
  }
  if (hex && value.size() == 40) {
    return ObservableType::kSha1;
  }
  if (hex && value.size() == 64) {
    return ObservableType::kSha256;
  }
  return ObservableType::kDomain;
}

/// Candidates before the victim checks.
std::vector<Observable> Candidates(const Detection& d, const LeakFinder& finder) {
  std::vector<Observable> out;
  const auto push = [&](std::optional<Observable> o) {
    if (o) {
      out.push_back(std::move(*o));
    }
  };
  switch (d.kind) {
    case Detection::Kind::kBeacon:
    case Detection::Kind::kStrobe:
    case Detection::Kind::kLongConnection: {
      // Outbound only: the src must be victim side, else the direction is unknown.
      const auto src = AddressObservable(d.src);
      const bool src_victim = src && (IsNonPublic(d.src) || !finder.Find(src->value).empty());
      if (src_victim) {
        push(AddressObservable(d.dst));
        if (!d.name.empty()) {
          push(HostObservable(d.name));
        }
      }
      break;
    }
    case Detection::Kind::kDnsEntropy:
    case Detection::Kind::kC2OverDns: {
      std::string name = ToLowerAscii(Trim(d.name));
      while (!name.empty() && name.back() == '.') {
        name.pop_back();
      }
      const std::string_view registered = RegisteredDomain(name);
      if (registered.find('.') != std::string_view::npos) {
        push(TryObservable(ObservableType::kDomain, registered));
      }
      break;
    }
    case Detection::Kind::kIndicatorHit: {
      const std::string type = EvidenceString(d.evidence, "type");
      const std::string field = EvidenceString(d.evidence, "field");
      if (type == "ip" || type == "cidr" || (type.empty() && field.ends_with("_ip"))) {
        if (field == "src_ip") {
          push(AddressObservable(d.src));
        } else if (field == "dst_ip") {
          push(AddressObservable(d.dst));
        } else if (const auto ip = ParseIp(d.name)) {
          push(AddressObservable(*ip));
        }
        break;
      }
      static constexpr std::array<std::pair<std::string_view, ObservableType>, 5> kTypes{{
          {"domain", ObservableType::kDomain},
          {"url", ObservableType::kUrl},
          {"md5", ObservableType::kMd5},
          {"sha1", ObservableType::kSha1},
          {"sha256", ObservableType::kSha256},
      }};
      ObservableType observable_type = DetectType(d.name);
      for (const auto& [name, t] : kTypes) {
        if (type == name) {
          observable_type = t;
        }
      }
      push(TryObservable(observable_type, d.name));
      break;
    }
  }
  return out;
}

std::vector<Observable> Shareable(const Detection& d, const LeakFinder& finder) {
  std::vector<Observable> out;
  for (Observable& o : Candidates(d, finder)) {
    if (DropReason(o, finder).empty() && std::find(out.begin(), out.end(), o) == out.end()) {
      out.push_back(std::move(o));
    }
  }
  return out;
}

// ---- Evidence -----------------------------------------------------------------------------

bool IsFiniteNumber(const Json& value) {
  return value.is_number_integer() || value.is_number_unsigned() ||
         (value.is_number_float() && std::isfinite(value.get<double>()));
}

/// Numeric fields by path ("interval.median_s"); arrays of numbers end in "[]".
constexpr std::array<std::string_view, 35> kNumericEvidence{
    "beacon_score",
    "ts_score",
    "ds_score",
    "hist_score",
    "dur_score",
    "connections",
    "unique_timestamps",
    "interval.median_s",
    "interval.mad_s",
    "interval.skew",
    "interval.mode_s",
    "interval.mode_count",
    "data_size.median_bytes",
    "data_size.mad_bytes",
    "data_size.skew",
    "data_size.mode_bytes",
    "data_size.mode_count",
    "histogram[]",
    "hist_cv_score",
    "hist_bimodal_score",
    "hist_bars",
    "longest_run",
    "dur_coverage",
    "dur_consistency",
    "window.start_s",
    "window.end_s",
    "dst_ports[]",
    "total_duration_s",
    "longest_s",
    "distinct_names",
    "queries",
    "max_entropy",
    "unique_subdomains",
    "queriers",
    "indicator_score",
};

struct EnumEvidence {
  std::string_view key;
  std::array<std::string_view, 3> values;
};
constexpr std::array<EnumEvidence, 2> kEnumEvidence{{
    {"beacon_type", {"ip", "sni", ""}},
    {"field", {"src_ip", "dst_ip", "name"}},
}};

bool Allowed(std::string_view path) {
  return std::find(kNumericEvidence.begin(), kNumericEvidence.end(), path) !=
         kNumericEvidence.end();
}

void CopyAllowed(const Json& in, const std::string& prefix, Json& out) {
  for (const auto& [key, value] : in.items()) {
    const std::string path = prefix + key;
    if (value.is_object()) {
      Json nested = Json::object();
      CopyAllowed(value, path + ".", nested);
      if (!nested.empty()) {
        out[key] = std::move(nested);
      }
    } else if (value.is_array()) {
      if (Allowed(path + "[]") && value.size() <= kMaxEvidenceArray &&
          std::all_of(value.begin(), value.end(), IsFiniteNumber)) {
        out[key] = value;
      }
    } else if (IsFiniteNumber(value)) {
      if (Allowed(path)) {
        out[key] = value;
      }
    } else if (value.is_string() && prefix.empty()) {
      for (const EnumEvidence& e : kEnumEvidence) {
        const auto& text = value.get_ref<const std::string&>();
        if (e.key == key && !text.empty() &&
            std::find(e.values.begin(), e.values.end(), text) != e.values.end()) {
          out[key] = text;
        }
      }
    }
  }
}

// ---- TLP ----------------------------------------------------------------------------------

struct Tlp {
  std::string_view level;  ///< "clear", "white", "green", "amber", "amber+strict", "red"
  std::string_view id;
  bool v2 = true;
};

constexpr std::array<Tlp, 9> kTlpDefinitions{{
    {"clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", true},
    {"green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", true},
    {"amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", true},
    {"amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", true},
    {"red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", true},
    {"white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", false},
    {"green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", false},
    {"amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", false},
    {"red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", false},
}};
constexpr std::string_view kTlp2Extension =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// "tlp:green" / "GREEN" → "green"; "" when not a TLP name.
std::string TlpLevel(std::string_view text) {
  std::string level = ToLowerAscii(Trim(text));
  if (level.starts_with("tlp:")) {
    level.erase(0, 4);
  }
  static constexpr std::array<std::string_view, 6> kLevels{"clear", "white",        "green",
                                                           "amber", "amber+strict", "red"};
  return std::find(kLevels.begin(), kLevels.end(), level) != kLevels.end() ? level : "";
}

/// 0 clear/white … 4 red; -1 unknown.
int TlpRank(std::string_view level) {
  static constexpr std::array<std::pair<std::string_view, int>, 6> kRanks{
      {{"clear", 0}, {"white", 0}, {"green", 1}, {"amber", 2}, {"amber+strict", 3}, {"red", 4}}};
  for (const auto& [name, rank] : kRanks) {
    if (name == level) {
      return rank;
    }
  }
  return -1;
}

std::optional<Tlp> ChooseTlp(std::string_view text, bool v1) {
  std::string level = TlpLevel(text);
  if (level.empty()) {
    return std::nullopt;
  }
  if (level == "white" || (v1 && level == "clear")) {
    level = "white";
    v1 = true;
  }
  for (const Tlp& tlp : kTlpDefinitions) {
    if (tlp.level == level && tlp.v2 == !v1) {
      return tlp;
    }
  }
  return std::nullopt;  // amber+strict in TLP 1.0
}

Json MarkingDefinition(const Tlp& tlp) {
  std::string name = "TLP:" + std::string(tlp.level);
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  Json marking{
      {"type", "marking-definition"}, {"spec_version", "2.1"}, {"id", tlp.id}, {"name", name}};
  if (tlp.v2) {
    marking["created"] = "2022-10-01T00:00:00.000Z";
    marking["extensions"] = {{std::string(kTlp2Extension),
                              {{"extension_type", "property-extension"}, {"tlp_2_0", tlp.level}}}};
  } else {
    marking["created"] = "2017-01-20T00:00:00.000Z";
    marking["definition_type"] = "tlp";
    marking["definition"] = {{"tlp", tlp.level}};
  }
  return marking;
}

// ---- Export -------------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> kKinds{"beacon",      "strobe",      "long_connection",
                                                 "dns_entropy", "c2_over_dns", "indicator_hit"};

/// One sighting after merging: records with the same observable and kind.
// NOLINTNEXTLINE(bugprone-exception-escape): see SightingRecord in sharing.h
struct Merged {
  std::string kind;
  Observable observable;
  double score = 0;
  std::int64_t first_us = 0;
  std::int64_t last_us = 0;
  std::uint64_t count = 0;
  std::size_t organizations = 0;
  std::optional<std::string> sector;
  bool sector_conflict = false;
  std::vector<std::pair<std::string, std::string>> references;  ///< (source, stix id)
  Json evidence;
};

double Clamp01(double x) {
  return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0;
}

int Confidence(double score) {
  return static_cast<int>(std::lround(Clamp01(score) * 100));
}

std::string BaseName(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Json Common(std::string_view type, const std::string& id, const std::string& created,
            const std::string& modified, std::string_view marking) {
  return Json{{"type", type},
              {"spec_version", "2.1"},
              {"id", id},
              {"created", created},
              {"modified", modified},
              {"object_marking_refs", Json::array({marking})}};
}

}  // namespace

std::span<const MessageEntry> SharingMessages() {
  return kMessages;
}

std::string_view ObservableTypeName(ObservableType type) {
  switch (type) {
    case ObservableType::kIpv4:
      return "ipv4";
    case ObservableType::kIpv6:
      return "ipv6";
    case ObservableType::kDomain:
      return "domain";
    case ObservableType::kUrl:
      return "url";
    case ObservableType::kMd5:
      return "md5";
    case ObservableType::kSha1:
      return "sha1";
    case ObservableType::kSha256:
      return "sha256";
  }
  return "unknown";
}

Result<Observable> MakeObservable(ObservableType type, std::string_view value) {
  const auto invalid = [&] {
    return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), "defense.share_observable",
                     ObservableTypeName(type), value);
  };
  const auto indicator_type = IndicatorTypeFor(type);
  if (!indicator_type) {
    return invalid();
  }
  auto made = MakeIndicator(value, *indicator_type);
  if (!made || made->type != *indicator_type) {
    return invalid();
  }
  Observable out{type, std::move(made->value)};
  if (type == ObservableType::kIpv4 || type == ObservableType::kIpv6) {
    const auto ip = ParseIp(out.value);
    if (!ip || ip->IsV4() != (type == ObservableType::kIpv4)) {
      return invalid();
    }
  }
  if (type == ObservableType::kUrl) {
    out.value = WithoutUserInfo(std::move(out.value));
  }
  return out;
}

std::string StixPattern(const Observable& observable) {
  std::string_view path;
  switch (observable.type) {
    case ObservableType::kIpv4:
      path = "ipv4-addr:value";
      break;
    case ObservableType::kIpv6:
      path = "ipv6-addr:value";
      break;
    case ObservableType::kDomain:
      path = "domain-name:value";
      break;
    case ObservableType::kUrl:
      path = "url:value";
      break;
    case ObservableType::kMd5:
      path = "file:hashes.MD5";
      break;
    case ObservableType::kSha1:
      path = "file:hashes.'SHA-1'";
      break;
    case ObservableType::kSha256:
      path = "file:hashes.'SHA-256'";
      break;
  }
  std::string out = "[";
  out += path;
  out += " = '";
  for (const char c : observable.value) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += "']";
  return out;
}

Status ValidateVictimContext(const VictimContext& context) {
  const auto bad = [](std::string_view field, std::size_t index) {
    return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), "defense.share_context", field,
                     index);
  };
  for (std::size_t i = 0; i < context.networks.size(); ++i) {
    if (!ParseNetwork(context.networks[i])) {
      return bad("networks", i);
    }
  }
  const std::array<std::pair<std::string_view, const std::vector<std::string>*>, 4> terms_by_field{{
      {"host_names", &context.host_names},
      {"user_names", &context.user_names},
      {"organization_terms", &context.organization_terms},
      {"own_domains", &context.own_domains},
  }};
  for (const auto& [field, terms] : terms_by_field) {
    for (std::size_t i = 0; i < terms->size(); ++i) {
      if (Trim((*terms)[i]).empty()) {
        return bad(field, i);
      }
    }
  }
  return Status::Ok();
}

std::vector<std::string> FindLeaks(std::string_view text, const VictimContext& context) {
  return LeakFinder(context).Find(text);
}

Result<std::vector<Observable>> AttackerObservables(const Detection& detection,
                                                    const VictimContext& context) {
  HOSHI_RETURN_IF_ERROR(ValidateVictimContext(context));
  return Shareable(detection, LeakFinder(context));
}

Result<std::vector<SightingRecord>> SightingRecordsFor(std::span<const Detection> detections,
                                                       const VictimContext& context) {
  HOSHI_RETURN_IF_ERROR(ValidateVictimContext(context));
  const LeakFinder finder(context);
  std::map<std::pair<std::string, Observable>, SightingRecord> records;
  for (const Detection& d : detections) {
    const std::string kind(DetectionKindName(d.kind));
    for (Observable& o : Shareable(d, finder)) {
      auto [it, inserted] = records.try_emplace({kind, o});
      SightingRecord& r = it->second;
      const auto events = static_cast<std::uint64_t>(d.events);
      if (inserted) {
        r.detection_kind = kind;
        r.observable = std::move(o);
        r.score = d.score;
        r.first_seen_us = d.first_ts_us;
        r.last_seen_us = d.last_ts_us;
        r.count = events;
        r.organizations = 1;
        r.evidence = d.evidence;
      } else {
        r.first_seen_us = std::min(r.first_seen_us, d.first_ts_us);
        r.last_seen_us = std::max(r.last_seen_us, d.last_ts_us);
        r.count += events;
        if (d.score > r.score) {
          r.score = d.score;
          r.evidence = d.evidence;
        }
      }
      if (d.kind == Detection::Kind::kIndicatorHit && !r.indicator) {
        IndicatorHit hit;
        hit.indicator = d.name;
        hit.type = EvidenceString(d.evidence, "type");
        hit.source = EvidenceString(d.evidence, "source");
        hit.stix_id = EvidenceString(d.evidence, "stix_id");
        hit.tlp = EvidenceString(d.evidence, "tlp");
        if (d.evidence.is_object()) {
          const auto score = d.evidence.find("indicator_score");
          if (score != d.evidence.end() && score->is_number_integer()) {
            hit.score = score->get<int>();
          }
        }
        r.indicator = std::move(hit);
      }
    }
  }
  std::vector<SightingRecord> out;
  out.reserve(records.size());
  for (auto& [key, record] : records) {
    out.push_back(std::move(record));
  }
  return out;
}

Json AllowListedEvidence(const Json& evidence) {
  Json out = Json::object();
  if (evidence.is_object()) {
    CopyAllowed(evidence, "", out);
  }
  return out;
}

Result<ShareResult> ExportStix(std::span<const SightingRecord> records,
                               const VictimContext& context, const ShareOptions& options) {
  const auto tlp = ChooseTlp(options.tlp, options.tlp_1_0);
  if (!tlp) {
    return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), "defense.share_tlp",
                     options.tlp);
  }
  if (options.min_organizations_for_sector < 2) {
    return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), "defense.share_min_orgs",
                     options.min_organizations_for_sector);
  }
  if (options.now_us <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), "defense.share_now");
  }
  if (Trim(options.producer_name).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), "defense.share_producer");
  }
  HOSHI_RETURN_IF_ERROR(ValidateVictimContext(context));
  const LeakFinder finder(context);
  const int export_rank = TlpRank(tlp->level);

  ShareResult result;
  const auto drop = [&](std::string_view reason) { ++result.dropped[std::string(reason)]; };

  // 1. Check and merge the records.
  std::map<std::pair<Observable, std::string>, Merged> merged;
  for (const SightingRecord& record : records) {
    if (std::find(kKinds.begin(), kKinds.end(), record.detection_kind) == kKinds.end()) {
      drop("unknown_kind");
      continue;
    }
    auto observable = MakeObservable(record.observable.type, record.observable.value);
    if (!observable) {
      drop("invalid_value");
      continue;
    }
    if (observable->type == ObservableType::kUrl && !record.indicator) {
      // An observed URL (not a feed's) loses its query: it often carries victim data.
      observable->value = observable->value.substr(0, observable->value.find('?'));
    }
    if (const std::string_view reason = DropReason(*observable, finder); !reason.empty()) {
      drop(reason);
      continue;
    }
    if (record.indicator && !record.indicator->tlp.empty()) {
      const int rank = TlpRank(TlpLevel(record.indicator->tlp));
      if (rank < 0 || rank > export_rank) {
        drop("tlp_restricted");
        continue;
      }
    }
    ++result.exported;
    auto [it, inserted] = merged.try_emplace({*observable, record.detection_kind});
    Merged& m = it->second;
    std::int64_t first = record.first_seen_us > 0 ? record.first_seen_us : options.now_us;
    std::int64_t last = std::max(record.last_seen_us, first);
    first = std::min(first, options.now_us);
    last = std::clamp(last, first, std::max(first, options.now_us));
    // A sector is only named when it is a plain label that names nobody.
    std::optional<std::string> sector;
    if (record.sector && !Trim(*record.sector).empty() && finder.Find(*record.sector).empty()) {
      sector = std::string(Trim(*record.sector));
    }
    if (inserted) {
      m.kind = record.detection_kind;
      m.observable = *observable;
      m.score = Clamp01(record.score);
      m.first_us = first;
      m.last_us = last;
      m.count = record.count;
      m.organizations = record.organizations;
      m.sector = sector;
      m.evidence = record.evidence;
    } else {
      m.first_us = std::min(m.first_us, first);
      m.last_us = std::max(m.last_us, last);
      m.count += record.count;
      m.organizations = std::max(m.organizations, record.organizations);
      if (sector != m.sector) {
        m.sector_conflict = true;
      }
      if (Clamp01(record.score) > m.score) {
        m.score = Clamp01(record.score);
        m.evidence = record.evidence;
      }
    }
    if (record.indicator) {
      const std::string source = BaseName(Trim(record.indicator->source));
      const std::string stix_id(Trim(record.indicator->stix_id));
      // A feed name or id that names the victim (a private list) is left out, not shared.
      std::string exported_text = source;
      exported_text += ' ';
      exported_text += stix_id;
      if (finder.Find(exported_text).empty()) {
        m.references.emplace_back(source, stix_id);
      }
    }
  }

  // 2. Identities and the marking.
  const std::string marking_id(tlp->id);
  const std::string lang(LangCode(options.lang));
  const std::string producer_name(Trim(options.producer_name));
  const std::string producer_id = StixId("identity", "identity|producer|" + producer_name);
  Json producer = Common("identity", producer_id, std::string(kIdentityEpoch),
                         std::string(kIdentityEpoch), marking_id);
  producer["name"] = producer_name;
  producer["identity_class"] = "organization";

  std::map<std::string, Json> identities;  // by id
  const auto where_sighted = [&](const Merged& m) {
    const bool named =
        m.sector && !m.sector_conflict && m.organizations >= options.min_organizations_for_sector;
    std::string id = named ? StixId("identity", "identity|sector|" + lang + "|" + *m.sector)
                           : StixId("identity", "identity|participant|" + lang);
    if (!identities.contains(id)) {
      const LocalizedText name =
          named ? FormatMessage(SharingMessages(), "defense.share_sector_identity", *m.sector)
                : FormatMessage(SharingMessages(), "defense.share_generic_identity");
      Json identity = Common("identity", id, std::string(kIdentityEpoch),
                             std::string(kIdentityEpoch), marking_id);
      identity["created_by_ref"] = producer_id;
      identity["name"] = name.In(options.lang);
      identity["identity_class"] = "class";
      identity["lang"] = lang;
      if (named) {
        identity["x_hoshitori_sector"] = *m.sector;
      }
      identities.emplace(id, std::move(identity));
    }
    return id;
  };

  // 3. Indicators (one per observable) and sightings (one per observable and kind).
  std::vector<Json> indicators;
  std::vector<Json> sightings;
  const std::string modified = TimeText(options.now_us);
  for (auto it = merged.begin(); it != merged.end();) {
    const Observable observable = it->first.first;
    const std::string indicator_id =
        StixId("indicator", "indicator|" + std::string(ObservableTypeName(observable.type)) + "|" +
                                observable.value);
    std::set<std::string> kinds;
    std::set<std::string> types;
    std::set<std::pair<std::string, std::string>> references;
    double score = 0;
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    for (; it != merged.end() && it->first.first == observable; ++it) {
      const Merged& m = it->second;
      kinds.insert(m.kind);
      types.insert(m.kind == "indicator_hit" ? "malicious-activity" : "anomalous-activity");
      references.insert(m.references.begin(), m.references.end());
      score = std::max(score, m.score);
      first = std::min(first, m.first_us);
      last = std::max(last, m.last_us);

      Json sighting =
          Common("sighting", StixId("sighting", "sighting|" + indicator_id + "|" + m.kind),
                 TimeText(m.first_us), modified, marking_id);
      sighting["created_by_ref"] = producer_id;
      sighting["sighting_of_ref"] = indicator_id;
      sighting["first_seen"] = TimeText(m.first_us);
      sighting["last_seen"] = TimeText(m.last_us);
      sighting["count"] = std::min(m.count, kMaxSightingCount);
      sighting["where_sighted_refs"] = Json::array({where_sighted(m)});
      sighting["confidence"] = Confidence(m.score);
      sighting["x_hoshitori_detection"] = m.kind;
      sighting["x_hoshitori_organizations"] = m.organizations;
      if (options.include_evidence) {
        Json evidence = AllowListedEvidence(m.evidence);
        if (!evidence.empty()) {
          sighting["x_hoshitori_evidence"] = std::move(evidence);
        }
      }
      sightings.push_back(std::move(sighting));
    }
    Json indicator = Common("indicator", indicator_id, TimeText(first), modified, marking_id);
    indicator["created_by_ref"] = producer_id;
    indicator["name"] = observable.value;
    indicator["description"] =
        FormatMessage(SharingMessages(), "defense.share_indicator_description", Join(kinds, ", "))
            .In(options.lang);
    indicator["lang"] = lang;
    indicator["indicator_types"] = types;
    indicator["pattern"] = StixPattern(observable);
    indicator["pattern_type"] = "stix";
    indicator["pattern_version"] = "2.1";
    indicator["valid_from"] = TimeText(first);
    if (options.validity_us > 0) {
      // valid_until must be after valid_from, at millisecond precision.
      const std::int64_t until = std::max(last + options.validity_us, first + kMicrosPerMilli);
      indicator["valid_until"] = TimeText(until);
    }
    indicator["confidence"] = Confidence(score);
    indicator["labels"] = kinds;
    if (!references.empty()) {
      Json refs = Json::array();
      for (const auto& [source, stix_id] : references) {
        Json ref{{"source_name", source.empty() ? std::string("indicator feed") : source}};
        if (!stix_id.empty()) {
          ref["external_id"] = stix_id;
        } else {
          ref["description"] = "listed indicator";
        }
        refs.push_back(std::move(ref));
      }
      indicator["external_references"] = std::move(refs);
    }
    indicators.push_back(std::move(indicator));
  }
  result.indicators = indicators.size();
  result.sightings = sightings.size();

  // 4. The bundle, in a stable order.
  const auto by_id = [](const Json& a, const Json& b) {
    return a["id"].get_ref<const std::string&>() < b["id"].get_ref<const std::string&>();
  };
  std::sort(indicators.begin(), indicators.end(), by_id);
  std::sort(sightings.begin(), sightings.end(), by_id);
  std::vector<Json> sdo_identities{producer};
  for (auto& [id, identity] : identities) {
    sdo_identities.push_back(std::move(identity));
  }
  std::sort(sdo_identities.begin(), sdo_identities.end(), by_id);
  Json objects = Json::array();
  std::string all_ids;
  const auto append = [&](Json object) {
    all_ids += object["id"].get<std::string>();
    all_ids += '|';
    objects.push_back(std::move(object));
  };
  for (Json& o : sdo_identities) {
    append(std::move(o));
  }
  append(MarkingDefinition(*tlp));
  for (Json& o : indicators) {
    append(std::move(o));
  }
  for (Json& o : sightings) {
    append(std::move(o));
  }
  result.bundle =
      Json{{"type", "bundle"},
           {"id", StixId("bundle", "bundle|" + std::to_string(options.now_us) + "|" + all_ids)},
           {"objects", std::move(objects)}};

  // 5. Fail closed.
  const std::vector<std::string> leaks = finder.Find(DumpJson(result.bundle, -1));
  if (!leaks.empty()) {
    return MakeError(ErrorCode::kInternal, SharingMessages(), "defense.share_leak", leaks.size())
        .WithDetail("de-identification check failed: " + std::to_string(leaks.size()) +
                    " finding(s) by field index");
  }
  return result;
}

// ---- TAXII --------------------------------------------------------------------------------

namespace {

Error ParamError(std::string_view key, std::string_view name, std::string_view value) {
  return MakeError(ErrorCode::kInvalidArgument, SharingMessages(), key, name, value);
}

bool IsStixType(std::string_view type) {
  return type.size() >= 3 && type.size() <= 250 &&
         std::all_of(type.begin(), type.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsLowerHex(AsciiLower(text[i]))) {
      return false;
    }
  }
  return true;
}

bool IsStixId(std::string_view id) {
  const auto sep = id.find("--");
  return sep != std::string_view::npos && IsStixType(id.substr(0, sep)) &&
         IsUuid(id.substr(sep + 2));
}

std::vector<std::string_view> SplitComma(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    const auto comma = text.find(',');
    out.push_back(Trim(text.substr(0, comma)));
    if (comma == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(comma + 1);
  }
}

std::optional<TaxiiCursor> DecodeCursor(std::string_view text) {
  if (!text.starts_with("h1.")) {
    return std::nullopt;
  }
  auto bytes = Base64UrlDecode(text.substr(3));
  if (!bytes) {
    return std::nullopt;
  }
  const std::string decoded(bytes->begin(), bytes->end());
  const auto bar = decoded.find('|');
  if (bar == std::string::npos) {
    return std::nullopt;
  }
  TaxiiCursor cursor;
  const std::string_view time = std::string_view(decoded).substr(0, bar);
  const auto [ptr, ec] = std::from_chars(time.data(), time.data() + time.size(), cursor.time_us);
  if (ec != std::errc() || ptr != time.data() + time.size()) {
    return std::nullopt;
  }
  cursor.id = decoded.substr(bar + 1);
  if (!IsStixId(cursor.id)) {
    return std::nullopt;
  }
  return cursor;
}

std::optional<std::int64_t> ObjectTime(const Json& object) {
  for (const char* key : {"modified", "created"}) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_string()) {
      const auto t = ParseTimestamp(it->get_ref<const std::string&>());
      return t ? std::optional<std::int64_t>(t->time_since_epoch().count()) : std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

Json TaxiiDiscovery(const TaxiiDiscoveryInfo& info) {
  Json out{{"title", info.title}};
  if (!info.description.empty()) {
    out["description"] = info.description;
  }
  if (!info.contact.empty()) {
    out["contact"] = info.contact;
  }
  if (!info.default_api_root.empty()) {
    out["default"] = info.default_api_root;
  }
  if (!info.api_roots.empty()) {
    out["api_roots"] = info.api_roots;
  }
  return out;
}

Json TaxiiApiRoot(const TaxiiApiRootInfo& info) {
  Json out{{"title", info.title},
           {"versions", Json::array({kTaxiiMediaType})},
           {"max_content_length", info.max_content_length}};
  if (!info.description.empty()) {
    out["description"] = info.description;
  }
  return out;
}

Json TaxiiCollection(const TaxiiCollectionInfo& info) {
  Json out{{"id", info.id},
           {"title", info.title},
           {"can_read", true},
           {"can_write", false},
           {"media_types", Json::array({kStixMediaType})}};
  if (!info.description.empty()) {
    out["description"] = info.description;
  }
  if (!info.alias.empty()) {
    out["alias"] = info.alias;
  }
  return out;
}

Json TaxiiCollections(std::span<const TaxiiCollectionInfo> collections) {
  Json out = Json::object();
  if (!collections.empty()) {
    Json list = Json::array();
    for (const TaxiiCollectionInfo& c : collections) {
      list.push_back(TaxiiCollection(c));
    }
    out["collections"] = std::move(list);
  }
  return out;
}

std::string EncodeTaxiiCursor(const TaxiiCursor& cursor) {
  const std::string raw = std::to_string(cursor.time_us) + "|" + cursor.id;
  return "h1." + Base64UrlEncode(AsBytes(raw));
}

Result<TaxiiQuery> ParseTaxiiQuery(std::span<const std::pair<std::string, std::string>> params) {
  TaxiiQuery query;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    const bool single = name == "added_after" || name == "limit" || name == "next";
    if (single && !seen.insert(name).second) {
      return MakeError(ErrorCode::kInvalidArgument, SharingMessages(),
                       "defense.share_taxii_repeated", name);
    }
    if (name == "added_after") {
      const auto t = ParseTimestamp(value);
      if (!t) {
        return ParamError("defense.share_taxii_added_after", name, value);
      }
      query.added_after_us = t->time_since_epoch().count();
    } else if (name == "limit") {
      std::size_t limit = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || ptr != value.data() + value.size() || limit < 1 ||
          limit > kTaxiiMaxLimit) {
        return ParamError("defense.share_taxii_limit", name, value);
      }
      query.limit = limit;
    } else if (name == "next") {
      auto cursor = DecodeCursor(value);
      if (!cursor) {
        return ParamError("defense.share_taxii_next", name, value);
      }
      query.next = std::move(cursor);
    } else if (name == "match[type]") {
      for (const std::string_view type : SplitComma(value)) {
        if (!IsStixType(type)) {
          return ParamError("defense.share_taxii_match_type", name, value);
        }
        query.match_types.emplace_back(type);
      }
    } else if (name == "match[id]") {
      for (const std::string_view id : SplitComma(value)) {
        if (!IsStixId(id)) {
          return ParamError("defense.share_taxii_match_id", name, value);
        }
        query.match_ids.push_back(ToLowerAscii(id));
      }
    }
  }
  return query;
}

TaxiiPage TaxiiEnvelope(std::span<const Json> objects, const TaxiiQuery& query, TaxiiView view) {
  struct Entry {
    std::int64_t time_us = 0;
    std::string_view id;
    const Json* object = nullptr;
  };
  std::vector<Entry> entries;
  for (const Json& object : objects) {
    if (!object.is_object()) {
      continue;
    }
    const auto id = object.find("id");
    const auto type = object.find("type");
    if (id == object.end() || !id->is_string() || type == object.end() || !type->is_string()) {
      continue;
    }
    const auto time = ObjectTime(object);
    if (!time) {
      continue;
    }
    const std::string& id_text = id->get_ref<const std::string&>();
    const std::string& type_text = type->get_ref<const std::string&>();
    if ((!query.match_types.empty() && std::find(query.match_types.begin(), query.match_types.end(),
                                                 type_text) == query.match_types.end()) ||
        (!query.match_ids.empty() && std::find(query.match_ids.begin(), query.match_ids.end(),
                                               ToLowerAscii(id_text)) == query.match_ids.end()) ||
        (query.added_after_us && *time <= *query.added_after_us) ||
        (query.next && std::tie(*time, id_text) <= std::tie(query.next->time_us, query.next->id))) {
      continue;
    }
    entries.push_back(Entry{*time, id_text, &object});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.time_us, a.id) < std::tie(b.time_us, b.id);
  });
  TaxiiPage page;
  const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, kTaxiiMaxLimit);
  const bool more = entries.size() > limit;
  if (more) {
    entries.resize(limit);
  }
  page.envelope = Json{{"more", more}};
  if (more) {
    page.envelope["next"] =
        EncodeTaxiiCursor(TaxiiCursor{entries.back().time_us, std::string(entries.back().id)});
  }
  if (!entries.empty()) {
    Json list = Json::array();
    for (const Entry& e : entries) {
      // The version of an object is its `modified` (else `created`): the same time as its
      // date added, in the object's own text.
      const Json& o = *e.object;
      const std::string version = o.contains("modified") && o["modified"].is_string()
                                      ? o["modified"].get<std::string>()
                                      : o.value("created", std::string());
      switch (view) {
        case TaxiiView::kObjects:
          list.push_back(o);
          break;
        case TaxiiView::kManifest:
          list.push_back(Json{{"id", e.id},
                              {"date_added", TimeText(e.time_us)},
                              {"version", version},
                              {"media_type", kStixMediaType}});
          break;
        case TaxiiView::kVersions:
          list.push_back(version);
          break;
      }
    }
    page.envelope[view == TaxiiView::kVersions ? "versions" : "objects"] = std::move(list);
    page.date_added_first = TimeText(entries.front().time_us);
    page.date_added_last = TimeText(entries.back().time_us);
  }
  return page;
}

Json TaxiiError(const Error& error, Lang lang) {
  Json out{{"title", error.message(lang)},
           {"http_status", std::to_string(HttpStatus(error.code()))},
           {"error_code", ApiName(error.code())}};
  if (!error.reason().empty()) {
    out["details"] = {{"reason", error.reason()}};
  }
  return out;
}

}  // namespace hoshi::defense
