// Runs an IR graph for inference without exposing LibTorch: the interface the rest of nacre uses.
#pragma once

#include <memory>
#include <vector>

#include "ir/graph.h"

namespace nacre {

class InferenceSession {
 public:
  explicit InferenceSession(const Graph& graph);
  ~InferenceSession();
  InferenceSession(InferenceSession&&) noexcept;
  InferenceSession& operator=(InferenceSession&&) noexcept;

  // Inputs in graph.inputs order; outputs in graph.outputs order. LibTorch errors become nacre::Error
  // naming the node that failed.
  std::vector<Tensor> run(const std::vector<Tensor>& inputs);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sets LibTorch's intra-op thread count (0 leaves the default).
void set_compute_threads(int threads);

}  // namespace nacre
