// tests/test_image_catalogue.cpp: the image catalogue (models/scenario/image_catalogue.hpp): image
// references normalised as distribution/reference does, and what data/images.yaml says of sizes and
// default processes.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/kubelet/event_messages.hpp"
#include "models/report/output.hpp"
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

TEST_CASE("The catalogue's defaults: 40 MB/s and 500 ms per pull, 50 MB for an image it does not know") {
  CHECK(scenario::catalogueDefaults().pullBandwidthBytesPerSecond == 40000000);
  CHECK(scenario::catalogueDefaults().pullLatency == 500 * sim::kMillisecond);
  CHECK(scenario::catalogueDefaults().uncataloguedSizeBytes == 50000000);
}

namespace {

/// A one-pod scenario whose containers use `images`, with `spec` lines added to the Scenario document.
scenario::Scenario pullScenario(const std::vector<std::string>& images, const std::string& spec) {
  std::string yaml = "apiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  duration: 1m\n" + spec +
                     "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n";
  for (std::size_t i = 0; i < images.size(); ++i) {
    yaml += "  - {name: c" + std::to_string(i) + ", image: \"" + images[i] + "\", command: [sleep, \"3600\"]}\n";
  }
  return scenario::loadScenarioString(yaml, "pulls.yaml");
}

struct PullCase {
  const char* name;
  const char* image;
  const char* spec;          // lines under the Scenario's spec
  std::int64_t sizeBytes;    // the Pulled Event's size
  sim::Time pullDuration;    // a first pull
  sim::Time repullDuration;  // a pull of an image the node has (imagePullPolicy Always)
};

}  // namespace

TEST_CASE("pull decisions: 500 ms plus size / bandwidth; the size from spec.images, the catalogue, else 50 MB; a re-pull or a failing pull is the 500 ms") {
  const sim::Time ms = sim::kMillisecond;
  const std::vector<PullCase> cases = {
      // busybox:1.28 is 723,166 bytes: 500 ms + 18.079 ms, truncated to ms as the kubelet prints it.
      {"catalogued image", "busybox:1.28", "", 723166, 518 * ms, 500 * ms},
      {"catalogued nginx", "nginx:1.27", "", 72078261, 2301 * ms, 500 * ms},
      {"uncatalogued image: 50 MB", "myorg/simple-webapp:1", "", 50000000, 1750 * ms, 500 * ms},
      {"spec.imagePullBandwidth 10M", "myorg/simple-webapp:1", "  imagePullBandwidth: 10M\n", 50000000, 5500 * ms, 500 * ms},
      {"spec.images size", "myorg/simple-webapp:1", "  images:\n    myorg/simple-webapp:1: {size: 200M}\n", 200000000,
       5500 * ms, 500 * ms},
      {"spec.images pullDuration: every pull", "nginx:1.27", "  images:\n    nginx:1.27: {pullDuration: 7s}\n", 72078261,
       7000 * ms, 7000 * ms},
      {"a failing pull fails on its first round trip", "myorg/gone:1",
       "  images:\n    myorg/gone:1: {pullError: ErrImagePull}\n", 50000000, 500 * ms, 500 * ms},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto sc = pullScenario({c.image}, c.spec);
    REQUIRE(sc.images.size() == 1);
    const auto& b = sc.imageBehaviors[0];
    CHECK(b.sizeBytes == c.sizeBytes);
    CHECK(b.pullDuration == c.pullDuration);
    CHECK(b.repullDuration == c.repullDuration);
  }
}

TEST_CASE("the Pulled Event names the image size from 1.30 only (image_manager.go EnsureImageExists)") {
  struct VersionCase {
    kubelet::KubernetesVersion version;
    bool size;
  };
  const std::vector<VersionCase> table = {{{1, 28}, false}, {{1, 29}, false}, {{1, 30}, true}, {{1, 34}, true}, {{1, 37}, true}};
  for (const auto& c : table) {
    CAPTURE(c.version.minor);
    CHECK(kubelet::pulledMessageHasImageSize(c.version) == c.size);
  }
  for (const auto& [version, expected] : std::vector<std::pair<std::string, std::string>>{
           {"1.29", "Successfully pulled image \"nginx:1.27\" in 2.301s (2.301s including waiting)"},
           {"1.37", "Successfully pulled image \"nginx:1.27\" in 2.301s (2.301s including waiting). Image size: 72078261 bytes."}}) {
    CAPTURE(version);
    auto sc = pullScenario({"nginx:1.27"}, "  kubernetesVersion: \"" + version + "\"\n");
    engine::Simulation sim(sc, engine::RunOptions{});
    sim.run();
    std::vector<std::string> pulled;
    for (const auto& rec : sim.trace().records()) {
      if (rec.type != trace::RecordType::Event) continue;
      const auto& ev = sim.trace().eventAt(rec);
      if (ev.reason == api::EventReason::Pulled) pulled.push_back(trace::eventMessage(sim, rec.pod, ev, rec.t));
    }
    CHECK(pulled == std::vector<std::string>{expected});
  }
}

TEST_CASE("ideal timing is the textbook's: a pull whose pullDuration the scenario does not write takes no time, the size is still named") {
  for (const auto& [spec, expected] : std::vector<std::pair<std::string, std::string>>{
           {"  timing: ideal\n", "Successfully pulled image \"nginx:1.27\" in 0s (0s including waiting). Image size: 72078261 bytes."},
           {"  timing: ideal\n  images:\n    nginx:1.27: {pullDuration: 3s}\n",
            "Successfully pulled image \"nginx:1.27\" in 3s (3s including waiting). Image size: 72078261 bytes."}}) {
    CAPTURE(spec);
    auto sc = pullScenario({"nginx:1.27"}, spec);
    engine::Simulation sim(sc, engine::RunOptions{});
    sim.run();
    std::vector<std::string> pulled;
    for (const auto& rec : sim.trace().records()) {
      if (rec.type == trace::RecordType::Event && sim.trace().eventAt(rec).reason == api::EventReason::Pulled) {
        pulled.push_back(trace::eventMessage(sim, rec.pod, sim.trace().eventAt(rec), rec.t));
      }
    }
    CHECK(pulled == std::vector<std::string>{expected});
  }
}

TEST_CASE("busybox's commands: the catalogue lists its applets, sorted; other images list none") {
  const auto bb = scenario::lookup("busybox:1.36");
  REQUIRE(bb.has_value());
  REQUIRE(bb->commands != nullptr);
  CHECK(std::is_sorted(bb->commands->begin(), bb->commands->end()));
  for (const char* applet : {"sleep", "nslookup", "wget", "nc", "cat", "date", "sh", "hostname"}) {
    CAPTURE(applet);
    CHECK(std::binary_search(bb->commands->begin(), bb->commands->end(), std::string(applet)));
  }
  for (const char* missing : {"git", "python", "curl", "bash", "foo"}) {
    CAPTURE(missing);
    CHECK_FALSE(std::binary_search(bb->commands->begin(), bb->commands->end(), std::string(missing)));
  }
  const auto nginx = scenario::lookup("nginx:1.27");
  REQUIRE(nginx.has_value());
  CHECK(nginx->commands == nullptr);
}

TEST_CASE("image notice: an image neither catalogued nor under spec.images is named once, by its full reference") {
  const auto sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/tests/check/unknown-images.yaml");
  const std::vector<std::string> expected = {
      "podsim: image \"simple-webapp\" is not in podsim's catalogue and not described under spec.images: it is "
      "assumed to exist, to be 50 MB compressed (pulled in 1.75s: 500ms latency + 50 MB at 40 MB/s; set "
      "spec.images.<image>.size or pullDuration, or spec.imagePullBandwidth) and to run as its command says; a "
      "cluster pulls it from a registry the node must reach (docker.io/library/simple-webapp:latest)",
      "podsim: image \"example.com/team/log-agent:2\" is not in podsim's catalogue and not described under "
      "spec.images: it is assumed to exist, to be 50 MB compressed (pulled in 1.75s: 500ms latency + 50 MB at 40 "
      "MB/s; set spec.images.<image>.size or pullDuration, or spec.imagePullBandwidth) and to run as its command "
      "says; a cluster pulls it from a registry the node must reach (example.com/team/log-agent:2)"};
  CHECK(sc.imageNotices == expected);
  CHECK(sc.warnings.empty());
}
