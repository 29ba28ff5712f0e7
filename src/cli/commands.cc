// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include <filesystem>
#include <fstream>

#include "hoshi/assess/store.h"
#include "hoshi/catalog/oscal.h"
#include "hoshi/core/error_code.h"
#include "hoshi/core/file.h"
#include "hoshi/core/id.h"
#include "hoshi/core/json.h"

namespace hoshi::cli {
namespace {

// Options shared by several commands.
struct Options {
  std::string catalog;
  int level = 0;
  std::string format;
  std::string output;
  std::string file;
  std::string today;
  std::string organization;
  std::string version;
  bool allow_count_change = false;
  std::string from;
  std::string to;
  std::vector<std::string> keys;
  std::string id;
};

Error UnknownCatalog(std::string_view key) {
  return MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.unknown_catalog", key);
}

// The registry with one catalog resolved in it (pointers stay valid when this moves).
struct Resolved {
  catalog::CatalogRegistry registry;
  const catalog::CatalogVersion* catalog = nullptr;
};

Result<Resolved> Resolve(const Context& ctx, std::string_view key) {
  HOSHI_ASSIGN_OR_RETURN(auto registry, LoadRegistry(ctx));
  const auto* found = registry.Find(key);
  if (found == nullptr) {
    return UnknownCatalog(key);
  }
  return Resolved{std::move(registry), found};
}

Result<Date> Today(const Context& ctx, const std::string& given) {
  if (given.empty()) {
    return Date::FromTimePoint(ctx.clock.Now());
  }
  auto date = Date::Parse(given);
  if (!date) {
    return Error(ErrorCode::kInvalidArgument, date.error().message());
  }
  return *date;
}

// Writes `content` to -o FILE (atomically) or to standard output.
int Emit(const Context& ctx, const std::string& output, const std::string& content) {
  if (output.empty() || output == "-") {
    ctx.out << content;
    return kExitOk;
  }
  if (auto st = WriteFileAtomic(output, content); !st.ok()) {
    return Report(ctx, st.error());
  }
  ctx.err << Fmt(ctx, "out.written", output) << "\n";
  return kExitOk;
}

// Reads and checks an answer file; prints every problem. nullopt after printing errors.
std::optional<assess::ParsedAnswers> ReadAnswers(const Context& ctx, int& exit_code,
                                                 const std::string& path,
                                                 const catalog::CatalogVersion& catalog, int level,
                                                 Date today) {
  auto text = ReadFile(path, assess::kMaxAnswerFileBytes);
  if (!text) {
    exit_code = Report(ctx, text.error());
    return std::nullopt;
  }
  auto parsed = assess::ParseAnswers(*text, path, catalog, level, today);
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) {
      ctx.err << e.ToString(ctx.lang) << "\n";
    }
    ctx.err << Fmt(ctx, "err.answer_errors", static_cast<int>(parsed.errors.size())) << "\n";
    exit_code = ExitCode(ErrorCode::kDataError);
    return std::nullopt;
  }
  return parsed;
}

int CatalogList(const Context& ctx, const Options& o) {
  auto registry = LoadRegistry(ctx);
  if (!registry) {
    return Report(ctx, registry.error());
  }
  if (o.format == "json") {
    Json list = Json::array();
    for (const auto* c : registry->List()) {
      Json levels = Json::array();
      for (const auto& l : c->levels) {
        levels.push_back(Json{{"level", l.level},
                              {"name", Json{{"ja", l.name.ja}, {"en", l.name.en}}},
                              {"requirements", c->RequirementsAt(l.level).size()},
                              {"criteria", c->CriteriaAt(l.level).size()}});
      }
      list.push_back(Json{{"key", c->key()},
                          {"catalog_id", c->catalog_id},
                          {"version", c->version},
                          {"official_title_ja", c->official_title_ja},
                          {"text_source", c->text_source},
                          {"levels", std::move(levels)}});
    }
    ctx.out << DumpJson(list) << "\n";
    return kExitOk;
  }
  PrintCatalogList(ctx, *registry);
  return kExitOk;
}

int CatalogShow(const Context& ctx, const Options& o) {
  auto resolved = Resolve(ctx, o.catalog);
  if (!resolved) {
    return Report(ctx, resolved.error());
  }
  const catalog::CatalogVersion* catalog = resolved->catalog;
  if (o.level != 0 && catalog->FindLevel(o.level) == nullptr) {
    return Report(ctx, MakeError(ErrorCode::kInvalidArgument, assess::AssessMessages(),
                                 "answers.level_unknown", catalog->key(), o.level));
  }
  if (o.format == "json") {
    ctx.out << catalog::CatalogToJson(*catalog) << "\n";
    return kExitOk;
  }
  PrintCatalog(ctx, *catalog, o.level);
  return kExitOk;
}

int CatalogValidate(const Context& ctx, const Options& o) {
  auto registry = LoadRegistry(ctx);
  if (!registry) {
    return Report(ctx, registry.error());
  }
  std::vector<const catalog::CatalogVersion*> targets;
  if (o.keys.empty()) {
    targets = registry->List();
  } else {
    for (const auto& key : o.keys) {
      const auto* c = registry->Find(key);
      if (c == nullptr) {
        return Report(ctx, UnknownCatalog(key));
      }
      targets.push_back(c);
    }
  }
  bool all_ok = true;
  for (const auto* c : targets) {
    const auto report = catalog::Validate(*c);
    PrintValidation(ctx, *c, report);
    all_ok = all_ok && report.ok();
  }
  return all_ok ? kExitOk : ExitCode(ErrorCode::kDataError);
}

int CatalogExport(const Context& ctx, const Options& o) {
  auto resolved = Resolve(ctx, o.catalog);
  if (!resolved) {
    return Report(ctx, resolved.error());
  }
  const catalog::CatalogVersion* catalog = resolved->catalog;
  if (o.format == "oscal") {
    const Json oscal =
        catalog::ToOscalCatalog(*catalog, NewId(ctx.clock), FormatTimestamp(ctx.clock.Now()));
    return Emit(ctx, o.output, DumpJson(oscal) + "\n");
  }
  return Emit(ctx, o.output, catalog::CatalogToJson(*catalog) + "\n");
}

int AssessTemplate(const Context& ctx, const Options& o) {
  auto resolved = Resolve(ctx, o.catalog);
  if (!resolved) {
    return Report(ctx, resolved.error());
  }
  const catalog::CatalogVersion* catalog = resolved->catalog;
  if (catalog->FindLevel(o.level) == nullptr) {
    return Report(ctx, MakeError(ErrorCode::kInvalidArgument, assess::AssessMessages(),
                                 "answers.level_unknown", catalog->key(), o.level));
  }
  const auto format =
      o.format == "json" ? assess::TemplateFormat::kJson : assess::TemplateFormat::kYaml;
  return Emit(ctx, o.output, assess::MakeTemplate(*catalog, o.level, format, ctx.lang));
}

int AssessEvaluate(const Context& ctx, const Options& o) {
  auto resolved = Resolve(ctx, o.catalog);
  if (!resolved) {
    return Report(ctx, resolved.error());
  }
  const catalog::CatalogVersion* catalog = resolved->catalog;
  auto today = Today(ctx, o.today);
  if (!today) {
    return Report(ctx, today.error());
  }
  int exit_code = kExitOk;
  auto parsed = ReadAnswers(ctx, exit_code, o.file, *catalog, o.level, *today);
  if (!parsed) {
    return exit_code;
  }
  const auto& answers = parsed->answers;
  const auto ev = assess::Evaluate(*catalog, answers.level, answers, *today);
  if (o.format == "json") {
    Json j = assess::EvaluationToJson(ev, *catalog);
    j["organization"] =
        Json{{"name", answers.organization_name}, {"corporate_number", answers.corporate_number}};
    j["ignored_answers"] = parsed->ignored;
    ctx.out << DumpJson(j) << "\n";
  } else {
    PrintEvaluation(ctx, *catalog, answers, ev);
    if (!parsed->ignored.empty()) {
      std::string ids;
      for (const auto& id : parsed->ignored) {
        ids += (ids.empty() ? "" : ", ") + id;
      }
      ctx.out << Fmt(ctx, "out.ignored", ids) << "\n";
    }
  }
  return ev.level_met ? kExitOk : kExitNotMet;
}

int AssessPrepare(const Context& ctx, const Options& o) {
  auto registry = LoadRegistry(ctx);
  if (!registry) {
    return Report(ctx, registry.error());
  }
  const auto* from = registry->Find(o.from);
  const auto* to = registry->Find(o.to);
  if (from == nullptr || to == nullptr) {
    return Report(ctx, UnknownCatalog(from == nullptr ? o.from : o.to));
  }
  const auto* mapping = registry->FindMapping(o.from, o.to);
  if (mapping == nullptr) {
    return Report(
        ctx, MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.no_mapping", o.from, o.to));
  }
  auto today = Today(ctx, o.today);
  if (!today) {
    return Report(ctx, today.error());
  }
  int exit_code = kExitOk;
  auto parsed = ReadAnswers(ctx, exit_code, o.file, *from, 0, *today);
  if (!parsed) {
    return exit_code;
  }
  const int to_level = o.level == 0 ? 3 : o.level;
  auto view = assess::BuildPreparationView(*mapping, *to, to_level, parsed->answers);
  if (!view) {
    return Report(ctx, view.error());
  }
  if (o.format == "json") {
    ctx.out << DumpJson(assess::PreparationToJson(*view)) << "\n";
  } else {
    PrintPreparation(ctx, *from, *to, *view);
  }
  return kExitOk;
}

int AssessSave(const Context& ctx, const Options& o) {
  auto resolved = Resolve(ctx, o.catalog);
  if (!resolved) {
    return Report(ctx, resolved.error());
  }
  const catalog::CatalogVersion* catalog = resolved->catalog;
  auto today = Today(ctx, o.today);
  if (!today) {
    return Report(ctx, today.error());
  }
  int exit_code = kExitOk;
  auto parsed = ReadAnswers(ctx, exit_code, o.file, *catalog, o.level, *today);
  if (!parsed) {
    return exit_code;  // nothing stored when the file has problems
  }
  auto conn = OpenDatabase(ctx);
  if (!conn) {
    return Report(ctx, conn.error());
  }
  assess::AssessmentStore store(**conn, ctx.clock);
  auto id = store.Create(o.organization, catalog->key(), parsed->answers.level);
  if (!id) {
    return Report(ctx, id.error());
  }
  if (auto st = store.SaveAnswers(*id, parsed->answers); !st.ok()) {
    return Report(ctx, st.error());
  }
  ctx.out << Fmt(ctx, "out.saved", *id) << "\n";
  return kExitOk;
}

int AssessShow(const Context& ctx, const Options& o) {
  auto registry = LoadRegistry(ctx);
  if (!registry) {
    return Report(ctx, registry.error());
  }
  auto conn = OpenDatabase(ctx);
  if (!conn) {
    return Report(ctx, conn.error());
  }
  assess::AssessmentStore store(**conn, ctx.clock);
  auto record = store.Load(o.id);
  if (!record) {
    return Report(ctx, record.error());
  }
  const auto* catalog = registry->Find(record->catalog_key);
  if (catalog == nullptr) {
    return Report(ctx, UnknownCatalog(record->catalog_key));
  }
  auto today = Today(ctx, o.today);
  if (!today) {
    return Report(ctx, today.error());
  }
  const auto ev = assess::Evaluate(*catalog, record->level, record->answers, *today);
  if (o.format == "json") {
    Json j = assess::EvaluationToJson(ev, *catalog);
    j["id"] = record->id;
    j["organization_id"] = record->organization_id;
    j["state"] = assess::StateName(record->state);
    ctx.out << DumpJson(j) << "\n";
  } else {
    ctx.out << Fmt(ctx, "out.state", assess::StateLabel(record->state).In(ctx.lang)) << "\n";
    PrintEvaluation(ctx, *catalog, record->answers, ev);
  }
  return ev.level_met ? kExitOk : kExitNotMet;
}

int AdminMigrate(const Context& ctx) {
  auto conn = storage::Open(ctx.db_url);
  if (!conn) {
    return Report(ctx, conn.error());
  }
  auto applied = storage::Migrate(**conn);
  if (!applied) {
    return Report(ctx, applied.error());
  }
  auto version = storage::SchemaVersion(**conn);
  if (!version) {
    return Report(ctx, version.error());
  }
  ctx.out << Fmt(ctx, "out.migrated", *applied, *version) << "\n";
  return kExitOk;
}

}  // namespace

int Report(const Context& ctx, const Error& error) {
  ctx.err << Lookup(CoreMessages(), "core.error_prefix").In(ctx.lang) << ": "
          << error.ToString(ctx.lang) << "\n";
  return ExitCode(error.code());
}

Result<std::unique_ptr<storage::Connection>> OpenDatabase(const Context& ctx) {
  if (ctx.db_is_default) {
    std::error_code ec;
    std::filesystem::create_directories(ctx.data_dir, ec);
    std::filesystem::permissions(ctx.data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  HOSHI_ASSIGN_OR_RETURN(auto conn, storage::Open(ctx.db_url));
  HOSHI_RETURN_IF_ERROR(storage::Migrate(*conn));
  return conn;
}

Result<catalog::CatalogRegistry> LoadRegistry(const Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto registry, catalog::CatalogRegistry::LoadBuiltin());
  // The default database is only read when it already exists: read-only commands never create it.
  const std::string default_path = ctx.db_url.substr(std::string_view("sqlite:").size());
  if (ctx.db_is_default && !std::filesystem::exists(default_path)) {
    return registry;
  }
  HOSHI_ASSIGN_OR_RETURN(auto conn, OpenDatabase(ctx));
  HOSHI_RETURN_IF_ERROR(registry.LoadStored(*conn));
  return registry;
}

void RegisterCommands(CLI::App& app, Context& ctx, std::function<int()>& action) {
  auto o = std::make_shared<Options>();
  auto bind = [&action, &ctx, o](CLI::App* sub, int (*fn)(const Context&, const Options&)) {
    sub->callback([&action, &ctx, o, fn] { action = [&ctx, o, fn] { return fn(ctx, *o); }; });
  };

  auto* version = app.add_subcommand("version", Msg(ctx, "cmd.version"));
  version->callback([&action, &ctx] {
    action = [&ctx] {
      ctx.out << Fmt(ctx, "out.version", HOSHI_VERSION) << "\n";
      return kExitOk;
    };
  });

  auto* cat = app.add_subcommand("catalog", Msg(ctx, "cmd.catalog"));
  cat->require_subcommand(1);
  auto* list = cat->add_subcommand("list", Msg(ctx, "cmd.catalog.list"));
  list->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"text", "json"}));
  bind(list, CatalogList);
  auto* show = cat->add_subcommand("show", Msg(ctx, "cmd.catalog.show"));
  show->add_option("catalog", o->catalog, Msg(ctx, "opt.catalog"))->required();
  show->add_option("--level", o->level, Msg(ctx, "opt.level"));
  show->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"text", "json"}));
  bind(show, CatalogShow);
  auto* validate = cat->add_subcommand("validate", Msg(ctx, "cmd.catalog.validate"));
  validate->add_option("catalogs", o->keys, Msg(ctx, "opt.catalog"));
  bind(validate, CatalogValidate);
  auto* exp = cat->add_subcommand("export", Msg(ctx, "cmd.catalog.export"));
  exp->add_option("catalog", o->catalog, Msg(ctx, "opt.catalog"))->required();
  exp->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"json", "oscal"}));
  exp->add_option("-o,--output", o->output, Msg(ctx, "opt.output"));
  bind(exp, CatalogExport);
  RegisterImportIpa(cat, ctx, action);

  auto* as = app.add_subcommand("assess", Msg(ctx, "cmd.assess"));
  as->require_subcommand(1);
  auto* tmpl = as->add_subcommand("template", Msg(ctx, "cmd.assess.template"));
  tmpl->add_option("--catalog", o->catalog, Msg(ctx, "opt.catalog"))->required();
  tmpl->add_option("--level", o->level, Msg(ctx, "opt.level"))->required();
  tmpl->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"yaml", "json"}));
  tmpl->add_option("-o,--output", o->output, Msg(ctx, "opt.output"));
  bind(tmpl, AssessTemplate);
  auto* eval = as->add_subcommand("evaluate", Msg(ctx, "cmd.assess.evaluate"));
  eval->add_option("file", o->file, Msg(ctx, "opt.file"))->required();
  eval->add_option("--catalog", o->catalog, Msg(ctx, "opt.catalog"))->required();
  eval->add_option("--level", o->level, Msg(ctx, "opt.level"));
  eval->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"text", "json"}));
  eval->add_option("--today", o->today, Msg(ctx, "opt.today"));
  bind(eval, AssessEvaluate);
  auto* prep = as->add_subcommand("prepare", Msg(ctx, "cmd.assess.prepare"));
  prep->add_option("file", o->file, Msg(ctx, "opt.file"))->required();
  prep->add_option("--from", o->from, Msg(ctx, "opt.from"))->required();
  prep->add_option("--to", o->to, Msg(ctx, "opt.to"))->required();
  prep->add_option("--level", o->level, Msg(ctx, "opt.level"));
  prep->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"text", "json"}));
  prep->add_option("--today", o->today, Msg(ctx, "opt.today"));
  bind(prep, AssessPrepare);
  auto* save = as->add_subcommand("save", Msg(ctx, "cmd.assess.save"));
  save->add_option("file", o->file, Msg(ctx, "opt.file"))->required();
  save->add_option("--catalog", o->catalog, Msg(ctx, "opt.catalog"))->required();
  save->add_option("--level", o->level, Msg(ctx, "opt.level"));
  save->add_option("--org", o->organization, Msg(ctx, "opt.org"))->required();
  save->add_option("--today", o->today, Msg(ctx, "opt.today"));
  bind(save, AssessSave);
  auto* showa = as->add_subcommand("show", Msg(ctx, "cmd.assess.show"));
  showa->add_option("id", o->id, "ID")->required();
  showa->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"text", "json"}));
  showa->add_option("--today", o->today, Msg(ctx, "opt.today"));
  bind(showa, AssessShow);

  auto* admin = app.add_subcommand("admin", Msg(ctx, "cmd.admin"));
  admin->require_subcommand(1);
  auto* migrate = admin->add_subcommand("migrate", Msg(ctx, "cmd.admin.migrate"));
  migrate->callback([&action, &ctx] { action = [&ctx] { return AdminMigrate(ctx); }; });
  RegisterPlatformCommands(app, admin, ctx, action);
  RegisterSbomCommands(app, ctx, action);
  RegisterTelemetryCommands(app, ctx, action);
}

}  // namespace hoshi::cli
