// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "hoshi/cred/messages.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;

Error JcsError(std::string_view key) {
  return MakeError(ErrorCode::kDataError, CredMessages(), key);
}

/// Decodes one UTF-8 sequence at `pos`, strictly (no overlong forms, no surrogates, at most
/// U+10FFFF). Returns the code point and advances `pos`, or returns -1.
long DecodeUtf8(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  int length = 0;
  long cp = 0;
  long min = 0;
  if ((b0 & 0xe0) == 0xc0) {
    length = 2;
    cp = b0 & 0x1f;
    min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    length = 3;
    cp = b0 & 0x0f;
    min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    length = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return -1;
  }
  if (pos + static_cast<std::size_t>(length) > s.size()) {
    return -1;
  }
  for (int i = 1; i < length; ++i) {
    const unsigned char b = byte(pos + static_cast<std::size_t>(i));
    if ((b & 0xc0) != 0x80) {
      return -1;
    }
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return -1;
  }
  pos += static_cast<std::size_t>(length);
  return cp;
}

/// The UTF-16 code units of a UTF-8 string (for RFC 8785 §3.2.3 member sorting).
Result<std::u16string> ToUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const long cp = DecodeUtf8(s, pos);
    if (cp < 0) {
      return JcsError("cred.jcs_invalid_utf8");
    }
    if (cp >= 0x10000) {
      const long v = cp - 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (v >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (v & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

/// Appends `s` as a JSON string literal (RFC 8785 §3.2.2.2, i.e. ECMAScript JSON.stringify).
Status AppendString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    const long cp = DecodeUtf8(s, pos);
    if (cp < 0) {
      return JcsError("cred.jcs_invalid_utf8");
    }
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (cp < 0x20) {
          out += "\\u00";
          out.push_back(kHex[(cp >> 4) & 0x0f]);
          out.push_back(kHex[cp & 0x0f]);
        } else {
          out.append(s.substr(start, pos - start));
        }
    }
  }
  out.push_back('"');
  return Status::Ok();
}

Status AppendValue(const Json& value, int depth, std::string& out) {
  if (depth > kMaxJcsDepth) {
    return JcsError("cred.jcs_too_deep");
  }
  switch (value.type()) {
    case Json::value_t::null:
      out += "null";
      return Status::Ok();
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return Status::Ok();
    case Json::value_t::number_integer: {
      HOSHI_ASSIGN_OR_RETURN(std::string text,
                             SerializeNumber(static_cast<double>(value.get<std::int64_t>())));
      out += text;
      return Status::Ok();
    }
    case Json::value_t::number_unsigned: {
      HOSHI_ASSIGN_OR_RETURN(std::string text,
                             SerializeNumber(static_cast<double>(value.get<std::uint64_t>())));
      out += text;
      return Status::Ok();
    }
    case Json::value_t::number_float: {
      HOSHI_ASSIGN_OR_RETURN(std::string text, SerializeNumber(value.get<double>()));
      out += text;
      return Status::Ok();
    }
    case Json::value_t::string:
      return AppendString(value.get_ref<const std::string&>(), out);
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& element : value) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        HOSHI_RETURN_IF_ERROR(AppendValue(element, depth + 1, out));
      }
      out.push_back(']');
      return Status::Ok();
    }
    case Json::value_t::object: {
      std::vector<std::pair<std::u16string, Json::const_iterator>> members;
      members.reserve(value.size());
      for (auto it = value.cbegin(); it != value.cend(); ++it) {
        HOSHI_ASSIGN_OR_RETURN(std::u16string key, ToUtf16(it.key()));
        members.emplace_back(std::move(key), it);
      }
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      bool first = true;
      for (const auto& [key, it] : members) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        HOSHI_RETURN_IF_ERROR(AppendString(it.key(), out));
        out.push_back(':');
        HOSHI_RETURN_IF_ERROR(AppendValue(it.value(), depth + 1, out));
      }
      out.push_back('}');
      return Status::Ok();
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  return JcsError("cred.jcs_unsupported_type");
}

}  // namespace

Result<std::string> SerializeNumber(double value) {
  if (!std::isfinite(value)) {
    return JcsError("cred.jcs_non_finite");
  }
  if (value == 0) {
    return std::string("0");  // also -0 (ECMAScript Number::toString step 2)
  }
  // The shortest round-trip digits (as Ryu / V8), in scientific form "d.ddde±x".
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::scientific);
  if (ec != std::errc()) {
    return MakeError(ErrorCode::kInternal, CredMessages(), "cred.jcs_number");
  }
  const std::string_view text(buf, static_cast<std::size_t>(end - buf));
  const std::size_t e_pos = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') {
      digits.push_back(c);
    }
  }
  int exponent = 0;
  const std::string_view exp_text = text.substr(e_pos + 1);
  const char* exp_begin = exp_text.data() + (exp_text.front() == '+' ? 1 : 0);
  std::from_chars(exp_begin, exp_text.data() + exp_text.size(), exponent);
  // ECMAScript Number::toString: k digits, decimal point after n digits.
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  std::string out = value < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

Result<std::string> Canonicalize(const nlohmann::json& value) {
  std::string out;
  HOSHI_RETURN_IF_ERROR(AppendValue(value, 0, out));
  return out;
}

}  // namespace hoshi::cred
