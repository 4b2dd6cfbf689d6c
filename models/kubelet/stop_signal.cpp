// models/kubelet/stop_signal.cpp: see stop_signal.hpp.
#include "models/kubelet/stop_signal.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace podsim::kubelet {

namespace {

struct NamedSignal {
  std::string_view name;
  int number;
};

// validation.go supportedStopSignalsLinux, in its order, with the x86-64 numbers (signal(7)).
constexpr std::array<NamedSignal, 65> kSignals = {{
    {"SIGABRT", 6},          {"SIGALRM", 14},         {"SIGBUS", 7},           {"SIGCHLD", 17},
    {"SIGCLD", 17},          {"SIGCONT", 18},         {"SIGFPE", 8},           {"SIGHUP", 1},
    {"SIGILL", 4},           {"SIGINT", 2},           {"SIGIO", 29},           {"SIGIOT", 6},
    {"SIGKILL", 9},          {"SIGPIPE", 13},         {"SIGPOLL", 29},         {"SIGPROF", 27},
    {"SIGPWR", 30},          {"SIGQUIT", 3},          {"SIGSEGV", 11},         {"SIGSTKFLT", 16},
    {"SIGSTOP", 19},         {"SIGSYS", 31},          {"SIGTERM", 15},         {"SIGTRAP", 5},
    {"SIGTSTP", 20},         {"SIGTTIN", 21},         {"SIGTTOU", 22},         {"SIGURG", 23},
    {"SIGUSR1", 10},         {"SIGUSR2", 12},         {"SIGVTALRM", 26},       {"SIGWINCH", 28},
    {"SIGXCPU", 24},         {"SIGXFSZ", 25},         {"SIGRTMIN", 34},        {"SIGRTMIN+1", 35},
    {"SIGRTMIN+2", 36},      {"SIGRTMIN+3", 37},      {"SIGRTMIN+4", 38},      {"SIGRTMIN+5", 39},
    {"SIGRTMIN+6", 40},      {"SIGRTMIN+7", 41},      {"SIGRTMIN+8", 42},      {"SIGRTMIN+9", 43},
    {"SIGRTMIN+10", 44},     {"SIGRTMIN+11", 45},     {"SIGRTMIN+12", 46},     {"SIGRTMIN+13", 47},
    {"SIGRTMIN+14", 48},     {"SIGRTMIN+15", 49},     {"SIGRTMAX-14", 50},     {"SIGRTMAX-13", 51},
    {"SIGRTMAX-12", 52},     {"SIGRTMAX-11", 53},     {"SIGRTMAX-10", 54},     {"SIGRTMAX-9", 55},
    {"SIGRTMAX-8", 56},      {"SIGRTMAX-7", 57},      {"SIGRTMAX-6", 58},      {"SIGRTMAX-5", 59},
    {"SIGRTMAX-4", 60},      {"SIGRTMAX-3", 61},      {"SIGRTMAX-2", 62},      {"SIGRTMAX-1", 63},
    {"SIGRTMAX", 64},
}};

constexpr int kSigkill = 9;

// field.NotSupported's detail: the values quoted, sorted as sets.List sorts strings.
std::string supportedValues(std::vector<std::string_view> names) {
  std::sort(names.begin(), names.end());
  std::string s = "supported values: ";
  for (std::size_t i = 0; i < names.size(); ++i) s += (i == 0 ? "\"" : ", \"") + std::string(names[i]) + "\"";
  return s;
}

}  // namespace

std::string_view stopSignalName(std::int32_t id) noexcept {
  if (id <= 0 || static_cast<std::size_t>(id) > kSignals.size()) return "";
  return kSignals[static_cast<std::size_t>(id) - 1].name;
}

std::int32_t stopSignalId(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kSignals.size(); ++i) {
    if (kSignals[i].name == name) return static_cast<std::int32_t>(i + 1);
  }
  return 0;
}

int stopSignalNumber(std::int32_t id) noexcept {
  if (id <= 0 || static_cast<std::size_t>(id) > kSignals.size()) return 0;
  return kSignals[static_cast<std::size_t>(id) - 1].number;
}

StopSignalVerdict validateContainerStopSignal(KubernetesVersion version, const FeatureGateOverrides& gates,
                                              const std::string& path, const std::string& stopSignal,
                                              const std::optional<std::string>& osName) {
  StopSignalVerdict v;
  if (!gateSpec(Gate::ContainerStopSignals, version).known) {
    v.error = "strict decoding error: unknown field \"" + path + ".lifecycle.stopSignal\"";
    v.pathless = true;
    return v;
  }
  if (!featureEnabled(Gate::ContainerStopSignals, version, gates)) {
    v.dropped = true;
    return v;
  }
  if (!osName) {
    v.error = "Forbidden: may not be set for containers with empty `spec.os.name`";
  } else if (*osName == "windows") {
    if (stopSignal != "SIGKILL" && stopSignal != "SIGTERM") {
      v.error = "Unsupported value: \"" + stopSignal + "\": " + supportedValues({"SIGKILL", "SIGTERM"});
    }
  } else if (*osName == "linux") {
    if (stopSignalId(stopSignal) == 0) {
      std::vector<std::string_view> names;
      for (const auto& s : kSignals) names.push_back(s.name);
      v.error = "Unsupported value: \"" + stopSignal + "\": " + supportedValues(std::move(names));
    }
  }
  return v;
}

std::int32_t effectiveStopSignal(std::int32_t specId, std::string_view imageStopSignal) noexcept {
  if (specId > 0) return specId;
  if (const std::int32_t image = stopSignalId(imageStopSignal); image > 0) return image;
  return stopSignalId("SIGTERM");
}

StopOutcome pid1StopOutcome(std::int32_t id, bool handles) noexcept {
  if (stopSignalNumber(id) == kSigkill) return StopOutcome::KilledAtOnce;
  return handles ? StopOutcome::Handled : StopOutcome::Ignored;
}

std::int32_t exitCodeBySignal(std::int32_t id) noexcept { return 128 + stopSignalNumber(id); }

}  // namespace podsim::kubelet
