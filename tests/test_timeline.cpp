// tests/test_timeline.cpp: the pictures and the reasons of a run: the rule on every trace record (interface.md
// §2 `rule`), the Chrome trace (Trace Event Format), the SVG timeline, the HTML page as headless Chromium
// lays it out, and `podsim quiz` end to end. Each test compares the output with the trace it was made from.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/chrome.hpp"
#include "models/report/output.hpp"
#include "models/report/timeline.hpp"
#include "models/report/views.hpp"

using namespace podsim;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Run {
  scenario::Scenario sc;
  std::unique_ptr<engine::Simulation> sim;
};

std::unique_ptr<Run> runFile(const std::string& path) {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioFile(path);
  r->sim = std::make_unique<engine::Simulation>(r->sc, engine::RunOptions{});
  r->sim->run();
  return r;
}

std::string source(const std::string& rel) { return std::string(PODSIM_SOURCE_DIR) + "/" + rel; }

std::vector<json> jsonl(const engine::Simulation& sim) {
  std::ostringstream out;
  trace::writeJsonl(out, sim);
  std::istringstream in(out.str());
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

/// Runs a shell command; returns its standard output and sets `status` to its exit status.
std::string shell(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  status = pclose(pipe);
  return out;
}

/// What the picture should show of a ContainerStatus record: "<state>:<class>" as the timeline names it.
std::string lookOf(const json& j) {
  const std::string state = j["state"];
  if (state == "running") return std::string("running:") + (!j["started"].get<bool>() ? "not-started" : j["ready"].get<bool>() ? "ready" : "not-ready");
  const std::string reason = j["reason"].is_null() ? (state == "waiting" ? "Waiting" : "Terminated") : j["reason"].get<std::string>();
  return state + ":" + reason;
}

/// The key of a ContainerStatus record's look: a new bar starts when it changes.
std::string lookKey(const json& j) {
  return lookOf(j) + "|" + j["exitCode"].dump() + "|" + j["restartCount"].dump();
}

struct PodFacts {
  std::vector<std::string> containers;                 // spec order
  std::map<std::string, int> restarts;                 // final (max) restartCount per container
  std::vector<std::string> statuses;                   // distinct STATUS values, in order of first appearance
  std::vector<std::string> phases;                     // phase sequence with repeats collapsed
  int unhealthy = 0, killing = 0;
};

/// The facts of pod `index` read from the JSON-lines trace (not from the timeline code).
PodFacts facts(const Run& r, std::size_t index) {
  PodFacts f;
  const api::Pod& pod = r.sc.pods[index].pod;
  for (std::size_t i = 0; i < pod.containerCount(); ++i) f.containers.push_back(pod.container(i).name);
  const std::string key = pod.namespace_ + "/" + pod.name;
  for (const json& j : jsonl(*r.sim)) {
    if (j["pod"] != key) continue;
    if (j["type"] == "ContainerStatus") f.restarts[j["container"]] = std::max(f.restarts[j["container"]], j["restartCount"].get<int>());
    if (j["type"] == "PodStatus") {
      const std::string st = j["status"];
      if (std::find(f.statuses.begin(), f.statuses.end(), st) == f.statuses.end()) f.statuses.push_back(st);
      if (f.phases.empty() || f.phases.back() != j["phase"]) f.phases.push_back(j["phase"]);
    }
    if (j["type"] == "Event" && j["reason"] == "Unhealthy") ++f.unhealthy;
    if (j["type"] == "Event" && j["reason"] == "Killing") ++f.killing;
  }
  return f;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("every trace record of every scenario carries the rule that produced it, naming its Kubernetes source (interface.md §2 rule)") {
  const std::regex sourcePath(R"((pkg|staging/src|cmd|plugin)/[A-Za-z0-9_./-]+\.go)");
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(source("scenarios"))) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 30);
  std::size_t records = 0;
  std::set<std::string> types;
  for (const auto& f : files) {
    CAPTURE(f);
    const auto r = runFile(f);
    for (const json& j : jsonl(*r->sim)) {
      ++records;
      types.insert(j["type"].get<std::string>());
      REQUIRE_MESSAGE(j.contains("rule"), j.dump());
      const std::string rule = j["rule"];
      CHECK_MESSAGE(std::regex_search(rule, sourcePath), j.dump());
    }
  }
  CHECK(records > 1000);
  CHECK(types == std::set<std::string>{"Action", "ContainerStatus", "Event", "Hook", "Log", "PodRemoved", "PodStatus"});
}

TEST_CASE("a waiting CrashLoopBackOff status names the restart and its wait after FinishedAt, 0 10 20 40 s (doBackOff, §8.3)") {
  const auto r = runFile(source("scenarios/bench/r1-web-pod.yaml"));
  std::vector<std::string> rules;
  for (const json& j : jsonl(*r->sim)) {
    if (j["type"] == "ContainerStatus" && j["container"] == "app" && j["reason"] == "CrashLoopBackOff") rules.push_back(j["rule"]);
  }
  REQUIRE(rules.size() >= 3);
  CHECK(rules[0] == "CrashLoopBackOff: restart 2 waits 10 s after FinishedAt (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff)");
  CHECK(rules[1] == "CrashLoopBackOff: restart 3 waits 20 s after FinishedAt (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff)");
  CHECK(rules[2] == "CrashLoopBackOff: restart 4 waits 40 s after FinishedAt (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff)");
}

TEST_CASE("an exit explained under restartPolicyRules names the matching rule, else the container's own policy (util.go ContainerShouldRestart)") {
  const auto r = runFile(source("scenarios/rules/restart-rules-exit-42.yaml"));
  std::vector<std::string> terminated, running;
  for (const json& j : jsonl(*r->sim)) {
    if (j["type"] != "ContainerStatus") continue;
    if (j["state"] == "terminated") terminated.push_back(j["rule"]);
    if (j["state"] == "running" && j["restartCount"].get<int>() > 0) running.push_back(j["rule"]);
  }
  REQUIRE(terminated.size() == 3);
  CHECK(terminated[0] == "Error: the process exited by itself with exit code 42 (pkg/kubelet/kubelet_pods.go "
                         "convertToAPIContainerStatuses); restartPolicyRules[0] (Restart on exit codes In [42]) matches exit "
                         "code 42: it is restarted at once, as a first exit has no back-off yet (pkg/api/v1/pod/util.go "
                         "ContainerShouldRestart; pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff); ready=false: "
                         "task is not running (pkg/kubelet/prober/prober_manager.go UpdatePodStatus)");
  CHECK(terminated[2].find("no restartPolicyRules entry matches exit code 1, so the container's own restartPolicy Never "
                           "decides: it stays terminated (pkg/api/v1/pod/util.go ContainerShouldRestart)") != std::string::npos);
  REQUIRE(running.size() == 2);
  CHECK(running[1].starts_with("Running: restart 2 of task: it exited and restartPolicyRules[0] (Restart on exit codes In "
                               "[42]) matches exit code 42, so it is restarted"));
}

TEST_CASE("run --explain prints beside each kubectl get pods -w line the rule that produced it") {
  const auto r = runFile(source("scenarios/course/myapp-pod-services.yaml"));
  std::ostringstream out;
  trace::writeTable(out, *r->sim, true);
  const std::string t = out.str();
  CHECK(t.find("0s        myapp-pod   0/1     Pending           0          0s       # Pending: a new pod starts in phase Pending "
               "with no container statuses (pkg/registry/core/pod/strategy.go PrepareForCreate)\n") != std::string::npos);
  CHECK(t.find("30.81s    myapp-pod   0/1     Init:1/2          0          30s      # STATUS Init:1/2: 1 of 2 init containers are done, and init container init-mydb "
               "is neither completed nor a started sidecar (pkg/printers/internalversion/printers.go printPod)") != std::string::npos);
}

TEST_CASE("the Chrome trace is Trace Event Format JSON whose per-container slices follow the trace's container statuses") {
  const auto r = runFile(source("scenarios/bench/r1-web-pod.yaml"));
  std::ostringstream out;
  trace::writeChromeTrace(out, *r->sim);
  const json doc = json::parse(out.str());
  REQUIRE(doc["traceEvents"].is_array());
  CHECK(doc["displayTimeUnit"] == "ms");
  const api::Pod& pod = r->sc.pods[0].pod;
  // Expected: one slice per change of a container's look, from the JSON-lines trace.
  std::map<int, std::vector<std::pair<double, std::string>>> expected;  // tid -> (ts µs, cat:name)
  std::map<std::string, int> tidOf;
  for (std::size_t i = 0; i < pod.containerCount(); ++i) tidOf[pod.container(i).name] = static_cast<int>(i) + 1;
  std::map<std::string, std::string> lastKey;
  int events = 0, actions = 0;
  for (const json& j : jsonl(*r->sim)) {
    if (j["type"] == "Event") ++events;
    if (j["type"] == "Action") ++actions;
    if (j["type"] != "ContainerStatus") continue;
    const std::string c = j["container"];
    if (lastKey[c] == lookKey(j)) continue;
    lastKey[c] = lookKey(j);
    expected[tidOf[c]].push_back({j["t"].get<double>() * 1e6, lookOf(j)});
  }
  std::map<int, std::vector<std::pair<double, std::string>>> slices;
  std::map<int, std::string> threadNames;
  int instants = 0;
  for (const json& e : doc["traceEvents"]) {
    REQUIRE(e.contains("ph"));
    REQUIRE(e.contains("pid"));
    REQUIRE(e.contains("tid"));
    const std::string ph = e["ph"];
    CHECK((ph == "X" || ph == "i" || ph == "M"));
    if (ph == "M" && e["name"] == "thread_name" && e["pid"] == 1) threadNames[e["tid"]] = e["args"]["name"];
    if (ph == "X") {
      CHECK(e["dur"].get<double>() >= 0);
      if (e["pid"] == 1 && e["tid"] != 0) slices[e["tid"]].push_back({e["ts"].get<double>(), e["cat"].get<std::string>() + ":" + e["name"].get<std::string>()});
    }
    if (ph == "i" && e["pid"] != 0) ++instants;
  }
  CHECK(threadNames[0] == "STATUS");
  CHECK(threadNames[1] == "init-config (init)");
  CHECK(threadNames[3] == "log-shipper (sidecar)");
  CHECK(threadNames[4] == "app (regular)");
  CHECK(instants == events);
  CHECK(actions == 0);
  for (std::size_t i = 0; i < pod.containerCount(); ++i) {
    const int tid = static_cast<int>(i) + 1;
    CAPTURE(pod.container(i).name);
    REQUIRE(slices[tid].size() == expected[tid].size());
    for (std::size_t k = 0; k < slices[tid].size(); ++k) {
      CHECK(slices[tid][k].second == expected[tid][k].second);
      CHECK(slices[tid][k].first == doctest::Approx(expected[tid][k].first).epsilon(1e-9));
    }
  }
  // Scenario actions are global instants of process 0 ("scenario ..."), with their arguments.
  const auto services = runFile(source("scenarios/course/myapp-pod-services.yaml"));
  std::ostringstream svc;
  trace::writeChromeTrace(svc, *services->sim);
  std::vector<std::pair<double, std::string>> acts;
  const json svcDoc = json::parse(svc.str());
  for (const json& e : svcDoc["traceEvents"]) {
    if (e["ph"] == "i" && e["pid"] == 0) acts.push_back({e["ts"].get<double>(), e["name"].get<std::string>() + " " + e["args"]["name"].get<std::string>()});
  }
  REQUIRE(acts.size() == 2);
  CHECK(acts[0].first == doctest::Approx(30e6));
  CHECK(acts[0].second == "createService myservice");
  CHECK(acts[1].first == doctest::Approx(60e6));
  CHECK(acts[1].second == "createService mydb");
  // The app's crash loop: 14 restarts, so 15 running slices.
  int running = 0;
  for (const auto& s : slices[4]) running += s.second.rfind("running:", 0) == 0 ? 1 : 0;
  CHECK(running >= 15);
}

TEST_CASE("the SVG timeline has one lane per container in spec order, a restart mark per restart, a dot per failed probe and the STATUS band (R1)") {
  const auto r = runFile(source("scenarios/bench/r1-web-pod.yaml"));
  std::ostringstream out;
  trace::writeSvg(out, *r->sim);
  const std::string svg = out.str();
  const PodFacts f = facts(*r, 0);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  // The whole-run panel comes first; a start-up detail follows (the run is an hour, the start-up 30 s).
  const std::string run = svg.substr(svg.find("data-panel=\"run\""), svg.find("data-panel=\"detail\"") - svg.find("data-panel=\"run\""));
  CHECK(svg.find("start-up detail: 0 to 40s") != std::string::npos);
  std::vector<std::string> lanes;
  const std::regex lane("<g class=\"lane\" data-container=\"([^\"]+)\" data-type=\"([a-z]+)\">");
  for (auto it = std::sregex_iterator(run.begin(), run.end(), lane); it != std::sregex_iterator(); ++it) lanes.push_back((*it)[1]);
  CHECK(lanes == f.containers);
  CHECK(run.find("data-container=\"log-shipper\" data-type=\"sidecar\"") != std::string::npos);
  // Restart marks per lane = the container's final restartCount.
  for (const auto& c : f.containers) {
    const std::size_t from = run.find("data-container=\"" + c + "\"");
    const std::size_t to = run.find("</g>", from);
    CAPTURE(c);
    CHECK(count(run.substr(from, to - from), "class=\"restart\"") == f.restarts.at(c));
  }
  CHECK(f.restarts.at("app") == 14);
  CHECK(count(run, "class=\"probe-failure\"") == f.unhealthy);
  std::vector<std::string> statuses;
  for (const auto& st : f.statuses) {
    if (run.find("data-status=\"" + st + "\"") != std::string::npos) statuses.push_back(st);
  }
  CHECK(statuses == f.statuses);
  CHECK(f.statuses == std::vector<std::string>{"Pending", "Init:0/3", "Init:1/3", "Init:2/3", "PodInitializing", "Running", "Error", "CrashLoopBackOff"});
  // The sidecar's start-up (running, not started) and the app's back-off are coloured as such.
  CHECK(svg.find("data-state=\"running:not-started\"") != std::string::npos);
  CHECK(count(run, "data-state=\"waiting:CrashLoopBackOff\"") >= 13);
  // Deterministic: the same run draws the same bytes.
  std::ostringstream again;
  trace::writeSvg(again, *runFile(source("scenarios/bench/r1-web-pod.yaml"))->sim);
  CHECK(again.str() == svg);
}

TEST_CASE("the SVG of an eight-container pod marks kills, hooks and the removal, with a termination detail (§6, §11)") {
  const auto r = runFile(source("docs/examples/eight-containers.yaml"));
  std::ostringstream out;
  trace::writeSvg(out, *r->sim);
  const std::string svg = out.str();
  const PodFacts f = facts(*r, 0);
  CHECK(f.containers.size() == 8);
  const std::string run = svg.substr(svg.find("data-panel=\"run\""), svg.find("data-panel=\"detail\"") - svg.find("data-panel=\"run\""));
  CHECK(count(run, "class=\"lane\"") == 8);
  CHECK(count(run, "class=\"kill\"") == f.killing);
  CHECK(count(run, "data-hook=\"postStart\"") == 1);
  CHECK(count(run, "data-hook=\"preStop\"") == 1);
  CHECK(count(run, "class=\"removed\"") == 1);
  CHECK(svg.find("termination detail:") != std::string::npos);
  // Processes that exited before the status said so (the kubelet was busy killing the others) are marked.
  CHECK(count(svg, "class=\"exited\"") >= 5);
}

TEST_CASE("the HTML timeline of myapp-pod-services marks both createService actions with their names, at 30 s and 60 s (issue 14 item 4)") {
  const auto r = runFile(source("scenarios/course/myapp-pod-services.yaml"));
  std::ostringstream out;
  trace::writeHtml(out, *r->sim);
  const std::string html = out.str();
  const std::string run = html.substr(html.find("data-panel=\"run\""), html.find("</g>\n<g class=\"panel\"") == std::string::npos
                                                                            ? std::string::npos
                                                                            : html.find("data-panel=\"detail\"") - html.find("data-panel=\"run\""));
  CHECK(count(run, "<g class=\"action\" data-action=\"createService\" data-t=\"30.000\">") == 1);
  CHECK(count(run, "<g class=\"action\" data-action=\"createService\" data-t=\"60.000\">") == 1);
  CHECK(run.find(">createService myservice</text>") != std::string::npos);
  CHECK(run.find(">createService mydb</text>") != std::string::npos);
  CHECK(count(run, "class=\"action-line\"") == 2);
}

TEST_CASE("a deleted pod with a sidecar: the app's SIGTERM at the delete, the sidecar's only after the app exited (sidecar termination order, §11.3)") {
  const auto r = runFile(source("scenarios/patterns/adapter-log-normaliser.yaml"));
  std::ostringstream out;
  trace::writeSvg(out, *r->sim);
  const std::string svg = out.str();
  const std::string run = svg.substr(svg.find("data-panel=\"run\""), svg.find("data-panel=\"detail\"") - svg.find("data-panel=\"run\""));
  // The app exits 3 s after its SIGTERM (terminationDelay 3s); the adapter's SIGTERM comes then, not at 2m.
  CHECK(count(run, "<title>SIGTERM to app at 2m0s") == 1);
  CHECK(count(run, "<title>SIGTERM to log-adapter at 2m3s") == 1);
  CHECK(count(run, "class=\"sigterm\"") == 2);
  CHECK(count(run, "class=\"sigkill\"") == 0);
  CHECK(count(run, "class=\"order-wait\"") == 1);
  // The Killing decisions (Events) stay at the delete, one per container, under the lanes.
  CHECK(count(run, "class=\"kill\"") == facts(*r, 0).killing);
  CHECK(count(run, "data-action=\"deletePod\"") == 1);
}

TEST_CASE("a sidecar stopped by the kubelet at the end of a Job is drawn as stopped, not as a red Error (143) (§4 rule 10)") {
  const auto r = runFile(source("scenarios/patterns/job-log-agent-sidecar.yaml"));
  std::ostringstream out;
  trace::writeSvg(out, *r->sim);
  const std::string svg = out.str();
  const std::size_t lane = svg.find("data-container=\"log-agent\"");
  const std::string agent = svg.substr(lane, svg.find("</g>", lane) - lane);
  CHECK(agent.find("data-state=\"terminated:stopped\"") != std::string::npos);
  CHECK(agent.find("data-state=\"terminated:Error\"") == std::string::npos);
  CHECK(svg.find("stopped by the kubelet (sidecar)") != std::string::npos);  // in the legend
}

TEST_CASE("the SVG fits a 1,024 px screen and the page's picture scales to its window (viewBox, width 100%)") {
  const auto r = runFile(source("docs/examples/eight-containers.yaml"));
  std::ostringstream svg, html;
  trace::writeSvg(svg, *r->sim);
  trace::writeHtml(html, *r->sim);
  // The match refers into `head`, which must outlive it (a match into a temporary dangles).
  const std::string head = svg.str().substr(0, 300);
  std::smatch m;
  static const std::regex re("width=\"([0-9]+)\" height=\"[0-9]+\" viewBox=\"0 0 ([0-9]+) ");
  REQUIRE(std::regex_search(head, m, re));
  CHECK(std::stoi(m[1].str()) <= 1024);
  CHECK(html.str().find("class=\"podsim-timeline\" width=\"100%\"") != std::string::npos);
  // Legend: conditions and phases are explained, and the marks used.
  CHECK(svg.str().find(">conditions:</text>") != std::string::npos);
  CHECK(svg.str().find(">SIGTERM</text>") != std::string::npos);
}

TEST_CASE("marks never sit on each other: hook spans in the lane's top strip, SIGTERM in the middle, Killing under the lane") {
  const auto r = runFile(source("docs/examples/eight-containers.yaml"));
  std::ostringstream out;
  trace::writeSvg(out, *r->sim);
  const std::string svg = out.str();
  const std::regex lane("<g class=\"lane\" data-container=\"([^\"]+)\"[^>]*>\n<rect x=\"[0-9.]+\" y=\"([0-9.]+)\"");
  std::vector<double> tops;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), lane); it != std::sregex_iterator(); ++it) tops.push_back(std::stod((*it)[2]));
  REQUIRE(!tops.empty());
  // The row (relative to its lane's top) of each mark: hooks 1..6, SIGTERM crosses 7..15, Killing 22.5..27.5.
  const auto rowOf = [&](double y) {
    double best = 1e9;
    for (const double t : tops) {
      if (y >= t - 1 && y - t < best) best = y - t;
    }
    return best;
  };
  const std::regex hook("class=\"hook\" data-hook=\"[^\"]+\" x=\"[0-9.]+\" y=\"([0-9.]+)\"");
  const std::regex term("class=\"sigterm\" d=\"M[0-9.]+,([0-9.]+) ");
  int hooks = 0, terms = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), hook); it != std::sregex_iterator(); ++it, ++hooks) {
    CHECK(rowOf(std::stod((*it)[1])) < 2);
  }
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), term); it != std::sregex_iterator(); ++it, ++terms) {
    CHECK(rowOf(std::stod((*it)[1])) == doctest::Approx(11));  // centre of the 22 px lane; the cross spans 7..15
  }
  CHECK(hooks >= 2);
  CHECK(terms >= 1);
}

TEST_CASE("headless Chromium lays out the HTML page: its lanes, restart marks, probe failures and STATUS band are the trace's, and pointing at a moment shows kubectl get pods as get --at prints it") {
  std::string chromium;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    int status = 0;
    const std::string path = shell(std::string("command -v ") + name + " 2>/dev/null", status);
    if (status == 0 && !path.empty()) {
      chromium = path.substr(0, path.find('\n'));
      break;
    }
  }
  REQUIRE_MESSAGE(!chromium.empty(), "chromium not found: scripts/bootstrap.sh installs Debian's chromium package");
  for (const char* file : {"scenarios/bench/r1-web-pod.yaml", "docs/examples/eight-containers.yaml"}) {
    CAPTURE(file);
    const auto r = runFile(source(file));
    const fs::path dir = fs::temp_directory_path() / ("podsim-html-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path page = dir / "timeline.html";
    // Moments to point at in the whole-run panel (s), away from any change of the kubectl columns.
    const std::vector<double> moments = r->sim->now() == 3600 * sim::kSecond ? std::vector<double>{140.5, 1234.5} : std::vector<double>{100.5};
    {
      std::ostringstream html;
      trace::writeHtml(html, *r->sim);
      // A harness that moves the pointer over the timeline at those moments and keeps what the page showed.
      std::string harness = "<script>(function () {\n"
                            "  var svg = document.querySelector('svg.podsim-timeline');\n"
                            "  var run = svg.querySelector('g.panel[data-panel=\"run\"]'), b = run.getBBox(), seen = [];\n";
      for (const double t : moments) {
        harness += fmt::format(
            "  (function (t) {{ var pt = svg.createSVGPoint(); pt.x = +run.dataset.x0 + t / +run.dataset.to * +run.dataset.width;\n"
            "    pt.y = b.y + b.height / 2; var c = pt.matrixTransform(svg.getScreenCTM());\n"
            "    var cx = Math.round(c.x), cy = Math.round(c.y);\n"
            "    svg.dispatchEvent(new MouseEvent('mousemove', {{clientX: cx, clientY: cy, bubbles: true}}));\n"
            "    var q = svg.createSVGPoint(); q.x = cx; q.y = cy; q = q.matrixTransform(svg.getScreenCTM().inverse());\n"
            "    var at = +run.dataset.from + (q.x - +run.dataset.x0) / +run.dataset.width * (+run.dataset.to - +run.dataset.from);\n"
            "    seen.push('@' + at + '\\n' + document.getElementById('cursor').textContent); }})({});\n",
            t);
      }
      harness += "  var out = document.createElement('pre'); out.id = 'cursor-check'; out.textContent = seen.join('\\n---\\n');\n"
                 "  document.body.appendChild(out);\n})();</script>\n</body>";
      std::string text = html.str();
      text.replace(text.rfind("</body>"), 7, harness);
      std::ofstream(page) << text;
    }
    int status = 0;
    const std::string dom = shell(chromium + " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir=" +
                                      (dir / "profile").string() + " --dump-dom file://" + page.string() + " 2>/dev/null",
                                  status);
    fs::remove_all(dir);
    REQUIRE(status == 0);
    const std::string open = "<pre id=\"render-check\" data-rendered=\"true\">";
    const std::size_t at = dom.find(open);
    REQUIRE_MESSAGE(at != std::string::npos, "the page's script did not run");
    std::string text = dom.substr(at + open.size(), dom.find("</pre>", at) - at - open.size());
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
      for (std::size_t k = text.find(from); k != std::string::npos; k = text.find(from, k)) text.replace(k, from.size(), to);
    }
    const json report = json::parse(text);
    REQUIRE(report["pods"].size() == 1);
    const json& pod = report["pods"][0];
    const PodFacts f = facts(*r, 0);
    std::vector<std::string> lanes;
    for (const json& l : pod["lanes"]) {
      lanes.push_back(l["name"]);
      CAPTURE(l.dump());
      CHECK(l["drawn"] == l["segments"]);  // every state bar has a size on the page
      CHECK(l["segments"].get<int>() > 0);
      CHECK(l["labelWidth"].get<int>() > 0);
      CHECK(l["restarts"].get<int>() == f.restarts.at(l["name"]));
    }
    CHECK(lanes == f.containers);
    CHECK(pod["statuses"].get<std::vector<std::string>>() == f.statuses);
    CHECK(pod["phases"].get<std::vector<std::string>>() == f.phases);
    CHECK(pod["probeFailures"].get<int>() == f.unhealthy);
    CHECK(pod["kills"].get<int>() == f.killing);
    CHECK(report["width"].get<int>() <= 1024);  // the page's picture takes the window's width, not more
    int sigterms = 0, actions = 0;
    for (const trace::Record& rec : r->sim->trace().records()) {
      sigterms += rec.type == trace::RecordType::Signal && !trace::Trace::signalAt(rec).kill ? 1 : 0;
      actions += rec.type == trace::RecordType::Action ? 1 : 0;
    }
    CHECK(pod["sigterms"].get<int>() == sigterms);  // one ✕ per SIGTERM the trace records
    CHECK(pod["actions"].get<int>() == actions);
    CHECK(pod["panels"].get<int>() >= 2);
    // Pointing at a moment shows `kubectl get pods` as podsim get --at prints it then.
    const std::string cursorOpen = "<pre id=\"cursor-check\">";
    const std::size_t c0 = dom.find(cursorOpen);
    REQUIRE(c0 != std::string::npos);
    const std::string seen = dom.substr(c0 + cursorOpen.size(), dom.find("</pre>", c0) - c0 - cursorOpen.size());
    // Each entry: "@<the moment of the pixel pointed at, s>", the box's "kubectl get pods at ..." line, the table.
    std::string shown, expected;
    std::istringstream lines(seen);
    int entries = 0;
    for (std::string l; std::getline(lines, l);) {
      if (l.rfind("kubectl get pods at ", 0) == 0) continue;
      if (l[0] == '@') {
        ++entries;
        std::ostringstream get;
        trace::writeGet(get, *r->sim, static_cast<sim::Time>(std::stod(l.substr(1)) * 1e9), trace::GetFormat::Table);
        expected += get.str();
        continue;
      }
      if (l != "---") shown += l + "\n";
    }
    CHECK(entries == static_cast<int>(moments.size()));
    CHECK(shown == expected);
  }
}

TEST_CASE("podsim quiz end to end: answers from stdin are scored, each wrong one explained in plain words (the Service that appeared) and by the rule that applied, with a score summary (printPod, §3, §12)") {
  const fs::path answers = fs::temp_directory_path() / ("podsim-quiz-" + std::to_string(::getpid()) + ".txt");
  {
    // Right, right, wrong (Init:1/2 at 45 s: myservice exists since 30 s), right, right (case does not matter), wrong.
    std::ofstream a(answers);
    a << "Init:0/2\n0/1\nInit:0/2\n0/1\nrunning\n0/1\n";
  }
  int status = 0;
  const std::string transcript = shell(std::string(PODSIM_BINARY) + " quiz " + source("scenarios/course/myapp-pod-services.yaml") +
                                           " --at 20s,45s,75s --ask status,ready < " + answers.string(),
                                       status);
  fs::remove(answers);
  CHECK(status == 0);
  CHECK(transcript == R"T(podsim quiz: myapp-pod-services: pod myapp-pod, 3 moments.
  The course's myapp-pod starts once its init containers find the Services myservice (30 s) and mydb (60 s).
Answer each question as `kubectl get pods` would print the column (e.g. Init:0/2, 1/2, 0); `?` or `hint` for a hint.

Q1. At 20s, what STATUS does `kubectl get pods` show for myapp-pod?
> Init:0/2
  correct.

Q2. At 20s, what READY does `kubectl get pods` show for myapp-pod?
> 0/1
  correct.

Q3. At 45s, what STATUS does `kubectl get pods` show for myapp-pod?
> Init:0/2
  not quite: it shows Init:1/2.
  why: since 30.81s, because the Service myservice appeared at 30s; init-myservice exited with code 0 (Completed) at 30.518s.
  kubelet rule: STATUS Init:1/2: 1 of 2 init containers are done, and init container init-mydb is neither completed nor a started sidecar (pkg/printers/internalversion/printers.go printPod)
  init-myservice: Completed: the process exited by itself with exit code 0 (pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses); a completed init container is not run again and the next one starts (pkg/kubelet/kuberuntime/kuberuntime_container.go computeInitContainerActions); ready: a completed init container counts as ready (pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses)

Q4. At 45s, what READY does `kubectl get pods` show for myapp-pod?
> 0/1
  correct.

Q5. At 1m15s, what STATUS does `kubectl get pods` show for myapp-pod?
> running
  correct.

Q6. At 1m15s, what READY does `kubectl get pods` show for myapp-pod?
> 0/1
  not quite: it shows 1/1.
  why: since 1m2.81s, because the Service myservice appeared at 30s; the Service mydb appeared at 1m0s; myapp-container is running and ready.
  kubelet rule: READY 1/1: ready regular containers and started ready sidecars, of regular containers plus sidecars (pkg/printers/internalversion/printers.go printPod)
  myapp-container: Running: the runtime started myapp-container and the PLEG relist saw it (pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses); started: myapp-container has no startup probe, so it counts as started once running (pkg/kubelet/prober/prober_manager.go UpdatePodStatus); ready: myapp-container has no readiness probe, so it is ready once started (pkg/kubelet/prober/prober_manager.go UpdatePodStatus)

Score: 4/6 (67%)
  Q1 at 20s, STATUS: Init:0/2: right
  Q2 at 20s, READY: 0/1: right
  Q3 at 45s, STATUS: Init:1/2: you said Init:0/2
  Q4 at 45s, READY: 0/1: right
  Q5 at 1m15s, STATUS: Running: right
  Q6 at 1m15s, READY: 1/1: you said 0/1
)T");
}

TEST_CASE("podsim quiz scores a RESTARTS answer on its count and shows kubectl's \"1 (3s ago)\" (printPod lastRestart)") {
  const fs::path answers = fs::temp_directory_path() / ("podsim-quiz-r-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream a(answers);
    a << "1\n2\n";
  }
  int status = 0;
  const std::string transcript = shell(std::string(PODSIM_BINARY) + " quiz " + source("scenarios/bench/r1-web-pod.yaml") +
                                           " --at 2m20s,2m40s --ask restarts < " + answers.string(),
                                       status);
  fs::remove(answers);
  CHECK(status == 0);
  // At 2m20s the app has restarted once (at once after its first exit at 1m17s) and waits out 10 s after its
  // second exit at 2m17s (§8.3); by 2m40s that second restart (at 2m27s) has happened.
  CHECK(transcript.find("Q1. At 2m20s, what RESTARTS does `kubectl get pods` show for web?\n> 1\n  correct.\n") != std::string::npos);
  CHECK(transcript.find("Q2. At 2m40s, what RESTARTS does `kubectl get pods` show for web?\n> 2\n  correct.\n") != std::string::npos);
  CHECK(transcript.find("Score: 2/2 (100%)\n") != std::string::npos);
}

TEST_CASE("podsim quiz: `?` gives a hint (how kubectl computes the column, each container's state) and asks again; default moments hold 2 s, or are the textbook moments with --timing ideal") {
  const fs::path answers = fs::temp_directory_path() / ("podsim-quiz-h-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream a(answers);
    a << "?\nInit:1/2\n";
  }
  int status = 0;
  const std::string transcript = shell(std::string(PODSIM_BINARY) + " quiz " + source("scenarios/course/myapp-pod-services.yaml") +
                                           " --at 45s < " + answers.string(),
                                       status);
  fs::remove(answers);
  CHECK(status == 0);
  CHECK(transcript.find("> ?\n  hint: STATUS is Init:<done>/<all> while init containers run") != std::string::npos);
  CHECK(transcript.find("    init-myservice exited with code 0 (Completed) at 30.518s\n"
                        "    init-mydb is running (an init container runs to completion)\n"
                        "    myapp-container is waiting (PodInitializing)\n> Init:1/2\n  correct (with a hint).\n") != std::string::npos);
  CHECK(transcript.find("Score: 1/1 (100%), 1 hint used\n  Q1 at 45s, STATUS: Init:1/2: right, with a hint\n") != std::string::npos);
  const std::string kubelet = shell(std::string(PODSIM_BINARY) + " quiz " + source("scenarios/course/myapp-pod-services.yaml") + " < /dev/null", status);
  CHECK(kubelet.find("Q1. At 2s,") != std::string::npos);   // Init:0/2 from 0 s, held 2 s
  CHECK(kubelet.find("Q2. At 33s,") != std::string::npos);  // Init:1/2 from 30.81 s
  CHECK(kubelet.find("Q3. At 1m5s,") != std::string::npos); // Running from 1m2.81s
  const std::string ideal = shell(std::string(PODSIM_BINARY) + " quiz " + source("scenarios/course/myapp-pod-services.yaml") +
                                      " --timing ideal < /dev/null", status);
  CHECK(ideal.find("Q2. At 30s,") != std::string::npos);
  CHECK(ideal.find("Q3. At 1m0s,") != std::string::npos);
}

TEST_CASE("--timing ideal on get makes the textbook moment exact: Init:1/2 at 30 s, where kubelet timing still shows Init:0/2 (PLEG relist)") {
  int status = 0;
  const std::string file = source("scenarios/course/myapp-pod-services.yaml");
  const std::string ideal = shell(std::string(PODSIM_BINARY) + " get " + file + " --at 30s --timing ideal 2>/dev/null", status);
  CHECK(status == 0);
  CHECK(ideal.find("myapp-pod   0/1     Init:1/2   0          30s\n") != std::string::npos);
  const std::string kubelet = shell(std::string(PODSIM_BINARY) + " get " + file + " --at 30s --timing kubelet 2>/dev/null", status);
  CHECK(kubelet.find("myapp-pod   0/1     Init:0/2   0          30s\n") != std::string::npos);
  shell(std::string(PODSIM_BINARY) + " get " + file + " --timing fast 2>/dev/null", status);
  CHECK(WEXITSTATUS(status) == 2);
}

TEST_CASE("check's trace context of a failed expectation still shows the JSON lines when the run has Signal records (not in the JSON lines)") {
  std::string text;
  {
    std::ifstream in(source("scenarios/patterns/adapter-log-normaliser.yaml"));
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string from = "- {at: 1m,     pod: app-with-adapter, status: Running";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "- {at: 2m10s,  pod: app-with-adapter, status: Running");
  const fs::path file = fs::temp_directory_path() / ("podsim-signal-check-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << text;
  int status = 0;
  const std::string out = shell(std::string(PODSIM_BINARY) + " check " + file.string() + " 2>/dev/null", status);
  fs::remove(file);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(out.find("  > {\"t\":124.0,\"type\":\"PodRemoved\",\"pod\":\"default/app-with-adapter\"}\n") != std::string::npos);
}

TEST_CASE("run --output svg|html|chrome takes one scenario file: several are bad input (exit status 2), named in the message") {
  for (const char* format : {"svg", "html", "chrome"}) {
    int status = 0;
    const std::string err = shell(std::string(PODSIM_BINARY) + " run " + source("scenarios/course/myapp-pod.yaml") + " " +
                                      source("scenarios/course/myapp-pod-6m.yaml") + " --output " + format + " 2>&1 >/dev/null",
                                  status);
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(err == std::string("error: <command line>:0:0: --output: ") + format + " takes one scenario file, got 2\n");
  }
}

TEST_CASE("hook spans come from the trace's Hook records: an exec preStop `sleep 10` spans 10 s (kuberuntime_container.go executePreStopHook)") {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioString(R"(apiVersion: v1
kind: Pod
metadata: {name: hooked}
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ['sleep', '3600']
      lifecycle:
        preStop:
          exec: {command: ['sh', '-c', 'sleep 10']}
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: hooked}
spec:
  timing: ideal
  duration: 1m
  images: {busybox:1.36: {present: true}}
  actions:
    - {at: 5s, deletePod: {pod: hooked}}
)",
                                       "test.yaml");
  r->sim = std::make_unique<engine::Simulation>(r->sc, engine::RunOptions{});
  r->sim->run();
  std::ostringstream out;
  trace::writeSvg(out, *r->sim);
  const std::string svg = out.str();
  const auto at = svg.find("data-hook=\"preStop\"");
  REQUIRE(at != std::string::npos);
  const std::string rect = svg.substr(at, svg.find("</rect>", at) - at);
  INFO(rect);
  CHECK(rect.find("app: preStop hook 5s–15s (10s)") != std::string::npos);
}

TEST_CASE("--timing ideal on logs: init-mydb has started and printed at 30 s, where kubelet timing still waits to start it (PLEG relist)") {
  int status = 0;
  const std::string cmd = std::string(PODSIM_BINARY) + " logs " + source("scenarios/course/myapp-pod-services.yaml") +
                          " myapp-pod -c init-mydb --at 30s --timing ";
  const std::string ideal = shell(cmd + "ideal 2>&1", status);
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(ideal == "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
                 "nslookup: can't resolve 'mydb'\nwaiting for mydb\n");
  const std::string kubelet = shell(cmd + "kubelet 2>&1", status);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(kubelet == "Error from server (BadRequest): container \"init-mydb\" in pod \"myapp-pod\" is waiting to start: PodInitializing\n");
  shell(cmd + "fast 2>/dev/null", status);
  CHECK(WEXITSTATUS(status) == 2);
}
