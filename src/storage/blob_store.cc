// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/blob_store.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "hoshi/core/crypto.h"
#include "hoshi/storage/messages.h"

namespace hoshi::storage {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kDirMode = 0700;
constexpr mode_t kBlobMode = 0400;  // blobs are immutable
constexpr std::size_t kChunkSize = std::size_t{64} * 1024;

std::string ErrnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

Error BlobIoError(std::string_view what, const fs::path& path, int err) {
  return MakeError(ErrorCode::kIoError, StorageMessages(), "storage.blob_io")
      .WithDetail(fmt::format("{} {}: {}", what, path.string(), ErrnoText(err)));
}

Error BadHashError(std::string_view hash) {
  // The rejected text is user input: only its length goes to the log.
  return MakeError(ErrorCode::kInvalidArgument, StorageMessages(), "storage.blob_bad_hash")
      .WithDetail(fmt::format("malformed blob hash ({} bytes)", hash.size()));
}

Error TooLargeError(std::uint64_t max_bytes) {
  return MakeError(ErrorCode::kTooLarge, StorageMessages(), "storage.blob_too_large",
                   FormatNumber(static_cast<long long>(max_bytes)));
}

// Creates `dir` with mode 0700 unless it exists (as a directory).
Status MakeDir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), kDirMode) == 0) {
    // mkdir's mode is filtered by the umask; make sure the result is exactly 0700.
    if (::chmod(dir.c_str(), kDirMode) != 0) {
      return BlobIoError("chmod", dir, errno);
    }
    return Status::Ok();
  }
  const int err = errno;
  struct stat st {};
  if (err == EEXIST && ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return Status::Ok();
  }
  return BlobIoError("mkdir", dir, err == EEXIST ? ENOTDIR : err);
}

Status FsyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return BlobIoError("open", dir, errno);
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : BlobIoError("fsync", dir, err);
}

bool IsRegularFile(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A temporary file that is removed unless it was linked into place (and even then: the blob
// keeps its own link).
class TempFile {
 public:
  static Result<TempFile> Create(const fs::path& dir) {
    fs::path path = dir / (".tmp-" + ToHex(RandomBytes(12)));
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kBlobMode);
    if (fd < 0) {
      return BlobIoError("create", path, errno);
    }
    return TempFile(std::move(path), fd);
  }
  TempFile(TempFile&& other) noexcept
      : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {
    other.path_.clear();
  }
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (!path_.empty()) {
      ::unlink(path_.c_str());
    }
  }

  Status Write(const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return BlobIoError("write", path_, errno);
      }
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return Status::Ok();
  }

  // fsync + close, before the file is linked into place.
  Status Finish() {
    if (::fsync(fd_) != 0) {
      return BlobIoError("fsync", path_, errno);
    }
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? Status::Ok() : BlobIoError("close", path_, errno);
  }

  // Gives the finished file the name `target` unless that name exists already (then the existing
  // blob, with the same content by construction, is kept).
  Status LinkTo(const fs::path& target) {
    if (::link(path_.c_str(), target.c_str()) == 0 || errno == EEXIST) {
      return FsyncDir(target.parent_path());
    }
    // Filesystems without hard links: rename, but never over an existing file.
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
      path_.clear();
      return FsyncDir(target.parent_path());
    }
    if (errno == EEXIST) {
      return Status::Ok();
    }
    return BlobIoError("link", target, errno);
  }

 private:
  TempFile(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  fs::path path_;
  int fd_;
};

// Opens a stored blob for reading. Errors: kNotFound, kIoError.
Result<int> OpenBlob(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return MakeError(ErrorCode::kNotFound, StorageMessages(), "storage.blob_not_found")
          .WithDetail(fmt::format("no blob at {}", path.string()));
    }
    return BlobIoError("open", path, err);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int err = errno;
    ::close(fd);
    return BlobIoError("stat", path, S_ISREG(st.st_mode) ? err : EINVAL);
  }
  return fd;
}

}  // namespace

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

Result<BlobStore> BlobStore::Open(const std::filesystem::path& root) {
  if (root.empty()) {
    return MakeError(ErrorCode::kIoError, StorageMessages(), "storage.blob_io")
        .WithDetail("empty blob store root");
  }
  std::error_code ec;
  const fs::path absolute = fs::absolute(root, ec).lexically_normal();
  if (ec) {
    return BlobIoError("resolve", root, ec.value());
  }
  // Parents are created like `mkdir -p`; the root itself is private to the owner.
  const fs::path parent = absolute.parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) {
      return BlobIoError("mkdir", parent, ec.value());
    }
  }
  HOSHI_RETURN_IF_ERROR(MakeDir(absolute));
  return BlobStore(absolute);
}

Result<std::filesystem::path> BlobStore::PathOf(std::string_view hash) const {
  if (!IsSha256Hex(hash)) {
    return BadHashError(hash);
  }
  return root_ / std::string(hash.substr(0, 2)) / std::string(hash.substr(2, 2)) /
         std::string(hash);
}

Result<std::string> BlobStore::Put(std::string_view data) {
  std::string hash = Sha256Hex(data);
  HOSHI_ASSIGN_OR_RETURN(const fs::path path, PathOf(hash));
  if (IsRegularFile(path)) {
    return hash;
  }
  HOSHI_RETURN_IF_ERROR(MakeDir(path.parent_path().parent_path()));
  HOSHI_RETURN_IF_ERROR(MakeDir(path.parent_path()));
  HOSHI_ASSIGN_OR_RETURN(TempFile temp, TempFile::Create(path.parent_path()));
  HOSHI_RETURN_IF_ERROR(temp.Write(data.data(), data.size()));
  HOSHI_RETURN_IF_ERROR(temp.Finish());
  HOSHI_RETURN_IF_ERROR(temp.LinkTo(path));
  return hash;
}

Result<std::string> BlobStore::PutStream(std::istream& in, std::uint64_t max_bytes) {
  // The hash is known only at the end, so the temporary file sits in the root (same filesystem).
  HOSHI_ASSIGN_OR_RETURN(TempFile temp, TempFile::Create(root_));
  Sha256Hasher hasher;
  std::array<char, kChunkSize> buffer{};
  std::uint64_t total = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) {
      break;
    }
    total += n;
    if (total > max_bytes) {
      return TooLargeError(max_bytes);  // ~TempFile removes the partial file
    }
    hasher.Update(std::string_view(buffer.data(), n));
    HOSHI_RETURN_IF_ERROR(temp.Write(buffer.data(), n));
  }
  if (in.bad()) {
    return MakeError(ErrorCode::kIoError, StorageMessages(), "storage.blob_io")
        .WithDetail("reading the input stream failed");
  }
  HOSHI_RETURN_IF_ERROR(temp.Finish());
  const Sha256Digest digest = hasher.Finish();
  std::string hash = ToHex(digest);
  HOSHI_ASSIGN_OR_RETURN(const fs::path path, PathOf(hash));
  if (IsRegularFile(path)) {
    return hash;
  }
  HOSHI_RETURN_IF_ERROR(MakeDir(path.parent_path().parent_path()));
  HOSHI_RETURN_IF_ERROR(MakeDir(path.parent_path()));
  HOSHI_RETURN_IF_ERROR(temp.LinkTo(path));
  return hash;
}

Result<std::string> BlobStore::Get(std::string_view hash, std::uint64_t max_bytes) const {
  HOSHI_ASSIGN_OR_RETURN(const fs::path path, PathOf(hash));
  HOSHI_ASSIGN_OR_RETURN(const int fd, OpenBlob(path));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return TooLargeError(max_bytes);
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  std::array<char, kChunkSize> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      ::close(fd);
      return BlobIoError("read", path, err);
    }
    if (n == 0) {
      break;
    }
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(fd);
      return TooLargeError(max_bytes);
    }
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

bool BlobStore::Contains(std::string_view hash) const {
  const Result<fs::path> path = PathOf(hash);
  return path.ok() && IsRegularFile(*path);
}

Status BlobStore::Verify(std::string_view hash) const {
  HOSHI_ASSIGN_OR_RETURN(const fs::path path, PathOf(hash));
  HOSHI_ASSIGN_OR_RETURN(const int fd, OpenBlob(path));
  Sha256Hasher hasher;
  std::array<char, kChunkSize> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      ::close(fd);
      return BlobIoError("read", path, err);
    }
    if (n == 0) {
      break;
    }
    hasher.Update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  ::close(fd);
  if (ToHex(hasher.Finish()) != hash) {
    return MakeError(ErrorCode::kDataError, StorageMessages(), "storage.blob_corrupt")
        .WithDetail(fmt::format("content of {} no longer matches its hash", path.string()));
  }
  return Status::Ok();
}

}  // namespace hoshi::storage
