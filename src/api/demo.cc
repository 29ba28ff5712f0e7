// SPDX-License-Identifier: Apache-2.0
// The in-process session (demo set-up, tests), operator bootstrap and the demo data set.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "hoshi/core/crypto.h"
#include "hoshi/defense/synthetic.h"
#include "hoshi/defense/telemetry_store.h"
#include "hoshi/org/audit.h"
#include "hoshi/org/corporate_number.h"
#include "hoshi/storage/pool.h"

#include "context.h"

namespace hoshi::api {
namespace {

constexpr std::string_view kOperatorNumber = "4010001999993";  // demo; valid check digit
constexpr std::string_view kOperatorName = "情報処理推進機構（デモ運営者）";
constexpr std::string_view kDemoPassword = "hoshitori-demo-2026";

Result<Json> BodyOf(const http::Response& r) {
  if (r.status >= 300) {
    auto parsed = ParseJson(r.body);
    std::string message = r.body;
    if (parsed.ok() && parsed->contains("error")) {
      message = (*parsed)["error"].value("message", r.body);
    }
    return Error(ErrorCode::kInternal, LocalizedText{"デモデータの作成に失敗しました: " + message,
                                                     "Creating the demo data failed: " + message});
  }
  if (r.body.empty()) {
    return Json::object();
  }
  return ParseJson(r.body);
}

/// Fills path and query from `target` with the server's own parser; a target the server would
/// refuse is kept raw (path = target) so the platform answers it with its usual 404.
void SetTarget(http::Request& req, std::string_view target) {
  req.target = std::string(target);
  auto parsed = http::ParseTarget(target);
  if (!parsed.ok()) {
    req.path = req.target;
    return;
  }
  req.path = std::move(parsed->path);
  req.query = std::move(parsed->query);
}

}  // namespace

Status LocalSession::Login(std::string_view email, std::string_view password) {
  const std::string body = DumpJson(Json{{"email", email}, {"password", password}}, -1);
  cookie_.clear();
  csrf_.clear();
  const http::Response r = Call("POST", "/api/v1/auth/login", body);
  if (r.status != 200) {
    return Error(ErrorCode::kUnauthenticated, LocalizedText{r.body, r.body});
  }
  for (const auto& h : r.headers) {
    if (h.name == "Set-Cookie") {
      cookie_ = h.value.substr(0, h.value.find(';'));
    }
  }
  HOSHI_ASSIGN_OR_RETURN(Json parsed, ParseJson(r.body));
  csrf_ = parsed.value("csrf_token", "");
  return Status::Ok();
}

http::Response LocalSession::Call(std::string_view method, std::string_view target,
                                  std::string_view body, const std::vector<http::Header>& extra) {
  http::Request req;
  req.method = std::string(method);
  SetTarget(req, target);
  req.body = std::string(body);
  req.body_size = body.size();
  req.request_id = "local";
  if (!cookie_.empty()) {
    req.headers.push_back({"Cookie", cookie_});
    req.headers.push_back({"X-CSRF-Token", csrf_});
  }
  for (const auto& h : extra) {
    req.headers.push_back(h);
  }
  return platform_.Handle(req);
}

http::Response LocalSession::Upload(std::string_view target, std::string_view bytes) {
  const std::filesystem::path file =
      platform_.upload_dir() / ("local-" + ToHex(RandomBytes(8)) + ".part");
  {
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  http::Request req;
  req.method = "POST";
  SetTarget(req, target);
  req.body_file = file.string();
  req.body_size = bytes.size();
  req.request_id = "local";
  if (!cookie_.empty()) {
    req.headers.push_back({"Cookie", cookie_});
    req.headers.push_back({"X-CSRF-Token", csrf_});
  }
  http::Response r = platform_.Handle(req);
  std::error_code ec;
  std::filesystem::remove(file, ec);
  return r;
}

Result<LoginInfo> Platform::CreateOperator(std::string_view email, std::string_view display_name,
                                           std::string_view password, std::string_view org_number,
                                           std::string_view org_name) {
  if (org_number.empty()) {
    org_number = kOperatorNumber;
  }
  if (org_name.empty()) {
    org_name = kOperatorName;
  }
  HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, impl_->pool->Acquire());
  org::IdentityStore ids(*conn, *impl_->shared.clock, impl_->shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(*conn));
  org::Organization op;
  if (auto existing = ids.FindOrganizationByCorporateNumber(org_number); existing.ok()) {
    op = std::move(existing).value();
    if (op.kind != "operator") {
      return MakeError(ErrorCode::kFailedPrecondition, ApiMessages(), "api.not_operator_org",
                       org_number);
    }
  } else {
    HOSHI_ASSIGN_OR_RETURN(op, ids.CreateOrganization(org_number, org_name, "", "operator"));
  }
  HOSHI_ASSIGN_OR_RETURN(org::User user, ids.CreateUser(email, display_name, password, "ja"));
  HOSHI_RETURN_IF_ERROR(ids.AddMembership(user.id, op.id, org::Role::kOperator));
  org::AuditLog log(*conn, *impl_->shared.clock);
  HOSHI_RETURN_IF_ERROR(
      log.Append(op.id, "", "operator.created", "user", user.id, Json::object()).status());
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return LoginInfo{"運営者", user.email, std::string(password), op.name};
}

}  // namespace hoshi::api

namespace hoshi::api {
namespace {

struct DemoOrg {
  std::string_view number;
  std::string_view name;
  std::string_view name_en;
  std::string_view kind;
  std::string_view admin_email;
  std::string_view admin_name;
  std::string_view role_label;
};

constexpr DemoOrg kBuyer{"6010001999991",
                         "大和重機工業株式会社",
                         "Yamato Heavy Machinery (demo)",
                         "company",
                         "buyer@demo.hoshitori.jp",
                         "大和 花子",
                         "発注者（大手）管理者"};
constexpr DemoOrg kSupplierA{"7010001999990",
                             "星取精機株式会社",
                             "Hoshitori Seiki (demo)",
                             "company",
                             "hoshitori@demo.hoshitori.jp",
                             "星取 太郎",
                             "一次取引先（★3取得済み）管理者"};
constexpr DemoOrg kSupplierB{"5010001999992",
                             "北辰電子工業株式会社",
                             "Hokushin Denshi (demo)",
                             "company",
                             "hokushin@demo.hoshitori.jp",
                             "北辰 一郎",
                             "一次取引先（★4評価中）管理者"};
constexpr DemoOrg kTier2{"3010001999994",
                         "南風メッキ工業株式会社",
                         "Minami Plating (demo)",
                         "company",
                         "minami@demo.hoshitori.jp",
                         "南風 次郎",
                         "二次取引先（★3作成中）管理者"};
constexpr DemoOrg kExpertFirm{
    "2010001999995",   "東都セキュリティ支援株式会社", "Toto Security Support (demo)",
    "expert_firm",     "expert@demo.hoshitori.jp",     "確認 専子",
    "専門家（★3確認）"};
constexpr DemoOrg kEvalBody{"1010001999996",
                            "日本サプライチェーン評価機構株式会社",
                            "Japan Supply Chain Evaluation (demo)",
                            "evaluation_body",
                            "evaluator@demo.hoshitori.jp",
                            "評価 審一",
                            "評価者（★4評価）"};
constexpr std::string_view kOperatorEmail = "operator@demo.hoshitori.jp";

/// One API call that must succeed; returns the parsed body.
Result<Json> Must(LocalSession& s, std::string_view method, std::string_view target,
                  const Json& body = Json()) {
  return BodyOf(s.Call(method, target, body.is_null() ? std::string() : DumpJson(body, -1)));
}

Json AllImplemented(const catalog::CatalogVersion& cat, int level, Date today,
                    const std::string& evidence_criterion, const std::string& evidence_sha,
                    std::size_t limit) {
  Json answers = Json::object();
  std::size_t n = 0;
  for (const catalog::Criterion* c : cat.CriteriaAt(level)) {
    if (n++ >= limit) {
      break;
    }
    Json a{{"status", "implemented"}};
    if (c->recurrence != catalog::Recurrence::kNone) {
      a["last_checked"] = today.AddDays(-7).ToIso();
    }
    if (c->id == evidence_criterion && !evidence_sha.empty()) {
      a["evidence"] = Json::array({evidence_sha});
    }
    answers[c->id] = std::move(a);
  }
  return Json{{"answers", std::move(answers)}};
}

}  // namespace

/// A small demo SBOM of 星取精機's production system (real package names and versions).
constexpr std::string_view kDemoSbom = R"({
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "metadata": {"component": {"type": "application", "name": "生産管理システム", "version": "3.2"}},
  "components": [
    {"type": "library", "bom-ref": "django", "name": "Django", "version": "4.2.0",
     "purl": "pkg:pypi/django@4.2.0"},
    {"type": "library", "bom-ref": "requests", "name": "requests", "version": "2.31.0",
     "purl": "pkg:pypi/requests@2.31.0"},
    {"type": "library", "bom-ref": "x-net", "name": "golang.org/x/net", "version": "v0.17.0",
     "purl": "pkg:golang/golang.org/x/net@v0.17.0"},
    {"type": "library", "bom-ref": "yaml", "name": "PyYAML", "version": "5.3",
     "purl": "pkg:pypi/pyyaml@5.3"}
  ]
})";

/// Demo advisories. Their ids say they are not real (HOSHI-DEMO-…); dates are relative to now
/// so that one of them is past the 14-day window of SCS criterion 4-4-4-2.
Json DemoAdvisory(std::string_view id, std::string_view summary, std::string_view ecosystem,
                  std::string_view name, std::string_view fixed, std::string_view vector,
                  TimePoint published) {
  Json a{{"schema_version", "1.6.0"},
         {"id", id},
         {"summary", summary},
         {"published", FormatTimestamp(published)},
         {"modified", FormatTimestamp(published)},
         {"affected",
          Json::array(
              {{{"package", {{"ecosystem", ecosystem}, {"name", name}}},
                {"ranges", Json::array({{{"type", "ECOSYSTEM"},
                                         {"events", Json::array({{{"introduced", "0"}},
                                                                 {{"fixed", fixed}}})}}})}}})}};
  if (!vector.empty()) {
    a["severity"] = Json::array({{{"type", "CVSS_V3"}, {"score", vector}}});
  }
  return a;
}

Status SeedDemoSbom(LocalSession& op, LocalSession& supplier, const std::string& supplier_id,
                    const std::string& buyer_id, TimePoint now) {
  using std::chrono::hours;
  const Json advisories[] = {
      DemoAdvisory("HOSHI-DEMO-2026-0001",
                   "デモ用アドバイザリ: Django のSQLインジェクション（架空）", "PyPI", "Django",
                   "4.2.8", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", now - hours(24 * 20)),
      DemoAdvisory("HOSHI-DEMO-2026-0002", "デモ用アドバイザリ: PyYAML の任意コード実行（架空）",
                   "PyPI", "pyyaml", "5.4", "", now - hours(24 * 3)),
  };
  for (const Json& a : advisories) {
    HOSHI_RETURN_IF_ERROR(Must(op, "POST", "/api/v1/advisories", a).status());
  }
  HOSHI_RETURN_IF_ERROR(
      BodyOf(supplier.Upload("/api/v1/orgs/" + supplier_id +
                                 "/sboms?product=%E7%94%9F%E7%94%A3%E7%AE%A1%E7%90%86&version=3.2",
                             kDemoSbom))
          .status());
  return Must(supplier, "PUT", "/api/v1/orgs/" + supplier_id + "/sbom-shares/" + buyer_id).status();
}

/// Demo telemetry: the three suppliers' sensors all saw the same (synthetic) C2 beacon and DNS
/// tunnel, which makes campaigns; 星取精機 agreed to warn its buyer without its name, 北辰電子工業
/// with it. Recorded directly (not through the queue), so the demo is complete at once.
Status SeedDemoTelemetry(LocalSession& sa, LocalSession& sb, const std::string& sa_id,
                         const std::string& sb_id, const std::vector<std::string>& sensors,
                         storage::ConnectionPool& pool, const Clock& clock,
                         const defense::CorrelationConfig& correlation) {
  for (auto [session, org, disclose] :
       {std::tuple{&sa, &sa_id, false}, std::tuple{&sb, &sb_id, true}}) {
    HOSHI_ASSIGN_OR_RETURN(Json consents,
                           Must(*session, "GET", "/api/v1/orgs/" + *org + "/telemetry/consents"));
    for (const Json& c : consents["consents"]) {
      HOSHI_RETURN_IF_ERROR(Must(*session, "PUT",
                                 "/api/v1/orgs/" + *org + "/telemetry/consents/" +
                                     c["relationship_id"].get<std::string>(),
                                 Json{{"warn_buyer", true}, {"disclose_identity", disclose}})
                                .status());
    }
  }
  defense::SyntheticConfig config;
  config.hosts = 30;
  config.destinations = 200;
  config.beacons = 1;
  config.sni_beacons = 1;
  config.tunnel_queries = 200;
  config.long_connection_s = 0;
  config.start_s =
      std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count() -
      config.duration_s;
  HOSHI_ASSIGN_OR_RETURN(auto events, defense::GenerateSyntheticEvents(config));
  std::ostringstream log;
  HOSHI_RETURN_IF_ERROR(defense::WriteZeekConnLog(log, events));
  HOSHI_ASSIGN_OR_RETURN(defense::BatchAnalysis analysis,
                         defense::AnalyseBatch(log.str(), "conn.log", nullptr));
  HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, pool.Acquire());
  defense::TelemetryStore store(*conn, clock, correlation);
  for (const std::string& org : sensors) {
    defense::BatchRecord r;
    r.id = "demo-" + org;
    r.organization_id = org;
    r.source = "demo-sensor";
    r.bytes = log.str().size();
    r.analysis = analysis;
    HOSHI_RETURN_IF_ERROR(store.RecordBatch(r).status());
  }
  return Status::Ok();
}

Result<std::vector<LoginInfo>> Platform::SeedDemo() {
  std::vector<LoginInfo> logins;
  const std::string pw(kDemoPassword);
  logins.push_back(
      LoginInfo{"運営者（IPA役）", std::string(kOperatorEmail), pw, std::string(kOperatorName)});
  for (const DemoOrg* o : {&kBuyer, &kSupplierA, &kSupplierB, &kTier2, &kExpertFirm, &kEvalBody}) {
    logins.push_back(LoginInfo{std::string(o->role_label), std::string(o->admin_email), pw,
                               std::string(o->name)});
  }
  {
    HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, impl_->pool->Acquire());
    org::IdentityStore ids(*conn, *impl_->shared.clock, impl_->shared.password_policy);
    if (ids.FindUserByEmail(kOperatorEmail).ok()) {
      return logins;  // already seeded
    }
  }
  HOSHI_RETURN_IF_ERROR(CreateOperator(kOperatorEmail, "運営 太郎", pw).status());
  const catalog::CatalogVersion* scs = impl_->shared.registry.Latest("scs");
  if (scs == nullptr) {
    return MakeError(ErrorCode::kInternal, ApiMessages(), "api.catalog_missing", "scs");
  }
  const Date today = Date::FromTimePoint(impl_->shared.clock->Now());

  LocalSession op(*this);
  HOSHI_RETURN_IF_ERROR(op.Login(kOperatorEmail, pw));
  std::map<std::string_view, std::string> org_id;
  for (const DemoOrg* o : {&kBuyer, &kSupplierA, &kSupplierB, &kTier2, &kExpertFirm, &kEvalBody}) {
    const bool reviewer_org = o->kind != "company";
    Json body{{"corporate_number", o->number},
              {"name", o->name},
              {"name_en", o->name_en},
              {"kind", o->kind}};
    if (!reviewer_org) {
      body["admin"] =
          Json{{"email", o->admin_email}, {"display_name", o->admin_name}, {"password", pw}};
    }
    HOSHI_ASSIGN_OR_RETURN(Json created, Must(op, "POST", "/api/v1/orgs", body));
    org_id[o->number] = created["organization"]["id"].get<std::string>();
    if (reviewer_org) {
      const std::string role = o->kind == "expert_firm" ? "expert" : "evaluator";
      HOSHI_RETURN_IF_ERROR(Must(op, "POST", "/api/v1/orgs/" + org_id[o->number] + "/members",
                                 Json{{"email", o->admin_email},
                                      {"display_name", o->admin_name},
                                      {"password", pw},
                                      {"role", role}})
                                .status());
    }
  }
  LocalSession buyer(*this);
  LocalSession sa(*this);
  LocalSession sb(*this);
  LocalSession t2(*this);
  LocalSession expert(*this);
  LocalSession evaluator(*this);
  HOSHI_RETURN_IF_ERROR(buyer.Login(kBuyer.admin_email, pw));
  HOSHI_RETURN_IF_ERROR(sa.Login(kSupplierA.admin_email, pw));
  HOSHI_RETURN_IF_ERROR(sb.Login(kSupplierB.admin_email, pw));
  HOSHI_RETURN_IF_ERROR(t2.Login(kTier2.admin_email, pw));
  HOSHI_RETURN_IF_ERROR(expert.Login(kExpertFirm.admin_email, pw));
  HOSHI_RETURN_IF_ERROR(evaluator.Login(kEvalBody.admin_email, pw));
  HOSHI_ASSIGN_OR_RETURN(Json experts, Must(sa, "GET", "/api/v1/reviewers?role=expert"));
  HOSHI_ASSIGN_OR_RETURN(Json evaluators, Must(sb, "GET", "/api/v1/reviewers?role=evaluator"));
  const std::string expert_id = experts["reviewers"].at(0)["id"].get<std::string>();
  const std::string evaluator_id = evaluators["reviewers"].at(0)["id"].get<std::string>();
  const std::string buyer_id = org_id[kBuyer.number];
  const std::string due = today.AddMonths(6).ToIso();

  // The buyer adds both suppliers through the decision tree and sends requests.
  HOSHI_ASSIGN_OR_RETURN(
      Json rel_a,
      Must(buyer, "POST", "/api/v1/orgs/" + buyer_id + "/suppliers",
           Json{{"supplier_corporate_number", kSupplierA.number},
                {"decision", Json{{"reason", "汎用部品の供給。機密情報の取扱いなし"}}}}));
  HOSHI_ASSIGN_OR_RETURN(
      Json rel_b,
      Must(buyer, "POST", "/api/v1/orgs/" + buyer_id + "/suppliers",
           Json{{"supplier_corporate_number", kSupplierB.number},
                {"decision", Json{{"confidential_info_on_supplier_it", true},
                                  {"supplier_reaches_internal_systems", true},
                                  {"reason", "設計図面を共有し、保守用VPNで社内網に接続"}}}}));
  HOSHI_ASSIGN_OR_RETURN(Json req_a,
                         Must(buyer, "POST", "/api/v1/orgs/" + buyer_id + "/requests",
                              Json{{"relationship_id", rel_a["id"]},
                                   {"due_on", due},
                                   {"message", "次年度の取引条件として★3の取得をお願いします。"}}));
  HOSHI_ASSIGN_OR_RETURN(
      Json req_b, Must(buyer, "POST", "/api/v1/orgs/" + buyer_id + "/requests",
                       Json{{"relationship_id", rel_b["id"]},
                            {"due_on", due},
                            {"message", "★4の取得をお願いします。費用は協議のうえ分担します。"}}));
  HOSHI_RETURN_IF_ERROR(Must(sa, "POST",
                             "/api/v1/requests/" + req_a["id"].get<std::string>() + "/accept",
                             Json{{"note", "費用は当社負担、3か月以内に取得予定"}})
                            .status());
  HOSHI_RETURN_IF_ERROR(Must(sb, "POST",
                             "/api/v1/requests/" + req_b["id"].get<std::string>() + "/accept",
                             Json{{"note", "評価費用は折半で合意（2026年11月協議）"}})
                            .status());
  // Tier 2: 北辰 records its own supplier, which consents to its name being shown upstream.
  HOSHI_ASSIGN_OR_RETURN(
      Json rel_t2, Must(sb, "POST", "/api/v1/orgs/" + org_id[kSupplierB.number] + "/suppliers",
                        Json{{"supplier_corporate_number", kTier2.number},
                             {"decision", Json{{"stop_causes_unacceptable_delay", false}}}}));
  HOSHI_RETURN_IF_ERROR(
      Must(t2, "PUT", "/api/v1/relationships/" + rel_t2["id"].get<std::string>() + "/consent",
           Json{{"consent", true}})
          .status());

  // 星取精機: the full ★3 flow up to the credential.
  HOSHI_ASSIGN_OR_RETURN(
      Json a3, Must(sa, "POST", "/api/v1/orgs/" + org_id[kSupplierA.number] + "/assessments",
                    Json{{"level", 3}, {"catalog", scs->key()}}));
  const std::string a3_id = a3["id"].get<std::string>();
  const std::string first = scs->CriteriaAt(3).front()->id;
  HOSHI_ASSIGN_OR_RETURN(
      Json up, BodyOf(sa.Upload("/api/v1/assessments/" + a3_id + "/evidence?criterion=" + first +
                                    "&filename=security-policy.txt",
                                "情報セキュリティ基本方針（デモ）\n第1条 目的 …\n")));
  HOSHI_RETURN_IF_ERROR(Must(sa, "PUT", "/api/v1/assessments/" + a3_id + "/answers",
                             AllImplemented(*scs, 3, today, first, up["sha256"], SIZE_MAX))
                            .status());
  HOSHI_RETURN_IF_ERROR(
      Must(sa, "POST", "/api/v1/assessments/" + a3_id + "/assign", Json{{"user_id", expert_id}})
          .status());
  HOSHI_RETURN_IF_ERROR(Must(sa, "POST", "/api/v1/assessments/" + a3_id + "/submit").status());
  HOSHI_RETURN_IF_ERROR(Must(sa, "POST", "/api/v1/assessments/" + a3_id + "/shares",
                             Json{{"buyer_organization_id", buyer_id}})
                            .status());
  HOSHI_RETURN_IF_ERROR(
      Must(expert, "POST", "/api/v1/assessments/" + a3_id + "/review/start").status());
  HOSHI_RETURN_IF_ERROR(
      Must(expert, "POST", "/api/v1/assessments/" + a3_id + "/comments",
           Json{{"criterion_id", first}, {"body", "基本方針の承認日と版数を確認しました。"}})
          .status());
  HOSHI_RETURN_IF_ERROR(Must(expert, "POST", "/api/v1/assessments/" + a3_id + "/confirm").status());
  HOSHI_RETURN_IF_ERROR(
      Must(sa, "POST", "/api/v1/assessments/" + a3_id + "/declaration",
           Json{{"signer_name", kSupplierA.admin_name}, {"signer_title", "代表取締役社長"}})
          .status());
  HOSHI_RETURN_IF_ERROR(Must(op, "POST", "/api/v1/assessments/" + a3_id + "/certify",
                             Json{{"scope", "本社および第一工場"}})
                            .status());

  // 北辰電子工業: ★4 under evaluation (document review passed, on-site review pending).
  HOSHI_ASSIGN_OR_RETURN(
      Json a4, Must(sb, "POST", "/api/v1/orgs/" + org_id[kSupplierB.number] + "/assessments",
                    Json{{"level", 4}, {"catalog", scs->key()}}));
  const std::string a4_id = a4["id"].get<std::string>();
  HOSHI_RETURN_IF_ERROR(Must(sb, "PUT", "/api/v1/assessments/" + a4_id + "/answers",
                             AllImplemented(*scs, 4, today, "", "", SIZE_MAX))
                            .status());
  HOSHI_RETURN_IF_ERROR(
      Must(sb, "POST", "/api/v1/assessments/" + a4_id + "/assign", Json{{"user_id", evaluator_id}})
          .status());
  HOSHI_RETURN_IF_ERROR(Must(sb, "POST", "/api/v1/assessments/" + a4_id + "/submit").status());
  HOSHI_RETURN_IF_ERROR(Must(sb, "POST", "/api/v1/assessments/" + a4_id + "/shares",
                             Json{{"buyer_organization_id", buyer_id}})
                            .status());
  HOSHI_RETURN_IF_ERROR(
      Must(evaluator, "POST", "/api/v1/assessments/" + a4_id + "/review/start").status());
  HOSHI_RETURN_IF_ERROR(Must(evaluator, "POST",
                             "/api/v1/assessments/" + a4_id + "/reviews/document",
                             Json{{"result", "pass"}, {"note", "規程類一式を確認"}})
                            .status());

  // 南風メッキ工業: a ★3 self-assessment in progress (about half answered).
  HOSHI_ASSIGN_OR_RETURN(Json t2a,
                         Must(t2, "POST", "/api/v1/orgs/" + org_id[kTier2.number] + "/assessments",
                              Json{{"level", 3}, {"catalog", scs->key()}}));
  HOSHI_RETURN_IF_ERROR(Must(t2, "PUT",
                             "/api/v1/assessments/" + t2a["id"].get<std::string>() + "/answers",
                             AllImplemented(*scs, 3, today, "", "", scs->CriteriaAt(3).size() / 2))
                            .status());
  HOSHI_RETURN_IF_ERROR(
      SeedDemoSbom(op, sa, org_id[kSupplierA.number], buyer_id, impl_->shared.clock->Now()));
  HOSHI_RETURN_IF_ERROR(SeedDemoTelemetry(
      sa, sb, org_id[kSupplierA.number], org_id[kSupplierB.number],
      {org_id[kSupplierA.number], org_id[kSupplierB.number], org_id[kTier2.number]}, *impl_->pool,
      *impl_->shared.clock, impl_->shared.options.correlation));
  return logins;
}

}  // namespace hoshi::api
