// tests/test_image_catalogue.cpp: the image catalogue (models/scenario/image_catalogue.hpp): image
// references normalised as distribution/reference does, and what data/images.yaml says of sizes and
// default processes.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "models/scenario/image_catalogue.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;
using scenario::NormalisedReference;

namespace {

struct NormaliseCase {
  const char* name;
  const char* reference;
  std::optional<NormalisedReference> expected;
};

const char* const kDigest = "sha256:14c5b9511c7ed9c811c6d18895e834836b2b78970ba22286585727ff78c081a5";

}  // namespace

TEST_CASE("normalisedName: docker.io and library/ are implied, the tag defaults to latest (distribution/reference ParseNormalizedNamed)") {
  const std::vector<NormaliseCase> cases = {
      {"short name", "busybox", NormalisedReference{"busybox", "latest", ""}},
      {"docker.io without library", "docker.io/busybox", NormalisedReference{"busybox", "latest", ""}},
      {"library with tag", "library/busybox:latest", NormalisedReference{"busybox", "latest", ""}},
      {"fully qualified", "docker.io/library/busybox:1.28", NormalisedReference{"busybox", "1.28", ""}},
      {"legacy index.docker.io", "index.docker.io/library/busybox", NormalisedReference{"busybox", "latest", ""}},
      {"user repository on docker.io", "docker.io/fluent/fluent-bit:3.2", NormalisedReference{"fluent/fluent-bit", "3.2", ""}},
      {"other registry kept", "registry.k8s.io/pause:3.10", NormalisedReference{"registry.k8s.io/pause", "3.10", ""}},
      {"registry with port, tag after it", "localhost:5000/app:v1", NormalisedReference{"localhost:5000/app", "v1", ""}},
      {"localhost is a registry", "localhost/app", NormalisedReference{"localhost/app", "latest", ""}},
      {"upper case repository is invalid", "oneRUn", std::nullopt},
      {"empty component is invalid", "docker.io//busybox", std::nullopt},
      {"bad tag is invalid", "busybox:-x", std::nullopt},
      {"short digest is invalid", "busybox@sha256:abc", std::nullopt},
      {"empty reference is invalid", "", std::nullopt},
      {"separators inside a component", "my_org/web-app.v2__x", NormalisedReference{"my_org/web-app.v2__x", "latest", ""}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto got = scenario::normalisedName(c.reference);
    REQUIRE(got.has_value() == c.expected.has_value());
    if (got) CHECK(*got == *c.expected);
  }
  // A digest only: no tag (not even latest).
  const auto digestOnly = scenario::normalisedName(std::string("busybox@") + kDigest);
  REQUIRE(digestOnly.has_value());
  CHECK(*digestOnly == NormalisedReference{"busybox", "", kDigest});
  const auto tagAndDigest = scenario::normalisedName(std::string("busybox:1.28@") + kDigest);
  REQUIRE(tagAndDigest.has_value());
  CHECK(*tagAndDigest == NormalisedReference{"busybox", "1.28", kDigest});
}

TEST_CASE("lookup: every spelling of busybox:1.28 is the catalogue's busybox 1.28 of 723166 bytes") {
  for (const char* ref : {"busybox:1.28", "docker.io/busybox:1.28", "library/busybox:1.28", "docker.io/library/busybox:1.28"}) {
    CAPTURE(ref);
    const auto img = scenario::lookup(ref);
    REQUIRE(img.has_value());
    CHECK(img->repository == "busybox");
    CHECK(img->tag == "1.28");
    CHECK_FALSE(img->viaFallback);
    CHECK(img->sizeBytes == std::optional<std::int64_t>(723166));
    CHECK(img->sizeExact);
    CHECK(img->cmd == std::vector<std::string>{"sh"});
    CHECK(img->process.kind == scenario::ImageProcessKind::ExitsAtOnce);
    CHECK(img->process.exitCode == 0);
    CHECK_FALSE(img->process.onStopSignal.exitCode.has_value());  // sh as PID 1 ignores SIGTERM
    REQUIRE(img->nslookup.has_value());
    CHECK(img->nslookup->failure.back() == "nslookup: can't resolve '{name}'");
  }
  // busybox (no tag) is busybox:latest, listed itself; newer busybox prints nslookup in BIND's style.
  const auto latest = scenario::lookup("busybox");
  REQUIRE(latest.has_value());
  CHECK(latest->tag == "latest");
  CHECK(latest->sizeBytes == std::optional<std::int64_t>(2226327));
  REQUIRE(latest->nslookup.has_value());
  CHECK(latest->nslookup->failure[3] == "** server can't find {fqdn}: NXDOMAIN");
  // A digest that is a listed tag's selects that tag.
  const auto byDigest = scenario::lookup(std::string("busybox@") + kDigest);
  REQUIRE(byDigest.has_value());
  CHECK(byDigest->tag == "1.28");
}

TEST_CASE("lookup: an unlisted tag takes its repository's fallbackTag, marked viaFallback") {
  const auto img = scenario::lookup("redis:7.2");
  REQUIRE(img.has_value());
  CHECK(img->repository == "redis");
  CHECK(img->tag == "latest");
  CHECK(img->viaFallback);
  CHECK(img->sizeBytes == std::optional<std::int64_t>(55474442));
  const auto alias = scenario::lookup("k8s.gcr.io/pause:3.9");
  REQUIRE(alias.has_value());
  CHECK(alias->repository == "registry.k8s.io/pause");
  CHECK(alias->tag == "3.10");
  CHECK_FALSE(alias->sizeExact);
}

TEST_CASE("lookup: nginx serves forever and stops gracefully on its STOPSIGNAL SIGQUIT") {
  const auto img = scenario::lookup("nginx:1.27");
  REQUIRE(img.has_value());
  CHECK(img->sizeBytes == std::optional<std::int64_t>(72078261));
  CHECK(img->entrypoint == std::vector<std::string>{"/docker-entrypoint.sh"});
  CHECK(img->cmd == std::vector<std::string>{"nginx", "-g", "daemon off;"});
  CHECK(img->stopSignal == "SIGQUIT");
  CHECK(img->process.kind == scenario::ImageProcessKind::RunsForever);
  REQUIRE(img->process.stdoutLines.size() == 9);
  CHECK(img->process.stdoutLines.back() == "/docker-entrypoint.sh: Configuration complete; ready for start up");
  CHECK(img->process.onStopSignal.exitCode == std::optional<std::int32_t>(0));
  CHECK(img->process.onStopSignal.stderrLines.front() == "{time:%Y/%m/%d %H:%M:%S} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down");
  REQUIRE(img->process.onSigterm.has_value());
  CHECK(img->process.onSigterm->stderrLines.front() == "{time:%Y/%m/%d %H:%M:%S} [notice] 1#1: signal 15 (SIGTERM) received, exiting");
  CHECK(scenario::defaultProcess(*img, {}).kind == scenario::ImageProcessKind::RunsForever);
}

TEST_CASE("lookup: postgres exits 1 with its error unless POSTGRES_PASSWORD (or trust) is set, then serves after 3 s") {
  const auto img = scenario::lookup("postgres:16");
  REQUIRE(img.has_value());
  CHECK(img->stopSignal == "SIGINT");
  const auto& without = scenario::defaultProcess(*img, {});
  CHECK(without.kind == scenario::ImageProcessKind::ExitsWithError);
  CHECK(without.exitCode == 1);
  CHECK(without.stderrLines == std::vector<std::string>{
                                   "Error: Database is uninitialized and superuser password is not specified.",
                                   "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
                                   "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
                                   "",
                                   "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
                                   "       connections without a password. This is *not* recommended.",
                                   "",
                                   "       See PostgreSQL documentation about \"trust\":",
                                   "       https://www.postgresql.org/docs/current/auth-trust.html",
                               });
  CHECK(scenario::defaultProcess(*img, {{"POSTGRES_PASSWORD", ""}}).kind == scenario::ImageProcessKind::ExitsWithError);
  CHECK(scenario::defaultProcess(*img, {{"POSTGRES_HOST_AUTH_METHOD", "md5"}}).kind ==
        scenario::ImageProcessKind::ExitsWithError);
  const auto& with = scenario::defaultProcess(*img, {{"POSTGRES_PASSWORD", "secret"}});
  CHECK(with.kind == scenario::ImageProcessKind::RunsForever);
  CHECK(with.startDelay == 3 * sim::kSecond);
  CHECK(with.onStopSignal.stderrLines.front() == "{time:%Y-%m-%d %H:%M:%S.%3f} UTC [1] LOG:  received fast shutdown request");
  CHECK(scenario::defaultProcess(*img, {{"POSTGRES_HOST_AUTH_METHOD", "trust"}}).kind ==
        scenario::ImageProcessKind::RunsForever);
}

TEST_CASE("lookup: an image the catalogue does not know, or an invalid reference, is nullopt") {
  for (const char* ref : {"simple-webapp", "log-agent", "simgple-web-app", "example/orders:1.0", "quay.io/busybox",
                          "oneRUn", "busybox:-x"}) {
    CAPTURE(ref);
    CHECK_FALSE(scenario::lookup(ref).has_value());
  }
}

TEST_CASE("The catalogue's defaults: 40 MB/s and 500 ms per pull") {
  CHECK(scenario::catalogueDefaults().pullBandwidthBytesPerSecond == 40000000);
  CHECK(scenario::catalogueDefaults().pullLatency == 500 * sim::kMillisecond);
}

TEST_CASE("image notice: an image neither catalogued nor under spec.images is named once, by its full reference") {
  const auto sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/tests/check/unknown-images.yaml");
  const std::vector<std::string> expected = {
      "podsim: image \"simple-webapp\" is not in podsim's catalogue and not described under spec.images: it is "
      "assumed to exist and to run as its command says; a cluster pulls it from a registry the node must reach "
      "(docker.io/library/simple-webapp:latest)",
      "podsim: image \"example.com/team/log-agent:2\" is not in podsim's catalogue and not described under "
      "spec.images: it is assumed to exist and to run as its command says; a cluster pulls it from a registry the "
      "node must reach (example.com/team/log-agent:2)"};
  CHECK(sc.imageNotices == expected);
  CHECK(sc.warnings.empty());
}
