// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "hoshi/core/result.h"

namespace hoshi::storage {

/// Content-addressed file store for evidence and imported documents. A blob is named by the
/// lower-case hex SHA-256 of its bytes and lives at `<root>/<h[0:2]>/<h[2:4]>/<h>`. Writes go to a
/// temporary file in the same directory, are fsynced, and are linked into place without ever
/// replacing an existing blob. The root should sit outside any web root (it is created 0700).
/// Thread-safe: concurrent Puts of the same content are fine.
class BlobStore {
 public:
  /// Opens (creating if needed) the store under `root`. Errors: kIoError.
  [[nodiscard]] static Result<BlobStore> Open(const std::filesystem::path& root);

  /// Stores `data`; returns its hash. Storing existing content is a no-op returning the same hash.
  [[nodiscard]] Result<std::string> Put(std::string_view data);
  /// Streams `in` into the store, hashing on the way; fails with kTooLarge (leaving nothing
  /// behind) once more than `max_bytes` were read.
  [[nodiscard]] Result<std::string> PutStream(std::istream& in, std::uint64_t max_bytes);
  /// Reads a blob. Errors: kInvalidArgument (not a SHA-256 hex), kNotFound, kTooLarge, kIoError.
  [[nodiscard]] Result<std::string> Get(std::string_view hash,
                                        std::uint64_t max_bytes = 64ULL << 20) const;
  [[nodiscard]] bool Contains(std::string_view hash) const;
  /// Re-hashes a stored blob; kDataError if its bytes no longer match its name.
  [[nodiscard]] Status Verify(std::string_view hash) const;
  /// Where a blob lives (whether or not it exists). kInvalidArgument for a malformed hash.
  [[nodiscard]] Result<std::filesystem::path> PathOf(std::string_view hash) const;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

 private:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

/// True for 64 lower-case hex characters.
[[nodiscard]] bool IsSha256Hex(std::string_view text);

}  // namespace hoshi::storage
