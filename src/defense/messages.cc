// SPDX-License-Identifier: Apache-2.0
#include "hoshi/defense/messages.h"

#include <vector>

#include "hoshi/defense/batching.h"

#include "messages_parts.h"

namespace hoshi::defense {

std::span<const MessageEntry> DefenseMessages() {
  // One table for the module, assembled once from the parts each source file owns.
  static const std::vector<MessageEntry> kAll = [] {
    std::vector<MessageEntry> all;
    for (const auto part : {LogMessages(), IndicatorMessages(), DetectionMessages(),
                            SharingMessages(), CorrelationMessages(), BatchingMessages()}) {
      all.insert(all.end(), part.begin(), part.end());
    }
    return all;
  }();
  return kAll;
}

}  // namespace hoshi::defense
