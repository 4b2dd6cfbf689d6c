// python/src/core.cpp: the extension module podsim._core, the only code that includes pybind11.
//
// Binds the facade (loading with overrides, one run, its columns, the sweep), never the kernel. Heavy
// work runs with the GIL released; columns are handed to numpy without copying (the vectors are moved
// into capsules). Bad input raises podsim.ScenarioError (a ValueError) with file, line, column and
// field_path. The pure-Python package (python/podsim) builds DataFrames from what this returns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <future>
#include <memory>
#include <sstream>
#include <thread>

#include "columns.hpp"
#include "models/report/logs.hpp"
#include "models/engine/simulation.hpp"
#include "models/engine/randomness.hpp"
#include "models/engine/sweep.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/loader.hpp"
#include "models/scenario/overrides.hpp"
#include "models/report/output.hpp"
#include "models/report/pod_timeline.hpp"
#include "sim/environment.hpp"
#include "sim/time.hpp"

namespace py = pybind11;

namespace podsim::python {
namespace {

using OverrideList = std::vector<std::pair<std::string, std::string>>;

std::vector<scenario::Override> toOverrides(const OverrideList& list) {
  std::vector<scenario::Override> out;
  out.reserve(list.size());
  for (const auto& [p, v] : list) out.push_back({p, v});
  return out;
}

/// A vector moved into a numpy array that owns it (no copy).
template <class T>
py::array_t<T> toArray(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  // Shape and strides spelled out: pybind11 2.10's (count, ptr, base) constructor gives stride 0 here.
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(heap->size())};
  const std::vector<py::ssize_t> strides{static_cast<py::ssize_t>(sizeof(T))};
  return py::array_t<T>(shape, strides, heap->data(), owner);
}

py::tuple toPy(StringColumn&& c) { return py::make_tuple(toArray(std::move(c.codes)), py::cast(c.categories)); }
py::tuple toPy(IntColumn&& c) { return py::make_tuple(toArray(std::move(c.values)), toArray(std::move(c.missing))); }

/// A loaded scenario and the YAML text it was loaded from (after overrides), for sweeps and pickling.
struct LoadedScenario {
  std::shared_ptr<const scenario::Scenario> scenario;
  std::string text;
  std::string label;
};

LoadedScenario loadText(std::string text, std::string label, const OverrideList& overrides) {
  LoadedScenario l;
  {
    py::gil_scoped_release release;
    if (!overrides.empty()) text = scenario::applyOverrides(text, toOverrides(overrides), label);
    l.scenario = std::make_shared<const scenario::Scenario>(scenario::loadScenarioString(text, label));
  }
  l.text = std::move(text);
  l.label = std::move(label);
  return l;
}

LoadedScenario loadFile(const std::string& path, const OverrideList& overrides) {
  LoadedScenario l;
  {
    py::gil_scoped_release release;
    std::string text = scenario::readScenarioText(path);
    if (overrides.empty()) {
      l.scenario = std::make_shared<const scenario::Scenario>(scenario::loadScenarioFile(path));
    } else {
      text = scenario::applyOverrides(text, toOverrides(overrides), path);
      l.scenario = std::make_shared<const scenario::Scenario>(scenario::loadScenarioString(text, path));
    }
    l.text = std::move(text);
  }
  l.label = path;
  return l;
}

/// One finished run; keeps its scenario alive.
struct Run {
  std::shared_ptr<const scenario::Scenario> scenario;
  std::unique_ptr<engine::Simulation> sim;
};

std::shared_ptr<Run> runScenario(const LoadedScenario& l, std::optional<std::uint64_t> seed, std::optional<std::int64_t> durationNs,
                                 bool recordTrace) {
  auto run = std::make_shared<Run>();
  run->scenario = l.scenario;
  engine::RunOptions o;
  o.recordTrace = recordTrace;
  if (seed) {
    o.overrideSeed = true;
    o.seed = *seed;
  }
  if (durationNs) {
    if (*durationNs <= 0) throw py::value_error("duration must be positive");
    o.duration = *durationNs;
  }
  py::gil_scoped_release release;
  run->sim = std::make_unique<engine::Simulation>(*run->scenario, o);
  run->sim->run();
  return run;
}

py::dict traceDict(const Run& r) {
  TraceColumns c;
  {
    py::gil_scoped_release release;
    c = traceColumns(*r.sim);
  }
  py::dict d;
  d["t"] = toArray(std::move(c.t));
  d["type"] = toPy(std::move(c.type));
  d["pod"] = toPy(std::move(c.pod));
  d["container"] = toPy(std::move(c.container));
  d["containerType"] = toPy(std::move(c.containerType));
  d["image"] = toPy(std::move(c.image));
  d["state"] = toPy(std::move(c.state));
  d["reason"] = toPy(std::move(c.reason));
  d["exitCode"] = toPy(std::move(c.exitCode));
  d["startedAt"] = toArray(std::move(c.startedAt));
  d["finishedAt"] = toArray(std::move(c.finishedAt));
  d["restartCount"] = toPy(std::move(c.restartCount));
  d["started"] = toArray(std::move(c.started));
  d["readyFlag"] = toArray(std::move(c.readyFlag));
  d["podReady"] = toPy(std::move(c.podReady));
  d["message"] = toPy(std::move(c.message));
  d["stopSignal"] = toPy(std::move(c.stopSignal));
  d["phase"] = toPy(std::move(c.phase));
  d["status"] = toPy(std::move(c.status));
  d["restarts"] = toPy(std::move(c.restarts));
  d["node"] = toPy(std::move(c.node));
  d["eventType"] = toPy(std::move(c.eventType));
  d["fieldPath"] = toPy(std::move(c.fieldPath));
  d["action"] = toPy(std::move(c.action));
  // conditions and arguments: a dict per row where present, else None (object columns).
  auto dicts = [](std::vector<std::vector<std::pair<std::string, std::string>>>& rows, bool keepEmpty) {
    py::list out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].empty() && !keepEmpty) {
        out[i] = py::none();
        continue;
      }
      py::dict x;
      for (auto& [k, v] : rows[i]) x[py::str(k)] = py::str(v);
      out[i] = std::move(x);
    }
    return out;
  };
  d["conditions"] = dicts(c.conditions, false);
  {
    // An action's arguments as the JSON trace has them: strings, but resizeContainer's `resources` is an object.
    py::list out(c.arguments.size());
    py::object loads;
    for (std::size_t i = 0; i < c.arguments.size(); ++i) {
      if (c.arguments[i].empty()) {
        out[i] = py::none();
        continue;
      }
      py::dict x;
      for (auto& [k, v] : c.arguments[i]) {
        if (k == "resources" && !v.empty() && v.front() == '{') {
          if (!loads) loads = py::module_::import("json").attr("loads");
          x[py::str(k)] = loads(v);
        } else {
          x[py::str(k)] = py::str(v);
        }
      }
      out[i] = std::move(x);
    }
    d["arguments"] = std::move(out);
  }
  // lastState: a dict as in the JSON trace (times in seconds) where present, else None.
  py::list last(c.lastState.size());
  auto seconds = [](podsim::sim::Time t) -> py::object {
    return t < 0 ? py::object(py::none()) : py::object(py::float_(podsim::sim::toSeconds(t)));
  };
  for (std::size_t i = 0; i < c.lastState.size(); ++i) {
    const auto& ls = c.lastState[i];
    if (!ls.present) {
      last[i] = py::none();
      continue;
    }
    py::dict x;
    x["state"] = ls.state;
    x["reason"] = ls.reason.empty() ? py::object(py::none()) : py::object(py::str(ls.reason));
    x["exitCode"] = ls.hasExitCode ? py::object(py::int_(ls.exitCode)) : py::object(py::none());
    x["startedAt"] = seconds(ls.startedAt);
    x["finishedAt"] = seconds(ls.finishedAt);
    if (!ls.message.empty()) x["message"] = ls.message;
    last[i] = std::move(x);
  }
  d["lastState"] = last;
  d["rule"] = toPy(std::move(c.rule));
  d["stream"] = toPy(std::move(c.stream));
  d["text"] = toPy(std::move(c.text));
  d["hook"] = toPy(std::move(c.hook));
  return d;
}

py::dict intervalDict(const Run& r) {
  IntervalColumns c;
  {
    py::gil_scoped_release release;
    c = intervalColumns(*r.sim);
  }
  py::dict d;
  d["pod"] = toPy(std::move(c.pod));
  d["container"] = toPy(std::move(c.container));
  d["containerType"] = toPy(std::move(c.containerType));
  d["state"] = toPy(std::move(c.state));
  d["reason"] = toPy(std::move(c.reason));
  d["start"] = toArray(std::move(c.start));
  d["end"] = toArray(std::move(c.end));
  d["restartCount"] = toPy(std::move(c.restartCount));
  d["exitCode"] = toPy(std::move(c.exitCode));
  return d;
}

py::dict summaryDict(const Run& r) {
  SummaryColumns c;
  {
    py::gil_scoped_release release;
    c = summaryColumns(*r.sim);
  }
  py::dict d;
  d["pod"] = toPy(std::move(c.pod));
  d["container"] = toPy(std::move(c.container));
  d["containerType"] = toPy(std::move(c.containerType));
  d["phase"] = toPy(std::move(c.phase));
  d["status"] = toPy(std::move(c.status));
  d["ready"] = toPy(std::move(c.ready));
  d["state"] = toPy(std::move(c.state));
  d["reason"] = toPy(std::move(c.reason));
  d["restarts"] = toPy(std::move(c.restarts));
  d["timeToInitialized"] = toArray(std::move(c.timeToInitialized));
  d["timeToStarted"] = toArray(std::move(c.timeToStarted));
  d["timeToReady"] = toArray(std::move(c.timeToReady));
  d["readyTime"] = toArray(std::move(c.readyTime));
  d["fractionReady"] = toArray(std::move(c.fractionReady));
  d["timeWaiting"] = toArray(std::move(c.timeWaiting));
  d["timeRunning"] = toArray(std::move(c.timeRunning));
  d["timeTerminated"] = toArray(std::move(c.timeTerminated));
  return d;
}

/// A sweep running on its own thread (which runs the pool), so Python can wait with the GIL released
/// and show progress.
class SweepJob {
 public:
  SweepJob(std::string text, std::string label, std::vector<OverrideList> variants, std::vector<std::uint64_t> seeds,
           unsigned threads, const std::vector<std::string>& metrics)
      : text_(std::move(text)), label_(std::move(label)), seeds_(std::move(seeds)) {
    for (const auto& v : variants) variants_.push_back({toOverrides(v)});
    options_.threads = threads;
    options_.metrics = engine::metricMask(metrics, "metrics");
    total_ = std::max<std::size_t>(1, variants_.size()) * seeds_.size();
  }
  ~SweepJob() {
    progress_.cancel = true;
    if (thread_.joinable()) thread_.join();
  }
  void start() {
    if (thread_.joinable()) throw std::logic_error("sweep already started");
    std::packaged_task<std::vector<engine::SweepRow>()> task(
        [this] { return engine::runSweep(text_, label_, variants_, seeds_, options_, &progress_); });
    result_ = task.get_future();
    thread_ = std::thread(std::move(task));
  }
  /// Waits up to `timeout` seconds; returns whether the sweep has finished.
  bool wait(double timeout) {
    requireStarted();
    py::gil_scoped_release release;
    return result_.wait_for(std::chrono::duration<double>(timeout)) == std::future_status::ready;
  }
  [[nodiscard]] std::size_t done() const { return progress_.done.load(); }
  [[nodiscard]] std::size_t total() const { return total_; }
  void cancel() { progress_.cancel = true; }

  /// The rows as columns: variant, seed, duration (ns), events, error, and per pod (in order of first
  /// appearance; `pods` the bare names, `podOccurrence` which pod of that name in a row) phase, status, ready,
  /// restarts, initializedAt, readyAt, readyTime (ns), fractionReady.
  py::dict result() {
    requireStarted();
    std::vector<engine::SweepRow> rows;
    {
      py::gil_scoped_release release;
      rows = result_.get();
      thread_.join();
    }
    const std::size_t n = rows.size();
    std::vector<std::int64_t> variant(n), duration(n);
    std::vector<std::uint64_t> seed(n), events(n);
    std::vector<std::string> errors(n);
    // A pod is its name and which of the row's pods of that name it is (0, 1, ...): two pods `web` in
    // namespaces a and b stay apart (the rows carry bare names; Python maps them to namespace/name).
    std::vector<std::pair<std::string, std::size_t>> pods;
    auto occurrences = [](const engine::SweepRow& r, std::size_t upTo, const std::string& name) {
      std::size_t k = 0;
      for (std::size_t j = 0; j < upTo; ++j) k += r.pods[j].name == name ? 1 : 0;
      return k;
    };
    for (const auto& r : rows) {
      for (std::size_t j = 0; j < r.pods.size(); ++j) {
        std::pair<std::string, std::size_t> key{r.pods[j].name, occurrences(r, j, r.pods[j].name)};
        if (std::find(pods.begin(), pods.end(), key) == pods.end()) pods.push_back(std::move(key));
      }
    }
    struct PodCols {
      StringColumn phase, status, ready;
      std::vector<std::int64_t> restarts, initializedAt, readyAt, readyTime;
      std::vector<double> fractionReady;
    };
    std::vector<PodCols> cols(pods.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto& r = rows[i];
      variant[i] = static_cast<std::int64_t>(r.variant);
      seed[i] = r.seed;
      duration[i] = r.duration;
      events[i] = r.events;
      errors[i] = r.error;
      for (std::size_t p = 0; p < pods.size(); ++p) {
        PodCols& c = cols[p];
        const engine::SweepPod* sp = nullptr;
        if (p < r.pods.size() && r.pods[p].name == pods[p].first && occurrences(r, p, pods[p].first) == pods[p].second) {
          sp = &r.pods[p];
        } else {
          for (std::size_t j = 0; j < r.pods.size() && sp == nullptr; ++j)
            if (r.pods[j].name == pods[p].first && occurrences(r, j, pods[p].first) == pods[p].second) sp = &r.pods[j];
        }
        if (sp == nullptr) {
          c.phase.null(), c.status.null(), c.ready.null();
          c.restarts.push_back(-1), c.initializedAt.push_back(-1), c.readyAt.push_back(-1), c.readyTime.push_back(-1);
          c.fractionReady.push_back(std::numeric_limits<double>::quiet_NaN());
          continue;
        }
        c.phase.push(sp->phase);
        c.status.push(sp->status);
        c.ready.push(std::to_string(sp->ready) + "/" + std::to_string(sp->total));
        c.restarts.push_back(sp->restarts);
        c.initializedAt.push_back(sp->initializedAt);
        c.readyAt.push_back(sp->readyAt);
        c.readyTime.push_back(sp->readyTime);
        c.fractionReady.push_back(sp->fractionReady);
      }
    }
    py::dict d;
    d["variant"] = toArray(std::move(variant));
    d["seed"] = toArray(std::move(seed));
    d["duration"] = toArray(std::move(duration));
    d["events"] = toArray(std::move(events));
    d["error"] = py::cast(errors);
    std::vector<std::string> podNames;
    std::vector<std::size_t> podOccurrences;
    for (const auto& [name, k] : pods) podNames.push_back(name), podOccurrences.push_back(k);
    d["pods"] = py::cast(podNames);
    d["podOccurrence"] = py::cast(podOccurrences);
    py::list podCols;
    for (auto& c : cols) {
      py::dict x;
      x["phase"] = toPy(std::move(c.phase));
      x["status"] = toPy(std::move(c.status));
      x["ready"] = toPy(std::move(c.ready));
      x["restarts"] = toArray(std::move(c.restarts));
      x["initializedAt"] = toArray(std::move(c.initializedAt));
      x["readyAt"] = toArray(std::move(c.readyAt));
      x["readyTime"] = toArray(std::move(c.readyTime));
      x["fractionReady"] = toArray(std::move(c.fractionReady));
      podCols.append(std::move(x));
    }
    d["podColumns"] = podCols;
    if (options_.metrics != 0) d["metrics"] = metricColumns(rows);
    return d;
  }

  /// The rows' metrics, tidy: `row` (index of the run's row), `key` (index into the key table) and
  /// `value` (float; NaN for text values and never-reached times), and the key table: `pod`
  /// (`namespace/name`), `container` (None for the pod), `metric` (`timeIn:Running`), `column` (the wide
  /// column name) and `text` (the value of phase and status keys, else None). Names from the base scenario.
  py::dict metricColumns(const std::vector<engine::SweepRow>& rows) const {
    std::vector<std::int64_t> row;
    std::vector<std::int32_t> key;
    std::vector<double> value;
    std::map<trace::MetricKey, std::int32_t> keys;
    {
      py::gil_scoped_release release;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        for (const auto& m : rows[i].metrics) {
          auto [it, added] = keys.emplace(m.key, static_cast<std::int32_t>(keys.size()));
          row.push_back(static_cast<std::int64_t>(i));
          key.push_back(it->second);
          value.push_back(m.value);
        }
      }
    }
    std::vector<trace::MetricKey> table(keys.size());
    for (const auto& [k, i] : keys) table[static_cast<std::size_t>(i)] = k;
    std::optional<scenario::Scenario> base;
    try {
      base = scenario::loadScenarioString(text_, label_);
    } catch (const std::exception&) {
      base.reset();  // every row failed to load, so there are no keys to name
    }
    py::list pod, container, metric, column, text;
    for (const auto& k : table) {
      const auto [p, c] = base ? engine::metricOwner(*base, k) : std::pair<std::string, std::string>{"?", "?"};
      trace::MetricKey named = k;
      if (k.metric == trace::Metric::phase || k.metric == trace::Metric::status) named.code = 0;
      pod.append(p);
      container.append(c.empty() ? py::none() : py::cast(c));
      metric.append(named.name());
      column.append(base ? engine::metricColumn(*base, named) : std::string("?"));
      const std::string t = k.text();
      text.append(t.empty() ? py::none() : py::cast(t));
    }
    py::dict d;
    d["row"] = toArray(std::move(row));
    d["key"] = toArray(std::move(key));
    d["value"] = toArray(std::move(value));
    d["pod"] = pod;
    d["container"] = container;
    d["metric"] = metric;
    d["column"] = column;
    d["text"] = text;
    return d;
  }

 private:
  /// wait() and result() need a started sweep whose rows were not taken yet (else std::logic_error).
  void requireStarted() const {
    if (!result_.valid()) throw std::logic_error("the sweep was not started, or its result was already taken");
  }

  std::string text_;
  std::string label_;
  std::vector<engine::SweepVariant> variants_;
  std::vector<std::uint64_t> seeds_;
  engine::SweepOptions options_;
  engine::SweepProgress progress_;
  std::size_t total_ = 0;
  std::future<std::vector<engine::SweepRow>> result_;
  std::thread thread_;
};

}  // namespace
}  // namespace podsim::python

PYBIND11_MODULE(_core, m) {
  using namespace podsim::python;
  namespace scenario = podsim::scenario;
  m.doc() = "podsim's C++ engine (private; use the podsim package).";

  // Bad input -> podsim.ScenarioError (defined in pure Python, so it pickles and has a normal __init__).
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const scenario::InputError& e) {
      py::object cls = py::module_::import("podsim._errors").attr("ScenarioError");
      auto make = [&](const scenario::InputError& x) { return cls(x.what(), x.file, x.line, x.column, x.fieldPath, x.detail); };
      // str(err), file, line, column, field_path, detail: the whole message and the first error's place;
      // err.errors: each error of the document (a list of ScenarioError; one item for a single error).
      py::object err = make(e);
      py::list all;
      if (e.errors.empty()) all.append(make(e));
      for (const auto& x : e.errors) all.append(make(x));
      err.attr("errors") = all;
      PyErr_SetObject(cls.ptr(), err.ptr());
    } catch (const podsim::sim::SimulationLimitError& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });

  py::class_<LoadedScenario>(m, "Scenario")
      .def_property_readonly("name", [](const LoadedScenario& l) { return l.scenario->name; })
      .def_property_readonly("description", [](const LoadedScenario& l) { return l.scenario->description; })
      .def_property_readonly("file", [](const LoadedScenario& l) { return l.label; })
      .def_property_readonly("text", [](const LoadedScenario& l) { return l.text; })
      .def_property_readonly("duration_ns", [](const LoadedScenario& l) { return l.scenario->duration; })
      .def_property_readonly("seed", [](const LoadedScenario& l) { return l.scenario->seed; })
      .def_property_readonly("timing", [](const LoadedScenario& l) {
        return l.scenario->timing == scenario::Timing::Ideal ? "ideal" : "kubelet";
      })
      .def_property_readonly("pods", [](const LoadedScenario& l) {
        std::vector<std::string> out;
        for (const auto& p : l.scenario->pods) out.push_back(p.pod.key());
        return out;
      })
      .def_property_readonly("warnings", [](const LoadedScenario& l) { return l.scenario->warnings; })
      .def("run", &runScenario, py::arg("seed") = py::none(), py::arg("duration_ns") = py::none(), py::arg("trace") = true);

  m.def("load_file", &loadFile, py::arg("path"), py::arg("overrides") = OverrideList{});
  m.def("load_string", &loadText, py::arg("text"), py::arg("label") = "<string>", py::arg("overrides") = OverrideList{});
  m.def("apply_overrides", [](const std::string& text, const OverrideList& o, const std::string& label) {
    return scenario::applyOverrides(text, toOverrides(o), label);
  }, py::arg("text"), py::arg("overrides"), py::arg("label") = "<string>");

  py::class_<Run, std::shared_ptr<Run>>(m, "Run")
      .def_property_readonly("now_ns", [](const Run& r) { return r.sim->now(); })
      .def_property_readonly("duration_ns", [](const Run& r) { return r.sim->duration(); })
      .def_property_readonly("events", [](const Run& r) { return r.sim->processedEvents(); })
      .def_property_readonly("has_trace", [](const Run& r) { return r.sim->trace().enabled(); })
      .def("trace_columns", &traceDict)
      .def("interval_columns", &intervalDict)
      .def("summary_columns", &summaryDict)
      .def("kubectl", [](const Run& r, std::int64_t at) {
        KubectlRows k = kubectlAt(*r.sim, at);
        py::dict d;
        d["NAME"] = k.name, d["READY"] = k.ready, d["STATUS"] = k.status, d["RESTARTS"] = k.restarts, d["AGE"] = k.age;
        return d;
      }, py::arg("at_ns"))
      .def("jsonl", [](const Run& r) {
        if (!r.sim->trace().enabled()) throw std::logic_error("this run was made with the trace off");
        std::ostringstream out;
        podsim::trace::writeJsonl(out, *r.sim);
        return out.str();
      })
      // Seconds each pod spent in each phase: the phase of each of its pod-status intervals
      // (report::PodTimeline, the one replay of a run: from a PodStatus record to the next, the pod's
      // removal or the end of the run), what Run.summary() reports as phase*: {"namespace/name": {"Running": s}}.
      .def("phase_times", [](const Run& r) {
        const podsim::trace::Trace& tr = r.sim->trace();
        if (!tr.stored()) throw std::logic_error("this run was made with the trace off");
        const auto& pods = r.sim->scenario().pods;
        constexpr std::size_t kPhases = 5;
        std::vector<std::array<podsim::sim::Time, kPhases>> acc(pods.size());
        std::vector<std::uint8_t> seen(pods.size(), 0);
        {
          py::gil_scoped_release release;
          const std::vector<podsim::report::PodTimeline> timelines = podsim::report::PodTimeline::forRun(*r.sim);
          for (std::size_t p = 0; p < pods.size(); ++p) {
            acc[p].fill(0);
            const podsim::report::PodTimeline& tl = timelines[p];
            seen[p] = tl.createdAt() >= 0 || tl.removedAt() >= 0 ? 1 : 0;
            const auto& intervals = tl.statusIntervals();
            for (std::size_t i = 0; i < intervals.size(); ++i) {
              const podsim::report::PodStatusInterval& iv = intervals[i];
              // The last interval of a pod still there runs to the scenario's duration.
              const podsim::sim::Time end = i + 1 == intervals.size() && tl.removedAt() < 0 ? r.sim->duration() : iv.end;
              const auto phase = static_cast<std::size_t>(tr.podStatusAt(tr.records()[iv.record]).phase);
              if (end > iv.begin && phase < kPhases) acc[p][phase] += end - iv.begin;
            }
          }
        }
        py::dict out;
        for (std::size_t p = 0; p < pods.size(); ++p) {
          if (seen[p] == 0) continue;
          py::dict d;
          for (std::size_t ph = 0; ph < kPhases; ++ph) {
            if (acc[p][ph] > 0) d[py::str(std::string(podsim::api::toString(static_cast<podsim::api::PodPhase>(ph))))] = static_cast<double>(acc[p][ph]) / 1e9;
          }
          out[py::str(pods[p].pod.key())] = d;
        }
        return out;
      })
      // Every line the containers wrote (trace Log records), in order: what Run.logs() returns.
      .def("log_columns", [](const Run& r) {
        const podsim::trace::Trace& tr = r.sim->trace();
        if (!tr.stored()) throw std::logic_error("this run was made with the trace off");
        const auto& sc = r.sim->scenario();
        py::list pod, container, restartCount, stream, t, text;
        for (const podsim::trace::Record& rec : tr.records()) {
          if (rec.type != podsim::trace::RecordType::Log) continue;
          const podsim::trace::LogRecord& l = tr.logAt(rec);
          const podsim::api::Pod& p = sc.pods[static_cast<std::size_t>(rec.pod)].pod;
          pod.append(p.key());
          container.append(p.container(static_cast<std::size_t>(l.container)).name);
          restartCount.append(l.restartCount);
          stream.append(l.isStderr ? "stderr" : "stdout");
          t.append(static_cast<double>(rec.t) / 1e9);
          text.append(podsim::trace::logLine(sc, l.text, rec.t));
        }
        py::dict d;
        d["pod"] = pod, d["container"] = container, d["restartCount"] = restartCount, d["stream"] = stream, d["t"] = t, d["text"] = text;
        return d;
      })
      .def("table", [](const Run& r) {
        if (!r.sim->trace().enabled()) throw std::logic_error("this run was made with the trace off");
        std::ostringstream out;
        podsim::trace::writeTable(out, *r.sim);
        return out.str();
      });

  py::class_<SweepJob>(m, "SweepJob")
      .def(py::init<std::string, std::string, std::vector<OverrideList>, std::vector<std::uint64_t>, unsigned,
                    const std::vector<std::string>&>(),
           py::arg("text"), py::arg("label"), py::arg("variants"), py::arg("seeds"), py::arg("threads") = 0,
           py::arg("metrics") = std::vector<std::string>{})
      .def("start", &SweepJob::start)
      .def("wait", &SweepJob::wait, py::arg("timeout"))
      .def_property_readonly("done", &SweepJob::done)
      .def_property_readonly("total", &SweepJob::total)
      .def("cancel", &SweepJob::cancel)
      .def("result", &SweepJob::result);

  // Whether a sweep's runs may differ by seed (engine::sweepUsesRandomness): podsim.sweep warns once when not.
  m.def("sweep_uses_randomness", [](const std::string& text, const std::string& label, const std::vector<OverrideList>& variants) {
    std::vector<std::vector<scenario::Override>> ov;
    for (const auto& v : variants) ov.push_back(toOverrides(v));
    return podsim::engine::sweepUsesRandomness(scenario::loadScenarioString(text, label), text, label, ov);
  }, py::arg("text"), py::arg("label"), py::arg("variants"));
  m.def("hardware_threads", [] { return std::max(1u, std::thread::hardware_concurrency()); });
  // Durations as scenario files write them (Go syntax or seconds) <-> integer ns; std::invalid_argument
  // (bad text) becomes ValueError.
  m.def("parse_duration", [](const std::string& text) { return scenario::parseDuration(text); }, py::arg("text"));
  m.def("format_duration", [](std::int64_t ns) { return scenario::formatDuration(ns); }, py::arg("ns"));
}
