// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cli/cli.h"

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hoshi/core/error_code.h"

#include "commands.h"

namespace hoshi::cli {
namespace {

// The language must be known before the command tree (and its help texts) is built.
Lang PreScanLang(std::span<const char* const> args, const Environment& env, bool& bad,
                 std::string& bad_value) {
  std::optional<std::string> value;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--lang" && i + 1 < args.size()) {
      value = args[i + 1];
    } else if (a.starts_with("--lang=")) {
      value = std::string(a.substr(7));
    }
  }
  if (!value && !env.lang.empty()) {
    // An unusable HOSHI_LANG falls back to Japanese silently; only --lang is an error.
    return ParseLang(env.lang).value_or(Lang::kJa);
  }
  if (!value) {
    return Lang::kJa;
  }
  if (auto lang = ParseLang(*value)) {
    return *lang;
  }
  bad = true;
  bad_value = *value;
  return Lang::kJa;
}

}  // namespace

int Run(std::span<const char* const> args, const Environment& env, std::ostream& out,
        std::ostream& err) {
  bool bad_lang = false;
  std::string bad_value;
  const Lang lang = PreScanLang(args, env, bad_lang, bad_value);
  Context ctx{lang, out, err, SystemClock::Instance(), "", "", false};
  if (bad_lang) {
    err << FormatMessage(CliMessages(), "err.bad_lang", bad_value).In(lang) << "\n";
    return ExitCode(ErrorCode::kInvalidArgument);
  }
  try {
    CLI::App app{Msg(ctx, "app.description"), "hoshitori"};
    app.require_subcommand(1);
    std::string lang_flag;
    app.add_option("--lang", lang_flag, Msg(ctx, "opt.lang"));
    ctx.data_dir = env.data_dir.empty() ? "hoshitori-data" : env.data_dir;
    ctx.db_url = env.db;
    app.add_option("--data-dir", ctx.data_dir, Msg(ctx, "opt.data_dir"));
    app.add_option("--db", ctx.db_url, Msg(ctx, "opt.db"));
    std::function<int()> action;
    RegisterCommands(app, ctx, action);
    try {
      app.parse(static_cast<int>(args.size()), args.data());
    } catch (const CLI::CallForHelp&) {
      out << app.help();  // the help of the selected subcommand, if any
      return kExitOk;
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) {
        return kExitOk;
      }
      err << FormatMessage(CliMessages(), "err.usage", e.what()).In(lang) << "\n";
      return ExitCode(ErrorCode::kInvalidArgument);
    }
    if (ctx.db_url.empty()) {
      ctx.db_url = "sqlite:" + (std::filesystem::path(ctx.data_dir) / "hoshitori.db").string();
      ctx.db_is_default = true;
    }
    return action ? action() : ExitCode(ErrorCode::kInvalidArgument);
  } catch (const std::exception&) {
    // Last-resort barrier: no exception leaves the CLI.
    err << Msg(ctx, "err.internal") << "\n";
    return ExitCode(ErrorCode::kInternal);
  }
}

}  // namespace hoshi::cli
