// SPDX-License-Identifier: Apache-2.0
#include "hoshi/stream/stream.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "stream_internal.h"

namespace hoshi::stream {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsKindChar(char c) {
  return IsIdChar(c) || c == '.';
}

bool IsVisibleAscii(char c) {
  return c >= '!' && c <= '~';
}

}  // namespace

DeliveryHandle::~DeliveryHandle() = default;

std::uint32_t Fnv1a32(std::string_view bytes) {
  constexpr std::uint32_t kOffsetBasis = 2166136261U;
  constexpr std::uint32_t kPrime = 16777619U;
  std::uint32_t hash = kOffsetBasis;
  for (const char c : bytes) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= kPrime;
  }
  return hash;
}

std::uint32_t PartitionOf(std::string_view organization_id, std::uint32_t partitions) {
  if (partitions == 0) {
    return 0;
  }
  return Fnv1a32(organization_id) % partitions;
}

bool IsValidOrganizationId(std::string_view organization_id) {
  return !organization_id.empty() && organization_id.size() <= kMaxOrganizationIdLength &&
         std::all_of(organization_id.begin(), organization_id.end(), IsIdChar);
}

Status ValidateMessage(const Message& message) {
  if (!IsValidOrganizationId(message.organization_id)) {
    return MakeError(ErrorCode::kInvalidArgument, StreamMessages(),
                     "stream.invalid_organization_id", kMaxOrganizationIdLength)
        .WithDetail("organization_id length " + std::to_string(message.organization_id.size()));
  }
  if (message.id.empty() || message.id.size() > kMaxMessageIdLength ||
      !std::all_of(message.id.begin(), message.id.end(), IsVisibleAscii)) {
    return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_message_id",
                     kMaxMessageIdLength)
        .WithDetail("id length " + std::to_string(message.id.size()));
  }
  if (message.kind.empty() || message.kind.size() > kMaxKindLength ||
      !std::all_of(message.kind.begin(), message.kind.end(), IsKindChar)) {
    return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_kind",
                     kMaxKindLength)
        .WithDetail("kind length " + std::to_string(message.kind.size()));
  }
  return Status::Ok();
}

namespace detail {

Error InvalidPartition(std::uint32_t partition, std::uint32_t partitions) {
  return MakeError(ErrorCode::kInvalidArgument, StreamMessages(), "stream.invalid_partition",
                   partition, partitions - 1);
}

Result<std::vector<std::uint32_t>> NormalizePartitions(std::vector<std::uint32_t> requested,
                                                       std::uint32_t partitions) {
  if (requested.empty()) {
    requested.resize(partitions);
    std::iota(requested.begin(), requested.end(), 0U);
    return requested;
  }
  for (const std::uint32_t partition : requested) {
    if (partition >= partitions) {
      return InvalidPartition(partition, partitions);
    }
  }
  std::sort(requested.begin(), requested.end());
  requested.erase(std::unique(requested.begin(), requested.end()), requested.end());
  return requested;
}

}  // namespace detail
}  // namespace hoshi::stream
