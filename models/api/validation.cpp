// models/api/validation.cpp: the API server's name and port-name checks (see validation.hpp).
#include "models/api/validation.hpp"

namespace podsim::api {

const std::string kDNS1123SubdomainErrorMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kDNS1123LabelErrorMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

bool IsDNS1123Label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

bool IsDNS1123Subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const auto dot = s.find('.', start);
    const auto label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    for (const char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    if (label.front() == '-' || label.back() == '-') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string validatePortName(std::string_view n) {
  if (n.size() > 15) return "must be no more than 15 characters";
  bool letter = false;
  for (const char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
    letter = letter || (c >= 'a' && c <= 'z');
  }
  if (n.find("--") != std::string_view::npos) return "must not contain consecutive hyphens";
  if (!letter) return "must contain at least one letter (a-z)";
  if (n.front() == '-' || n.back() == '-') return "must not begin or end with a hyphen";
  return "";
}

}  // namespace podsim::api
