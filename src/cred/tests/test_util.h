// SPDX-License-Identifier: Apache-2.0
// Shared fixtures of the cred tests.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "hoshi/cred/vc.h"

namespace hoshi::cred::test {

/// A deterministic issuer key (seed 0x01 0x02 … 0x20 + offset).
inline IssuerKey FixedIssuer(std::uint8_t offset = 0,
                             std::string name = "独立行政法人情報処理推進機構") {
  Bytes seed(32);
  for (std::size_t i = 0; i < seed.size(); ++i) {
    seed[i] = static_cast<std::uint8_t>(i + 1 + offset);
  }
  auto key = Ed25519KeyPair::FromSeed(seed);
  EXPECT_TRUE(key.ok());
  return IssuerKey{std::move(key).value(), std::move(name)};
}

inline StarSubject SampleSubject() {
  StarSubject s;
  s.corporate_number = "1010001000006";
  s.name = "株式会社ほしとり製作所";
  s.level = 3;
  s.catalog_key = "scs-2026-03-27";
  s.scope = "本社および国内 2 工場の情報システム";
  s.issued_on = *Date::Parse("2026-04-01");
  s.expires_on = *Date::Parse("2027-03-31");
  s.assessment_digest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  return s;
}

inline constexpr std::string_view kCredentialId = "01966b2e-7a1c-7d3e-8f00-0123456789ab";
inline constexpr std::string_view kCreated = "2026-03-31T10:00:00Z";
inline constexpr std::string_view kListUrl = "https://hoshitori.example/api/v1/public/revocations";

}  // namespace hoshi::cred::test
