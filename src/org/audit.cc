// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/audit.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/org/messages.h"

namespace hoshi::org {
namespace {

using storage::Value;

constexpr std::string_view kRecordTag = "hoshi.audit.v1";
constexpr int kMaxListLimit = 1000;
constexpr std::int64_t kVerifyPage = 1000;

template <typename... Args>
std::vector<Value> Params(Args&&... args) {
  std::vector<Value> out;
  out.reserve(sizeof...(args));
  (out.emplace_back(std::forward<Args>(args)), ...);
  return out;
}

void AppendNetstring(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

constexpr std::string_view kSelectEvent =
    "SELECT seq, id, at, actor_user_id, action, object_type, object_id, payload, prev_hash, hash "
    "FROM audit_events";

// Reads kSelectEvent's columns; the payload stays text (the caller decides whether to parse it).
Result<AuditEvent> RowToEvent(const std::string& organization_id, const storage::Row& row,
                              std::string& payload_text) {
  AuditEvent e;
  e.organization_id = organization_id;
  HOSHI_ASSIGN_OR_RETURN(e.seq, row.GetInt(0));
  HOSHI_ASSIGN_OR_RETURN(e.id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(e.at, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(e.actor_user_id, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(e.action, row.GetText(4));
  HOSHI_ASSIGN_OR_RETURN(e.object_type, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(e.object_id, row.GetText(6));
  HOSHI_ASSIGN_OR_RETURN(payload_text, row.GetText(7));
  HOSHI_ASSIGN_OR_RETURN(e.prev_hash, row.GetText(8));
  HOSHI_ASSIGN_OR_RETURN(e.hash, row.GetText(9));
  return e;
}

AuditLog::Problem MakeProblem(const std::string& organization_id, std::int64_t seq,
                              std::string_view kind, LocalizedText message) {
  return AuditLog::Problem{organization_id, seq, std::string(kind), std::move(message)};
}

}  // namespace

std::string AuditCanonicalRecord(const AuditEvent& event, std::string_view payload_text) {
  std::string out;
  out.reserve(256 + payload_text.size());
  AppendNetstring(out, kRecordTag);
  AppendNetstring(out, event.organization_id);
  AppendNetstring(out, std::to_string(event.seq));
  AppendNetstring(out, event.id);
  AppendNetstring(out, event.at);
  AppendNetstring(out, event.actor_user_id);
  AppendNetstring(out, event.action);
  AppendNetstring(out, event.object_type);
  AppendNetstring(out, event.object_id);
  AppendNetstring(out, payload_text);
  AppendNetstring(out, event.prev_hash);
  return out;
}

std::string AuditEventHash(const AuditEvent& event) {
  return Sha256Hex(AuditCanonicalRecord(event, DumpJson(event.payload, -1)));
}

Result<AuditEvent> AuditLog::Append(std::string_view organization_id,
                                    std::string_view actor_user_id, std::string_view action,
                                    std::string_view object_type, std::string_view object_id,
                                    const nlohmann::json& payload) {
  if (organization_id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.audit_field_invalid",
                     "organization_id");
  }
  if (action.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, OrgMessages(), "org.audit_field_invalid",
                     "action");
  }
  AuditEvent e;
  e.organization_id = std::string(organization_id);
  e.id = NewId(clock_);
  e.at = FormatTimestamp(clock_.Now());
  e.actor_user_id = std::string(actor_user_id);
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.payload = payload;
  const std::string payload_text = DumpJson(payload, -1);
  // Joins the caller's transaction when one is open: the event then commits (or rolls back) with
  // the change it records.
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  HOSHI_ASSIGN_OR_RETURN(AuditEvent out, AppendInTransaction(std::move(e), payload_text));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<AuditEvent> AuditLog::AppendInTransaction(AuditEvent e, const std::string& payload_text) {
  const std::string genesis(kAuditGenesisHash);
  // The head row is created once per organisation, then locked for the rest of the transaction
  // so that concurrent appends (other connections) queue up instead of racing for a seq.
  // SQLite needs no row lock: every write transaction is BEGIN IMMEDIATE.
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("INSERT INTO audit_heads (organization_id, seq, hash) VALUES (?, 0, ?) ON "
                  "CONFLICT DO NOTHING",
                  Params(e.organization_id, genesis)));
  const std::string lock =
      conn_.dialect() == storage::Dialect::kPostgres ? std::string(" FOR UPDATE") : std::string();
  HOSHI_ASSIGN_OR_RETURN(
      auto head, conn_.Query("SELECT seq, hash FROM audit_heads WHERE organization_id = ?" + lock,
                             Params(e.organization_id)));
  if (head.rows.empty()) {
    return MakeError(ErrorCode::kInternal, OrgMessages(), "org.audit_head_missing",
                     e.organization_id);
  }
  HOSHI_ASSIGN_OR_RETURN(std::int64_t anchor_seq, head.rows.front().GetInt(0));
  HOSHI_ASSIGN_OR_RETURN(std::string anchor_hash, head.rows.front().GetText(1));
  // Normally the head IS the newest event. Should events exist beyond it (the head row was
  // tampered with), continue after them rather than collide; Verify reports the head.
  HOSHI_ASSIGN_OR_RETURN(auto last, conn_.Query("SELECT seq, hash FROM audit_events WHERE "
                                                "organization_id = ? ORDER BY seq DESC LIMIT 1",
                                                Params(e.organization_id)));
  if (!last.rows.empty()) {
    HOSHI_ASSIGN_OR_RETURN(const std::int64_t last_seq, last.rows.front().GetInt(0));
    if (last_seq > anchor_seq) {
      anchor_seq = last_seq;
      HOSHI_ASSIGN_OR_RETURN(anchor_hash, last.rows.front().GetText(1));
    }
  }
  e.seq = anchor_seq + 1;
  e.prev_hash = std::move(anchor_hash);
  e.hash = Sha256Hex(AuditCanonicalRecord(e, payload_text));
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("INSERT INTO audit_events (organization_id, seq, id, at, actor_user_id, action, "
                  "object_type, object_id, payload, prev_hash, hash) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  Params(e.organization_id, e.seq, e.id, e.at, e.actor_user_id, e.action,
                         e.object_type, e.object_id, payload_text, e.prev_hash, e.hash)));
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("UPDATE audit_heads SET seq = ?, hash = ? WHERE organization_id = ?",
                  Params(e.seq, e.hash, e.organization_id)));
  return e;
}

Result<std::vector<AuditEvent>> AuditLog::List(std::string_view organization_id,
                                               std::int64_t after_seq, int limit) {
  const std::string org(organization_id);
  const auto clamped = static_cast<std::int64_t>(std::clamp(limit, 1, kMaxListLimit));
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(std::string(kSelectEvent) +
                               " WHERE organization_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                           Params(org, after_seq, clamped)));
  std::vector<AuditEvent> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    std::string payload_text;
    HOSHI_ASSIGN_OR_RETURN(AuditEvent e, RowToEvent(org, row, payload_text));
    Result<Json> payload = ParseJson(payload_text);
    if (!payload) {
      return MakeError(ErrorCode::kDataError, OrgMessages(), "org.audit_corrupt", org, e.seq)
          .WithDetail(payload.error().detail());
    }
    e.payload = std::move(payload).value();
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<AuditLog::Problem>> AuditLog::Verify() {
  HOSHI_ASSIGN_OR_RETURN(auto orgs,
                         conn_.Query("SELECT organization_id FROM audit_events UNION "
                                     "SELECT organization_id FROM audit_heads ORDER BY 1"));
  std::vector<Problem> problems;
  for (const auto& row : orgs.rows) {
    HOSHI_ASSIGN_OR_RETURN(const std::string org, row.GetText(0));
    HOSHI_RETURN_IF_ERROR(VerifyOrganization(org, problems));
  }
  return problems;
}

Status AuditLog::VerifyOrganization(const std::string& org, std::vector<Problem>& problems) {
  const auto messages = OrgMessages();
  std::int64_t expected_seq = 1;
  std::string last_hash(kAuditGenesisHash);  // stored hash of the previous event
  std::int64_t last_seq = 0;
  // Start below any seq, so that rows with a tampered seq (0, negative) are seen too.
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    HOSHI_ASSIGN_OR_RETURN(
        auto rs, conn_.Query(std::string(kSelectEvent) +
                                 " WHERE organization_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                             Params(org, after, kVerifyPage)));
    for (const auto& row : rs.rows) {
      std::string payload_text;
      HOSHI_ASSIGN_OR_RETURN(AuditEvent e, RowToEvent(org, row, payload_text));
      after = e.seq;
      if (e.seq < expected_seq) {
        // Only possible for a seq below 1: the key (organization_id, seq) is unique.
        problems.push_back(MakeProblem(org, e.seq, "modified",
                                       FormatMessage(messages, "org.audit_modified", org, e.seq)));
        continue;
      }
      if (e.seq > expected_seq) {
        problems.push_back(MakeProblem(
            org, expected_seq, "deleted",
            FormatMessage(messages, "org.audit_deleted", org, expected_seq, e.seq - 1)));
      }
      const bool intact = Sha256Hex(AuditCanonicalRecord(e, payload_text)) == e.hash;
      if (!intact) {
        problems.push_back(MakeProblem(org, e.seq, "modified",
                                       FormatMessage(messages, "org.audit_modified", org, e.seq)));
      } else if (e.seq == expected_seq && e.prev_hash != last_hash) {
        // This event is as recorded, but its link to the predecessor is broken: the predecessor
        // was replaced with a recomputed hash (or, for seq 1, this event was forged).
        if (e.seq == 1) {
          problems.push_back(MakeProblem(
              org, e.seq, "modified", FormatMessage(messages, "org.audit_modified", org, e.seq)));
        } else {
          problems.push_back(
              MakeProblem(org, e.seq - 1, "modified",
                          FormatMessage(messages, "org.audit_link_broken", org, e.seq - 1)));
        }
      }
      last_seq = e.seq;
      last_hash = e.hash;
      expected_seq = e.seq + 1;
    }
    if (static_cast<std::int64_t>(rs.rows.size()) < kVerifyPage) {
      break;
    }
  }
  HOSHI_ASSIGN_OR_RETURN(
      auto head,
      conn_.Query("SELECT seq, hash FROM audit_heads WHERE organization_id = ?", Params(org)));
  if (head.rows.empty()) {
    if (last_seq > 0) {
      problems.push_back(MakeProblem(org, last_seq, "head_mismatch",
                                     FormatMessage(messages, "org.audit_head_missing", org)));
    }
    return Status::Ok();
  }
  HOSHI_ASSIGN_OR_RETURN(const std::int64_t head_seq, head.rows.front().GetInt(0));
  HOSHI_ASSIGN_OR_RETURN(const std::string head_hash, head.rows.front().GetText(1));
  if (head_seq > last_seq) {
    // The newest events are gone.
    problems.push_back(
        MakeProblem(org, last_seq + 1, "deleted",
                    FormatMessage(messages, "org.audit_deleted", org, last_seq + 1, head_seq)));
  } else if (head_seq != last_seq || head_hash != last_hash) {
    problems.push_back(
        MakeProblem(org, head_seq, "head_mismatch",
                    FormatMessage(messages, "org.audit_head_mismatch", org, head_seq)));
  }
  return Status::Ok();
}

}  // namespace hoshi::org
