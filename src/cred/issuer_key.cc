// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/issuer_key.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>
#include <vector>

#include "hoshi/cred/data_integrity.h"
#include "hoshi/cred/messages.h"

namespace hoshi::cred {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxKeyFileBytes = 4096;

/// Wipes a buffer that held secret material.
class Wiper {
 public:
  explicit Wiper(std::string& s) : s_(s) {}
  ~Wiper() { explicit_bzero(s_.data(), s_.size()); }
  Wiper(const Wiper&) = delete;
  Wiper& operator=(const Wiper&) = delete;

 private:
  std::string& s_;
};

std::string ErrnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

Error IoError(const fs::path& file, int err) {
  return MakeError(ErrorCode::kIoError, CredMessages(), "cred.key.io", file.string(),
                   ErrnoText(err));
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) {
    return {};
  }
  const auto end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

/// Reads and checks an open key file: a private regular file holding the seed.
Result<IssuerKey> ReadKeyFile(int fd, const fs::path& file, std::string_view name) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return IoError(file, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kPermissionDenied, CredMessages(), "cred.key.not_regular",
                     file.string());
  }
  if ((st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kPermissionDenied, CredMessages(), "cred.key.permissions",
                     file.string());
  }
  std::string content;
  Wiper wipe_content(content);
  content.reserve(kMaxKeyFileBytes + 1);
  std::array<char, 512> buf{};
  while (content.size() <= kMaxKeyFileBytes) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int err = errno;
      explicit_bzero(buf.data(), buf.size());
      return IoError(file, err);
    }
    if (n == 0) {
      break;
    }
    content.append(buf.data(), static_cast<std::size_t>(n));
  }
  explicit_bzero(buf.data(), buf.size());
  const std::string_view text = Trim(content);
  Result<Bytes> seed = text.size() == 64   ? FromHex(text)
                       : text.size() == 43 ? Base64UrlDecode(text)
                                           : Result<Bytes>(Bytes());
  if (!seed || seed->size() != 32 || content.size() > kMaxKeyFileBytes) {
    if (seed && !seed->empty()) {
      explicit_bzero(seed->data(), seed->size());
    }
    return MakeError(ErrorCode::kDataError, CredMessages(), "cred.key.bad_seed", file.string());
  }
  auto key = Ed25519KeyPair::FromSeed(*seed);
  explicit_bzero(seed->data(), seed->size());
  if (!key) {
    return std::move(key).error();
  }
  return IssuerKey{std::move(key).value(), std::string(name)};
}

/// Creates the missing directories above `file`, each with mode 0700.
Status MakeParentDirectories(const fs::path& dir) {
  std::vector<fs::path> missing;
  for (fs::path p = dir; !p.empty(); p = p.parent_path()) {
    std::error_code ec;
    if (fs::exists(p, ec)) {
      break;
    }
    missing.push_back(p);
    if (p == p.parent_path()) {
      break;
    }
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
      return IoError(*it, errno);
    }
  }
  return Status::Ok();
}

/// Writes a new random key to `file` without ever replacing an existing file: the seed goes to a
/// private temporary file that is then hard-linked into place (link() fails if `file` exists).
/// Returns nullopt-like kAlreadyExists when another process created the file first.
Result<IssuerKey> CreateKeyFile(const fs::path& file, std::string_view name) {
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  HOSHI_RETURN_IF_ERROR(MakeParentDirectories(dir));
  HOSHI_ASSIGN_OR_RETURN(Ed25519KeyPair key, Ed25519KeyPair::Generate());
  auto seed = key.Seed();
  std::string content = ToHex(seed) + "\n";
  explicit_bzero(seed.data(), seed.size());
  Wiper wipe_content(content);

  const fs::path tmp = dir / (".tmp-" + ToHex(RandomBytes(8)) + "-" + file.filename().string());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return IoError(file, errno);
  }
  const auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return IoError(file, err);
  };
  if (::fchmod(fd, 0600) != 0) {
    return fail(errno);
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return fail(errno);
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return IoError(file, err);
  }
  const int link_rc = ::link(tmp.c_str(), file.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (link_rc != 0) {
    if (link_errno == EEXIST) {
      return MakeError(ErrorCode::kAlreadyExists, CredMessages(), "cred.key.io", file.string(),
                       ErrnoText(EEXIST));
    }
    return IoError(file, link_errno);
  }
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);  // best effort: make the new name durable
    ::close(dir_fd);
  }
  return IssuerKey{std::move(key), std::string(name)};
}

Result<IssuerKey> OpenAndRead(const fs::path& file, std::string_view name, int& open_errno) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    open_errno = errno;
    if (open_errno == ELOOP) {
      return MakeError(ErrorCode::kPermissionDenied, CredMessages(), "cred.key.not_regular",
                       file.string());
    }
    return IoError(file, open_errno);
  }
  open_errno = 0;
  auto key = ReadKeyFile(fd, file, name);
  ::close(fd);
  return key;
}

}  // namespace

Result<IssuerKey> LoadOrCreateIssuerKey(const fs::path& file, std::string_view name) {
  if (name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.empty_issuer_name");
  }
  int open_errno = 0;
  auto loaded = OpenAndRead(file, name, open_errno);
  if (loaded || open_errno != ENOENT) {
    return loaded;
  }
  auto created = CreateKeyFile(file, name);
  if (!created && created.error().code() == ErrorCode::kAlreadyExists) {
    // Another process created the key between our open() and link(): use theirs.
    return OpenAndRead(file, name, open_errno);
  }
  return created;
}

Result<Bytes> LoadPublicKey(std::string_view text_or_did) {
  const std::string_view text = Trim(text_or_did);
  if (text.starts_with("did:")) {
    return PublicKeyFromDidKey(text);
  }
  if (text.starts_with("z")) {
    return PublicKeyFromMultibase(text);
  }
  if (text.size() == 64) {
    if (auto bytes = FromHex(text); bytes) {
      return bytes;
    }
  }
  return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.bad_public_key",
                   std::string(text.substr(0, 80)));
}

}  // namespace hoshi::cred
