// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/corporate_number.h"

#include <string>

#include <gtest/gtest.h>

namespace hoshi::org {
namespace {

std::string Reason(const Status& s) {
  return s.ok() ? std::string("ok") : s.error().reason();
}

TEST(CorporateNumberTest, CheckDigitFollowsTheFormula) {
  // 9 - (Σ P_n × Q_n mod 9), n counted from the right of the 12-digit base number.
  // 010001999990, from the right: 0·1 + 9·2 + 9·1 + 9·2 + 9·1 + 9·2 + 1·1 + 0·2 + 0·1 + 0·2 +
  // 1·1 + 0·2 = 74; 74 mod 9 = 2, so the check digit is 7 (not 5: see WrongCheckDigitIsRejected).
  EXPECT_EQ(CorporateNumberCheckDigit("010001999990"), '7');
  // 000012050002: 2·1 + 5·1 + 2·1 + 1·2 = 11; 11 mod 9 = 2.
  EXPECT_EQ(CorporateNumberCheckDigit("000012050002"), '7');
  // 123456789012: sum 74 (the worked example of the formula); 74 mod 9 = 2.
  EXPECT_EQ(CorporateNumberCheckDigit("123456789012"), '7');
  // 180301018771: sum 53; 53 mod 9 = 8.
  EXPECT_EQ(CorporateNumberCheckDigit("180301018771"), '1');
  // A sum divisible by 9 gives 9, never 0.
  EXPECT_EQ(CorporateNumberCheckDigit("000000000000"), '9');
  EXPECT_EQ(CorporateNumberCheckDigit("999999999999"), '9');
  // Not a 12-digit base number.
  EXPECT_EQ(CorporateNumberCheckDigit("01000199999"), '\0');
  EXPECT_EQ(CorporateNumberCheckDigit("0100019999901"), '\0');
  EXPECT_EQ(CorporateNumberCheckDigit("01000199999a"), '\0');
}

TEST(CorporateNumberTest, PublishedNumbersAreValid) {
  for (const char* number : {
           "7010001999990",  // check digit computed above
           "7000012050002",  // 国税庁
           "1180301018771",  // a company in Aichi
           "4011001098993", "2120901007402", "7010705000725",
           "7123456789012",  // the worked example of the formula
       }) {
    EXPECT_EQ(Reason(ValidateCorporateNumber(number)), "ok") << number;
  }
}

TEST(CorporateNumberTest, WrongCheckDigitIsRejected) {
  // 5010001999990 circulates as an example number, but its check digit is wrong (74 mod 9 = 2,
  // 9 - 2 = 7): the formula agrees with six published numbers above, so the example is rejected.
  const Status s = ValidateCorporateNumber("5010001999990");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().reason(), "org.corporate_number_check_digit");
  EXPECT_FALSE(s.error().message().ja.empty());
  EXPECT_FALSE(s.error().message().en.empty());
  // Every first digit but 7 is wrong, including 0 (never a check digit).
  for (char c = '0'; c <= '9'; ++c) {
    if (c != '7') {
      EXPECT_EQ(Reason(ValidateCorporateNumber(std::string(1, c) + "010001999990")),
                "org.corporate_number_check_digit")
          << c;
    }
  }
}

TEST(CorporateNumberTest, SingleDigitTyposAreDetectedExceptZeroNineSwaps) {
  const std::string good = "7010001999990";
  for (std::size_t i = 1; i < good.size(); ++i) {
    for (char c = '0'; c <= '9'; ++c) {
      if (c == good[i]) {
        continue;
      }
      std::string typo = good;
      typo[i] = c;
      const bool zero_nine_swap = (c == '0' && good[i] == '9') || (c == '9' && good[i] == '0');
      EXPECT_EQ(ValidateCorporateNumber(typo).ok(), zero_nine_swap) << typo;
    }
  }
}

TEST(CorporateNumberTest, FormatIsExactlyThirteenAsciiDigits) {
  for (const char* number : {
           "",
           "701000199999",                // 12 digits
           "70100019999901",              // 14 digits
           "701000199999A",               // a letter
           "7010001-999990",              // a hyphen
           " 7010001999990",              // a space
           "７０１０００１９９９９９０",  // full-width digits
       }) {
    const Status s = ValidateCorporateNumber(number);
    ASSERT_FALSE(s.ok()) << number;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument) << number;
    EXPECT_EQ(s.error().reason(), "org.corporate_number_format") << number;
  }
}

TEST(CorporateNumberTest, NormalizeAcceptsWhatPeopleType) {
  for (const char* input : {
           "７０１０００１９９９９９０",        // full-width digits
           "7-0100-0199-9990",                  // hyphens as on tax forms (1-4-4-4)
           " 7 0100 0199 9990\t",               // spaces and a tab
           "７－０１００－０１９９－９９９０",  // full-width hyphen-minus
           "7−0100−0199−9990",                  // minus sign
           "7ー0100ー0199ー9990",               // prolonged sound mark typed for a hyphen
           "7‐0100‐0199‐9990",                  // U+2010 hyphen
           "7　0100　0199　9990",               // ideographic space
       }) {
    const std::string normalised = NormalizeCorporateNumber(input);
    EXPECT_EQ(normalised, "7010001999990") << input;
    EXPECT_TRUE(ValidateCorporateNumber(normalised).ok()) << input;
  }
  // Other characters are kept, so validation still rejects them.
  EXPECT_EQ(NormalizeCorporateNumber("70100019999A0"), "70100019999A0");
  EXPECT_EQ(Reason(ValidateCorporateNumber(NormalizeCorporateNumber("7010001999990。"))),
            "org.corporate_number_format");
  EXPECT_EQ(NormalizeCorporateNumber(""), "");
}

}  // namespace
}  // namespace hoshi::org
