// models/api/helpers.cpp: GetPodQOS (see helpers.hpp).
#include "models/api/helpers.hpp"

namespace podsim::api {

PodQOSClass GetPodQOS(const Pod& pod) noexcept {
  bool any = false, guaranteed = true;
  for (std::size_t ci = 0; ci < pod.containerCount(); ++ci) {
    const ResourceRequirements& r = pod.container(ci).resources;
    const std::int64_t reqCpu = r.requests.cpuMilli >= 0 ? r.requests.cpuMilli : r.limits.cpuMilli;
    const std::int64_t reqMem = r.requests.memoryBytes >= 0 ? r.requests.memoryBytes : r.limits.memoryBytes;
    any = any || reqCpu > 0 || reqMem > 0 || r.limits.cpuMilli > 0 || r.limits.memoryBytes > 0;
    if (r.limits.cpuMilli <= 0 || r.limits.memoryBytes <= 0 || reqCpu != r.limits.cpuMilli || reqMem != r.limits.memoryBytes) {
      guaranteed = false;
    }
  }
  return !any ? PodQOSClass::BestEffort : guaranteed ? PodQOSClass::Guaranteed : PodQOSClass::Burstable;
}

}  // namespace podsim::api
