// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/corporate_number.h"

#include <array>

#include "hoshi/org/messages.h"

namespace hoshi::org {
namespace {

bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

bool AllDigits(std::string_view s) {
  for (const char c : s) {
    if (!IsAsciiDigit(c)) {
      return false;
    }
  }
  return true;
}

// Characters removed by NormalizeCorporateNumber, as UTF-8.
constexpr std::array<std::string_view, 14> kSeparators{
    " ",       // space
    "\t",      // tab
    "-",       // hyphen-minus
    "\u3000",  // ideographic space
    "\u2010",  // hyphen
    "\u2011",  // non-breaking hyphen
    "\u2012",  // figure dash
    "\u2013",  // en dash
    "\u2014",  // em dash
    "\u2015",  // horizontal bar
    "\u2212",  // minus sign
    "\uFF0D",  // fullwidth hyphen-minus
    "\u30FC",  // katakana prolonged sound mark (often typed for a hyphen)
    "\uFF70",  // halfwidth prolonged sound mark
};

}  // namespace

char CorporateNumberCheckDigit(std::string_view twelve_digits) {
  if (twelve_digits.size() != 12 || !AllDigits(twelve_digits)) {
    return '\0';
  }
  int sum = 0;
  // n counts from the right, starting at 1: odd n weighs 1, even n weighs 2.
  for (std::size_t n = 1; n <= 12; ++n) {
    const int digit = twelve_digits[12 - n] - '0';
    sum += digit * (n % 2 == 1 ? 1 : 2);
  }
  return static_cast<char>('0' + (9 - sum % 9));
}

Status ValidateCorporateNumber(std::string_view number) {
  if (number.size() != 13 || !AllDigits(number)) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.corporate_number_format");
  }
  if (CorporateNumberCheckDigit(number.substr(1)) != number[0]) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(),
                     "org.corporate_number_check_digit");
  }
  return Status::Ok();
}

std::string NormalizeCorporateNumber(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  std::size_t i = 0;
  while (i < input.size()) {
    const std::string_view rest = input.substr(i);
    // Full-width digits U+FF10..U+FF19 are EF BC 90..99.
    if (rest.size() >= 3 && static_cast<unsigned char>(rest[0]) == 0xEF &&
        static_cast<unsigned char>(rest[1]) == 0xBC &&
        static_cast<unsigned char>(rest[2]) >= 0x90 &&
        static_cast<unsigned char>(rest[2]) <= 0x99) {
      out.push_back(static_cast<char>('0' + (static_cast<unsigned char>(rest[2]) - 0x90)));
      i += 3;
      continue;
    }
    bool skipped = false;
    for (const std::string_view sep : kSeparators) {
      if (rest.starts_with(sep)) {
        i += sep.size();
        skipped = true;
        break;
      }
    }
    if (!skipped) {
      out.push_back(input[i]);
      ++i;
    }
  }
  return out;
}

}  // namespace hoshi::org
