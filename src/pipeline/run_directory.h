// A run's folder: its configuration, every stage's outputs, the final model and report. A run stopped at any
// moment resumes: results are written atomically (temporary file, then rename), so a file that exists is
// whole.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nacre {

class RunDirectory {
 public:
  // Creates `path` for a new run, or reopens a run started with the same identity (model, data, target, ...).
  // Throws Error when `path` holds another run or files that are not a nacre run: nothing is overwritten.
  static RunDirectory open(const std::string& path, const nlohmann::json& identity);

  const std::string& root() const { return root_; }
  std::string path(const std::string& relative) const;  // creates parent folders
  bool has(const std::string& relative) const;
  nlohmann::json read_json(const std::string& relative) const;
  void write_json(const std::string& relative, const nlohmann::json& json) const;
  bool resumed() const { return resumed_; }

 private:
  std::string root_;
  bool resumed_ = false;
};

// Writes `content` to `path` through a temporary file and a rename, so readers never see half a file.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace nacre
