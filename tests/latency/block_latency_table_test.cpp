// The block latency table: every candidate of a small model's space measured on a real target, the JSON
// round trip, resuming from the file without re-measuring, refusing a file of another setting, recording a
// candidate the target cannot run; and the end-to-end validation on that model.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "io/onnx/load_model.h"
#include "latency/block_latency_table.h"
#include "latency/latency_predictor.h"
#include "latency/predictor_validation.h"
#include "latency/target_registry.h"
#include "latency_test_helpers.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

// Forwards to a real target, counting prepared models and optionally refusing one op type.
class CountingTarget : public Target {
 public:
  explicit CountingTarget(std::unique_ptr<Target> inner, std::string refused_op = "")
      : inner_(std::move(inner)), refused_op_(std::move(refused_op)) {}
  std::string name() const override { return inner_->name(); }
  std::string description() const override { return inner_->description(); }
  TargetAvailability availability() const override { return inner_->availability(); }
  std::vector<std::string> supported_op_types() const override {
    std::vector<std::string> ops;
    for (const std::string& op : inner_->supported_op_types()) {
      if (op != refused_op_) ops.push_back(op);
    }
    return ops;
  }
  std::vector<std::string> supported_precisions() const override { return inner_->supported_precisions(); }
  std::unique_ptr<PreparedModel> prepare(const Graph& graph, int batch, int threads) override {
    ++prepared;
    return inner_->prepare(graph, batch, threads);
  }
  int prepared = 0;

 private:
  std::unique_ptr<Target> inner_;
  std::string refused_op_;
};

LatencyRequest very_quick_request() {
  LatencyRequest request = testing::quick_request(1);
  request.protocol.max_seconds = 0.2;
  return request;
}

// Quick measurements into DIR/table.json of a fresh scratch folder named `scratch`.
TableBuildOptions quick_options_with_file(const std::string& scratch) {
  TableBuildOptions options;
  options.request = very_quick_request();
  options.path = testing::scratch_dir(scratch) + "/table.json";
  return options;
}

const SearchSpace& tiny_space() {
  static const SearchSpace space = build_search_space(load_model(testing::fixture("tiny_cnn.onnx")));
  return space;
}

int64_t candidate_total(const SearchSpace& space) {
  int64_t total = 0;
  for (const auto& candidates : space.candidates) total += static_cast<int64_t>(candidates.size());
  return total;
}

TEST(BlockLatencyTable, EveryCandidateOfATinyModelIsMeasuredOnARealTarget) {
  const SearchSpace& space = tiny_space();
  ASSERT_GT(candidate_total(space), static_cast<int64_t>(space.candidates.size()));  // more than "keep"
  CountingTarget target(find_target("torchscript"));
  TableBuildOptions options;
  options.request = very_quick_request();
  std::vector<int64_t> progress;
  options.on_progress = [&](const TableProgress& step) {
    EXPECT_FALSE(step.reused);
    EXPECT_EQ(step.total, candidate_total(space));
    progress.push_back(step.done);
  };
  BlockLatencyTable table = build_block_latency_table(space, target, options);
  EXPECT_EQ(table.target, "torchscript");
  EXPECT_EQ(table.machine, machine_id());
  ASSERT_EQ(table.blocks.size(), space.candidates.size());
  EXPECT_EQ(table.candidate_count(), candidate_total(space));
  EXPECT_EQ(table.failed_count(), 0);
  EXPECT_EQ(target.prepared, candidate_total(space));
  EXPECT_EQ(progress.size(), static_cast<size_t>(candidate_total(space)));
  EXPECT_EQ(progress.back(), candidate_total(space));
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    EXPECT_EQ(table.blocks[b].block_name, space.segmentation.blocks[b].name);
    for (size_t c = 0; c < space.candidates[b].size(); ++c) {
      EXPECT_EQ(table.blocks[b].candidates[c].candidate_id, space.candidates[b][c].id);
      EXPECT_GT(table.median_ms(b, c), 0) << space.candidates[b][c].id;
      EXPECT_GE(table.blocks[b].candidates[c].stats->runs, 6);
      EXPECT_EQ(table.blocks[b].candidates[c].parameters, space.candidates[b][c].parameters);
      EXPECT_EQ(table.blocks[b].candidates[c].macs, space.candidates[b][c].macs);
    }
  }
}

TEST(BlockLatencyTable, InPlaceSwapsEachCandidateIntoKeepEverything) {
  const SearchSpace& space = tiny_space();
  TableBuildOptions options = quick_options_with_file("BlockLatencyTableInPlace");
  build_block_latency_table(space, *find_target("torchscript"), options);  // alone first, same file
  options.in_place = true;
  CountingTarget target(find_target("torchscript"));
  BlockLatencyTable table = build_block_latency_table(space, target, options);
  int64_t swapped = candidate_total(space) - static_cast<int64_t>(space.candidates.size());
  // Keep candidates are reused from the file; each other one prepares the swapped model and keep-everything.
  EXPECT_EQ(target.prepared, 2 * swapped);
  EXPECT_EQ(table.failed_count(), 0);
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    EXPECT_FALSE(table.blocks[b].candidates[0].in_place_ratio.has_value());
    for (size_t c = 1; c < space.candidates[b].size(); ++c) {
      const CandidateLatency& entry = table.blocks[b].candidates[c];
      ASSERT_TRUE(entry.in_place_ratio.has_value()) << entry.candidate_id;
      EXPECT_GT(*entry.in_place_ratio, 0);
      EXPECT_GT(entry.keep_everything_ms, 0);
    }
  }
  double keep_ms = table.keep_everything_ms();
  ASSERT_GT(keep_ms, 0);

  // The predictor splits keep-everything's time between blocks and adds each swap's measured change.
  LatencyPredictor predictor = make_latency_predictor(table);
  EXPECT_EQ(predictor.placement, "in place");
  EXPECT_NEAR(predictor.block_sum_ms(keep_everything(space)), keep_ms, 1e-9 * keep_ms);
  double keep_macs = 0;
  for (const auto& candidates : space.candidates) keep_macs += static_cast<double>(candidates[0].macs);
  EXPECT_DOUBLE_EQ(predictor.macs(keep_everything(space)), keep_macs);
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    for (size_t c = 1; c < space.candidates[b].size(); ++c) {
      EXPECT_NEAR(predictor.candidate_ms[b][c] - predictor.candidate_ms[b][0],
                  (*table.blocks[b].candidates[c].in_place_ratio - 1) * keep_ms, 1e-9);
    }
  }

  CountingTarget again(find_target("torchscript"));  // resumed from the file: nothing measured
  EXPECT_EQ(to_json(build_block_latency_table(space, again, options)), to_json(table));
  EXPECT_EQ(again.prepared, 0);
  EXPECT_EQ(to_json(block_latency_table_from_json(to_json(table))), to_json(table));
}

BlockLatencyTable synthetic_table() {
  BlockLatencyTable table;
  table.target = "torchscript";
  table.batch = 4;
  table.threads = 2;
  table.machine = "test machine";
  table.measuring_seconds = 12.5;
  LatencyStats stats;
  stats.median_ms = 1.25;
  stats.p10_ms = 1.0;
  stats.p90_ms = 1.5;
  stats.runs = 30;
  stats.converged = true;
  stats.stop_reason = "converged";
  stats.median_interval_ms = Interval{1.2, 1.3};
  table.blocks.push_back({"stem", {{"stem/keep", "abc", 1000, 50000, stats, "", std::nullopt, 0}}});
  table.blocks.push_back({"layer1",
                          {{"layer1/keep", "def", 2000, 90000, stats, "", std::nullopt, 0},
                           {"layer1/odd", "123", 10, 20, std::nullopt, "no op X", std::nullopt, 0}}});
  return table;
}

TEST(BlockLatencyTable, JsonRoundTripInMemoryAndThroughAFile) {
  BlockLatencyTable table = synthetic_table();
  BlockLatencyTable back = block_latency_table_from_json(nlohmann::json::parse(to_json(table).dump()));
  EXPECT_EQ(to_json(back), to_json(table));
  EXPECT_EQ(back.batch, 4);
  EXPECT_EQ(back.threads, 2);
  EXPECT_DOUBLE_EQ(back.median_ms(1, 0), 1.25);
  EXPECT_FALSE(back.measured(1, 1));
  EXPECT_EQ(back.blocks[1].candidates[1].error, "no op X");
  EXPECT_EQ(back.blocks[1].candidates[0].parameters, 2000);
  EXPECT_EQ(back.blocks[1].candidates[0].macs, 90000);
  EXPECT_EQ(back.failed_count(), 1);
  EXPECT_THROW(back.median_ms(1, 1), Error);
  EXPECT_THROW(back.median_ms(2, 0), Error);

  std::string path = testing::scratch_dir("BlockLatencyTableJson") + "/sub/table.json";
  save_block_latency_table(table, path);
  EXPECT_EQ(to_json(load_block_latency_table(path)), to_json(table));
  std::ofstream(path) << "{\"format\": \"something else\"}";
  EXPECT_THROW(load_block_latency_table(path), Error);
  EXPECT_THROW(load_block_latency_table(path + ".missing"), Error);
}

TEST(BlockLatencyTable, ResumesFromItsFileWithoutMeasuringAgain) {
  const SearchSpace& space = tiny_space();
  TableBuildOptions options = quick_options_with_file("BlockLatencyTableResume");
  const std::string path = options.path;
  CountingTarget first(find_target("torchscript"));
  BlockLatencyTable built = build_block_latency_table(space, first, options);
  EXPECT_EQ(first.prepared, candidate_total(space));

  CountingTarget second(find_target("torchscript"));
  int reused = 0;
  options.on_progress = [&](const TableProgress& step) { reused += step.reused; };
  BlockLatencyTable resumed = build_block_latency_table(space, second, options);
  EXPECT_EQ(second.prepared, 0);
  EXPECT_EQ(reused, candidate_total(space));
  EXPECT_EQ(to_json(resumed), to_json(built));

  // A table stopped half way: only the missing candidates are measured.
  BlockLatencyTable half = built;
  half.blocks.back().candidates.clear();
  save_block_latency_table(half, path);
  CountingTarget third(find_target("torchscript"));
  options.on_progress = {};
  build_block_latency_table(space, third, options);
  EXPECT_EQ(third.prepared, static_cast<int>(space.candidates.back().size()));

  options.request.threads = 2;  // another setting: the file is refused, not overwritten
  EXPECT_THROW(build_block_latency_table(space, third, options), Error);
}

TEST(BlockLatencyTable, RecordsACandidateTheTargetCannotRunAndGoesOn) {
  const SearchSpace& space = tiny_space();
  CountingTarget target(find_target("torchscript"), "Relu");
  TableBuildOptions options;
  options.request = very_quick_request();
  BlockLatencyTable table = build_block_latency_table(space, target, options);
  EXPECT_EQ(table.candidate_count(), candidate_total(space));
  EXPECT_GT(table.failed_count(), 0);
  for (const BlockLatencies& block : table.blocks) {
    for (const CandidateLatency& entry : block.candidates) {
      if (!entry.stats) {
        EXPECT_NE(entry.error.find("Relu"), std::string::npos) << entry.error;
      }
    }
  }
}

TEST(PredictorValidation, TinyModelArchitecturesMeasuredEndToEnd) {
  const SearchSpace& space = tiny_space();
  std::unique_ptr<Target> target = find_target("torchscript");
  TableBuildOptions options;
  options.request = very_quick_request();
  LatencyPredictor predictor = make_latency_predictor(build_block_latency_table(space, *target, options));
  std::vector<Architecture> sampled = sample_architectures(predictor, 6, 2);
  ASSERT_GE(sampled.size(), 4u);
  int progress_calls = 0;
  std::vector<double> measured = measure_architectures(space, sampled, *target, very_quick_request(),
                                                       [&](const EndToEndProgress&) { ++progress_calls; });
  ASSERT_EQ(measured.size(), sampled.size());
  EXPECT_EQ(progress_calls, static_cast<int>(sampled.size()));
  for (double ms : measured) EXPECT_GT(ms, 0);
  ValidationReport report = cross_validate(predictor, sampled, measured, 2);
  EXPECT_EQ(report.pairs.size(), sampled.size());
  EXPECT_GE(report.within_10_percent, 0);
  EXPECT_LE(report.within_10_percent, 1);
  EXPECT_TRUE(std::isfinite(report.mape));
  std::set<int> folds;
  for (const ValidationPair& pair : report.pairs) folds.insert(pair.fold);
  EXPECT_EQ(folds, (std::set<int>{0, 1}));

  // Interleaved with keep-everything, one latency per architecture; a bad architecture is named.
  std::vector<Architecture> with_keep = {keep_everything(space), sampled[0]};
  std::vector<double> against =
      measure_architectures_against(space, with_keep, keep_everything(space), *target, very_quick_request());
  ASSERT_EQ(against.size(), 2u);
  for (double ms : against) EXPECT_GT(ms, 0);
  Architecture out_of_range = keep_everything(space);
  out_of_range.choices[0] = 999;
  EXPECT_THROW(measure_architectures_against(space, {out_of_range}, keep_everything(space), *target,
                                             very_quick_request()),
               Error);
}

}  // namespace
}  // namespace nacre
