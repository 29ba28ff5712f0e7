// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hoshi {

/// The closed set of failure kinds. Each one maps, through ONE table (`ErrorCodeInfo`), to an
/// HTTP status, a stable API error string and a CLI exit code (sysexits.h). Serialized by name.
enum class ErrorCode : std::uint8_t {
  kInvalidArgument,     ///< bad command-line usage or request parameters
  kDataError,           ///< input data is malformed or fails validation (a file, a body)
  kNotFound,            ///< the named object or input does not exist
  kAlreadyExists,       ///< creating something that is already there
  kFailedPrecondition,  ///< the object is in the wrong state for the operation
  kUnauthenticated,     ///< no or invalid credentials
  kPermissionDenied,    ///< authenticated but not allowed
  kTooLarge,            ///< input exceeds a size limit
  kRateLimited,         ///< too many requests
  kUnavailable,         ///< a dependency (database, stream) is unreachable; retry later
  kIoError,             ///< reading or writing a local file failed
  kInternal,            ///< a bug or an unexpected library failure
};

/// One row of the mapping table.
struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view api_name;  ///< stable string in API error bodies, e.g. "not_found"
  int http_status;
  int exit_code;  ///< CLI exit code; 1 is reserved for "completed, threshold not met"
};

/// The whole table, one row per ErrorCode, in enum order.
[[nodiscard]] std::span<const ErrorCodeInfo> ErrorCodeTable();
/// The row for `code`.
[[nodiscard]] const ErrorCodeInfo& InfoFor(ErrorCode code);
[[nodiscard]] inline std::string_view ApiName(ErrorCode code) {
  return InfoFor(code).api_name;
}
[[nodiscard]] inline int HttpStatus(ErrorCode code) {
  return InfoFor(code).http_status;
}
[[nodiscard]] inline int ExitCode(ErrorCode code) {
  return InfoFor(code).exit_code;
}
/// Reverse lookup by API name; nullopt when unknown.
[[nodiscard]] std::optional<ErrorCode> ErrorCodeFromApiName(std::string_view name);

/// Exit code of a CLI command that completed and found the level met / no findings.
inline constexpr int kExitOk = 0;
/// Exit code of a CLI command that completed and found the level NOT met / findings over threshold.
inline constexpr int kExitNotMet = 1;

}  // namespace hoshi
