// A target: a runtime on a device that nacre measures latency on. It declares what it supports, prepares a
// model and runs it; the measurement protocol (measurement.h) does the timing statistics.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

struct TargetAvailability {
  bool available = false;
  std::string reason;        // why not, when not available
  std::string install_hint;  // what to do to make it available
};

// A model loaded into a target's runtime for one batch size and thread count.
class PreparedModel {
 public:
  virtual ~PreparedModel() = default;
  // Feeds these inputs (in graph.inputs order) to every later run.
  virtual void set_inputs(const std::vector<Tensor>& inputs) = 0;
  // One run on the inputs, outputs in graph.outputs order, for the check against the executor; absent when
  // the target cannot return outputs (an external command only reports times).
  virtual std::optional<std::vector<Tensor>> compute_outputs() = 0;
  // Runs the model `count` times and returns each run's time in milliseconds, timed as close to the runtime
  // as the target can (inside the child process for out-of-process targets). A target that measures itself
  // (cmd) may return a different number of times.
  virtual std::vector<double> time_runs(int count) = 0;
  virtual void warm_up(int count) { time_runs(count); }
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual TargetAvailability availability() const = 0;
  virtual std::vector<std::string> supported_op_types() const = 0;
  virtual std::vector<std::string> supported_precisions() const = 0;  // "float32", "int8"
  // What makes two measurements comparable beyond the name (the cmd target adds its command line).
  virtual std::string identity() const { return name(); }
  // Whether models run inside the measuring process (LibTorch, OpenCV), whose history then shares the
  // timings: a long optimisation's heap and thread pools. Out-of-process targets start their own runner.
  virtual bool runs_in_this_process() const { return false; }
  // Loads the graph (static input shapes, `batch` already applied to them) with this intra-op thread count.
  // Throws Error saying what failed, e.g. the runtime rejecting an op.
  virtual std::unique_ptr<PreparedModel> prepare(const Graph& graph, int batch, int threads) = 0;
};

// Nodes of `graph` whose op the target does not declare, as "name (OpType)".
std::vector<std::string> unsupported_nodes(const Target& target, const Graph& graph);

// Throws Error naming every op type of `graph` the target does not declare and the first few such nodes.
void require_supported(const Target& target, const Graph& graph);

}  // namespace nacre
