// models/scenario/scenario.cpp: the InputError message format (file:line:col: fieldPath: detail).
#include "models/scenario/scenario.hpp"

#include <utility>

namespace podsim::scenario {
namespace {

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

}  // namespace podsim::scenario
