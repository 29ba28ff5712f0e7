// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/jcs.h"

#include <bit>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;

/// Parses `text` (test input) and canonicalizes it.
std::string Jcs(std::string_view text) {
  const Json value = Json::parse(text);
  auto out = Canonicalize(value);
  EXPECT_TRUE(out.ok()) << text;
  return out.ok() ? *out : std::string();
}

std::string Number(std::uint64_t ieee754_bits) {
  auto out = SerializeNumber(std::bit_cast<double>(ieee754_bits));
  return out.ok() ? *out : "error";
}

// RFC 8785 Appendix B, "Number Serialization Samples" (IEEE-754 bits -> JSON text).
TEST(JcsTest, Rfc8785AppendixBNumberSamples) {
  EXPECT_EQ(Number(0x0000000000000000), "0");
  EXPECT_EQ(Number(0x8000000000000000), "0");  // minus zero
  EXPECT_EQ(Number(0x0000000000000001), "5e-324");
  EXPECT_EQ(Number(0x8000000000000001), "-5e-324");
  EXPECT_EQ(Number(0x7fefffffffffffff), "1.7976931348623157e+308");
  EXPECT_EQ(Number(0xffefffffffffffff), "-1.7976931348623157e+308");
  EXPECT_EQ(Number(0x4340000000000000), "9007199254740992");
  EXPECT_EQ(Number(0xc340000000000000), "-9007199254740992");
  EXPECT_EQ(Number(0x4430000000000000), "295147905179352830000");
  EXPECT_EQ(Number(0x44b52d02c7e14af5), "9.999999999999997e+22");
  EXPECT_EQ(Number(0x44b52d02c7e14af6), "1e+23");
  EXPECT_EQ(Number(0x44b52d02c7e14af7), "1.0000000000000001e+23");
  EXPECT_EQ(Number(0x444b1ae4d6e2ef4e), "999999999999999700000");
  EXPECT_EQ(Number(0x444b1ae4d6e2ef4f), "999999999999999900000");
  EXPECT_EQ(Number(0x444b1ae4d6e2ef50), "1e+21");
  EXPECT_EQ(Number(0x3eb0c6f7a0b5ed8c), "9.999999999999997e-7");
  EXPECT_EQ(Number(0x3eb0c6f7a0b5ed8d), "0.000001");
  EXPECT_EQ(Number(0x41b3de4355555553), "333333333.3333332");
  EXPECT_EQ(Number(0x41b3de4355555554), "333333333.33333325");
  EXPECT_EQ(Number(0x41b3de4355555555), "333333333.3333333");
  EXPECT_EQ(Number(0x41b3de4355555556), "333333333.3333334");
  EXPECT_EQ(Number(0x41b3de4355555557), "333333333.33333343");
  EXPECT_EQ(Number(0xbecbf647612f3696), "-0.0000033333333333333333");
  EXPECT_EQ(Number(0x43143ff3c1cb0959), "1424953923781206.2");  // round to even
}

TEST(JcsTest, NonFiniteNumbersAreRejected) {
  for (const std::uint64_t bits :
       {0x7fffffffffffffffULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL}) {
    auto out = SerializeNumber(std::bit_cast<double>(bits));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), ErrorCode::kDataError);
  }
  Json doc = {{"a", std::numeric_limits<double>::quiet_NaN()}};
  auto out = Canonicalize(doc);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kDataError);
  doc = Json::array({1, std::numeric_limits<double>::infinity()});
  EXPECT_FALSE(Canonicalize(doc).ok());
}

TEST(JcsTest, EcmaScriptNumberFormsAndIntegers) {
  EXPECT_EQ(*SerializeNumber(1e21), "1e+21");
  EXPECT_EQ(*SerializeNumber(1e20), "100000000000000000000");
  EXPECT_EQ(*SerializeNumber(1e-7), "1e-7");
  EXPECT_EQ(*SerializeNumber(0.000001), "0.000001");
  EXPECT_EQ(*SerializeNumber(-0.0), "0");
  EXPECT_EQ(*SerializeNumber(1.5e-7), "1.5e-7");
  EXPECT_EQ(*SerializeNumber(123.456), "123.456");
  EXPECT_EQ(*SerializeNumber(-42), "-42");
  EXPECT_EQ(*SerializeNumber(0.1), "0.1");
  EXPECT_EQ(Jcs("[-0, -0.0, 0.0, 1.0, 56.0, 1E3, 10e-1]"), "[0,0,0,1,56,1000,1]");
  // Integers are IEEE-754 doubles in JCS: beyond 2^53 they round like a JavaScript parser.
  EXPECT_EQ(Jcs("[9007199254740993, 9223372036854775807, 18446744073709551615]"),
            "[9007199254740992,9223372036854776000,18446744073709552000]");
  EXPECT_EQ(*Canonicalize(Json(std::int64_t{-9007199254740992})), "-9007199254740992");
}

// RFC 8785 §3.2.2 (the serialization example) = cyberphone testdata values.json.
TEST(JcsTest, Rfc8785PrimitiveSerializationExample) {
  EXPECT_EQ(Jcs(R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })"),
            R"({"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],)"
            R"("string":"€$\u000f\nA'B\"\\\\\"/"})");
  EXPECT_EQ(Jcs(R"({
    "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
    "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })"),
            R"({"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],)"
            R"("numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]})");
}

// RFC 8785 §3.2.3: member names are sorted by their UTF-16 code units, not by UTF-8 bytes or
// code points ("\ud83d\ude00" sorts before "\ufb33").
TEST(JcsTest, Rfc8785SortingExampleUsesUtf16CodeUnits) {
  const std::string out = Jcs(R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })");
  EXPECT_EQ(out,
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
            "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
            "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

// cyberphone/json-canonicalization testdata: arrays, structures, french, unicode, weird.
TEST(JcsTest, CyberphoneTestData) {
  EXPECT_EQ(Jcs(R"([56, {"d": true, "10": null, "1": [ ]}])"),
            R"([56,{"1":[],"10":null,"d":true}])");
  EXPECT_EQ(Jcs(R"({
    "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
    "10": { },
    "": "empty",
    "a": { },
    "111": [ { } ],
    "A": { }
  })"),
            R"({"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}})");
  EXPECT_EQ(Jcs(R"({
    "peach": "This sorting order",
    "péché": "is wrong according to French",
    "pêche": "but canonicalization MUST",
    "sin":   "ingnore locale"
  })"),
            R"({"peach":"This sorting order","péché":"is wrong according to French",)"
            R"("pêche":"but canonicalization MUST","sin":"ingnore locale"})");
  // No Unicode normalization.
  EXPECT_EQ(Jcs(R"({"Unnormalized Unicode":"\u1e0d\u0307"})"),
            "{\"Unnormalized Unicode\":\"\xe1\xb8\x8d\xcc\x87\"}");
  EXPECT_EQ(
      Jcs(R"({
    "\u20ac": "Euro Sign",
    "1": "One",
    "\u0080": "Control\u007f",
    "\ud83d\ude02": "Smiley",
    "\u00f6": "Latin Small Letter O With Diaeresis",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "</script>": "Browser Challenge"
  })"),
      "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\xc2\x80\":\"Control\x7f\","
      "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
      "\"\xf0\x9f\x98\x82\":\"Smiley\",\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(JcsTest, EscapesOnlyQuoteBackslashAndControls) {
  Json s = std::string("\b\t\n\f\r\x01\x1f \x7f/\"\\") + "\xe2\x80\xa8" + "日本";
  EXPECT_EQ(*Canonicalize(s), "\"\\b\\t\\n\\f\\r\\u0001\\u001f \x7f/\\\"\\\\\xe2\x80\xa8日本\"");
  Json nul = std::string(1, '\0');
  EXPECT_EQ(*Canonicalize(nul), "\"\\u0000\"");
}

TEST(JcsTest, RejectsInvalidUtf8InStringsAndNames) {
  for (const std::string& bad : {std::string("\xff"), std::string("a\xc3"),
                                 std::string("\xc0\xaf"),          // overlong '/'
                                 std::string("\xed\xa0\x80"),      // UTF-16 surrogate
                                 std::string("\xf4\x90\x80\x80"),  // beyond U+10FFFF
                                 std::string("\xe0\x80\xaf")}) {   // overlong
    auto value = Canonicalize(Json(bad));
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(value.error().code(), ErrorCode::kDataError);
    Json object = Json::object();
    object[bad] = 1;
    EXPECT_FALSE(Canonicalize(object).ok());
  }
}

TEST(JcsTest, RejectsBinaryAndExcessiveNesting) {
  EXPECT_FALSE(Canonicalize(Json::binary({1, 2, 3})).ok());
  Json deep = 1;
  for (int i = 0; i < kMaxJcsDepth + 1; ++i) {
    deep = Json::array({std::move(deep)});
  }
  auto out = Canonicalize(deep);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kDataError);
  Json ok = 1;
  for (int i = 0; i < kMaxJcsDepth; ++i) {
    ok = Json::array({std::move(ok)});
  }
  EXPECT_TRUE(Canonicalize(ok).ok());
}

TEST(JcsTest, CanonicalFormIsAFixedPoint) {
  const std::string once = Jcs(R"({"b":[1.50,{"z":null,"y":"\u00e9"}],"a":-0.0})");
  EXPECT_EQ(once, R"({"a":0,"b":[1.5,{"y":"é","z":null}]})");
  EXPECT_EQ(Jcs(once), once);
}

}  // namespace
}  // namespace hoshi::cred
