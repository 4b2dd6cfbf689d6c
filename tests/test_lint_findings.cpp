// tests/test_lint_findings.cpp: the `podsim lint` findings of issue 14 item 7 (models/graph/lint.hpp):
// one scenario per finding under scenarios/lint/, small inline cases for their edges, and what lint now
// reports on the course's Pods (the Services nothing creates, the syntax error, the non-public images).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/graph/lint.hpp"
#include "models/graph/script_walk.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;

namespace {

std::string src(const std::string& rel) { return std::string(PODSIM_SOURCE_DIR) + "/" + rel; }

struct Expected {
  const char* file;
  graph::FindingKind kind;
  const char* pod;
  const char* fieldPath;
  int line;
  const char* message;
};

std::vector<graph::Finding> lintText(const std::string& yaml) {
  return graph::lintScenario(scenario::loadScenarioString(yaml, "inline.yaml"));
}

std::vector<std::string> kinds(const std::vector<graph::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.emplace_back(graph::toString(f.kind));
  return out;
}

}  // namespace

TEST_CASE("lint finds each problem of issue 14 item 7 in its own scenario under scenarios/lint/, with its field path and a plain sentence") {
  const std::vector<Expected> cases = {
      {"service-never-created.yaml", graph::FindingKind::ServiceNeverCreated, "orders", "spec.initContainers[0].command", 13,
       "init container wait-for-db waits in a loop for Service orders-db (nc), but no Service document, endpoint or "
       "createService action of the scenario creates it, so wait-for-db never completes and the pod never starts its "
       "app containers (it stays Pending, Init:0/1). Create the Service: a `kind: Service` document named orders-db, "
       "or an action such as `{at: 30s, createService: {name: orders-db}}` under the Scenario's spec.actions."},
      {"shell-syntax-error.yaml", graph::FindingKind::ShellSyntaxError, "ticker", "spec.containers[0].command", 11,
       "busybox sh rejects the script of ticker before running any of it: it prints `sh: syntax error: unexpected end "
       "of file (expecting \"done\")` and exits with code 2, so it fails on every run (Error, then CrashLoopBackOff). "
       "Fix the script: quotes must be balanced, every `do` needs its `done`, every `if` its `fi`, and `<`, `>`, `|`, "
       "`&` are shell operators unless quoted."},
      {"depends-on-nothing.yaml", graph::FindingKind::DependsOnNothing, "shop", "spec.containers[0].readinessProbe", 18,
       "the readiness probe of web depends on \"order-db\" (behaviors probes.readiness.dependsOn), but the scenario has "
       "no Service document, no spec.endpoints entry and no createService action of that name, so the probe never "
       "passes and web is never Ready (the pod stays out of its Services). Check the spelling, or declare order-db: a "
       "`kind: Service` document, an entry under spec.endpoints, or a createService action."},
      {"exits-under-restart-always.yaml", graph::FindingKind::ExitsUnderRestartAlways, "hello", "spec.containers[0].command",
       11,
       "the command of greeter (`echo hello from the greeter`) ends by itself at once with exit code 0, but the pod's "
       "restartPolicy is Always: the kubelet restarts greeter after every exit with a growing back-off, so the pod "
       "shows Completed, then CrashLoopBackOff, and RESTARTS keeps climbing. A container under Always must keep "
       "running (end the script with the long-running process, e.g. `sleep 3600`); for a task meant to finish use "
       "restartPolicy OnFailure or Never."},
      {"default-command-exits.yaml", graph::FindingKind::DefaultCommandExits, "toolbox", "spec.containers[0]", 14,
       "shell has no command, so it runs the default command of image busybox:1.36 (`sh`), which has no terminal to "
       "read from and exits with code 0 at once; the kubelet restarts it after every exit, so on a cluster the pod "
       "shows Completed, then CrashLoopBackOff. Give shell a command that keeps running (e.g. `command: ['sh', '-c', "
       "'sleep 3600']`), or use an image whose default process serves (nginx, httpd, redis)."},
      {"image-not-in-catalogue.yaml", graph::FindingKind::ImageNotInCatalogue, "billing", "spec.containers[0].image", 11,
       "image acme/billing-api:2.3 is not in podsim's catalogue of public images and the scenario does not describe it "
       "(spec.images): podsim assumes it exists (50 MB compressed, pulled in 1.75s) and runs it, but on a cluster container api runs only if the node can "
       "pull docker.io/acme/billing-api:2.3 from a registry it can reach; if no registry has it (images made for a "
       "course usually are not public), the kubelet reports ErrImagePull, then ImagePullBackOff. Push the image to a "
       "registry the node can reach and name it there, or describe it under spec.images (e.g. `present: true`, or "
       "`pullError: ErrImagePull` to see the failure)."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const std::string path = src(std::string("scenarios/lint/") + c.file);
    const auto findings = graph::lintScenario(scenario::loadScenarioFile(path));
    REQUIRE(findings.size() == 1);
    const auto& f = findings[0];
    CHECK(std::string(graph::toString(f.kind)) == std::string(graph::toString(c.kind)));
    CHECK(f.pod == c.pod);
    CHECK(f.fieldPath == c.fieldPath);
    CHECK(f.where.line == c.line);
    CHECK(f.where.column == 5);
    CHECK(f.message == c.message);
    CHECK(graph::formatFinding(f) == path + ":" + std::to_string(c.line) + ":5: pod " + c.pod + ": " + c.fieldPath + ": " +
                                         c.message + " [" + std::string(graph::toString(c.kind)) + "]");
  }
}

TEST_CASE("lint on the course's myapp-pod reports that nothing creates myservice and mydb, and what to do") {
  const auto findings = graph::lintScenario(scenario::loadScenarioFile(src("scenarios/course/myapp-pod.yaml")));
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].fieldPath == "spec.initContainers[0].command");
  CHECK(findings[0].message ==
        "init container init-myservice waits in a loop for Service myservice (nslookup), but no Service document, "
        "endpoint or createService action of the scenario creates it, so init-myservice never completes and the pod "
        "never starts its app containers (it stays Pending, Init:0/2). Create the Service: a `kind: Service` document "
        "named myservice, or an action such as `{at: 30s, createService: {name: myservice}}` under the Scenario's "
        "spec.actions.");
  CHECK(findings[1].fieldPath == "spec.initContainers[1].command");
  CHECK(findings[1].message ==
        "init container init-mydb waits in a loop for Service mydb (nslookup), but no Service document, endpoint or "
        "createService action of the scenario creates it, so init-mydb never completes and the pod never starts its "
        "app containers (it stays Pending, Init:1/2 at best). Create the Service: a `kind: Service` document named "
        "mydb, or an action such as `{at: 30s, createService: {name: mydb}}` under the Scenario's spec.actions.");
  // With the createService actions of myapp-pod-services.yaml, the same Pod is clean.
  CHECK(graph::lintScenario(scenario::loadScenarioFile(src("scenarios/course/myapp-pod-services.yaml"))).empty());
}

TEST_CASE("lint reports on the course's Pods what a cluster would show: waits for Services nothing creates, the syntax error, non-public images") {
  struct Course {
    const char* file;
    std::vector<std::string> kinds;
  };
  const std::vector<Course> cases = {
      {"init-oneRun.yaml", {"default-command-exits"}},  // busybox with no command; oneRUn is InvalidImageName, not this
      {"multi-container-web-app.yaml", {"image-not-in-catalogue", "image-not-in-catalogue"}},
      {"myapp-pod-6m.yaml", {"service-never-created", "service-never-created"}},
      {"myapp-pod-git-clone.yaml", {"shell-syntax-error"}},
      {"myapp-pod-services.yaml", {}},
      {"myapp-pod.yaml", {"service-never-created", "service-never-created"}},
      {"simple-webapp-init.yaml", {"image-not-in-catalogue"}},
      {"simple-webapp-log-agent.yaml", {"image-not-in-catalogue", "image-not-in-catalogue"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    CHECK(kinds(graph::lintScenario(scenario::loadScenarioFile(src(std::string("scenarios/course/") + c.file)))) == c.kinds);
  }
}

TEST_CASE("service-never-created: a wait that gives up, a Service created by an action or an endpoint, and a regular container are no finding") {
  const std::string pod = R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: wait
    image: busybox:1.28
    command: ['sh', '-c', 'SCRIPT']
  containers:
  - name: app
    image: nginx:1.27
)";
  const auto with = [&](const std::string& script, const std::string& scenario) {
    std::string y = pod;
    y.replace(y.find("SCRIPT"), 6, script);
    return kinds(lintText(y + scenario));
  };
  const std::vector<std::string> none;
  const std::vector<std::string> one{"service-never-created"};
  CHECK(with("until nslookup db; do sleep 2; done", "") == one);
  CHECK(with("while ! wget -q -O- http://db:8080/; do sleep 1; done", "") == one);
  CHECK(with("nslookup db || true", "") == none);  // one try, then it goes on
  CHECK(with("for i in 1 2 3; do nslookup db && break; sleep 1; done", "") == none);  // gives up after 3 tries
  const std::string action = "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  actions:\n"
                             "    - {at: 10s, createService: {name: db}}\n";
  CHECK(with("until nslookup db; do sleep 2; done", action) == none);
  const std::string endpoint = "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  endpoints:\n"
                               "    db: {external: true}\n";
  CHECK(with("until nc -z db 5432; do sleep 2; done", endpoint) == none);
  // Both Services of one loop are named together.
  const auto both = lintText(pod.substr(0, pod.find("SCRIPT")) + "until nslookup a && nslookup b; do sleep 2; done" +
                             pod.substr(pod.find("SCRIPT") + 6));
  REQUIRE(both.size() == 1);
  CHECK(both[0].message.rfind("init container wait waits in a loop for Services a and b (nslookup), but", 0) == 0);
}

TEST_CASE("exits-under-restart-always: only under Always and within 10 minutes; default-command-exits: only without a command") {
  const auto one = [](const std::string& policy, const std::string& container) {
    return kinds(lintText("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: " + policy +
                          "\n  containers:\n  - name: c\n" + container));
  };
  using V = std::vector<std::string>;
  CHECK(one("Always", "    image: busybox:1.36\n    command: ['true']\n") == V{"exits-under-restart-always"});
  CHECK(one("Always", "    image: busybox:1.36\n    command: ['sh', '-c', 'sleep 30; exit 3']\n") ==
        V{"exits-under-restart-always"});
  CHECK(one("Always", "    image: busybox:1.36\n    command: ['sh', '-c', 'sleep 700']\n").empty());  // runs > 10 min
  CHECK(one("Always", "    image: busybox:1.36\n    command: ['sh', '-c', 'sleep 3600']\n").empty());
  CHECK(one("OnFailure", "    image: busybox:1.36\n    command: ['true']\n").empty());
  CHECK(one("Never", "    image: busybox:1.36\n    command: ['sh', '-c', 'echo hi']\n").empty());
  CHECK(one("Always", "    image: alpine\n") == V{"default-command-exits"});
  CHECK(one("Always", "    image: docker.io/library/ubuntu:24.04\n") == V{"default-command-exits"});
  CHECK(one("OnFailure", "    image: busybox\n").empty());  // exits 0: done
  CHECK(one("Always", "    image: nginx:1.27\n").empty());  // serves
  CHECK(one("Always", "    image: postgres:16\n").empty());  // Simplification: env is not read, so not reported
  CHECK(one("Always", "    image: busybox\n    args: ['sleep', '3600']\n").empty());
}

TEST_CASE("image-not-in-catalogue: once per image and pod; not for catalogued, described or invalid images") {
  const auto y = [](const std::string& images, const std::string& scenario) {
    return kinds(lintText("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n" + images + scenario));
  };
  using V = std::vector<std::string>;
  const std::string twice = "  - {name: a, image: simple-webapp, command: ['sleep', '3600']}\n"
                            "  - {name: b, image: simple-webapp, command: ['sleep', '3600']}\n";
  CHECK(y(twice, "") == V{"image-not-in-catalogue"});
  CHECK(y(twice, "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  images:\n    simple-webapp: {present: true}\n")
            .empty());
  CHECK(y("  - {name: a, image: 'docker.io/library/redis:7.2'}\n", "").empty());  // catalogued, via fallbackTag
  CHECK(y("  - {name: a, image: quay.io/acme/app:1, command: ['sleep', '3600']}\n", "") == V{"image-not-in-catalogue"});
}

TEST_CASE("walkScript: an endless loop names the Services whose waits fail inside it; exits give code and time slept") {
  scenario::ShellProgram loop;  // 0: Lookup 0; 1: JumpIfZero 4; 2: Sleep 2 s; 3: Jump 0; (4: end)
  loop.ops = {{scenario::ShellOp::Kind::Lookup, 0}, {scenario::ShellOp::Kind::JumpIfZero, 4},
              {scenario::ShellOp::Kind::Sleep, 2 * sim::kSecond}, {scenario::ShellOp::Kind::Jump, 0}};
  const auto stuck = graph::walkScript(loop, [](std::int32_t) { return false; });
  CHECK(stuck.end == graph::ScriptWalk::End::Loops);
  CHECK(stuck.failingWaitsInLoop == std::vector<std::int32_t>{0});
  const auto done = graph::walkScript(loop, [](std::int32_t) { return true; });
  CHECK(done.end == graph::ScriptWalk::End::Exits);
  CHECK(done.exitCode == 0);
  CHECK(done.elapsed == 0);
  scenario::ShellProgram sleepThenExit;
  sleepThenExit.ops = {{scenario::ShellOp::Kind::Sleep, 30 * sim::kSecond}, {scenario::ShellOp::Kind::Exit, 3}};
  const auto w = graph::walkScript(sleepThenExit, [](std::int32_t) { return true; });
  CHECK(w.end == graph::ScriptWalk::End::Exits);
  CHECK(w.exitCode == 3);
  CHECK(w.elapsed == 30 * sim::kSecond);
  scenario::ShellProgram forever;
  forever.ops = {{scenario::ShellOp::Kind::Forever, 0}};
  CHECK(graph::walkScript(forever, [](std::int32_t) { return true; }).end == graph::ScriptWalk::End::RunsForever);
}
