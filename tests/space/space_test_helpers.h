// Shared pieces of the space tests: the fixture models, loading them with their inputs, comparing outputs.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exec/inference_session.h"
#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "ir/graph.h"
#include "test_paths.h"

namespace nacre::testing {

// Every fixture model with a single input and output (the bad_* files are import-error fixtures).
inline std::vector<std::string> fixture_models() {
  return {"resnet18", "mobilenet_v2", "squeezenet1_1",    "mobilenet_v3_small", "shufflenet_v2_x0_5",
          "ops_zoo",  "tiny_cnn",     "resnet18_opset11", "resnet18_opset17",   "resnet18_dynamic_batch"};
}

inline std::string baseline(const std::string& name) { return shared_dir() + "/baselines/" + name + ".onnx"; }

inline Graph load_fixture(const std::string& model) { return load_model(fixture(model + ".onnx")); }
inline Tensor fixture_input(const std::string& model) { return read_npy(fixture(model + ".input.npy")); }

inline Tensor run_graph(const Graph& graph, const Tensor& input) {
  InferenceSession session(graph);
  return session.run({input}).at(0);
}

inline float max_abs_difference(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  if (a.shape() != b.shape()) return 1e30f;
  float worst = 0.0f;
  const float* x = a.data<float>();
  const float* y = b.data<float>();
  for (int64_t i = 0; i < a.numel(); ++i) worst = std::max(worst, std::abs(x[i] - y[i]));
  return worst;
}

// A random float32 tensor of `shape` (unknown batch as 2), deterministic for the seed.
inline Tensor random_input(Shape shape, uint32_t seed = 7) {
  if (!shape.empty() && shape[0] < 0) shape[0] = 2;
  Tensor tensor(DataType::kFloat32, shape);
  uint32_t state = seed;
  float* data = tensor.mutable_data<float>();
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    state = state * 1664525u + 1013904223u;
    data[i] = static_cast<float>(state >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
  }
  return tensor;
}

}  // namespace nacre::testing
