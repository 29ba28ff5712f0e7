// SPDX-License-Identifier: Apache-2.0
// Scale-out telemetry end to end (issue #6): `hoshitori telemetry publish` cuts logs into batches
// and publishes them to a real nats-server (JetStream) on loopback; `hoshitori worker` processes
// consume them into a SQLite platform database. The acceptance criterion: killing a worker
// mid-stream loses no event and counts none twice.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/defense/logs.h"
#include "hoshi/defense/telemetry_worker.h"
#include "hoshi/storage/database.h"
#include "hoshi/stream/jetstream.h"
#include "hoshi/stream/stream.h"

#include "nats_server.h"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace hoshi {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

constexpr std::string_view kConnHeader =
    "#separator \\x09\n"
    "#set_separator\t,\n"
    "#empty_field\t(empty)\n"
    "#unset_field\t-\n"
    "#path\tconn\n"
    "#open\t2024-04-01-00-00-00\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
    "orig_bytes\tresp_bytes\tconn_state\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
    "tunnel_parents\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\t"
    "count\tcount\tcount\tcount\tset[string]\n";

/// A Zeek conn log of `rows` records (each one event), seeded so that files differ.
std::string ConnLog(std::size_t rows, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string text(kConnHeader);
  for (std::size_t i = 0; i < rows; ++i) {
    text += fmt::format(
        "{}.{:06}\tC{:x}\t10.1.{}.{}\t{}\t198.18.{}.{}\t{}\ttcp\t-\t{}.{:06}\t{}\t{}\tSF\t{}\t{}\t{"
        "}\t{}\t"
        "(empty)\n",
        1711929600 + i * 3, rng() % 1000000, rng(), rng() % 4, rng() % 250 + 1,
        1024 + rng() % 60000, rng() % 200, rng() % 250 + 1, rng() % 2 == 0 ? 443 : 80, rng() % 30,
        rng() % 1000000, rng() % 5000, rng() % 50000, rng() % 40, rng() % 8000, rng() % 40,
        rng() % 60000);
  }
  text += "#close\t2024-04-01-09-00-00\n";
  return text;
}

std::string Gzip(std::string_view text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class TelemetryStreamE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hoshi-stream-e2e-" + ToHex(RandomBytes(6)));
    fs::create_directories(dir_);
    db_url_ = "sqlite:" + (dir_ / "platform.db").string();
  }

  void TearDown() override {
    for (const pid_t pid : children_) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // argv for the binary: --db first (a global flag), then `args`.
  std::vector<std::string> Argv(std::vector<std::string> args) const {
    args.insert(args.begin(), {HOSHI_BINARY, "--db", db_url_});
    return args;
  }

  // Starts the binary with stdout/stderr to files named after `tag`; HOSHI_* unset.
  pid_t Spawn(const std::vector<std::string>& args, const std::string& tag) {
    const std::string out_path = (dir_ / (tag + ".out")).string();
    const std::string err_path = (dir_ / (tag + ".err")).string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<std::string> argv_text = Argv(args);
    std::vector<char*> argv;
    argv.reserve(argv_text.size() + 1);
    for (auto& a : argv_text) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env{"HOSHI_DATA_DIR=" + (dir_ / "data").string()};
    for (char** e = environ; *e != nullptr; ++e) {
      if (!std::string_view(*e).starts_with("HOSHI_")) {
        env.emplace_back(*e);
      }
    }
    std::vector<char*> envp;
    envp.reserve(env.size() + 1);
    for (auto& e : env) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, HOSHI_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) {
      pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    if (pid > 0) {
      children_.push_back(pid);
    }
    return pid;
  }

  // Waits up to `timeout` for the child; its exit code (128 + signal when killed), or nullopt.
  std::optional<int> Wait(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      int status = 0;
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        std::erase(children_, pid);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(10ms);
    }
  }

  RunResult Output(const std::string& tag) const {
    RunResult r;
    auto out = ReadFile((dir_ / (tag + ".out")).string());
    auto err = ReadFile((dir_ / (tag + ".err")).string());
    r.out = out.ok() ? *out : "";
    r.err = err.ok() ? *err : "";
    return r;
  }

  RunResult Exec(const std::vector<std::string>& args) {
    const std::string tag = "run" + std::to_string(runs_++);
    const pid_t pid = Spawn(args, tag);
    RunResult r = Output(tag);
    if (pid <= 0) {
      return r;
    }
    const std::optional<int> code = Wait(pid, 60s);
    r = Output(tag);
    r.exit_code = code.value_or(-1);
    return r;
  }

  std::unique_ptr<storage::Connection> Db() {
    auto conn = storage::Open(db_url_);
    EXPECT_TRUE(conn.ok()) << conn.error().detail();
    return conn.ok() ? std::move(conn).value() : nullptr;
  }

  std::int64_t QueryInt(storage::Connection& db, std::string_view sql,
                        const std::vector<storage::Value>& params = {}) {
    auto r = db.Query(sql, params);
    EXPECT_TRUE(r.ok()) << (r ? "" : r.error().detail());
    if (!r.ok() || r->rows.empty() || r->rows[0].IsNull(0)) {
      return 0;
    }
    auto value = r->rows[0].GetInt(0);
    return value.ok() ? *value : 0;
  }

  void CreateOrganizations(const std::vector<std::string>& ids) {
    auto db = Db();
    ASSERT_NE(db, nullptr);
    int n = 0;
    for (const std::string& id : ids) {
      const std::vector<storage::Value> row{id, fmt::format("90100019999{:02}", n++),
                                            "テスト組織 " + id,
                                            std::string("2026-01-01T00:00:00Z")};
      auto r = db->Query(
          "INSERT INTO organizations (id, corporate_number, name, created_at) VALUES (?, ?, ?, ?)",
          row);
      ASSERT_TRUE(r.ok()) << r.error().detail();
    }
  }

  std::string Write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    EXPECT_TRUE(WriteFileAtomic(path.string(), content).ok());
    return path.string();
  }

  // Events in the files, as ParseLog counts them.
  static std::size_t EventsIn(const std::vector<std::string>& paths) {
    std::vector<fs::path> list(paths.begin(), paths.end());
    auto stats = defense::ParseLogPaths(list, {}, [](const defense::Event&) {});
    EXPECT_TRUE(stats.ok());
    EXPECT_TRUE(stats.ok() && stats->malformed.empty());
    return stats.ok() ? stats->events : 0;
  }

  fs::path dir_;
  std::string db_url_;
  std::vector<pid_t> children_;
  int runs_ = 0;
};

TEST_F(TelemetryStreamE2eTest, KillingAWorkerMidStreamLosesNothingAndCountsNothingTwice) {
  testing::NatsServer nats;
  ASSERT_TRUE(nats.Start());
  const std::string url = nats.url();
  const RunResult migrate = Exec({"admin", "migrate"});
  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  const std::vector<std::string> orgs{"org-a", "org-b", "org-c"};
  ASSERT_NO_FATAL_FAILURE(CreateOrganizations(orgs));

  // Each organisation's telemetry: plain files, a gzip file, a folder (with a file that is not a
  // log, which the folder walk skips).
  std::map<std::string, std::vector<std::string>> inputs;
  inputs["org-a"] = {Write(dir_ / "a" / "conn.log", ConnLog(1400, 1)),
                     Write(dir_ / "a" / "conn2.log", ConnLog(900, 2))};
  inputs["org-b"] = {Write(dir_ / "b" / "conn.log.gz", Gzip(ConnLog(1800, 3)))};
  Write(dir_ / "c" / "sensor1" / "conn.log", ConnLog(1000, 4));
  Write(dir_ / "c" / "sensor2" / "conn.log", ConnLog(700, 5));
  Write(dir_ / "c" / "README.txt", "not a log\n");
  inputs["org-c"] = {(dir_ / "c").string()};

  std::map<std::string, std::int64_t> expected_events;
  std::int64_t published = 0;
  for (const std::string& org : orgs) {
    expected_events[org] = static_cast<std::int64_t>(EventsIn(inputs[org]));
    std::vector<std::string> args{"telemetry", "publish"};
    args.insert(args.end(), inputs[org].begin(), inputs[org].end());
    for (const char* a : {"--org", org.c_str(), "--nats", url.c_str(), "--batch-bytes", "2048",
                          "--source", "e2e", "--format", "json", "--progress", "never"}) {
      args.emplace_back(a);
    }
    const RunResult r = Exec(args);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const Json summary = Json::parse(r.out, nullptr, false);
    ASSERT_TRUE(summary.is_object()) << r.out;
    EXPECT_EQ(summary["organization_id"], org);
    EXPECT_TRUE(summary["failed"].empty()) << r.out;
    published += summary["batches"].get<std::int64_t>();
  }
  EXPECT_EQ(expected_events["org-a"], 2300);
  EXPECT_EQ(expected_events["org-b"], 1800);
  EXPECT_EQ(expected_events["org-c"], 1700);
  ASSERT_GE(published, 100) << "enough batches for a worker to be mid-stream when killed";

  // Publishing the same files again stores nothing new: the ids are the same.
  {
    std::vector<std::string> args{"telemetry", "publish"};
    args.insert(args.end(), inputs["org-a"].begin(), inputs["org-a"].end());
    for (const char* a : {"--org", "org-a", "--nats", url.c_str(), "--batch-bytes", "2048",
                          "--source", "e2e", "--progress", "never"}) {
      args.emplace_back(a);
    }
    const RunResult again = Exec(args);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("件のバッチ"), std::string::npos) << again.out;
    stream::JetStreamOptions options;
    options.url = url;
    auto js = stream::JetStream::Connect(options);
    ASSERT_TRUE(js.ok()) << js.error().ToString(Lang::kEn);
    std::uint64_t stored = 0;
    for (std::uint32_t p = 0; p < (*js)->partitions(); ++p) {
      auto backlog = (*js)->Backlog(p);
      ASSERT_TRUE(backlog.ok()) << backlog.error().ToString(Lang::kEn);
      stored += backlog->pending + backlog->ack_pending;
    }
    EXPECT_EQ(stored, static_cast<std::uint64_t>(published)) << "the re-run added nothing";
  }

  auto db = Db();
  ASSERT_NE(db, nullptr);
  const std::vector<std::string> worker_args{"worker", "--nats",   url,   "--ack-wait-s",
                                             "2",      "--format", "json"};

  // The first worker is killed once it has recorded some, but not all, batches.
  const pid_t first = Spawn(worker_args, "worker1");
  ASSERT_GT(first, 0);
  std::int64_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (seen < 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    seen = QueryInt(*db, "SELECT COUNT(*) FROM telemetry_batches");
    ASSERT_FALSE(Wait(first, 0ms).has_value())
        << "worker 1 exited early: " << Output("worker1").err;
  }
  ASSERT_GE(seen, 10) << "worker 1 recorded nothing within 60 s: " << Output("worker1").err;
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  ASSERT_EQ(Wait(first, 10s), 128 + SIGKILL);
  const std::int64_t by_first = QueryInt(*db, "SELECT COUNT(*) FROM telemetry_batches");
  const std::int64_t events_by_first = QueryInt(*db, "SELECT SUM(events) FROM telemetry_batches");
  ASSERT_LT(by_first, published) << "worker 1 finished before it could be killed mid-stream";
  EXPECT_TRUE(Output("worker1").out.empty()) << "killed: no counters printed";

  // A second worker takes over the same durable consumers, including what worker 1 had fetched
  // but not acknowledged (redelivered after the 2 s ack wait).
  const pid_t second = Spawn(worker_args, "worker2");
  ASSERT_GT(second, 0);
  std::int64_t recorded = by_first;
  const auto done_by = std::chrono::steady_clock::now() + 90s;
  while (recorded < published && std::chrono::steady_clock::now() < done_by) {
    std::this_thread::sleep_for(100ms);
    recorded = QueryInt(*db, "SELECT COUNT(*) FROM telemetry_batches");
    ASSERT_FALSE(Wait(second, 0ms).has_value()) << "worker 2 exited: " << Output("worker2").err;
  }
  ASSERT_EQ(recorded, published) << "not every batch was recorded within 90 s; worker 2 log:\n"
                                 << Output("worker2").err;

  // Publishing again while the worker runs changes nothing either.
  {
    std::vector<std::string> args{"telemetry", "publish"};
    args.insert(args.end(), inputs["org-b"].begin(), inputs["org-b"].end());
    for (const char* a : {"--org", "org-b", "--nats", url.c_str(), "--batch-bytes", "2048",
                          "--source", "e2e", "--progress", "never"}) {
      args.emplace_back(a);
    }
    const RunResult again = Exec(args);
    ASSERT_EQ(again.exit_code, 0) << again.err;
  }
  // Past JetStream's duplicate window a re-sent batch is stored and delivered again; the worker
  // recognises its id and records nothing. (The window is shortened to 1 s to get there.)
  {
    auto db_row = db->Query("SELECT id, organization_id FROM telemetry_batches LIMIT 1");
    ASSERT_TRUE(db_row.ok() && db_row->rows.size() == 1);
    stream::JetStreamOptions options;
    options.url = url;
    options.duplicate_window = 1s;
    auto js = stream::JetStream::Connect(options);
    ASSERT_TRUE(js.ok()) << js.error().ToString(Lang::kEn);
    std::this_thread::sleep_for(1500ms);
    stream::Message again;
    again.id = db_row->rows[0].GetText(0).value();
    again.organization_id = db_row->rows[0].GetText(1).value();
    again.kind = std::string(defense::kTelemetryBatchKind);
    again.payload =
        defense::EncodeBatchEnvelope({"e2e", "conn.log", "2026-01-01T00:00:00Z", ConnLog(3, 99)});
    ASSERT_TRUE((*js)->Publish(again).ok());
    // Wait until the stream is drained (the running worker took it).
    const auto drained_by = std::chrono::steady_clock::now() + 20s;
    std::uint64_t backlog_total = 1;
    while (backlog_total > 0 && std::chrono::steady_clock::now() < drained_by) {
      std::this_thread::sleep_for(200ms);
      backlog_total = 0;
      for (std::uint32_t p = 0; p < (*js)->partitions(); ++p) {
        auto backlog = (*js)->Backlog(p);
        ASSERT_TRUE(backlog.ok()) << backlog.error().ToString(Lang::kEn);
        backlog_total += backlog->pending + backlog->ack_pending;
      }
    }
    ASSERT_EQ(backlog_total, 0U) << "the stream was not drained within 20 s";
  }

  ASSERT_EQ(::kill(second, SIGTERM), 0);
  const std::optional<int> second_exit = Wait(second, 20s);
  ASSERT_TRUE(second_exit.has_value()) << "worker 2 did not stop on SIGTERM";
  EXPECT_EQ(*second_exit, 0) << Output("worker2").err;
  const RunResult w2 = Output("worker2");
  const Json counters = Json::parse(w2.out, nullptr, false);
  ASSERT_TRUE(counters.is_object()) << w2.out << w2.err;

  // Nothing lost, nothing twice.
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM telemetry_batches"), published);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(DISTINCT id) FROM telemetry_batches"), published);
  std::int64_t all_events = 0;
  for (const std::string& org : orgs) {
    const std::vector<storage::Value> who{org};
    EXPECT_EQ(
        QueryInt(*db, "SELECT SUM(events) FROM telemetry_batches WHERE organization_id = ?", who),
        expected_events[org])
        << org;
    EXPECT_EQ(
        QueryInt(*db, "SELECT SUM(malformed) FROM telemetry_batches WHERE organization_id = ?",
                 who),
        0)
        << org;
    all_events += expected_events[org];
  }
  EXPECT_EQ(counters["processed"].get<std::int64_t>() + by_first, published) << w2.out;
  EXPECT_EQ(counters["events"].get<std::int64_t>() + events_by_first, all_events) << w2.out;
  EXPECT_GE(counters["duplicates"].get<std::int64_t>(), 1) << "at least the re-sent batch";
  EXPECT_EQ(counters["dropped"].get<std::int64_t>(), 0) << w2.err;
  RecordProperty("batches", std::to_string(published));
  RecordProperty("recorded_by_killed_worker", std::to_string(by_first));
  RecordProperty("duplicates_seen_by_second_worker",
                 std::to_string(counters["duplicates"].get<std::int64_t>()));
}

TEST_F(TelemetryStreamE2eTest, PublishWithoutAServerFailsWithAJapaneseMessageAndNoCredentials) {
  const std::string log = Write(dir_ / "conn.log", ConnLog(10, 9));
  const int port = testing::PickFreePort();
  ASSERT_GT(port, 0);
  const std::string url = fmt::format("nats://hoshi:s3cret@127.0.0.1:{}", port);
  const RunResult r = Exec({"telemetry", "publish", log, "--org", "org-a", "--nats", url});
  EXPECT_EQ(r.exit_code, 69) << r.out << r.err;
  EXPECT_NE(r.err.find(fmt::format("NATS サーバー（nats://127.0.0.1:{}）に接続できません", port)),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << "no credentials in messages";
  const RunResult en =
      Exec({"--lang", "en", "telemetry", "publish", log, "--org", "org-a", "--nats", url});
  EXPECT_EQ(en.exit_code, 69);
  EXPECT_NE(en.err.find("Cannot connect to the NATS server"), std::string::npos) << en.err;
}

TEST_F(TelemetryStreamE2eTest, PublishRejectsBadArgumentsBeforeConnecting) {
  const std::string log = Write(dir_ / "conn.log", ConnLog(10, 9));
  const RunResult bad_org =
      Exec({"telemetry", "publish", log, "--org", "org a!", "--nats", "nats://127.0.0.1:1"});
  EXPECT_EQ(bad_org.exit_code, 64);
  EXPECT_NE(bad_org.err.find("組織 ID「org a!」が正しくありません"), std::string::npos)
      << bad_org.err;
  const RunResult missing = Exec({"telemetry", "publish", (dir_ / "none.log").string(), "--org",
                                  "org-a", "--nats", "nats://127.0.0.1:1"});
  EXPECT_EQ(missing.exit_code, 66) << missing.err;
  const RunResult partitions =
      Exec({"worker", "--nats", "nats://127.0.0.1:1", "--partitions", "0,9"});
  EXPECT_EQ(partitions.exit_code, 64) << partitions.err;
  EXPECT_NE(partitions.err.find("0〜7"), std::string::npos) << partitions.err;
}

}  // namespace
}  // namespace hoshi
