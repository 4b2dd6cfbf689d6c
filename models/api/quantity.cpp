// models/api/quantity.cpp: resource.Quantity parsing and printing (see quantity.hpp;
// source k8s.io/apimachinery/pkg/api/resource quantity.go ParseQuantity, Quantity.String).
#include "models/api/quantity.hpp"

#include <cstdint>
#include <map>
#include <utility>

namespace podsim::api {

namespace {
__extension__ typedef __int128 Wide;  // exact products of decimal digits and unit factors
ParsedQuantity failed(std::string message) { return {0, std::move(message)}; }
}  // namespace

ParsedQuantity parseQuantity(std::string_view written, int scaleExp) {
  const std::string s(written);
  const std::string bad = "Invalid value: \"" + s +
                          "\": quantities must match the regular expression "
                          "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  Wide mantissa = 0;
  int fracDigits = 0, digits = 0;
  bool dot = false;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (dot) return failed(bad);
      dot = true;
      continue;
    }
    if (++digits > 30) return failed("Invalid value: \"" + s + "\": too many digits");
    mantissa = mantissa * 10 + (s[i] - '0');
    if (dot) ++fracDigits;
  }
  if (digits == 0) return failed(bad);
  const std::string suffix = s.substr(i);
  int exp10 = 0, exp2 = 0;
  static const std::map<std::string, std::pair<int, int>> kSuffix = {
      {"", {0, 0}}, {"n", {-9, 0}}, {"u", {-6, 0}}, {"m", {-3, 0}}, {"k", {3, 0}}, {"M", {6, 0}}, {"G", {9, 0}},
      {"T", {12, 0}}, {"P", {15, 0}}, {"E", {18, 0}}, {"Ki", {0, 10}}, {"Mi", {0, 20}}, {"Gi", {0, 30}},
      {"Ti", {0, 40}}, {"Pi", {0, 50}}, {"Ei", {0, 60}}};
  if (const auto it = kSuffix.find(suffix); it != kSuffix.end()) {
    exp10 = it->second.first;
    exp2 = it->second.second;
  } else if ((suffix[0] == 'e' || suffix[0] == 'E') && suffix.size() > 1) {
    std::size_t j = 1;
    const bool neg = suffix[j] == '-';
    if (suffix[j] == '-' || suffix[j] == '+') ++j;
    if (j == suffix.size() || suffix.size() - j > 3 || suffix.find_first_not_of("0123456789", j) != std::string::npos) return failed(bad);
    exp10 = std::stoi(suffix.substr(j)) * (neg ? -1 : 1);
  } else {
    return failed(bad);
  }
  if (negative && mantissa != 0) return failed("Invalid value: \"" + s + "\": must be greater than or equal to 0");
  // value = mantissa * 2^exp2 * 10^(exp10 + scaleExp - fracDigits), rounded up.
  const int e = exp10 + scaleExp - fracDigits;
  if (e > 30 || e < -60) return failed("Invalid value: \"" + s + "\": out of range");
  Wide v = mantissa;
  for (int k = 0; k < exp2; ++k) {
    v *= 2;
    if (v > static_cast<Wide>(INT64_MAX)) return failed("Invalid value: \"" + s + "\": out of range");
  }
  if (e >= 0) {
    for (int k = 0; k < e; ++k) {
      v *= 10;
      if (v > static_cast<Wide>(INT64_MAX)) return failed("Invalid value: \"" + s + "\": out of range");
    }
  } else {
    Wide div = 1;
    bool tiny = false;
    for (int k = 0; k < -e; ++k) {
      if (div > static_cast<Wide>(INT64_MAX)) { tiny = true; break; }
      div *= 10;
    }
    v = tiny ? (v > 0 ? 1 : 0) : (v + div - 1) / div;
  }
  if (v > static_cast<Wide>(INT64_MAX)) return failed("Invalid value: \"" + s + "\": out of range");
  return {static_cast<std::int64_t>(v), {}};
}

std::string canonicalQuantity(std::int64_t v, int scaleExp, std::string_view written) {
  const bool binary = written.size() >= 2 && written.back() == 'i';
  if (binary && scaleExp == 0 && v > 0) {
    static const char* const kBin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int k = 0;
    while (k < 6 && v % 1024 == 0) {
      v /= 1024;
      ++k;
    }
    return std::to_string(v) + kBin[k];
  }
  static const char* const kDec[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  int k = 3 - scaleExp / 3;  // the suffix of one unit of v: "" for bytes, "m" for millicores
  if (v == 0) return "0";
  while (k < 9 && v % 1000 == 0) {
    v /= 1000;
    ++k;
  }
  return std::to_string(v) + kDec[k];
}

}  // namespace podsim::api
