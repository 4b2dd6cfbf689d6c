// models/api/image_reference.cpp: the image reference split, grammar check and normalisation
// (see image_reference.hpp; source github.com/distribution/reference normalize.go, regexp.go).
#include "models/api/image_reference.hpp"

namespace podsim::api {

namespace {
constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";

// splitDockerDomain: the first component is a host when it has a '.' or ':' or is "localhost".
bool isHost(std::string_view first) noexcept {
  return first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos || first == "localhost";
}

bool tagValid(std::string_view tag) noexcept {
  if (tag.empty() || tag.size() > 128) return false;
  for (std::size_t i = 0; i < tag.size(); ++i) {
    const char ch = tag[i];
    const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    if (!word && (i == 0 || (ch != '.' && ch != '-'))) return false;
  }
  return true;
}

// The path components: [a-z0-9]+ joined by '.', '_', '__' or '-'; the first may be a host.
bool nameValid(std::string_view name) noexcept {
  std::size_t start = 0;
  bool first = true;
  while (start <= name.size()) {
    const auto end = name.find('/', start);
    const std::string_view comp = name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (comp.empty()) return false;
    if (!(first && end != std::string_view::npos && isHost(comp))) {
      for (std::size_t i = 0; i < comp.size(); ++i) {
        const char ch = comp[i];
        const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        const bool sep = ch == '.' || ch == '_' || ch == '-';
        if (!alnum && !sep) return false;
        if (sep && (i == 0 || i + 1 == comp.size())) return false;
      }
    }
    first = false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}
}  // namespace

ImageReference parseImageReference(std::string_view ref) noexcept {
  ImageReference r;
  if (const auto slash = ref.find('/'); slash != std::string_view::npos && isHost(ref.substr(0, slash))) {
    r.domain = ref.substr(0, slash);
  }
  std::string_view name = ref;
  if (const auto at = ref.find('@'); at != std::string_view::npos) {
    r.hasDigest = true;
    r.digest = ref.substr(at + 1);
    name = ref.substr(0, at);
  }
  r.repository = name;
  const auto slash = name.rfind('/');
  if (const auto colon = name.rfind(':'); colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.hasTag = true;
    r.tag = name.substr(colon + 1);
    r.repository = name.substr(0, colon);
  }
  r.valid = !ref.empty() && (!r.hasTag || tagValid(r.tag)) && nameValid(r.repository);
  return r;
}

bool validImageReference(std::string_view ref) noexcept { return parseImageReference(ref).valid; }

std::string registryOf(std::string_view ref) {
  const auto r = parseImageReference(ref);
  return std::string(r.domain.empty() ? kDefaultDomain : r.domain);
}

std::string normalizedName(std::string_view repository) {
  const auto slash = repository.find('/');
  if (slash == std::string_view::npos) {
    return std::string(kDefaultDomain) + "/" + std::string(kOfficialRepoPrefix) + std::string(repository);
  }
  if (isHost(repository.substr(0, slash))) return std::string(repository);
  return std::string(kDefaultDomain) + "/" + std::string(repository);
}

std::string familiarName(std::string_view repository) {
  std::string n = normalizedName(repository);
  const std::string docker = std::string(kDefaultDomain) + "/";
  if (n.rfind(docker, 0) != 0) return n;
  n.erase(0, docker.size());
  if (n.rfind(kOfficialRepoPrefix, 0) == 0 && n.find('/', kOfficialRepoPrefix.size()) == std::string::npos) {
    n.erase(0, kOfficialRepoPrefix.size());
  }
  return n;
}

}  // namespace podsim::api
