// SPDX-License-Identifier: Apache-2.0
#include "hoshi/defense/event.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace hoshi::defense {
namespace {

// ::ffff:0:0/96, the IPv4-mapped prefix.
constexpr std::array<std::uint8_t, 12> kV4MappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// A prefix of the address space, as the first `bits` bits of `first`.
struct Prefix {
  std::array<std::uint8_t, 16> first;
  int bits;
};

constexpr Prefix V4Prefix(std::uint8_t a, std::uint8_t b, int bits) {
  return Prefix{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, 0, 0}, 96 + bits};
}

// Victim-side ranges that de-identification removes (RFC 1918, RFC 6598, loopback, link-local,
// RFC 4193 unique local, IPv6 loopback).
constexpr std::array kPrivatePrefixes{
    V4Prefix(10, 0, 8),
    V4Prefix(172, 16, 12),
    V4Prefix(192, 168, 16),
    V4Prefix(127, 0, 8),
    V4Prefix(169, 254, 16),
    V4Prefix(100, 64, 10),
    Prefix{{0xfc}, 7},
    Prefix{{0xfe, 0x80}, 10},
    Prefix{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},
};

bool InPrefix(const IpAddress& ip, const Prefix& prefix) {
  for (int bit = 0; bit < prefix.bits; bit += 8) {
    const int take = std::min(8, prefix.bits - bit);
    const auto mask = static_cast<std::uint8_t>(0xffU << (8 - take));
    const auto i = static_cast<std::size_t>(bit / 8);
    if ((ip.bytes[i] & mask) != (prefix.first[i] & mask)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IpAddress::IsV4() const {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

bool IpAddress::IsUnspecified() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool IpAddress::IsPrivate() const {
  return std::any_of(kPrivatePrefixes.begin(), kPrivatePrefixes.end(),
                     [this](const Prefix& p) { return InPrefix(*this, p); });
}

std::optional<IpAddress> ParseIp(std::string_view text) {
  // A zone ("fe80::1%eth0") names an interface of the sensor; it is not part of the address.
  text = text.substr(0, text.find('%'));
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  std::copy(text.begin(), text.end(), buffer.begin());
  IpAddress ip;
  if (inet_pton(AF_INET, buffer.data(), ip.bytes.data() + 12) == 1) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), ip.bytes.begin());
    return ip;
  }
  if (inet_pton(AF_INET6, buffer.data(), ip.bytes.data()) == 1) {
    return ip;
  }
  return std::nullopt;
}

std::string ToString(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (ip.IsV4()) {
    std::array<char, 16> out{};
    std::snprintf(out.data(), out.size(), "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    return out.data();
  }
  // RFC 5952: lower-case hex without leading zeros; "::" replaces the longest run of two or more
  // zero groups (the first such run on a tie).
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) {
    groups[i] = (static_cast<unsigned>(b[2 * i]) << 8U) | b[2 * i + 1];
  }
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[static_cast<std::size_t>(j)] == 0) {
      ++j;
    }
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') {
      out += ':';
    }
    std::array<char, 8> hex{};
    std::snprintf(hex.data(), hex.size(), "%x", groups[static_cast<std::size_t>(i)]);
    out += hex.data();
  }
  return out;
}

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kConn:
      return "conn";
    case EventKind::kDns:
      return "dns";
    case EventKind::kTls:
      return "tls";
    case EventKind::kHttp:
      return "http";
    case EventKind::kAlert:
      return "alert";
    case EventKind::kFlow:
      return "flow";
    case EventKind::kSyslog:
      return "syslog";
  }
  return "unknown";
}

std::size_t ParseStats::MalformedTotal() const {
  std::size_t total = 0;
  for (const auto& [reason, count] : malformed) {
    total += count;
  }
  return total;
}

void ParseStats::AddMalformed(std::string_view reason, std::string_view source, std::size_t line,
                              std::string_view text) {
  ++malformed[std::string(reason)];
  if (samples.size() >= kMaxSamples) {
    return;
  }
  if (text.size() > kMaxSampleBytes) {
    std::size_t cut = kMaxSampleBytes;
    // Back up over UTF-8 continuation bytes so that the sample stays valid text.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
      --cut;
    }
    text = text.substr(0, cut);
  }
  samples.push_back(Sample{std::string(source), line, std::string(reason), std::string(text)});
}

void ParseStats::Merge(const ParseStats& other) {
  lines += other.lines;
  events += other.events;
  skipped += other.skipped;
  for (const auto& [reason, count] : other.malformed) {
    malformed[reason] += count;
  }
  for (const Sample& sample : other.samples) {
    if (samples.size() >= kMaxSamples) {
      break;
    }
    samples.push_back(sample);
  }
}

}  // namespace hoshi::defense
