// SPDX-License-Identifier: Apache-2.0
// `hoshitori catalog import-ipa SHEET.xlsx --version V`: IPA's official requirement sheet becomes a
// new catalog version in the database. Nothing is written when the sheet has any problem.
#include <filesystem>

#include "hoshi/catalog/ipa_import.h"
#include "hoshi/core/error_code.h"
#include "hoshi/core/file.h"
#include "hoshi/storage/blob_store.h"

#include "commands.h"

namespace hoshi::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string version;
  std::string base = "scs-2026-03-27";
  bool allow_count_change = false;
};

int ImportIpa(const Context& ctx, const ImportArgs& args) {
  auto bytes = ReadFile(args.file, kDefaultMaxFileBytes);
  if (!bytes) {
    return Report(ctx, bytes.error());
  }
  auto registry = LoadRegistry(ctx);
  if (!registry) {
    return Report(ctx, registry.error());
  }
  const auto* base = registry->Find(args.base);
  if (base == nullptr) {
    return Report(ctx, MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.unknown_catalog",
                                 args.base));
  }
  catalog::ImportOptions options;
  options.version = args.version;
  options.base = base;
  options.require_published_counts = !args.allow_count_change;
  auto result = catalog::ImportIpaSheet(*bytes, options);
  if (!result) {
    return Report(ctx, result.error());
  }
  for (const auto& warning : result->warnings) {
    ctx.err << catalog::FormatImportMessage(warning, ctx.lang) << "\n";
  }
  if (!result->ok()) {
    for (const auto& error : result->errors) {
      ctx.err << catalog::FormatImportMessage(error, ctx.lang) << "\n";
    }
    ctx.err << Fmt(ctx, "out.import_errors", static_cast<int>(result->errors.size())) << "\n";
    return ExitCode(ErrorCode::kDataError);
  }
  const catalog::CatalogVersion& imported = *result->catalog;
  if (registry->Find(imported.key()) != nullptr) {
    return Report(ctx, MakeError(ErrorCode::kAlreadyExists, CliMessages(), "err.catalog_exists",
                                 imported.key()));
  }
  auto conn = OpenDatabase(ctx);
  if (!conn) {
    return Report(ctx, conn.error());
  }
  // Keep the sheet itself, content-addressed, next to the catalog built from it.
  auto blobs = storage::BlobStore::Open(std::filesystem::path(ctx.data_dir) / "blobs");
  if (!blobs) {
    return Report(ctx, blobs.error());
  }
  if (auto hash = blobs->Put(*bytes); !hash) {
    return Report(ctx, hash.error());
  }
  if (auto st = catalog::StoreCatalog(**conn, imported, FormatTimestamp(ctx.clock.Now()));
      !st.ok()) {
    return Report(ctx, st.error());
  }
  const int top = imported.levels.empty() ? 0 : imported.levels.back().level;
  ctx.out << Fmt(ctx, "out.imported", imported.key(),
                 static_cast<int>(imported.RequirementsAt(top).size()),
                 static_cast<int>(imported.CriteriaAt(top).size()))
          << "\n";
  return kExitOk;
}

}  // namespace

void RegisterImportIpa(CLI::App* catalog, Context& ctx, std::function<int()>& action) {
  auto args = std::make_shared<ImportArgs>();
  auto* sub = catalog->add_subcommand("import-ipa", Msg(ctx, "cmd.catalog.import_ipa"));
  sub->add_option("file", args->file, "FILE.xlsx")->required();
  sub->add_option("--version", args->version, Msg(ctx, "opt.version"))->required();
  sub->add_option("--base", args->base, Msg(ctx, "opt.catalog"));
  sub->add_flag("--allow-count-change", args->allow_count_change,
                Msg(ctx, "opt.allow_count_change"));
  sub->callback([&action, &ctx, args] { action = [&ctx, args] { return ImportIpa(ctx, *args); }; });
}

}  // namespace hoshi::cli
