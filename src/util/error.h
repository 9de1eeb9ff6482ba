// One error type for the whole library: what went wrong, where, and what to do.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace nacre {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Builds an Error from any streamable pieces: throw make_error("node ", name, ": bad axis ", axis);
template <typename... Parts>
Error make_error(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return Error(out.str());
}

}  // namespace nacre
