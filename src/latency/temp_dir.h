// A fresh folder under the system's temporary directory, removed with everything in it when destroyed.
#pragma once

#include <string>

namespace nacre {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "nacre");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace nacre
