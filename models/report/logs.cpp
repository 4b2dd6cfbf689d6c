// models/report/logs.cpp: `kubectl logs` of a finished run (see logs.hpp).
#include "models/report/logs.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include <algorithm>

#include "models/report/pod_timeline.hpp"
#include "models/report/views.hpp"

namespace podsim::trace {

namespace {

std::string names(const std::vector<api::Container>& cs) {
  std::string s;
  for (const auto& c : cs) {
    if (!s.empty()) s += ' ';
    s += c.name;
  }
  return s;
}

}  // namespace

std::string logLine(const scenario::Scenario& sc, std::int32_t text, sim::Time t) {
  const std::string& raw = sc.logTexts.at(static_cast<std::size_t>(text));
  if (raw.find("{time") == std::string::npos && raw.find("{epoch}") == std::string::npos) return raw;
  const sim::Time sinceEpoch = t + kRunStartUnix * sim::kSecond;
  const std::int64_t seconds = sinceEpoch / sim::kSecond;
  const std::int64_t fraction = sinceEpoch % sim::kSecond;  // ns, t >= 0
  const std::chrono::sys_seconds when{std::chrono::seconds{seconds}};
  std::string out;
  out.reserve(raw.size() + 16);
  for (std::size_t at = 0; at < raw.size();) {
    if (raw.compare(at, 7, "{epoch}") == 0) {
      out += std::to_string(seconds);
      at += 7;
    } else if (raw.compare(at, 6, "{time:") == 0 && raw.find('}', at) != std::string::npos) {
      const std::size_t end = raw.find('}', at);
      std::string spec = raw.substr(at + 6, end - at - 6);
      for (const auto& [token, digits] : {std::pair<const char*, std::string>{"%3f", fmt::format("{:03}", fraction / 1'000'000)},
                                          {"%6f", fmt::format("{:06}", fraction / 1'000)}}) {
        for (auto q = spec.find(token); q != std::string::npos; q = spec.find(token, q + digits.size())) spec.replace(q, 3, digits);
      }
      out += fmt::format(fmt::runtime("{:" + spec + "}"), when);
      at = end + 1;
    } else {
      out += raw[at++];
    }
  }
  return out;
}

std::string rfc3339Nano(sim::Time t) {
  const std::string whole = rfc3339(t - ((t % sim::kSecond) + sim::kSecond) % sim::kSecond);  // "...:SSZ"
  const auto ns = ((t % sim::kSecond) + sim::kSecond) % sim::kSecond;
  std::string frac = fmt::format("{:09}", ns);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();  // Go's RFC3339Nano trims trailing zeros
  return frac.empty() ? whole : whole.substr(0, whole.size() - 1) + "." + frac + "Z";
}

LogsAnswer kubectlLogs(const engine::Simulation& sim, std::int32_t podIndex, const std::string& container, bool previous,
                       sim::Time at, std::int64_t tail) {
  LogsAnswer a;
  const api::Pod& pod = sim.scenario().pods[static_cast<std::size_t>(podIndex)].pod;
  // kubectl logsforobject.go: without -c, the pod's only container; several: an error naming them all.
  std::string name = container;
  if (name.empty()) {
    if (pod.containers.size() != 1) {
      a.error = fmt::format("error: a container name must be specified for pod {}, choose one of: [{}]", pod.name, names(pod.containers));
      if (!pod.initContainers.empty()) a.error += fmt::format(" or one of the init containers: [{}]", names(pod.initContainers));
      return a;
    }
    name = pod.containers[0].name;
  }
  std::int32_t c = -1;
  for (std::size_t i = 0; i < pod.containerCount(); ++i) {
    if (pod.container(i).name == name) c = static_cast<std::int32_t>(i);
  }
  if (c < 0) {
    a.error = fmt::format("error: container {} is not valid for pod {}", name, pod.name);
    return a;
  }
  a.container = name;
  const report::PodAt p = report::PodTimeline(sim, podIndex).at(at);
  if (!p.exists) {
    a.error = fmt::format("Error from server (NotFound): pods \"{}\" not found", pod.name);
    return a;
  }
  // kubelet_pods.go validateContainerLogStatus: which run of the container the logs are of.
  const auto server = [&](const std::string& what) {
    a.error = fmt::format("Error from server (BadRequest): container \"{}\" in pod \"{}\" {}", name, pod.name, what);
  };
  const auto ci = static_cast<std::size_t>(c);
  if (ci >= p.reported.size() || !p.reported[ci]) {
    server("is not available");
    return a;
  }
  const kubelet::ApiContainerStatus& st = p.containers[ci];
  using Kind = kubelet::ContainerStateValue::Kind;
  // restartCount is the newest run's; while waiting after an exit, that run is the last terminated one.
  const bool waiting = st.state.kind == Kind::Waiting;
  std::int32_t run = -1;
  if (previous) {
    if (!st.hasLastState) {
      a.error = fmt::format("Error from server (BadRequest): previous terminated container \"{}\" in pod \"{}\" not found", name, pod.name);
      return a;
    }
    run = waiting ? st.restartCount : st.restartCount - 1;
  } else if (!waiting) {
    run = st.restartCount;
  } else if (st.hasLastState) {
    run = st.restartCount;
  } else {
    switch (st.state.reason) {
      case api::Reason::ErrImagePull: server("is waiting to start: image can't be pulled"); break;
      case api::Reason::ImagePullBackOff: server("is waiting to start: trying and failing to pull image"); break;
      default: server(fmt::format("is waiting to start: {}", api::toString(st.state.reason))); break;
    }
    return a;
  }
  const auto& sc = sim.scenario();
  const Trace& tr = sim.trace();
  for (const Record& r : tr.records()) {
    if (r.t > at) break;
    if (r.type != RecordType::Log || r.pod != podIndex) continue;
    const LogRecord& l = tr.logAt(r);
    if (l.container != c || l.restartCount != run) continue;
    a.lines.push_back({r.t, logLine(sc, l.text, r.t), l.isStderr});
  }
  if (tail >= 0 && static_cast<std::size_t>(tail) < a.lines.size()) {
    a.lines.erase(a.lines.begin(), a.lines.end() - tail);
  }
  return a;
}

}  // namespace podsim::trace
