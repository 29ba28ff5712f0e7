// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/org/roles.h"
#include "hoshi/storage/database.h"

namespace hoshi::org {

/// A registered organisation, identified to the outside world by its 法人番号.
struct Organization {
  std::string id;                ///< UUIDv7
  std::string corporate_number;  ///< 13 ASCII digits, check digit valid
  std::string name;              ///< official (Japanese) name
  std::string name_en;           ///< may be empty
  std::string kind;              ///< company | expert_firm | evaluation_body | operator
  std::string created_at;        ///< RFC 3339 UTC
};

/// A user account. The password hash never leaves the store.
struct User {
  std::string id;     ///< UUIDv7
  std::string email;  ///< lower case
  std::string display_name;
  std::string lang;  ///< "ja" | "en"
  std::string created_at;
  bool disabled = false;
};

/// One role a user holds in one organisation.
struct Membership {
  std::string organization_id;
  Role role = Role::kMember;
};

/// Argon2id cost parameters (libsodium's opslimit / memlimit).
struct PasswordPolicy {
  unsigned long long opslimit;
  std::size_t memlimit;
};

/// libsodium's INTERACTIVE Argon2id parameters (2 passes, 64 MiB): the production default.
[[nodiscard]] PasswordPolicy DefaultPasswordPolicy();
/// libsodium's MIN Argon2id parameters (1 pass, 8 KiB). For tests only: far too cheap to resist
/// offline guessing.
[[nodiscard]] PasswordPolicy MinimumPasswordPolicy();

inline constexpr std::size_t kMinPasswordChars = 12;     ///< Unicode code points
inline constexpr std::size_t kMaxPasswordBytes = 1024;   ///< UTF-8 bytes
inline constexpr int kLoginMaxFailures = 5;              ///< failures per window before lock-out
inline constexpr std::chrono::minutes kLoginWindow{15};  ///< sliding throttling window

/// Metadata of an API token (never the token itself).
struct ApiTokenInfo {
  std::string id;
  std::string name;
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
};

/// Organisations, users, memberships, password login, sessions and API tokens on either storage
/// backend. Borrows the connection and the clock, which must outlive it. Not thread-safe: use one
/// store per connection. Every method also works inside a transaction the caller has open on the
/// connection (and then neither commits nor rolls back), so that a change and the audit event
/// recording it (AuditLog::Append) can commit together; otherwise each call stands alone.
/// Every secret (password, session token, API token) is stored only as a hash: Argon2id for
/// passwords, SHA-256 hex for the 256-bit random tokens.
class IdentityStore {
 public:
  IdentityStore(storage::Connection& conn, const Clock& clock,
                PasswordPolicy policy = DefaultPasswordPolicy());

  // ---- Organisations ----

  /// Registers an organisation. `corporate_number` must already be normalised (13 ASCII digits).
  /// Errors: kInvalidArgument (reasons org.corporate_number_format,
  /// org.corporate_number_check_digit, org.organization_name_invalid,
  /// org.organization_kind_invalid), kAlreadyExists (org.organization_exists) for a 法人番号
  /// already registered.
  [[nodiscard]] Result<Organization> CreateOrganization(std::string_view corporate_number,
                                                        std::string_view name,
                                                        std::string_view name_en,
                                                        std::string_view kind);
  /// Errors: kNotFound (org.organization_not_found).
  [[nodiscard]] Result<Organization> GetOrganization(std::string_view id);
  /// Errors: kNotFound (org.organization_not_found).
  [[nodiscard]] Result<Organization> FindOrganizationByCorporateNumber(std::string_view number);
  /// Every organisation, by name.
  [[nodiscard]] Result<std::vector<Organization>> ListOrganizations();

  // ---- Users ----

  /// Creates a user. The email is trimmed and lower-cased and must look like an address; the
  /// password must have at least kMinPasswordChars characters and at most kMaxPasswordBytes
  /// bytes; `lang` is "ja" or "en" ("" means "ja"). Errors: kInvalidArgument (org.email_invalid,
  /// org.display_name_invalid, org.lang_invalid, org.password_too_short, org.password_too_long),
  /// kAlreadyExists (org.user_exists), kInternal (org.password_hash_failed).
  [[nodiscard]] Result<User> CreateUser(std::string_view email, std::string_view display_name,
                                        std::string_view password, std::string_view lang);
  /// Errors: kNotFound (org.user_not_found).
  [[nodiscard]] Result<User> GetUser(std::string_view id);
  /// Looks the (normalised) email up. Errors: kNotFound (org.user_not_found).
  [[nodiscard]] Result<User> FindUserByEmail(std::string_view email);
  /// Disables or re-enables a user. Disabling also ends all of the user's sessions; the user's API
  /// tokens stop working while disabled. Errors: kNotFound.
  [[nodiscard]] Status SetUserDisabled(std::string_view user_id, bool disabled);
  /// Replaces the password (same rules as CreateUser) and ends all of the user's sessions.
  /// Errors: kNotFound, kInvalidArgument, kInternal.
  [[nodiscard]] Status SetPassword(std::string_view user_id, std::string_view password);

  // ---- Memberships ----

  /// Grants `role` in the organisation; granting it again is a no-op.
  /// Errors: kNotFound (org.user_not_found / org.organization_not_found).
  [[nodiscard]] Status AddMembership(std::string_view user_id, std::string_view organization_id,
                                     Role role);
  /// Revokes `role` in the organisation; revoking a role not held is a no-op.
  [[nodiscard]] Status RemoveMembership(std::string_view user_id, std::string_view organization_id,
                                        Role role);
  /// The user's roles, by organisation id then role name.
  [[nodiscard]] Result<std::vector<Membership>> Memberships(std::string_view user_id);
  /// The organisation's members with each role they hold (a user with two roles appears twice),
  /// by email then role name.
  [[nodiscard]] Result<std::vector<std::pair<User, Role>>> Members(
      std::string_view organization_id);
  /// Every user holding `role` in any organisation (once each), by email.
  [[nodiscard]] Result<std::vector<User>> UsersWithRole(Role role);

  // ---- Login ----

  /// Checks an email and password. Throttled per lower-cased email: after kLoginMaxFailures
  /// failures within kLoginWindow, every attempt fails with kRateLimited
  /// (org.login_rate_limited, the message says when to retry) without checking the password,
  /// until the oldest failure leaves the window. An unknown email and a wrong password give the
  /// same kUnauthenticated (org.login_failed) and cost the same (an Argon2id verification against
  /// a dummy hash), and both count as failures. A disabled user giving the right password gets
  /// kUnauthenticated (org.account_disabled). Success clears the failures and rehashes the
  /// password when the policy has changed.
  [[nodiscard]] Result<User> Authenticate(std::string_view email, std::string_view password);

  // ---- Sessions ----

  struct NewSession {
    std::string token;       ///< 32 random bytes, base64url; give to the browser, never log
    std::string csrf_token;  ///< 32 random bytes, base64url
    std::string expires_at;  ///< RFC 3339 UTC
  };
  /// Starts a session for the user. Only the SHA-256 hex of the token is stored.
  /// Errors: kNotFound (unknown user), kInvalidArgument (lifetime not positive),
  /// kUnauthenticated (org.account_disabled).
  [[nodiscard]] Result<NewSession> CreateSession(
      std::string_view user_id, std::chrono::seconds lifetime = std::chrono::hours(12));

  struct SessionInfo {
    std::string user_id;
    std::string csrf_token;
    std::string expires_at;
  };
  /// Resolves a session token. Errors: kUnauthenticated — org.session_invalid (unknown token or
  /// disabled user) or org.session_expired (the expired row is deleted).
  [[nodiscard]] Result<SessionInfo> LookupSession(std::string_view token);
  /// Ends a session (logout). Unknown tokens are fine.
  [[nodiscard]] Status DeleteSession(std::string_view token);
  /// Ends every session of the user.
  [[nodiscard]] Status DeleteUserSessions(std::string_view user_id);

  // ---- API tokens ----

  struct NewApiToken {
    std::string id;     ///< UUIDv7; names the token in lists and revocation
    std::string token;  ///< "hst_" + base64url(32 random bytes); shown once, stored as SHA-256
  };
  /// Creates an API token. `expires_at` is RFC 3339 (stored normalised to UTC) and must lie in
  /// the future; nullopt means no expiry. Errors: kNotFound (unknown user), kInvalidArgument
  /// (org.token_name_invalid, org.token_expiry_invalid).
  [[nodiscard]] Result<NewApiToken> CreateApiToken(std::string_view user_id, std::string_view name,
                                                   std::optional<std::string> expires_at);
  /// Resolves an API token to its user id. Errors: kUnauthenticated (org.token_invalid) when
  /// unknown, revoked, expired or the user is disabled.
  [[nodiscard]] Result<std::string> LookupApiToken(std::string_view token);
  /// Revokes one of the user's tokens; revoking it again is a no-op.
  /// Errors: kNotFound (org.token_not_found) when the user has no such token.
  [[nodiscard]] Status RevokeApiToken(std::string_view user_id, std::string_view token_id);
  /// The user's tokens (including revoked and expired ones), newest first.
  [[nodiscard]] Result<std::vector<ApiTokenInfo>> ListApiTokens(std::string_view user_id);

  // ---- Housekeeping ----

  /// Deletes expired sessions and login failures older than the throttling window; returns how
  /// many rows went. Run it periodically (e.g. from the worker).
  [[nodiscard]] Result<std::int64_t> PurgeExpired();

 private:
  [[nodiscard]] Result<std::string> HashPassword(std::string_view password) const;
  [[nodiscard]] Result<std::string> DummyHash() const;
  [[nodiscard]] Status RecordLoginFailure(const std::string& key, const std::string& now);

  storage::Connection& conn_;
  const Clock& clock_;
  PasswordPolicy policy_;
};

/// The normalised form of an email address as stored and used as the throttling key: ASCII
/// whitespace trimmed, ASCII letters lower-cased.
[[nodiscard]] std::string NormalizeEmail(std::string_view email);

}  // namespace hoshi::org
