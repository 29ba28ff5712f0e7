// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace hoshi {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hoshi-e2e-" + ToHex(RandomBytes(6)));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the binary with `args`, stdout/stderr captured in files, HOSHI_* unset unless given.
  RunResult Exec(std::vector<std::string> args, std::vector<std::string> env = {}) {
    const std::string out_path = (dir_ / "stdout").string();
    const std::string err_path = (dir_ / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    args.insert(args.begin(), HOSHI_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    env.push_back("HOSHI_DATA_DIR=" + (dir_ / "data").string());
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string_view(*e).starts_with("HOSHI_")) {
        continue;
      }
      env.emplace_back(*e);
    }
    std::vector<char*> envp;
    for (auto& e : env) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = 0;
    RunResult run;
    if (posix_spawn(&pid, HOSHI_BINARY, &actions, nullptr, argv.data(), envp.data()) == 0) {
      int status = 0;
      waitpid(pid, &status, 0);
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    posix_spawn_file_actions_destroy(&actions);
    run.out = ReadFile(out_path).value();
    run.err = ReadFile(err_path).value();
    return run;
  }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    EXPECT_TRUE(WriteFileAtomic(path, content).ok());
    return path;
  }

  fs::path dir_;
};

TEST_F(CliE2eTest, CatalogValidateReportsThePublishedCounts) {
  auto r = Exec({"catalog", "validate", "scs-2026-03-27"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("要求事項 26 件 / 評価基準 81 件"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("要求事項 43 件 / 評価基準 153 件"), std::string::npos) << r.out;
  auto en = Exec({"--lang", "en", "catalog", "validate", "scs-2026-03-27"});
  EXPECT_NE(en.out.find("26 requirements / 81 criteria"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("43 requirements / 153 criteria"), std::string::npos) << en.out;
}

TEST_F(CliE2eTest, BrokenAnswerFileExits65WithJapaneseErrorsNamingLines) {
  const std::string path = Write("broken.yaml", R"(catalog: scs-2026-03-27
level: 3
answers:
  "1-2-1-1": implemented
  "9-9-9-9": implemented
  "1-2-1-2":
    status: maybe
  "1-2-1-3":
    status: not_applicable
)");
  auto r = Exec({"assess", "evaluate", "--catalog", "scs-2026-03-27", "--level", "3", path});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find("broken.yaml の 5 行目: 評価基準「9-9-9-9」"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("の 7 行目: 回答「maybe」は使えません"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("の 8 行目: 評価基準「1-2-1-3」は「該当なし」ですが理由"), std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
  auto en = Exec(
      {"--lang", "en", "assess", "evaluate", "--catalog", "scs-2026-03-27", "--level", "3", path});
  EXPECT_EQ(en.exit_code, 65);
  EXPECT_NE(en.err.find("line 5: Criterion '9-9-9-9' does not exist"), std::string::npos) << en.err;
}

TEST_F(CliE2eTest, TemplateThenEvaluateGivesExitOneUntilEverythingIsImplemented) {
  auto t = Exec({"assess", "template", "--catalog", "scs-2026-03-27", "--level", "3", "-o",
                 (dir_ / "answers.yaml").string()});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  auto text = ReadFile((dir_ / "answers.yaml").string());
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("言い換え"), std::string::npos);
  auto r = Exec({"assess", "evaluate", "--catalog", "scs-2026-03-27", "--level", "3",
                 (dir_ / "answers.yaml").string(), "--today", "2026-11-22"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("満たしていません（不足 81 件）"), std::string::npos) << r.out;
  // Mark everything implemented (and checked recently) and the level is met.
  std::string all = *text;
  for (std::size_t pos = 0; (pos = all.find("status: unanswered", pos)) != std::string::npos;) {
    all.replace(pos, 18, "status: implemented");
  }
  for (std::size_t pos = 0; (pos = all.find("last_checked: \"\"", pos)) != std::string::npos;) {
    all.replace(pos, 16, "last_checked: \"2026-10-01\"");
  }
  const std::string done = Write("done.yaml", all);
  auto met = Exec({"assess", "evaluate", "--catalog", "scs-2026-03-27", "--level", "3", done,
                   "--today", "2026-11-22", "--format", "json"});
  EXPECT_EQ(met.exit_code, 0) << met.err;
  EXPECT_NE(met.out.find("\"level_met\": true"), std::string::npos);
}

TEST_F(CliE2eTest, UsageAndInputErrorsUseTheErrorTable) {
  EXPECT_EQ(Exec({"assess", "evaluate"}).exit_code, 64);
  EXPECT_EQ(Exec({"nosuchcommand"}).exit_code, 64);
  auto lang = Exec({"--lang", "fr", "catalog", "list"});
  EXPECT_EQ(lang.exit_code, 64);
  EXPECT_NE(lang.err.find("ja または en"), std::string::npos);
  auto missing = Exec({"assess", "evaluate", "--catalog", "scs-2026-03-27", "--level", "3",
                       (dir_ / "none.yaml").string()});
  EXPECT_EQ(missing.exit_code, 66);
  auto unknown = Exec({"assess", "template", "--catalog", "nope", "--level", "3"});
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_NE(unknown.err.find("カタログ「nope」はありません"), std::string::npos);
}

TEST_F(CliE2eTest, SaveAndShowOnSqliteAndPostgres) {
  const std::string path = Write("a.yaml", "level: 3\nanswers:\n  \"1-2-1-1\": implemented\n");
  std::vector<std::vector<std::string>> dbs{{}};       // default: SQLite under HOSHI_DATA_DIR
  const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe)
  if (dsn != nullptr && *dsn != '\0') {
    dbs.push_back({"--db", dsn});
  }
  for (const auto& db : dbs) {
    std::vector<std::string> save = db;
    for (const char* a : {"assess", "save", "--catalog", "scs-2026-03-27", "--org", "org-1"}) {
      save.emplace_back(a);
    }
    save.push_back(path);
    auto s = Exec(save);
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const std::string id = s.out.substr(s.out.rfind(' ') + 1, 36);
    std::vector<std::string> show = db;
    for (const char* a : {"assess", "show", "--format", "json"}) {
      show.emplace_back(a);
    }
    show.push_back(id);
    auto r = Exec(show);
    EXPECT_EQ(r.exit_code, 1) << r.err;  // one criterion of 81 implemented: not met
    EXPECT_NE(r.out.find("\"implemented\": 1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"state\": \"draft\""), std::string::npos);
    std::vector<std::string> missing = db;
    for (const char* a : {"assess", "show", "00000000-0000-7000-8000-000000000000"}) {
      missing.emplace_back(a);
    }
    EXPECT_EQ(Exec(missing).exit_code, 66);
  }
  EXPECT_TRUE(fs::exists(dir_ / "data" / "hoshitori.db"));
}

// A small self-contained world for `sbom scan`: two OSV records and one CycloneDX SBOM.
constexpr std::string_view kCriticalOsv = R"({"id":"TEST-2026-0001","aliases":["CVE-2099-1111"],
"summary":"critical test advisory","published":"2026-10-01T00:00:00Z","modified":"2026-10-01T00:00:00Z",
"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
"affected":[{"package":{"ecosystem":"PyPI","name":"Django"},
"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"4.0"},{"fixed":"4.2.8"}]}]}]})";
constexpr std::string_view kUnratedOsv =
    R"({"id":"TEST-2026-0002","modified":"2026-10-01T00:00:00Z",
"affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"},
"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.23.0"}]}]}]})";
constexpr std::string_view kBom = R"({"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
"components":[{"type":"library","bom-ref":"dj","name":"django","version":"4.2.0","purl":"pkg:pypi/django@4.2.0"},
{"type":"library","bom-ref":"net","name":"golang.org/x/net","version":"v0.17.0","purl":"pkg:golang/golang.org/x/net@v0.17.0"},
{"type":"library","bom-ref":"rq","name":"requests","version":"2.31.0","purl":"pkg:pypi/requests@2.31.0"}]})";

TEST_F(CliE2eTest, SbomScanFormatsThresholdsVexAndErrors) {
  fs::create_directories(dir_ / "adv");
  Write("adv/TEST-2026-0001.json", std::string(kCriticalOsv));
  Write("adv/TEST-2026-0002.json", std::string(kUnratedOsv));
  const std::string adv = (dir_ / "adv").string();
  const std::string bom = Write("bom.json", std::string(kBom));

  auto r = Exec({"sbom", "scan", bom, "--advisories", adv, "--progress", "never"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("重大度"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TEST-2026-0001"), std::string::npos);
  EXPECT_NE(r.out.find("introduced 4.0, fixed 4.2.8"), std::string::npos);
  EXPECT_NE(r.out.find("検出 2 件"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // no progress bar when not on a terminal
  r = Exec({"sbom", "scan", bom, "--advisories", adv, "--progress", "always"});
  EXPECT_NE(r.err.find("アドバイザリ ["), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("] 2 / 2"), std::string::npos) << r.err;

  EXPECT_EQ(Exec({"sbom", "scan", bom, "--advisories", adv, "--fail-on", "high"}).exit_code, 1);
  EXPECT_EQ(Exec({"sbom", "scan", bom, "--advisories", adv, "--fail-on", "critical"}).exit_code, 1);
  auto bad = Exec({"sbom", "scan", bom, "--advisories", adv, "--fail-on", "severe"});
  EXPECT_EQ(bad.exit_code, 64);
  EXPECT_NE(bad.err.find("--fail-on"), std::string::npos);

  const std::string sarif = (dir_ / "out.sarif").string();
  r = Exec(
      {"--lang", "en", "sbom", "scan", bom, "--advisories", adv, "--format", "sarif", "-o", sarif});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = ParseJson(ReadFile(sarif).value());
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["version"], "2.1.0");
  EXPECT_EQ((*doc)["runs"][0]["results"].size(), 2u);

  // Output to a device is written in place, never renamed over (the device stays a device).
  r = Exec({"sbom", "scan", bom, "--advisories", adv, "--format", "json", "-o", "/dev/null"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));

  // OpenVEX: django is not affected in this product → only the unrated finding is left.
  const std::string vex = Write("vex.json", R"({"@context":"https://openvex.dev/ns/v0.2.0",
"@id":"https://example.com/vex/2","author":"test","timestamp":"2026-11-22T00:00:00Z","version":1,
"statements":[{"vulnerability":{"name":"CVE-2099-1111"},"products":[{"@id":"pkg:pypi/django@4.2.0"}],
"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]})");
  r = Exec({"sbom", "scan", bom, "--advisories", adv, "--vex", vex, "--fail-on", "high", "--format",
            "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto json = ParseJson(r.out);
  ASSERT_TRUE(json.ok()) << r.out;
  EXPECT_EQ((*json)["summary"]["suppressed"], 1);
  EXPECT_EQ((*json)["summary"]["total"], 1);

  // Broken and missing inputs: clear errors naming the file, the exit code from the table.
  const std::string broken = Write("broken.json", std::string(kBom.substr(0, 120)));
  r = Exec({"sbom", "scan", broken, "--advisories", adv});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find("broken.json"), std::string::npos) << r.err;
  EXPECT_EQ(Exec({"sbom", "scan", (dir_ / "nope.json").string(), "--advisories", adv}).exit_code,
            66);
}

TEST_F(CliE2eTest, SbomImportAdvisoriesIsIncremental) {
  fs::create_directories(dir_ / "adv");
  Write("adv/a.json", std::string(kCriticalOsv));
  Write("adv/b.json", std::string(kUnratedOsv));
  auto r = Exec({"sbom", "import-advisories", (dir_ / "adv").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("新規 2 件、更新 0 件、変更なし 0 件"), std::string::npos) << r.out;
  r = Exec({"--lang", "en", "sbom", "import-advisories", (dir_ / "adv").string()});
  EXPECT_NE(r.out.find("0 new, 0 modified, 2 unchanged"), std::string::npos) << r.out;
  Write("adv/bad.json", "{\"id\": 1}");
  r = Exec({"sbom", "import-advisories", (dir_ / "adv").string()});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
}

TEST_F(CliE2eTest, SbomScanOfRealGoSbomFindsGoAdvisories) {
  const fs::path data = fs::path(HOSHI_SHARED_DIR) / "data";
  const fs::path bom = data / "sbom/cyclonedx/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json";
  if (!fs::exists(bom)) {
    GTEST_SKIP() << "shared data absent: " << bom;
  }
  auto r =
      Exec({"sbom", "scan", bom.string(), "--advisories", (data / "advisories/osv/go").string(),
            "--kev", (data / "advisories/kev/known_exploited_vulnerabilities.json").string(),
            "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = ParseJson(r.out);
  ASSERT_TRUE(json.ok());
  EXPECT_GT((*json)["advisories"].get<int>(), 4000);
  EXPECT_GT((*json)["findings"].size(), 10u);
  for (const auto& f : (*json)["findings"]) {
    EXPECT_EQ(f["ecosystem"], "Go");
  }
}

TEST_F(CliE2eTest, TelemetryAnalyzeMatchesIndicatorsAndCountsMalformedRecords) {
  const std::string log =
      Write("conn.log",
            "#separator \\x09\n"
            "#path\tconn\n"
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\n"
            "1700000000.000001\tC1\t10.1.0.5\t50000\t198.51.100.66\t443\ttcp\n"
            "1700000001.5\tC2\t10.1.0.6\t50001\tnot-an-ip\t443\ttcp\n"
            "1700000002.25\tC3\t10.1.0.7\t50002\t192.0.2.1\t80\ttcp\n");
  const std::string list = Write("feed.txt", "# test feed\n198.51.100.0/24\t5\n");
  auto r = Exec({"telemetry", "analyze", log, "--indicators", list, "--format", "json",
                 "--progress", "never"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = ParseJson(r.out);
  ASSERT_TRUE(json.ok()) << r.out;
  EXPECT_EQ((*json)["stats"]["events"], 2);
  EXPECT_EQ((*json)["stats"]["malformed"]["bad_ip"], 1);
  EXPECT_EQ((*json)["indicators"], 1);
  ASSERT_EQ((*json)["detections"].size(), 1u);
  EXPECT_EQ((*json)["detections"][0]["kind"], "indicator_hit");
  EXPECT_EQ((*json)["detections"][0]["dst"], "198.51.100.66");
  EXPECT_NE(r.err.find("追加 1 件"), std::string::npos) << r.err;

  r = Exec({"--lang", "en", "telemetry", "analyze", log});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Detections: 0. Records: 3 (2 events, 0 skipped, 1 malformed)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Exec({"telemetry", "analyze", (dir_ / "missing").string()}).exit_code, 66);
}

}  // namespace
}  // namespace hoshi
