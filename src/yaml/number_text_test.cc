#include "yaml/number_text.h"

#include <gtest/gtest.h>

namespace skiff {
namespace {

struct NumberCase {
  NodeKind kind;
  const char* in;
  const char* yaml;  // what `kubectl kustomize` printed for this input
  const char* json;  // what Go's encoding/json writes for the value read
};

TEST(NumberText, MatchesWhatKustomizePrints) {
  const NumberCase cases[] = {
      {NodeKind::kInt, "0755", "493", "493"},
      {NodeKind::kInt, "1_000", "1000", "1000"},
      {NodeKind::kInt, "+1", "1", "1"},
      {NodeKind::kInt, "0x10", "16", "16"},
      {NodeKind::kInt, "0o17", "15", "15"},
      {NodeKind::kInt, "-0b11", "-3", "-3"},
      {NodeKind::kInt, "-0", "0", "0"},
      {NodeKind::kInt, "9223372036854775808", "9223372036854775808", "9223372036854775808"},
      {NodeKind::kInt, "0xFFFFFFFFFFFFFFFF", "18446744073709551615", "18446744073709551615"},
      {NodeKind::kFloat, "1.0", "1", "1"},
      {NodeKind::kFloat, "1e3", "1000", "1000"},
      {NodeKind::kFloat, "08", "8", "8"},
      {NodeKind::kFloat, "1e20", "1e+20", "100000000000000000000"},
      {NodeKind::kFloat, "1e21", "1e+21", "1e+21"},
      {NodeKind::kFloat, "1.5e-7", "1.5e-07", "1.5e-7"},
      {NodeKind::kFloat, "0.000001", "1e-06", "0.000001"},
      {NodeKind::kFloat, "123456789.123456789", "1.2345678912345679e+08", "123456789.12345679"},
      {NodeKind::kFloat, "12345678901234567890.5", "12345678901234567000",
       "12345678901234567000"},
      {NodeKind::kFloat, "-9223372036854775809", "-9.223372036854776e+18",
       "-9223372036854776000"},
      {NodeKind::kFloat, "-9223372036854774784.0", "-9223372036854775000",
       "-9223372036854775000"},
      {NodeKind::kFloat, "-0.0", "0", "-0"},
      {NodeKind::kFloat, "1_000.5_0", "1000.5", "1000.5"},
      {NodeKind::kFloat, "+.5e2", "50", "50"},
      {NodeKind::kFloat, "-.5", "-0.5", "-0.5"},
      {NodeKind::kFloat, "12e20", "1.2e+21", "1.2e+21"},
      {NodeKind::kFloat, "1e6", "1000000", "1000000"},
  };
  for (const NumberCase& c : cases) {
    char buf[kNumberTextMax];
    EXPECT_EQ(YamlNumberText(c.kind, c.in, buf), c.yaml) << c.in;
    EXPECT_EQ(JsonNumberText(c.kind, c.in, buf), c.json) << c.in;
  }
}

TEST(NumberText, InfinityAndNanHaveNoJsonForm) {
  char buf[kNumberTextMax];
  EXPECT_EQ(JsonNumberText(NodeKind::kFloat, ".inf", buf), "null");
  EXPECT_EQ(YamlNumberText(NodeKind::kFloat, "-.Inf", buf), "-.inf");
  EXPECT_EQ(YamlNumberText(NodeKind::kFloat, ".NaN", buf), ".nan");
}

}  // namespace
}  // namespace skiff
