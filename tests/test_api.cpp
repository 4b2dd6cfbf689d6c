// tests/test_api.cpp: the API machinery of models/api/ as tables of named cases: resource.Quantity
// (k8s.io/apimachinery/pkg/api/resource quantity_test.go), the image reference parser
// (github.com/distribution/reference reference_test.go, normalize_test.go), the defaults of
// pkg/apis/core/v1/defaults.go, the name checks of validation.go, GetPodQOS (pkg/apis/core/helper/qos)
// and the describe text of a probe's handler.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/api/defaults.hpp"
#include "models/api/helpers.hpp"
#include "models/api/image_reference.hpp"
#include "models/api/quantity.hpp"
#include "models/api/validation.hpp"
#include "models/api/types.hpp"

using namespace podsim;

namespace {
const std::string kRegexError = "\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
}  // namespace

TEST_CASE("ParseQuantity reads decimal and binary suffixes and exponents, rounding up to the unit") {
  struct Case {
    const char* name;
    const char* written;
    int scaleExp;
    std::int64_t value;
  };
  const std::vector<Case> cases = {
      {"millicores", "500m", 3, 500},
      {"whole cores in millicores", "2", 3, 2000},
      {"decimal fraction of a core", "0.5", 3, 500},
      {"below one millicore rounds up", "0.1m", 3, 1},
      {"plus sign", "+250m", 3, 250},
      {"bytes", "1024", 0, 1024},
      {"kilo", "1k", 0, 1000},
      {"kibi", "1Ki", 0, 1024},
      {"mebi", "128Mi", 0, 134217728},
      {"fraction of a gibi", "1.5Gi", 0, 1610612736},
      {"giga", "1G", 0, 1000000000},
      {"exa", "1E", 0, 1000000000000000000},
      {"exponent", "1e3", 0, 1000},
      {"capital exponent", "2E2", 0, 200},
      {"negative exponent rounds up", "15e-1", 0, 2},
      {"nano cpu rounds up to a millicore", "1n", 3, 1},
      {"zero", "0", 0, 0},
      {"negative zero", "-0", 0, 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto q = api::parseQuantity(c.written, c.scaleExp);
    CHECK(q.error == "");
    CHECK(q.value == c.value);
  }
}

TEST_CASE("ParseQuantity rejects what the API rejects, with the API's whole message") {
  struct Case {
    const char* name;
    const char* written;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"unknown suffix", "1x", "Invalid value: \"1x" + kRegexError},
      {"two dots", "1.2.3", "Invalid value: \"1.2.3" + kRegexError},
      {"empty", "", "Invalid value: \"" + kRegexError},
      {"suffix only", "Mi", "Invalid value: \"Mi" + kRegexError},
      {"lower-case mebi", "1mi", "Invalid value: \"1mi" + kRegexError},
      {"exponent of four digits", "1e1000", "Invalid value: \"1e1000" + kRegexError},
      {"negative", "-1", "Invalid value: \"-1\": must be greater than or equal to 0"},
      {"too many digits", "1234567890123456789012345678901", "Invalid value: \"1234567890123456789012345678901\": too many digits"},
      {"beyond int64", "10E", "Invalid value: \"10E\": out of range"},
      {"exponent beyond range", "1e100", "Invalid value: \"1e100\": out of range"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(api::parseQuantity(c.written, 0).error == c.error);
  }
}

TEST_CASE("Quantity.String prints binary suffixes when written with one and they divide, else decimal ones") {
  CHECK(api::canonicalQuantity(134217728, 0, "128Mi") == "128Mi");
  CHECK(api::canonicalQuantity(1536, 0, "1.5Ki") == "1536");
  CHECK(api::canonicalQuantity(1610612736, 0, "1.5Gi") == "1536Mi");
  CHECK(api::canonicalQuantity(1000000000, 0, "1G") == "1G");
  CHECK(api::canonicalQuantity(1000, 0, "1e3") == "1k");
  CHECK(api::canonicalQuantity(500, 3, "500m") == "500m");
  CHECK(api::canonicalQuantity(2000, 3, "2") == "2");
  CHECK(api::canonicalQuantity(0, 3, "0") == "0");
}

TEST_CASE("An image reference splits into domain, repository, tag and digest as distribution/reference does") {
  struct Case {
    const char* name;
    const char* ref;
    const char* domain;
    const char* repository;
    const char* tag;
    const char* digest;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"short name", "busybox", "", "busybox", "", "", true},
      {"short name with tag", "busybox:1.36", "", "busybox", "1.36", "", true},
      {"dots in a name without slash are no domain", "test.com:tag", "", "test.com", "tag", "", true},
      {"a port-like tag on a single component", "test.com:5000", "", "test.com", "5000", "", true},
      {"domain with dot", "test.com/repo:tag", "test.com", "test.com/repo", "tag", "", true},
      {"domain with port", "test:5000/repo", "test:5000", "test:5000/repo", "", "", true},
      {"domain with port and tag", "test:5000/repo:tag", "test:5000", "test:5000/repo", "tag", "", true},
      {"digest", "test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "test:5000",
       "test:5000/repo", "", "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true},
      {"tag and digest", "test:5000/repo:tag@sha256:ffff", "test:5000", "test:5000/repo", "tag", "sha256:ffff", true},
      {"localhost is a domain", "localhost/app:v1", "localhost", "localhost/app", "v1", "", true},
      {"localhost with port", "localhost:5000/app", "localhost:5000", "localhost:5000/app", "", "", true},
      {"first component without dot is a path", "fluent/fluent-bit:2.2", "", "fluent/fluent-bit", "2.2", "", true},
      {"deep path", "a/a/a/a", "", "a/a/a/a", "", "", true},
      {"separators inside components", "foo_bar.com:8080", "", "foo_bar.com", "8080", "", true},
      {"upper case in the tag is allowed", "lowercase:Uppercase", "", "lowercase", "Uppercase", "", true},
      {"upper case in the repository is rejected", "Uppercase:tag", "", "Uppercase", "tag", "", false},
      {"upper case in a path component is rejected", "docker.io/Library/busybox", "docker.io", "docker.io/Library/busybox", "", "", false},
      {"empty", "", "", "", "", "", false},
      {"tag without name", ":justtag", "", "", "justtag", "", false},
      {"digest without name", "@sha256:ffff", "", "", "", "sha256:ffff", false},
      {"empty path component", "a//a", "", "a//a", "", "", false},
      {"separator at the end of a component", "a-/a", "", "a-/a", "", "", false},
      {"empty tag", "busybox:", "", "busybox", "", "", false},
      {"tag starting with a dot", "busybox:.1", "", "busybox", ".1", "", false},
      {"space", "busy box", "", "busy box", "", "", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = api::parseImageReference(c.ref);
    CHECK(r.domain == c.domain);
    CHECK(r.repository == c.repository);
    CHECK(r.tag == c.tag);
    CHECK(r.digest == c.digest);
    CHECK(r.valid == c.valid);
    CHECK(api::validImageReference(c.ref) == c.valid);
  }
}

TEST_CASE("A tag of up to 128 characters is valid, a longer one is not") {
  CHECK(api::validImageReference("busybox:" + std::string(128, 'a')));
  CHECK_FALSE(api::validImageReference("busybox:" + std::string(129, 'a')));
}

TEST_CASE("Names normalise to docker.io and docker.io/library/, and the familiar name drops them again") {
  struct Case {
    const char* name;
    const char* repository;
    const char* normalized;
    const char* familiar;
  };
  const std::vector<Case> cases = {
      {"official image", "busybox", "docker.io/library/busybox", "busybox"},
      {"user image", "fluent/fluent-bit", "docker.io/fluent/fluent-bit", "fluent/fluent-bit"},
      {"fully qualified official image", "docker.io/library/busybox", "docker.io/library/busybox", "busybox"},
      {"other registry", "registry.k8s.io/pause", "registry.k8s.io/pause", "registry.k8s.io/pause"},
      {"registry with port", "localhost:5000/app", "localhost:5000/app", "localhost:5000/app"},
      {"library path of more components stays", "docker.io/library/a/b", "docker.io/library/a/b", "library/a/b"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(api::normalizedName(c.repository) == c.normalized);
    CHECK(api::familiarName(c.repository) == c.familiar);
  }
}

TEST_CASE("A pull goes to the reference's domain, or docker.io") {
  CHECK(api::registryOf("busybox:1.36") == "docker.io");
  CHECK(api::registryOf("fluent/fluent-bit") == "docker.io");
  CHECK(api::registryOf("quay.io/prometheus/node-exporter:v1") == "quay.io");
  CHECK(api::registryOf("localhost:5000/app") == "localhost:5000");
  CHECK(api::registryOf("localhost/app") == "localhost");
}

TEST_CASE("SetDefaults_Container pulls :latest and untagged images Always, everything else IfNotPresent") {
  struct Case {
    const char* name;
    const char* image;
    api::PullPolicy policy;
  };
  const std::vector<Case> cases = {
      {"no tag", "busybox", api::PullPolicy::Always},
      {"latest", "busybox:latest", api::PullPolicy::Always},
      {"a version", "busybox:1.36", api::PullPolicy::IfNotPresent},
      {"registry port is no tag", "localhost:5000/app", api::PullPolicy::Always},
      {"registry port and tag", "localhost:5000/app:v1", api::PullPolicy::IfNotPresent},
      {"digest only", "fluent/fluent-bit@sha256:abcd", api::PullPolicy::IfNotPresent},
      {"latest and digest", "busybox:latest@sha256:abcd", api::PullPolicy::Always},
      {"invalid reference still defaults from its tag", "oneRUn", api::PullPolicy::Always},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(api::defaultImagePullPolicy(c.image) == c.policy);
    api::Container ctr;
    ctr.image = c.image;
    api::SetDefaults_Container(ctr, false);
    CHECK(ctr.imagePullPolicy == c.policy);
  }
  api::Container written;
  written.image = "busybox";
  written.imagePullPolicy = api::PullPolicy::Never;
  api::SetDefaults_Container(written, true);
  CHECK(written.imagePullPolicy == api::PullPolicy::Never);
}

TEST_CASE("GetPodQOS: BestEffort without resources, Guaranteed when every limit equals its request, else Burstable") {
  auto container = [](std::int64_t reqCpu, std::int64_t reqMem, std::int64_t limCpu, std::int64_t limMem) {
    api::Container c;
    c.resources.requests = {reqCpu, reqMem};
    c.resources.limits = {limCpu, limMem};
    return c;
  };
  struct Case {
    const char* name;
    std::vector<api::Container> containers;
    api::PodQOSClass qos;
  };
  const std::vector<Case> cases = {
      {"no resources", {container(-1, -1, -1, -1)}, api::PodQOSClass::BestEffort},
      {"limits only: requests default to them", {container(-1, -1, 500, 1 << 20)}, api::PodQOSClass::Guaranteed},
      {"requests equal limits", {container(500, 1 << 20, 500, 1 << 20)}, api::PodQOSClass::Guaranteed},
      {"requests below limits", {container(250, 1 << 20, 500, 1 << 20)}, api::PodQOSClass::Burstable},
      {"requests only", {container(250, -1, -1, -1)}, api::PodQOSClass::Burstable},
      {"cpu limit without memory limit", {container(-1, -1, 500, -1)}, api::PodQOSClass::Burstable},
      {"one guaranteed and one best-effort container", {container(-1, -1, 500, 1 << 20), container(-1, -1, -1, -1)},
       api::PodQOSClass::Burstable},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    api::Pod pod;
    pod.containers = c.containers;
    CHECK(api::GetPodQOS(pod) == c.qos);
  }
  CHECK(std::string(api::apiName(api::PodQOSClass::BestEffort)) == "BestEffort");
  CHECK(std::string(api::apiName(api::PodQOSClass::Burstable)) == "Burstable");
  CHECK(std::string(api::apiName(api::PodQOSClass::Guaranteed)) == "Guaranteed");
}

TEST_CASE("IsDNS1123Label and IsDNS1123Subdomain accept lower-case alphanumerics and inner hyphens only") {
  CHECK(api::IsDNS1123Label("my-name"));
  CHECK(api::IsDNS1123Label("123-abc"));
  CHECK_FALSE(api::IsDNS1123Label("-a"));
  CHECK_FALSE(api::IsDNS1123Label("a-"));
  CHECK_FALSE(api::IsDNS1123Label("My"));
  CHECK_FALSE(api::IsDNS1123Label("a.b"));
  CHECK_FALSE(api::IsDNS1123Label(""));
  CHECK(api::IsDNS1123Label(std::string(63, 'a')));
  CHECK_FALSE(api::IsDNS1123Label(std::string(64, 'a')));
  CHECK(api::IsDNS1123Subdomain("example.com"));
  CHECK_FALSE(api::IsDNS1123Subdomain("a..b"));
  CHECK_FALSE(api::IsDNS1123Subdomain("a.-b"));
  CHECK_FALSE(api::IsDNS1123Subdomain(std::string(254, 'a')));
}

TEST_CASE("IsValidPortName names the first problem of a port name in the API's words") {
  CHECK(api::validatePortName("http") == "");
  CHECK(api::validatePortName("http-alt2") == "");
  CHECK(api::validatePortName("a-very-long-port-name") == "must be no more than 15 characters");
  CHECK(api::validatePortName("HTTP") == "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  CHECK(api::validatePortName("a--b") == "must not contain consecutive hyphens");
  CHECK(api::validatePortName("8080") == "must contain at least one letter (a-z)");
  CHECK(api::validatePortName("-web") == "must not begin or end with a hyphen");
}

TEST_CASE("A probe's handler prints as kubectl describe prints it (DescribeProbe)") {
  api::Probe exec;
  exec.kind = api::HandlerKind::Exec;
  exec.handler.command = {"test", "-f", "/tmp/up"};
  CHECK(api::probeHandlerText(exec) == "exec [test -f /tmp/up]");
  api::Probe http;
  http.kind = api::HandlerKind::HttpGet;
  http.handler.port = "8080";
  http.handler.path = "/healthz";
  CHECK(api::probeHandlerText(http) == "http-get http://:8080/healthz");
  http.handler.scheme = "HTTPS";
  http.handler.host = "10.0.0.1";
  CHECK(api::probeHandlerText(http) == "http-get https://10.0.0.1:8080/healthz");
  api::Probe tcp;
  tcp.kind = api::HandlerKind::TcpSocket;
  tcp.handler.port = "6379";
  CHECK(api::probeHandlerText(tcp) == "tcp-socket :6379");
  api::Probe grpc;
  grpc.kind = api::HandlerKind::Grpc;
  grpc.handler.port = "9090";
  CHECK(api::probeHandlerText(grpc) == "grpc <pod>:9090 ");
}

TEST_CASE("sameSpec: pods equal but for their metadata have the same spec; any spec field tells them apart") {
  api::Pod base;
  base.name = "web-0";
  base.containers.resize(2);
  base.containers[0].name = "app";
  base.containers[0].image = "example/app:1.0";
  base.containers[0].readinessProbe = api::Probe{};
  base.containers[1].name = "proxy";
  base.initContainers.resize(1);
  base.initContainers[0].name = "init";
  struct Row {
    const char* change;
    void (*apply)(api::Pod&);
    bool same;
  };
  const Row rows[] = {
      {"nothing", [](api::Pod&) {}, true},
      {"metadata.name", [](api::Pod& p) { p.name = "web-1"; }, true},
      {"metadata.namespace", [](api::Pod& p) { p.namespace_ = "other"; }, true},
      {"metadata.labels", [](api::Pod& p) { p.labels["tier"] = "blue"; }, true},
      {"the document's location", [](api::Pod& p) { p.where.line = 40; }, true},
      {"spec.restartPolicy", [](api::Pod& p) { p.restartPolicy = api::RestartPolicy::Never; }, false},
      {"spec.activeDeadlineSeconds", [](api::Pod& p) { p.activeDeadlineSeconds = 30; }, false},
      {"spec.terminationGracePeriodSeconds", [](api::Pod& p) { p.terminationGracePeriodSeconds = 5; }, false},
      {"spec.nodeName", [](api::Pod& p) { p.nodeName = "node-2"; }, false},
      {"spec.nodeSelector", [](api::Pod& p) { p.nodeSelector["disk"] = "ssd"; }, false},
      {"spec.tolerations", [](api::Pod& p) { p.tolerations.emplace_back(); }, false},
      {"spec.readinessGates", [](api::Pod& p) { p.readinessGates.push_back({"example.com/gate", 0}); }, false},
      {"a container's image", [](api::Pod& p) { p.containers[1].image = "envoy"; }, false},
      {"a probe's periodSeconds", [](api::Pod& p) { p.containers[0].readinessProbe->periodSeconds = 5; }, false},
      {"an init container's restartPolicy", [](api::Pod& p) { p.initContainers[0].restartPolicy = api::RestartPolicy::Always; }, false},
      {"a container's env", [](api::Pod& p) { p.containers[0].env.emplace_back("A", "1"); }, false},
      {"a container's source line", [](api::Pod& p) { p.containers[0].where.line = 12; }, false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.change);
    api::Pod other = base;
    row.apply(other);
    CHECK(api::sameSpec(base, other) == row.same);
    CHECK(api::sameSpec(other, base) == row.same);
  }
}
