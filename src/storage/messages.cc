// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/messages.h"

#include <array>

namespace hoshi::storage {
namespace {

constexpr std::array kStorageMessages{
    // Database.
    MessageEntry{"storage.unavailable", "データベースに接続できません。",
                 "Cannot connect to the database."},
    MessageEntry{"storage.busy",
                 "データベースが混み合っています。しばらくしてから再試行してください。",
                 "The database is busy. Please try again later."},
    MessageEntry{"storage.duplicate", "このデータはすでに存在します。",
                 "This data already exists."},
    MessageEntry{"storage.constraint",
                 "関連するデータとの整合性が取れないため、この操作は実行できません。",
                 "This operation would break the consistency of related data."},
    MessageEntry{"storage.query_failed", "データベースの操作に失敗しました。",
                 "The database operation failed."},
    MessageEntry{"storage.io", "データベースファイルを読み書きできません。",
                 "Cannot read or write the database file."},
    MessageEntry{"storage.bad_url", "データベースの接続先の指定が不正です。",
                 "The database location is invalid."},
    MessageEntry{"storage.postgres_disabled",
                 "このビルドは PostgreSQL に対応していません。SQLite を指定してください。",
                 "This build does not support PostgreSQL. Please use SQLite."},
    MessageEntry{"storage.bad_value", "データベースに保存できない値が含まれています。",
                 "The data contains a value that cannot be stored in the database."},
    MessageEntry{"storage.bad_parameters", "データベースへの問い合わせの引数が正しくありません。",
                 "A database query received the wrong parameters."},
    MessageEntry{"storage.column_type", "データベースの値が想定した型と異なります。",
                 "A database value has an unexpected type."},
    MessageEntry{"storage.no_transaction", "トランザクションが開始されていません。",
                 "No transaction is in progress."},
    MessageEntry{"storage.nested_transaction", "トランザクションはすでに開始されています。",
                 "A transaction is already in progress."},
    MessageEntry{"storage.transaction_aborted", "エラーのためトランザクションは取り消されました。",
                 "The transaction was rolled back because of an error."},
    MessageEntry{"storage.migration_failed",
                 "データベースの更新（マイグレーション {0}）に失敗しました。",
                 "Database migration {0} failed."},
    MessageEntry{"storage.schema_too_new",
                 "データベースのスキーマ（バージョン {0}）がこのプログラムの対応範囲（バージョン "
                 "{1}）より新しいため、使用できません。hoshitori を更新してください。",
                 "The database schema (version {0}) is newer than this program supports (version "
                 "{1}). Please upgrade hoshitori."},
    // Blob store.
    MessageEntry{"storage.blob_bad_hash",
                 "ファイルの識別子が不正です（SHA-256 の16進数64文字で指定してください）。",
                 "Invalid file identifier (expected 64 lower-case hex digits of a SHA-256)."},
    MessageEntry{"storage.blob_not_found", "指定されたファイルは保存されていません。",
                 "The requested file is not stored."},
    MessageEntry{"storage.blob_too_large", "ファイルが大きすぎます（上限 {0} バイト）。",
                 "The file is too large (limit {0} bytes)."},
    MessageEntry{"storage.blob_io", "ファイル保管領域を読み書きできません。",
                 "Cannot read or write the file store."},
    MessageEntry{"storage.blob_corrupt", "保存されたファイルが変更されているか、破損しています。",
                 "A stored file has been modified or is corrupted."},
};

}  // namespace

std::span<const MessageEntry> StorageMessages() {
  return kStorageMessages;
}

}  // namespace hoshi::storage
