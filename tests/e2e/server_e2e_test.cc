// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of the platform server: the real `hoshitori` binary is started with
// `serve --listen 127.0.0.1:0` and driven over HTTP with hoshi::http::Client, on SQLite (the
// default file under the data dir) and on PostgreSQL (a fresh database per test when
// HOSHI_TEST_PG_DSN is set). Credentials are checked with `hoshitori verify`, the audit chain with
// `admin verify-audit`.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"
#include "hoshi/http/client.h"
#include "hoshi/storage/database.h"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace hoshi {
namespace {

namespace fs = std::filesystem;
using http::ClientResponse;
using http::Header;

constexpr std::string_view kPassword = "e2e-Passw0rd-2026!";
constexpr std::string_view kOperatorEmail = "op@example.jp";
constexpr auto kStartTimeout = std::chrono::seconds(120);
constexpr auto kStopTimeout = std::chrono::seconds(60);

// ---- small helpers ------------------------------------------------------------------------------

/// A 法人番号 from 12 base digits: the check digit (first digit) is 9 - (Σ P_n × Q_n mod 9), P_n
/// the n-th base digit from the right, Q_n 1 for odd n and 2 for even n.
std::string CorporateNumber(std::string_view twelve) {
  int sum = 0;
  for (std::size_t n = 1; n <= twelve.size(); ++n) {
    const int digit = twelve[twelve.size() - n] - '0';
    sum += digit * (n % 2 == 1 ? 1 : 2);
  }
  return std::string(1, static_cast<char>('0' + 9 - sum % 9)) + std::string(twelve);
}

/// The same number with a wrong check digit.
std::string WrongCheckDigit(const std::string& valid) {
  std::string bad = valid;
  bad[0] = bad[0] == '9' ? '1' : static_cast<char>(bad[0] + 1);
  return bad;
}

std::string Snippet(std::string_view body) {
  return std::string(body.substr(0, 3000));
}

/// True when `text` holds kana or kanji (UTF-8 lead bytes 0xE3..0xE9: U+3000..U+9FFF).
bool HasJapanese(std::string_view text) {
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0xE3 && b <= 0xE9) {
      return true;
    }
  }
  return false;
}

Json BodyJson(const ClientResponse& r) {
  auto parsed = ParseJson(r.body);
  return parsed.ok() ? std::move(parsed).value() : Json();
}

/// A file's content, "" when it cannot be read.
std::string ReadText(const std::string& path, std::uint64_t max_bytes = kDefaultMaxFileBytes) {
  auto text = ReadFile(path, max_bytes);
  return text.ok() ? std::move(text).value() : std::string();
}

Date Today() {
  return Date::FromTimePoint(SystemClock::Instance().Now());
}

/// Calls `call` (an expression giving a ClientResponse), asserts its status and parses its body
/// (null when it is not JSON) into `var`.
#define HOSHI_E2E_CALL(var, want_status, call)                                     \
  const ClientResponse var##_response = (call);                                    \
  ASSERT_EQ(var##_response.status, (want_status)) << #call << "\n"                 \
                                                  << Snippet(var##_response.body); \
  [[maybe_unused]] const Json var = BodyJson(var##_response)

/// Checks the platform's error body {"error":{"code","reason","message","request_id"}}: status,
/// stable code, reason (when given), the request id echoed in X-Request-Id, and the language of
/// the message.
void ExpectApiError(const ClientResponse& r, int status, std::string_view code,
                    std::string_view reason = "", Lang lang = Lang::kJa) {
  EXPECT_EQ(r.status, status) << Snippet(r.body);
  const Json j = BodyJson(r);
  ASSERT_TRUE(j.is_object() && j.contains("error") && j["error"].is_object()) << Snippet(r.body);
  const Json& e = j["error"];
  EXPECT_EQ(e.value("code", ""), code) << Snippet(r.body);
  if (!reason.empty()) {
    EXPECT_EQ(e.value("reason", ""), reason) << Snippet(r.body);
  }
  const std::string message = e.value("message", "");
  EXPECT_FALSE(message.empty()) << Snippet(r.body);
  if (lang == Lang::kJa) {
    EXPECT_TRUE(HasJapanese(message)) << "expected a Japanese message: " << message;
  } else {
    EXPECT_FALSE(HasJapanese(message)) << "expected an English message: " << message;
  }
  const std::string request_id = e.value("request_id", "");
  EXPECT_FALSE(request_id.empty()) << Snippet(r.body);
  EXPECT_EQ(request_id, r.HeaderValue("X-Request-Id"));
}

struct Criterion {
  std::string id;
  int level = 0;
  std::string recurrence;
};

std::vector<Criterion> CriteriaOf(const Json& catalog) {
  std::vector<Criterion> out;
  for (const auto& cat : catalog.value("categories", Json::array())) {
    for (const auto& sub : cat.value("subcategories", Json::array())) {
      for (const auto& req : sub.value("requirements", Json::array())) {
        for (const auto& c : req.value("criteria", Json::array())) {
          out.push_back(
              Criterion{c.value("id", ""), c.value("level", 0), c.value("recurrence", "none")});
        }
      }
    }
  }
  return out;
}

/// {"answers": {...}}: the first `limit` criteria at `level` implemented (recurring ones checked
/// a week ago), `evidence_sha` attached to `evidence_criterion`.
Json Answers(const std::vector<Criterion>& criteria, int level, std::size_t limit = SIZE_MAX,
             const std::string& evidence_criterion = "", const std::string& evidence_sha = "") {
  Json answers = Json::object();
  std::size_t n = 0;
  for (const Criterion& c : criteria) {
    if (c.level > level) {
      continue;
    }
    if (n++ >= limit) {
      break;
    }
    Json a{{"status", "implemented"}};
    if (c.recurrence != "none") {
      a["last_checked"] = Today().AddDays(-7).ToIso();
    }
    if (c.id == evidence_criterion && !evidence_sha.empty()) {
      a["evidence"] = Json::array({evidence_sha});
    }
    answers[c.id] = std::move(a);
  }
  return Json{{"answers", std::move(answers)}};
}

std::size_t CountAtLevel(const std::vector<Criterion>& criteria, int level) {
  return static_cast<std::size_t>(std::count_if(
      criteria.begin(), criteria.end(), [&](const Criterion& c) { return c.level <= level; }));
}

/// A DSN for database `name` on the server of `dsn` (URL or key=value form).
std::string WithDatabase(const std::string& dsn, const std::string& name) {
  const std::size_t scheme = dsn.find("://");
  if (scheme == std::string::npos) {
    return dsn + " dbname=" + name;  // key=value: the last dbname wins
  }
  const std::size_t slash = dsn.find('/', scheme + 3);
  const std::size_t query = dsn.find('?', scheme + 3);
  if (slash == std::string::npos || (query != std::string::npos && query < slash)) {
    const std::size_t end = query == std::string::npos ? dsn.size() : query;
    return dsn.substr(0, end) + "/" + name + dsn.substr(end);
  }
  return dsn.substr(0, slash) + "/" + name +
         (query == std::string::npos ? std::string() : dsn.substr(query));
}

/// The environment for a child: HOSHI_* from our environment removed, English output, `extra`.
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env = extra;
  env.emplace_back("HOSHI_LANG=en");
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("HOSHI_")) {
      continue;
    }
    env.emplace_back(*e);
  }
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

int ExitCodeOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// ---- the server process -------------------------------------------------------------------------

/// `hoshitori ... serve --listen 127.0.0.1:0` as a child process; stdout is read through a pipe
/// (the port and the issuer key are printed there), stderr (the access log) goes to a file.
class ServerProcess {
 public:
  ServerProcess() = default;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) {
      close(out_fd_);
    }
  }

  /// Spawns the server and waits for its "Listening on" and "Issuer public key" lines. On failure
  /// returns false with what was printed in `error`.
  bool Start(const std::vector<std::string>& global_args, const std::string& stderr_path,
             std::string* error) {
    std::vector<std::string> args{HOSHI_BINARY};
    args.insert(args.end(), global_args.begin(), global_args.end());
    for (const char* a : {"serve", "--listen", "127.0.0.1:0", "--threads", "4"}) {
      args.emplace_back(a);
    }
    std::vector<std::string> env = ChildEnvironment({});
    auto argv = Pointers(args);
    auto envp = Pointers(env);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      *error = "pipe2 failed";
      return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    const int rc = posix_spawn(&pid_, HOSHI_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_fd_ = fds[0];
    if (rc != 0) {
      pid_ = -1;
      *error = "posix_spawn failed";
      return false;
    }
    const bool ready = ReadUntil(kStartTimeout, [this] {
      return LineAfter("Listening on http://127.0.0.1:").has_value() &&
             LineAfter("Issuer public key: ").has_value();
    });
    if (!ready) {
      *error = "the server did not report its port; stdout:\n" + out_ + "\nstderr:\n" +
               ReadText(stderr_path);
      return false;
    }
    port_ = static_cast<std::uint16_t>(std::stoi(*LineAfter("Listening on http://127.0.0.1:")));
    issuer_did_ = *LineAfter("Issuer public key: ");
    return true;
  }

  /// SIGTERM, then waits for the exit; returns the exit code (-1 when it had to be killed).
  int Stop() {
    if (pid_ <= 0) {
      return -1;
    }
    kill(pid_, SIGTERM);
    ReadUntil(kStopTimeout, [] { return false; });  // until EOF: the server exited
    const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    int status = 0;
    pid_t done = 0;
    while ((done = waitpid(pid_, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (done != pid_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      pid_ = -1;
      return -1;
    }
    pid_ = -1;
    return ExitCodeOf(status);
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const std::string& issuer_did() const { return issuer_did_; }
  [[nodiscard]] const std::string& output() const { return out_; }

 private:
  /// The rest of the complete stdout line that starts with `prefix`.
  [[nodiscard]] std::optional<std::string> LineAfter(std::string_view prefix) const {
    std::size_t at = 0;
    while (at < out_.size()) {
      const std::size_t nl = out_.find('\n', at);
      if (nl == std::string::npos) {
        return std::nullopt;
      }
      const std::string_view line(out_.data() + at, nl - at);
      if (line.starts_with(prefix)) {
        return std::string(line.substr(prefix.size()));
      }
      at = nl + 1;
    }
    return std::nullopt;
  }

  /// Reads stdout until `done()` holds (true), EOF or the timeout (false).
  bool ReadUntil(std::chrono::seconds limit, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || out_fd_ < 0) {
        return false;
      }
      pollfd p{out_fd_, POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(left.count()));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return false;
      }
      char buf[4096];
      const ssize_t got = read(out_fd_, buf, sizeof buf);
      if (got <= 0) {
        close(out_fd_);
        out_fd_ = -1;
        return done();
      }
      out_.append(buf, static_cast<std::size_t>(got));
    }
    return true;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string out_;
  std::uint16_t port_ = 0;
  std::string issuer_did_;
};

// ---- an API user --------------------------------------------------------------------------------

/// One user's keep-alive connection with their session cookie and CSRF token.
class Session {
 public:
  explicit Session(std::uint16_t port) : port_(port) {}

  /// Logs in; returns the response (the test checks it).
  ClientResponse Login(std::string_view email, std::string_view password) {
    const ClientResponse r =
        Call("POST", "/api/v1/auth/login", Json{{"email", email}, {"password", password}});
    if (r.status == 200) {
      const std::string_view set_cookie = r.HeaderValue("Set-Cookie");
      cookie_ = std::string(set_cookie.substr(0, set_cookie.find(';')));
      csrf_ = BodyJson(r).value("csrf_token", "");
      user_id_ = BodyJson(r)["user"].value("id", "");
    }
    return r;
  }

  /// A JSON call with the session cookie and (on unsafe methods) the CSRF header.
  ClientResponse Call(std::string_view method, const std::string& target, const Json& body = Json(),
                      std::vector<Header> extra = {}) {
    std::string text;
    if (!body.is_null()) {
      text = DumpJson(body, -1);
      extra.push_back({"Content-Type", "application/json"});
    }
    return Send(method, target, text, std::move(extra));
  }

  /// A raw call: `body` as is; the session cookie unless `with_cookie` is false; the CSRF header
  /// on unsafe methods unless `with_csrf` is false.
  ClientResponse Send(std::string_view method, const std::string& target, std::string_view body,
                      std::vector<Header> headers, bool with_cookie = true, bool with_csrf = true) {
    if (with_cookie && !cookie_.empty()) {
      headers.push_back({"Cookie", cookie_});
    }
    if (with_csrf && !csrf_.empty() && method != "GET" && method != "HEAD") {
      headers.push_back({"X-CSRF-Token", csrf_});
    }
    if (!Connected()) {
      return ClientResponse{0, {}, "cannot connect"};
    }
    auto r = client_->Send(method, target, headers, body);
    if (!r.ok()) {
      return ClientResponse{0, {}, r.error().ToString(Lang::kEn)};
    }
    return std::move(r).value();
  }

  /// Uploads `bytes` as the raw body.
  ClientResponse Upload(const std::string& target, std::string_view bytes,
                        std::vector<Header> extra = {}) {
    extra.push_back({"Content-Type", "application/octet-stream"});
    return Send("POST", target, bytes, std::move(extra));
  }

  /// Uploads the file at `path` (streamed; chunked or with Content-Length).
  ClientResponse UploadFile(const std::string& target, const std::string& path, bool chunked,
                            std::vector<Header> headers = {}) {
    headers.push_back({"Content-Type", "application/octet-stream"});
    headers.push_back({"Cookie", cookie_});
    headers.push_back({"X-CSRF-Token", csrf_});
    if (!Connected()) {
      return ClientResponse{0, {}, "cannot connect"};
    }
    auto r = client_->SendFile("POST", target, path, headers, chunked);
    if (!r.ok()) {
      return ClientResponse{0, {}, r.error().ToString(Lang::kEn)};
    }
    return std::move(r).value();
  }

  void SetCredentials(std::string cookie, std::string csrf) {
    cookie_ = std::move(cookie);
    csrf_ = std::move(csrf);
  }
  [[nodiscard]] const std::string& cookie() const { return cookie_; }
  [[nodiscard]] const std::string& csrf() const { return csrf_; }
  [[nodiscard]] const std::string& user_id() const { return user_id_; }

 private:
  bool Connected() {
    if (!client_) {
      auto c = http::Client::Connect("127.0.0.1", port_);
      if (!c.ok()) {
        return false;
      }
      client_.emplace(std::move(c).value());
    }
    return true;
  }

  std::uint16_t port_;
  std::optional<http::Client> client_;
  std::string cookie_;
  std::string csrf_;
  std::string user_id_;
};

/// What an assessment looks like from outside: state, number of answers, number of uploads.
struct Snapshot {
  std::string state;
  std::size_t answers = 0;
  std::size_t uploads = 0;
  bool operator==(const Snapshot&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
  return os << "{state=" << s.state << ", answers=" << s.answers << ", uploads=" << s.uploads
            << "}";
}

Snapshot SnapshotOf(Session& s, const std::string& assessment_id) {
  const ClientResponse r = s.Call("GET", "/api/v1/assessments/" + assessment_id);
  if (r.status != 200) {
    return Snapshot{"HTTP " + std::to_string(r.status), 0, 0};
  }
  const Json j = BodyJson(r);
  return Snapshot{j.value("state", ""), j.value("answers", Json::object()).size(),
                  j.value("uploads", Json::array()).size()};
}

/// The newest audit sequence number of an organisation (as its admin or the operator sees it).
std::int64_t LastAuditSeq(Session& s, const std::string& org_id) {
  const ClientResponse r = s.Call("GET", "/api/v1/orgs/" + org_id + "/audit");
  if (r.status != 200) {
    return -r.status;
  }
  std::int64_t last = 0;
  for (const auto& e : BodyJson(r).value("events", Json::array())) {
    last = std::max<std::int64_t>(last, e.value("seq", 0));
  }
  return last;
}

struct Org {
  std::string id;
  std::string number;
  std::string admin_email;
};

// ---- the fixture --------------------------------------------------------------------------------

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Parameter: "sqlite" (the default database file under --data-dir) or "postgres" (a fresh
/// database on the HOSHI_TEST_PG_DSN server, dropped afterwards).
class ServerE2eTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hoshi-server-e2e-" + ToHex(RandomBytes(6)));
    fs::create_directories(dir_);
    data_dir_ = dir_ / "data";
    if (GetParam() == "postgres") {
      const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe)
      if (dsn == nullptr || *dsn == '\0') {
        GTEST_SKIP() << "HOSHI_TEST_PG_DSN not set";
      }
      auto admin = storage::Open(dsn);
      ASSERT_TRUE(admin.ok()) << admin.error().ToString(Lang::kEn) << " " << admin.error().detail();
      pg_admin_ = std::move(admin).value();
      db_name_ = "hoshi_e2e_" + ToHex(RandomBytes(6));
      const Status created = pg_admin_->ExecuteScript("CREATE DATABASE " + db_name_);
      ASSERT_TRUE(created.ok()) << created.error().detail();
      db_url_ = WithDatabase(dsn, db_name_);
    }
  }

  void TearDown() override {
    server_.reset();
    if (pg_admin_ && !db_name_.empty()) {
      const Status dropped =
          pg_admin_->ExecuteScript("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
      EXPECT_TRUE(dropped.ok()) << dropped.error().detail();
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  /// --data-dir and, on PostgreSQL, --db.
  [[nodiscard]] std::vector<std::string> GlobalArgs() const {
    std::vector<std::string> args{"--data-dir", data_dir_.string()};
    if (!db_url_.empty()) {
      args.emplace_back("--db");
      args.push_back(db_url_);
    }
    return args;
  }

  /// The URL the test itself opens to look at (and tamper with) the server's database.
  [[nodiscard]] std::string DatabaseUrl() const {
    return db_url_.empty() ? "sqlite:" + (data_dir_ / "hoshitori.db").string() : db_url_;
  }

  /// Runs the binary to completion with the global args first.
  RunResult Exec(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    const std::string n = std::to_string(++exec_count_);
    const std::string out_path = (dir_ / ("exec-" + n + ".out")).string();
    const std::string err_path = (dir_ / ("exec-" + n + ".err")).string();
    std::vector<std::string> argv_strings{HOSHI_BINARY};
    const auto global = GlobalArgs();
    argv_strings.insert(argv_strings.end(), global.begin(), global.end());
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<std::string> env_strings = ChildEnvironment(env);
    auto argv = Pointers(argv_strings);
    auto envp = Pointers(env_strings);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = 0;
    RunResult run;
    if (posix_spawn(&pid, HOSHI_BINARY, &actions, nullptr, argv.data(), envp.data()) == 0) {
      int status = 0;
      waitpid(pid, &status, 0);
      run.exit_code = ExitCodeOf(status);
    }
    posix_spawn_file_actions_destroy(&actions);
    run.out = ReadText(out_path);
    run.err = ReadText(err_path);
    return run;
  }

  /// `admin create-operator`, then `serve`.
  void StartPlatform() {
    const RunResult op = Exec(
        {"admin", "create-operator", "--email", std::string(kOperatorEmail), "--name", "Operator"},
        {"HOSHI_OPERATOR_PASSWORD=" + std::string(kPassword)});
    ASSERT_EQ(op.exit_code, 0) << op.out << op.err;
    EXPECT_NE(op.out.find("Created operator op@example.jp"), std::string::npos) << op.out;
    server_ = std::make_unique<ServerProcess>();
    std::string error;
    ASSERT_TRUE(server_->Start(GlobalArgs(), (dir_ / "server.err").string(), &error)) << error;
    ASSERT_NE(server_->port(), 0);
    ASSERT_TRUE(server_->issuer_did().starts_with("did:key:z")) << server_->issuer_did();
  }

  /// SIGTERM; the server must shut down gracefully with exit code 0.
  void StopPlatform() {
    ASSERT_TRUE(server_);
    const int code = server_->Stop();
    EXPECT_EQ(code, 0) << "stdout:\n" << server_->output() << "\nstderr (tail):\n" << StderrTail();
    EXPECT_NE(server_->output().find("Server stopped."), std::string::npos) << server_->output();
    // Every refusal in these tests is a 4xx: no 5xx in the access log, no logged error, no
    // sanitizer report.
    const std::string err = ReadText((dir_ / "server.err").string(), 64U << 20);
    EXPECT_FALSE(std::regex_search(err, std::regex(R"(" 5[0-9][0-9] in=)"))) << StderrTail();
    EXPECT_EQ(err.find("] [error]"), std::string::npos) << StderrTail();
    EXPECT_EQ(err.find("] [critical]"), std::string::npos) << StderrTail();
    EXPECT_EQ(err.find("runtime error:"), std::string::npos) << StderrTail();
    EXPECT_EQ(err.find("Sanitizer"), std::string::npos) << StderrTail();
  }

  std::string StderrTail() const {
    const std::string err = ReadText((dir_ / "server.err").string(), 64U << 20);
    return err.size() > 4000 ? err.substr(err.size() - 4000) : err;
  }

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }

  void LoginAs(Session& s, std::string_view email) {
    HOSHI_E2E_CALL(login, 200, s.Login(email, kPassword));
    ASSERT_FALSE(s.csrf().empty()) << login.dump();
    ASSERT_TRUE(s.cookie().starts_with("hoshi_session=")) << s.cookie();
  }

  /// The operator registers a company with its admin.
  void CreateCompany(Session& op, const std::string& number, const std::string& name,
                     const std::string& admin_email, Org* out) {
    HOSHI_E2E_CALL(created, 201,
                   op.Call("POST", "/api/v1/orgs",
                           Json{{"corporate_number", number},
                                {"name", name},
                                {"kind", "company"},
                                {"admin", Json{{"email", admin_email},
                                               {"display_name", name + " 管理者"},
                                               {"password", kPassword}}}}));
    ASSERT_EQ(created["organization"].value("corporate_number", ""), number);
    ASSERT_EQ(created["admin"].value("email", ""), admin_email);
    *out = Org{created["organization"].value("id", ""), number, admin_email};
  }

  /// The operator registers an expert firm or an evaluation body and one reviewer in it.
  void CreateReviewerOrg(Session& op, const std::string& number, const std::string& name,
                         const std::string& kind, const std::string& role, const std::string& email,
                         Org* out, std::string* user_id) {
    HOSHI_E2E_CALL(created, 201,
                   op.Call("POST", "/api/v1/orgs",
                           Json{{"corporate_number", number}, {"name", name}, {"kind", kind}}));
    ASSERT_EQ(created["organization"].value("kind", ""), kind);
    const std::string org_id = created["organization"].value("id", "");
    HOSHI_E2E_CALL(member, 201,
                   op.Call("POST", "/api/v1/orgs/" + org_id + "/members",
                           Json{{"email", email},
                                {"display_name", name + " " + role},
                                {"password", kPassword},
                                {"role", role}}));
    ASSERT_EQ(member.value("role", ""), role);
    *out = Org{org_id, number, email};
    *user_id = member.value("id", "");
  }

  /// The current scs catalog key and its criteria, as the API serves them.
  void LoadCatalog(Session& s) {
    HOSHI_E2E_CALL(list, 200, s.Call("GET", "/api/v1/catalogs"));
    for (const auto& c : list.value("catalogs", Json::array())) {
      if (c.value("key", "").starts_with("scs-")) {
        catalog_key_ = c.value("key", "");
      }
    }
    ASSERT_FALSE(catalog_key_.empty()) << list.dump();
    HOSHI_E2E_CALL(catalog, 200, s.Call("GET", "/api/v1/catalogs/" + catalog_key_));
    criteria_ = CriteriaOf(catalog);
    ASSERT_EQ(CountAtLevel(criteria_, 3), 81U);
    ASSERT_EQ(CountAtLevel(criteria_, 4), 153U);
  }

  [[nodiscard]] std::string FirstCriterion(int level) const {
    for (const Criterion& c : criteria_) {
      if (c.level <= level) {
        return c.id;
      }
    }
    return {};
  }

  /// A verification by the CLI: exit code and output.
  RunResult Verify(const std::string& file, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"verify", file, "--issuer-key", server_->issuer_did()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Exec(args);
  }

  /// Everything the ★3 flow leaves behind.
  struct Star3 {
    std::optional<Session> op, buyer, supplier, expert;
    Org buyer_org, supplier_org, expert_org;
    std::string expert_user_id, relationship_id, request_id, assessment_id, certification_id;
    std::string evidence_sha;
    Json certification;
  };

  /// The whole ★3 flow through the API up to the credential (test 1 and the audit test).
  void RunStar3Flow(Star3& w) {
    w.op.emplace(port());
    w.buyer.emplace(port());
    w.supplier.emplace(port());
    w.expert.emplace(port());
    Session& op = *w.op;
    ASSERT_NO_FATAL_FAILURE(LoginAs(op, kOperatorEmail));
    ASSERT_NO_FATAL_FAILURE(LoadCatalog(op));
    ASSERT_NO_FATAL_FAILURE(CreateCompany(op, CorporateNumber("010203040506"),
                                          "大和発注工業株式会社", "buyer@example.jp",
                                          &w.buyer_org));
    ASSERT_NO_FATAL_FAILURE(CreateCompany(op, CorporateNumber("020304050607"), "星取部品株式会社",
                                          "supplier@example.jp", &w.supplier_org));
    ASSERT_NO_FATAL_FAILURE(CreateReviewerOrg(
        op, CorporateNumber("030405060708"), "東都セキュリティ支援株式会社", "expert_firm",
        "expert", "expert@example.jp", &w.expert_org, &w.expert_user_id));
    ASSERT_NO_FATAL_FAILURE(LoginAs(*w.buyer, "buyer@example.jp"));
    ASSERT_NO_FATAL_FAILURE(LoginAs(*w.supplier, "supplier@example.jp"));
    ASSERT_NO_FATAL_FAILURE(LoginAs(*w.expert, "expert@example.jp"));
    Session& buyer = *w.buyer;
    Session& supplier = *w.supplier;
    Session& expert = *w.expert;
    const std::string buyer_id = w.buyer_org.id;
    const std::string supplier_id = w.supplier_org.id;

    // The buyer adds the supplier: every answer of the decision tree "no" => ★3.
    HOSHI_E2E_CALL(rel, 201,
                   buyer.Call("POST", "/api/v1/orgs/" + buyer_id + "/suppliers",
                              Json{{"supplier_corporate_number", w.supplier_org.number},
                                   {"decision", Json{{"confidential_info_on_supplier_it", false},
                                                     {"stop_causes_unacceptable_delay", false},
                                                     {"supplier_reaches_internal_systems", false},
                                                     {"reason", "汎用部品の供給のみ"}}}}));
    EXPECT_EQ(rel.value("required_level", 0), 3);
    EXPECT_EQ(rel.value("supplier_organization_id", ""), supplier_id);
    w.relationship_id = rel.value("id", "");
    const std::string due = Today().AddDays(90).ToIso();
    HOSHI_E2E_CALL(req, 201,
                   buyer.Call("POST", "/api/v1/orgs/" + buyer_id + "/requests",
                              Json{{"relationship_id", w.relationship_id},
                                   {"due_on", due},
                                   {"message", "★3の取得をお願いします。"}}));
    EXPECT_EQ(req.value("level", 0), 3);
    EXPECT_EQ(req.value("state", ""), "sent");
    EXPECT_EQ(req.value("due_on", ""), due);
    w.request_id = req.value("id", "");
    HOSHI_E2E_CALL(incoming, 200,
                   supplier.Call("GET", "/api/v1/orgs/" + supplier_id + "/requests"));
    ASSERT_EQ(incoming["incoming"].size(), 1U) << incoming.dump();
    EXPECT_EQ(incoming["incoming"][0].value("id", ""), w.request_id);
    EXPECT_EQ(incoming["incoming"][0]["buyer"].value("id", ""), buyer_id);
    const std::string note = "費用は当社負担、3か月以内に取得予定";
    HOSHI_E2E_CALL(accepted, 200,
                   supplier.Call("POST", "/api/v1/requests/" + w.request_id + "/accept",
                                 Json{{"note", note}}));
    EXPECT_EQ(accepted.value("state", ""), "accepted");
    EXPECT_EQ(accepted.value("response_note", ""), note);

    // The supplier's ★3 self-assessment with one piece of evidence.
    HOSHI_E2E_CALL(created, 201,
                   supplier.Call("POST", "/api/v1/orgs/" + supplier_id + "/assessments",
                                 Json{{"level", 3}, {"catalog", catalog_key_}}));
    EXPECT_EQ(created.value("state", ""), "draft");
    EXPECT_EQ(created.value("level", 0), 3);
    w.assessment_id = created.value("id", "");
    const std::string a = "/api/v1/assessments/" + w.assessment_id;
    const std::string first = FirstCriterion(3);
    const std::string policy = "情報セキュリティ基本方針\n第1条 目的 …\n";
    HOSHI_E2E_CALL(
        upload, 201,
        supplier.Upload(a + "/evidence?criterion=" + first + "&filename=security-policy.txt",
                        policy));
    w.evidence_sha = upload.value("sha256", "");
    EXPECT_EQ(w.evidence_sha, Sha256Hex(policy));
    EXPECT_EQ(upload.value("size", 0), static_cast<int>(policy.size()));
    EXPECT_EQ(upload.value("media_type", ""), "text/plain; charset=utf-8");
    const ClientResponse back = supplier.Call("GET", a + "/evidence/" + w.evidence_sha);
    EXPECT_EQ(back.status, 200);
    EXPECT_EQ(back.body, policy);
    HOSHI_E2E_CALL(saved, 200,
                   supplier.Call("PUT", a + "/answers",
                                 Answers(criteria_, 3, SIZE_MAX, first, w.evidence_sha)));
    EXPECT_EQ(saved.value("saved", 0), 81);
    EXPECT_EQ(saved.value("unanswered", -1), 0);
    EXPECT_TRUE(saved.value("level_met", false)) << saved.dump();
    HOSHI_E2E_CALL(reviewers, 200, supplier.Call("GET", "/api/v1/reviewers?role=expert"));
    bool listed = false;
    for (const auto& r : reviewers.value("reviewers", Json::array())) {
      listed = listed || r.value("id", "") == w.expert_user_id;
    }
    EXPECT_TRUE(listed) << reviewers.dump();
    HOSHI_E2E_CALL(assigned, 200,
                   supplier.Call("POST", a + "/assign", Json{{"user_id", w.expert_user_id}}));
    EXPECT_EQ(assigned.value("role", ""), "expert");
    HOSHI_E2E_CALL(submitted, 200, supplier.Call("POST", a + "/submit"));
    EXPECT_EQ(submitted.value("state", ""), "submitted");
    ExpectApiError(buyer.Call("GET", a), 404, "not_found");  // not shared yet
    HOSHI_E2E_CALL(shared, 200,
                   supplier.Call("POST", a + "/shares", Json{{"buyer_organization_id", buyer_id}}));
    EXPECT_EQ(shared.value("shared_with", ""), buyer_id);
    HOSHI_E2E_CALL(buyer_view, 200, buyer.Call("GET", a));  // shared: the buyer may read it
    EXPECT_EQ(buyer_view["answers"].size(), 81U);

    // The expert reviews, comments and confirms.
    HOSHI_E2E_CALL(queue, 200, expert.Call("GET", "/api/v1/reviews"));
    ASSERT_EQ(queue["reviews"].size(), 1U) << queue.dump();
    EXPECT_EQ(queue["reviews"][0].value("id", ""), w.assessment_id);
    HOSHI_E2E_CALL(started, 200, expert.Call("POST", a + "/review/start"));
    EXPECT_EQ(started.value("state", ""), "in_review");
    HOSHI_E2E_CALL(
        comment, 201,
        expert.Call("POST", a + "/comments",
                    Json{{"criterion_id", first}, {"body", "承認日と版数を確認しました。"}}));
    HOSHI_E2E_CALL(comments, 200, supplier.Call("GET", a + "/comments"));
    ASSERT_EQ(comments["comments"].size(), 1U);
    EXPECT_EQ(comments["comments"][0].value("body", ""), "承認日と版数を確認しました。");
    HOSHI_E2E_CALL(confirmed, 200, expert.Call("POST", a + "/confirm"));
    EXPECT_EQ(confirmed.value("state", ""), "confirmed");

    // The supplier's management declares; the operator certifies.
    HOSHI_E2E_CALL(
        declared, 201,
        supplier.Call("POST", a + "/declaration",
                      Json{{"signer_name", "星取 太郎"}, {"signer_title", "代表取締役社長"}}));
    EXPECT_EQ(declared.value("signer_name", ""), "星取 太郎");
    HOSHI_E2E_CALL(cert, 201,
                   op.Call("POST", a + "/certify", Json{{"scope", "本社および第一工場"}}));
    EXPECT_EQ(cert.value("level", 0), 3);
    EXPECT_EQ(cert.value("status", ""), "valid");
    EXPECT_EQ(cert.value("organization_id", ""), supplier_id);
    const auto issued = Date::Parse(cert.value("issued_on", ""));
    ASSERT_TRUE(issued.ok()) << cert.dump();
    EXPECT_LE(Today().AddDays(-1), *issued);  // today in JST (the test may straddle midnight)
    EXPECT_LE(*issued, Today());
    EXPECT_EQ(cert.value("expires_on", ""), issued->AddYears(1).AddDays(-1).ToIso());
    EXPECT_TRUE(cert.contains("credential"));
    w.certification_id = cert.value("id", "");
    w.certification = cert;
    HOSHI_E2E_CALL(final_state, 200, supplier.Call("GET", a));
    EXPECT_EQ(final_state.value("state", ""), "certified");
    EXPECT_EQ(final_state.value("certification_id", ""), w.certification_id);
  }

  fs::path dir_;
  fs::path data_dir_;
  std::string db_url_;
  std::string db_name_;
  std::unique_ptr<storage::Connection> pg_admin_;
  std::unique_ptr<ServerProcess> server_;
  std::string catalog_key_;
  std::vector<Criterion> criteria_;
  int exec_count_ = 0;
};

// ---- 1. the ★3 flow and the credential ----------------------------------------------------------

TEST_P(ServerE2eTest, Star3FlowIssuesACredentialThatVerifiesOfflineUntilRevoked) {
  ASSERT_NO_FATAL_FAILURE(StartPlatform());
  Star3 w;
  ASSERT_NO_FATAL_FAILURE(RunStar3Flow(w));
  Session& op = *w.op;
  Session& buyer = *w.buyer;
  Session& supplier = *w.supplier;
  const std::string c = "/api/v1/certifications/" + w.certification_id;

  // The credential, downloaded by the holder, verifies offline against the printed issuer key.
  const ClientResponse vc = supplier.Call("GET", c + "/credential");
  ASSERT_EQ(vc.status, 200) << vc.body;
  EXPECT_EQ(vc.HeaderValue("Content-Type"), "application/vc+ld+json");
  EXPECT_NE(vc.HeaderValue("Content-Disposition").find("attachment"), std::string_view::npos);
  const Json credential = BodyJson(vc);
  ASSERT_TRUE(credential.is_object()) << vc.body;
  const Json issuer = credential.value("issuer", Json());
  EXPECT_EQ(issuer.is_string() ? issuer.get<std::string>() : issuer.value("id", ""),
            server_->issuer_did())
      << vc.body;
  const std::string status_list =
      credential.value("credentialStatus", Json::object()).value("revocationList", "");
  // The URL names the port actually bound (the server was started with --listen 127.0.0.1:0).
  EXPECT_EQ(status_list,
            "http://127.0.0.1:" + std::to_string(server_->port()) + "/api/v1/public/revocations");
  // The request was answered once and for all.
  ExpectApiError(supplier.Call("POST", "/api/v1/requests/" + w.request_id + "/accept",
                               Json{{"note", "again"}}),
                 409, "failed_precondition");
  const std::string file = (dir_ / "credential.json").string();
  ASSERT_TRUE(WriteFileAtomic(file, vc.body).ok());
  const RunResult valid = Verify(file);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  EXPECT_TRUE(valid.out.starts_with("valid")) << valid.out;
  EXPECT_NE(valid.out.find(w.supplier_org.number), std::string::npos) << valid.out;
  // Other users of the platform cannot download it (404: not even its existence is revealed).
  const ClientResponse foreign = buyer.Call("GET", c + "/credential");
  ExpectApiError(foreign, 404, "not_found");

  // One flipped byte (a digit of the holder's 法人番号) breaks the signature.
  std::string forged = vc.body;
  const std::size_t digit = forged.find(w.supplier_org.number);
  ASSERT_NE(digit, std::string::npos);
  forged[digit + 5] = static_cast<char>(forged[digit + 5] ^ 0x01);
  const std::string forged_file = (dir_ / "forged.json").string();
  ASSERT_TRUE(WriteFileAtomic(forged_file, forged).ok());
  const RunResult invalid = Verify(forged_file);
  EXPECT_EQ(invalid.exit_code, 1) << invalid.out << invalid.err;
  EXPECT_TRUE(invalid.out.starts_with("invalid")) << invalid.out;

  // The validity period: valid the day before validUntil, expired the day after.
  auto until = ParseTimestamp(credential.value("validUntil", ""));
  ASSERT_TRUE(until.ok()) << vc.body;
  const RunResult before =
      Verify(file, {"--now", FormatTimestamp(*until - std::chrono::hours(24))});
  EXPECT_EQ(before.exit_code, 0) << before.out << before.err;
  EXPECT_TRUE(before.out.starts_with("valid")) << before.out;
  const RunResult expired =
      Verify(file, {"--now", FormatTimestamp(*until + std::chrono::hours(24))});
  EXPECT_EQ(expired.exit_code, 1) << expired.out << expired.err;
  EXPECT_TRUE(expired.out.starts_with("expired")) << expired.out;

  // The buyer's portfolio shows the supplier at ★3, valid, meeting the requirement.
  HOSHI_E2E_CALL(portfolio, 200,
                 buyer.Call("GET", "/api/v1/orgs/" + w.buyer_org.id + "/portfolio"));
  ASSERT_EQ(portfolio["suppliers"].size(), 1U) << portfolio.dump();
  const Json& row = portfolio["suppliers"][0];
  EXPECT_EQ(row["supplier"].value("id", ""), w.supplier_org.id);
  EXPECT_EQ(row.value("required_level", 0), 3);
  EXPECT_EQ(row["current"].value("level", 0), 3);
  EXPECT_EQ(row["current"].value("status", ""), "valid");
  EXPECT_TRUE(row.value("meets_requirement", false));
  EXPECT_EQ(row["request"].value("state", ""), "accepted");
  EXPECT_EQ(row["shared_assessment"].value("id", ""), w.assessment_id);
  EXPECT_EQ(portfolio["summary"].value("meeting_requirement", 0), 1);

  // The public lookup by 法人番号 needs no login.
  Session anonymous(port());
  HOSHI_E2E_CALL(lookup, 200,
                 anonymous.Call("GET", "/api/v1/public/lookup/" + w.supplier_org.number));
  EXPECT_EQ(lookup.value("level", 0), 3);
  EXPECT_EQ(lookup.value("status", ""), "valid");
  EXPECT_EQ(lookup.value("valid_until", ""), w.certification.value("expires_on", ""));
  ExpectApiError(anonymous.Call("GET", "/api/v1/public/lookup/12345"), 400, "invalid_argument",
                 "org.corporate_number_format");
  ExpectApiError(
      anonymous.Call("GET", "/api/v1/public/lookup/" + WrongCheckDigit(w.supplier_org.number)), 400,
      "invalid_argument", "org.corporate_number_check_digit");
  ExpectApiError(anonymous.Call("GET", "/api/v1/public/lookup/" + CorporateNumber("999888777666")),
                 404, "not_found", "api.no_certification");
  // A registered company without a certification is just as unknown to the public.
  ExpectApiError(anonymous.Call("GET", "/api/v1/public/lookup/" + w.buyer_org.number), 404,
                 "not_found", "api.no_certification");

  // Revocation: only the operator; the signed list then makes `verify` say "revoked".
  ExpectApiError(supplier.Call("POST", c + "/revoke", Json{{"reason", "self"}}), 403,
                 "permission_denied");
  HOSHI_E2E_CALL(revoked, 200,
                 op.Call("POST", c + "/revoke", Json{{"reason", "虚偽の申告が判明したため"}}));
  EXPECT_EQ(revoked.value("status", ""), "revoked");
  ExpectApiError(op.Call("POST", c + "/revoke", Json{{"reason", "二度目"}}), 409,
                 "failed_precondition");
  const ClientResponse list = anonymous.Call("GET", "/api/v1/public/revocations");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(w.certification_id), std::string::npos) << list.body;
  const std::string list_file = (dir_ / "revocations.json").string();
  ASSERT_TRUE(WriteFileAtomic(list_file, list.body).ok());
  const RunResult with_list = Verify(file, {"--revocations", list_file});
  EXPECT_EQ(with_list.exit_code, 1) << with_list.out << with_list.err;
  EXPECT_TRUE(with_list.out.starts_with("revoked")) << with_list.out;
  // A revocation list altered after signing is refused rather than trusted.
  std::string altered = list.body;
  const std::size_t id_at = altered.find(w.certification_id);
  ASSERT_NE(id_at, std::string::npos);
  altered[id_at + 3] = static_cast<char>(altered[id_at + 3] ^ 0x01);
  const std::string altered_file = (dir_ / "revocations-altered.json").string();
  ASSERT_TRUE(WriteFileAtomic(altered_file, altered).ok());
  const RunResult with_altered = Verify(file, {"--revocations", altered_file});
  EXPECT_NE(with_altered.exit_code, 0) << with_altered.out << with_altered.err;
  EXPECT_FALSE(with_altered.out.starts_with("valid")) << with_altered.out;

  // After the revocation the public lookup and the portfolio no longer show a valid ★3.
  HOSHI_E2E_CALL(after, 200,
                 anonymous.Call("GET", "/api/v1/public/lookup/" + w.supplier_org.number));
  EXPECT_EQ(after.value("status", ""), "revoked") << after.dump();
  HOSHI_E2E_CALL(portfolio_after, 200,
                 buyer.Call("GET", "/api/v1/orgs/" + w.buyer_org.id + "/portfolio"));
  EXPECT_EQ(portfolio_after["suppliers"][0]["current"].value("status", ""), "revoked");
  EXPECT_FALSE(portfolio_after["suppliers"][0].value("meets_requirement", true));

  ASSERT_NO_FATAL_FAILURE(StopPlatform());
}

// ---- 2. the ★4 flow -----------------------------------------------------------------------------

TEST_P(ServerE2eTest, Star4FlowWithEvaluatorReviewsAndReportIssuesAThreeYearCredential) {
  ASSERT_NO_FATAL_FAILURE(StartPlatform());
  Session op(port());
  ASSERT_NO_FATAL_FAILURE(LoginAs(op, kOperatorEmail));
  ASSERT_NO_FATAL_FAILURE(LoadCatalog(op));
  Org buyer_org;
  Org supplier_org;
  Org eval_org;
  std::string evaluator_id;
  ASSERT_NO_FATAL_FAILURE(CreateCompany(op, CorporateNumber("110220330440"), "大和重機工業株式会社",
                                        "buyer4@example.jp", &buyer_org));
  ASSERT_NO_FATAL_FAILURE(CreateCompany(op, CorporateNumber("220330440550"), "北辰電子工業株式会社",
                                        "supplier4@example.jp", &supplier_org));
  ASSERT_NO_FATAL_FAILURE(CreateReviewerOrg(
      op, CorporateNumber("330440550660"), "日本サプライチェーン評価機構株式会社",
      "evaluation_body", "evaluator", "evaluator@example.jp", &eval_org, &evaluator_id));
  Session buyer(port());
  Session supplier(port());
  Session evaluator(port());
  ASSERT_NO_FATAL_FAILURE(LoginAs(buyer, "buyer4@example.jp"));
  ASSERT_NO_FATAL_FAILURE(LoginAs(supplier, "supplier4@example.jp"));
  ASSERT_NO_FATAL_FAILURE(LoginAs(evaluator, "evaluator@example.jp"));

  // One "yes" in the decision tree => ★4.
  HOSHI_E2E_CALL(rel, 201,
                 buyer.Call("POST", "/api/v1/orgs/" + buyer_org.id + "/suppliers",
                            Json{{"supplier_corporate_number", supplier_org.number},
                                 {"decision", Json{{"confidential_info_on_supplier_it", false},
                                                   {"stop_causes_unacceptable_delay", false},
                                                   {"supplier_reaches_internal_systems", true},
                                                   {"reason", "保守用VPNで社内網に接続"}}}}));
  EXPECT_EQ(rel.value("required_level", 0), 4);
  HOSHI_E2E_CALL(req, 201,
                 buyer.Call("POST", "/api/v1/orgs/" + buyer_org.id + "/requests",
                            Json{{"relationship_id", rel.value("id", "")},
                                 {"due_on", Today().AddMonths(6).ToIso()}}));
  EXPECT_EQ(req.value("level", 0), 4);
  HOSHI_E2E_CALL(accepted, 200,
                 supplier.Call("POST", "/api/v1/requests/" + req.value("id", "") + "/accept",
                               Json{{"note", "評価費用は折半"}}));
  EXPECT_EQ(accepted.value("state", ""), "accepted");

  HOSHI_E2E_CALL(created, 201,
                 supplier.Call("POST", "/api/v1/orgs/" + supplier_org.id + "/assessments",
                               Json{{"level", 4}, {"catalog", catalog_key_}}));
  const std::string id = created.value("id", "");
  const std::string a = "/api/v1/assessments/" + id;
  HOSHI_E2E_CALL(saved, 200, supplier.Call("PUT", a + "/answers", Answers(criteria_, 4)));
  EXPECT_EQ(saved.value("saved", 0), 153);
  EXPECT_TRUE(saved.value("level_met", false)) << saved.dump();
  HOSHI_E2E_CALL(evaluators, 200, supplier.Call("GET", "/api/v1/reviewers?role=evaluator"));
  ASSERT_EQ(evaluators["reviewers"].size(), 1U);
  EXPECT_EQ(evaluators["reviewers"][0].value("id", ""), evaluator_id);
  HOSHI_E2E_CALL(assigned, 200,
                 supplier.Call("POST", a + "/assign", Json{{"user_id", evaluator_id}}));
  EXPECT_EQ(assigned.value("role", ""), "evaluator");
  HOSHI_E2E_CALL(submitted, 200, supplier.Call("POST", a + "/submit"));
  EXPECT_EQ(submitted.value("state", ""), "submitted");
  HOSHI_E2E_CALL(started, 200, evaluator.Call("POST", a + "/review/start"));
  EXPECT_EQ(started.value("state", ""), "in_review");

  // Confirming needs both review steps passed and the technical report on file.
  ExpectApiError(evaluator.Call("POST", a + "/confirm"), 409, "failed_precondition",
                 "api.review_missing");
  HOSHI_E2E_CALL(document, 200,
                 evaluator.Call("POST", a + "/reviews/document",
                                Json{{"result", "pass"}, {"note", "規程類一式を確認"}}));
  EXPECT_EQ(document.value("result", ""), "pass");
  HOSHI_E2E_CALL(onsite, 200,
                 evaluator.Call("POST", a + "/reviews/onsite",
                                Json{{"result", "pass"}, {"note", "本社と工場を訪問"}}));
  EXPECT_EQ(onsite.value("kind", ""), "onsite");
  ExpectApiError(evaluator.Call("POST", a + "/confirm"), 409, "failed_precondition",
                 "api.report_missing");
  const std::string report = "%PDF-1.7\n% technical verification report (e2e)\n%%EOF\n";
  HOSHI_E2E_CALL(uploaded, 201,
                 evaluator.Upload(a + "/report?filename=technical-report.pdf", report));
  EXPECT_EQ(uploaded.value("kind", ""), "technical_report");
  EXPECT_EQ(uploaded.value("media_type", ""), "application/pdf");
  EXPECT_EQ(uploaded.value("sha256", ""), Sha256Hex(report));
  HOSHI_E2E_CALL(review, 200, supplier.Call("GET", a));
  EXPECT_EQ(review["review_results"].size(), 2U) << review.dump();
  HOSHI_E2E_CALL(confirmed, 200, evaluator.Call("POST", a + "/confirm"));
  EXPECT_EQ(confirmed.value("state", ""), "confirmed");

  // ★4 needs no self-declaration: the operator certifies directly.
  HOSHI_E2E_CALL(cert, 201, op.Call("POST", a + "/certify", Json{{"scope", "全社"}}));
  EXPECT_EQ(cert.value("level", 0), 4);
  EXPECT_EQ(cert.value("status", ""), "valid");
  const auto issued = Date::Parse(cert.value("issued_on", ""));
  ASSERT_TRUE(issued.ok()) << cert.dump();
  EXPECT_EQ(cert.value("expires_on", ""), issued->AddYears(3).AddDays(-1).ToIso());
  const std::string cert_id = cert.value("id", "");

  const ClientResponse vc =
      supplier.Call("GET", "/api/v1/certifications/" + cert_id + "/credential");
  ASSERT_EQ(vc.status, 200) << vc.body;
  const std::string file = (dir_ / "credential4.json").string();
  ASSERT_TRUE(WriteFileAtomic(file, vc.body).ok());
  const RunResult valid = Verify(file);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  EXPECT_TRUE(valid.out.starts_with("valid")) << valid.out;
  EXPECT_NE(valid.out.find(supplier_org.number), std::string::npos) << valid.out;

  // Two yearly self-assessments fall due, on the first and second anniversary; the evaluator may
  // see them too.
  HOSHI_E2E_CALL(annual, 200,
                 supplier.Call("GET", "/api/v1/certifications/" + cert_id + "/annual"));
  ASSERT_EQ(annual["annual"].size(), 2U) << annual.dump();
  EXPECT_EQ(annual["annual"][0].value("due_on", ""), issued->AddYears(1).ToIso());
  EXPECT_EQ(annual["annual"][1].value("due_on", ""), issued->AddYears(2).ToIso());
  for (const auto& due : annual["annual"]) {
    EXPECT_FALSE(due.value("submitted", true));
    EXPECT_FALSE(due.value("overdue", true));
  }
  EXPECT_EQ(annual.value("next_annual_due", ""), issued->AddYears(1).ToIso());
  HOSHI_E2E_CALL(annual_eval, 200,
                 evaluator.Call("GET", "/api/v1/certifications/" + cert_id + "/annual"));
  EXPECT_EQ(annual_eval["annual"].size(), 2U);

  HOSHI_E2E_CALL(portfolio, 200, buyer.Call("GET", "/api/v1/orgs/" + buyer_org.id + "/portfolio"));
  ASSERT_EQ(portfolio["suppliers"].size(), 1U);
  EXPECT_EQ(portfolio["suppliers"][0]["current"].value("level", 0), 4);
  EXPECT_EQ(portfolio["suppliers"][0]["current"].value("status", ""), "valid");
  EXPECT_TRUE(portfolio["suppliers"][0].value("meets_requirement", false));
  Session anonymous(port());
  HOSHI_E2E_CALL(lookup, 200,
                 anonymous.Call("GET", "/api/v1/public/lookup/" + supplier_org.number));
  EXPECT_EQ(lookup.value("level", 0), 4);
  EXPECT_EQ(lookup.value("status", ""), "valid");

  ASSERT_NO_FATAL_FAILURE(StopPlatform());
}

// ---- 3. bad input changes nothing ---------------------------------------------------------------

TEST_P(ServerE2eTest, BadInputIsRefusedWithStableErrorsAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartPlatform());
  Session op(port());
  ASSERT_NO_FATAL_FAILURE(LoginAs(op, kOperatorEmail));
  ASSERT_NO_FATAL_FAILURE(LoadCatalog(op));
  Org mine;
  Org other;
  Org expert_org;
  std::string expert_id;
  ASSERT_NO_FATAL_FAILURE(CreateCompany(op, CorporateNumber("440550660770"),
                                        "南風メッキ工業株式会社", "mine@example.jp", &mine));
  ASSERT_NO_FATAL_FAILURE(CreateCompany(op, CorporateNumber("550660770880"), "別会社株式会社",
                                        "other@example.jp", &other));
  ASSERT_NO_FATAL_FAILURE(CreateReviewerOrg(op, CorporateNumber("660770880990"), "専門家事務所",
                                            "expert_firm", "expert", "expert3@example.jp",
                                            &expert_org, &expert_id));
  Session me(port());
  Session them(port());
  Session expert(port());
  ASSERT_NO_FATAL_FAILURE(LoginAs(me, "mine@example.jp"));
  ASSERT_NO_FATAL_FAILURE(LoginAs(them, "other@example.jp"));
  ASSERT_NO_FATAL_FAILURE(LoginAs(expert, "expert3@example.jp"));

  // My draft (5 answers, the expert assigned) and the other company's draft (3 answers).
  HOSHI_E2E_CALL(mine_created, 201,
                 me.Call("POST", "/api/v1/orgs/" + mine.id + "/assessments",
                         Json{{"level", 3}, {"catalog", catalog_key_}}));
  const std::string a = "/api/v1/assessments/" + mine_created.value("id", "");
  HOSHI_E2E_CALL(mine_saved, 200, me.Call("PUT", a + "/answers", Answers(criteria_, 3, 5)));
  EXPECT_EQ(mine_saved.value("saved", 0), 5);
  HOSHI_E2E_CALL(assigned, 200, me.Call("POST", a + "/assign", Json{{"user_id", expert_id}}));
  HOSHI_E2E_CALL(other_created, 201,
                 them.Call("POST", "/api/v1/orgs/" + other.id + "/assessments",
                           Json{{"level", 3}, {"catalog", catalog_key_}}));
  const std::string x = "/api/v1/assessments/" + other_created.value("id", "");
  HOSHI_E2E_CALL(other_saved, 200, them.Call("PUT", x + "/answers", Answers(criteria_, 3, 3)));
  const Snapshot mine_before = SnapshotOf(me, mine_created.value("id", ""));
  const Snapshot other_before = SnapshotOf(them, other_created.value("id", ""));
  EXPECT_EQ(mine_before, (Snapshot{"draft", 5, 0}));
  EXPECT_EQ(other_before, (Snapshot{"draft", 3, 0}));
  const std::int64_t mine_audit = LastAuditSeq(me, mine.id);
  const std::int64_t other_audit = LastAuditSeq(them, other.id);
  ASSERT_GT(mine_audit, 0);
  ASSERT_GT(other_audit, 0);
  HOSHI_E2E_CALL(registry_before, 200, op.Call("GET", "/api/v1/registry"));
  const std::size_t orgs_before = registry_before["organizations"].size();
  const std::vector<Header> en{{"Accept-Language", "en"}};
  const std::vector<Header> json_type{{"Content-Type", "application/json"}};
  auto with = [](std::vector<Header> base, const std::vector<Header>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };

  // Malformed JSON and a non-object body.
  ExpectApiError(me.Send("PUT", a + "/answers", R"({"answers": {"1-1-1-1": )", json_type), 400,
                 "invalid_argument", "api.malformed_json");
  ExpectApiError(me.Send("PUT", a + "/answers", R"({"answers": )", with(json_type, en)), 400,
                 "invalid_argument", "api.malformed_json", Lang::kEn);
  ExpectApiError(me.Send("PUT", a + "/answers", "[1, 2]", json_type), 400, "invalid_argument",
                 "api.body_not_object");
  // Answers that do not fit the catalog are refused as a whole.
  Json unknown = Answers(criteria_, 3, 10);
  unknown["answers"]["9-9-9-9"] = Json{{"status", "implemented"}};
  ExpectApiError(me.Call("PUT", a + "/answers", unknown), 422, "invalid_data",
                 "api.invalid_answers");
  // A JSON body over the 1 MiB limit is refused before it is read.
  ExpectApiError(
      me.Send("PUT", a + "/answers",
              R"({"answers":{},"note":")" + std::string(1U << 20, 'x') + R"("})", json_type),
      413, "too_large");
  // Evidence must have been uploaded to this assessment.
  ExpectApiError(me.Call("PUT", a + "/answers",
                         Answers(criteria_, 3, 10, FirstCriterion(3), std::string(64, '0'))),
                 422, "invalid_data", "api.unknown_evidence");

  // Uploads: an executable, then just over the 20 MiB limit (announced and chunked).
  ExpectApiError(me.Upload(a + "/evidence?criterion=" + FirstCriterion(3) + "&filename=tool.exe",
                           std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + std::string(100, 'A')),
                 422, "invalid_data", "api.unsupported_type");
  ExpectApiError(me.Upload(a + "/evidence?criterion=" + FirstCriterion(3) + "&filename=run.sh",
                           "#!/bin/sh\nrm -rf /\n", en),
                 422, "invalid_data", "api.unsupported_type", Lang::kEn);
  const std::string big = (dir_ / "big.txt").string();
  ASSERT_TRUE(WriteFileAtomic(big, std::string((20U << 20) + 4096, 'a')).ok());
  const std::string evidence = a + "/evidence?criterion=" + FirstCriterion(3) + "&filename=big.txt";
  ExpectApiError(me.UploadFile(evidence, big, /*chunked=*/false), 413, "too_large");
  ExpectApiError(me.UploadFile(evidence, big, /*chunked=*/true, en), 413, "too_large", "",
                 Lang::kEn);
  // No temp file of the refused uploads stays behind (removal may trail the response a little).
  const fs::path uploads = data_dir_ / "uploads";
  std::size_t leftovers = 0;
  for (int i = 0; i < 100; ++i) {
    leftovers = static_cast<std::size_t>(
        std::distance(fs::directory_iterator(uploads), fs::directory_iterator()));
    if (leftovers == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(leftovers, 0U) << "temp files left in " << uploads;

  // Signup with a bad 法人番号 creates neither the organisation nor its admin.
  Session anonymous(port());
  const std::string bad_number = WrongCheckDigit(CorporateNumber("770880990110"));
  const Json signup{
      {"corporate_number", bad_number},
      {"name", "偽装商事株式会社"},
      {"admin",
       Json{{"email", "fake@example.jp"}, {"display_name", "偽装 太郎"}, {"password", kPassword}}}};
  ExpectApiError(anonymous.Call("POST", "/api/v1/signup", signup), 400, "invalid_argument",
                 "org.corporate_number_check_digit");
  ExpectApiError(anonymous.Call("POST", "/api/v1/signup", signup, en), 400, "invalid_argument",
                 "org.corporate_number_check_digit", Lang::kEn);
  Json short_number = signup;
  short_number["corporate_number"] = "12345";
  ExpectApiError(anonymous.Call("POST", "/api/v1/signup", short_number), 400, "invalid_argument",
                 "org.corporate_number_format");

  // Illegal state transitions: certify, confirm and declare on a draft; submit with gaps.
  ExpectApiError(op.Call("POST", a + "/certify", Json{{"scope", "全社"}}), 409,
                 "failed_precondition");
  ExpectApiError(expert.Call("POST", a + "/confirm"), 409, "failed_precondition");
  ExpectApiError(expert.Call("POST", a + "/confirm", Json(), en), 409, "failed_precondition", "",
                 Lang::kEn);
  ExpectApiError(
      me.Call("POST", a + "/declaration", Json{{"signer_name", "某"}, {"signer_title", "社長"}}),
      409, "failed_precondition", "api.wrong_state");
  ExpectApiError(me.Call("POST", a + "/submit"), 409, "failed_precondition");
  ExpectApiError(expert.Call("POST", a + "/comments",
                             Json{{"criterion_id", FirstCriterion(3)}, {"body", "まだ下書き"}}),
                 409, "failed_precondition", "api.wrong_state");

  // A forged session cookie: unauthenticated, whatever the CSRF header says.
  Session forger(port());
  forger.SetCredentials("hoshi_session=" + ToHex(RandomBytes(32)), me.csrf());
  ExpectApiError(forger.Call("GET", "/api/v1/me"), 401, "unauthenticated", "api.login_required");
  ExpectApiError(forger.Call("PUT", a + "/answers", Answers(criteria_, 3)), 401, "unauthenticated");
  std::string altered_cookie = me.cookie();
  altered_cookie.back() = altered_cookie.back() == 'A' ? 'B' : 'A';
  forger.SetCredentials(altered_cookie, me.csrf());
  ExpectApiError(forger.Call("PUT", a + "/answers", Answers(criteria_, 3), en), 401,
                 "unauthenticated", "api.login_required", Lang::kEn);
  ExpectApiError(forger.Call("GET", a), 401, "unauthenticated");

  // A real session without (or with a wrong) CSRF header on unsafe methods: 403.
  const std::string answers_text = DumpJson(Answers(criteria_, 3), -1);
  ExpectApiError(me.Send("PUT", a + "/answers", answers_text, json_type, true, false), 403,
                 "permission_denied", "api.csrf");
  ExpectApiError(me.Send("POST", "/api/v1/orgs/" + mine.id + "/assessments", R"({"level":3})",
                         with(json_type, en), true, false),
                 403, "permission_denied", "api.csrf", Lang::kEn);
  ExpectApiError(
      me.Send("POST", a + "/submit", "",
              std::vector<Header>{Header{"X-CSRF-Token", std::string(me.csrf().size(), 'x')}}, true,
              false),
      403, "permission_denied", "api.csrf");
  ExpectApiError(me.Send("POST", "/api/v1/auth/logout", "", {}, true, false), 403,
                 "permission_denied", "api.csrf");

  // Another organisation's assessment is invisible: 404 for reading and writing alike.
  ExpectApiError(me.Call("GET", x), 404, "not_found");
  ExpectApiError(me.Call("GET", x, Json(), en), 404, "not_found", "", Lang::kEn);
  ExpectApiError(me.Call("PUT", x + "/answers", Answers(criteria_, 3)), 404, "not_found");
  ExpectApiError(me.Call("POST", x + "/submit"), 404, "not_found");
  ExpectApiError(
      me.Upload(x + "/evidence?criterion=" + FirstCriterion(3) + "&filename=a.txt", "hello\n"), 404,
      "not_found");
  ExpectApiError(me.Call("GET", "/api/v1/orgs/" + other.id + "/assessments"), 404, "not_found");
  ExpectApiError(me.Call("POST", "/api/v1/orgs/" + other.id + "/assessments", Json{{"level", 3}}),
                 404, "not_found");

  // A registration that fails half-way (the organisation is fine, its admin is not) keeps
  // nothing: the transaction rolls back and the 法人番号 stays free.
  const std::string half_number = CorporateNumber("880990110220");
  Json weak = signup;
  weak["corporate_number"] = half_number;
  weak["admin"]["password"] = "short";
  ExpectApiError(anonymous.Call("POST", "/api/v1/signup", weak), 400, "invalid_argument");
  Json taken = signup;
  taken["corporate_number"] = half_number;
  taken["admin"]["email"] = "other@example.jp";  // an existing account is never attached
  ExpectApiError(anonymous.Call("POST", "/api/v1/signup", taken), 409, "already_exists");
  Json by_operator = weak;
  by_operator["kind"] = "company";
  ExpectApiError(op.Call("POST", "/api/v1/orgs", by_operator), 400, "invalid_argument");

  // Nothing changed: both assessments, both audit chains, the registry; the failed signup made
  // no user; the sessions still work.
  EXPECT_EQ(SnapshotOf(me, mine_created.value("id", "")), mine_before);
  EXPECT_EQ(SnapshotOf(them, other_created.value("id", "")), other_before);
  EXPECT_EQ(LastAuditSeq(me, mine.id), mine_audit);
  EXPECT_EQ(LastAuditSeq(them, other.id), other_audit);
  HOSHI_E2E_CALL(mine_list, 200, me.Call("GET", "/api/v1/orgs/" + mine.id + "/assessments"));
  EXPECT_EQ(mine_list["assessments"].size(), 1U);
  HOSHI_E2E_CALL(registry_after, 200, op.Call("GET", "/api/v1/registry"));
  EXPECT_EQ(registry_after["organizations"].size(), orgs_before);
  HOSHI_E2E_CALL(registry_bad, 200, op.Call("GET", "/api/v1/registry?q=" + bad_number));
  EXPECT_TRUE(registry_bad["organizations"].empty()) << registry_bad.dump();
  Session fake(port());
  ExpectApiError(fake.Login("fake@example.jp", kPassword), 401, "unauthenticated");
  EXPECT_EQ(std::distance(fs::directory_iterator(uploads), fs::directory_iterator()), 0);
  HOSHI_E2E_CALL(still, 200, me.Call("PUT", a + "/answers", Answers(criteria_, 3, 6)));
  EXPECT_EQ(still.value("saved", 0), 6);
  Json retry = signup;
  retry["corporate_number"] = half_number;
  retry["admin"]["email"] = "half@example.jp";
  HOSHI_E2E_CALL(late, 201, anonymous.Call("POST", "/api/v1/signup", retry));
  EXPECT_EQ(late["organization"].value("corporate_number", ""), half_number);
  // After logging out the old cookie is worthless.
  HOSHI_E2E_CALL(logout, 204, me.Call("POST", "/api/v1/auth/logout"));
  ExpectApiError(me.Call("GET", "/api/v1/me"), 401, "unauthenticated", "api.login_required");

  ASSERT_NO_FATAL_FAILURE(StopPlatform());
}

// ---- 4. the audit chain -------------------------------------------------------------------------

TEST_P(ServerE2eTest, VerifyAuditPassesAfterAFlowAndFailsAfterOneRowIsEdited) {
  ASSERT_NO_FATAL_FAILURE(StartPlatform());
  Star3 w;
  ASSERT_NO_FATAL_FAILURE(RunStar3Flow(w));

  const RunResult intact = Exec({"admin", "verify-audit"});
  EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_NE(intact.out.find("The audit log is intact."), std::string::npos) << intact.out;

  // Edit the payload of the supplier's "answers saved" event behind the server's back.
  auto conn = storage::Open(DatabaseUrl());
  ASSERT_TRUE(conn.ok()) << conn.error().ToString(Lang::kEn) << " " << conn.error().detail();
  const std::vector<storage::Value> who{w.supplier_org.id, std::string("assessment.answers_saved")};
  auto row = (*conn)->Query(
      "SELECT seq, payload FROM audit_events WHERE organization_id = ? AND action = ?", who);
  ASSERT_TRUE(row.ok()) << row.error().detail();
  ASSERT_EQ(row->rows.size(), 1U);
  const std::int64_t seq = row->rows[0].GetInt(0).value();
  const std::string original = row->rows[0].GetText(1).value();
  EXPECT_EQ(original, R"({"answers":81})");
  const std::vector<storage::Value> tamper{std::string(R"({"answers":80})"), w.supplier_org.id,
                                           seq};
  auto updated = (*conn)->Query(
      "UPDATE audit_events SET payload = ? WHERE organization_id = ? AND seq = ?", tamper);
  ASSERT_TRUE(updated.ok()) << updated.error().detail();
  ASSERT_EQ(updated->rows_affected, 1);

  const RunResult broken = Exec({"admin", "verify-audit"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(broken.out.find(w.supplier_org.id + " #" + std::to_string(seq)), std::string::npos)
      << broken.out;
  EXPECT_NE(broken.out.find("The audit log has"), std::string::npos) << broken.out;

  // Putting the original back makes the chain whole again; deleting the newest event of another
  // organisation (the head is recorded separately) breaks it again.
  const std::vector<storage::Value> restore{original, w.supplier_org.id, seq};
  ASSERT_TRUE((*conn)
                  ->Query("UPDATE audit_events SET payload = ? WHERE organization_id = ? AND seq "
                          "= ?",
                          restore)
                  .ok());
  const RunResult restored = Exec({"admin", "verify-audit"});
  EXPECT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  const std::vector<storage::Value> buyer{w.buyer_org.id};
  auto newest =
      (*conn)->Query("SELECT MAX(seq) FROM audit_events WHERE organization_id = ?", buyer);
  ASSERT_TRUE(newest.ok());
  const std::vector<storage::Value> drop{w.buyer_org.id, newest->rows[0].GetInt(0).value()};
  ASSERT_TRUE(
      (*conn)->Query("DELETE FROM audit_events WHERE organization_id = ? AND seq = ?", drop).ok());
  const RunResult truncated = Exec({"admin", "verify-audit"});
  EXPECT_EQ(truncated.exit_code, 1) << truncated.out << truncated.err;
  EXPECT_NE(truncated.out.find(w.buyer_org.id), std::string::npos) << truncated.out;
  conn->reset();

  ASSERT_NO_FATAL_FAILURE(StopPlatform());
}

// ---- 5. health, readiness and keep-alive --------------------------------------------------------

/// Reads one HTTP/1.1 response (head + Content-Length body) from `fd`, keeping what follows in
/// `buffer` (pipelining). Returns "" on EOF or timeout.
std::string ReadResponse(int fd, std::string& buffer) {
  auto fill = [&]() {
    char chunk[4096];
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t head_end = 0;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      return {};
    }
  }
  std::size_t length = 0;
  std::string lower = buffer.substr(0, head_end);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (const std::size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
    length = std::stoul(lower.substr(at + 17));
  }
  while (buffer.size() < head_end + 4 + length) {
    if (!fill()) {
      return {};
    }
  }
  std::string response = buffer.substr(0, head_end + 4 + length);
  buffer.erase(0, head_end + 4 + length);
  return response;
}

TEST_P(ServerE2eTest, HealthAndReadinessAnswerOnOneKeptAliveConnection) {
  ASSERT_NO_FATAL_FAILURE(StartPlatform());

  // Several requests, successes and errors alike, over one Client.
  auto client = http::Client::Connect("127.0.0.1", port());
  ASSERT_TRUE(client.ok()) << client.error().ToString(Lang::kEn);
  for (int round = 0; round < 3; ++round) {
    auto health = client->Send("GET", "/healthz");
    ASSERT_TRUE(health.ok()) << health.error().ToString(Lang::kEn);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(BodyJson(*health).value("status", ""), "ok");
    EXPECT_NE(health->HeaderValue("Connection"), "close");
    EXPECT_FALSE(health->HeaderValue("X-Request-Id").empty());
    auto ready = client->Send("GET", "/readyz");
    ASSERT_TRUE(ready.ok()) << ready.error().ToString(Lang::kEn);
    EXPECT_EQ(ready->status, 200);
    EXPECT_EQ(BodyJson(*ready).value("status", ""), "ready");
    auto issuer = client->Send("GET", "/api/v1/public/issuer");
    ASSERT_TRUE(issuer.ok());
    EXPECT_EQ(issuer->status, 200);
    EXPECT_EQ(BodyJson(*issuer).value("id", ""), server_->issuer_did());
    EXPECT_EQ(issuer->HeaderValue("X-Content-Type-Options"), "nosniff");
    auto missing = client->Send("GET", "/api/v1/no-such-route");
    ASSERT_TRUE(missing.ok());
    ExpectApiError(*missing, 404, "not_found", "api.no_route");
    auto login_required = client->Send("GET", "/api/v1/me", {{"Accept-Language", "en"}});
    ASSERT_TRUE(login_required.ok());
    ExpectApiError(*login_required, 401, "unauthenticated", "api.login_required", Lang::kEn);
    EXPECT_TRUE(client->connected());
  }

  // The same on a raw socket, which proves that one TCP connection carries them all: sequential
  // requests, two pipelined ones answered in order, and a final Connection: close.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto send_all = [fd](std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  };
  std::string buffer;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(send_all("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const std::string r = ReadResponse(fd, buffer);
    EXPECT_TRUE(r.starts_with("HTTP/1.1 200")) << r;
    EXPECT_NE(r.find(R"({"status":"ok"})"), std::string::npos) << r;
  }
  ASSERT_TRUE(
      send_all("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
               "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const std::string first = ReadResponse(fd, buffer);
  const std::string second = ReadResponse(fd, buffer);
  EXPECT_NE(first.find(R"({"status":"ready"})"), std::string::npos) << first;
  EXPECT_NE(second.find(R"({"status":"ok"})"), std::string::npos) << second;
  ASSERT_TRUE(send_all("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  const std::string last = ReadResponse(fd, buffer);
  EXPECT_TRUE(last.starts_with("HTTP/1.1 200")) << last;
  std::string lower = last;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_NE(lower.find("connection: close"), std::string::npos) << last;
  char byte = 0;
  EXPECT_EQ(recv(fd, &byte, 1, 0), 0) << "the server should close after Connection: close";
  close(fd);

  ASSERT_NO_FATAL_FAILURE(StopPlatform());
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& param) {
  return param.param == "postgres" ? std::string("Postgres") : std::string("Sqlite");
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerE2eTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace hoshi
