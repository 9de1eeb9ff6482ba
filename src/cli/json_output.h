// Writes the machine-readable result of a command: to a file, or to stdout when the path is "-".
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace nacre::cli {

void write_json(const nlohmann::json& json, const std::string& path);

}  // namespace nacre::cli
