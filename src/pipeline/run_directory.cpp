#include "pipeline/run_directory.h"

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace nacre {

namespace fs = std::filesystem;

namespace {

constexpr const char* kIdentityFile = "run.json";

std::string describe_difference(const nlohmann::json& stored, const nlohmann::json& wanted) {
  std::ostringstream out;
  for (const auto& [key, value] : wanted.items()) {
    if (!stored.contains(key) || stored[key] != value) {
      out << " " << key << ": " << (stored.contains(key) ? stored[key].dump() : "(none)") << " there, "
          << value.dump() << " now;";
    }
  }
  return out.str();
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream file(temporary, std::ios::binary);
    if (!file) throw make_error("cannot write ", temporary, ": check that the folder is writable");
    file << content;
    file.flush();
    if (!file) throw make_error("writing ", temporary, " failed (disk full?)");
  }
  fs::rename(temporary, path);
}

RunDirectory RunDirectory::open(const std::string& path, const nlohmann::json& identity) {
  RunDirectory run;
  run.root_ = path;
  fs::path identity_path = fs::path(path) / kIdentityFile;
  if (fs::exists(path) && !fs::is_directory(path)) {
    throw make_error("--out ", path, " is a file; give a folder for the run");
  }
  if (fs::exists(identity_path)) {
    nlohmann::json stored = run.read_json(kIdentityFile);
    if (stored != identity) {
      throw make_error("--out ", path, " holds another run (", describe_difference(stored, identity),
                       " ); choose another --out, or delete that folder to start over");
    }
    run.resumed_ = true;
    return run;
  }
  if (fs::exists(path) && !fs::is_empty(path)) {
    throw make_error("--out ", path,
                     " exists and is not a nacre run; nacre will not write into it: "
                     "choose a new or empty folder");
  }
  fs::create_directories(path);
  run.write_json(kIdentityFile, identity);
  return run;
}

std::string RunDirectory::path(const std::string& relative) const {
  fs::path full = fs::path(root_) / relative;
  fs::create_directories(full.parent_path());
  return full.string();
}

bool RunDirectory::has(const std::string& relative) const { return fs::exists(fs::path(root_) / relative); }

nlohmann::json RunDirectory::read_json(const std::string& relative) const {
  std::string full = (fs::path(root_) / relative).string();
  std::ifstream file(full);
  if (!file) throw make_error("cannot read ", full);
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception& error) {
    throw make_error(full, " is not valid JSON (", error.what(), "); delete it to recompute that stage");
  }
}

void RunDirectory::write_json(const std::string& relative, const nlohmann::json& json) const {
  write_file_atomically(path(relative), json.dump(2) + "\n");
}

}  // namespace nacre
