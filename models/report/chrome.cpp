// models/report/chrome.cpp: Trace Event Format JSON (nlohmann_json) from the run's intervals and Events.
#include "models/report/chrome.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "models/engine/simulation.hpp"
#include "models/report/output.hpp"
#include "models/report/rules.hpp"
#include "models/report/timeline.hpp"

namespace podsim::trace {

namespace {

using json = nlohmann::ordered_json;

/// Simulated ns to the format's microseconds (a number; fractions kept).
double micros(sim::Time t) { return static_cast<double>(t) / 1e3; }

json meta(const char* name, int pid, int tid, json args) {
  json j;
  j["name"] = name;
  j["ph"] = "M";
  j["pid"] = pid;
  j["tid"] = tid;
  j["args"] = std::move(args);
  return j;
}

}  // namespace

void writeChromeTrace(std::ostream& out, const engine::Simulation& sim) {
  const auto& sc = sim.scenario();
  const Trace& tr = sim.trace();
  const std::vector<std::string> rules = explainTrace(sim);
  // Streamed one event at a time: a large run never holds the whole document in memory.
  bool first = true;
  struct Sink {
    std::ostream& out;
    bool& first;
    void push_back(const json& e) {
      out << (first ? "\n" : ",\n") << e.dump();
      first = false;
    }
  } events{out, first};
  out << "{\"traceEvents\":[";
  // pid 0: the scenario's actions.
  events.push_back(meta("process_name", 0, 0, {{"name", "scenario " + (sc.name.empty() ? sc.file : sc.name)}}));
  for (std::size_t p = 0; p < sc.pods.size(); ++p) {
    const api::Pod& pod = sc.pods[p].pod;
    const int pid = static_cast<int>(p) + 1;
    events.push_back(meta("process_name", pid, 0, {{"name", "pod " + pod.key()}}));
    events.push_back(meta("process_sort_index", pid, 0, {{"sort_index", pid}}));
    events.push_back(meta("thread_name", pid, 0, {{"name", "STATUS"}}));
    events.push_back(meta("thread_sort_index", pid, 0, {{"sort_index", 0}}));
    for (std::size_t ci = 0; ci < pod.containerCount(); ++ci) {
      const char* type = pod.containerType(ci) == api::ContainerType::Init      ? "init"
                         : pod.containerType(ci) == api::ContainerType::Sidecar ? "sidecar"
                                                                                : "regular";
      events.push_back(meta("thread_name", pid, static_cast<int>(ci) + 1, {{"name", pod.container(ci).name + " (" + type + ")"}}));
      events.push_back(meta("thread_sort_index", pid, static_cast<int>(ci) + 1, {{"sort_index", static_cast<int>(ci) + 1}}));
    }
    for (const PodInterval& iv : podIntervals(sim, static_cast<std::int32_t>(p))) {
      json j;
      j["name"] = iv.status.printed.status();
      j["cat"] = "pod";
      j["ph"] = "X";
      j["ts"] = micros(iv.begin);
      j["dur"] = micros(iv.end - iv.begin);
      j["pid"] = pid;
      j["tid"] = 0;
      j["args"] = {{"phase", std::string(api::toString(iv.status.phase))},
                   {"ready", std::to_string(iv.status.printed.ready) + "/" + std::to_string(iv.status.printed.total)},
                   {"restarts", iv.status.printed.restarts},
                   {"rule", rules[iv.record]}};
      events.push_back(j);
    }
    for (const ContainerInterval& iv : containerIntervals(sim, static_cast<std::int32_t>(p))) {
      const std::string cls = stateClass(iv.status);
      json j;
      j["name"] = cls.substr(cls.find(':') + 1);
      j["cat"] = cls.substr(0, cls.find(':'));
      j["ph"] = "X";
      j["ts"] = micros(iv.begin);
      j["dur"] = micros(iv.end - iv.begin);
      j["pid"] = pid;
      j["tid"] = iv.container + 1;
      j["args"] = {{"restartCount", iv.status.restartCount},
                   {"ready", iv.status.ready},
                   {"started", iv.status.started},
                   {"rule", rules[iv.record]}};
      if (iv.status.state.kind == kubelet::ContainerStateValue::Kind::Terminated) j["args"]["exitCode"] = iv.status.state.exitCode;
      events.push_back(j);
    }
  }
  const auto& recs = tr.records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.type == RecordType::Event) {
      const EventRecord& e = tr.eventAt(r);
      json j;
      j["name"] = std::string(api::toString(e.reason));
      j["cat"] = e.warning ? "Warning" : "Normal";
      j["ph"] = "i";
      j["s"] = "t";
      j["ts"] = micros(r.t);
      j["pid"] = r.pod + 1;
      j["tid"] = e.container + 1;
      j["args"] = {{"message", eventMessage(sim, r.pod, e, r.t)}, {"rule", rules[i]}};
      events.push_back(j);
    } else if (r.type == RecordType::Action) {
      json j;
      j["name"] = sc.actions[r.row].name;
      j["cat"] = "Action";
      j["ph"] = "i";
      j["s"] = "g";
      j["ts"] = micros(r.t);
      j["pid"] = 0;
      j["tid"] = 0;
      json args = json::object();
      for (const auto& [k, v] : sc.actions[r.row].arguments) args[k] = v;
      j["args"] = std::move(args);
      events.push_back(j);
    }
  }
  json other = {{"scenario", sc.name}, {"seed", sc.seed}, {"clock", "simulated"}};
  out << "\n],\"displayTimeUnit\":\"ms\",\"otherData\":" << other.dump() << "}\n";
}

}  // namespace podsim::trace
