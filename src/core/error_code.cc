// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/error_code.h"

#include <array>

namespace hoshi {
namespace {

// sysexits.h: 64 EX_USAGE, 65 EX_DATAERR, 66 EX_NOINPUT, 69 EX_UNAVAILABLE, 70 EX_SOFTWARE,
// 73 EX_CANTCREAT, 74 EX_IOERR, 75 EX_TEMPFAIL, 77 EX_NOPERM.
constexpr std::array<ErrorCodeInfo, 12> kTable{{
    {ErrorCode::kInvalidArgument, "invalid_argument", 400, 64},
    {ErrorCode::kDataError, "invalid_data", 422, 65},
    {ErrorCode::kNotFound, "not_found", 404, 66},
    {ErrorCode::kAlreadyExists, "already_exists", 409, 73},
    {ErrorCode::kFailedPrecondition, "failed_precondition", 409, 65},
    {ErrorCode::kUnauthenticated, "unauthenticated", 401, 77},
    {ErrorCode::kPermissionDenied, "permission_denied", 403, 77},
    {ErrorCode::kTooLarge, "too_large", 413, 65},
    {ErrorCode::kRateLimited, "rate_limited", 429, 75},
    {ErrorCode::kUnavailable, "unavailable", 503, 69},
    {ErrorCode::kIoError, "io_error", 500, 74},
    {ErrorCode::kInternal, "internal", 500, 70},
}};

}  // namespace

std::span<const ErrorCodeInfo> ErrorCodeTable() {
  return kTable;
}

const ErrorCodeInfo& InfoFor(ErrorCode code) {
  // The table is in enum order; a test checks that every row sits at its enum's index.
  return kTable.at(static_cast<std::size_t>(code));
}

std::optional<ErrorCode> ErrorCodeFromApiName(std::string_view name) {
  for (const auto& row : kTable) {
    if (row.api_name == name) {
      return row.code;
    }
  }
  return std::nullopt;
}

}  // namespace hoshi
