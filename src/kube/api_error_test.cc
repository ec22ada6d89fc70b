#include "kube/api_error.h"

#include <gtest/gtest.h>

#include "kube/clock.h"
#include "kube/credentials.h"
#include "kube/kubeconfig.h"

namespace skiff::kube {
namespace {

TEST(ApiErrorTest, StatusBodyGivesCodeReasonMessageAndCauses) {
  ApiError e = ErrorFromResponse(422, R"({"kind":"Status","apiVersion":"v1","status":"Failure",
    "message":"Deployment.apps \"web\" is invalid","reason":"Invalid",
    "details":{"causes":[{"reason":"FieldValueInvalid","message":"must be >= 0","field":"spec.replicas"}]},
    "code":422})");
  EXPECT_EQ(e.code, 422);
  EXPECT_EQ(e.reason, "Invalid");
  EXPECT_TRUE(IsInvalid(e));
  EXPECT_FALSE(IsRetryable(e));
  ASSERT_EQ(e.causes.size(), 1u);
  EXPECT_EQ(e.causes[0].field, "spec.replicas");
  EXPECT_NE(e.String().find("spec.replicas: must be >= 0"), std::string::npos);
}

TEST(ApiErrorTest, NonStatusBodyKeepsCodeAndDerivesReason) {
  ApiError e = ErrorFromResponse(503, "upstream connect error");
  EXPECT_EQ(e.reason, "ServiceUnavailable");
  EXPECT_EQ(e.message, "upstream connect error");
  EXPECT_TRUE(IsServerError(e));
  EXPECT_TRUE(IsRetryable(e));
}

TEST(ApiErrorTest, OnlyThrottlingServerErrorsAndTransportFailuresAreRetryable) {
  EXPECT_TRUE(IsRetryable(ErrorFromResponse(429, "")));
  EXPECT_TRUE(IsRetryable(ErrorFromResponse(500, "")));
  EXPECT_TRUE(IsRetryable(TransportError("connection refused")));
  EXPECT_FALSE(IsRetryable(ErrorFromResponse(409, "")));
  EXPECT_FALSE(IsRetryable(ErrorFromResponse(422, "")));
  EXPECT_FALSE(IsRetryable(ErrorFromResponse(404, "")));
  EXPECT_FALSE(IsRetryable(ErrorFromResponse(410, "")));
  EXPECT_TRUE(IsGone(ErrorFromResponse(410, "")));
  EXPECT_TRUE(IsAlreadyExists(ErrorFromResponse(
      409, R"({"kind":"Status","reason":"AlreadyExists","message":"x","code":409})")));
}

TEST(ApiErrorTest, ConvertsToSkiffErrorForPropagation) {
  auto f = []() -> Status {
    ApiError e;
    e.code = 404;
    e.reason = "NotFound";
    e.message = "pods \"a\" not found";
    ApiStatus s = e;
    SKIFF_RETURN_IF_ERROR(s);
    return Status::Ok();
  };
  Status s = f();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "404 NotFound: pods \"a\" not found");
  auto g = [&]() -> Result<int> {
    ApiResult<int> r = ApiError{};
    SKIFF_ASSIGN_OR_RETURN(int v, r);
    return v;
  };
  EXPECT_FALSE(g().ok());
}

TEST(RedactSecretsTest, RemovesBearerTokensKeyedSecretsKeysAndUrlPasswords) {
  std::string text =
      "Authorization: Bearer abc.def-ghi, {\"token\":\"s3cr3t\"} password: hunter2 "
      "https://alice:pw@proxy.example:3128 "
      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY----- tail";
  std::string r = RedactSecrets(text);
  for (const char* secret : {"abc.def-ghi", "s3cr3t", "hunter2", "alice:pw", "MHcCAQEE"}) {
    EXPECT_EQ(r.find(secret), std::string::npos) << secret << " in " << r;
  }
  EXPECT_NE(r.find("proxy.example:3128"), std::string::npos);
  EXPECT_NE(r.find("tail"), std::string::npos);
}

TEST(RedactSecretsTest, LeavesCertificatesAndPlainTextAlone) {
  std::string cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
  EXPECT_EQ(RedactSecrets(cert), cert);
  EXPECT_EQ(RedactSecrets("deployments.apps \"web\" not found"), "deployments.apps \"web\" not found");
}

TEST(Rfc3339Test, ParsesZuluFractionsAndOffsets) {
  Clock::TimePoint t, u, v;
  ASSERT_TRUE(ParseRfc3339("2024-05-01T10:00:00Z", &t));
  ASSERT_TRUE(ParseRfc3339("2024-05-01T12:00:00.123456+02:00", &u));
  ASSERT_TRUE(ParseRfc3339("2024-05-01T10:00:30Z", &v));
  EXPECT_EQ(t, u);
  EXPECT_EQ(v - t, std::chrono::seconds(30));
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(),
            1714557600);
  EXPECT_FALSE(ParseRfc3339("2024-05-01 10:00:00", &t));
  EXPECT_FALSE(ParseRfc3339("2024-13-01T10:00:00Z", &t));
}

TEST(Base64Test, RoundTripsAllPaddingLengths) {
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\x00\xff\x10", 3)}) {
    auto decoded = DecodeBase64(EncodeBase64(s));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(EncodeBase64("hello"), "aGVsbG8=");
  EXPECT_FALSE(DecodeBase64("aGV$bG8=").ok());
}

}  // namespace
}  // namespace skiff::kube
