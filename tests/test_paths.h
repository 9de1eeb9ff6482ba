// Where tests find generated fixtures, ../shared, and the nacre binary; and a way to run it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nacre::testing {

std::string fixtures_dir();  // build/fixtures (made by tests/fixtures/make_fixtures.py)
std::string fixture(const std::string& file_name);  // fixtures_dir()/file_name
std::string shared_dir();                           // ../shared beside the source tree
std::string cifar10_dir();                          // build/data/cifar10 (unpacked from ../shared/data)
std::string fashion_mnist_dir();                    // Debian's dataset-fashion-mnist
std::string build_dir();
std::string scratch_dir(const std::string& test_name);  // a fresh, empty folder under build/test-scratch

nlohmann::json read_json_file(const std::string& path);  // a JSON file a command wrote

struct CommandResult {
  int exit_code = 0;
  std::string output;  // stdout and stderr together
};
// Runs build/nacre with the given argument string (shell-quoted by the caller).
CommandResult run_nacre(const std::string& arguments);

}  // namespace nacre::testing
