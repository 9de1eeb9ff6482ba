#include "latency/block_latency_table.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "latency/statistics.h"
#include "util/error.h"

namespace nacre {

namespace {

constexpr const char* kFormat = "nacre block latency table";

nlohmann::json entry_json(const CandidateLatency& entry) {
  nlohmann::json json = {{"id", entry.candidate_id},
                         {"graph_hash", entry.graph_hash},
                         {"parameters", entry.parameters},
                         {"macs", entry.macs}};
  if (entry.stats) json["stats"] = to_json(*entry.stats);
  if (!entry.error.empty()) json["error"] = entry.error;
  if (entry.in_place_ratio) {
    json["in_place_ratio"] = *entry.in_place_ratio;
    json["keep_everything_ms"] = entry.keep_everything_ms;
  }
  return json;
}

CandidateLatency entry_from_json(const nlohmann::json& json) {
  CandidateLatency entry;
  entry.candidate_id = json.at("id").get<std::string>();
  entry.graph_hash = json.at("graph_hash").get<std::string>();
  entry.parameters = json.value("parameters", int64_t{0});
  entry.macs = json.value("macs", int64_t{0});
  if (json.contains("stats")) entry.stats = latency_stats_from_json(json.at("stats"));
  entry.error = json.value("error", std::string());
  if (json.contains("in_place_ratio")) {
    entry.in_place_ratio = json.at("in_place_ratio").get<double>();
    entry.keep_everything_ms = json.at("keep_everything_ms").get<double>();
  }
  return entry;
}

// The stored entry for this candidate when its graph is unchanged; null otherwise.
const CandidateLatency* find_entry(const BlockLatencyTable& stored, const std::string& block_name,
                                   const CandidateLatency& wanted) {
  for (const BlockLatencies& block : stored.blocks) {
    if (block.block_name != block_name) continue;
    for (const CandidateLatency& entry : block.candidates) {
      if (entry.candidate_id == wanted.candidate_id && entry.graph_hash == wanted.graph_hash) return &entry;
    }
  }
  return nullptr;
}

void require_same_setting(const BlockLatencyTable& stored, const BlockLatencyTable& wanted,
                          const std::string& path) {
  auto mismatch = [&](const std::string& what, const std::string& file_value, const std::string& value) {
    throw make_error("latency table '", path, "' was measured with ", what, " ", file_value, ", not ", value,
                     "; name another --table file for this setting, or delete this one");
  };
  if (stored.target != wanted.target) mismatch("target", stored.target, wanted.target);
  if (stored.batch != wanted.batch)
    mismatch("batch", std::to_string(stored.batch), std::to_string(wanted.batch));
  if (stored.threads != wanted.threads)
    mismatch("threads", std::to_string(stored.threads), std::to_string(wanted.threads));
  if (stored.machine != wanted.machine) mismatch("machine", stored.machine, wanted.machine);
}

CandidateLatency measure_candidate(const Candidate& candidate, CandidateLatency entry, Target& target,
                                   const TableBuildOptions& options) {
  try {
    entry.stats = measure_latency(candidate.graph, target, options.request, options.cache).stats;
  } catch (const Error& error) {
    entry.error = error.what();
  }
  return entry;
}

// Candidate `c` of block `b` swapped into keep-everything, timed interleaved with keep-everything.
CandidateLatency measure_in_place(const SearchSpace& space, const Graph& keep_model, size_t b, size_t c,
                                  CandidateLatency entry, Target& target, const TableBuildOptions& options) {
  try {
    Architecture swapped = keep_everything(space);
    swapped.choices[b] = static_cast<int>(c);
    LatencyComparison comparison =
        compare_latency(materialize(space, swapped), keep_model, target, options.request);
    entry.stats = comparison.a.stats;
    entry.in_place_ratio = comparison.ratio.ratio;
    entry.keep_everything_ms = comparison.b.stats.median_ms;
  } catch (const Error& error) {
    entry.error = error.what();
  }
  return entry;
}

}  // namespace

int64_t BlockLatencyTable::candidate_count() const {
  int64_t count = 0;
  for (const BlockLatencies& block : blocks) count += static_cast<int64_t>(block.candidates.size());
  return count;
}

int64_t BlockLatencyTable::failed_count() const {
  int64_t count = 0;
  for (const BlockLatencies& block : blocks) {
    for (const CandidateLatency& entry : block.candidates) count += !entry.stats;
  }
  return count;
}

bool BlockLatencyTable::measured(size_t block, size_t candidate) const {
  return block < blocks.size() && candidate < blocks[block].candidates.size() &&
         blocks[block].candidates[candidate].stats.has_value();
}

double BlockLatencyTable::keep_everything_ms() const {
  std::vector<double> medians;
  for (const BlockLatencies& block : blocks) {
    for (const CandidateLatency& entry : block.candidates) {
      if (entry.in_place_ratio) medians.push_back(entry.keep_everything_ms);
    }
  }
  return medians.empty() ? 0 : median(std::move(medians));
}

double BlockLatencyTable::median_ms(size_t block, size_t candidate) const {
  if (!measured(block, candidate)) {
    std::string what = block < blocks.size() && candidate < blocks[block].candidates.size()
                           ? "'" + blocks[block].candidates[candidate].candidate_id +
                                 "' was not measured: " + blocks[block].candidates[candidate].error
                           : "is not in the table";
    throw make_error("latency table: candidate ", candidate, " of block ", block, " ", what);
  }
  return blocks[block].candidates[candidate].stats->median_ms;
}

nlohmann::json to_json(const BlockLatencyTable& table) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const BlockLatencies& block : table.blocks) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const CandidateLatency& entry : block.candidates) candidates.push_back(entry_json(entry));
    blocks.push_back({{"name", block.block_name}, {"candidates", candidates}});
  }
  return {{"format", kFormat},        {"target", table.target},
          {"batch", table.batch},     {"threads", table.threads},
          {"machine", table.machine}, {"measuring_seconds", table.measuring_seconds},
          {"blocks", blocks}};
}

BlockLatencyTable block_latency_table_from_json(const nlohmann::json& json) {
  try {
    if (json.at("format").get<std::string>() != kFormat) {
      throw make_error("format is '", json.at("format").get<std::string>(), "', expected '", kFormat, "'");
    }
    BlockLatencyTable table;
    table.target = json.at("target").get<std::string>();
    table.batch = json.at("batch").get<int64_t>();
    table.threads = json.at("threads").get<int>();
    table.machine = json.at("machine").get<std::string>();
    table.measuring_seconds = json.value("measuring_seconds", 0.0);
    for (const nlohmann::json& block_json : json.at("blocks")) {
      BlockLatencies block{block_json.at("name").get<std::string>(), {}};
      for (const nlohmann::json& entry : block_json.at("candidates"))
        block.candidates.push_back(entry_from_json(entry));
      table.blocks.push_back(std::move(block));
    }
    return table;
  } catch (const nlohmann::json::exception& error) {
    throw make_error("malformed block latency table: ", error.what());
  }
}

void save_block_latency_table(const BlockLatencyTable& table, const std::string& path) {
  std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << to_json(table).dump(1) << "\n";
    if (!out) throw make_error("cannot write the latency table to '", temporary, "' (check the folder)");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw make_error("cannot rename '", temporary, "' to '", path, "': ", error.message());
}

BlockLatencyTable load_block_latency_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw make_error("cannot read the latency table '", path, "'");
  try {
    return block_latency_table_from_json(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& error) {
    throw make_error("latency table '", path, "' is not valid JSON: ", error.what(),
                     " (delete it to rebuild)");
  } catch (const Error& error) {
    throw make_error("latency table '", path, "': ", error.what(), " (delete it to rebuild)");
  }
}

BlockLatencyTable build_block_latency_table(const SearchSpace& space, Target& target,
                                            const TableBuildOptions& options) {
  require_available(target);
  BlockLatencyTable table;
  table.target = target.identity();
  table.batch = options.request.batch;
  table.threads = options.request.threads;
  table.machine = machine_id();
  BlockLatencyTable stored = table;
  if (!options.path.empty() && std::filesystem::exists(options.path)) {
    stored = load_block_latency_table(options.path);
    require_same_setting(stored, table, options.path);
    table.measuring_seconds = stored.measuring_seconds;
  }
  std::optional<Graph> keep_model;  // materialised on first use by an in-place measurement
  TableProgress progress;
  for (const auto& candidates : space.candidates) progress.total += static_cast<int64_t>(candidates.size());
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    table.blocks.push_back({space.segmentation.blocks.at(b).name, {}});
  }
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    for (size_t c = 0; c < space.candidates[b].size(); ++c) {
      const Candidate& candidate = space.candidates[b][c];
      CandidateLatency wanted{candidate.id,         graph_content_hash(candidate.graph),
                              candidate.parameters, candidate.macs,
                              std::nullopt,         ""};
      bool in_place = options.in_place && c > 0;
      const CandidateLatency* found = find_entry(stored, table.blocks[b].block_name, wanted);
      // An entry measured the other way (alone / in place) does not count.
      if (found && found->stats && found->in_place_ratio.has_value() != in_place) found = nullptr;
      progress.reused = found != nullptr;
      if (found) {
        table.blocks[b].candidates.push_back(*found);
      } else {
        auto start = std::chrono::steady_clock::now();
        if (in_place && !keep_model) keep_model = materialize(space, keep_everything(space));
        table.blocks[b].candidates.push_back(
            in_place ? measure_in_place(space, *keep_model, b, c, wanted, target, options)
                     : measure_candidate(candidate, wanted, target, options));
        table.measuring_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        // Rewritten whole after each measurement: a stopped build loses at most one candidate.
        if (!options.path.empty()) save_block_latency_table(table, options.path);
      }
      progress.done += 1;
      progress.block = b;
      progress.candidate = c;
      progress.entry = &table.blocks[b].candidates.back();
      if (options.on_progress) options.on_progress(progress);
    }
  }
  if (!options.path.empty()) save_block_latency_table(table, options.path);
  return table;
}

}  // namespace nacre
