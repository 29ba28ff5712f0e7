// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hoshi/core/clock.h"
#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"
#include "hoshi/storage/database.h"

namespace hoshi::org {

/// One entry of an organisation's append-only, hash-chained audit log.
// clang-tidy 14 cannot see that nlohmann::json's noexcept move constructor does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct AuditEvent {
  std::string organization_id;
  std::int64_t seq = 0;       ///< 1, 2, 3, … per organisation
  std::string id;             ///< UUIDv7
  std::string at;             ///< RFC 3339 UTC
  std::string actor_user_id;  ///< "" for the system
  std::string action;         ///< e.g. "assessment.submit"
  std::string object_type;
  std::string object_id;
  nlohmann::json payload;
  std::string prev_hash;  ///< hash of event seq-1; 64 zeros for seq 1
  std::string hash;       ///< SHA-256 hex of AuditCanonicalRecord
};

/// The prev_hash of the first event of every chain.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// The bytes an event's hash is computed over: the tag "hoshi.audit.v1" followed by
/// organization_id, seq (decimal), id, at, actor_user_id, action, object_type, object_id, the
/// payload's canonical text and prev_hash, each written as a netstring "<byte length>:<bytes>,".
/// The payload's canonical text is its compact JSON with sorted keys (DumpJson(payload, -1)); it
/// is stored verbatim, so a verifier hashes the stored text. Thread-safe.
[[nodiscard]] std::string AuditCanonicalRecord(const AuditEvent& event,
                                               std::string_view payload_text);
/// SHA-256 hex of AuditCanonicalRecord(event, DumpJson(event.payload, -1)).
[[nodiscard]] std::string AuditEventHash(const AuditEvent& event);

/// The audit log on either storage backend. Borrows the connection and the clock, which must
/// outlive it. Not thread-safe (one per connection); concurrent appends through different
/// connections are serialised by the database (the chain head row is locked).
class AuditLog {
 public:
  AuditLog(storage::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  /// Appends an event to the organisation's chain. When the connection is inside a transaction
  /// the event joins it (and commits or rolls back with the change it records); otherwise Append
  /// uses a transaction of its own. Also moves the organisation's chain head. Errors:
  /// kInvalidArgument (org.audit_field_invalid: empty organisation id or action), storage errors.
  [[nodiscard]] Result<AuditEvent> Append(std::string_view organization_id,
                                          std::string_view actor_user_id, std::string_view action,
                                          std::string_view object_type, std::string_view object_id,
                                          const nlohmann::json& payload);
  /// Events with seq > after_seq in seq order, at most `limit` (clamped to 1..1000).
  /// Errors: kDataError (org.audit_corrupt) when a stored payload is not JSON.
  [[nodiscard]] Result<std::vector<AuditEvent>> List(std::string_view organization_id,
                                                     std::int64_t after_seq = 0, int limit = 100);

  /// One integrity problem found by Verify.
  struct Problem {
    std::string organization_id;
    std::int64_t seq = 0;
    std::string kind;  ///< "modified" | "deleted" | "head_mismatch"
    LocalizedText message;
  };
  /// Re-checks every organisation's chain: each event's hash, each link to its predecessor,
  /// gaps in the sequence (including before the first event and after the last, against the
  /// head) and the head itself. Returns the problems found; empty means intact.
  [[nodiscard]] Result<std::vector<Problem>> Verify();

 private:
  [[nodiscard]] Result<AuditEvent> AppendInTransaction(AuditEvent event,
                                                       const std::string& payload_text);
  [[nodiscard]] Status VerifyOrganization(const std::string& organization_id,
                                          std::vector<Problem>& problems);

  storage::Connection& conn_;
  const Clock& clock_;
};

}  // namespace hoshi::org
