// SPDX-License-Identifier: Apache-2.0
// Internal to the cli module: the command context and the command tree.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "hoshi/assess/evaluate.h"
#include "hoshi/assess/preparation.h"
#include "hoshi/catalog/registry.h"
#include "hoshi/cli/cli.h"
#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/storage/database.h"

namespace hoshi::cli {

/// What every command needs: language, streams, clock, where the data lives.
struct Context {
  Lang lang;
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
  std::string data_dir;
  std::string db_url;
  bool db_is_default = false;
};

inline std::string Msg(const Context& ctx, std::string_view key) {
  return Lookup(CliMessages(), key).In(ctx.lang);
}
template <typename... Args>
std::string Fmt(const Context& ctx, std::string_view key, Args&&... args) {
  return FormatMessage(CliMessages(), key, std::forward<Args>(args)...).In(ctx.lang);
}

/// Prints `error` (with its location) in the user's language; returns its exit code.
int Report(const Context& ctx, const Error& error);

/// Builds the command tree; the chosen command's body is stored in `action`.
void RegisterCommands(CLI::App& app, Context& ctx, std::function<int()>& action);

/// Adds serve, verify, api openapi, admin create-operator / verify-audit (platform_commands.cc).
void RegisterPlatformCommands(CLI::App& app, CLI::App* admin, Context& ctx,
                              std::function<int()>& action);

/// Adds `sbom scan` and `sbom import-advisories` (sbom_commands.cc).
void RegisterSbomCommands(CLI::App& app, Context& ctx, std::function<int()>& action);

/// Adds `telemetry analyze`, `telemetry publish` and `worker` (telemetry_commands.cc).
void RegisterTelemetryCommands(CLI::App& app, Context& ctx, std::function<int()>& action);

/// Adds `catalog import-ipa` (import_ipa.cc).
void RegisterImportIpa(CLI::App* catalog, Context& ctx, std::function<int()>& action);

/// Opens the configured database and brings its schema up to date.
Result<std::unique_ptr<storage::Connection>> OpenDatabase(const Context& ctx);

/// Built-in catalogs plus those stored in the database (when one exists).
Result<catalog::CatalogRegistry> LoadRegistry(const Context& ctx);

// Text renderings (render.cc).
void PrintCatalogList(const Context& ctx, const catalog::CatalogRegistry& registry);
void PrintCatalog(const Context& ctx, const catalog::CatalogVersion& catalog, int level);
void PrintValidation(const Context& ctx, const catalog::CatalogVersion& catalog,
                     const catalog::ValidationReport& report);
void PrintEvaluation(const Context& ctx, const catalog::CatalogVersion& catalog,
                     const assess::AnswerSet& answers, const assess::Evaluation& evaluation);
void PrintPreparation(const Context& ctx, const catalog::CatalogVersion& from,
                      const catalog::CatalogVersion& to, const assess::PreparationView& view);

}  // namespace hoshi::cli
