// models/api/defaults.cpp: the API defaults that depend on other fields (see defaults.hpp).
#include "models/api/defaults.hpp"

#include "models/api/image_reference.hpp"

namespace podsim::api {

PullPolicy defaultImagePullPolicy(std::string_view image) noexcept {
  const ImageReference ref = parseImageReference(image);
  if (ref.hasDigest) return ref.hasTag && ref.tag == "latest" ? PullPolicy::Always : PullPolicy::IfNotPresent;
  if (!ref.hasTag) return PullPolicy::Always;
  return ref.tag == "latest" ? PullPolicy::Always : PullPolicy::IfNotPresent;
}

void SetDefaults_Container(Container& c, bool pullPolicyWritten) noexcept {
  if (!pullPolicyWritten) c.imagePullPolicy = defaultImagePullPolicy(c.image);
}

}  // namespace podsim::api
