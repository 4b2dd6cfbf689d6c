// models/engine/sweep.cpp: variants x seeds on a pool of std::jthreads, rows in a fixed order.
#include "models/engine/sweep.hpp"

#include <algorithm>
#include <memory>
#include <optional>
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

  // Each variant loaded once (a scenario is immutable once loaded, so every thread shares it); a variant
  // that does not load gives its error to each of its rows.
  std::vector<std::optional<scenario::Scenario>> loaded(nv);
  std::vector<std::string> loadErrors(nv);
  for (std::size_t v = 0; v < nv; ++v) {
    try {
      loaded[v] = scenario::loadScenarioString(scenario::applyOverrides(yaml, variants[v].overrides, fileLabel), fileLabel);
    } catch (const std::exception& e) {
      loadErrors[v] = e.what();
    }
  }

  RunOptions base = options.run;
  base.recordTrace = false;
  base.overrideSeed = true;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    RunOptions o = base;
    // One Simulation per thread and variant, reset between its runs (no allocation once grown); a run
    // that threw leaves it for a new one.
    std::unique_ptr<Simulation> sim;
    std::size_t simVariant = 0;
    for (std::size_t i = next++; i < rows.size(); i = next++) {
      SweepRow& row = rows[i];
      if (progress != nullptr && progress->cancel.load(std::memory_order_relaxed)) {
        row.error = "cancelled";
      } else if (!loaded[row.variant]) {
        row.error = loadErrors[row.variant];
      } else {
        try {
          o.seed = row.seed;
          if (sim && simVariant == row.variant) {
            sim->reset(o);
          } else {
            sim = std::make_unique<Simulation>(*loaded[row.variant], o);
            simVariant = row.variant;
          }
          sim->run();
          row.duration = sim->duration();
          row.events = sim->processedEvents();
          row.pods = sweepPods(*sim);
        } catch (const std::exception& e) {
          row.error = e.what();
          row.pods.clear();
          sim.reset();
        }
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
