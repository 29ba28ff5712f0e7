// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "hoshi/core/crypto.h"
#include "hoshi/core/result.h"

namespace hoshi::cred {

/// The operator's (IPA's) signing key and the name shown as the credential issuer. Move-only; the
/// secret part is wiped when the key pair is destroyed.
struct IssuerKey {
  Ed25519KeyPair key;
  std::string name;
};

/// Loads the issuer key from `file`, or creates a fresh random one there when the file does not
/// exist. The file holds the 32-byte Ed25519 seed as 64 hex digits (43 base64url characters are
/// accepted too) plus a newline, mode 0600; a missing parent directory is created with mode 0700.
/// Creation is atomic and never replaces an existing file (a concurrent creator wins and its key
/// is loaded). Refuses (kPermissionDenied) a key file readable or writable by group or others and
/// anything that is not a regular file (symlinks are not followed).
/// Errors: kInvalidArgument (empty name), kPermissionDenied, kDataError (unreadable seed),
/// kIoError. Not synchronised with other threads using the same file beyond the atomic creation.
[[nodiscard]] Result<IssuerKey> LoadOrCreateIssuerKey(const std::filesystem::path& file,
                                                      std::string_view name);

/// An Ed25519 public key given as a did:key ("did:key:z6Mk…", with or without "#z6Mk…"), a
/// Multikey ("z6Mk…") or 64 hex digits; surrounding whitespace is ignored (a key file's newline).
/// Used for `hoshitori verify --issuer-key`. Errors: kInvalidArgument. Thread-safe.
[[nodiscard]] Result<Bytes> LoadPublicKey(std::string_view text_or_did);

}  // namespace hoshi::cred
