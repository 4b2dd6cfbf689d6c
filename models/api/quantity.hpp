// models/api/quantity.hpp: Kubernetes resource.Quantity ("500m", "128Mi", "1e3") as an integer.
//
// Modelled on k8s.io/apimachinery/pkg/api/resource (quantity.go ParseQuantity, Quantity.String).
// Owns the parse of the written form into units * 10^scaleExp (cpu: millicores with scaleExp 3;
// memory: bytes with scaleExp 0) and the canonical text of a parsed value. Does not know YAML: the
// scenario reader adds the file position and field path to an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace podsim::api {

/// Result of parseQuantity: `value` when `error` is empty, else the API's message without location
/// (e.g. `Invalid value: "1x": quantities must match the regular expression '...'`).
struct ParsedQuantity {
  std::int64_t value = 0;
  std::string error;
};

/// Parses a quantity matching `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$` into units of
/// 10^-scaleExp (rounded up, as the API's ScaledValue). Errors (in `error`): not matching the expression,
/// more than 30 digits, negative, or out of int64 range. Source: quantity.go ParseQuantity.
ParsedQuantity parseQuantity(std::string_view written, int scaleExp);

/// resource.Quantity.String() of a parsed quantity (v units of 10^-scaleExp): binary suffixes (Ki..Ei)
/// when it was written with one and divides evenly, else decimal ones (m, "", k, M, ... E).
/// Simplification: the API's DecimalExponent form (1e3) prints here as a decimal suffix.
std::string canonicalQuantity(std::int64_t v, int scaleExp, std::string_view written);

}  // namespace podsim::api
