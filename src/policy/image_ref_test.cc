#include "policy/image_ref.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace skiff::policy {
namespace {

const std::string kDigest =
    "sha256:4c8e4b1f2a6e0b3c5d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e";

struct ParseCase {
  std::string image;
  std::string registry, repository, tag, digest;
};

class ParseImageRefValid : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseImageRefValid, SplitsAndNormalizes) {
  const ParseCase& c = GetParam();
  Result<ImageRef> ref = ParseImageRef(c.image);
  ASSERT_TRUE(ref.ok()) << c.image << ": " << ref.error().message;
  EXPECT_EQ(ref->registry, c.registry) << c.image;
  EXPECT_EQ(ref->repository, c.repository) << c.image;
  EXPECT_EQ(ref->tag, c.tag) << c.image;
  EXPECT_EQ(ref->digest, c.digest) << c.image;
}

INSTANTIATE_TEST_SUITE_P(
    DockerGrammar, ParseImageRefValid,
    ::testing::Values(
        ParseCase{"nginx", "docker.io", "library/nginx", "", ""},
        ParseCase{"nginx:1.25", "docker.io", "library/nginx", "1.25", ""},
        ParseCase{"acme/app", "docker.io", "acme/app", "", ""},
        ParseCase{"docker.io/nginx", "docker.io", "library/nginx", "", ""},
        ParseCase{"docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", ""},
        ParseCase{"index.docker.io/acme/app", "docker.io", "acme/app", "", ""},
        ParseCase{"ghcr.io/acme/app:1.2.3", "ghcr.io", "acme/app", "1.2.3", ""},
        ParseCase{"ghcr.io/acme/team/app", "ghcr.io", "acme/team/app", "", ""},
        ParseCase{"localhost/app", "localhost", "app", "", ""},
        ParseCase{"localhost:5000/app:v1", "localhost:5000", "app", "v1", ""},
        ParseCase{"registry:5000/app", "registry:5000", "app", "", ""},
        ParseCase{"Registry.Example.com/app", "registry.example.com", "app", "", ""},
        ParseCase{"[::1]:5000/app", "[::1]:5000", "app", "", ""},
        ParseCase{"10.0.0.1:443/a/b", "10.0.0.1:443", "a/b", "", ""},
        ParseCase{"ghcr.io/acme/app@" + kDigest, "ghcr.io", "acme/app", "", kDigest},
        ParseCase{"ghcr.io/acme/app:1.0@" + kDigest, "ghcr.io", "acme/app", "1.0", kDigest},
        ParseCase{"a.b/x_y/z__w/m-n---o/p.q", "a.b", "x_y/z__w/m-n---o/p.q", "", ""},
        ParseCase{"app:V1_2-rc.3", "docker.io", "library/app", "V1_2-rc.3", ""},
        // A registry port with no path is read as a tag, as the runtime does.
        ParseCase{"localhost:5000", "docker.io", "library/localhost", "5000", ""}));

class ParseImageRefInvalid : public ::testing::TestWithParam<std::string> {};

TEST_P(ParseImageRefInvalid, IsRejectedNamingTheImage) {
  Result<ImageRef> ref = ParseImageRef(GetParam());
  ASSERT_FALSE(ref.ok()) << GetParam() << " parsed as " << ref->registry << "/"
                         << ref->repository;
  EXPECT_NE(ref.error().message.find("image \"" + GetParam() + "\""), std::string::npos)
      << ref.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    DockerGrammar, ParseImageRefInvalid,
    ::testing::Values("", "Nginx", "acme/App", "ghcr.io/Acme/app", "ghcr.io/acme//app",
                      "ghcr.io/acme/app/", "/app", "ghcr.io/", "app:", ":tag", "app:-bad",
                      "app:has/slash", "app@sha256:abc", "app@md5:" + std::string(32, 'a'),
                      "app@sha256:" + std::string(64, 'A'), "app@sha256:" + std::string(63, 'a'),
                      "ghcr.io/acme/../evil", "ghcr.io/acme/.hidden", "ghcr.io/acme/a..b",
                      "ghcr.io/acme/a_-b", "-host.io/app", "host-.io/app", "host.io:/app",
                      "host.io:99999x/app", "ghcr.io/acme/app name", std::string(256, 'a'),
                      "app:" + std::string(129, 'a')));

TEST(ParseImageRef, ErrorSaysWhyUppercaseFails) {
  Result<ImageRef> ref = ParseImageRef("ghcr.io/Acme/app");
  ASSERT_FALSE(ref.ok());
  EXPECT_NE(ref.error().message.find("lowercase"), std::string::npos) << ref.error().message;
}

TEST(ParseImageRef, UppercaseFirstComponentIsARegistryHost) {
  // The runtime treats an uppercase first component as a host, so the
  // repository after it must still be lowercase.
  Result<ImageRef> ref = ParseImageRef("MyRegistry/app");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(ref->registry, "myregistry");
  EXPECT_EQ(ref->repository, "app");
}

struct AllowCase {
  std::string image;
  std::vector<std::string> allowed;
  bool want;
};

class RegistryAllowedCase : public ::testing::TestWithParam<AllowCase> {};

TEST_P(RegistryAllowedCase, MatchesWholePathSegments) {
  const AllowCase& c = GetParam();
  Result<ImageRef> ref = ParseImageRef(c.image);
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  std::string list;
  for (const std::string& a : c.allowed) list += a + " ";
  EXPECT_EQ(RegistryAllowed(*ref, c.allowed), c.want) << c.image << " vs [" << list << "]";
}

INSTANTIATE_TEST_SUITE_P(
    AllowList, RegistryAllowedCase,
    ::testing::Values(
        AllowCase{"ghcr.io/acme/app:1", {"ghcr.io/acme"}, true},
        AllowCase{"ghcr.io/acme/team/app", {"ghcr.io/acme"}, true},
        AllowCase{"ghcr.io/acme", {"ghcr.io/acme"}, true},
        AllowCase{"ghcr.io/acme-evil/app", {"ghcr.io/acme"}, false},
        AllowCase{"ghcr.io/acmeco", {"ghcr.io/acme"}, false},
        AllowCase{"ghcr.io/acmeco/app", {"ghcr.io/acme"}, false},
        AllowCase{"ghcr.io.evil.com/acme/app", {"ghcr.io/acme"}, false},
        AllowCase{"corp.io.evil.com/x", {"corp.io"}, false},
        AllowCase{"corp.io/x", {"corp.io"}, true},
        AllowCase{"corp.io:5000/x", {"corp.io"}, false},
        AllowCase{"corp.io:5000/x", {"corp.io:5000"}, true},
        AllowCase{"evil.com/corp.io/x", {"corp.io"}, false},
        AllowCase{"CORP.IO/x", {"corp.io"}, true},
        AllowCase{"corp.io/x", {"Corp.IO"}, true},
        AllowCase{"ghcr.io/acme/app", {"ghcr.io/acme/"}, true},
        AllowCase{"ghcr.io/acme/app", {"ghcr.io/acme/*"}, true},
        AllowCase{"ghcr.io/acme", {"ghcr.io/acme/*"}, false},
        AllowCase{"ghcr.io/acme-evil/app", {"ghcr.io/acme/*"}, false},
        AllowCase{"ghcr.io/acme-evil/app", {"ghcr.io/acme*"}, false},  // invalid entry
        AllowCase{"ghcr.io/anything", {"ghcr.io/*"}, true},
        AllowCase{"ghcr.io/anything", {"ghcr.io/"}, true},
        AllowCase{"nginx:1.25", {"docker.io/library"}, true},
        AllowCase{"library/nginx", {"docker.io/library"}, true},
        AllowCase{"docker.io/nginx", {"docker.io/library"}, true},
        AllowCase{"acme/nginx", {"docker.io/library"}, false},
        AllowCase{"nginx", {"docker.io"}, true},
        AllowCase{"nginx", {"index.docker.io/library"}, true},
        AllowCase{"acme/app", {"acme"}, true},  // no host: a docker.io path
        AllowCase{"acme-evil/app", {"acme"}, false},
        AllowCase{"nginx", {"nginx"}, false},  // docker.io/nginx is not library/nginx
        AllowCase{"ghcr.io/acme/app", {}, false},
        AllowCase{"ghcr.io/acme/app", {"", "*", "ghcr.io/acme:1.0", "ghcr.io/acme@sha256:x"}, false},
        AllowCase{"ghcr.io/acme/app", {"quay.io/acme", "ghcr.io/acme"}, true},
        AllowCase{"localhost:5000/app", {"localhost:5000"}, true},
        AllowCase{"localhost:5000/app", {"localhost"}, false},
        AllowCase{"ghcr.io/acme/app@" + kDigest, {"ghcr.io/acme"}, true}));

TEST(ValidateRegistryPrefix, AcceptsHostsPathsAndTrailingChildMarkers) {
  for (const char* ok : {"ghcr.io", "ghcr.io/acme", "ghcr.io/acme/", "ghcr.io/acme/*",
                         "localhost:5000", "docker.io/library", "acme", "[::1]:5000/x"}) {
    EXPECT_TRUE(ValidateRegistryPrefix(ok).ok()) << ok;
  }
}

TEST(ValidateRegistryPrefix, RejectsTagsDigestsAndInnerWildcards) {
  for (const char* bad : {"", "*", "/", "ghcr.io/acme*", "ghcr.io/*/app", "ghcr.io/acme:1.0",
                          "ghcr.io/acme@sha256:ab", "ghcr.io/Acme", "ghcr.io//acme", "-x.io"}) {
    Status s = ValidateRegistryPrefix(bad);
    EXPECT_FALSE(s.ok()) << bad;
    if (!s.ok()) {
      EXPECT_NE(s.error().message.find(bad), std::string::npos) << s.error().message;
    }
  }
}

TEST(ParseImageRef, RandomInputsKeepTheInvariantsOrFail) {
  // Deterministic pseudo-random strings over the characters the grammar
  // cares about: whatever parses must be normalized and must allow itself,
  // and no string one character longer in its last segment.
  const std::string alphabet = "ab9.-_/:@Azs";
  uint64_t state = 0x9e3779b97f4a7c15ull;
  size_t parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string image;
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    size_t len = 1 + (state >> 59);
    for (size_t j = 0; j < len; ++j) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      image += alphabet[(state >> 33) % alphabet.size()];
    }
    Result<ImageRef> ref = ParseImageRef(image);
    if (!ref.ok()) continue;
    ++parsed;
    EXPECT_FALSE(ref->registry.empty()) << image;
    EXPECT_FALSE(ref->repository.empty()) << image;
    EXPECT_EQ(ref->repository.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ:@"), std::string::npos)
        << image;
    // A dotless host that is a host only for its uppercase letters
    // ("MyRegistry/app") cannot be written as an entry: it would read as a
    // docker.io path. Such images are never allowed, which fails closed.
    bool writable_host = ref->registry.find_first_of(".:") != std::string::npos ||
                         ref->registry == "localhost";
    if (writable_host) {
      EXPECT_TRUE(RegistryAllowed(*ref, {ref->Name()})) << image;
    }
    EXPECT_FALSE(RegistryAllowed(*ref, {ref->Name() + "x"})) << image;
  }
  EXPECT_GT(parsed, 100u);  // the generator does reach valid references
}

}  // namespace
}  // namespace skiff::policy
