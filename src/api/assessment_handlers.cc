// SPDX-License-Identifier: Apache-2.0
// Assessments: create, answer, evidence, submit, reviewer assignment, sharing, the ★3 expert
// confirmation and the ★4 evaluation steps, the management self-declaration.
#include <fstream>

#include <fmt/format.h>

#include "hoshi/assess/answers.h"
#include "hoshi/assess/certification.h"
#include "hoshi/assess/evaluate.h"
#include "hoshi/assess/review.h"
#include "hoshi/assess/workflow.h"
#include "hoshi/chain/chain.h"
#include "hoshi/storage/blob_store.h"

#include "context.h"

namespace hoshi::api {
namespace {

using assess::AssessmentRecord;
using assess::Event;
using assess::State;

constexpr std::size_t kMaxComment = 4000;
constexpr std::size_t kMaxFilename = 200;

const catalog::CatalogVersion* CatalogOf(const Context& ctx, const AssessmentRecord& rec) {
  return ctx.shared.registry.Find(rec.catalog_key);
}

Result<const catalog::CatalogVersion*> RequireCatalog(const Context& ctx,
                                                      const AssessmentRecord& rec) {
  const catalog::CatalogVersion* c = CatalogOf(ctx, rec);
  if (c == nullptr) {
    return MakeError(ErrorCode::kInternal, ApiMessages(), "api.catalog_missing", rec.catalog_key);
  }
  return c;
}

Json AnswersJson(const assess::AnswerSet& set) {
  Json out = Json::object();
  for (const auto& [id, a] : set.answers) {
    Json j{{"status", assess::StatusName(a.status)}};
    if (!a.reason.empty()) {
      j["reason"] = a.reason;
    }
    if (!a.note.empty()) {
      j["note"] = a.note;
    }
    if (!a.evidence.empty()) {
      j["evidence"] = a.evidence;
    }
    if (a.last_checked) {
      j["last_checked"] = a.last_checked->ToIso();
    }
    out[id] = std::move(j);
  }
  return out;
}

Json UploadJson(const assess::Upload& u) {
  return Json{{"kind", u.kind},
              {"criterion_id", u.criterion_id},
              {"sha256", u.sha256},
              {"filename", u.filename},
              {"media_type", u.media_type},
              {"size", u.size},
              {"uploaded_at", u.uploaded_at}};
}

/// The transition context from the stored answers and review state.
Result<assess::TransitionContext> TransitionFacts(Context& ctx, const AssessmentRecord& rec) {
  HOSHI_ASSIGN_OR_RETURN(const catalog::CatalogVersion* cat, RequireCatalog(ctx, rec));
  const assess::Evaluation ev = assess::Evaluate(*cat, rec.level, rec.answers, ctx.Today());
  assess::TransitionContext t;
  t.unanswered = ev.counts.unanswered;
  t.gaps = static_cast<int>(ev.gaps.size());
  t.level = rec.level;
  t.today = ctx.Today();
  t.declaration_required = rec.level == 3;
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto decl, reviews.DeclarationFor(rec.id));
  t.declaration_made = decl.has_value();
  return t;
}

/// Applies `event` (guards included), records it and the audit event, in one transaction.
Result<State> Move(Context& ctx, const AssessmentRecord& rec, Event event,
                   const Json& payload = Json::object()) {
  HOSHI_ASSIGN_OR_RETURN(assess::TransitionContext facts, TransitionFacts(ctx, rec));
  HOSHI_ASSIGN_OR_RETURN(State to, assess::Transition(rec.state, event, facts));
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(store.RecordTransition(rec.id, rec.state, event, to));
  Json p = payload;
  p["from"] = assess::StateName(rec.state);
  p["to"] = assess::StateName(to);
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id,
                              "assessment." + std::string(assess::EventName(event)), "assessment",
                              rec.id, p));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return to;
}

Reply StateReply(const AssessmentRecord& rec, State to) {
  Reply r;
  r.body = Json{{"id", rec.id},
                {"state", assess::StateName(to)},
                {"state_label", Localized(assess::StateLabel(to))}};
  return r;
}

Status RequireState(const AssessmentRecord& rec, std::initializer_list<State> states) {
  for (const State s : states) {
    if (rec.state == s) {
      return Status::Ok();
    }
  }
  return MakeError(ErrorCode::kFailedPrecondition, ApiMessages(), "api.wrong_state",
                   assess::StateLabel(rec.state).ja, assess::StateLabel(rec.state).en);
}

/// The reviewer role an assessment at `level` needs.
assess::ReviewerRole ReviewerFor(int level) {
  return level >= 4 ? assess::ReviewerRole::kEvaluator : assess::ReviewerRole::kExpert;
}

bool IsAssignedReviewer(const AssessmentRecord& rec, const AssessmentAccess& a) {
  return rec.level >= 4 ? a.evaluator : a.expert;
}

/// Sniffs the content type from the first bytes; nullopt for types we do not accept
/// (executables, unknown binary).
std::optional<std::string> SniffType(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("%PDF-")) {
    return "application/pdf";
  }
  if (starts("\x89PNG\r\n\x1a\n")) {
    return "image/png";
  }
  if (starts("\xff\xd8\xff")) {
    return "image/jpeg";
  }
  if (starts("GIF87a") || starts("GIF89a")) {
    return "image/gif";
  }
  if (starts(std::string_view("PK\x03\x04", 4))) {
    return "application/zip";  // also .docx/.xlsx/.pptx
  }
  if (starts("MZ") ||
      starts("\x7f"
             "ELF") ||
      starts("#!")) {
    return std::nullopt;
  }
  // Text: no NUL bytes and valid UTF-8 (a cut multi-byte sequence at the end is fine).
  if (head.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t i = 0;
  while (i < head.size()) {
    const auto c = static_cast<unsigned char>(head[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0) {
      return std::nullopt;
    }
    for (std::size_t k = 1; k < len && i + k < head.size(); ++k) {
      if ((static_cast<unsigned char>(head[i + k]) & 0xC0U) != 0x80U) {
        return std::nullopt;
      }
    }
    i += len;
  }
  return "text/plain; charset=utf-8";
}

/// Stores a streamed upload in the blob store; returns (sha256, size, media type).
Result<assess::Upload> StoreUpload(Context& ctx, const AssessmentRecord& rec, std::string kind,
                                   std::string criterion_id) {
  const std::string_view filename = ctx.request.QueryValue("filename");
  if (filename.empty() || filename.size() > kMaxFilename * 4 ||
      filename.find_first_of("/\\\0", 0, 3) != std::string_view::npos) {
    return BadField("filename");
  }
  if (ctx.request.body_file.empty() || ctx.request.body_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.empty_upload");
  }
  std::ifstream in(ctx.request.body_file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIoError, ApiMessages(), "api.upload_io");
  }
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  const auto type = SniffType(head);
  if (!type) {
    return MakeError(ErrorCode::kDataError, ApiMessages(), "api.unsupported_type");
  }
  in.clear();
  in.seekg(0);
  HOSHI_ASSIGN_OR_RETURN(std::string sha,
                         ctx.shared.blobs->PutStream(in, ctx.shared.options.max_upload_bytes));
  assess::Upload u;
  u.assessment_id = rec.id;
  u.kind = std::move(kind);
  u.criterion_id = std::move(criterion_id);
  u.sha256 = sha;
  u.filename = std::string(filename);
  u.media_type = *type;
  u.size = static_cast<std::int64_t>(ctx.request.body_size);
  u.uploaded_by = ctx.me().user.id;
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(reviews.AddUpload(u));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "upload." + u.kind, "assessment", rec.id,
                              Json{{"sha256", sha},
                                   {"criterion_id", u.criterion_id},
                                   {"size", u.size},
                                   {"media_type", u.media_type}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return u;
}

/// A state change with no body: load (404 when unreadable), check who may do it (403), apply the
/// event with its guards, record it and its audit event.
template <typename Allowed>
Result<Reply> SimpleTransition(Context& ctx, Event event, Allowed allowed) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), true));
  auto& [rec, access] = loaded;
  if (!allowed(rec, access)) {
    return Denied();
  }
  HOSHI_ASSIGN_OR_RETURN(State to, Move(ctx, rec, event));
  return StateReply(rec, to);
}

}  // namespace

Json AssessmentSummaryJson(const AssessmentRecord& rec) {
  return Json{{"id", rec.id},
              {"organization_id", rec.organization_id},
              {"catalog", rec.catalog_key},
              {"level", rec.level},
              {"state", assess::StateName(rec.state)},
              {"state_label", Localized(assess::StateLabel(rec.state))},
              {"created_at", rec.created_at},
              {"updated_at", rec.updated_at}};
}

Result<Reply> ListAssessments(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  if (!ctx.me().IsMember(org_id) && !ctx.me().IsOperator()) {
    return Hidden("organization", org_id);
  }
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto list, store.ListForOrganization(org_id));
  Json out = Json::array();
  for (const auto& rec : list) {
    out.push_back(AssessmentSummaryJson(rec));
  }
  Reply r;
  r.body = Json{{"assessments", std::move(out)}};
  return r;
}

Result<Reply> CreateAssessment(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, {org::Role::kOrgAdmin, org::Role::kMember}));
  HOSHI_ASSIGN_OR_RETURN(int level, BodyInt(ctx, "level"));
  HOSHI_ASSIGN_OR_RETURN(std::string key, BodyString(ctx, "catalog", 100, false));
  const catalog::CatalogVersion* cat =
      key.empty() ? ctx.shared.registry.Latest("scs") : ctx.shared.registry.Find(key);
  if (cat == nullptr) {
    return BadField("catalog");
  }
  if (cat->FindLevel(level) == nullptr) {
    return BadField("level");
  }
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(std::string id, store.Create(org_id, cat->key(), level));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, org_id, "assessment.created", "assessment", id,
                              Json{{"catalog", cat->key()}, {"level", level}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  HOSHI_ASSIGN_OR_RETURN(AssessmentRecord rec, store.Load(id));
  Reply r;
  r.status = 201;
  r.body = AssessmentSummaryJson(rec);
  return r;
}

Result<Reply> GetAssessment(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), true));
  auto& [rec, access] = loaded;
  Json body = AssessmentSummaryJson(rec);
  body["answers"] = AnswersJson(rec.answers);
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  for (const auto role : {assess::ReviewerRole::kExpert, assess::ReviewerRole::kEvaluator}) {
    HOSHI_ASSIGN_OR_RETURN(auto a, reviews.AssignmentFor(rec.id, role));
    if (a) {
      org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
      Json who{{"user_id", a->user_id}, {"assigned_at", a->assigned_at}};
      if (auto u = ids.GetUser(a->user_id); u.ok()) {
        who["display_name"] = u->display_name;
      }
      body["assigned"][std::string(assess::ReviewerRoleName(role))] = std::move(who);
    }
  }
  HOSHI_ASSIGN_OR_RETURN(auto uploads, reviews.Uploads(rec.id));
  body["uploads"] = Json::array();
  for (const auto& u : uploads) {
    body["uploads"].push_back(UploadJson(u));
  }
  HOSHI_ASSIGN_OR_RETURN(auto results, reviews.Results(rec.id));
  body["review_results"] = Json::array();
  for (const auto& res : results) {
    body["review_results"].push_back(Json{{"kind", assess::ReviewKindName(res.kind)},
                                          {"result", res.passed ? "pass" : "fail"},
                                          {"note", res.note},
                                          {"recorded_at", res.recorded_at}});
  }
  HOSHI_ASSIGN_OR_RETURN(auto decl, reviews.DeclarationFor(rec.id));
  if (decl) {
    body["declaration"] = Json{{"signer_name", decl->signer_name},
                               {"signer_title", decl->signer_title},
                               {"statement", decl->statement},
                               {"declared_at", decl->declared_at}};
  }
  if (access.owner_member) {
    HOSHI_ASSIGN_OR_RETURN(body["shared_with"], reviews.SharedWith(rec.id));
  }
  assess::CertificationStore certs(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto cert, certs.ForAssessment(rec.id));
  if (cert) {
    body["certification_id"] = cert->id;
  }
  Json allowed = Json::array();
  for (const Event e : assess::AllowedEvents(rec.state)) {
    allowed.push_back(assess::EventName(e));
  }
  body["next_events"] = std::move(allowed);
  Reply r;
  r.body = std::move(body);
  return r;
}

Result<Reply> PutAnswers(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_member) {
    return Denied();
  }
  HOSHI_RETURN_IF_ERROR(RequireState(rec, {State::kDraft, State::kReturned}));
  HOSHI_ASSIGN_OR_RETURN(const catalog::CatalogVersion* cat, RequireCatalog(ctx, rec));
  Json doc = ctx.body;
  doc["catalog"] = rec.catalog_key;
  doc["level"] = rec.level;
  assess::ParsedAnswers parsed =
      assess::ParseAnswers(DumpJson(doc, -1), "answers", *cat, rec.level, ctx.Today());
  if (!parsed.ok()) {
    LocalizedText all;
    for (std::size_t i = 0; i < parsed.errors.size() && i < 20; ++i) {
      const Error& e = parsed.errors[i];
      all.ja += (i == 0 ? "" : "\n") + e.message(Lang::kJa);
      all.en += (i == 0 ? "" : "\n") + e.message(Lang::kEn);
    }
    return Error(ErrorCode::kDataError, std::move(all)).WithReason("api.invalid_answers");
  }
  // Evidence must be files uploaded to this assessment.
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto uploads, reviews.Uploads(rec.id));
  for (const auto& [id, a] : parsed.answers.answers) {
    for (const std::string& sha : a.evidence) {
      const bool known = std::any_of(uploads.begin(), uploads.end(),
                                     [&](const assess::Upload& u) { return u.sha256 == sha; });
      if (!known) {
        return MakeError(ErrorCode::kDataError, ApiMessages(), "api.unknown_evidence", id, sha);
      }
    }
  }
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(store.SaveAnswers(rec.id, parsed.answers));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "assessment.answers_saved", "assessment",
                              rec.id, Json{{"answers", parsed.answers.answers.size()}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  const assess::Evaluation ev = assess::Evaluate(*cat, rec.level, parsed.answers, ctx.Today());
  Reply r;
  r.body = Json{{"id", rec.id},
                {"saved", parsed.answers.answers.size()},
                {"ignored", parsed.ignored},
                {"level_met", ev.level_met},
                {"unanswered", ev.counts.unanswered},
                {"gaps", ev.gaps.size()}};
  return r;
}

Result<Reply> UploadEvidence(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_member) {
    return Denied();
  }
  HOSHI_RETURN_IF_ERROR(RequireState(rec, {State::kDraft, State::kReturned}));
  HOSHI_ASSIGN_OR_RETURN(const catalog::CatalogVersion* cat, RequireCatalog(ctx, rec));
  const std::string criterion(ctx.request.QueryValue("criterion"));
  const catalog::Criterion* c = cat->FindCriterion(criterion);
  if (c == nullptr || c->level > rec.level) {
    return BadField("criterion");
  }
  HOSHI_ASSIGN_OR_RETURN(assess::Upload u,
                         StoreUpload(ctx, rec, std::string(assess::kUploadEvidence), criterion));
  Reply r;
  r.status = 201;
  r.body = UploadJson(u);
  return r;
}

Result<Reply> UploadReport(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_member && !access.evaluator) {
    return Denied();
  }
  if (rec.level < 4) {
    return MakeError(ErrorCode::kFailedPrecondition, ApiMessages(), "api.only_star4");
  }
  HOSHI_RETURN_IF_ERROR(
      RequireState(rec, {State::kDraft, State::kSubmitted, State::kInReview, State::kReturned}));
  HOSHI_ASSIGN_OR_RETURN(assess::Upload u,
                         StoreUpload(ctx, rec, std::string(assess::kUploadTechnicalReport), ""));
  Reply r;
  r.status = 201;
  r.body = UploadJson(u);
  return r;
}

Result<Reply> GetEvidence(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto uploads, reviews.Uploads(rec.id));
  const std::string& sha = ctx.Param("sha256");
  const auto it = std::find_if(uploads.begin(), uploads.end(),
                               [&](const assess::Upload& u) { return u.sha256 == sha; });
  if (it == uploads.end()) {
    return Hidden("evidence", sha);
  }
  HOSHI_ASSIGN_OR_RETURN(std::string bytes,
                         ctx.shared.blobs->Get(sha, ctx.shared.options.max_upload_bytes));
  Reply r;
  r.raw = std::move(bytes);
  r.raw_type = it->media_type;
  std::string encoded;
  for (const unsigned char ch : it->filename) {
    if (std::isalnum(ch) != 0 || ch == '.' || ch == '-' || ch == '_') {
      encoded.push_back(static_cast<char>(ch));
    } else {
      encoded += fmt::format("%{:02X}", ch);
    }
  }
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"evidence\"; filename*=UTF-8''" + encoded});
  return r;
}

Result<Reply> GetEvaluation(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), true));
  auto& [rec, access] = loaded;
  HOSHI_ASSIGN_OR_RETURN(const catalog::CatalogVersion* cat, RequireCatalog(ctx, rec));
  const assess::Evaluation ev = assess::Evaluate(*cat, rec.level, rec.answers, ctx.Today());
  Reply r;
  r.body = assess::EvaluationToJson(ev, *cat);
  return r;
}

Result<Reply> Submit(Context& ctx) {
  return SimpleTransition(
      ctx, Event::kSubmit,
      [](const AssessmentRecord&, const AssessmentAccess& a) { return a.owner_member; });
}

Result<Reply> Reopen(Context& ctx) {
  return SimpleTransition(
      ctx, Event::kReopen,
      [](const AssessmentRecord&, const AssessmentAccess& a) { return a.owner_member; });
}

Result<Reply> AssignReviewer(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_admin) {
    return Denied();
  }
  HOSHI_RETURN_IF_ERROR(RequireState(rec, {State::kDraft, State::kSubmitted, State::kReturned}));
  HOSHI_ASSIGN_OR_RETURN(std::string user_id, BodyString(ctx, "user_id", 64));
  const assess::ReviewerRole role = ReviewerFor(rec.level);
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto candidates, ids.UsersWithRole(role == assess::ReviewerRole::kExpert
                                                                ? org::Role::kExpert
                                                                : org::Role::kEvaluator));
  const bool ok = std::any_of(candidates.begin(), candidates.end(),
                              [&](const org::User& u) { return u.id == user_id; });
  if (!ok) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.not_a_reviewer", user_id);
  }
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(reviews.Assign(rec.id, role, user_id));
  HOSHI_RETURN_IF_ERROR(
      Audit(ctx, rec.organization_id, "assessment.reviewer_assigned", "assessment", rec.id,
            Json{{"role", assess::ReviewerRoleName(role)}, {"user_id", user_id}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = Json{{"id", rec.id}, {"role", assess::ReviewerRoleName(role)}, {"user_id", user_id}};
  return r;
}

Result<Reply> Share(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_admin) {
    return Denied();
  }
  HOSHI_ASSIGN_OR_RETURN(std::string buyer, BodyString(ctx, "buyer_organization_id", 64));
  chain::ChainStore chains(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto buyers, chains.BuyersOf(rec.organization_id));
  const bool is_buyer = std::any_of(buyers.begin(), buyers.end(), [&](const auto& rel) {
    return rel.buyer_organization_id == buyer;
  });
  if (!is_buyer) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.not_a_buyer", buyer);
  }
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(reviews.Share(rec.id, buyer));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "assessment.shared", "assessment", rec.id,
                              Json{{"buyer_organization_id", buyer}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = Json{{"id", rec.id}, {"shared_with", buyer}};
  return r;
}

Result<Reply> Unshare(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_admin) {
    return Denied();
  }
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(reviews.Unshare(rec.id, ctx.Param("buyer")));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "assessment.unshared", "assessment", rec.id,
                              Json{{"buyer_organization_id", ctx.Param("buyer")}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 204;
  return r;
}

Result<Reply> Declare(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_admin) {
    return Denied();
  }
  if (rec.level != 3) {
    return MakeError(ErrorCode::kFailedPrecondition, ApiMessages(), "api.only_star3");
  }
  HOSHI_RETURN_IF_ERROR(RequireState(rec, {State::kConfirmed}));
  HOSHI_ASSIGN_OR_RETURN(std::string signer, BodyString(ctx, "signer_name", 100));
  HOSHI_ASSIGN_OR_RETURN(std::string title, BodyString(ctx, "signer_title", 100));
  const LocalizedText statement = Lookup(ApiMessages(), "api.declaration_statement");
  assess::Declaration d{rec.id, ctx.me().user.id, signer, title, statement.ja, ""};
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(reviews.Declare(d));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "assessment.declared", "assessment", rec.id,
                              Json{{"signer_name", signer}, {"signer_title", title}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = Json{{"id", rec.id}, {"statement", statement.ja}, {"signer_name", signer}};
  return r;
}

Result<Reply> ReviewQueue(Context& ctx) {
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto assigned, reviews.AssignedTo(ctx.me().user.id));
  assess::AssessmentStore store(ctx.conn, ctx.clock());
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  Json out = Json::array();
  for (const auto& a : assigned) {
    HOSHI_ASSIGN_OR_RETURN(AssessmentRecord rec, store.Load(a.assessment_id));
    Json j = AssessmentSummaryJson(rec);
    j["role"] = assess::ReviewerRoleName(a.role);
    j["assigned_at"] = a.assigned_at;
    if (auto o = ids.GetOrganization(rec.organization_id); o.ok()) {
      j["organization"] = OrganizationJson(*o);
    }
    out.push_back(std::move(j));
  }
  Reply r;
  r.body = Json{{"reviews", std::move(out)}};
  return r;
}

Result<Reply> StartReview(Context& ctx) {
  return SimpleTransition(ctx, Event::kStartReview, IsAssignedReviewer);
}

Result<Reply> AddComment(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!IsAssignedReviewer(rec, access)) {
    return Denied();
  }
  HOSHI_RETURN_IF_ERROR(RequireState(rec, {State::kInReview}));
  HOSHI_ASSIGN_OR_RETURN(const catalog::CatalogVersion* cat, RequireCatalog(ctx, rec));
  HOSHI_ASSIGN_OR_RETURN(std::string criterion, BodyString(ctx, "criterion_id", 32));
  const catalog::Criterion* c = cat->FindCriterion(criterion);
  if (c == nullptr || c->level > rec.level) {
    return BadField("criterion_id");
  }
  HOSHI_ASSIGN_OR_RETURN(std::string text, BodyString(ctx, "body", kMaxComment));
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(auto comment,
                         reviews.AddComment(rec.id, criterion, ctx.me().user.id, text));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "review.commented", "assessment", rec.id,
                              Json{{"criterion_id", criterion}, {"comment_id", comment.id}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = Json{{"id", comment.id},
                {"criterion_id", criterion},
                {"body", text},
                {"created_at", comment.created_at}};
  return r;
}

Result<Reply> ListComments(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.owner_member && !access.reviewer() && !access.operator_) {
    return Denied();
  }
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto comments, reviews.Comments(rec.id));
  Json out = Json::array();
  for (const auto& c : comments) {
    out.push_back(Json{{"id", c.id},
                       {"criterion_id", c.criterion_id},
                       {"author_user_id", c.author_user_id},
                       {"body", c.body},
                       {"created_at", c.created_at}});
  }
  Reply r;
  r.body = Json{{"comments", std::move(out)}};
  return r;
}

Result<Reply> ReturnAssessment(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), true));
  auto& [rec, access] = loaded;
  if (!IsAssignedReviewer(rec, access)) {
    return Denied();
  }
  HOSHI_ASSIGN_OR_RETURN(std::string reason, BodyString(ctx, "reason", kMaxComment));
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(State to, Move(ctx, rec, Event::kReturn, Json{{"reason", reason}}));
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_RETURN_IF_ERROR(reviews.AddComment(rec.id, "", ctx.me().user.id, reason));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return StateReply(rec, to);
}

Result<Reply> ConfirmAssessment(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), true));
  auto& [rec, access] = loaded;
  if (!IsAssignedReviewer(rec, access)) {
    return Denied();
  }
  if (rec.level >= 4) {
    // ★4: both review steps passed and the technical verification report is on file.
    assess::ReviewStore reviews(ctx.conn, ctx.clock());
    HOSHI_ASSIGN_OR_RETURN(auto results, reviews.Results(rec.id));
    for (const auto kind : {assess::ReviewKind::kDocument, assess::ReviewKind::kOnSite}) {
      const bool passed = std::any_of(results.begin(), results.end(),
                                      [&](const auto& r) { return r.kind == kind && r.passed; });
      if (!passed) {
        return MakeError(ErrorCode::kFailedPrecondition, ApiMessages(), "api.review_missing",
                         assess::ReviewKindName(kind));
      }
    }
    HOSHI_ASSIGN_OR_RETURN(auto uploads, reviews.Uploads(rec.id));
    const bool report = std::any_of(uploads.begin(), uploads.end(), [](const auto& u) {
      return u.kind == assess::kUploadTechnicalReport;
    });
    if (!report) {
      return MakeError(ErrorCode::kFailedPrecondition, ApiMessages(), "api.report_missing");
    }
  }
  HOSHI_ASSIGN_OR_RETURN(State to, Move(ctx, rec, Event::kConfirm));
  return StateReply(rec, to);
}

Result<Reply> RecordReview(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto loaded, LoadAssessment(ctx, ctx.Param("id"), false));
  auto& [rec, access] = loaded;
  if (!access.evaluator || rec.level < 4) {
    return Denied();
  }
  HOSHI_RETURN_IF_ERROR(RequireState(rec, {State::kInReview}));
  const auto kind = assess::ParseReviewKind(ctx.Param("kind"));
  if (!kind) {
    return BadField("kind");
  }
  HOSHI_ASSIGN_OR_RETURN(std::string result, BodyString(ctx, "result", 8));
  if (result != "pass" && result != "fail") {
    return BadField("result");
  }
  HOSHI_ASSIGN_OR_RETURN(std::string note, BodyString(ctx, "note", kMaxComment, false));
  assess::ReviewStore reviews(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(
      reviews.RecordResult(rec.id, *kind, result == "pass", note, ctx.me().user.id));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, rec.organization_id, "review.result", "assessment", rec.id,
                              Json{{"kind", assess::ReviewKindName(*kind)}, {"result", result}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = Json{{"id", rec.id}, {"kind", assess::ReviewKindName(*kind)}, {"result", result}};
  return r;
}

}  // namespace hoshi::api
