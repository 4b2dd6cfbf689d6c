// tests/test_loader.cpp: scenario files -> Scenario (models/scenario/loader.hpp): API defaults, course
// manifests, behaviours, actions, and whole error messages with file:line:col and field path.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/scenario/field_names.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;
using scenario::InputError;
using scenario::loadScenarioString;
using scenario::ShellOp;

namespace {

/// The message of the InputError that loading `yaml` throws, or "" when it loads.
std::string errorOf(const std::string& yaml) {
  try {
    loadScenarioString(yaml, "t.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* const kMyappPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;']
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup mydb; do echo waiting for mydb; sleep 2; done;']
)";

/// A minimal valid pod; tests splice fields into its only container or its spec.
std::string pod(const std::string& containerExtra, const std::string& specExtra = "") {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + specExtra +
         "  containers:\n  - name: app\n    image: app:v1\n" + containerExtra;
}

}  // namespace

TEST_CASE("The course's myapp-pod loads with two nslookup init containers compiled from their scripts") {
  const auto sc = loadScenarioString(kMyappPod, "myapp.yaml");
  REQUIRE(sc.pods.size() == 1);
  const auto& p = sc.pods[0].pod;
  CHECK(p.name == "myapp-pod");
  CHECK(p.namespace_ == "default");
  CHECK(p.labels.at("app") == "myapp");
  REQUIRE(p.containerCount() == 3);
  CHECK(p.container(0).name == "init-myservice");
  CHECK(p.container(1).name == "init-mydb");
  CHECK(p.container(2).name == "myapp-container");
  CHECK(p.containerType(0) == api::ContainerType::Init);
  CHECK(p.containerType(2) == api::ContainerType::Regular);
  // One image, interned once.
  CHECK(sc.images == std::vector<std::string>{"busybox:1.28"});
  CHECK(p.container(0).imageId == 0);
  CHECK(p.container(2).imageId == 0);
  CHECK(sc.imageBehaviors.size() == 1);
  // Services named by the scripts exist only once created.
  REQUIRE(sc.services.size() == 2);
  CHECK(sc.services[0].name == "myservice");
  CHECK_FALSE(sc.services[0].existsAtStart);
  CHECK(sc.services[1].name == "mydb");
  const auto& b = sc.pods[0].behaviors;
  REQUIRE(b.size() == 3);
  for (const auto& behavior : b) {
    CHECK(behavior.origin == "script");
    REQUIRE(behavior.script != nullptr);
    CHECK(behavior.terminationDelay == sim::kForever);  // a shell as PID 1 ignores SIGTERM
  }
  CHECK(b[1].script->ops[0].kind == ShellOp::Kind::Lookup);
  CHECK(b[1].script->ops[0].value == 1);
  CHECK(b[2].script->source == "echo The app is running! && sleep 3600");
  CHECK(sc.warnings.empty());
  // Defaults of the Scenario document.
  CHECK(sc.duration == 10 * sim::kMinute);
  CHECK(sc.seed == 1);
  CHECK(sc.timing == scenario::Timing::Kubelet);
  CHECK(sc.kubernetesVersion == kubelet::KubernetesVersion{1, 37});
  CHECK(sc.file == "myapp.yaml");
}

TEST_CASE("The course init container whose script the shell rejects exits with code 2 and a warning") {
  const auto sc = loadScenarioString(R"(apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox
    command: ['sh', '-c', 'git clone <some-repository-that-will-be-used-by-application> ; done;']
)", "course.yaml");
  const auto& b = sc.pods[0].behaviors[0];
  CHECK(b.origin == "script");
  // The shell's error goes to the log (issue 14): a two-op program writes it on stderr and exits 2.
  REQUIRE(b.script != nullptr);
  CHECK(b.script->ops.back().kind == ShellOp::Kind::Exit);
  CHECK(b.script->ops.back().value == 2);
  REQUIRE(b.attempts.size() == 1);
  CHECK(b.attempts[0].run == 0);
  CHECK(b.attempts[0].exitCode == 2);
  REQUIRE(sc.warnings.size() == 1);
  CHECK(sc.warnings[0] ==
        "course.yaml: pod myapp-pod container init-myservice: sh: syntax error: unexpected \";\"; the container exits "
        "with code 2 at once");
  // `busybox` without a tag pulls Always; `busybox:1.28` IfNotPresent.
  CHECK(sc.pods[0].pod.container(0).imagePullPolicy == api::PullPolicy::Always);
  CHECK(sc.pods[0].pod.container(1).imagePullPolicy == api::PullPolicy::IfNotPresent);
}

TEST_CASE("The course's simple-webapp with an init container that echoes and sleeps loads") {
  const auto sc = loadScenarioString(R"(apiVersion: v1
kind: Pod
metadata:
  name: simple-webapp
  labels:
    name: simple-webapp
spec:
  containers:
    - name: simple-webapp
      image: simple-webapp
      ports:
        - containerPort: 8080
  initContainers:
    - name: init-myservice
      image: busybox
      command: ['sh','-c', 'echo "The app is running!" && sleep 3600']
)");
  const auto& p = sc.pods[0].pod;
  CHECK(p.containers[0].containerPorts == std::vector<std::int32_t>{8080});
  CHECK(sc.pods[0].behaviors[1].origin == "default");
  CHECK(sc.pods[0].behaviors[1].attempts[0].run == sim::kForever);
  CHECK(sc.pods[0].behaviors[0].origin == "script");
}

TEST_CASE("The course's misspelled imaeg field is an error naming the field") {
  CHECK(errorOf(R"(apiVersion: v1
kind: Pod
metadata:
  name: simple-webapp
spec:
  containers:
    - name: simple-webapp
      image: simple-webapp
    - name: log-agent
      imaeg: log-agent
)") == "t.yaml:10:7: spec.containers[1].imaeg: unknown field \"spec.containers[1].imaeg\", did you mean \"image\"?\n"
        "t.yaml:9:7: spec.containers[1].image: Required value\n"
        "Pod \"simple-webapp\" is invalid: 2 errors");
}

TEST_CASE("Tabs in indentation, as in the course's notes, are a YAML syntax error pointing at the tab, with every other tab listed") {
  CHECK(errorOf("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: simple-webapp\n\tlabels:\n\t\tname: simple-webapp\n") ==
        "t.yaml:4:1: invalid YAML: illegal map value (a tab in the indentation: YAML indents with spaces only)\n"
        "t.yaml:5:1: invalid YAML: a tab in the indentation (YAML indents with spaces only)\n"
        "t.yaml:6:1: invalid YAML: a tab in the indentation (YAML indents with spaces only)\n"
        "t.yaml is invalid: 3 errors");
  CHECK(errorOf("a: [") == "t.yaml:1:1: invalid YAML: end of sequence flow not found");
}

TEST_CASE("The API defaults apply: restartPolicy Always, grace 30, pull policy from the tag, probe defaults") {
  const auto sc = loadScenarioString(R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
  - name: side
    image: fluent/fluent-bit@sha256:abcd
    restartPolicy: Always
    startupProbe:
      exec: {command: [test, -f, /tmp/up]}
  containers:
  - name: a
    image: example/app:latest
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
      periodSeconds: 5
    livenessProbe:
      tcpSocket: {port: 8080}
      timeoutSeconds: 0
  - name: b
    image: registry.local:5000/app
  - name: c
    image: registry.local:5000/app:2.0
  - name: d
    image: app:2.0
    imagePullPolicy: Never
)");
  const auto& p = sc.pods[0].pod;
  CHECK(p.restartPolicy == api::RestartPolicy::Always);
  CHECK(p.terminationGracePeriodSeconds == 30);
  CHECK(p.activeDeadlineSeconds == -1);
  CHECK(p.containerType(0) == api::ContainerType::Sidecar);
  CHECK(p.container(0).imagePullPolicy == api::PullPolicy::IfNotPresent);  // digest
  CHECK(p.container(1).imagePullPolicy == api::PullPolicy::Always);        // :latest
  CHECK(p.container(2).imagePullPolicy == api::PullPolicy::Always);        // no tag (the :5000 is a port)
  CHECK(p.container(3).imagePullPolicy == api::PullPolicy::IfNotPresent);
  CHECK(p.container(4).imagePullPolicy == api::PullPolicy::Never);
  const auto& startup = *p.container(0).startupProbe;
  CHECK(startup.kind == api::HandlerKind::Exec);
  CHECK(startup.periodSeconds == 10);
  CHECK(startup.timeoutSeconds == 1);
  CHECK(startup.successThreshold == 1);
  CHECK(startup.failureThreshold == 3);
  CHECK(startup.initialDelaySeconds == 0);
  CHECK(p.container(1).readinessProbe->kind == api::HandlerKind::HttpGet);
  CHECK(p.container(1).readinessProbe->periodSeconds == 5);
  CHECK(p.container(1).livenessProbe->kind == api::HandlerKind::TcpSocket);
  CHECK(p.container(1).livenessProbe->timeoutSeconds == 1);
  CHECK_FALSE(p.container(2).readinessProbe.has_value());
  // Default behaviours: sidecars and regular containers run until stopped.
  CHECK(sc.pods[0].behaviors[0].attempts[0].run == sim::kForever);
  CHECK(sc.pods[0].behaviors[0].terminationDelay == 0);
  CHECK(sc.pods[0].behaviors[0].exitCodeOnSigterm == 143);
}

TEST_CASE("Resource quantities read as millicores and bytes, and a request defaults to its limit") {
  const auto sc = loadScenarioString(pod(R"(    resources:
      requests: {cpu: 500m, memory: 128Mi}
      limits: {cpu: "1", memory: 1Gi}
  - name: b
    image: b
    resources:
      limits: {cpu: 0.5, memory: 1G}
  - name: c
    image: c
    resources:
      requests: {memory: "1000", cpu: 1.5, ephemeral-storage: 1Gi}
)"));
  const auto& p = sc.pods[0].pod;
  CHECK(p.containers[0].resources.requests.cpuMilli == 500);
  CHECK(p.containers[0].resources.requests.memoryBytes == 128 * 1024 * 1024);
  CHECK(p.containers[0].resources.limits.cpuMilli == 1000);
  CHECK(p.containers[0].resources.limits.memoryBytes == 1024LL * 1024 * 1024);
  CHECK(p.containers[1].resources.requests.cpuMilli == 500);
  CHECK(p.containers[1].resources.requests.memoryBytes == 1'000'000'000);
  CHECK(p.containers[2].resources.requests.memoryBytes == 1000);
  CHECK(p.containers[2].resources.requests.cpuMilli == 1500);
  CHECK(p.containers[2].resources.limits.cpuMilli == -1);
}

TEST_CASE("Fields podsim does not model are accepted with one warning per field name") {
  const auto sc = loadScenarioString(pod(R"(    volumeMounts: [{name: data, mountPath: /data}]
    env: [{name: A, value: b}]
  - name: b
    image: b
    volumeMounts: [{name: data, mountPath: /data}]
)", "  volumes: [{name: data, emptyDir: {}}]\n  serviceAccountName: x\n"), "scenarios/x.yaml");
  CHECK(sc.warnings == std::vector<std::string>{
                           "scenarios/x.yaml: field spec.volumes is not modelled; ignored",
                           "scenarios/x.yaml: field spec.serviceAccountName is not modelled; ignored",
                           "scenarios/x.yaml: field spec.containers[].volumeMounts is not modelled; ignored",
                       });
}

TEST_CASE("Bad Pod manifests give the API's message with file, line, column and field path") {
  // Unsupported container restartPolicy.
  CHECK(errorOf(pod("", "  initContainers:\n  - name: i\n    image: i\n  - name: j\n    image: j\n    restartPolicy: Sometimes\n")) ==
        "t.yaml:11:20: spec.initContainers[1].restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\"");
  // Missing image.
  CHECK(errorOf(pod("  - name: b\n")) == "t.yaml:9:5: spec.containers[1].image: Required value");
  // Pod restartPolicy.
  CHECK(errorOf(pod("", "  restartPolicy: X\n")) ==
        "t.yaml:6:18: spec.restartPolicy: Unsupported value: \"X\": supported values: \"Always\", \"OnFailure\", \"Never\"");
  // Probes on a regular init container.
  CHECK(errorOf(pod("", "  initContainers:\n  - name: i\n    image: i\n    livenessProbe: {exec: {command: [x]}}\n")) ==
        "t.yaml:9:5: spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without "
        "restartPolicy=Always");
  CHECK(errorOf(pod("", "  initContainers:\n  - name: i\n    image: i\n    lifecycle: {preStop: {sleep: {seconds: 1}}}\n")) ==
        "t.yaml:9:5: spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without "
        "restartPolicy=Always");
  // successThreshold of a liveness probe.
  CHECK(errorOf(pod("    livenessProbe:\n      exec: {command: [x]}\n      successThreshold: 2\n")) ==
        "t.yaml:11:25: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
  // A probe without a handler.
  CHECK(errorOf(pod("    readinessProbe: {periodSeconds: 3}\n")) ==
        "t.yaml:9:21: spec.containers[0].readinessProbe: Required value: must specify a handler type");
  // Negative grace period.
  CHECK(errorOf(pod("", "  terminationGracePeriodSeconds: -1\n")) ==
        "t.yaml:6:34: spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0");
  // Wrong type.
  CHECK(errorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: 5\n") ==
        "t.yaml:5:15: spec.containers: expected a list, got \"5\"");
  // Duplicate container names across both lists.
  CHECK(errorOf(pod("", "  initContainers:\n  - name: app\n    image: i\n")) ==
        "t.yaml:10:5: spec.containers[0].name: Duplicate value: \"app\"");
  // Bad names.
  CHECK(errorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: My_Pod}\nspec: {containers: [{name: a, image: a}]}\n") ==
        "t.yaml:3:18: metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower "
        "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  CHECK(errorOf("apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: a, image: a}]}\n") ==
        "t.yaml:3:11: metadata.name: Required value: name or generateName is required");
  // No containers.
  CHECK(errorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {initContainers: [{name: a, image: a}]}\n") ==
        "t.yaml:4:7: spec.containers: Required value");
  // A bad quantity.
  CHECK(errorOf(pod("    resources: {limits: {memory: 12XB}}\n")) ==
        "t.yaml:9:34: spec.containers[0].resources.limits[memory]: Invalid value: \"12XB\": quantities must match the "
        "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  // A regular container's restartPolicy: accepted from 1.35 (ContainerRestartRules), validated as 1.37 does.
  CHECK(errorOf(pod("    restartPolicy: Sometimes\n")) ==
        "t.yaml:9:20: spec.containers[0].restartPolicy: Unsupported value: \"Sometimes\": supported values: "
        "\"Always\", \"Never\", \"OnFailure\"");
  // Two pods of one name.
  CHECK(errorOf(pod("") + "---\n" + pod("")) ==
        "t.yaml:13:3: metadata.name: Duplicate value: \"p\": a Pod of this name is already defined in t.yaml:1");
}

TEST_CASE("A file without a Pod document is an error") {
  CHECK(errorOf("") == "t.yaml:1:1: no Pod document");
  CHECK(errorOf("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n") == "t.yaml:1:1: no Pod document");
}

const char* const kR1 = R"(apiVersion: podsim/v1alpha1
kind: Scenario
metadata:
  name: r1-web-pod
  description: Benchmark workload R1, one hour of a crash-looping web pod with probes.
spec:
  duration: 1h
  seed: 1
  timing: ideal
  images:
    busybox:1.36: {pullDuration: 1s}
    fluent/fluent-bit:3.0: {pullDuration: 2s}
    example/app:1.0: {pullDuration: 4s}
    envoyproxy/envoy:v1.30: {pullDuration: 3s}
  behaviors:
    web:
      init-config: {run: 2s, exitCode: 0}
      init-migrate: {run: 5s, exitCode: 0}
      log-shipper:
        run: forever
        probes:
          startup: {succeedAfter: 3s}
      app:
        run: 60s
        exitCode: 1
        probes:
          readiness: {succeedAfter: 10s}
      proxy:
        run: forever
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  restartPolicy: Always
  initContainers:
    - name: init-config
      image: busybox:1.36
      command: ["sh", "-c", "cp /defaults/* /config/"]
    - name: init-migrate
      image: busybox:1.36
      command: ["sh", "-c", "migrate --up"]
    - name: log-shipper
      image: fluent/fluent-bit:3.0
      restartPolicy: Always
      startupProbe:
        exec: {command: ["test", "-f", "/tmp/up"]}
        periodSeconds: 1
        failureThreshold: 30
      readinessProbe:
        httpGet: {path: /api/v1/health, port: 2020}
        periodSeconds: 10
  containers:
    - name: app
      image: example/app:1.0
      ports: [{containerPort: 8080}]
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 5
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 10
    - name: proxy
      image: envoyproxy/envoy:v1.30
      readinessProbe:
        tcpSocket: {port: 15000}
        periodSeconds: 10
)";

TEST_CASE("The R1 benchmark scenario loads with its behaviours and image pull times") {
  const auto sc = loadScenarioString(kR1, "bench/r1-web-pod.yaml");
  CHECK(sc.name == "r1-web-pod");
  CHECK(sc.duration == sim::kHour);
  CHECK(sc.timing == scenario::Timing::Ideal);
  REQUIRE(sc.images.size() == 4);
  CHECK(sc.images[0] == "busybox:1.36");
  CHECK(sc.imageBehaviors[2].pullDuration == 4 * sim::kSecond);
  const auto& b = sc.pods[0].behaviors;
  REQUIRE(b.size() == 5);
  CHECK(b[0].origin == "behaviors");
  CHECK(b[0].attempts[0].run == 2 * sim::kSecond);
  CHECK(b[2].startup.succeedAfter == 3 * sim::kSecond);
  CHECK(b[3].attempts[0].run == 60 * sim::kSecond);
  CHECK(b[3].attempts[0].exitCode == 1);
  CHECK(b[3].readiness.succeedAfter == 10 * sim::kSecond);
  CHECK(b[4].attempts[0].run == sim::kForever);
  const auto& side = *sc.pods[0].pod.container(2).startupProbe;
  CHECK(side.periodSeconds == 1);
  CHECK(side.failureThreshold == 30);
  CHECK(sc.warnings.empty());  // behaviours cover the scripts podsim does not understand
}

TEST_CASE("The full Scenario document of interface.md loads") {
  const auto sc = loadScenarioString(std::string(R"(apiVersion: podsim/v1alpha1
kind: Scenario
metadata:
  name: init-waits-for-db
  description: One line a teacher can show.
spec:
  duration: 10m
  seed: 42
  kubernetesVersion: "1.33"
  timing: kubelet
  kubelet:
    serializeImagePulls: false
    maxParallelImagePulls: 2
    crashLoopBackOff: {maxContainerRestartPeriod: 30s}
    featureGates: {ReduceDefaultCrashLoopBackOffDecay: true, SidecarContainers: true}
  images:
    busybox:1.28: {pullDuration: 2s}
    myregistry/app:v2: {pullError: ErrImagePull, message: not found}
    registry.k8s.io/pause:3.10: {present: true}
  behaviors:
    myapp-pod:
      init-mydb:
        attempts:
          - {run: 5s, exitCode: 1}
          - {run: 3s, exitCode: 0}
      myapp-container:
        startDelay: 2s
        run: forever
        exitCode: 0
        terminationDelay: 2s
        exitCodeOnSigterm: 0
        probes:
          readiness: {succeedAfter: 4s}
          liveness: {failAfter: 2m}
          startup: {succeedAfter: never, duration: 3s}
        hooks:
          postStart: {duration: 1s}
          preStop: {duration: never, fails: true}
  actions:
    - {at: 2m, killContainer: {pod: myapp-pod, container: myapp-container, reason: OOMKilled}}
    - {at: 30s, createService: {name: mydb}}
    - {at: 3m, updateImage: {pod: myapp-pod, container: myapp-container, image: myregistry/app:v2}}
    - {at: 5m, deletePod: {pod: myapp-pod, gracePeriodSeconds: 30}}
    - {at: 6m, failNode: {node: node-1}}
    - {at: 7m, restartKubelet: {node: node-1}}
    - {at: 30s, deleteService: {name: myservice}}
  expect:
    - {at: 45s, pod: myapp-pod, status: Running, ready: 1/1, restarts: 0}
---
)") + kMyappPod);
  CHECK(sc.seed == 42);
  CHECK(sc.kubernetesVersion == kubelet::KubernetesVersion{1, 33});
  CHECK_FALSE(sc.kubelet.serializeImagePulls);
  CHECK(sc.kubelet.maxParallelImagePulls == 2);
  CHECK(sc.kubelet.maxContainerRestartPeriod == 30 * sim::kSecond);
  CHECK(sc.kubelet.reduceDefaultCrashLoopBackOffDecay);
  CHECK(sc.kubelet.featureGates.size() == 2);
  CHECK(sc.kubelet.featureGates[1] == std::pair<std::string, bool>{"SidecarContainers", true});
  // Images named in `images` come first; the pods' images are interned after.
  CHECK(sc.images == std::vector<std::string>{"busybox:1.28", "myregistry/app:v2", "registry.k8s.io/pause:3.10"});
  CHECK((sc.imageBehaviors[1].pullError == api::Reason::ErrImagePull));
  CHECK(sc.imageBehaviors[1].pullErrorMessage == "not found");
  CHECK(sc.imageBehaviors[2].present);
  const auto& b = sc.pods[0].behaviors;
  REQUIRE(b[1].attempts.size() == 2);
  CHECK(b[1].attempt(0).exitCode == 1);
  CHECK(b[1].attempt(5).run == 3 * sim::kSecond);
  CHECK(b[1].script == nullptr);
  CHECK(b[0].origin == "script");
  CHECK(b[2].startDelay == 2 * sim::kSecond);
  CHECK(b[2].terminationDelay == 2 * sim::kSecond);
  CHECK(b[2].exitCodeOnSigterm == 0);
  CHECK(b[2].startup.succeedAfter == sim::kForever);
  CHECK(b[2].startup.duration == 3 * sim::kSecond);
  CHECK(b[2].liveness.failAfter == 2 * sim::kMinute);
  CHECK(b[2].preStop.duration == sim::kForever);
  CHECK(b[2].preStop.fails);
  // Actions sorted by time, ties in file order, names resolved.
  REQUIRE(sc.actions.size() == 7);
  CHECK(sc.actions[0].name == "createService");
  CHECK(sc.actions[1].name == "deleteService");
  CHECK(sc.actions[2].kind == scenario::ActionKind::KillContainer);
  CHECK(sc.actions[2].pod == 0);
  CHECK(sc.actions[2].container == 2);
  CHECK((sc.actions[2].reason == api::Reason::OOMKilled));
  CHECK(sc.actions[2].exitCode == 137);
  CHECK(sc.actions[2].arguments.size() == 3);
  CHECK(sc.actions[2].arguments[2] == std::pair<std::string, std::string>{"reason", "OOMKilled"});
  CHECK(sc.actions[3].image == 1);
  CHECK(sc.actions[4].gracePeriodSeconds == 30);
  CHECK(sc.actions[5].node == 0);
  CHECK(sc.actions[0].at == 30 * sim::kSecond);
  // Services: mydb from the action, then myservice from the action; the scripts reuse them.
  REQUIRE(sc.services.size() == 2);
  CHECK(sc.services[sc.actions[0].service].name == "mydb");
  REQUIRE(sc.expectations.size() == 1);
  CHECK(sc.expectations[0].at == 45 * sim::kSecond);
  CHECK(sc.expectations[0].kind == scenario::Expectation::Kind::At);
  CHECK(sc.pods[static_cast<std::size_t>(sc.expectations[0].pod)].pod.name == "myapp-pod");
  REQUIRE(sc.expectations[0].fields.size() == 3);
  CHECK(sc.expectations[0].fields[0].kind == scenario::StateField::Kind::Status);
  CHECK(sc.expectations[0].fields[0].value == "Running");
  CHECK(sc.expectations[0].fields[1].kind == scenario::StateField::Kind::Ready);
  CHECK(sc.expectations[0].fields[1].value == "1/1");
  CHECK(sc.expectations[0].fields[2].kind == scenario::StateField::Kind::Restarts);
  CHECK(sc.expectations[0].fields[2].value == "0");
}

TEST_CASE("Bad Scenario documents name the field and suggest the nearest key") {
  const std::string head = "apiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n";
  CHECK(errorOf(head + "  duraton: 5m\n---\n" + kMyappPod) ==
        "t.yaml:4:3: spec.duraton: unknown field \"spec.duraton\", did you mean \"duration\"?");
  CHECK(errorOf(head + "  duration: 5 minutes\n---\n" + kMyappPod) ==
        "t.yaml:4:13: spec.duration: invalid duration \"5 minutes\": unknown unit \" minutes\" (use ns, us, ms, s, m, h, "
        "or a number of seconds)");
  CHECK(errorOf(head + "  behaviors:\n    myapp-pod:\n      nope: {run: 1s}\n---\n" + kMyappPod) ==
        "t.yaml:6:7: spec.behaviors.myapp-pod.nope: no container \"nope\" in pod \"myapp-pod\"");
  CHECK(errorOf(head + "  behaviors:\n    other: {}\n---\n" + kMyappPod) ==
        "t.yaml:5:5: spec.behaviors.other: no pod \"other\" in the scenario (pods: myapp-pod)");
  CHECK(errorOf(head + "  kubernetesVersion: 1.27\n---\n" + kMyappPod) ==
        "t.yaml:4:22: spec.kubernetesVersion: Unsupported value: \"1.27\": supported values: \"1.28\" to \"1.37\"");
  CHECK(errorOf(head + "  kubelet: {crashLoopBackOff: {maxContainerRestartPeriod: 400s}}\n---\n" + kMyappPod) ==
        "t.yaml:4:59: spec.kubelet.crashLoopBackOff.maxContainerRestartPeriod: Invalid value: \"400s\": must be "
        "between 1s and 300s");
  CHECK(errorOf(head + "  images: {busybox: {pullError: ImagePullBackOff}}\n---\n" + kMyappPod) ==
        "t.yaml:4:33: spec.images.busybox.pullError: Unsupported value: \"ImagePullBackOff\": supported values: "
        "\"ErrImagePull\", \"RegistryUnavailable\"");
  CHECK(errorOf(head + "  actions:\n  - {at: 1s, killContainer: {pod: myapp-pod, container: x}}\n---\n" + kMyappPod) ==
        "t.yaml:5:57: spec.actions[0].killContainer.container: no container \"x\" in pod \"myapp-pod\"");
  CHECK(errorOf(head + "  actions:\n  - {at: 1s, killContainr: {pod: myapp-pod}}\n---\n" + kMyappPod) ==
        "t.yaml:5:14: spec.actions[0].killContainr: unknown field \"spec.actions[0].killContainr\", did you mean \"killContainer\"?");
  CHECK(errorOf(head + "  actions:\n  - {createService: {name: db}}\n---\n" + kMyappPod) ==
        "t.yaml:5:5: spec.actions[0].at: Required value");
  CHECK(errorOf(head + "  actions:\n  - {at: 1s, failNode: {node: node-2}}\n---\n" + kMyappPod) ==
        "t.yaml:5:31: spec.actions[0].failNode.node: no node \"node-2\" (without Node documents the only node is "
        "\"node-1\")");
  CHECK(errorOf(head + "  behaviors:\n    myapp-pod:\n      init-mydb: {attempts: [], run: 1s}\n---\n" + kMyappPod) ==
        "t.yaml:6:29: spec.behaviors.myapp-pod.init-mydb.attempts: Forbidden: may not be set together with run or exitCode");
  CHECK(errorOf(head + "---\n" + head + "---\n" + kMyappPod) ==
        "t.yaml:5:1: a second Scenario document (the first is in t.yaml); at most one is allowed");
}

TEST_CASE("Services declared by documents exist from the start. createPod marks a pod created later") {
  const auto sc = loadScenarioString(std::string(R"(apiVersion: v1
kind: Service
metadata: {name: mydb}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  actions:
  - {at: 10s, createPod: {pod: myapp-pod}}
---
)") + kMyappPod);
  REQUIRE(sc.services.size() == 2);
  CHECK(sc.services[0].name == "mydb");
  CHECK(sc.services[0].existsAtStart);
  CHECK(sc.services[0].selector == std::vector<std::pair<std::string, std::string>>{{"app", "db"}});
  CHECK(sc.services[1].name == "myservice");
  CHECK_FALSE(sc.services[1].existsAtStart);
  CHECK_FALSE(scenario::createdAtStart(sc, 0));
}

TEST_CASE("Node documents declare nodes, and actions resolve node names") {
  const auto sc = loadScenarioString(std::string(R"(apiVersion: v1
kind: Node
metadata: {name: worker-a, labels: {zone: a}}
spec:
  taints: [{key: dedicated, value: db, effect: NoSchedule}]
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata: {name: worker-b}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  actions:
  - {at: 1m, failNode: {node: worker-b}}
---
)") + kMyappPod);
  REQUIRE(sc.nodes.size() == 2);
  CHECK(sc.nodes[0].allocatable.cpuMilli == 4000);
  CHECK(sc.nodes[0].allocatable.memoryBytes == 8LL * 1024 * 1024 * 1024);
  CHECK(sc.nodes[0].taints[0].effect == "NoSchedule");
  CHECK(sc.actions[0].node == 1);
}

TEST_CASE("A behaviors entry with only probes keeps the process of the script") {
  const auto sc = loadScenarioString(std::string(R"(apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  behaviors:
    myapp-pod:
      myapp-container: {probes: {readiness: {succeedAfter: 4s}}}
---
)") + kMyappPod);
  const auto& b = sc.pods[0].behaviors[2];
  CHECK(b.origin == "behaviors");
  REQUIRE(b.script != nullptr);
  CHECK(b.terminationDelay == sim::kForever);
  CHECK(b.readiness.succeedAfter == 4 * sim::kSecond);
}

TEST_CASE("A command podsim does not understand gives the default behaviour and a warning naming it") {
  const auto sc = loadScenarioString(
      pod("    command: [sh, -c, 'cp /a /b']\n", "  initContainers:\n  - name: i\n    image: i\n    command: [migrate, --up]\n"),
      "w.yaml");
  const auto& b = sc.pods[0].behaviors;
  CHECK(b[0].origin == "default");
  CHECK(b[0].attempts[0].run == 0);
  CHECK(b[1].attempts[0].run == sim::kForever);
  CHECK(sc.warnings == std::vector<std::string>{
                           "w.yaml: pod p container i: command not modelled (unknown command \"migrate\"); the init "
                           "container completes at once with exit code 0",
                           "w.yaml: pod p container app: command not modelled (unknown command \"cp\"); the container "
                           "runs until it is stopped",
                       });
}

TEST_CASE("Manifests are read relative to the scenario file, and include cycles are errors") {
  const auto dir = std::filesystem::temp_directory_path() / "podsim-loader-test";
  std::filesystem::create_directories(dir / "pods");
  {
    std::ofstream(dir / "main.yaml") << "apiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  manifests: [pods/app.yaml]\n";
    std::ofstream(dir / "pods" / "app.yaml") << kMyappPod;
    std::ofstream(dir / "self.yaml") << "apiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  manifests: [self.yaml]\n";
  }
  const auto sc = scenario::loadScenarioFile((dir / "main.yaml").string());
  CHECK(sc.pods.size() == 1);
  CHECK(sc.pods[0].pod.where.file == (dir / "pods" / "app.yaml").string());
  CHECK(sc.pods[0].pod.where.line == 1);
  try {
    scenario::loadScenarioFile((dir / "self.yaml").string());
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    const auto self = (dir / "self.yaml").string();
    CHECK(std::string(e.what()) == self + ":4:15: spec.manifests[0]: include cycle: " + self + " -> " + self);
  }
  try {
    scenario::loadScenarioFile((dir / "missing.yaml").string());
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.line == 1);
    CHECK(e.detail.rfind("cannot read file", 0) == 0);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("Hostile YAML ends in an InputError, never a crash") {
  const std::vector<std::string> inputs = {
      "[", "{a: [}", ": :", "- - -", "apiVersion: v1\nkind: Pod\nspec: [1]\n", std::string(5000, '['),
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a, ports: 5}]}\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a, command: {x: 1}}]}\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a, "
      "resources: {limits: {cpu: 99999999999999999999E}}}]}\n",
      "apiVersion: [1]\n", "a: &x [*x]\n", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, name: q}\n",
      "apiVersion: podsim/v1alpha1\nkind: Scenario\nspec: {actions: [{at: 1s, createService: {name: [x]}}]}\n"};
  for (const auto& in : inputs) {
    CAPTURE(in);
    CHECK_THROWS_AS(loadScenarioString(in, "h.yaml"), InputError);
  }
}

// ---------------------------------------------------------------- issue 14: errors a student can act on

namespace {

InputError inputErrorOf(const std::string& yaml) {
  try {
    loadScenarioString(yaml, "t.yaml");
  } catch (const InputError& e) {
    return e;
  }
  return InputError("", 0, 0, "", "no error");
}

}  // namespace

TEST_CASE("suggestField: case first, then edit distance with swaps, then the misplacement table (issue 14)") {
  using podsim::scenario::detail::fieldsOf;
  using podsim::scenario::detail::Section;
  using podsim::scenario::detail::suggestField;
  struct Case {
    const char* name;
    const char* key;
    Section section;
    const char* meant;
  };
  const Case cases[] = {
      {"a swap of two letters", "imaeg", Section::Container, "image"},
      {"a missing s", "initContainer", Section::PodSpec, "initContainers"},
      {"case only", "restartpolicy", Section::PodSpec, "restartPolicy"},
      {"case only, container", "IMAGEPULLPOLICY", Section::Container, "imagePullPolicy"},
      {"an unmodelled field is suggested too", "evn", Section::Container, "env"},
      {"a lifecycle hook on the container", "preStop", Section::Container, "lifecycle.preStop"},
      {"requests without resources", "requests", Section::Container, "resources.requests"},
      {"a probe's command without exec", "command", Section::Probe, "exec.command"},
      {"a pod's container field on the spec", "image", Section::PodSpec, "containers[].image"},
      {"metadata's name at the top of a Pod", "name", Section::PodDocument, "metadata.name"},
      {"a typo in a probe field", "periodSecond", Section::Probe, "periodSeconds"},
      {"a typo in resources", "limit", Section::Resources, "limits"},
      {"a typo in a port", "containerport", Section::ContainerPort, "containerPort"},
      {"a Node's taints at the top", "taints", Section::NodeDocument, "spec.taints"},
      {"a Service's selector at the top", "selector", Section::ServiceDocument, "spec.selector"},
      {"nothing close", "frobnicate", Section::Container, ""},
      {"two letters are not close to two others", "ab", Section::PodSpec, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(suggestField(c.key, fieldsOf(c.section), c.section) == c.meant);
  }
  const std::vector<std::string> behavior = {"startDelay", "run", "exitCode", "attempts", "terminationDelay",
                                             "exitCodeOnSigterm", "probes", "hooks", "memory"};
  CHECK(suggestField("preStop", behavior, Section::Behavior) == "hooks.preStop");
  CHECK(suggestField("readiness", behavior, Section::Behavior) == "probes.readiness");
  CHECK(suggestField("exitcode", behavior, Section::Behavior) == "exitCode");
  CHECK(suggestField("duration", {"duration", "seed"}, Section::ScenarioDocument) == "duration");  // a case match first
  CHECK(suggestField("seed", {"apiVersion", "kind", "metadata", "spec"}, Section::ScenarioDocument) == "spec.seed");
}

TEST_CASE("Unknown fields are worded as the API server's strict decoding, with the whole path (issue 14)") {
  const std::string pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";
  CHECK(errorOf(pod + "    preStop: {exec: {command: [sleep, '10']}}\n") ==
        "t.yaml:9:5: spec.containers[0].preStop: unknown field \"spec.containers[0].preStop\", did you mean \"lifecycle.preStop\"?");
  CHECK(errorOf(pod + "    readinessProbe: {periodSecond: 5, exec: {command: [ls]}}\n") ==
        "t.yaml:9:22: spec.containers[0].readinessProbe.periodSecond: unknown field "
        "\"spec.containers[0].readinessProbe.periodSecond\", did you mean \"periodSeconds\"?");
  CHECK(errorOf(pod + "    lifecycle: {preStop: {exec: {comand: [sleep]}}}\n") ==
        "t.yaml:9:34: spec.containers[0].lifecycle.preStop.exec.comand: unknown field "
        "\"spec.containers[0].lifecycle.preStop.exec.comand\", did you mean \"command\"?");
  CHECK(errorOf(pod + "    resources: {request: {cpu: 100m}}\n") ==
        "t.yaml:9:17: spec.containers[0].resources.request: unknown field \"spec.containers[0].resources.request\", "
        "did you mean \"requests\"?");
  CHECK(errorOf("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nselector: {app: db}\n---\n" + pod) ==
        "t.yaml:4:1: selector: unknown field \"selector\", did you mean \"spec.selector\"?");
  CHECK(errorOf("apiVersion: podsim/v1alpha1\nkind: Scenario\nduration: 5m\n---\n" + pod) ==
        "t.yaml:3:1: duration: unknown field \"duration\", did you mean \"spec.duration\"?");
}

TEST_CASE("All field errors of a Pod come at once, the first line as a single error's, and InputError::errors holds each (issue 14)") {
  const auto e = inputErrorOf(R"(apiVersion: v1
kind: Pod
metadata:
  name: Web_1
spec:
  restartpolicy: Never
  containers:
  - image: nginx:1.27
  - name: side
)");
  CHECK(std::string(e.what()) ==
        "t.yaml:4:9: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case "
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
        "t.yaml:6:3: spec.restartpolicy: unknown field \"spec.restartpolicy\", did you mean \"restartPolicy\"?\n"
        "t.yaml:8:5: spec.containers[0].name: Required value\n"
        "t.yaml:9:5: spec.containers[1].image: Required value\n"
        "Pod is invalid: 4 errors");
  REQUIRE(e.errors.size() == 4);
  CHECK(e.line == 4);
  CHECK(e.column == 9);
  CHECK(e.fieldPath == "metadata.name");
  CHECK(e.errors[3].fieldPath == "spec.containers[1].image");
  CHECK(e.errors[3].detail == "Required value");
  CHECK(std::string(e.errors[1].what()) ==
        "t.yaml:6:3: spec.restartpolicy: unknown field \"spec.restartpolicy\", did you mean \"restartPolicy\"?");
  // A single error keeps its one-line message and an empty list.
  CHECK(inputErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: a}]}\n").errors.empty());
}

TEST_CASE("kind and apiVersion slips get kubectl's words and a suggestion (issue 14)") {
  const std::string rest = "metadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";
  CHECK(errorOf("apiVersion: v1\nkind: pod\n" + rest) == "t.yaml:2:7: kind: no matches for kind \"pod\" in version \"v1\", did you mean \"Pod\"?");
  CHECK(errorOf("apiVersion: V1\nkind: Pod\n" + rest) ==
        "t.yaml:1:13: apiVersion: no matches for kind \"Pod\" in version \"V1\", did you mean \"v1\"?");
  CHECK(errorOf("apiVersion: apps/v1\nkind: Pod\n" + rest) ==
        "t.yaml:1:13: apiVersion: no matches for kind \"Pod\" in version \"apps/v1\", did you mean \"v1\"?");
  CHECK(errorOf("apiVersion: v1\nkind: Scenario\nspec: {}\n---\napiVersion: v1\nkind: Pod\n" + rest) ==
        "t.yaml:1:13: apiVersion: no matches for kind \"Scenario\" in version \"v1\", did you mean \"podsim/v1alpha1\"?");
  CHECK(errorOf("apiVersion: podsim/v1alpha1\nkind: scenario\nspec: {}\n---\napiVersion: v1\nkind: Pod\n" + rest) ==
        "t.yaml:2:7: kind: no matches for kind \"scenario\" in version \"podsim/v1alpha1\", did you mean \"Scenario\"?");
  // Kinds podsim does not read stay a warning.
  CHECK(errorOf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Pod\n" + rest).empty());
}

TEST_CASE("A workload (Deployment .. CronJob) says podsim runs Pods and where its pod template is (issue 14)") {
  CHECK(errorOf("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  template:\n"
                "    spec: {containers: [{name: db, image: postgres:16}]}\n") ==
        "t.yaml:2:7: kind: Unsupported value: \"StatefulSet\": podsim runs Pods, not StatefulSets; the pod template of this "
        "StatefulSet is spec.template (line 6): to run it, copy the template's metadata and spec into a document of "
        "apiVersion: v1 and kind: Pod, and give it a metadata.name");
  CHECK(errorOf("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {}\n") ==
        "t.yaml:2:7: kind: Unsupported value: \"Job\": podsim runs Pods, not Jobs; a Job's pod template is spec.template, "
        "and this one has none: write the pod as a document of apiVersion: v1 and kind: Pod");
}

TEST_CASE("Errors of the Scenario document's parts are collected together (issue 14)") {
  const auto e = inputErrorOf(std::string("apiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  duraton: 5m\n"
                                          "  behaviors:\n    myapp-pod:\n      myapp-container: {preStop: {duration: 1s}}\n"
                                          "  actions:\n  - {at: 1s, killContainr: {pod: myapp-pod}}\n---\n") + kMyappPod);
  CHECK(std::string(e.what()) ==
        "t.yaml:4:3: spec.duraton: unknown field \"spec.duraton\", did you mean \"duration\"?\n"
        "t.yaml:7:25: spec.behaviors.myapp-pod.myapp-container.preStop: unknown field "
        "\"spec.behaviors.myapp-pod.myapp-container.preStop\", did you mean \"hooks.preStop\"?\n"
        "t.yaml:9:14: spec.actions[0].killContainr: unknown field \"spec.actions[0].killContainr\", did you mean \"killContainer\"?\n"
        "Scenario is invalid: 3 errors");
}
