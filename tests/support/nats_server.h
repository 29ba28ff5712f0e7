// SPDX-License-Identifier: Apache-2.0
// Test support: a private nats-server (Debian package nats-server) with JetStream, on 127.0.0.1
// and a free port, with its own store directory.
//
//   hoshi::testing::NatsServer nats;
//   ASSERT_TRUE(nats.Start());
//   ... JetStreamOptions{.url = nats.url()} ...
//   ASSERT_TRUE(nats.Restart());  // same port, same store: JetStream data survives
//
// A missing nats-server binary fails the test (it does not skip): ./test installs the package.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;  // POSIX; declared by <unistd.h> only under _GNU_SOURCE

namespace hoshi::testing {

/// A free TCP port on 127.0.0.1 at the time of the call (bound to port 0, then released), or 0.
inline int PickFreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  auto* generic = reinterpret_cast<sockaddr*>(&addr);
  if (::bind(fd, generic, sizeof(addr)) == 0 && ::getsockname(fd, generic, &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
inline bool PortAcceptsConnections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

/// One nats-server child process with JetStream enabled. Not thread-safe (use it from the test's
/// thread). The destructor stops the server and removes the store directory if it created it.
class NatsServer {
 public:
  /// How long Start/Restart wait for the server to accept connections.
  static constexpr std::chrono::seconds kStartTimeout{20};
  /// How long Stop waits after SIGTERM before it sends SIGKILL.
  static constexpr std::chrono::seconds kStopTimeout{10};

  /// `store_dir`: the JetStream store (-sd); empty means a fresh temporary directory that the
  /// destructor removes.
  explicit NatsServer(std::string store_dir = {}) : store_dir_(std::move(store_dir)) {}

  ~NatsServer() {
    Stop();
    if (owns_dir_ && !dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;
  NatsServer(NatsServer&&) = delete;
  NatsServer& operator=(NatsServer&&) = delete;

  /// /usr/sbin/nats-server, else `nats-server` on PATH; nullopt when neither exists.
  static std::optional<std::string> FindBinary() {
    if (::access("/usr/sbin/nats-server", X_OK) == 0) {
      return std::string("/usr/sbin/nats-server");
    }
    const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): test setup
    std::stringstream dirs(path == nullptr ? "" : path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      const std::string candidate = (dir.empty() ? "." : dir) + "/nats-server";
      if (::access(candidate.c_str(), X_OK) == 0) {
        return candidate;
      }
    }
    return std::nullopt;
  }

  /// Starts the server on a free port (retrying with another port if it loses a race for one)
  /// and waits until it accepts connections. Use as ASSERT_TRUE(server.Start()).
  ::testing::AssertionResult Start() {
    if (running()) {
      return ::testing::AssertionFailure() << "nats-server is already running on " << url();
    }
    auto binary = FindBinary();
    if (!binary) {
      return ::testing::AssertionFailure()
             << "nats-server was not found (looked for /usr/sbin/nats-server and nats-server on "
                "PATH). Install the Debian package: sudo apt-get install nats-server (./test "
                "installs it).";
    }
    binary_ = *binary;
    if (auto prepared = PrepareDirs(); !prepared) {
      return prepared;
    }
    ::testing::AssertionResult last = ::testing::AssertionFailure() << "no attempt made";
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = PickFreePort();
      if (port_ == 0) {
        return ::testing::AssertionFailure() << "could not find a free port on 127.0.0.1";
      }
      last = Launch();
      if (last) {
        return last;
      }
    }
    return last;
  }

  /// Stops the server (SIGTERM, then SIGKILL after kStopTimeout) and starts it again on the same
  /// port with the same store directory.
  ::testing::AssertionResult Restart() {
    if (port_ == 0) {
      return ::testing::AssertionFailure() << "Restart() before Start()";
    }
    Stop();
    return Launch();
  }

  /// Graceful stop: SIGTERM and wait (SIGKILL after kStopTimeout). No-op when not running.
  void Stop() {
    if (pid_ <= 0) {
      return;
    }
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Reap(WNOHANG)) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Kill();
  }

  /// Abrupt stop: SIGKILL and wait. No-op when not running.
  void Kill() {
    if (pid_ <= 0) {
      return;
    }
    ::kill(pid_, SIGKILL);
    Reap(0);
  }

  /// "nats://127.0.0.1:<port>".
  [[nodiscard]] std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool running() const { return pid_ > 0; }
  /// The JetStream store directory (-sd).
  [[nodiscard]] const std::string& store_dir() const { return store_dir_; }
  /// The server's log file (its stdout and stderr, appended across restarts).
  [[nodiscard]] std::string log_file() const { return dir_ + "/nats-server.log"; }

  /// The last `max_bytes` of the server log, for failure messages.
  [[nodiscard]] std::string LogTail(std::size_t max_bytes = 2000) const {
    std::ifstream in(log_file(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.size() > max_bytes) {
      text = "..." + text.substr(text.size() - max_bytes);
    }
    return text;
  }

 private:
  ::testing::AssertionResult PrepareDirs() {
    if (!dir_.empty()) {
      return ::testing::AssertionSuccess();
    }
    std::string base = ::testing::TempDir();
    if (base.empty() || base.back() != '/') {
      base += '/';
    }
    std::string pattern = base + "hoshi-nats.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
      return ::testing::AssertionFailure() << "mkdtemp(" << pattern << ") failed: errno " << errno;
    }
    dir_ = buffer.data();
    owns_dir_ = true;
    if (store_dir_.empty()) {
      store_dir_ = dir_ + "/store";
    }
    std::error_code ec;
    std::filesystem::create_directories(store_dir_, ec);
    if (ec) {
      return ::testing::AssertionFailure()
             << "cannot create store directory " << store_dir_ << ": " << ec.message();
    }
    return ::testing::AssertionSuccess();
  }

  ::testing::AssertionResult Launch() {
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {binary_, "-a",  "127.0.0.1", "-p", port,
                                     "-js",   "-sd", store_dir_,  "-n", "hoshi-test-" + port};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = log_file();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, binary_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      return ::testing::AssertionFailure() << "posix_spawn(" << binary_ << ") failed: " << rc;
    }
    pid_ = pid;

    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Reap(WNOHANG)) {
        return ::testing::AssertionFailure()
               << "nats-server exited during start-up (port " << port_ << "). Log:\n"
               << LogTail();
      }
      if (PortAcceptsConnections(port_)) {
        return ::testing::AssertionSuccess();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Kill();
    return ::testing::AssertionFailure()
           << "nats-server did not accept connections on 127.0.0.1:" << port_ << " within "
           << kStartTimeout.count() << " s. Log:\n"
           << LogTail();
  }

  // Waits for the child (flags: 0 or WNOHANG); true once it has exited and been reaped.
  bool Reap(int flags) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, flags);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      pid_ = -1;
      return true;
    }
    return false;
  }

  std::string store_dir_;
  std::string dir_;  // temp dir holding the log (and the store, when not given)
  bool owns_dir_ = false;
  std::string binary_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace hoshi::testing
