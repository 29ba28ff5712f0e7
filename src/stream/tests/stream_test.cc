// SPDX-License-Identifier: Apache-2.0
#include "hoshi/stream/stream.h"

#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "hoshi/stream/jetstream.h"

namespace hoshi::stream {
namespace {

TEST(PartitionTest, Fnv1aMatchesReferenceValues) {
  // Reference values of 32-bit FNV-1a (e.g. "a" = 0xe40c292c, "foobar" = 0xbf9cf968).
  EXPECT_EQ(Fnv1a32(""), 2166136261U);
  EXPECT_EQ(Fnv1a32("a"), 0xe40c292cU);
  EXPECT_EQ(Fnv1a32("foobar"), 0xbf9cf968U);
  EXPECT_EQ(Fnv1a32("org-acme"), 2492961666U);
}

TEST(PartitionTest, PartitionOfIsStable) {
  // These values decide which durable consumer owns an organisation: they must never change.
  EXPECT_EQ(PartitionOf("org-acme", 8), 2U);
  EXPECT_EQ(PartitionOf("org_0001", 8), 5U);
  EXPECT_EQ(PartitionOf("example-corp", 8), 4U);
  EXPECT_EQ(PartitionOf("example-corp", 16), 12U);
  EXPECT_EQ(PartitionOf("foobar", 3), 1U);
  EXPECT_EQ(PartitionOf("A", 3), 0U);
  EXPECT_EQ(PartitionOf("anything", 1), 0U);
  EXPECT_EQ(PartitionOf("anything", 0), 0U);
}

TEST(PartitionTest, SpreadsOrganisationsOverPartitions) {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 200; ++i) {
    const std::uint32_t p = PartitionOf("org-" + std::to_string(i), 8);
    EXPECT_LT(p, 8U);
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 8U);
}

TEST(MessageTest, ValidatesOrganizationId) {
  EXPECT_TRUE(IsValidOrganizationId("org-1_A"));
  EXPECT_TRUE(IsValidOrganizationId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidOrganizationId(""));
  EXPECT_FALSE(IsValidOrganizationId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidOrganizationId("a.b"));
  EXPECT_FALSE(IsValidOrganizationId("a b"));
  EXPECT_FALSE(IsValidOrganizationId("a*"));
  EXPECT_FALSE(IsValidOrganizationId("a>"));
  EXPECT_FALSE(IsValidOrganizationId("組織"));
}

TEST(MessageTest, ValidatesEveryField) {
  const Message good{"org-1", "batch-0001", "telemetry.batch", std::string("\0\1", 2)};
  EXPECT_TRUE(ValidateMessage(good).ok());

  Message m = good;
  m.organization_id = "bad.org";
  Status s = ValidateMessage(m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().reason(), "stream.invalid_organization_id");

  for (const std::string& id :
       {std::string(), std::string("a b"), std::string("a\r\nX: y"), std::string(129, 'x')}) {
    m = good;
    m.id = id;
    s = ValidateMessage(m);
    ASSERT_FALSE(s.ok()) << id;
    EXPECT_EQ(s.error().reason(), "stream.invalid_message_id");
  }
  for (const std::string& kind : {std::string(), std::string("a b"), std::string(65, 'k')}) {
    m = good;
    m.kind = kind;
    s = ValidateMessage(m);
    ASSERT_FALSE(s.ok()) << kind;
    EXPECT_EQ(s.error().reason(), "stream.invalid_kind");
  }
}

TEST(RedactUrlTest, RemovesUserInformation) {
  EXPECT_EQ(RedactUrl("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
  EXPECT_EQ(RedactUrl("nats://user:secret@nats.example:4222"), "nats://nats.example:4222");
  EXPECT_EQ(RedactUrl("nats://token@host:4222"), "nats://host:4222");
  EXPECT_EQ(RedactUrl("tls://u:p@a:1,nats://b:2,nats://x:y@c:3"),
            "tls://a:1,nats://b:2,nats://c:3");
  EXPECT_EQ(RedactUrl("u:p@host:4222"), "host:4222");
  EXPECT_EQ(RedactUrl("nats://u:p%40ss@host:4222"), "nats://host:4222");
  EXPECT_EQ(RedactUrl(""), "");
}

TEST(StreamMessagesTest, KeysAreUniquePrefixedAndBilingual) {
  std::set<std::string_view> keys;
  for (const MessageEntry& entry : StreamMessages()) {
    EXPECT_TRUE(entry.key.starts_with("stream.")) << entry.key;
    EXPECT_TRUE(keys.insert(entry.key).second) << "duplicate key " << entry.key;
    EXPECT_FALSE(entry.ja.empty()) << entry.key;
    EXPECT_FALSE(entry.en.empty()) << entry.key;
    EXPECT_NE(entry.ja, entry.en) << entry.key;
    for (const std::string_view placeholder : {"{0}", "{1}", "{2}"}) {
      EXPECT_EQ(entry.ja.find(placeholder) == std::string_view::npos,
                entry.en.find(placeholder) == std::string_view::npos)
          << entry.key << " " << placeholder;
    }
  }
  EXPECT_GE(keys.size(), 15U);
}

}  // namespace
}  // namespace hoshi::stream
