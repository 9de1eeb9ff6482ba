#include "util/parse.h"

#include <sstream>

#include "util/error.h"

namespace nacre {

namespace {

std::vector<std::string> split_commas(const std::string& text, const std::string& what) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) parts.push_back(part);
  if (parts.empty()) throw make_error(what, ": expected a comma-separated list, got '", text, "'");
  return parts;
}

}  // namespace

std::vector<int64_t> parse_int_list(const std::string& text, const std::string& what) {
  std::vector<int64_t> values;
  for (const std::string& part : split_commas(text, what)) {
    if (part == "?") {
      values.push_back(-1);
      continue;
    }
    size_t used = 0;
    try {
      values.push_back(std::stoll(part, &used));
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size()) {
      throw make_error(what, ": '", part, "' in '", text, "' is not an integer");
    }
  }
  return values;
}

std::vector<float> parse_float_list(const std::string& text, const std::string& what) {
  std::vector<float> values;
  for (const std::string& part : split_commas(text, what)) {
    size_t used = 0;
    try {
      values.push_back(std::stof(part, &used));
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size()) {
      throw make_error(what, ": '", part, "' in '", text, "' is not a number");
    }
  }
  return values;
}

}  // namespace nacre
