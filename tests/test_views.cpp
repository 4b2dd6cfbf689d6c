// tests/test_views.cpp: `podsim get --at` and `podsim describe --at` (models/report/views.hpp) for every course
// scenario at chosen moments, compared as whole texts with what kubectl would print there: the STATUS,
// READY and RESTARTS columns of printers.go printPod (kubelet-semantics §12), the container states of
// convertToAPIContainerStatuses (§1.1), the phase of getPhase (§1.2), the conditions (§1.3), the back-off
// of doBackOff (§8.2), and the Events of describe.go DescribeEvents aggregated as client-go's event
// recorder does (events_cache.go getEventKey, §15).
#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>

#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"
#include "models/report/views.hpp"

using namespace podsim;

namespace {

struct Run {
  scenario::Scenario sc;
  std::unique_ptr<engine::Simulation> sim;
};

/// Runs a course scenario with the trace on, at least until `until` (ns).
std::unique_ptr<Run> course(const std::string& name, sim::Time until = 0) {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/scenarios/course/" + name);
  engine::RunOptions o;
  o.duration = std::max(r->sc.duration, until);
  r->sim = std::make_unique<engine::Simulation>(r->sc, o);
  r->sim->run();
  return r;
}

std::string get(const Run& r, sim::Time at, trace::GetFormat f = trace::GetFormat::Table, const std::string& pod = "") {
  std::ostringstream out;
  trace::writeGet(out, *r.sim, at, f, pod);
  return out.str();
}

std::string describe(const Run& r, const std::string& pod, sim::Time at) {
  std::ostringstream out;
  trace::writeDescribe(out, *r.sim, trace::findPod(*r.sim, pod), at);
  return out.str();
}

constexpr sim::Time s = sim::kSecond;
constexpr sim::Time m = sim::kMinute;

}  // namespace

TEST_CASE("myapp-pod without its Services: the first init container waits, so printPod shows Init:0/2 (printers.go printPod)") {
  const auto r = course("myapp-pod.yaml", 45 * s);
  CHECK(get(*r, 45 * s) ==
        "NAME        READY   STATUS     RESTARTS   AGE\n"
        "myapp-pod   0/1     Init:0/2   0          45s\n");
  // describe: the running init container, the next one and the app wait in PodInitializing (§1.1 rule 1);
  // Initialized False until both complete (§1.3); Events with Age relative to --at.
  CHECK(describe(*r, "myapp-pod", 45 * s) == R"T(Name:             myapp-pod
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.49.2
Start Time:       Wed, 01 Jan 2025 00:00:00 +0000
Labels:           app=myapp
Annotations:      <none>
Status:           Pending
IP:               10.244.0.2
IPs:
  IP:  10.244.0.2
Init Containers:
  init-myservice:
    Container ID:  containerd://683d5bcb9af3db8418ff122ae152eabad1554cc25e434a5de952b316fe08fa47
    Image:         busybox:1.28
    Image ID:      docker.io/library/busybox@sha256:cc024e6f06c695d6e338ee21c57ed72a7d8309fc77b7459b9d481da7de9e00ab
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      until nslookup myservice; do echo waiting for myservice; sleep 2; done;
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:00 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
  init-mydb:
    Container ID:  
    Image:         busybox:1.28
    Image ID:      
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      until nslookup mydb; do echo waiting for mydb; sleep 2; done;
    State:          Waiting
      Reason:       PodInitializing
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  myapp-container:
    Container ID:  
    Image:         busybox:1.28
    Image ID:      
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo The app is running! && sleep 3600
    State:          Waiting
      Reason:       PodInitializing
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 False 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    BestEffort
Node-Selectors:               <none>
Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  45s   default-scheduler  Successfully assigned default/myapp-pod to node-1
  Normal  Pulling    45s   kubelet            Pulling image "busybox:1.28"
  Normal  Pulled     44s   kubelet            Successfully pulled image "busybox:1.28" in 518ms (518ms including waiting). Image size: 723166 bytes.
  Normal  Created    44s   kubelet            Container created
  Normal  Started    44s   kubelet            Container started
)T");
}

TEST_CASE("myapp-pod after 6 minutes: still Init:0/2 with no restarts, -o wide adds IP and NODE (printers.go printPod)") {
  const auto r = course("myapp-pod-6m.yaml");
  CHECK(get(*r, 6 * m, trace::GetFormat::Wide) ==
        "NAME        READY   STATUS     RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
        "myapp-pod   0/1     Init:0/2   0          6m    10.244.0.2   node-1   <none>           <none>\n");
}

TEST_CASE("myapp-pod with its Services: Init:0/2, Init:1/2 after myservice appears, Running 1/1 after mydb (printPod, §3)") {
  const auto r = course("myapp-pod-services.yaml");
  CHECK(get(*r, 20 * s) == "NAME        READY   STATUS     RESTARTS   AGE\nmyapp-pod   0/1     Init:0/2   0          20s\n");
  CHECK(get(*r, 45 * s) == "NAME        READY   STATUS     RESTARTS   AGE\nmyapp-pod   0/1     Init:1/2   0          45s\n");
  CHECK(get(*r, 75 * s) == "NAME        READY   STATUS    RESTARTS   AGE\nmyapp-pod   1/1     Running   0          75s\n");
}

TEST_CASE("myapp-pod -o yaml at 45s: a completed init container is ready, the running one started, the app waits (§1.1)") {
  const auto r = course("myapp-pod-services.yaml");
  CHECK(get(*r, 45 * s, trace::GetFormat::Yaml, "myapp-pod") == R"T(apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2025-01-01T00:00:00Z"
  labels:
    app: myapp
  name: myapp-pod
  namespace: default
spec:
  nodeName: node-1
  restartPolicy: Always
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2025-01-01T00:00:00Z"
    status: "True"
    type: PodReadyToStartContainers
  - lastProbeTime: null
    lastTransitionTime: "2025-01-01T00:00:00Z"
    reason: ContainersNotInitialized
    status: "False"
    type: Initialized
  - lastProbeTime: null
    lastTransitionTime: "2025-01-01T00:00:00Z"
    reason: ContainersNotReady
    status: "False"
    type: Ready
  - lastProbeTime: null
    lastTransitionTime: "2025-01-01T00:00:00Z"
    reason: ContainersNotReady
    status: "False"
    type: ContainersReady
  - lastProbeTime: null
    lastTransitionTime: "2025-01-01T00:00:00Z"
    status: "True"
    type: PodScheduled
  containerStatuses:
  - image: busybox:1.28
    lastState: {}
    name: myapp-container
    ready: false
    restartCount: 0
    started: false
    state:
      waiting:
        reason: PodInitializing
  hostIP: 192.168.49.2
  hostIPs:
  - ip: 192.168.49.2
  initContainerStatuses:
  - image: busybox:1.28
    lastState: {}
    name: init-myservice
    ready: true
    restartCount: 0
    started: false
    state:
      terminated:
        exitCode: 0
        finishedAt: "2025-01-01T00:00:30Z"
        reason: Completed
        startedAt: "2025-01-01T00:00:00Z"
  - image: busybox:1.28
    lastState: {}
    name: init-mydb
    ready: false
    restartCount: 0
    started: true
    state:
      running:
        startedAt: "2025-01-01T00:00:30Z"
  phase: Pending
  podIP: 10.244.0.2
  podIPs:
  - ip: 10.244.0.2
  startTime: "2025-01-01T00:00:00Z"
)T");
}

TEST_CASE("describe Events keep two containers' identical Pulled events apart: the event key has the fieldPath (events_cache.go getEventKey)") {
  const auto r = course("myapp-pod-services.yaml");
  const std::string d = describe(*r, "myapp-pod", 3 * m);
  CHECK(d.substr(d.find("Events:")) == R"T(Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  3m     default-scheduler  Successfully assigned default/myapp-pod to node-1
  Normal  Pulling    3m     kubelet            Pulling image "busybox:1.28"
  Normal  Pulled     2m59s  kubelet            Successfully pulled image "busybox:1.28" in 518ms (518ms including waiting). Image size: 723166 bytes.
  Normal  Created    2m59s  kubelet            Container created
  Normal  Started    2m59s  kubelet            Container started
  Normal  Pulled     2m29s  kubelet            Container image "busybox:1.28" already present on machine
  Normal  Created    2m29s  kubelet            Container created
  Normal  Started    2m29s  kubelet            Container started
  Normal  Pulled     118s   kubelet            Container image "busybox:1.28" already present on machine
  Normal  Created    118s   kubelet            Container created
  Normal  Started    118s   kubelet            Container started
)T");
  // The run's table prints the same Events block, from the same aggregation.
  std::ostringstream table;
  trace::writeTable(table, *r->sim);
  CHECK(table.str().substr(table.str().find("Events:")) == d.substr(d.find("Events:")));
}

TEST_CASE("describe's Age column is as wide as its \"----\" rule when every age is shorter (text/tabwriter in describe.go)") {
  std::ostringstream out;
  trace::writeEvents(out, {{"Normal", "Scheduled", "5s", "default-scheduler", "Successfully assigned default/p to node-1"}});
  CHECK(out.str() ==
        "Events:\n"
        "  Type    Reason     Age   From               Message\n"
        "  ----    ------     ----  ----               -------\n"
        "  Normal  Scheduled  5s    default-scheduler  Successfully assigned default/p to node-1\n");
  std::ostringstream none;
  trace::writeEvents(none, {});
  CHECK(none.str() == "Events:  <none>\n");
}

TEST_CASE("init-one-run: an image name with capitals never parses, Init:InvalidImageName, InspectFailed repeated at each sync (§9, §12)") {
  const auto r = course("init-oneRun.yaml");
  CHECK(get(*r, 1 * m, trace::GetFormat::Wide) ==
        "NAME           READY   STATUS                  RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
        "init-one-run   0/1     Init:InvalidImageName   0          60s   10.244.0.2   node-1   <none>           <none>\n");
  CHECK(describe(*r, "init-one-run", 1 * m) == R"T(Name:             init-one-run
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.49.2
Start Time:       Wed, 01 Jan 2025 00:00:00 +0000
Labels:           <none>
Annotations:      <none>
Status:           Pending
IP:               10.244.0.2
IPs:
  IP:  10.244.0.2
Init Containers:
  one-run:
    Container ID:   
    Image:          oneRUn
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
      Reason:       InvalidImageName
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  busybox:
    Container ID:   
    Image:          busybox
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
      Reason:       PodInitializing
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 False 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    BestEffort
Node-Selectors:               <none>
Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason         Age                From               Message
  ----     ------         ----               ----               -------
  Normal   Scheduled      60s                default-scheduler  Successfully assigned default/init-one-run to node-1
  Warning  InspectFailed  12s (x6 over 60s)  kubelet            Failed to apply default image tag "oneRUn": couldn't parse image name "oneRUn": invalid reference format: repository name must be lowercase
  Warning  Failed         12s (x6 over 60s)  kubelet            Error: InvalidImageName
)T");
}

TEST_CASE("multi-container-web-app: both containers run and are ready (no probes), so Running 2/2 (printPod, §5, §7)") {
  const auto r = course("multi-container-web-app.yaml");
  CHECK(get(*r, 2 * m) ==
        "NAME                      READY   STATUS    RESTARTS   AGE\n"
        "multi-container-web-app   2/2     Running   0          2m\n");
  CHECK(describe(*r, "multi-container-web-app", 2 * m) == R"T(Name:             multi-container-web-app
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.49.2
Start Time:       Wed, 01 Jan 2025 00:00:00 +0000
Labels:           <none>
Annotations:      <none>
Status:           Running
IP:               10.244.0.2
IPs:
  IP:  10.244.0.2
Containers:
  simple-web-app:
    Container ID:   containerd://246ba6cbce59e9da121f699762eb086a23c731d802c8e827946da69e0d7a4f0b
    Image:          simgple-web-app
    Image ID:       docker.io/library/simgple-web-app@sha256:746e7526e3f7439d8666ff4625684df4c3b9e5552e7f7ca0f2df135a4aa9486f
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:01 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
  log-agent:
    Container ID:   containerd://d6c9e4bd10e1ef98369d89de67276490970bf5b3aae2c521da714e9c717a95ab
    Image:          log-agent
    Image ID:       docker.io/library/log-agent@sha256:db36481fb97de16db0e487ef1f866eacf23bd38dc4402610b9929ecf8831c1f7
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:03 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    BestEffort
Node-Selectors:               <none>
Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  2m    default-scheduler  Successfully assigned default/multi-container-web-app to node-1
  Normal  Pulling    2m    kubelet            Pulling image "simgple-web-app"
  Normal  Pulled     118s  kubelet            Successfully pulled image "simgple-web-app" in 1.75s (1.75s including waiting). Image size: 50000000 bytes.
  Normal  Created    118s  kubelet            Container created
  Normal  Started    118s  kubelet            Container started
  Normal  Pulling    118s  kubelet            Pulling image "log-agent"
  Normal  Pulled     116s  kubelet            Successfully pulled image "log-agent" in 1.75s (1.75s including waiting). Image size: 50000000 bytes.
  Normal  Created    116s  kubelet            Container created
  Normal  Started    116s  kubelet            Container started
)T");
}

TEST_CASE("simple-webapp-init: an init container sleeping an hour holds the app in Init:0/1, then Running 1/1 (§3, printPod)") {
  const auto r = course("simple-webapp-init.yaml");
  CHECK(get(*r, 30 * m) == "NAME            READY   STATUS     RESTARTS   AGE\nsimple-webapp   0/1     Init:0/1   0          30m\n");
  CHECK(get(*r, 63 * m) == "NAME            READY   STATUS    RESTARTS   AGE\nsimple-webapp   1/1     Running   0          63m\n");
  const std::string d = describe(*r, "simple-webapp", 30 * m);
  CHECK(d.substr(0, d.find("Conditions:")) == R"T(Name:             simple-webapp
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.49.2
Start Time:       Wed, 01 Jan 2025 00:00:00 +0000
Labels:           name=simple-webapp
Annotations:      <none>
Status:           Pending
IP:               10.244.0.2
IPs:
  IP:  10.244.0.2
Init Containers:
  init-myservice:
    Container ID:  containerd://8e8e880c6be644e7444456a2685748185dc6e9b774a04ef40d2426246ea27073
    Image:         busybox
    Image ID:      docker.io/library/busybox@sha256:bfcea94c84792301eb36dbc0594bbac4b0da911e20c38c84d438222528eb3a77
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo "The app is running!" && sleep 3600
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:00 +0000
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  simple-webapp:
    Container ID:   
    Image:          simple-webapp
    Image ID:       
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       PodInitializing
    Ready:          False
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
)T");
}

TEST_CASE("simple-webapp-log-agent: two regular containers, Running 2/2 in -o wide (printPod)") {
  const auto r = course("simple-webapp-log-agent.yaml");
  CHECK(get(*r, 2 * m, trace::GetFormat::Wide) ==
        "NAME            READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
        "simple-webapp   2/2     Running   0          2m    10.244.0.2   node-1   <none>           <none>\n");
}

TEST_CASE("myapp-pod-git-clone: a failing init container crash-loops: Init:CrashLoopBackOff, RESTARTS with the last exit's age (§8, §12)") {
  const auto r = course("myapp-pod-git-clone.yaml");
  // Restart 5 was decided at 2m55.9s; the next back-off is 160 s (10 s doubling), so at 280 s it still waits.
  // RESTARTS counts the init container while initializing; "(105s ago)" is the age of lastState.finishedAt as
  // the API stores it, in whole seconds (printPodRestartAge): 175.x s -> 175 s, 280 - 175 = 105.
  CHECK(get(*r, 280 * s) ==
        "NAME        READY   STATUS                  RESTARTS       AGE\n"
        "myapp-pod   0/1     Init:CrashLoopBackOff   5 (102s ago)   4m40s\n");
  const std::string y = get(*r, 280 * s, trace::GetFormat::Yaml, "myapp-pod");
  CHECK(y.substr(y.find("  initContainerStatuses:"), y.find("  phase:") - y.find("  initContainerStatuses:")) == R"T(  initContainerStatuses:
  - image: busybox
    lastState:
      terminated:
        exitCode: 2
        finishedAt: "2025-01-01T00:02:58Z"
        reason: Error
        startedAt: "2025-01-01T00:02:58Z"
    name: init-myservice
    ready: false
    restartCount: 5
    started: false
    state:
      waiting:
        message: "back-off 2m40s restarting failed container=init-myservice pod=myapp-pod_default(5cdc1a47-9e2a-4d53-a368-bb731c192a68)"
        reason: CrashLoopBackOff
)T");
  const std::string d = describe(*r, "myapp-pod", 280 * s);
  CHECK(d.substr(d.find("Init Containers:"), d.find("Containers:\n  myapp") - d.find("Init Containers:")) == R"T(Init Containers:
  init-myservice:
    Container ID:  containerd://6839f5cb9af0f85bed42b7cc790e5ac096bce177f7166a907abe0d9598c12a53
    Image:         busybox
    Image ID:      docker.io/library/busybox@sha256:bfcea94c84792301eb36dbc0594bbac4b0da911e20c38c84d438222528eb3a77
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      git clone <some-repository-that-will-be-used-by-application> ; done;
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    2
      Started:      Wed, 01 Jan 2025 00:02:58 +0000
      Finished:     Wed, 01 Jan 2025 00:02:58 +0000
    Ready:          False
    Restart Count:  5
    Environment:    <none>
    Mounts:         <none>
)T");
  // Six runs pulled (busybox has no tag: imagePullPolicy Always, §9); a BackOff event at each sync inside the back-off.
  CHECK(d.substr(d.find("Events:")) == R"T(Events:
  Type     Reason     Age                   From               Message
  ----     ------     ----                  ----               -------
  Normal   Scheduled  4m40s                 default-scheduler  Successfully assigned default/myapp-pod to node-1
  Normal   Pulled     4m39s                 kubelet            Successfully pulled image "busybox" in 555ms (555ms including waiting). Image size: 2226327 bytes.
  Normal   Pulling    102s (x6 over 4m40s)  kubelet            Pulling image "busybox"
  Normal   Created    101s (x6 over 4m39s)  kubelet            Container created
  Normal   Started    101s (x6 over 4m39s)  kubelet            Container started
  Normal   Pulled     101s (x5 over 4m38s)  kubelet            Successfully pulled image "busybox" in 500ms (500ms including waiting). Image size: 2226327 bytes.
  Warning  BackOff    29s (x7 over 4m38s)   kubelet            Back-off restarting failed container init-myservice in pod myapp-pod_default(5cdc1a47-9e2a-4d53-a368-bb731c192a68)
)T");
}

TEST_CASE("get before a pod exists and of an unknown pod: kubectl's NotFound and empty-list lines") {
  const auto r = course("myapp-pod.yaml", 10 * s);
  std::ostringstream out;
  CHECK_FALSE(trace::writeGet(out, *r->sim, 5 * s, trace::GetFormat::Table, "nosuch"));
  CHECK(out.str() == "Error from server (NotFound): pods \"nosuch\" not found\n");
}

TEST_CASE("a deleted pod: Terminating while its grace period runs, describe's \"lasts <invalid>\", then no pod at all (§11.5, describe.go)") {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/docs/examples/eight-containers.yaml");
  r->sim = std::make_unique<engine::Simulation>(r->sc, engine::RunOptions{});
  r->sim->run();
  // deletionTimestamp set at 8m, phase not terminal: STATUS Terminating; READY still 6/6 (no status sync
  // while the kubelet kills the containers, §11.2); RESTARTS keep their age.
  CHECK(get(*r, 8 * m + 3 * s) == "NAME    READY   STATUS        RESTARTS      AGE\neight   6/6     Terminating   6 (42s ago)   8m3s\n");
  const std::string d = describe(*r, "eight", 8 * m + 3 * s);
  // The deletionTimestamp is the request plus the 20 s grace: in the future, so its age is "<invalid>".
  CHECK(d.substr(0, d.find("IPs:")) == R"T(Name:                      eight
Namespace:                 default
Priority:                  0
Service Account:           default
Node:                      node-1/192.168.49.2
Start Time:                Wed, 01 Jan 2025 00:00:00 +0000
Labels:                    app=eight
Annotations:               <none>
Status:                    Terminating (lasts <invalid>)
Termination Grace Period:  20s
IP:                        10.244.0.2
)T");
  // Once the kubelet is done the Pod object is gone.
  CHECK(get(*r, 8 * m + 30 * s) == "No resources found in default namespace.\n");
  std::ostringstream out;
  CHECK_FALSE(trace::writeDescribe(out, *r->sim, 0, 8 * m + 30 * s));
  CHECK(out.str() == "Error from server (NotFound): pods \"eight\" not found\n");
}

TEST_CASE("describe prints each container's probes as DescribeProbe does, with the API defaults applied (describe.go, SetDefaults_Probe)") {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/scenarios/bench/r1-web-pod.yaml");
  r->sim = std::make_unique<engine::Simulation>(r->sc, engine::RunOptions{});
  r->sim->run();
  const std::string d = describe(*r, "web", 1 * m);
  CHECK(d.find("    Readiness:      http-get http://:2020/api/v1/health delay=0s timeout=1s period=10s #success=1 #failure=3\n"
               "    Startup:        exec [test -f /tmp/up] delay=0s timeout=1s period=1s #success=1 #failure=30\n") != std::string::npos);
  CHECK(d.find("    Liveness:       http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n"
               "    Readiness:      http-get http://:8080/ready delay=0s timeout=1s period=5s #success=1 #failure=3\n") != std::string::npos);
  CHECK(d.find("    Readiness:      tcp-socket :15000 delay=0s timeout=1s period=10s #success=1 #failure=3\n") != std::string::npos);
  // The app declares containerPort 8080: Port 8080/TCP, Host Port 0/TCP.
  CHECK(d.find("    Port:           8080/TCP\n    Host Port:      0/TCP\n") != std::string::npos);
}

TEST_CASE("podsim events prints kubectl get events: LAST SEEN TYPE REASON OBJECT MESSAGE, in the API's list order (printers.go printEvent)") {
  const auto r = course("myapp-pod-services.yaml");
  std::ostringstream out;
  trace::writeGetEvents(out, *r->sim, 90 * s);
  CHECK(out.str() ==
        "LAST SEEN   TYPE     REASON      OBJECT          MESSAGE\n"
        "90s         Normal   Scheduled   pod/myapp-pod   Successfully assigned default/myapp-pod to node-1\n"
        "90s         Normal   Pulling     pod/myapp-pod   Pulling image \"busybox:1.28\"\n"
        "89s         Normal   Pulled      pod/myapp-pod   Successfully pulled image \"busybox:1.28\" in 518ms (518ms including waiting). Image size: 723166 bytes.\n"
        "89s         Normal   Created     pod/myapp-pod   Container created\n"
        "89s         Normal   Started     pod/myapp-pod   Container started\n"
        "59s         Normal   Pulled      pod/myapp-pod   Container image \"busybox:1.28\" already present on machine\n"
        "59s         Normal   Created     pod/myapp-pod   Container created\n"
        "59s         Normal   Started     pod/myapp-pod   Container started\n"
        "28s         Normal   Pulled      pod/myapp-pod   Container image \"busybox:1.28\" already present on machine\n"
        "28s         Normal   Created     pod/myapp-pod   Container created\n"
        "28s         Normal   Started     pod/myapp-pod   Container started\n");
  std::ostringstream none;
  trace::writeGetEvents(none, *r->sim, -1);
  CHECK(none.str() == "No resources found in default namespace.\n");
}

TEST_CASE("repeated Events are one Event object with its first occurrence's place and its last LAST SEEN (events_cache.go getEventKey)") {
  const auto r = course("myapp-pod-git-clone.yaml");
  std::ostringstream out;
  trace::writeGetEvents(out, *r->sim, 2 * m);
  const std::string text = out.str();
  // Pulling happened at 0 s and again at each restart: one row, in its first place, last seen 23 s ago.
  CHECK(text.find("23s         Normal    Pulling     pod/myapp-pod   Pulling image \"busybox\"\n") != std::string::npos);
  CHECK(text.find("Pulling image") == text.rfind("Pulling image"));
  CHECK(text.find("Scheduled") < text.find("Pulling"));
}

TEST_CASE("the get pods -w table prints a deleted pod's last row as kubectl does, with no \"(deleted)\" marker, and marks TIME as podsim's") {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/scenarios/patterns/adapter-log-normaliser.yaml");
  r->sim = std::make_unique<engine::Simulation>(r->sc, engine::RunOptions{});
  r->sim->run();
  std::ostringstream out;
  trace::writeTable(out, *r->sim);
  const std::string text = out.str();
  CHECK(text.find("(deleted)") == std::string::npos);
  CHECK(text.find("2m4s   app-with-adapter   0/2     Error             0          2m4s\n"
                  "2m4s   app-with-adapter   0/2     Error             0          2m4s\n") != std::string::npos);
  CHECK(text.find("# TIME is podsim's column (simulated time of each line); kubectl get pods -w has no such column\n") != std::string::npos);
}

TEST_CASE("describe's Start Time is the run's start on a fixed date, 2025-01-01 (kRunStartUnix), not 1970") {
  const auto r = course("myapp-pod.yaml");
  CHECK(describe(*r, "myapp-pod", 10 * s).find("Start Time:       Wed, 01 Jan 2025 00:00:00 +0000\n") != std::string::npos);
  CHECK(trace::rfc3339(90 * s) == "2025-01-01T00:01:30Z");
}
