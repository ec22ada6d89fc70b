#include "local/object_meta.h"

#include <gtest/gtest.h>

namespace skiff::local {
namespace {

TEST(IsBeingDeletedTest, ReadsMetadataDeletionTimestamp) {
  EXPECT_TRUE(IsBeingDeleted(
      R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","deletionTimestamp":"2024-05-01T12:00:00Z"}})"));
  EXPECT_FALSE(IsBeingDeleted(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}})"));
}

// The word may appear anywhere in an object's content without the object
// being deleted: only metadata.deletionTimestamp counts.
TEST(IsBeingDeletedTest, IgnoresTheWordOutsideMetadata) {
  EXPECT_FALSE(IsBeingDeleted(
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"deletionTimestamp":"x"}},)"
      R"("data":{"deletionTimestamp":"2024-05-01T12:00:00Z"}})"));
  EXPECT_FALSE(IsBeingDeleted(R"({"metadata":{"name":"c"},"spec":{"note":"\"deletionTimestamp\""}})"));
}

TEST(IsBeingDeletedTest, EmptyOrUnparsableIsNotDeleted) {
  EXPECT_FALSE(IsBeingDeleted(R"({"metadata":{"deletionTimestamp":""}})"));
  EXPECT_FALSE(IsBeingDeleted("not json"));
  EXPECT_FALSE(IsBeingDeleted("[]"));
}

}  // namespace
}  // namespace skiff::local
