// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/store.h"

#include "hoshi/core/id.h"

namespace hoshi::assess {
namespace {

using storage::Value;

Error NotFound(std::string_view id) {
  return MakeError(ErrorCode::kNotFound, AssessMessages(), "store.not_found", id);
}

Error Corrupt(std::string_view id) {
  return MakeError(ErrorCode::kDataError, AssessMessages(), "store.corrupt", id);
}

Result<AssessmentRecord> RowToRecord(const storage::Row& row) {
  AssessmentRecord r;
  HOSHI_ASSIGN_OR_RETURN(r.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(r.organization_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(r.catalog_key, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t level, row.GetInt(3));
  r.level = static_cast<int>(level);
  HOSHI_ASSIGN_OR_RETURN(std::string state, row.GetText(4));
  auto parsed = ParseState(state);
  if (!parsed) {
    return Corrupt(r.id);
  }
  r.state = *parsed;
  HOSHI_ASSIGN_OR_RETURN(r.created_at, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(r.updated_at, row.GetText(6));
  r.answers.catalog_key = r.catalog_key;
  r.answers.level = r.level;
  return r;
}

constexpr std::string_view kSelectAssessment =
    "SELECT id, organization_id, catalog_key, level, state, created_at, updated_at "
    "FROM assessments";

}  // namespace

Result<std::string> AssessmentStore::Create(std::string_view organization_id,
                                            std::string_view catalog_key, int level) {
  const std::string id = NewId(clock_);
  const std::string now = FormatTimestamp(clock_.Now());
  const std::vector<Value> params{id,
                                  std::string(organization_id),
                                  std::string(catalog_key),
                                  static_cast<std::int64_t>(level),
                                  std::string("draft"),
                                  now,
                                  now};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO assessments (id, organization_id, catalog_key, level, state, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      params));
  return id;
}

Status AssessmentStore::SaveAnswers(std::string_view id, const AnswerSet& answers) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::string now = FormatTimestamp(clock_.Now());
  const std::vector<Value> touch{now, std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto updated,
                         conn_.Query("UPDATE assessments SET updated_at = ? WHERE id = ?", touch));
  if (updated.rows_affected == 0) {
    return NotFound(id);
  }
  const std::vector<Value> key{std::string(id)};
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("DELETE FROM assessment_evidence WHERE assessment_id = ?", key));
  HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM assessment_answers WHERE assessment_id = ?", key));
  HOSHI_ASSIGN_OR_RETURN(auto insert_answer,
                         conn_.Prepare("INSERT INTO assessment_answers (assessment_id, "
                                       "criterion_id, status, reason, note, last_checked, "
                                       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  HOSHI_ASSIGN_OR_RETURN(auto insert_evidence,
                         conn_.Prepare("INSERT INTO assessment_evidence (assessment_id, "
                                       "criterion_id, blob_sha256) VALUES (?, ?, ?)"));
  for (const auto& [criterion_id, answer] : answers.answers) {
    const std::vector<Value> row{
        std::string(id),
        criterion_id,
        std::string(StatusName(answer.status)),
        answer.reason,
        answer.note,
        answer.last_checked ? Value(answer.last_checked->ToIso()) : Value(nullptr),
        now};
    HOSHI_RETURN_IF_ERROR(insert_answer->Execute(row));
    for (const auto& hash : answer.evidence) {
      const std::vector<Value> ev{std::string(id), criterion_id, hash};
      HOSHI_RETURN_IF_ERROR(insert_evidence->Execute(ev));
    }
  }
  return tx.Commit();
}

Result<AssessmentRecord> AssessmentStore::Load(std::string_view id) {
  const std::vector<Value> key{std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query(std::string(kSelectAssessment) + " WHERE id = ?", key));
  if (rs.rows.empty()) {
    return NotFound(id);
  }
  HOSHI_ASSIGN_OR_RETURN(AssessmentRecord record, RowToRecord(rs.rows.front()));
  HOSHI_ASSIGN_OR_RETURN(
      auto answers, conn_.Query("SELECT criterion_id, status, reason, note, last_checked FROM "
                                "assessment_answers WHERE assessment_id = ? ORDER BY criterion_id",
                                key));
  for (const auto& row : answers.rows) {
    Answer a;
    HOSHI_ASSIGN_OR_RETURN(a.criterion_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string status, row.GetText(1));
    auto parsed = ParseStatus(status);
    if (!parsed) {
      return Corrupt(id);
    }
    a.status = *parsed;
    HOSHI_ASSIGN_OR_RETURN(a.reason, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(a.note, row.GetText(3));
    if (!row.IsNull(4)) {
      HOSHI_ASSIGN_OR_RETURN(std::string date, row.GetText(4));
      auto d = Date::Parse(date);
      if (!d) {
        return Corrupt(id);
      }
      a.last_checked = *d;
    }
    record.answers.answers.emplace(a.criterion_id, std::move(a));
  }
  HOSHI_ASSIGN_OR_RETURN(auto evidence,
                         conn_.Query("SELECT criterion_id, blob_sha256 FROM assessment_evidence "
                                     "WHERE assessment_id = ? ORDER BY criterion_id, blob_sha256",
                                     key));
  for (const auto& row : evidence.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string criterion_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string hash, row.GetText(1));
    auto it = record.answers.answers.find(criterion_id);
    if (it == record.answers.answers.end()) {
      return Corrupt(id);
    }
    it->second.evidence.push_back(std::move(hash));
  }
  return record;
}

Result<std::vector<AssessmentRecord>> AssessmentStore::ListForOrganization(
    std::string_view organization_id) {
  const std::vector<Value> key{std::string(organization_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query(std::string(kSelectAssessment) +
                               " WHERE organization_id = ? ORDER BY created_at DESC, id DESC",
                           key));
  std::vector<AssessmentRecord> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(AssessmentRecord r, RowToRecord(row));
    out.push_back(std::move(r));
  }
  return out;
}

Status AssessmentStore::RecordTransition(std::string_view id, State from, Event event, State to) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::string now = FormatTimestamp(clock_.Now());
  const std::vector<Value> update{std::string(StateName(to)), now, std::string(id),
                                  std::string(StateName(from))};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("UPDATE assessments SET state = ?, updated_at = ? WHERE id = ? AND "
                           "state = ?",
                           update));
  if (rs.rows_affected == 0) {
    HOSHI_ASSIGN_OR_RETURN(auto exists, conn_.Query("SELECT state FROM assessments WHERE id = ?",
                                                    std::vector<Value>{std::string(id)}));
    if (exists.rows.empty()) {
      return NotFound(id);
    }
    return MakeError(ErrorCode::kFailedPrecondition, AssessMessages(), "store.state_changed", id);
  }
  const std::vector<Value> key{std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto seq_rs, conn_.Query("SELECT COALESCE(MAX(seq), 0) + 1 FROM assessment_transitions WHERE "
                               "assessment_id = ?",
                               key));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t seq, seq_rs.rows.front().GetInt(0));
  const std::vector<Value> insert{std::string(id),
                                  seq,
                                  std::string(StateName(from)),
                                  std::string(StateName(to)),
                                  std::string(EventName(event)),
                                  now};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO assessment_transitions (assessment_id, seq, from_state, to_state, event, at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      insert));
  return tx.Commit();
}

Result<std::vector<TransitionRecord>> AssessmentStore::Transitions(std::string_view id) {
  const std::vector<Value> key{std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT seq, from_state, to_state, event, at FROM "
                                              "assessment_transitions WHERE assessment_id = ? "
                                              "ORDER BY seq",
                                              key));
  std::vector<TransitionRecord> out;
  for (const auto& row : rs.rows) {
    TransitionRecord t;
    HOSHI_ASSIGN_OR_RETURN(std::int64_t seq, row.GetInt(0));
    t.seq = static_cast<int>(seq);
    HOSHI_ASSIGN_OR_RETURN(std::string from, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(std::string to, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(std::string event, row.GetText(3));
    HOSHI_ASSIGN_OR_RETURN(t.at, row.GetText(4));
    auto f = ParseState(from);
    auto s = ParseState(to);
    auto e = ParseEvent(event);
    if (!f || !s || !e) {
      return Corrupt(id);
    }
    t.from = *f;
    t.to = *s;
    t.event = *e;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace hoshi::assess
