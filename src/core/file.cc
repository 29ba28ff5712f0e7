// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "hoshi/core/crypto.h"

namespace hoshi {
namespace {

std::string ErrnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return MakeError(ErrorCode::kNotFound, CoreMessages(), "core.file_read", path,
                     ErrnoText(ENOENT));
  }
  if (std::filesystem::is_directory(status)) {
    return MakeError(ErrorCode::kIoError, CoreMessages(), "core.file_read", path,
                     ErrnoText(EISDIR));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return MakeError(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIoError, CoreMessages(),
                     "core.file_read", path, ErrnoText(err));
  }
  std::string out;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      ::close(fd);
      return MakeError(ErrorCode::kIoError, CoreMessages(), "core.file_read", path, ErrnoText(err));
    }
    if (n == 0) {
      break;
    }
    if (out.size() + static_cast<std::uint64_t>(n) > max_bytes) {
      ::close(fd);
      return MakeError(ErrorCode::kTooLarge, CoreMessages(), "core.file_too_large", path,
                       FormatNumber(static_cast<long long>(max_bytes)));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const std::string tmp =
      (dir / (".tmp-" + ToHex(RandomBytes(8)) + "-" + target.filename().string())).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return MakeError(ErrorCode::kIoError, CoreMessages(), "core.file_write", path,
                     ErrnoText(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return MakeError(ErrorCode::kIoError, CoreMessages(), "core.file_write", path,
                       ErrnoText(err));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return MakeError(ErrorCode::kIoError, CoreMessages(), "core.file_write", path, ErrnoText(err));
  }
  return Status::Ok();
}

}  // namespace hoshi
