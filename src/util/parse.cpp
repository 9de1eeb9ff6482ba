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

double parse_duration(const std::string& text, const std::string& what) {
  double scale = 1;
  std::string number = text;
  if (!text.empty() && (text.back() == 's' || text.back() == 'm' || text.back() == 'h')) {
    scale = text.back() == 'h' ? 3600 : (text.back() == 'm' ? 60 : 1);
    number = text.substr(0, text.size() - 1);
  }
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != number.size() || value <= 0) {
    throw make_error(what, ": '", text, "' is not a duration; write e.g. 90s, 60m or 1.5h");
  }
  return value * scale;
}

}  // namespace nacre
