// Parsing of the small values users type on the command line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nacre {

// "1,3,32,32" -> {1,3,32,32}; "?" or "-1" for an unknown dimension. Throws Error naming `what` on bad input.
std::vector<int64_t> parse_int_list(const std::string& text, const std::string& what);
// "0.49,0.48,0.45" -> floats.
std::vector<float> parse_float_list(const std::string& text, const std::string& what);

// "90s", "60m", "1.5h" or plain seconds "3600" -> seconds. Throws Error naming `what` on bad input.
double parse_duration(const std::string& text, const std::string& what);

}  // namespace nacre
