// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/identity.h"

#include <array>
#include <map>
#include <mutex>
#include <utility>

#include <fmt/format.h>
#include <sodium.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/id.h"
#include "hoshi/core/text.h"
#include "hoshi/org/corporate_number.h"
#include "hoshi/org/messages.h"

namespace hoshi::org {
namespace {

using storage::Value;

constexpr std::size_t kMaxNameBytes = 512;
constexpr std::size_t kMaxDisplayNameBytes = 256;
constexpr std::size_t kMaxTokenNameBytes = 200;
constexpr std::size_t kMaxEmailBytes = 254;
constexpr std::size_t kMaxTokenChars = 256;  // longer presented tokens are rejected unhashed
constexpr std::size_t kTokenBytes = 32;
constexpr std::string_view kApiTokenPrefix = "hst_";

template <typename... Args>
std::vector<Value> Params(Args&&... args) {
  std::vector<Value> out;
  out.reserve(sizeof...(args));
  (out.emplace_back(std::forward<Args>(args)), ...);
  return out;
}

std::string S(std::string_view v) {
  return std::string(v);
}

Error Invalid(std::string_view key) {
  return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), key);
}

Error UserNotFound() {
  return MakeError(ErrorCode::kNotFound, OrgMessages(), "org.user_not_found");
}

Error OrganizationNotFound() {
  return MakeError(ErrorCode::kNotFound, OrgMessages(), "org.organization_not_found");
}

Error LoginFailed() {
  return MakeError(ErrorCode::kUnauthenticated, OrgMessages(), "org.login_failed");
}

Error AccountDisabled() {
  return MakeError(ErrorCode::kUnauthenticated, OrgMessages(), "org.account_disabled");
}

Error SessionInvalid() {
  return MakeError(ErrorCode::kUnauthenticated, OrgMessages(), "org.session_invalid");
}

Error TokenInvalid() {
  return MakeError(ErrorCode::kUnauthenticated, OrgMessages(), "org.token_invalid");
}

Error Corrupt(std::string_view what) {
  return MakeError(ErrorCode::kDataError, OrgMessages(), "org.corrupt", what);
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsAsciiSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool HasControlChars(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return true;
    }
  }
  return false;
}

// A trimmed, non-empty, bounded single-line text; nullopt otherwise.
std::optional<std::string> CleanText(std::string_view text, std::size_t max_bytes) {
  const std::string_view t = TrimAscii(text);
  if (t.empty() || t.size() > max_bytes || HasControlChars(t)) {
    return std::nullopt;
  }
  return std::string(t);
}

// Basic syntax only: one '@', a non-empty local part, a dotted domain, no spaces, controls or
// characters that need quoting. Deliverability is the invitation mail's job.
bool IsPlausibleEmail(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmailBytes) {
    return false;
  }
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (const char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F ||
        std::string_view("\"(),:;<>[\\]").find(c) != std::string_view::npos) {
      return false;
    }
  }
  const std::string_view domain = email.substr(at + 1);
  const std::size_t dot = domain.find('.');
  return !domain.empty() && dot != std::string_view::npos && domain.front() != '.' &&
         domain.back() != '.' && domain.find("..") == std::string_view::npos &&
         email.substr(0, at).front() != '.' && email.substr(0, at).back() != '.';
}

Status CheckPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.password_too_long",
                     kMaxPasswordBytes);
  }
  if (Utf8Length(password) < kMinPasswordChars) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.password_too_short",
                     kMinPasswordChars);
  }
  return Status::Ok();
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewSecret() {
  return Base64UrlEncode(RandomBytes(kTokenBytes));
}

// "2026-11-22 09:15:30 JST": the retry time shown to a (usually Japanese) user.
std::string FormatJst(TimePoint t) {
  const TimePoint jst = t + std::chrono::hours(9);
  const std::int64_t secs =
      std::chrono::duration_cast<std::chrono::seconds>(jst.time_since_epoch()).count();
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  return fmt::format("{} {:02d}:{:02d}:{:02d} JST", Date::FromDaysSinceEpoch(days).ToIso(),
                     rem / 3600, (rem / 60) % 60, rem % 60);
}

constexpr std::string_view kSelectOrganization =
    "SELECT id, corporate_number, name, name_en, kind, created_at FROM organizations";
constexpr std::string_view kUserColumns =
    "u.id, u.email, u.display_name, u.lang, u.created_at, u.disabled";

Result<Organization> RowToOrganization(const storage::Row& row) {
  Organization o;
  HOSHI_ASSIGN_OR_RETURN(o.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(o.corporate_number, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(o.name, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(o.name_en, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(o.kind, row.GetText(4));
  HOSHI_ASSIGN_OR_RETURN(o.created_at, row.GetText(5));
  return o;
}

// Reads kUserColumns starting at column `first`.
Result<User> RowToUser(const storage::Row& row, std::size_t first = 0) {
  User u;
  HOSHI_ASSIGN_OR_RETURN(u.id, row.GetText(first));
  HOSHI_ASSIGN_OR_RETURN(u.email, row.GetText(first + 1));
  HOSHI_ASSIGN_OR_RETURN(u.display_name, row.GetText(first + 2));
  HOSHI_ASSIGN_OR_RETURN(u.lang, row.GetText(first + 3));
  HOSHI_ASSIGN_OR_RETURN(u.created_at, row.GetText(first + 4));
  HOSHI_ASSIGN_OR_RETURN(const std::int64_t disabled, row.GetInt(first + 5));
  u.disabled = disabled != 0;
  return u;
}

Result<Role> ParseStoredRole(const storage::Row& row, std::size_t col) {
  HOSHI_ASSIGN_OR_RETURN(std::string name, row.GetText(col));
  const std::optional<Role> role = ParseRole(name);
  if (!role) {
    return Corrupt("memberships.role");
  }
  return *role;
}

}  // namespace

PasswordPolicy DefaultPasswordPolicy() {
  return PasswordPolicy{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordPolicy MinimumPasswordPolicy() {
  return PasswordPolicy{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

std::string NormalizeEmail(std::string_view email) {
  std::string out(TrimAscii(email));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

IdentityStore::IdentityStore(storage::Connection& conn, const Clock& clock, PasswordPolicy policy)
    : conn_(conn), clock_(clock), policy_(policy) {}

// ---- Passwords ---------------------------------------------------------------------------------

Result<std::string> IdentityStore::HashPassword(std::string_view password) const {
  HOSHI_RETURN_IF_ERROR(InitCrypto());
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), policy_.opslimit,
                            policy_.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorCode::kInternal, OrgMessages(), "org.password_hash_failed")
        .WithDetail(fmt::format("crypto_pwhash_str_alg failed (opslimit {}, memlimit {})",
                                policy_.opslimit, policy_.memlimit));
  }
  return std::string(out.data());
}

// The hash that unknown emails are verified against. Cached for the process, per policy, so that
// stores created per request do not pay for a second Argon2id run (which would make unknown
// emails slower than wrong passwords).
Result<std::string> IdentityStore::DummyHash() const {
  static std::mutex mu;
  static std::map<std::pair<unsigned long long, std::size_t>, std::string> cache;
  const auto key = std::make_pair(policy_.opslimit, policy_.memlimit);
  {
    const std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(key); it != cache.end()) {
      return it->second;
    }
  }
  HOSHI_ASSIGN_OR_RETURN(std::string hash, HashPassword(NewSecret()));
  const std::lock_guard<std::mutex> lock(mu);
  return cache.emplace(key, std::move(hash)).first->second;
}

// ---- Organisations -----------------------------------------------------------------------------

Result<Organization> IdentityStore::CreateOrganization(std::string_view corporate_number,
                                                       std::string_view name,
                                                       std::string_view name_en,
                                                       std::string_view kind) {
  HOSHI_RETURN_IF_ERROR(ValidateCorporateNumber(corporate_number));
  const std::optional<std::string> clean_name = CleanText(name, kMaxNameBytes);
  std::string clean_name_en(TrimAscii(name_en));
  if (!clean_name || clean_name_en.size() > kMaxNameBytes || HasControlChars(clean_name_en)) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.organization_name_invalid",
                     kMaxNameBytes);
  }
  if (!IsValidOrganizationKind(kind)) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.organization_kind_invalid",
                     kind);
  }
  const Error exists = MakeError(ErrorCode::kAlreadyExists, OrgMessages(),
                                 "org.organization_exists", corporate_number);
  HOSHI_ASSIGN_OR_RETURN(auto found,
                         conn_.Query("SELECT id FROM organizations WHERE corporate_number = ?",
                                     Params(S(corporate_number))));
  if (!found.rows.empty()) {
    return exists;
  }
  Organization o{NewId(clock_), S(corporate_number),          *clean_name, std::move(clean_name_en),
                 S(kind),       FormatTimestamp(clock_.Now())};
  auto inserted = conn_.Query(
      "INSERT INTO organizations (id, corporate_number, name, name_en, kind, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      Params(o.id, o.corporate_number, o.name, o.name_en, o.kind, o.created_at));
  if (!inserted) {
    if (inserted.error().code() == ErrorCode::kAlreadyExists) {  // lost a race
      return Error(exists).WithDetail(inserted.error().detail());
    }
    return std::move(inserted).error();
  }
  return o;
}

Result<Organization> IdentityStore::GetOrganization(std::string_view id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(std::string(kSelectOrganization) + " WHERE id = ?", Params(S(id))));
  if (rs.rows.empty()) {
    return OrganizationNotFound();
  }
  return RowToOrganization(rs.rows.front());
}

Result<Organization> IdentityStore::FindOrganizationByCorporateNumber(std::string_view number) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(std::string(kSelectOrganization) + " WHERE corporate_number = ?",
                           Params(S(number))));
  if (rs.rows.empty()) {
    return OrganizationNotFound();
  }
  return RowToOrganization(rs.rows.front());
}

Result<std::vector<Organization>> IdentityStore::ListOrganizations() {
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query(std::string(kSelectOrganization) + " ORDER BY name, id"));
  std::vector<Organization> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(Organization o, RowToOrganization(row));
    out.push_back(std::move(o));
  }
  return out;
}

// ---- Users -------------------------------------------------------------------------------------

Result<User> IdentityStore::CreateUser(std::string_view email, std::string_view display_name,
                                       std::string_view password, std::string_view lang) {
  User u;
  u.email = NormalizeEmail(email);
  if (!IsPlausibleEmail(u.email)) {
    return Invalid("org.email_invalid");
  }
  const std::optional<std::string> name = CleanText(display_name, kMaxDisplayNameBytes);
  if (!name) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.display_name_invalid",
                     kMaxDisplayNameBytes);
  }
  u.display_name = *name;
  if (lang.empty()) {
    u.lang = "ja";
  } else {
    const std::optional<Lang> parsed = ParseLang(lang);
    if (!parsed) {
      return Invalid("org.lang_invalid");
    }
    u.lang = std::string(LangCode(*parsed));
  }
  HOSHI_RETURN_IF_ERROR(CheckPassword(password));
  const Error exists = MakeError(ErrorCode::kAlreadyExists, OrgMessages(), "org.user_exists");
  HOSHI_ASSIGN_OR_RETURN(auto found,
                         conn_.Query("SELECT id FROM users WHERE email = ?", Params(u.email)));
  if (!found.rows.empty()) {
    return exists;
  }
  HOSHI_ASSIGN_OR_RETURN(const std::string hash, HashPassword(password));
  u.id = NewId(clock_);
  u.created_at = FormatTimestamp(clock_.Now());
  auto inserted = conn_.Query(
      "INSERT INTO users (id, email, display_name, password_hash, lang, disabled, created_at) "
      "VALUES (?, ?, ?, ?, ?, 0, ?)",
      Params(u.id, u.email, u.display_name, hash, u.lang, u.created_at));
  if (!inserted) {
    if (inserted.error().code() == ErrorCode::kAlreadyExists) {
      return Error(exists).WithDetail(inserted.error().detail());
    }
    return std::move(inserted).error();
  }
  return u;
}

Result<User> IdentityStore::GetUser(std::string_view id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(fmt::format("SELECT {} FROM users u WHERE u.id = ?", kUserColumns),
                           Params(S(id))));
  if (rs.rows.empty()) {
    return UserNotFound();
  }
  return RowToUser(rs.rows.front());
}

Result<User> IdentityStore::FindUserByEmail(std::string_view email) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(fmt::format("SELECT {} FROM users u WHERE u.email = ?", kUserColumns),
                           Params(NormalizeEmail(email))));
  if (rs.rows.empty()) {
    return UserNotFound();
  }
  return RowToUser(rs.rows.front());
}

Status IdentityStore::SetUserDisabled(std::string_view user_id, bool disabled) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("UPDATE users SET disabled = ? WHERE id = ?",
                                              Params(std::int64_t{disabled ? 1 : 0}, S(user_id))));
  if (rs.rows_affected == 0) {
    return UserNotFound();
  }
  if (disabled) {
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("DELETE FROM sessions WHERE user_id = ?", Params(S(user_id))));
  }
  return tx.Commit();
}

Status IdentityStore::SetPassword(std::string_view user_id, std::string_view password) {
  HOSHI_RETURN_IF_ERROR(CheckPassword(password));
  HOSHI_ASSIGN_OR_RETURN(const std::string hash, HashPassword(password));
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("UPDATE users SET password_hash = ? WHERE id = ?",
                                              Params(hash, S(user_id))));
  if (rs.rows_affected == 0) {
    return UserNotFound();
  }
  HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM sessions WHERE user_id = ?", Params(S(user_id))));
  return tx.Commit();
}

// ---- Memberships -------------------------------------------------------------------------------

Status IdentityStore::AddMembership(std::string_view user_id, std::string_view organization_id,
                                    Role role) {
  HOSHI_ASSIGN_OR_RETURN(auto user,
                         conn_.Query("SELECT 1 FROM users WHERE id = ?", Params(S(user_id))));
  if (user.rows.empty()) {
    return UserNotFound();
  }
  HOSHI_ASSIGN_OR_RETURN(auto org, conn_.Query("SELECT 1 FROM organizations WHERE id = ?",
                                               Params(S(organization_id))));
  if (org.rows.empty()) {
    return OrganizationNotFound();
  }
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO memberships (user_id, organization_id, role, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      Params(S(user_id), S(organization_id), S(RoleName(role)), FormatTimestamp(clock_.Now()))));
  return Status::Ok();
}

Status IdentityStore::RemoveMembership(std::string_view user_id, std::string_view organization_id,
                                       Role role) {
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("DELETE FROM memberships WHERE user_id = ? AND organization_id = ? AND role = ?",
                  Params(S(user_id), S(organization_id), S(RoleName(role)))));
  return Status::Ok();
}

Result<std::vector<Membership>> IdentityStore::Memberships(std::string_view user_id) {
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT organization_id, role FROM memberships WHERE "
                                              "user_id = ? ORDER BY organization_id, role",
                                              Params(S(user_id))));
  std::vector<Membership> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    Membership m;
    HOSHI_ASSIGN_OR_RETURN(m.organization_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(m.role, ParseStoredRole(row, 1));
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<std::pair<User, Role>>> IdentityStore::Members(
    std::string_view organization_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(fmt::format("SELECT {}, m.role FROM memberships m JOIN users u ON "
                                       "u.id = m.user_id WHERE m.organization_id = ? "
                                       "ORDER BY u.email, m.role",
                                       kUserColumns),
                           Params(S(organization_id))));
  std::vector<std::pair<User, Role>> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(User u, RowToUser(row));
    HOSHI_ASSIGN_OR_RETURN(const Role role, ParseStoredRole(row, 6));
    out.emplace_back(std::move(u), role);
  }
  return out;
}

Result<std::vector<User>> IdentityStore::UsersWithRole(Role role) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query(fmt::format("SELECT {} FROM users u WHERE EXISTS (SELECT 1 FROM memberships m "
                              "WHERE m.user_id = u.id AND m.role = ?) ORDER BY u.email",
                              kUserColumns),
                  Params(S(RoleName(role)))));
  std::vector<User> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(User u, RowToUser(row));
    out.push_back(std::move(u));
  }
  return out;
}

// ---- Login -------------------------------------------------------------------------------------

Status IdentityStore::RecordLoginFailure(const std::string& key, const std::string& now) {
  if (key.empty() || key.size() > kMaxEmailBytes) {
    return Status::Ok();  // cannot be an account; nothing worth throttling
  }
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("INSERT INTO login_failures (login_key, at) VALUES (?, ?)", Params(key, now)));
  return Status::Ok();
}

Result<User> IdentityStore::Authenticate(std::string_view email, std::string_view password) {
  const std::string key = NormalizeEmail(email);
  const TimePoint now = clock_.Now();
  const std::string now_text = FormatTimestamp(now);
  const std::string cutoff = FormatTimestamp(now - kLoginWindow);
  // Failures that left the window no longer matter to anyone.
  HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM login_failures WHERE at <= ?", Params(cutoff)));
  HOSHI_ASSIGN_OR_RETURN(auto failures,
                         conn_.Query("SELECT COUNT(*), MIN(at) FROM login_failures WHERE "
                                     "login_key = ? AND at > ?",
                                     Params(key, cutoff)));
  HOSHI_ASSIGN_OR_RETURN(const std::int64_t failure_count, failures.rows.front().GetInt(0));
  if (failure_count >= kLoginMaxFailures) {
    HOSHI_ASSIGN_OR_RETURN(const std::string oldest, failures.rows.front().GetText(1));
    HOSHI_ASSIGN_OR_RETURN(const TimePoint oldest_at, ParseTimestamp(oldest));
    const std::string retry_at = FormatJst(oldest_at + kLoginWindow);
    return MakeError(ErrorCode::kRateLimited, OrgMessages(), "org.login_rate_limited", retry_at)
        .WithDetail(fmt::format("retry_after={}", FormatTimestamp(oldest_at + kLoginWindow)));
  }

  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(fmt::format("SELECT {}, u.password_hash FROM users u WHERE u.email = ?",
                                       kUserColumns),
                           Params(key)));
  if (password.size() > kMaxPasswordBytes) {
    HOSHI_RETURN_IF_ERROR(RecordLoginFailure(key, now_text));
    return LoginFailed();
  }
  if (rs.rows.empty()) {
    // Same work as for a wrong password, so that timing does not reveal which emails exist.
    HOSHI_ASSIGN_OR_RETURN(const std::string dummy, DummyHash());
    static_cast<void>(VerifyPassword(dummy, password));
    HOSHI_RETURN_IF_ERROR(RecordLoginFailure(key, now_text));
    return LoginFailed();
  }
  const storage::Row& row = rs.rows.front();
  HOSHI_ASSIGN_OR_RETURN(User user, RowToUser(row));
  HOSHI_ASSIGN_OR_RETURN(const std::string hash, row.GetText(6));
  if (!VerifyPassword(hash, password)) {
    HOSHI_RETURN_IF_ERROR(RecordLoginFailure(key, now_text));
    return LoginFailed();
  }
  if (user.disabled) {
    return AccountDisabled();
  }
  HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM login_failures WHERE login_key = ?", Params(key)));
  if (crypto_pwhash_str_needs_rehash(hash.c_str(), policy_.opslimit, policy_.memlimit) != 0) {
    HOSHI_ASSIGN_OR_RETURN(const std::string rehashed, HashPassword(password));
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("UPDATE users SET password_hash = ? WHERE id = ?", Params(rehashed, user.id)));
  }
  return user;
}

// ---- Sessions ----------------------------------------------------------------------------------

Result<IdentityStore::NewSession> IdentityStore::CreateSession(std::string_view user_id,
                                                               std::chrono::seconds lifetime) {
  if (lifetime <= std::chrono::seconds::zero()) {
    return Invalid("org.session_lifetime_invalid");
  }
  HOSHI_ASSIGN_OR_RETURN(const User user, GetUser(user_id));
  if (user.disabled) {
    return AccountDisabled();
  }
  const TimePoint now = clock_.Now();
  NewSession s{NewSecret(), NewSecret(), FormatTimestamp(now + lifetime)};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?)",
      Params(Sha256Hex(s.token), user.id, s.csrf_token, FormatTimestamp(now), s.expires_at)));
  return s;
}

Result<IdentityStore::SessionInfo> IdentityStore::LookupSession(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenChars) {
    return SessionInvalid();
  }
  const std::string token_hash = Sha256Hex(token);
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT s.user_id, s.csrf_token, s.expires_at, u.disabled FROM "
                           "sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                           Params(token_hash)));
  if (rs.rows.empty()) {
    return SessionInvalid();
  }
  const storage::Row& row = rs.rows.front();
  SessionInfo info;
  HOSHI_ASSIGN_OR_RETURN(info.user_id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(info.csrf_token, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(info.expires_at, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(const std::int64_t disabled, row.GetInt(3));
  const Result<TimePoint> expires = ParseTimestamp(info.expires_at);
  if (!expires || *expires <= clock_.Now()) {
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("DELETE FROM sessions WHERE token_hash = ?", Params(token_hash)));
    return MakeError(ErrorCode::kUnauthenticated, OrgMessages(), "org.session_expired");
  }
  if (disabled != 0) {
    return SessionInvalid();
  }
  return info;
}

Status IdentityStore::DeleteSession(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenChars) {
    return Status::Ok();
  }
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("DELETE FROM sessions WHERE token_hash = ?", Params(Sha256Hex(token))));
  return Status::Ok();
}

Status IdentityStore::DeleteUserSessions(std::string_view user_id) {
  HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM sessions WHERE user_id = ?", Params(S(user_id))));
  return Status::Ok();
}

// ---- API tokens --------------------------------------------------------------------------------

Result<IdentityStore::NewApiToken> IdentityStore::CreateApiToken(
    std::string_view user_id, std::string_view name, std::optional<std::string> expires_at) {
  const std::optional<std::string> clean_name = CleanText(name, kMaxTokenNameBytes);
  if (!clean_name) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.token_name_invalid",
                     kMaxTokenNameBytes);
  }
  const TimePoint now = clock_.Now();
  Value expires = nullptr;
  if (expires_at) {
    const Result<TimePoint> parsed = ParseTimestamp(*expires_at);
    if (!parsed || *parsed <= now) {
      return Invalid("org.token_expiry_invalid");
    }
    expires = FormatTimestamp(*parsed);
  }
  HOSHI_ASSIGN_OR_RETURN(const User user, GetUser(user_id));
  if (user.disabled) {
    return AccountDisabled();
  }
  NewApiToken t{NewId(clock_), std::string(kApiTokenPrefix) + NewSecret()};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO api_tokens (id, token_hash, user_id, name, created_at, expires_at, revoked_at) "
      "VALUES (?, ?, ?, ?, ?, ?, NULL)",
      Params(t.id, Sha256Hex(t.token), user.id, *clean_name, FormatTimestamp(now),
             std::move(expires))));
  return t;
}

Result<std::string> IdentityStore::LookupApiToken(std::string_view token) {
  if (!token.starts_with(kApiTokenPrefix) || token.size() > kMaxTokenChars) {
    return TokenInvalid();
  }
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT t.user_id, t.expires_at, t.revoked_at, u.disabled FROM "
                           "api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
                           Params(Sha256Hex(token))));
  if (rs.rows.empty()) {
    return TokenInvalid();
  }
  const storage::Row& row = rs.rows.front();
  HOSHI_ASSIGN_OR_RETURN(std::string user_id, row.GetText(0));
  if (!row.IsNull(1)) {
    HOSHI_ASSIGN_OR_RETURN(const std::string expires_at, row.GetText(1));
    const Result<TimePoint> expires = ParseTimestamp(expires_at);
    if (!expires || *expires <= clock_.Now()) {
      return TokenInvalid();
    }
  }
  HOSHI_ASSIGN_OR_RETURN(const std::int64_t disabled, row.GetInt(3));
  if (!row.IsNull(2) || disabled != 0) {
    return TokenInvalid();
  }
  return user_id;
}

Status IdentityStore::RevokeApiToken(std::string_view user_id, std::string_view token_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND "
                           "revoked_at IS NULL",
                           Params(FormatTimestamp(clock_.Now()), S(token_id), S(user_id))));
  if (rs.rows_affected == 0) {
    HOSHI_ASSIGN_OR_RETURN(auto found,
                           conn_.Query("SELECT 1 FROM api_tokens WHERE id = ? AND user_id = ?",
                                       Params(S(token_id), S(user_id))));
    if (found.rows.empty()) {
      return MakeError(ErrorCode::kNotFound, OrgMessages(), "org.token_not_found");
    }
  }
  return Status::Ok();
}

Result<std::vector<ApiTokenInfo>> IdentityStore::ListApiTokens(std::string_view user_id) {
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens "
                           "WHERE user_id = ? ORDER BY created_at DESC, id DESC",
                           Params(S(user_id))));
  std::vector<ApiTokenInfo> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    ApiTokenInfo t;
    HOSHI_ASSIGN_OR_RETURN(t.id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(t.name, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(t.created_at, row.GetText(2));
    if (!row.IsNull(3)) {
      HOSHI_ASSIGN_OR_RETURN(t.expires_at, row.GetText(3));
    }
    if (!row.IsNull(4)) {
      HOSHI_ASSIGN_OR_RETURN(t.revoked_at, row.GetText(4));
    }
    out.push_back(std::move(t));
  }
  return out;
}

// ---- Housekeeping ------------------------------------------------------------------------------

Result<std::int64_t> IdentityStore::PurgeExpired() {
  const TimePoint now = clock_.Now();
  HOSHI_ASSIGN_OR_RETURN(auto sessions, conn_.Query("DELETE FROM sessions WHERE expires_at <= ?",
                                                    Params(FormatTimestamp(now))));
  HOSHI_ASSIGN_OR_RETURN(auto failures, conn_.Query("DELETE FROM login_failures WHERE at <= ?",
                                                    Params(FormatTimestamp(now - kLoginWindow))));
  return sessions.rows_affected + failures.rows_affected;
}

}  // namespace hoshi::org
