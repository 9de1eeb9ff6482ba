#include "pipeline/activation_ranges.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "exec/inference_session.h"
#include "util/error.h"
#include "util/progress.h"

namespace nacre {

namespace {

// Widens `range` by the first `rows` rows (batch entries) of `tensor`.
void widen(ActivationRange& range, const Tensor& tensor, int64_t rows, const std::string& name) {
  if (tensor.dtype() != DataType::kFloat32 || tensor.rank() < 1)
    throw make_error("activation '", name, "' is ", to_string(tensor.dtype()), to_string(tensor.shape()),
                     "; only float tensors with the batch first are calibrated");
  int64_t per_row = tensor.shape()[0] > 0 ? tensor.numel() / tensor.shape()[0] : 0;
  const float* data = tensor.data<float>();
  for (int64_t i = 0; i < std::min(rows, tensor.shape()[0]) * per_row; ++i) {
    range.min = std::min<double>(range.min, data[i]);
    range.max = std::max<double>(range.max, data[i]);
  }
}

}  // namespace

std::map<std::string, ActivationRange> measure_activation_ranges(const Graph& graph,
                                                                 const std::vector<ValueId>& values,
                                                                 const LabeledImages& data,
                                                                 const Preprocessing& preprocessing,
                                                                 int64_t batch_size, bool show_progress) {
  check_fits(data, preprocessing);
  if (data.size() == 0) throw make_error(data.description, " holds no examples to calibrate on");
  // The model's inputs among the values are read from the batch; the rest become the probe's outputs.
  Graph probe = graph.clone();
  probe.outputs.clear();
  std::vector<ValueId> computed;
  for (ValueId value : values) {
    bool is_input = std::find(graph.inputs.begin(), graph.inputs.end(), value) != graph.inputs.end();
    if (!is_input) {
      probe.outputs.push_back(value);
      computed.push_back(value);
    }
  }
  probe.prune();

  std::map<std::string, ActivationRange> ranges;
  for (ValueId value : values)
    ranges[graph.value(value).name] = {std::numeric_limits<double>::infinity(),
                                       -std::numeric_limits<double>::infinity()};
  int64_t fixed_batch = graph.value(graph.inputs[0]).shape->at(0);
  int64_t batch = fixed_batch > 0 ? fixed_batch : std::max<int64_t>(1, batch_size);
  std::optional<InferenceSession> session;
  if (!computed.empty()) session.emplace(probe);
  Progress progress("calibrate activation ranges", data.size(), "images", show_progress);
  for (int64_t begin = 0; begin < data.size(); begin += batch) {
    int64_t end = std::min(begin + batch, data.size());
    // A fixed-batch model gets a zero-padded last batch.
    Tensor input = preprocess_padded_batch(data, begin, end, preprocessing, fixed_batch > 0 ? batch : 0);
    for (ValueId value : values)
      if (value == graph.inputs[0])
        widen(ranges[graph.value(value).name], input, end - begin, graph.value(value).name);
    if (session) {
      std::vector<Tensor> outputs = session->run({input});
      for (size_t i = 0; i < computed.size(); ++i) {
        const std::string& name = graph.value(computed[i]).name;
        widen(ranges[name], outputs[i], end - begin, name);
      }
    }
    progress.update(end);
  }
  progress.finish();
  return ranges;
}

}  // namespace nacre
