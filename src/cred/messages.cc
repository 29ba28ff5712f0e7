// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/messages.h"

#include <array>

namespace hoshi::cred {
namespace {

constexpr std::array kMessages{
    // JSON Canonicalization Scheme (RFC 8785).
    MessageEntry{"cred.jcs_invalid_utf8", "JSON の文字列が正しい UTF-8 ではありません。",
                 "A JSON string is not valid UTF-8."},
    MessageEntry{"cred.jcs_non_finite", "JSON に NaN または無限大の数値は使えません。",
                 "NaN and infinite numbers cannot appear in JSON."},
    MessageEntry{"cred.jcs_unsupported_type", "JSON として表せない値（バイナリなど）があります。",
                 "The document holds a value that JSON cannot express (binary data)."},
    MessageEntry{"cred.jcs_too_deep", "JSON の入れ子が深すぎます。",
                 "The JSON document is nested too deeply."},
    MessageEntry{"cred.jcs_number", "数値を正規化できませんでした。",
                 "A number could not be canonicalized."},
    // Keys and Data Integrity proofs.
    MessageEntry{"cred.bad_public_key",
                 "公開鍵「{0}」を読めません。did:key（did:key:z6Mk…）、z6Mk… 形式、または 64 桁の "
                 "16 進数で指定してください。",
                 "Cannot read the public key '{0}'. Give a did:key (did:key:z6Mk…), a z6Mk… "
                 "Multikey or 64 hex digits."},
    MessageEntry{"cred.bad_proof_options",
                 "証明の設定が正しくありません（作成日時・検証方法・目的）。",
                 "The proof options are invalid (created, verification method or purpose)."},
    MessageEntry{"cred.not_unsecured", "署名対象は証明（proof）を持たない JSON オブジェクトです。",
                 "Only a JSON object without a proof can be signed."},
    MessageEntry{"cred.proof_missing", "証明（proof）がありません。", "The document has no proof."},
    MessageEntry{"cred.proof_cryptosuite",
                 "証明の種類が DataIntegrityProof / eddsa-jcs-2022 ではありません。",
                 "The proof is not a DataIntegrityProof with the eddsa-jcs-2022 cryptosuite."},
    MessageEntry{"cred.proof_value", "証明の署名値（proofValue）の形式が正しくありません。",
                 "The proof value (proofValue) is malformed."},
    MessageEntry{"cred.proof_structure", "証明の内容が正しくありません。",
                 "The proof is malformed."},
    MessageEntry{"cred.proof_context", "証明の @context が文書の @context と一致しません。",
                 "The proof's @context does not match the document's @context."},
    MessageEntry{"cred.proof_signature",
                 "署名が一致しません。内容が改ざんされたか、別の鍵で署名されています。",
                 "The signature does not match: the content was altered or signed with another "
                 "key."},
    // Issuing.
    MessageEntry{"cred.bad_corporate_number", "法人番号「{0}」は 13 桁の数字ではありません。",
                 "The corporate number '{0}' is not 13 digits."},
    MessageEntry{"cred.bad_level", "レベル ★{0} の認定証は発行できません（★3 または ★4）。",
                 "No credential can be issued for level ★{0} (★3 or ★4 only)."},
    MessageEntry{"cred.bad_dates", "有効期限（{1}）が発行日（{0}）より前です。",
                 "The expiry date ({1}) is before the issue date ({0})."},
    MessageEntry{"cred.bad_digest",
                 "評価のダイジェストは「sha256:」と 64 桁の小文字 16 進数で指定してください。",
                 "The assessment digest must be 'sha256:' followed by 64 lower-case hex digits."},
    MessageEntry{"cred.bad_credential_id", "認定証 ID「{0}」は UUID ではありません。",
                 "The credential id '{0}' is not a UUID."},
    MessageEntry{"cred.bad_timestamp", "日時「{0}」は RFC 3339 形式ではありません。",
                 "The time '{0}' is not an RFC 3339 timestamp."},
    MessageEntry{"cred.bad_status_url", "失効リストの URL「{0}」が正しくありません。",
                 "The revocation list URL '{0}' is invalid."},
    MessageEntry{"cred.empty_name", "組織名を入力してください。",
                 "The organisation name must not be empty."},
    MessageEntry{"cred.empty_catalog", "カタログを指定してください。",
                 "The catalog must not be empty."},
    MessageEntry{"cred.empty_issuer_name", "発行者名を入力してください。",
                 "The issuer name must not be empty."},
    // Verifying a credential.
    MessageEntry{"cred.verify.too_large", "ファイルが大きすぎます（上限 {0} バイト）。",
                 "The file is too large (limit {0} bytes)."},
    MessageEntry{"cred.verify.not_json", "認定証ファイルが JSON として読めません: {0}",
                 "The credential file is not valid JSON: {0}"},
    MessageEntry{"cred.verify.not_canonical",
                 "認定証ファイルが発行時の形（JCS 正規形）と一致しません。1 バイトでも変更された"
                 "ファイルは無効です。",
                 "The credential file is not in its issued (JCS canonical) form; a file changed "
                 "in any byte is invalid."},
    MessageEntry{"cred.verify.structure", "認定証の「{0}」がないか、形式が正しくありません。",
                 "The credential's '{0}' is missing or malformed."},
    MessageEntry{"cred.verify.bad_trusted_key", "信頼する発行者の公開鍵は 32 バイトです。",
                 "The trusted issuer public key must be 32 bytes."},
    MessageEntry{"cred.verify.wrong_issuer", "発行者「{0}」は信頼する発行者の鍵ではありません。",
                 "The issuer '{0}' is not the trusted issuer key."},
    MessageEntry{"cred.verify.wrong_method",
                 "証明の検証方法「{0}」は信頼する発行者の鍵ではありません。",
                 "The proof's verification method '{0}' is not the trusted issuer key."},
    MessageEntry{"cred.verify.bad_now", "現在日時「{0}」を解釈できません。",
                 "The current time '{0}' cannot be parsed."},
    MessageEntry{"cred.verify.valid", "署名を確認しました。{0}から{1}まで有効です。",
                 "The signature is valid. Valid from {0} to {1}."},
    MessageEntry{"cred.verify.expired", "有効期限（{0}まで）を過ぎています。",
                 "The credential has expired: it was valid until {0}."},
    MessageEntry{"cred.verify.not_yet_valid", "有効期間は{0}からです。",
                 "The credential is not valid before {0}."},
    MessageEntry{"cred.verify.revoked", "この認定証は{0}に失効しています（理由: {1}）。",
                 "The credential was revoked on {0} (reason: {1})."},
    // Revocation lists.
    MessageEntry{"cred.list.structure", "失効リストの「{0}」がないか、形式が正しくありません。",
                 "The revocation list's '{0}' is missing or malformed."},
    MessageEntry{"cred.list.not_json", "失効リストが JSON として読めません: {0}",
                 "The revocation list is not valid JSON: {0}"},
    MessageEntry{"cred.list.too_large", "失効リストが大きすぎます（上限 {0} バイト）。",
                 "The revocation list is too large (limit {0} bytes)."},
    MessageEntry{"cred.list.wrong_issuer", "失効リストは信頼する発行者の鍵で署名されていません。",
                 "The revocation list is not signed by the trusted issuer key."},
    MessageEntry{"cred.list.duplicate", "失効リストに認定証「{0}」が重複しています。",
                 "The revocation list names credential '{0}' twice."},
    MessageEntry{"cred.list.bad_signature", "失効リストの署名を確認できません: {0}",
                 "The revocation list's signature does not verify: {0}"},
    // Issuer key file.
    MessageEntry{"cred.key.permissions",
                 "鍵ファイル {0} は所有者以外も読み書きできます。chmod 600 にしてください。",
                 "The key file {0} is accessible by group or others; run chmod 600 on it."},
    MessageEntry{"cred.key.not_regular", "鍵ファイル {0} が通常のファイルではありません。",
                 "The key file {0} is not a regular file."},
    MessageEntry{"cred.key.bad_seed",
                 "鍵ファイル {0} の内容が Ed25519 のシード（64 桁の 16 進数）ではありません。",
                 "The key file {0} does not hold an Ed25519 seed (64 hex digits)."},
    MessageEntry{"cred.key.io", "鍵ファイル {0} を読み書きできません: {1}",
                 "Cannot read or write the key file {0}: {1}"},
    // Verdicts.
    MessageEntry{"cred.verdict.valid", "有効", "valid"},
    MessageEntry{"cred.verdict.invalid", "無効", "invalid"},
    MessageEntry{"cred.verdict.expired", "期限切れ", "expired"},
    MessageEntry{"cred.verdict.revoked", "失効", "revoked"},
    MessageEntry{"cred.verdict.not_yet_valid", "有効期間前", "not yet valid"},
};

}  // namespace

std::span<const MessageEntry> CredMessages() {
  return kMessages;
}

}  // namespace hoshi::cred
