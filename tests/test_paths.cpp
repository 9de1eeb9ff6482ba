#include "test_paths.h"

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace nacre::testing {

std::string fixtures_dir() { return NACRE_FIXTURES_DIR; }
std::string fixture(const std::string& file_name) { return fixtures_dir() + "/" + file_name; }
std::string shared_dir() { return NACRE_SHARED_DIR; }
std::string cifar10_dir() { return std::string(NACRE_BUILD_DIR) + "/data/cifar10"; }
std::string fashion_mnist_dir() { return "/usr/share/datasets/fashion-mnist"; }
std::string build_dir() { return NACRE_BUILD_DIR; }

std::string scratch_dir(const std::string& test_name) {
  std::filesystem::path dir = std::filesystem::path(NACRE_BUILD_DIR) / "test-scratch" / test_name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream file(path);
  return nlohmann::json::parse(file);
}

CommandResult run_nacre(const std::string& arguments) {
  std::string command = std::string(NACRE_BINARY) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    result.exit_code = -1;
    return result;
  }
  std::array<char, 4096> buffer;
  size_t count;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), count);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace nacre::testing
