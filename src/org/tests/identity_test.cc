// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/identity.h"

#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/id.h"

#include "test_db.h"

namespace hoshi::org {
namespace {

using storage::Value;
using test_support::OrgDbTest;

constexpr std::string_view kPassword = "correct horse battery staple";

class IdentityStoreTest : public OrgDbTest {
 protected:
  IdentityStore Store() { return IdentityStore(*conn_, clock_, MinimumPasswordPolicy()); }

  // The stored password hash of a user (inspecting the row directly).
  std::string StoredHash(const std::string& user_id) {
    auto rs = Sql("SELECT password_hash FROM users WHERE id = ?", {Value(user_id)});
    return rs.rows.empty() ? std::string() : rs.rows.front().GetText(0).value();
  }
};

TEST(PasswordPolicyTest, DefaultIsLibsodiumInteractiveArgon2id) {
  // crypto_pwhash_OPSLIMIT_INTERACTIVE and crypto_pwhash_MEMLIMIT_INTERACTIVE for Argon2id.
  EXPECT_EQ(DefaultPasswordPolicy().opslimit, 2U);
  EXPECT_EQ(DefaultPasswordPolicy().memlimit, 64U << 20);
  EXPECT_LT(MinimumPasswordPolicy().memlimit, DefaultPasswordPolicy().memlimit);
}

TEST(NormalizeEmailTest, TrimsAndLowerCasesAsciiOnly) {
  EXPECT_EQ(NormalizeEmail("  Taro@Example.JP\t"), "taro@example.jp");
  EXPECT_EQ(NormalizeEmail("ÄBC@example.jp"), "Äbc@example.jp");
  EXPECT_EQ(NormalizeEmail(""), "");
}

TEST_P(IdentityStoreTest, CreatesAndFindsOrganizations) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
      const Organization a,
      store.CreateOrganization("7010001999990", " 株式会社サンプル ", "Sample K.K.", "company"));
  EXPECT_TRUE(IsValidId(a.id));
  EXPECT_EQ(a.name, "株式会社サンプル");  // trimmed
  EXPECT_EQ(a.created_at, "2026-11-22T00:00:00Z");
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
      const Organization b,
      store.CreateOrganization("7000012050002", "評価機関", "", "evaluation_body"));

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const Organization got, store.GetOrganization(a.id));
  EXPECT_EQ(got.corporate_number, "7010001999990");
  EXPECT_EQ(got.name_en, "Sample K.K.");
  EXPECT_EQ(got.kind, "company");
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const Organization by_number,
                                 store.FindOrganizationByCorporateNumber("7000012050002"));
  EXPECT_EQ(by_number.id, b.id);
  EXPECT_EQ(by_number.kind, "evaluation_body");

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto all, store.ListOrganizations());
  EXPECT_EQ(all.size(), 2U);

  EXPECT_EQ(store.GetOrganization("nope").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.GetOrganization("nope").error().reason(), "org.organization_not_found");
  EXPECT_EQ(store.FindOrganizationByCorporateNumber("1180301018771").error().code(),
            ErrorCode::kNotFound);
}

TEST_P(IdentityStoreTest, RejectsInvalidAndDuplicateOrganizations) {
  IdentityStore store = Store();
  auto bad_digit = store.CreateOrganization("6010001999990", "A", "", "company");
  ASSERT_FALSE(bad_digit.ok());
  EXPECT_EQ(bad_digit.error().reason(), "org.corporate_number_check_digit");
  auto bad_format = store.CreateOrganization("7-0100-0199-9990", "A", "", "company");
  ASSERT_FALSE(bad_format.ok());
  EXPECT_EQ(bad_format.error().reason(), "org.corporate_number_format");
  EXPECT_EQ(store.CreateOrganization("7010001999990", "A", "", "bank").error().reason(),
            "org.organization_kind_invalid");
  EXPECT_EQ(store.CreateOrganization("7010001999990", "  ", "", "company").error().reason(),
            "org.organization_name_invalid");
  EXPECT_EQ(store.CreateOrganization("7010001999990", "A\nB", "", "company").error().reason(),
            "org.organization_name_invalid");

  HOSHI_ORG_ASSERT_OK(store.CreateOrganization("7010001999990", "A", "", "company"));
  auto dup = store.CreateOrganization("7010001999990", "B", "", "expert_firm");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().reason(), "org.organization_exists");
  EXPECT_NE(dup.error().message().ja.find("7010001999990"), std::string::npos);
}

TEST_P(IdentityStoreTest, CreateUserNormalisesEmailAndStoresOnlyAnArgon2idHash) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
      const User u, store.CreateUser("  Taro.Yamada@Example.CO.JP ", "山田 太郎", kPassword, "ja"));
  EXPECT_TRUE(IsValidId(u.id));
  EXPECT_EQ(u.email, "taro.yamada@example.co.jp");
  EXPECT_EQ(u.display_name, "山田 太郎");
  EXPECT_EQ(u.lang, "ja");
  EXPECT_FALSE(u.disabled);

  const std::string hash = StoredHash(u.id);
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(hash.find(kPassword), std::string::npos);
  // No column of the row holds the password.
  auto row = Sql("SELECT * FROM users WHERE id = ?", {Value(u.id)});
  ASSERT_EQ(row.rows.size(), 1U);
  for (std::size_t i = 0; i < row.rows.front().size(); ++i) {
    if (const auto* text = std::get_if<std::string>(&row.rows.front().at(i))) {
      EXPECT_EQ(text->find(kPassword), std::string::npos) << row.columns[i];
    }
  }

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User by_email,
                                 store.FindUserByEmail("TARO.YAMADA@example.co.jp"));
  EXPECT_EQ(by_email.id, u.id);
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User by_id, store.GetUser(u.id));
  EXPECT_EQ(by_id.email, u.email);
  EXPECT_EQ(store.GetUser("nope").error().reason(), "org.user_not_found");
  EXPECT_EQ(store.FindUserByEmail("nobody@example.jp").error().code(), ErrorCode::kNotFound);

  // The same address in another case is a duplicate.
  auto dup = store.CreateUser("TARO.YAMADA@EXAMPLE.CO.JP", "Other", kPassword, "en");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().reason(), "org.user_exists");
}

TEST_P(IdentityStoreTest, CreateUserValidatesItsInput) {
  IdentityStore store = Store();
  auto short_pw = store.CreateUser("a@example.jp", "A", "elevenchars", "ja");
  ASSERT_FALSE(short_pw.ok());
  EXPECT_EQ(short_pw.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_pw.error().reason(), "org.password_too_short");
  EXPECT_NE(short_pw.error().message().ja.find("12"), std::string::npos);
  // Twelve characters are enough, counted as characters, not bytes.
  HOSHI_ORG_ASSERT_OK(store.CreateUser("b@example.jp", "B", "twelve chars", "en"));
  HOSHI_ORG_ASSERT_OK(store.CreateUser("c@example.jp", "C", "すずめがとまるよなかのでんせん", ""));
  EXPECT_EQ(store.CreateUser("d@example.jp", "D", "すずめがとまる", "ja").error().reason(),
            "org.password_too_short");
  EXPECT_EQ(store.CreateUser("e@example.jp", "E", std::string(1025, 'x'), "ja").error().reason(),
            "org.password_too_long");
  HOSHI_ORG_ASSERT_OK(store.CreateUser("f@example.jp", "F", std::string(1024, 'x'), "ja"));

  for (const char* email :
       {"", "plain", "@example.jp", "a@", "a@localhost", "a b@example.jp", "a@@example.jp",
        "a@example..jp", "a@.example.jp", "a@example.jp.", "<a@example.jp>", "a\n@example.jp"}) {
    EXPECT_EQ(store.CreateUser(email, "X", kPassword, "ja").error().reason(), "org.email_invalid")
        << email;
  }
  EXPECT_EQ(store.CreateUser("g@example.jp", "", kPassword, "ja").error().reason(),
            "org.display_name_invalid");
  EXPECT_EQ(store.CreateUser("g@example.jp", "G", kPassword, "fr").error().reason(),
            "org.lang_invalid");
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User g,
                                 store.CreateUser("g@example.jp", "G", kPassword, "en-US"));
  EXPECT_EQ(g.lang, "en");
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User c, store.FindUserByEmail("c@example.jp"));
  EXPECT_EQ(c.lang, "ja");
}

TEST_P(IdentityStoreTest, AuthenticateAcceptsOnlyTheRightPassword) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("hanako@example.jp", "花子", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User ok, store.Authenticate("Hanako@Example.jp", kPassword));
  EXPECT_EQ(ok.id, u.id);

  auto wrong = store.Authenticate("hanako@example.jp", "correct horse battery stapler");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().reason(), "org.login_failed");

  auto unknown = store.Authenticate("nobody@example.jp", kPassword);
  ASSERT_FALSE(unknown.ok());
  // Indistinguishable from a wrong password.
  EXPECT_EQ(unknown.error().code(), wrong.error().code());
  EXPECT_EQ(unknown.error().reason(), wrong.error().reason());
  EXPECT_EQ(unknown.error().message(), wrong.error().message());

  EXPECT_EQ(store.Authenticate("hanako@example.jp", "").error().reason(), "org.login_failed");
  EXPECT_EQ(store.Authenticate("hanako@example.jp", std::string(5000, 'x')).error().reason(),
            "org.login_failed");
}

TEST_P(IdentityStoreTest, LoginIsThrottledAfterFiveFailuresUntilTheWindowPasses) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK(store.CreateUser("jiro@example.jp", "次郎", kPassword, "ja"));
  for (int i = 0; i < kLoginMaxFailures; ++i) {
    EXPECT_EQ(store.Authenticate("jiro@example.jp", "wrong password!").error().reason(),
              "org.login_failed");
    clock_.Advance(std::chrono::minutes(1));
  }
  // Now even the right password is refused, and the email's case does not matter.
  auto limited = store.Authenticate("JIRO@example.jp", kPassword);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(limited.error().reason(), "org.login_rate_limited");
  // The first failure was at 00:00Z = 09:00 JST; the lock lifts 15 minutes later.
  EXPECT_NE(limited.error().message().ja.find("2026-11-22 09:15:00 JST"), std::string::npos)
      << limited.error().message().ja;
  // Refused attempts do not extend the lock: at 00:14:59 still locked, at 00:15:00 the first
  // failure has left the window.
  clock_.Set(TimePoint(std::chrono::seconds(1795305600)) + std::chrono::minutes(15) -
             std::chrono::seconds(1));
  EXPECT_EQ(store.Authenticate("jiro@example.jp", kPassword).error().code(),
            ErrorCode::kRateLimited);
  clock_.Advance(std::chrono::seconds(1));
  HOSHI_ORG_ASSERT_OK(store.Authenticate("jiro@example.jp", kPassword));
  // The success cleared the remaining failures.
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM login_failures").rows.front().GetInt(0).value(), 0);
}

TEST_P(IdentityStoreTest, UnknownEmailsAreThrottledToo) {
  IdentityStore store = Store();
  for (int i = 0; i < kLoginMaxFailures; ++i) {
    EXPECT_EQ(store.Authenticate("ghost@example.jp", kPassword).error().code(),
              ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(store.Authenticate("ghost@example.jp", kPassword).error().code(),
            ErrorCode::kRateLimited);
  // Other emails are unaffected.
  EXPECT_EQ(store.Authenticate("other@example.jp", kPassword).error().code(),
            ErrorCode::kUnauthenticated);
  clock_.Advance(kLoginWindow);
  EXPECT_EQ(store.Authenticate("ghost@example.jp", kPassword).error().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(IdentityStoreTest, SuccessfulLoginClearsFailures) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK(store.CreateUser("saburo@example.jp", "三郎", kPassword, "ja"));
  for (int i = 0; i < kLoginMaxFailures - 1; ++i) {
    EXPECT_FALSE(store.Authenticate("saburo@example.jp", "wrong password!").ok());
  }
  HOSHI_ORG_ASSERT_OK(store.Authenticate("saburo@example.jp", kPassword));
  for (int i = 0; i < kLoginMaxFailures - 1; ++i) {
    EXPECT_EQ(store.Authenticate("saburo@example.jp", "wrong password!").error().code(),
              ErrorCode::kUnauthenticated);
  }
  HOSHI_ORG_ASSERT_OK(store.Authenticate("saburo@example.jp", kPassword));
}

TEST_P(IdentityStoreTest, DisabledUsersCannotLogInOrKeepSessions) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("shiro@example.jp", "四郎", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto session, store.CreateSession(u.id));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto token, store.CreateApiToken(u.id, "ci", std::nullopt));
  HOSHI_ORG_ASSERT_OK(store.SetUserDisabled(u.id, true));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User disabled, store.GetUser(u.id));
  EXPECT_TRUE(disabled.disabled);

  auto login = store.Authenticate("shiro@example.jp", kPassword);
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(login.error().reason(), "org.account_disabled");
  EXPECT_EQ(store.Authenticate("shiro@example.jp", "wrong password!").error().reason(),
            "org.login_failed");
  EXPECT_EQ(store.LookupSession(session.token).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(store.LookupApiToken(token.token).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(store.CreateSession(u.id).error().reason(), "org.account_disabled");

  HOSHI_ORG_ASSERT_OK(store.SetUserDisabled(u.id, false));
  HOSHI_ORG_ASSERT_OK(store.Authenticate("shiro@example.jp", kPassword));
  // The session ended when the user was disabled; the API token works again.
  EXPECT_EQ(store.LookupSession(session.token).error().code(), ErrorCode::kUnauthenticated);
  HOSHI_ORG_ASSERT_OK(store.LookupApiToken(token.token));
  EXPECT_EQ(store.SetUserDisabled("nope", true).error().code(), ErrorCode::kNotFound);
}

TEST_P(IdentityStoreTest, LoginRehashesWhenThePolicyChanges) {
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 Store().CreateUser("goro@example.jp", "五郎", kPassword, "ja"));
  const std::string before = StoredHash(u.id);
  // Same policy: no rehash.
  HOSHI_ORG_ASSERT_OK(Store().Authenticate("goro@example.jp", kPassword));
  EXPECT_EQ(StoredHash(u.id), before);
  // A stronger policy rehashes on the next successful login.
  const PasswordPolicy min = MinimumPasswordPolicy();
  IdentityStore stronger(*conn_, clock_, PasswordPolicy{min.opslimit + 1, min.memlimit * 2});
  HOSHI_ORG_ASSERT_OK(stronger.Authenticate("goro@example.jp", kPassword));
  const std::string after = StoredHash(u.id);
  EXPECT_NE(after, before);
  EXPECT_TRUE(after.starts_with("$argon2id$")) << after;
  EXPECT_NE(after.find(",t=" + std::to_string(min.opslimit + 1) + ","), std::string::npos) << after;
  HOSHI_ORG_ASSERT_OK(stronger.Authenticate("goro@example.jp", kPassword));
  EXPECT_EQ(StoredHash(u.id), after);
}

TEST_P(IdentityStoreTest, WritesJoinTheCallersTransaction) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("tx@example.jp", "TX", kPassword, "ja"));
  {
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto tx, storage::Transaction::Begin(*conn_));
    HOSHI_ORG_ASSERT_OK(store.SetUserDisabled(u.id, true));
    HOSHI_ORG_ASSERT_OK(store.SetPassword(u.id, "another long passphrase"));
    EXPECT_TRUE(conn_->in_transaction());
    // Rolled back here.
  }
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User after, store.GetUser(u.id));
  EXPECT_FALSE(after.disabled);
  HOSHI_ORG_ASSERT_OK(store.Authenticate("tx@example.jp", kPassword));
  {
    HOSHI_ORG_ASSERT_OK_AND_ASSIGN(auto tx, storage::Transaction::Begin(*conn_));
    HOSHI_ORG_ASSERT_OK(store.SetUserDisabled(u.id, true));
    HOSHI_ORG_ASSERT_OK(tx.Commit());
  }
  EXPECT_TRUE(store.GetUser(u.id)->disabled);
}

TEST_P(IdentityStoreTest, SetPasswordReplacesItAndEndsSessions) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("rokuro@example.jp", "六郎", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto session, store.CreateSession(u.id));
  EXPECT_EQ(store.SetPassword(u.id, "short").error().reason(), "org.password_too_short");
  HOSHI_ORG_ASSERT_OK(store.SetPassword(u.id, "a brand new passphrase"));
  EXPECT_FALSE(store.Authenticate("rokuro@example.jp", kPassword).ok());
  HOSHI_ORG_ASSERT_OK(store.Authenticate("rokuro@example.jp", "a brand new passphrase"));
  EXPECT_FALSE(store.LookupSession(session.token).ok());
  EXPECT_EQ(store.SetPassword("nope", "a brand new passphrase").error().code(),
            ErrorCode::kNotFound);
}

TEST_P(IdentityStoreTest, SessionLifecycle) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("nana@example.jp", "七", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto s, store.CreateSession(u.id, std::chrono::hours(1)));
  EXPECT_EQ(Base64UrlDecode(s.token).value().size(), 32U);
  EXPECT_EQ(Base64UrlDecode(s.csrf_token).value().size(), 32U);
  EXPECT_NE(s.token, s.csrf_token);
  EXPECT_EQ(s.expires_at, "2026-11-22T01:00:00Z");

  // Only the SHA-256 of the token is stored.
  auto rows = Sql("SELECT token_hash, user_id FROM sessions");
  ASSERT_EQ(rows.rows.size(), 1U);
  EXPECT_EQ(rows.rows.front().GetText(0).value(), Sha256Hex(s.token));
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {Value(s.token)})
                .rows.front()
                .GetInt(0)
                .value(),
            0);

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto info, store.LookupSession(s.token));
  EXPECT_EQ(info.user_id, u.id);
  EXPECT_EQ(info.csrf_token, s.csrf_token);
  EXPECT_EQ(info.expires_at, s.expires_at);

  EXPECT_EQ(store.LookupSession("not-a-token").error().reason(), "org.session_invalid");
  EXPECT_EQ(store.LookupSession("").error().reason(), "org.session_invalid");
  EXPECT_EQ(store.LookupSession(Sha256Hex(s.token)).error().reason(), "org.session_invalid");

  // Expiry: still valid a second before, gone at the expiry time, and the row is deleted.
  clock_.Advance(std::chrono::hours(1) - std::chrono::seconds(1));
  HOSHI_ORG_ASSERT_OK(store.LookupSession(s.token));
  clock_.Advance(std::chrono::seconds(1));
  auto expired = store.LookupSession(s.token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(expired.error().reason(), "org.session_expired");
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM sessions").rows.front().GetInt(0).value(), 0);
  EXPECT_EQ(store.LookupSession(s.token).error().reason(), "org.session_invalid");

  // Logout.
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto s2, store.CreateSession(u.id));
  HOSHI_ORG_ASSERT_OK(store.LookupSession(s2.token));
  HOSHI_ORG_ASSERT_OK(store.DeleteSession(s2.token));
  EXPECT_EQ(store.LookupSession(s2.token).error().code(), ErrorCode::kUnauthenticated);
  HOSHI_ORG_ASSERT_OK(store.DeleteSession(s2.token));  // idempotent

  EXPECT_EQ(store.CreateSession("nope").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.CreateSession(u.id, std::chrono::seconds(0)).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST_P(IdentityStoreTest, ApiTokenLifecycle) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("hachi@example.jp", "八", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User other,
                                 store.CreateUser("kyu@example.jp", "九", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto t, store.CreateApiToken(u.id, "CI", std::nullopt));
  EXPECT_TRUE(IsValidId(t.id));
  ASSERT_TRUE(t.token.starts_with("hst_"));
  EXPECT_EQ(Base64UrlDecode(t.token.substr(4)).value().size(), 32U);

  // Stored hashed.
  auto row = Sql("SELECT token_hash, name, expires_at, revoked_at FROM api_tokens WHERE id = ?",
                 {Value(t.id)});
  ASSERT_EQ(row.rows.size(), 1U);
  EXPECT_EQ(row.rows.front().GetText(0).value(), Sha256Hex(t.token));
  EXPECT_EQ(row.rows.front().GetText(1).value(), "CI");
  EXPECT_TRUE(row.rows.front().IsNull(2));
  EXPECT_TRUE(row.rows.front().IsNull(3));

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const std::string user_id, store.LookupApiToken(t.token));
  EXPECT_EQ(user_id, u.id);
  EXPECT_EQ(store.LookupApiToken("hst_nope").error().reason(), "org.token_invalid");
  EXPECT_EQ(store.LookupApiToken(t.token.substr(4)).error().code(), ErrorCode::kUnauthenticated);

  // Only the owner can revoke; revoking twice is fine.
  EXPECT_EQ(store.RevokeApiToken(other.id, t.id).error().reason(), "org.token_not_found");
  HOSHI_ORG_ASSERT_OK(store.LookupApiToken(t.token));
  clock_.Advance(std::chrono::minutes(5));
  HOSHI_ORG_ASSERT_OK(store.RevokeApiToken(u.id, t.id));
  HOSHI_ORG_ASSERT_OK(store.RevokeApiToken(u.id, t.id));
  EXPECT_EQ(store.LookupApiToken(t.token).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(store.RevokeApiToken(u.id, "nope").error().code(), ErrorCode::kNotFound);

  // Expiry (given in JST, stored in UTC).
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
      const auto e,
      store.CreateApiToken(u.id, "nightly", std::string("2026-11-22T10:00:00+09:00")));
  HOSHI_ORG_ASSERT_OK(store.LookupApiToken(e.token));
  clock_.Set(TimePoint(std::chrono::seconds(1795305600)) + std::chrono::hours(1));
  EXPECT_EQ(store.LookupApiToken(e.token).error().reason(), "org.token_invalid");

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto list, store.ListApiTokens(u.id));
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0].name, "nightly");  // newest first
  EXPECT_EQ(list[0].expires_at, std::optional<std::string>("2026-11-22T01:00:00Z"));
  EXPECT_EQ(list[0].revoked_at, std::nullopt);
  EXPECT_EQ(list[1].name, "CI");
  EXPECT_EQ(list[1].revoked_at, std::optional<std::string>("2026-11-22T00:05:00Z"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto others, store.ListApiTokens(other.id));
  EXPECT_TRUE(others.empty());

  // Bad input.
  EXPECT_EQ(store.CreateApiToken(u.id, "x", std::string("2026-11-22T00:00:00Z")).error().reason(),
            "org.token_expiry_invalid");  // not in the future
  EXPECT_EQ(store.CreateApiToken(u.id, "x", std::string("tomorrow")).error().reason(),
            "org.token_expiry_invalid");
  EXPECT_EQ(store.CreateApiToken(u.id, " ", std::nullopt).error().reason(),
            "org.token_name_invalid");
  EXPECT_EQ(store.CreateApiToken("nope", "x", std::nullopt).error().code(), ErrorCode::kNotFound);
}

TEST_P(IdentityStoreTest, Memberships) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
      const Organization company,
      store.CreateOrganization("7010001999990", "サンプル", "", "company"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(
      const Organization firm,
      store.CreateOrganization("7000012050002", "専門家事務所", "", "expert_firm"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User admin,
                                 store.CreateUser("admin@example.jp", "管理者", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User expert,
                                 store.CreateUser("expert@example.jp", "専門家", kPassword, "ja"));

  HOSHI_ORG_ASSERT_OK(store.AddMembership(admin.id, company.id, Role::kOrgAdmin));
  HOSHI_ORG_ASSERT_OK(store.AddMembership(admin.id, company.id, Role::kOrgAdmin));  // idempotent
  HOSHI_ORG_ASSERT_OK(store.AddMembership(admin.id, company.id, Role::kMember));
  HOSHI_ORG_ASSERT_OK(store.AddMembership(expert.id, firm.id, Role::kExpert));
  HOSHI_ORG_ASSERT_OK(store.AddMembership(expert.id, company.id, Role::kMember));

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto mine, store.Memberships(admin.id));
  ASSERT_EQ(mine.size(), 2U);
  EXPECT_EQ(mine[0].organization_id, company.id);
  EXPECT_EQ(mine[0].role, Role::kMember);  // by role name: "member" < "org_admin"
  EXPECT_EQ(mine[1].role, Role::kOrgAdmin);

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto members, store.Members(company.id));
  ASSERT_EQ(members.size(), 3U);
  EXPECT_EQ(members[0].first.email, "admin@example.jp");
  EXPECT_EQ(members[0].second, Role::kMember);
  EXPECT_EQ(members[1].second, Role::kOrgAdmin);
  EXPECT_EQ(members[2].first.id, expert.id);

  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto experts, store.UsersWithRole(Role::kExpert));
  ASSERT_EQ(experts.size(), 1U);
  EXPECT_EQ(experts[0].id, expert.id);
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto plain_members, store.UsersWithRole(Role::kMember));
  EXPECT_EQ(plain_members.size(), 2U);  // each user once
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto evaluators, store.UsersWithRole(Role::kEvaluator));
  EXPECT_TRUE(evaluators.empty());

  HOSHI_ORG_ASSERT_OK(store.RemoveMembership(admin.id, company.id, Role::kMember));
  HOSHI_ORG_ASSERT_OK(store.RemoveMembership(admin.id, company.id, Role::kMember));
  EXPECT_EQ(store.Memberships(admin.id)->size(), 1U);

  EXPECT_EQ(store.AddMembership("nope", company.id, Role::kMember).error().reason(),
            "org.user_not_found");
  EXPECT_EQ(store.AddMembership(admin.id, "nope", Role::kMember).error().reason(),
            "org.organization_not_found");
  EXPECT_TRUE(store.Memberships("nope")->empty());
  EXPECT_TRUE(store.Members("nope")->empty());
}

TEST_P(IdentityStoreTest, PurgeExpiredRemovesOldSessionsAndFailures) {
  IdentityStore store = Store();
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const User u,
                                 store.CreateUser("ju@example.jp", "十", kPassword, "ja"));
  HOSHI_ORG_ASSERT_OK(store.CreateSession(u.id, std::chrono::minutes(10)));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const auto keep, store.CreateSession(u.id, std::chrono::hours(2)));
  EXPECT_FALSE(store.Authenticate("ju@example.jp", "wrong password!").ok());
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const std::int64_t none, store.PurgeExpired());
  EXPECT_EQ(none, 0);
  clock_.Advance(std::chrono::minutes(20));
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN(const std::int64_t purged, store.PurgeExpired());
  EXPECT_EQ(purged, 2);  // one session, one failure
  HOSHI_ORG_ASSERT_OK(store.LookupSession(keep.token));
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityStoreTest,
                         ::testing::Values("sqlite::memory:", "postgres"),
                         test_support::BackendName);

}  // namespace
}  // namespace hoshi::org
