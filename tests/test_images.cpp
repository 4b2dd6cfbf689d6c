// tests/test_images.cpp: the image manager's decision (models/kubelet/images; image_manager.go
// EnsureImageExists, shouldPullImage) as a table of named cases against one base start.
#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include "models/kubelet/images.hpp"

using namespace podsim;
using api::PullPolicy;
using kubelet::ImageDecision;

namespace {

/// The base: a valid reference, IfNotPresent, the image missing, no back-off in force.
struct Input {
  bool valid = true;
  PullPolicy policy = PullPolicy::IfNotPresent;
  bool present = false;
  bool inBackOff = false;
};

}  // namespace

TEST_CASE("EnsureImageExists checks the reference, then PullNever, then shouldPullImage, then the back-off (image_manager.go)") {
  struct Case {
    const char* name;
    std::function<void(Input&)> mutate;
    ImageDecision expected;
  };
  const std::vector<Case> cases = {
      {"IfNotPresent, missing: pull", [](Input&) {}, ImageDecision::Pull},
      {"IfNotPresent, present: use it", [](Input& in) { in.present = true; }, ImageDecision::UsePresent},
      {"IfNotPresent, missing, in back-off: ImagePullBackOff", [](Input& in) { in.inBackOff = true; }, ImageDecision::ImagePullBackOff},
      {"IfNotPresent, present, back-off ignored", [](Input& in) { in.present = in.inBackOff = true; }, ImageDecision::UsePresent},
      {"Always, present: pull again", [](Input& in) { in.policy = PullPolicy::Always; in.present = true; }, ImageDecision::Pull},
      {"Always, in back-off: ImagePullBackOff",
       [](Input& in) { in.policy = PullPolicy::Always; in.present = in.inBackOff = true; }, ImageDecision::ImagePullBackOff},
      {"Never, missing: ErrImageNeverPull", [](Input& in) { in.policy = PullPolicy::Never; }, ImageDecision::ErrImageNeverPull},
      {"Never, present: use it", [](Input& in) { in.policy = PullPolicy::Never; in.present = true; }, ImageDecision::UsePresent},
      {"Never, missing, in back-off: still ErrImageNeverPull",
       [](Input& in) { in.policy = PullPolicy::Never; in.inBackOff = true; }, ImageDecision::ErrImageNeverPull},
      {"invalid reference: InvalidImageName before anything", [](Input& in) { in.valid = false; }, ImageDecision::InvalidImageName},
      {"invalid reference, present, Never: still InvalidImageName",
       [](Input& in) { in.valid = false; in.present = true; in.policy = PullPolicy::Never; }, ImageDecision::InvalidImageName},
  };
  for (const auto& c : cases) {
    Input in;
    c.mutate(in);
    CAPTURE(c.name);
    CHECK(kubelet::ensureImageExists(in.valid, in.policy, in.present, in.inBackOff) == c.expected);
  }
}

TEST_CASE("shouldPullImage pulls Always always, Never never, IfNotPresent when missing (image_manager.go shouldPullImage)") {
  struct Case {
    const char* name;
    PullPolicy policy;
    bool present;
    bool expected;
  };
  const std::vector<Case> cases = {
      {"Always, present", PullPolicy::Always, true, true},         {"Always, missing", PullPolicy::Always, false, true},
      {"IfNotPresent, present", PullPolicy::IfNotPresent, true, false}, {"IfNotPresent, missing", PullPolicy::IfNotPresent, false, true},
      {"Never, present", PullPolicy::Never, true, false},          {"Never, missing", PullPolicy::Never, false, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::shouldPullImage(c.policy, c.present) == c.expected);
  }
}
