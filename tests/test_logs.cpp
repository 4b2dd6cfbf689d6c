// tests/test_logs.cpp: container logs (issue 14): what the shell writes (echo, printf, redirections, the
// tools' busybox messages from the image catalogue, its own errors), the trace's Log records, and
// `kubectl logs`' choice of container and run with kubectl's and the kubelet's messages
// (models/report/logs.hpp; kubectl logsforobject.go, pkg/kubelet/kubelet_pods.go validateContainerLogStatus).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/report/logs.hpp"
#include "models/scenario/loader.hpp"
#include "models/scenario/shell.hpp"

using namespace podsim;
using sim::kSecond;

namespace {

struct Run {
  scenario::Scenario sc;
  std::unique_ptr<engine::Simulation> sim;
};

std::unique_ptr<Run> run(const std::string& yaml, sim::Time duration = 30 * kSecond) {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioString(yaml, "test.yaml");
  engine::RunOptions o;
  o.duration = duration;
  r->sim = std::make_unique<engine::Simulation>(r->sc, o);
  r->sim->run();
  return r;
}

std::vector<std::string> texts(const trace::LogsAnswer& a) {
  std::vector<std::string> out;
  for (const auto& l : a.lines) out.push_back(l.text);
  return out;
}

/// The lines (text, stream) a compiled program can write, in table order.
std::vector<std::pair<std::string, bool>> programLines(const std::vector<std::string>& command) {
  std::vector<std::string> table;
  scenario::ShellContext ctx;
  ctx.serviceIndex = [](const std::string&) { return 0; };
  ctx.text = [&](const std::string& s) {
    table.push_back(s);
    return static_cast<std::int32_t>(table.size() - 1);
  };
  const auto r = scenario::compileContainerCommand(command, {}, ctx);
  REQUIRE(r.kind == scenario::ShellParse::Kind::Program);
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& l : r.program->lines) out.emplace_back(table[static_cast<std::size_t>(l.text)], l.stream == scenario::LogStream::Stderr);
  return out;
}

const char* const kCourse = R"(apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;']
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: course}
spec:
  timing: ideal
  images: {busybox:1.28: {present: true}}
  actions:
    - {at: 5s, createService: {name: myservice}}
)";

}  // namespace

TEST_CASE("shell logs: echo and printf write stdout, >&2 stderr, > file nothing (busybox ash builtins)") {
  using L = std::vector<std::pair<std::string, bool>>;
  CHECK(programLines({"sh", "-c", "echo hello world; echo -n no newline"}) == L{{"hello world", false}, {"no newline", false}});
  CHECK(programLines({"sh", "-c", "echo oops >&2; echo gone > /tmp/x; echo kept 2>/dev/null"}) == L{{"oops", true}, {"kept", false}});
  CHECK(programLines({"sh", "-c", "printf '%s=%d\\n' a 1 b 2"}) == L{{"a=1", false}, {"b=2", false}});
  CHECK(programLines({"sh", "-c", "echo -e 'one\\ntwo'"}) == L{{"one", false}, {"two", false}});
  CHECK(programLines({"sh", "-c", "sleep abc"}) == L{{"sleep: invalid number 'abc'", true}});
}

TEST_CASE("shell logs: nslookup of busybox 1.28 prints its resolver lines and can't resolve on stderr (catalogue tools)") {
  std::vector<std::string> table;
  scenario::ShellContext ctx;
  ctx.serviceIndex = [](const std::string&) { return 3; };
  ctx.text = [&](const std::string& s) {
    table.push_back(s);
    return static_cast<std::int32_t>(table.size() - 1);
  };
  ctx.nslookup = scenario::lookup("busybox:1.28")->nslookup;
  const auto r = scenario::compileContainerCommand({"sh", "-c", "nslookup mydb"}, {}, ctx);
  REQUIRE(r.kind == scenario::ShellParse::Kind::Program);
  const auto& prog = *r.program;
  REQUIRE(prog.ops[0].out >= 0);
  const auto& out = prog.outputs[static_cast<std::size_t>(prog.ops[0].out)];
  REQUIRE(out.noName.count == 4);
  const auto& last = prog.lines[static_cast<std::size_t>(out.noName.first + 3)];
  CHECK(table[static_cast<std::size_t>(last.text)] == "nslookup: can't resolve 'mydb'");
  CHECK(last.stream == scenario::LogStream::Stderr);
  REQUIRE(out.ok.count == 5);
  CHECK(table[static_cast<std::size_t>(prog.lines[static_cast<std::size_t>(out.ok.first + 4)].text)] ==
        "Address 1: " + scenario::serviceClusterIP(3) + " mydb.default.svc.cluster.local");
}

TEST_CASE("kubectl logs: the init container's wait loop, then the app's echo once the Service exists") {
  const auto r = run(kCourse);
  const auto init = trace::kubectlLogs(*r->sim, 0, "init-myservice", false, 10 * kSecond);
  CHECK(init.error.empty());
  const auto lines = texts(init);
  REQUIRE(lines.size() >= 8);
  CHECK(lines[3] == "nslookup: can't resolve 'myservice'");
  CHECK(lines[4] == "waiting for myservice");
  CHECK(lines.back() == "Address 1: " + scenario::serviceClusterIP(0) + " myservice.default.svc.cluster.local");
  // The pod's only regular container is the default (logsforobject.go).
  const auto app = trace::kubectlLogs(*r->sim, 0, "", false, 10 * kSecond);
  CHECK(app.error.empty());
  CHECK(texts(app) == std::vector<std::string>{"The app is running!"});
  CHECK(texts(trace::kubectlLogs(*r->sim, 0, "init-myservice", false, 10 * kSecond, 1)).size() == 1);
}

TEST_CASE("kubectl logs errors: waiting to start, previous not found, no container named (kubelet_pods.go validateContainerLogStatus)") {
  const auto r = run(kCourse);
  CHECK(trace::kubectlLogs(*r->sim, 0, "myapp-container", false, 2 * kSecond).error ==
        "Error from server (BadRequest): container \"myapp-container\" in pod \"myapp-pod\" is waiting to start: PodInitializing");
  CHECK(trace::kubectlLogs(*r->sim, 0, "init-myservice", true, 2 * kSecond).error ==
        "Error from server (BadRequest): previous terminated container \"init-myservice\" in pod \"myapp-pod\" not found");
  CHECK(trace::kubectlLogs(*r->sim, 0, "nope", false, 2 * kSecond).error == "error: container nope is not valid for pod myapp-pod");
}

TEST_CASE("kubectl logs: several containers and no -c is kubectl's error naming them and the init containers (logsforobject.go)") {
  const auto r = run(R"(apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  initContainers: [{name: setup, image: busybox, command: ['sh', '-c', 'echo ready']}]
  containers:
  - {name: a, image: busybox, command: ['sh', '-c', 'echo a; sleep 3600']}
  - {name: b, image: busybox, command: ['sh', '-c', 'echo b; exit 1']}
)");
  CHECK(trace::kubectlLogs(*r->sim, 0, "", false, 20 * kSecond).error ==
        "error: a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [setup]");
  // b exits 1 and restarts: --previous reads the run before.
  const auto prev = trace::kubectlLogs(*r->sim, 0, "b", true, 25 * kSecond);
  CHECK(prev.error.empty());
  CHECK(texts(prev) == std::vector<std::string>{"b"});
  CHECK(texts(trace::kubectlLogs(*r->sim, 0, "setup", false, 25 * kSecond)) == std::vector<std::string>{"ready"});
}

TEST_CASE("kubectl logs --timestamps: RFC3339Nano from the run start 2025-01-01T00:00:00Z (as describe's Start Time), trailing zeros trimmed") {
  CHECK(trace::rfc3339Nano(0) == "2025-01-01T00:00:00Z");
  CHECK(trace::rfc3339Nano(2 * kSecond + 500'000'000) == "2025-01-01T00:00:02.5Z");
  CHECK(trace::rfc3339Nano(61 * kSecond + 1) == "2025-01-01T00:01:01.000000001Z");
}

TEST_CASE("a catalogued server's log lines carry the simulated wall-clock time in its own format, not a placeholder (data/images.yaml {time:FORMAT})") {
  // Time 0 is 2025-01-01T00:00:00Z in every podsim view; nginx stops at 60 s on its STOPSIGNAL SIGQUIT.
  auto r = run(R"(apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: ideal
  actions:
  - {at: 60s, deletePod: {pod: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: app, image: "nginx:1.27"}
  - {name: cache, image: "redis:7.4"}
  - {name: proxy, image: "envoyproxy/envoy:v1.30"}
)", 2 * sim::kMinute);
  const auto app = texts(trace::kubectlLogs(*r->sim, 0, "app", false, 59 * kSecond));
  REQUIRE(!app.empty());
  CHECK(app.back() == "2025/01/01 00:00:00 [notice] 1#1: start worker processes");
  const auto cache = texts(trace::kubectlLogs(*r->sim, 0, "cache", false, 59 * kSecond));
  REQUIRE(!cache.empty());
  CHECK(cache.back() == "1:M 01 Jan 2025 00:00:00.000 * Ready to accept connections tcp");
  // Every line of every container, stopped ones included, is filled.
  for (const auto& rec : r->sim->trace().records()) {
    if (rec.type != trace::RecordType::Log) continue;
    const std::string line = trace::logLine(r->sim->scenario(), r->sim->trace().logAt(rec).text, rec.t);
    CHECK_MESSAGE(line.find("{time") == std::string::npos, line);
    CHECK_MESSAGE(line.find("{epoch}") == std::string::npos, line);
  }
  // nginx's line on its stop signal carries the time it was written (the delete at 60 s, plus its exit delay).
  std::string quit;
  for (const auto& rec : r->sim->trace().records()) {
    if (rec.type != trace::RecordType::Log) continue;
    const std::string line = trace::logLine(r->sim->scenario(), r->sim->trace().logAt(rec).text, rec.t);
    if (line.find("SIGQUIT") != std::string::npos) quit = line;
  }
  CHECK(quit.starts_with("2025/01/01 00:01:0"));
  CHECK(quit.ends_with(" [notice] 1#1: signal 3 (SIGQUIT) received, shutting down"));
}
