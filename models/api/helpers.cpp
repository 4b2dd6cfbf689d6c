// models/api/helpers.cpp: GetPodQOS (see helpers.hpp).
#include "models/api/helpers.hpp"

#include <cctype>

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

std::string probeHandlerText(const Probe& probe) {
  const ProbeHandler& h = probe.handler;
  switch (probe.kind) {
    case HandlerKind::Exec: {
      std::string joined;
      for (const auto& word : h.command) joined += (joined.empty() ? "" : " ") + word;
      return "exec [" + joined + "]";
    }
    case HandlerKind::HttpGet: {
      std::string scheme = h.scheme;
      for (char& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return "http-get " + scheme + "://" + h.host + ":" + h.port + h.path;
    }
    case HandlerKind::TcpSocket: return "tcp-socket " + h.host + ":" + h.port;
    case HandlerKind::Grpc: return "grpc <pod>:" + h.port + " " + h.service;
    default: return "";
  }
}

}  // namespace podsim::api
