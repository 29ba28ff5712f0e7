// SPDX-License-Identifier: Apache-2.0
// sbom scan (offline: SBOM files against OSV folders) and sbom import-advisories (the fleet in
// the platform database: new or modified advisories re-match only the affected components).
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hoshi/core/file.h"
#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/sbom/advisory.h"
#include "hoshi/sbom/fleet.h"
#include "hoshi/sbom/matcher.h"
#include "hoshi/sbom/report.h"

#include "commands.h"
#include "progress.h"

namespace hoshi::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxAdvisoryBytes = std::size_t{16} << 20;

struct SbomOptions {
  std::vector<std::string> files;
  std::vector<std::string> advisories;
  std::string kev;
  std::vector<std::string> vex;
  std::string format = "table";
  std::string fail_on;
  std::string output;
  std::string progress = "auto";
};

/// Files named on the command line; folders are searched (recursively, sorted) for `.json`.
Result<std::vector<fs::path>> ExpandInputs(const std::vector<std::string>& inputs,
                                           std::initializer_list<std::string_view> extensions) {
  std::vector<fs::path> out;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      out.emplace_back(input);
      continue;
    }
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(input, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if (it->is_regular_file(ec) &&
          std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
        found.push_back(it->path());
      }
    }
    if (ec) {
      return MakeError(ErrorCode::kIoError, CliMessages(), "err.read_dir", input)
          .WithDetail(ec.message());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

/// Prints how many advisory records could not be loaded, and the first few reasons.
void WarnAdvisoryFailures(const Context& ctx, const sbom::AdvisoryLoadReport& report) {
  if (report.failed == 0) {
    return;
  }
  ctx.err << Fmt(ctx, "out.advisories_failed", FormatNumber(static_cast<long long>(report.failed)))
          << "\n";
  for (std::size_t i = 0; i < report.errors.size() && i < 5; ++i) {
    ctx.err << "  " << report.errors[i].ToString(ctx.lang) << "\n";
  }
}

Result<sbom::AdvisoryDb> LoadAdvisories(const Context& ctx, const SbomOptions& o,
                                        ProgressBar& bar) {
  sbom::AdvisoryDb db;
  for (const auto& dir : o.advisories) {
    HOSHI_ASSIGN_OR_RETURN(
        auto report, sbom::LoadAdvisoryDirectory(dir, db, [&](std::size_t done, std::size_t total) {
          bar.Update(Msg(ctx, "out.progress_advisories"), done, total);
        }));
    bar.Finish();
    WarnAdvisoryFailures(ctx, report);
  }
  if (!o.kev.empty()) {
    HOSHI_ASSIGN_OR_RETURN(auto kev, sbom::ReadKevFile(o.kev));
    db.SetKev(std::move(kev));
  }
  return db;
}

Result<std::vector<sbom::VexStatement>> LoadVex(const SbomOptions& o) {
  std::vector<sbom::VexStatement> out;
  for (const auto& file : o.vex) {
    HOSHI_ASSIGN_OR_RETURN(auto statements, sbom::ReadVexFile(file));
    out.insert(out.end(), statements.begin(), statements.end());
  }
  return out;
}

Status WriteOutput(const Context& ctx, const SbomOptions& o, const std::string& text) {
  if (o.output.empty() || o.output == "-") {
    ctx.out << text;
    return Status::Ok();
  }
  // Regular files are replaced atomically; anything else (/dev/null, a FIFO) is written in
  // place — renaming over it would replace the device with a file.
  std::error_code ec;
  const auto status = fs::status(o.output, ec);
  if (!ec && fs::exists(status) && !fs::is_regular_file(status)) {
    std::ofstream out(o.output, std::ios::binary);
    out << text;
    if (!out) {
      return MakeError(ErrorCode::kIoError, CliMessages(), "err.write_output", o.output);
    }
    return Status::Ok();
  }
  return WriteFileAtomic(o.output, text);
}

std::string Render(const Context& ctx, const SbomOptions& o, const sbom::ScanReport& report) {
  if (o.format == "json") {
    return DumpJson(sbom::ReportToJson(report)) + "\n";
  }
  if (o.format == "sarif") {
    return DumpJson(sbom::ReportToSarif(report)) + "\n";
  }
  if (o.format == "cyclonedx") {
    return DumpJson(sbom::ReportToCycloneDxVdr(report)) + "\n";
  }
  return sbom::ReportToTable(report, ctx.lang);
}

int SbomScan(const Context& ctx, const SbomOptions& o) {
  if (!o.fail_on.empty()) {
    if (auto check = sbom::ReachesThreshold(sbom::Finding{}, o.fail_on); !check.ok()) {
      return Report(ctx, check.error());
    }
  }
  ProgressBar bar(ctx.err, o.progress);
  auto db = LoadAdvisories(ctx, o, bar);
  if (!db.ok()) {
    return Report(ctx, db.error());
  }
  auto vex = LoadVex(o);
  if (!vex.ok()) {
    return Report(ctx, vex.error());
  }
  auto files = ExpandInputs(o.files, {".json"});
  if (!files.ok()) {
    return Report(ctx, files.error());
  }
  sbom::ScanReport report;
  report.tool_version = HOSHI_VERSION;
  report.generated_at = FormatTimestamp(ctx.clock.Now());
  report.serial = "urn:uuid:" + NewId(ctx.clock);
  report.advisories = db->size();
  int exit_code = kExitOk;
  const sbom::MatchOptions options{false, *vex};
  for (std::size_t i = 0; i < files->size(); ++i) {
    bar.Update(Msg(ctx, "out.progress_sboms"), i, files->size());
    const fs::path& path = (*files)[i];
    auto doc = sbom::ReadSbomFile(path);
    if (!doc.ok()) {
      bar.Finish();
      Error e = doc.error();
      if (!e.location()) {
        e.WithLocation(SourceLocation{path.string(), 0, 0});
      }
      const int code = Report(ctx, e);
      exit_code = exit_code == kExitOk ? code : exit_code;
      continue;
    }
    const std::size_t index = report.documents.size();
    report.documents.push_back({path.string(), std::string(sbom::FormatName(doc->format)),
                                doc->spec_version, doc->name, doc->version, doc->components.size(),
                                doc->invalid_purls});
    for (auto& f : sbom::MatchDocument(*doc, *db, options)) {
      report.findings.push_back({index, std::move(f)});
    }
  }
  bar.Finish();
  if (auto written = WriteOutput(ctx, o, Render(ctx, o, report)); !written.ok()) {
    return Report(ctx, written.error());
  }
  if (exit_code != kExitOk) {
    return exit_code;
  }
  if (!o.fail_on.empty()) {
    for (const auto& item : report.findings) {
      if (sbom::ReachesThreshold(item.finding, o.fail_on).value()) {
        return kExitNotMet;
      }
    }
  }
  return kExitOk;
}

/// Reads and parses one OSV file for the fleet import (record text kept for reloading).
Result<std::pair<sbom::Advisory, std::string>> ReadRecord(const fs::path& path) {
  HOSHI_ASSIGN_OR_RETURN(std::string text, ReadFile(path.string(), kMaxAdvisoryBytes));
  const bool yaml = path.extension() != ".json";
  auto advisory =
      yaml ? sbom::ParseOsvYaml(text, path.string()) : sbom::ParseOsvJson(text, path.string());
  if (!advisory.ok()) {
    return std::move(advisory).error();
  }
  return std::make_pair(std::move(*advisory), std::move(text));
}

int SbomImportAdvisories(const Context& ctx, const SbomOptions& o) {
  auto conn = OpenDatabase(ctx);
  if (!conn.ok()) {
    return Report(ctx, conn.error());
  }
  sbom::FleetStore store(**conn, ctx.clock);
  sbom::AdvisoryDb db;
  if (auto loaded = store.LoadAdvisories(db); !loaded.ok()) {
    return Report(ctx, loaded.error());
  }
  if (!o.kev.empty()) {
    auto kev = sbom::ReadKevFile(o.kev);
    if (!kev.ok()) {
      return Report(ctx, kev.error());
    }
    if (auto st = store.ImportKev(*kev, db); !st.ok()) {
      return Report(ctx, st.error());
    }
  }
  auto files = ExpandInputs(o.advisories, {".json", ".yaml", ".yml"});
  if (!files.ok()) {
    return Report(ctx, files.error());
  }
  ProgressBar bar(ctx.err, o.progress);
  std::array<std::size_t, 3> by_change{};  // new, modified, unchanged
  std::size_t failed = 0;
  std::size_t new_findings = 0;
  std::size_t resolved = 0;
  for (std::size_t i = 0; i < files->size(); ++i) {
    bar.Update(Msg(ctx, "out.progress_advisories"), i, files->size());
    auto record = ReadRecord((*files)[i]);
    if (!record.ok()) {
      bar.Finish();
      ++failed;
      static_cast<void>(Report(ctx, record.error()));
      continue;
    }
    const std::string format = (*files)[i].extension() == ".json" ? "json" : "yaml";
    auto result = store.ImportAdvisory(std::move(record->first), record->second, format, db);
    if (!result.ok()) {
      bar.Finish();
      return Report(ctx, result.error());
    }
    ++by_change.at(static_cast<std::size_t>(result->change));
    new_findings += result->new_findings;
    resolved += result->resolved_findings;
  }
  bar.Finish();
  const auto n = [](std::size_t v) { return FormatNumber(static_cast<long long>(v)); };
  ctx.out << Fmt(ctx, "out.advisories_imported", n(by_change[0]), n(by_change[1]), n(by_change[2]),
                 n(failed), n(new_findings), n(resolved))
          << "\n";
  return failed == 0 ? kExitOk : ExitCode(ErrorCode::kDataError);
}

}  // namespace

void RegisterSbomCommands(CLI::App& app, Context& ctx, std::function<int()>& action) {
  auto o = std::make_shared<SbomOptions>();
  auto* sbom = app.add_subcommand("sbom", Msg(ctx, "cmd.sbom"));
  sbom->require_subcommand(1);
  const auto progress = [&ctx, o](CLI::App* sub) {
    sub->add_option("--progress", o->progress, Msg(ctx, "opt.progress"))
        ->check(CLI::IsMember({"auto", "always", "never"}));
  };

  auto* scan = sbom->add_subcommand("scan", Msg(ctx, "cmd.sbom.scan"));
  scan->add_option("files", o->files, Msg(ctx, "opt.sbom_files"))->required();
  scan->add_option("--advisories", o->advisories, Msg(ctx, "opt.advisories"))->required();
  scan->add_option("--kev", o->kev, Msg(ctx, "opt.kev"));
  scan->add_option("--vex", o->vex, Msg(ctx, "opt.vex"));
  scan->add_option("--format", o->format, Msg(ctx, "opt.format"))
      ->check(CLI::IsMember({"table", "json", "sarif", "cyclonedx"}));
  scan->add_option("--fail-on", o->fail_on, Msg(ctx, "opt.fail_on"));
  scan->add_option("-o,--output", o->output, Msg(ctx, "opt.output"));
  progress(scan);
  scan->callback([&action, &ctx, o] { action = [&ctx, o] { return SbomScan(ctx, *o); }; });

  auto* import = sbom->add_subcommand("import-advisories", Msg(ctx, "cmd.sbom.import"));
  import->add_option("paths", o->advisories, Msg(ctx, "opt.advisories"))->required();
  import->add_option("--kev", o->kev, Msg(ctx, "opt.kev"));
  progress(import);
  import->callback(
      [&action, &ctx, o] { action = [&ctx, o] { return SbomImportAdvisories(ctx, *o);
};
}  // namespace hoshi::cli
);
}

}  // namespace hoshi::cli
