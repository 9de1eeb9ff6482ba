// nacre space: the search space nacre reads out of a trained model: candidates per block, and sampled
// architectures (or the uniformly pruned one) exported as ONNX.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "io/onnx/onnx_export.h"
#include "latency/block_latency_table.h"
#include "latency/latency_predictor.h"
#include "latency/target_registry.h"
#include "space/search_space.h"
#include "space/uniform_width.h"
#include "util/error.h"

namespace nacre::cli {

namespace {

struct SpaceCommandOptions {
  ModelOptions model;
  std::string target_name;
  std::string json_path;
  int sample = 0;
  double uniform_width = 0;
  double uniform_channels = 0;
  std::string export_dir;
  std::string table_path;
  uint64_t seed = 1;
};

// A candidate's latency from a table built by `nacre latency-model --table` (in place when the table was),
// or nothing when the table does not list this candidate.
std::optional<double> table_latency(const LatencyPredictor& latencies, const BlockLatencyTable& table,
                                    size_t block, const Candidate& candidate) {
  if (block >= table.blocks.size()) return std::nullopt;
  const auto& entries = table.blocks[block].candidates;
  for (size_t c = 0; c < entries.size(); ++c) {
    if (entries[c].candidate_id == candidate.id && !std::isnan(latencies.candidate_ms[block][c]))
      return latencies.candidate_ms[block][c];
  }
  return std::nullopt;
}

nlohmann::json describe_space(const SearchSpace& space, const std::optional<BlockLatencyTable>& table) {
  std::optional<LatencyPredictor> latencies;
  if (table) latencies = make_latency_predictor(*table);
  nlohmann::json blocks = nlohmann::json::array();
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const Candidate& candidate : space.candidates[b]) {
      nlohmann::json entry = {{"id", candidate.id},
                              {"generator", candidate.generator},
                              {"description", candidate.description},
                              {"weight_origin", candidate.weight_origin},
                              {"macs", candidate.macs},
                              {"parameters", candidate.parameters}};
      if (latencies) {
        std::optional<double> ms = table_latency(*latencies, *table, b, candidate);
        entry["latency_ms"] = ms ? nlohmann::json(*ms) : nlohmann::json();
      }
      candidates.push_back(entry);
    }
    blocks.push_back({{"name", space.segmentation.blocks[b].name}, {"candidates", candidates}});
  }
  nlohmann::json json = {{"blocks", blocks}, {"architectures", space.size()}};
  if (latencies) {
    json["latency"] = {{"target", table->target},
                       {"batch", table->batch},
                       {"threads", table->threads},
                       {"placement", latencies->placement}};
  }
  return json;
}

void print_space(const nlohmann::json& json) {
  std::printf("%zu blocks, %.4g architectures\n", json["blocks"].size(), json["architectures"].get<double>());
  for (const auto& block : json["blocks"]) {
    std::printf("\n%s: %zu candidates\n", block["name"].get<std::string>().c_str(),
                block["candidates"].size());
    for (const auto& candidate : block["candidates"]) {
      std::string latency;
      if (candidate.contains("latency_ms")) {
        char text[32];
        std::snprintf(text, sizeof text, "%9.4f ms  ",
                      candidate["latency_ms"].is_null() ? NAN : candidate["latency_ms"].get<double>());
        latency = text;
      }
      std::printf("  %-32s %-20s %12lld MACs %10lld params  %s%s\n",
                  candidate["id"].get<std::string>().c_str(),
                  candidate["generator"].get<std::string>().c_str(), candidate["macs"].get<long long>(),
                  candidate["parameters"].get<long long>(), latency.c_str(),
                  candidate["weight_origin"].get<std::string>().c_str());
    }
  }
}

// N distinct random architectures (fewer when the space is smaller).
std::vector<Architecture> random_architectures(const SearchSpace& space, int count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::set<std::string> seen;
  std::vector<Architecture> chosen;
  for (int attempt = 0; static_cast<int>(chosen.size()) < count && attempt < 100 * count; ++attempt) {
    Architecture architecture;
    for (const auto& candidates : space.candidates) {
      architecture.choices.push_back(std::uniform_int_distribution<int>(0, candidates.size() - 1)(random));
    }
    if (seen.insert(architecture.encode()).second) chosen.push_back(std::move(architecture));
  }
  return chosen;
}

// Each architecture written as DIR/arch_<encoding>.onnx, listed in DIR/architectures.json.
nlohmann::json export_architectures(const SearchSpace& space, const std::vector<Architecture>& architectures,
                                    const std::string& export_dir) {
  std::filesystem::create_directories(export_dir);
  nlohmann::json listed = nlohmann::json::array();
  for (const Architecture& architecture : architectures) {
    std::string path =
        (std::filesystem::path(export_dir) / ("arch_" + architecture.encode() + ".onnx")).string();
    export_onnx(materialize(space, architecture), path);
    listed.push_back({{"architecture", architecture.encode()}, {"file", path}});
  }
  write_json(listed, (std::filesystem::path(export_dir) / "architectures.json").string());
  std::printf("wrote %zu architectures to %s\n", listed.size(), export_dir.c_str());
  return listed;
}

// The whole model with every layer's channels x `fraction`, written as DIR/uniform_channels_F.onnx and added
// to the exported list.
void export_uniform_channels(const SearchSpace& space, double fraction, const std::string& export_dir,
                             nlohmann::json& listed) {
  WidthReduction reduction = uniform_channels(space, fraction);
  std::filesystem::create_directories(export_dir);
  char name[64];
  std::snprintf(name, sizeof name, "uniform_channels_%.2f.onnx", fraction);
  std::string path = (std::filesystem::path(export_dir) / name).string();
  export_onnx(reduction.graph, path);
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& [before, after] : reduction.channels) channels.push_back({before, after});
  listed.push_back({{"architecture", "uniform_channels"},
                    {"fraction", fraction},
                    {"file", path},
                    {"channel_groups", channels}});
  write_json(listed, (std::filesystem::path(export_dir) / "architectures.json").string());
  std::printf("wrote %s: %zu channel groups narrowed to %.2f of their channels\n", path.c_str(),
              reduction.channels.size(), fraction);
}

}  // namespace

void add_space_command(CLI::App& app) {
  auto options = std::make_shared<SpaceCommandOptions>();
  CLI::App* command = app.add_subcommand("space", "Show the search space nacre builds from a model");
  add_model_options(*command, options->model);
  command->add_option("--target", options->target_name,
                      "Keep only candidates whose ops this target runs (see `nacre targets`)");
  command->add_option("--json", options->json_path,
                      "Write the candidates per block as JSON ('-' for stdout)");
  command->add_option("--sample", options->sample, "Export N random architectures (with --export)")
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--uniform-width", options->uniform_width,
                   "Export uniform width pruning (with --export): every block's inner channels x F, "
                   "chosen by L1 norm; F is 0.25, 0.5 or 0.75")
      ->check(CLI::Range(0.0, 1.0));
  command
      ->add_option(
          "--uniform-channels", options->uniform_channels,
          "Export uniform channel pruning of the whole model (with --export): every layer's channels "
          "x F, residual streams and the classifier's inputs included, chosen by L1 norm; 0 < F <= 1")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--export", options->export_dir, "Folder for the exported architectures (.onnx)");
  command->add_option("--seed", options->seed, "Seed of the sampled architectures")->capture_default_str();
  command->add_option("--table", options->table_path,
                      "Latency table from `nacre latency-model --table FILE`: adds each candidate's latency");
  command->footer(
      "Candidates' latencies on a target: measure them once with\n"
      "  nacre latency-model model.onnx --target NAME --table table.json\n"
      "then show them with --table table.json (in place: the block's share of the whole model).\n"
      "Examples:\n"
      "  nacre space ../shared/baselines/resnet18_cifar10.onnx\n"
      "  nacre space model.onnx --target ort --json space.json\n"
      "  nacre space model.onnx --sample 10 --export archs/\n"
      "  nacre space model.onnx --uniform-width 0.5 --export pruned/\n"
      "  nacre space model.onnx --uniform-channels 0.5 --export pruned/\n"
      "  nacre space model.onnx --target torchscript --table table.json --json space.json");
  command->callback([options] {
    bool exporting = options->sample > 0 || options->uniform_width > 0 || options->uniform_channels > 0;
    if (exporting != !options->export_dir.empty()) {
      throw Error(
          "--export DIR goes with --sample N, --uniform-width F or --uniform-channels F, and they need it");
    }
    SpaceOptions space_options;
    if (!options->target_name.empty())
      space_options.supported_ops = find_target(options->target_name)->supported_op_types();
    SearchSpace space = build_search_space(load_model_from_options(options->model), space_options);
    std::optional<BlockLatencyTable> table;
    if (!options->table_path.empty()) table = load_block_latency_table(options->table_path);
    nlohmann::json json = describe_space(space, table);
    if (options->json_path != "-") print_space(json);
    std::vector<Architecture> chosen = random_architectures(space, options->sample, options->seed);
    if (options->uniform_width > 0) chosen.push_back(uniform_width(space, options->uniform_width));
    if (exporting) json["samples"] = nlohmann::json::array();
    if (!chosen.empty()) json["samples"] = export_architectures(space, chosen, options->export_dir);
    if (options->uniform_channels > 0)
      export_uniform_channels(space, options->uniform_channels, options->export_dir, json["samples"]);
    if (!options->json_path.empty()) write_json(json, options->json_path);
  });
}

}  // namespace nacre::cli
