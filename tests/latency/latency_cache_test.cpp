// The latency cache: a hit returns the stored value without measuring; every key field matters.
#include "latency/latency_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "io/onnx/load_model.h"
#include "latency/target_registry.h"
#include "latency_test_helpers.h"
#include "test_paths.h"

namespace nacre {
namespace {

LatencyCacheKey sample_key() { return {"0123abcd", "ort", 1, 1, "Test CPU, 2 cores"}; }

TEST(LatencyCache, StoredValueIsFoundUnderTheSameKeyOnly) {
  LatencyCache cache(testing::scratch_dir("LatencyCacheStore"));
  LatencyStats stats = latency_stats_from_times({3, 4, 5, 4, 4, 4, 4}, 0.02);
  cache.store(sample_key(), stats);
  std::optional<LatencyStats> found = cache.find(sample_key());
  ASSERT_TRUE(found.has_value());
  EXPECT_DOUBLE_EQ(found->median_ms, 4);
  EXPECT_EQ(found->runs, 7);
  for (auto change : std::vector<std::function<void(LatencyCacheKey&)>>{
           [](LatencyCacheKey& k) { k.graph_hash = "ffff"; }, [](LatencyCacheKey& k) { k.target = "opencv"; },
           [](LatencyCacheKey& k) { k.batch = 32; }, [](LatencyCacheKey& k) { k.threads = 2; },
           [](LatencyCacheKey& k) { k.machine = "Other CPU, 8 cores"; }}) {
    LatencyCacheKey other = sample_key();
    change(other);
    EXPECT_FALSE(cache.find(other).has_value());
  }
}

TEST(LatencyCache, DamagedEntryIsAMiss) {
  std::string dir = testing::scratch_dir("LatencyCacheDamaged");
  LatencyCache cache(dir);
  cache.store(sample_key(), latency_stats_from_times({1, 1, 1, 1, 1, 1}, 0.02));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) std::ofstream(entry.path()) << "{oops";
  EXPECT_FALSE(cache.find(sample_key()).has_value());
}

TEST(LatencyCache, GraphHashFollowsContentAndMachineIdNamesTheCpu) {
  Graph graph = load_model(testing::fixture("tiny_cnn.onnx"));
  Graph same = graph.clone();
  EXPECT_EQ(graph_content_hash(graph), graph_content_hash(same));
  Graph changed = graph.clone();
  for (ValueId id = 0; id < static_cast<ValueId>(changed.value_count()); ++id) {
    if (changed.value(id).initializer && changed.value(id).initializer->dtype() == DataType::kFloat32) {
      changed.value(id).initializer->mutable_data<float>()[0] += 1.0f;
      break;
    }
  }
  EXPECT_NE(graph_content_hash(graph), graph_content_hash(changed));
  EXPECT_NE(machine_id().find("cores"), std::string::npos);
}

TEST(LatencyCache, MeasureLatencyReturnsTheCachedValueOnAHit) {
  std::string dir = testing::scratch_dir("LatencyCacheHit");
  std::string counter = dir + "/calls.txt";
  std::string script =
      testing::write_script(dir, "bench.sh",
                            "#!/bin/bash\necho x >> " + counter +
                                "\necho '{\"median_ms\": 7.5, \"times_ms\": [7.5,7.5,7.5,7.5,7.5,7.5]}'\n");
  std::unique_ptr<Target> target = find_target("cmd:" + script);
  LatencyCache cache(dir + "/cache");
  Graph graph = load_model(testing::fixture("tiny_cnn.onnx"));
  LatencyMeasurement first = measure_latency(graph, *target, testing::quick_request(), &cache);
  EXPECT_FALSE(first.from_cache);
  LatencyMeasurement second = measure_latency(graph, *target, testing::quick_request(), &cache);
  EXPECT_TRUE(second.from_cache);
  EXPECT_DOUBLE_EQ(second.stats.median_ms, 7.5);
  std::ifstream calls(counter);
  std::string line;
  int count = 0;
  while (std::getline(calls, line)) ++count;
  EXPECT_EQ(count, 1);  // the second measurement did not run the command
  LatencyMeasurement other_batch = measure_latency(graph, *target, testing::quick_request(2), &cache);
  EXPECT_FALSE(other_batch.from_cache);
}

}  // namespace
}  // namespace nacre
