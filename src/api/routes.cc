// SPDX-License-Identifier: Apache-2.0
// The API route table: declared once; the router, body limits, the authorisation matrix test and
// docs/api/openapi.yaml all come from it.
#include <array>

#include "context.h"

namespace hoshi::api {
namespace {

using enum Access;
using enum BodyKind;

constexpr std::string_view kOwner = "supplier organisation members";
constexpr std::string_view kOwnerAdmin = "supplier organisation admin";

constexpr std::array kRoutes{
    // ---- authentication and identity ----
    Route{"POST", "/api/v1/auth/login", kPublic, kJson, Login, "auth", "ログイン",
          "Log in with e-mail and password", "anyone (rate limited)"},
    Route{"POST", "/api/v1/auth/logout", kUser, kNone, Logout, "auth", "ログアウト", "Log out",
          "the session's user"},
    Route{"GET", "/api/v1/me", kUser, kNone, Me, "auth", "自分の情報と所属", "Current user",
          "any user"},
    Route{"POST", "/api/v1/me/tokens", kUser, kJson, CreateToken, "auth", "APIトークンの発行",
          "Create an API token", "any user, for themself"},
    Route{"DELETE", "/api/v1/me/tokens/{token_id}", kUser, kNone, RevokeToken, "auth",
          "APIトークンの失効", "Revoke an API token", "the token's owner"},
    Route{"POST", "/api/v1/signup", kPublic, kJson, Signup, "auth", "企業と管理者の登録",
          "Register a company and its admin", "anyone (法人番号 checked)"},
    Route{"POST", "/api/v1/orgs", kUser, kJson, CreateOrganization, "orgs", "組織の登録（運営者）",
          "Register an organisation (operator)", "operator"},
    Route{"GET", "/api/v1/orgs/{org}", kUser, kNone, GetOrganization, "orgs", "組織の情報",
          "Organisation", "members, operator"},
    Route{"GET", "/api/v1/orgs/{org}/members", kUser, kNone, ListMembers, "orgs", "メンバー一覧",
          "Members", "members, operator"},
    Route{"POST", "/api/v1/orgs/{org}/members", kUser, kJson, AddMember, "orgs", "メンバーの追加",
          "Add a member", "org admin (member/admin roles); operator (any)"},
    Route{"GET", "/api/v1/orgs/{org}/audit", kUser, kNone, OrgAudit, "orgs", "監査ログ",
          "Audit log", "org admin, operator"},
    Route{"GET", "/api/v1/reviewers", kUser, kNone, ListReviewers, "orgs", "専門家・評価者の一覧",
          "Experts and evaluators to assign", "any user"},
    Route{"GET", "/api/v1/catalogs", kUser, kNone, ListCatalogs, "catalogs", "カタログ一覧",
          "Catalogs", "any user"},
    Route{"GET", "/api/v1/catalogs/{key}", kUser, kNone, GetCatalog, "catalogs", "カタログの内容",
          "Catalog", "any user"},
    // ---- assessments ----
    Route{"GET", "/api/v1/orgs/{org}/assessments", kUser, kNone, ListAssessments, "assessments",
          "自社の評価一覧", "Assessments of an organisation", "members, operator"},
    Route{"POST", "/api/v1/orgs/{org}/assessments", kUser, kJson, CreateAssessment, "assessments",
          "評価の作成", "Create an assessment", "org admin, member"},
    Route{"GET", "/api/v1/assessments/{id}", kUser, kNone, GetAssessment, "assessments",
          "評価と回答", "Assessment with answers",
          "supplier members, assigned reviewer, buyers it is shared with, operator"},
    Route{"PUT", "/api/v1/assessments/{id}/answers", kUser, kJson, PutAnswers, "assessments",
          "回答の保存", "Save answers", kOwner},
    Route{"POST", "/api/v1/assessments/{id}/evidence", kUser, kUpload, UploadEvidence,
          "assessments", "証跡のアップロード", "Upload evidence", kOwner},
    Route{"GET", "/api/v1/assessments/{id}/evidence/{sha256}", kUser, kNone, GetEvidence,
          "assessments", "証跡のダウンロード", "Download evidence",
          "supplier members, assigned reviewer, buyers it is shared with, operator"},
    Route{"GET", "/api/v1/assessments/{id}/evaluation", kUser, kNone, GetEvaluation, "assessments",
          "判定結果とギャップ", "Evaluation and gaps",
          "supplier members, assigned reviewer, buyers it is shared with, operator"},
    Route{"POST", "/api/v1/assessments/{id}/submit", kUser, kNone, Submit, "assessments", "提出",
          "Submit for review", kOwner},
    Route{"POST", "/api/v1/assessments/{id}/reopen", kUser, kNone, Reopen, "assessments",
          "差し戻し後の再編集", "Reopen after return", kOwner},
    Route{"POST", "/api/v1/assessments/{id}/assign", kUser, kJson, AssignReviewer, "assessments",
          "専門家・評価者の選任", "Assign the expert or evaluator", kOwnerAdmin},
    Route{"POST", "/api/v1/assessments/{id}/shares", kUser, kJson, Share, "assessments",
          "発注者への共有", "Share with a buyer", kOwnerAdmin},
    Route{"DELETE", "/api/v1/assessments/{id}/shares/{buyer}", kUser, kNone, Unshare, "assessments",
          "共有の取り消し", "Stop sharing", kOwnerAdmin},
    Route{"POST", "/api/v1/assessments/{id}/declaration", kUser, kJson, Declare, "assessments",
          "経営者の自己適合宣誓", "Management self-declaration (★3)", kOwnerAdmin},
    Route{"POST", "/api/v1/assessments/{id}/report", kUser, kUpload, UploadReport, "assessments",
          "技術検証報告書のアップロード", "Upload the technical verification report",
          "supplier members, assigned evaluator"},
    // ---- reviews ----
    Route{"GET", "/api/v1/reviews", kUser, kNone, ReviewQueue, "reviews", "担当する評価",
          "My review queue", "any user (their own assignments)"},
    Route{"POST", "/api/v1/assessments/{id}/review/start", kUser, kNone, StartReview, "reviews",
          "確認・評価の開始", "Start the review", "assigned reviewer"},
    Route{"POST", "/api/v1/assessments/{id}/comments", kUser, kJson, AddComment, "reviews",
          "基準ごとのコメント", "Comment on a criterion", "assigned reviewer"},
    Route{"GET", "/api/v1/assessments/{id}/comments", kUser, kNone, ListComments, "reviews",
          "コメント一覧", "Comments", "supplier members, assigned reviewer, operator"},
    Route{"POST", "/api/v1/assessments/{id}/return", kUser, kJson, ReturnAssessment, "reviews",
          "差し戻し", "Return to the supplier", "assigned reviewer"},
    Route{"POST", "/api/v1/assessments/{id}/confirm", kUser, kNone, ConfirmAssessment, "reviews",
          "確認完了", "Confirm", "assigned expert (★3) or evaluator (★4)"},
    Route{"POST", "/api/v1/assessments/{id}/reviews/{kind}", kUser, kJson, RecordReview, "reviews",
          "文書審査・現地審査の結果", "Document / on-site review result (★4)",
          "assigned evaluator"},
    // ---- certification and credentials ----
    Route{"POST", "/api/v1/assessments/{id}/certify", kUser, kJson, Certify, "certifications",
          "認定と資格情報の発行", "Certify and issue the credential", "operator"},
    Route{"GET", "/api/v1/orgs/{org}/certifications", kUser, kNone, ListCertifications,
          "certifications", "認定一覧", "Certifications", "members, operator"},
    Route{"GET", "/api/v1/certifications/{id}/credential", kUser, kNone, GetCredential,
          "certifications", "資格情報（VC）のダウンロード", "Download the credential",
          "members of the holder, operator"},
    Route{"POST", "/api/v1/certifications/{id}/revoke", kUser, kJson, RevokeCertification,
          "certifications", "認定の失効", "Revoke", "operator"},
    Route{"GET", "/api/v1/certifications/{id}/annual", kUser, kNone, GetAnnual, "certifications",
          "年次自己評価の状況", "Yearly self-assessments (★4)",
          "members of the holder, the evaluator of the certified assessment, operator"},
    Route{"POST", "/api/v1/certifications/{id}/annual", kUser, kJson, SubmitAnnual,
          "certifications", "年次自己評価の提出", "Submit the yearly self-assessment (★4)",
          "holder's org admin"},
    Route{"GET", "/api/v1/public/lookup/{corporate_number}", kPublic, kNone, PublicLookup, "public",
          "法人番号による★の照会", "Public lookup by 法人番号", "anyone"},
    Route{"GET", "/api/v1/public/revocations", kPublic, kNone, PublicRevocations, "public",
          "署名付き失効リスト", "Signed revocation list", "anyone"},
    Route{"GET", "/api/v1/public/issuer", kPublic, kNone, PublicIssuer, "public", "発行者の公開鍵",
          "Issuer public key", "anyone"},
    Route{"GET", "/api/v1/registry", kUser, kNone, Registry, "operator", "登録簿の検索",
          "Registry search", "operator"},
    Route{"GET", "/api/v1/stats", kUser, kNone, Statistics, "operator", "統計", "Statistics",
          "operator"},
    // ---- buyers and suppliers ----
    Route{"POST", "/api/v1/orgs/{org}/suppliers", kUser, kJson, AddSupplier, "chain",
          "取引先の追加と求めるレベルの判定", "Add a supplier (decision tree)", "buyer org admin"},
    Route{"GET", "/api/v1/orgs/{org}/portfolio", kUser, kNone, Portfolio, "chain",
          "取引先ポートフォリオ", "Supplier portfolio", "buyer members"},
    Route{"POST", "/api/v1/orgs/{org}/requests", kUser, kJson, SendRequest, "chain", "★取得の依頼",
          "Request a level from a supplier", "buyer org admin"},
    Route{"GET", "/api/v1/orgs/{org}/requests", kUser, kNone, ListRequests, "chain",
          "依頼一覧（送信・受信）", "Requests sent and received", "members"},
    Route{"POST", "/api/v1/requests/{id}/accept", kUser, kJson, AcceptRequest, "chain",
          "依頼の受諾", "Accept a request", "supplier org admin"},
    Route{"POST", "/api/v1/requests/{id}/decline", kUser, kJson, DeclineRequest, "chain",
          "依頼の辞退", "Decline a request", "supplier org admin"},
    Route{"GET", "/api/v1/orgs/{org}/buyers", kUser, kNone, ListBuyers, "chain", "発注者一覧",
          "Buyers of this supplier", "members"},
    Route{"PUT", "/api/v1/relationships/{id}/consent", kUser, kJson, SetNameConsent, "chain",
          "上位への社名開示の同意", "Consent to name disclosure upstream", "supplier org admin"},
};

}  // namespace

std::span<const Route> Routes() {
  return kRoutes;
}

}  // namespace hoshi::api
