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

namespace {
const std::string kQualifiedNameRegexError =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
    "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

bool isQualifiedNamePart(std::string_view name) {
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (name.empty() || !alnum(name.front()) || !alnum(name.back())) return false;
  for (const char c : name) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}
}  // namespace

std::vector<std::string> validateQualifiedName(std::string_view value) {
  std::vector<std::string> errs;
  std::string_view name = value;
  if (const auto slash = value.find('/'); slash != std::string_view::npos) {
    if (value.find('/', slash + 1) != std::string_view::npos) {
      errs.push_back("a valid label key " + kQualifiedNameRegexError +
                     " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    const std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) errs.emplace_back("prefix part must be non-empty");
    else if (prefix.size() > 253) errs.emplace_back("prefix part must be no more than 253 characters");
    else if (!IsDNS1123Subdomain(prefix)) errs.push_back("prefix part " + kDNS1123SubdomainErrorMsg);
  }
  if (name.empty()) errs.emplace_back("name part must be non-empty");
  else if (name.size() > 63) errs.emplace_back("name part must be no more than 63 characters");
  if (!isQualifiedNamePart(name)) errs.push_back("name part " + kQualifiedNameRegexError);
  return errs;
}

}  // namespace podsim::api
