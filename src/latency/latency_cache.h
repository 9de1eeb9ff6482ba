// Measurements stored as JSON files in a cache folder, keyed by (graph content, target, batch, threads,
// machine), so repeated runs do not re-measure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ir/graph.h"
#include "latency/measurement.h"

namespace nacre {

struct LatencyCacheKey {
  std::string graph_hash;  // graph_content_hash()
  std::string target;      // Target::identity()
  int64_t batch = 1;
  int threads = 1;
  std::string machine;  // machine_id()
};

// A hash of the graph's ONNX export (structure, shapes and weights), as hex.
std::string graph_content_hash(const Graph& graph);
// The CPU model name from /proc/cpuinfo and the core count, e.g. "AMD EPYC, 2 cores".
std::string machine_id();
// $NACRE_CACHE_DIR, else $XDG_CACHE_HOME/nacre/latency, else ~/.cache/nacre/latency.
std::string default_latency_cache_dir();

class LatencyCache {
 public:
  explicit LatencyCache(std::string dir = default_latency_cache_dir());
  const std::string& dir() const { return dir_; }
  // Absent when nothing (readable) is stored under this key.
  std::optional<LatencyStats> find(const LatencyCacheKey& key) const;
  // Creates the folder if needed; writes atomically. Throws Error naming the file when it cannot.
  void store(const LatencyCacheKey& key, const LatencyStats& stats) const;

 private:
  std::string file_for(const LatencyCacheKey& key) const;
  std::string dir_;
};

}  // namespace nacre
