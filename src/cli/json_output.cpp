#include "cli/json_output.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace nacre::cli {

void write_json(const nlohmann::json& json, const std::string& path) {
  if (path == "-") {
    std::cout << json.dump(2) << "\n";
    return;
  }
  std::ofstream file(path);
  if (!file) throw make_error("cannot write ", path, ": check that its folder exists and is writable");
  file << json.dump(2) << "\n";
  if (!file) throw make_error("writing ", path, " failed");
}

}  // namespace nacre::cli
