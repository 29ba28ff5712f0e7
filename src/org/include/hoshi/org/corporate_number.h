// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "hoshi/core/result.h"

namespace hoshi::org {

/// Checks a 法人番号 (corporate number): exactly 13 ASCII digits whose FIRST digit is the check
/// digit over the other 12 (法人番号の指定等に関する省令 第2条; see CorporateNumberCheckDigit).
/// No normalisation happens here: pass user input through NormalizeCorporateNumber first.
/// Errors: kInvalidArgument with reason "org.corporate_number_format" (not 13 ASCII digits) or
/// "org.corporate_number_check_digit". Thread-safe.
[[nodiscard]] Status ValidateCorporateNumber(std::string_view number);

/// Normalises a corporate number typed into a form: full-width digits (０-９) become ASCII, and
/// ASCII/ideographic spaces, tabs and hyphen-like characters (- ‐ ‑ ‒ – — ― − － ー) are removed.
/// Anything else is kept, so that ValidateCorporateNumber still rejects it. Thread-safe.
[[nodiscard]] std::string NormalizeCorporateNumber(std::string_view input);

/// The check digit ('1'..'9') for a 12-digit base number (会社法人等番号 or the number assigned
/// by 国税庁): with P_n the n-th digit counted from the right and Q_n = 1 for odd n, 2 for even
/// n, check = 9 - (Σ P_n × Q_n mod 9). Returns '\0' when `twelve_digits` is not exactly 12 ASCII
/// digits. Thread-safe.
[[nodiscard]] char CorporateNumberCheckDigit(std::string_view twelve_digits);

}  // namespace hoshi::org
