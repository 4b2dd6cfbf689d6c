// models/scenario/scenario.cpp: the InputError message format (file:line:col: fieldPath: detail; one line per
// error of an aggregate, then `KIND "name" is invalid: N errors`).
#include "models/scenario/scenario.hpp"

#include <utility>

namespace podsim::scenario {
namespace {

std::string formatAll(const std::vector<InputError>& all, const std::string& summary) {
  std::string s;
  for (const auto& e : all) s += std::string(e.what()) + "\n";
  return s + summary + " is invalid: " + std::to_string(all.size()) + " errors";
}

std::string formatInputError(const std::string& file, int line, int column, const std::string& fieldPath,
                             const std::string& message) {
  std::string s = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  if (!fieldPath.empty()) s += fieldPath + ": ";
  return s + message;
}

}  // namespace

InputError::InputError(std::string file_, int line_, int column_, std::string fieldPath_, const std::string& message)
    : std::runtime_error(formatInputError(file_, line_, column_, fieldPath_, message)),
      file(std::move(file_)),
      line(line_),
      column(column_),
      fieldPath(std::move(fieldPath_)),
      detail(message) {}

InputError::InputError(const std::vector<InputError>& all, const std::string& summary)
    : std::runtime_error(formatAll(all, summary)),
      file(all.at(0).file),
      line(all.at(0).line),
      column(all.at(0).column),
      fieldPath(all.at(0).fieldPath),
      detail(all.at(0).detail),
      errors(all) {}

}  // namespace podsim::scenario
