// models/engine/sweep.cpp: variants x seeds on a pool of std::jthreads, rows in a fixed order.
#include "models/engine/sweep.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "models/scenario/loader.hpp"

namespace podsim::engine {

std::vector<SweepPod> sweepPods(const Simulation& sim) {
  std::vector<SweepPod> out;
  const auto summaries = sim.summaries();
  out.reserve(summaries.size());
  const double duration = static_cast<double>(sim.duration());
  for (const PodSummary& s : summaries) {
    SweepPod p;
    p.name = s.name;
    p.phase = std::string(api::toString(s.phase));
    p.status = s.status;
    p.ready = s.ready;
    p.total = s.total;
    p.restarts = s.restarts;
    p.initializedAt = s.initializedAt;
    p.readyAt = s.readyAt;
    p.readyTime = s.readyTime;
    p.fractionReady = duration > 0 ? static_cast<double>(s.readyTime) / duration : 0.0;
    out.push_back(std::move(p));
  }
  return out;
}

std::pair<std::string, std::string> metricOwner(const scenario::Scenario& sc, const trace::MetricKey& key) {
  if (key.pod < 0 || static_cast<std::size_t>(key.pod) >= sc.pods.size()) return {"?", key.container < 0 ? "" : "?"};
  const api::Pod& pod = sc.pods[static_cast<std::size_t>(key.pod)].pod;
  if (key.container < 0) return {pod.key(), ""};
  if (static_cast<std::size_t>(key.container) >= pod.containerCount()) return {pod.key(), "?"};
  return {pod.key(), pod.container(static_cast<std::size_t>(key.container)).name};
}

std::string metricColumn(const scenario::Scenario& sc, const trace::MetricKey& key) {
  auto [pod, container] = metricOwner(sc, key);
  return container.empty() ? pod + "." + key.name() : pod + "." + container + "." + key.name();
}

trace::MetricMask metricMask(const std::vector<std::string>& names, const std::string& field) {
  trace::MetricMask mask = 0;
  for (const auto& n : names) {
    const auto m = trace::metricFromString(n);
    if (!m) {
      std::string supported;
      for (std::size_t i = 0; i < static_cast<std::size_t>(trace::Metric::Count); ++i) {
        supported += std::string(i == 0 ? "" : ", ") + "\"" + std::string(trace::toString(static_cast<trace::Metric>(i))) + "\"";
      }
      throw scenario::InputError("<command line>", 0, 0, field, "Unsupported value: \"" + n + "\": supported values: " + supported);
    }
    mask |= trace::bit(*m);
  }
  return mask;
}

std::vector<SweepRow> runSweep(const std::string& yaml, const std::string& fileLabel, std::vector<SweepVariant> variants,
                               const std::vector<std::uint64_t>& seeds, const SweepOptions& options,
                               SweepProgress* progress) {
  if (variants.empty()) variants.emplace_back();
  const std::size_t nv = variants.size();
  const std::size_t ns = seeds.size();
  std::vector<SweepRow> rows(nv * ns);
  for (std::size_t v = 0; v < nv; ++v) {
    for (std::size_t s = 0; s < ns; ++s) {
      rows[v * ns + s].variant = v;
      rows[v * ns + s].seed = seeds[s];
    }
  }
  if (rows.empty()) return rows;

  // The text parsed once; each variant made from it on the worker thread that first needs it (the
  // overrides applied to the loaded model where they can be, else the text loaded again), then run for
  // each of its seeds, so runs start at once and variants load in parallel. A variant that does not load
  // gives its error to each of its rows; the last row of a variant releases its scenario.
  std::unique_ptr<scenario::PreparedScenario> prepared;
  std::string baseError;
  try {
    prepared = std::make_unique<scenario::PreparedScenario>(yaml, fileLabel);
  } catch (const std::exception& e) {
    baseError = e.what();  // a variant's overrides may still mend the text: each tries the full route
  }
  struct Slot {
    std::once_flag once;
    std::shared_ptr<const scenario::Scenario> scenario;
    std::string error;
    std::atomic<std::size_t> remaining{0};
  };
  std::vector<Slot> slots(nv);
  for (auto& slot : slots) slot.remaining.store(ns, std::memory_order_relaxed);
  auto load = [&](std::size_t v) {
    Slot& slot = slots[v];
    std::call_once(slot.once, [&] {
      try {
        if (prepared) {
          slot.scenario = std::make_shared<const scenario::Scenario>(prepared->variant(variants[v].overrides));
        } else if (variants[v].overrides.empty()) {
          slot.error = baseError;
        } else {
          slot.scenario = std::make_shared<const scenario::Scenario>(
              scenario::loadScenarioString(scenario::applyOverrides(yaml, variants[v].overrides, fileLabel), fileLabel));
        }
      } catch (const std::exception& e) {
        slot.error = e.what();
      }
    });
    return slot.scenario;
  };

  RunOptions base = options.run;
  base.recordTrace = false;
  base.overrideSeed = true;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    RunOptions o = base;
    // One Simulation per thread and variant, reset between its runs (no allocation once grown); a run
    // that threw leaves it for a new one. `held` keeps the variant's scenario alive while `sim` uses it.
    std::unique_ptr<Simulation> sim;
    std::shared_ptr<const scenario::Scenario> held;
    std::size_t simVariant = 0;
    trace::Metrics metrics(options.metrics);
    std::vector<std::int32_t> containers;  // per pod of the current variant, for metrics.begin
    if (options.metrics != 0) o.traceSink = &metrics;
    for (std::size_t i = next++; i < rows.size(); i = next++) {
      SweepRow& row = rows[i];
      Slot& slot = slots[row.variant];
      if (progress != nullptr && progress->cancel.load(std::memory_order_relaxed)) {
        row.error = "cancelled";
      } else if (auto sc = load(row.variant); !sc) {
        row.error = slot.error;
      } else {
        try {
          o.seed = row.seed;
          if (options.metrics != 0) {
            containers.clear();
            for (const auto& pe : sc->pods) containers.push_back(static_cast<std::int32_t>(pe.pod.containerCount()));
            metrics.begin(containers);
          }
          if (sim && simVariant == row.variant) {
            sim->reset(o);
          } else {
            sim.reset();
            held = std::move(sc);
            sim = std::make_unique<Simulation>(*held, o);
            simVariant = row.variant;
          }
          sim->run();
          row.duration = sim->duration();
          row.events = sim->processedEvents();
          row.pods = sweepPods(*sim);
          if (options.metrics != 0) {
            metrics.finish(sim->duration());
            metrics.appendValues(row.metrics);
          }
        } catch (const std::exception& e) {
          row.error = e.what();
          row.pods.clear();
          sim.reset();
        }
      }
      if (slot.remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        // The variant's last row: no other thread needs its scenario (this thread's `held` may still).
        std::call_once(slot.once, [] {});
        slot.scenario.reset();
      }
      if (progress != nullptr) progress->done.fetch_add(1, std::memory_order_relaxed);
    }
  };
  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, rows.size()));
  if (threads <= 1) {
    worker();
    return rows;
  }
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  }  // jthreads join here
  return rows;
}

}  // namespace podsim::engine
