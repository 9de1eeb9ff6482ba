// The latency of every candidate of a search space on one target with one thread count (DESIGN step 6):
// each candidate alone with its block's real input shape at the requested batch, or in place (swapped into
// the keep-everything model and compared with it end to end).
// Kept as a JSON file the caller names and rewritten after every candidate, so a stopped build resumes.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "latency/latency_cache.h"
#include "latency/measure_latency.h"
#include "space/search_space.h"

namespace nacre {

struct CandidateLatency {
  std::string candidate_id;
  std::string graph_hash;  // graph_content_hash() of the candidate: a resumed build reuses only
                           // entries whose candidate is unchanged
  int64_t parameters = 0;  // the candidate's weights: the predictor's memory-traffic feature
  int64_t macs = 0;
  std::optional<LatencyStats> stats;  // absent when the target could not run the candidate
  std::string error;                  // why not, when stats is absent
  // Measured in place (TableBuildOptions::in_place, candidates other than keep): keep-everything with this
  // candidate swapped in, timed interleaved with keep-everything itself. stats are then the swapped
  // model's, end to end.
  std::optional<double> in_place_ratio;  // swapped over keep-everything
  double keep_everything_ms = 0;         // keep-everything's median in that comparison
};

struct BlockLatencies {
  std::string block_name;
  std::vector<CandidateLatency> candidates;  // in the space's order: candidates[0] is "keep"
};

struct BlockLatencyTable {
  std::string target;  // Target::identity()
  int64_t batch = 1;
  int threads = 1;
  std::string machine;  // machine_id()
  std::vector<BlockLatencies> blocks;
  double measuring_seconds = 0;  // wall time spent measuring, summed over resumed builds

  int64_t candidate_count() const;
  int64_t failed_count() const;
  // The median of candidate `candidate` of block `block`; throws Error naming them when it was not measured.
  double median_ms(size_t block, size_t candidate) const;
  bool measured(size_t block, size_t candidate) const;
  // The median of keep-everything's end-to-end medians over the in-place comparisons; 0 when none.
  double keep_everything_ms() const;
};

nlohmann::json to_json(const BlockLatencyTable& table);
// Throws Error saying which key is missing or malformed.
BlockLatencyTable block_latency_table_from_json(const nlohmann::json& json);
// Atomic (written beside, then renamed); throws Error naming the file when it cannot write.
void save_block_latency_table(const BlockLatencyTable& table, const std::string& path);
BlockLatencyTable load_block_latency_table(const std::string& path);

struct TableProgress {
  int64_t done = 0;  // candidates finished so far, reused ones included
  int64_t total = 0;
  size_t block = 0, candidate = 0;
  const CandidateLatency* entry = nullptr;  // the one just finished
  bool reused = false;                      // taken from the table file, not measured now
};

struct TableBuildOptions {
  LatencyRequest request;  // batch, threads and the protocol of each candidate's measurement
  // The table file: read first when it exists (its target, batch, threads and machine must match), then
  // rewritten after every measured candidate. Empty: nothing is read or written.
  std::string path;
  const LatencyCache* cache = nullptr;  // optional, passed to measure_latency
  // Off: every candidate timed alone at its block's input shape. On: keep candidates alone (they split
  // keep-everything's time between blocks) and every other candidate in place, swapped into
  // keep-everything and compared with it end to end, so what a block costs inside the whole model (weights
  // streamed from memory, fusion across borders) is measured rather than modelled.
  bool in_place = false;
  std::function<void(const TableProgress&)> on_progress;
};

// Measures every candidate of `space` not already in the table file (measure_latency sets request.batch on
// each candidate's input; build the space from the model loaded at that batch when its graphs bake a batch
// into Reshape shapes). A candidate the target rejects is recorded with its error, not retried on resume, and
// the build goes on.
BlockLatencyTable build_block_latency_table(const SearchSpace& space, Target& target,
                                            const TableBuildOptions& options);

}  // namespace nacre
