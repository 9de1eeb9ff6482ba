#include "latency/latency_cache.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/onnx/onnx_export.h"
#include "util/error.h"

namespace nacre {

namespace {

uint64_t fnv1a(const std::string& bytes, uint64_t hash = 1469598103934665603ull) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string hex(uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

nlohmann::json key_json(const LatencyCacheKey& key) {
  return {{"graph_hash", key.graph_hash},
          {"target", key.target},
          {"batch", key.batch},
          {"threads", key.threads},
          {"machine", key.machine}};
}

}  // namespace

std::string graph_content_hash(const Graph& graph) {
  std::string bytes = export_onnx_to_bytes(graph);
  // Two differently seeded passes give 128 bits, enough that distinct graphs never share an entry.
  return hex(fnv1a(bytes)) + hex(fnv1a(bytes, 0x6c62272e07bb0142ull ^ bytes.size()));
}

std::string machine_id() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  int cores = 0;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0 && model == "unknown CPU") {
      size_t colon = line.find(':');
      if (colon != std::string::npos) model = line.substr(line.find_first_not_of(" \t", colon + 1));
    }
    if (line.rfind("processor", 0) == 0) ++cores;
  }
  if (cores == 0) cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  return model + ", " + std::to_string(cores) + " cores";
}

std::string default_latency_cache_dir() {
  if (const char* dir = std::getenv("NACRE_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/nacre/latency";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.cache/nacre/latency";
}

LatencyCache::LatencyCache(std::string dir) : dir_(std::move(dir)) {}

std::string LatencyCache::file_for(const LatencyCacheKey& key) const {
  return dir_ + "/" + hex(fnv1a(key_json(key).dump())) + ".json";
}

std::optional<LatencyStats> LatencyCache::find(const LatencyCacheKey& key) const {
  std::ifstream in(file_for(key));
  if (!in) return std::nullopt;
  try {
    nlohmann::json record = nlohmann::json::parse(in);
    if (record.at("key") != key_json(key)) return std::nullopt;  // a hash collision: measure again
    return latency_stats_from_json(record.at("latency"));
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged entry is measured again and overwritten
  }
}

void LatencyCache::store(const LatencyCacheKey& key, const LatencyStats& stats) const {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  std::string path = file_for(key);
  std::string temporary = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(temporary);
    out << nlohmann::json{{"key", key_json(key)}, {"latency", to_json(stats)}}.dump(2) << "\n";
    if (!out) {
      throw make_error("cannot write the latency cache entry ", path,
                       " (choose another folder with --cache-dir or NACRE_CACHE_DIR, or use --no-cache)");
    }
  }
  std::filesystem::rename(temporary, path, error);
  if (error) throw make_error("cannot write the latency cache entry ", path, ": ", error.message());
}

}  // namespace nacre
