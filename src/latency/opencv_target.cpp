// The `opencv` target: OpenCV DNN (readNetFromONNX on the ONNX export), default backend, run in-process.
#include <chrono>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "io/onnx/onnx_export.h"
#include "io/onnx/opencv_legacy_forms.h"
#include "ir/op_registry.h"
#include "latency/targets.h"
#include "util/error.h"

namespace nacre {

namespace {

cv::Mat to_mat(const Tensor& tensor, const std::string& name) {
  if (tensor.dtype() != DataType::kFloat32) {
    throw make_error("the opencv target takes float32 inputs only; input '", name, "' is ",
                     to_string(tensor.dtype()));
  }
  std::vector<int> sizes(tensor.shape().begin(), tensor.shape().end());
  if (sizes.empty()) sizes = {1};
  cv::Mat view(static_cast<int>(sizes.size()), sizes.data(), CV_32F, const_cast<std::byte*>(tensor.raw()));
  return view.clone();
}

Tensor from_mat(const cv::Mat& mat, const Shape& expected) {
  if (mat.type() != CV_32F) throw make_error("OpenCV DNN returned a non-float32 output");
  cv::Mat contiguous = mat.isContinuous() ? mat : mat.clone();
  Shape shape(contiguous.size.p, contiguous.size.p + contiguous.dims);
  // OpenCV has no 1-D or 0-D blobs; keep the graph's shape when the element count agrees.
  if (element_count(expected) == element_count(shape)) shape = expected;
  Tensor tensor(DataType::kFloat32, shape);
  std::memcpy(tensor.mutable_raw(), contiguous.data, tensor.byte_size());
  return tensor;
}

class OpenCvPreparedModel : public PreparedModel {
 public:
  OpenCvPreparedModel(const Graph& graph, int threads) : graph_(graph), threads_(threads) {
    std::string bytes = export_onnx_to_bytes(with_legacy_attribute_forms(graph));
    try {
      net_ = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
      net_.setPreferableBackend(cv::dnn::DNN_BACKEND_DEFAULT);
      net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    } catch (const cv::Exception& error) {
      throw make_error("OpenCV DNN cannot load graph '", graph.name, "': ", error.what());
    }
    for (ValueId id : graph.outputs) output_names_.push_back(graph.value(id).name);
  }

  void set_inputs(const std::vector<Tensor>& inputs) override {
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string& name = graph_.value(graph_.inputs[i]).name;
      net_.setInput(to_mat(inputs[i], name), name);
    }
  }

  std::optional<std::vector<Tensor>> compute_outputs() override {
    std::vector<cv::Mat> mats = forward();
    std::vector<Tensor> outputs;
    for (size_t i = 0; i < mats.size(); ++i) {
      const Value& value = graph_.value(graph_.outputs[i]);
      outputs.push_back(from_mat(mats[i], value.shape ? *value.shape : Shape{}));
    }
    return outputs;
  }

  std::vector<double> time_runs(int count) override {
    std::vector<double> times;
    for (int i = 0; i < count; ++i) {
      auto start = std::chrono::steady_clock::now();
      forward();
      times.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return times;
  }

 private:
  std::vector<cv::Mat> forward() {
    if (cv::getNumThreads() != threads_) cv::setNumThreads(threads_);  // a process-wide setting
    std::vector<cv::Mat> outputs;
    try {
      net_.forward(outputs, output_names_);
    } catch (const cv::Exception& error) {
      throw make_error("OpenCV DNN failed to run graph '", graph_.name, "': ", error.what());
    }
    return outputs;
  }

  Graph graph_;
  int threads_;
  cv::dnn::Net net_;
  std::vector<std::string> output_names_;
};

class OpenCvTarget : public Target {
 public:
  std::string name() const override { return "opencv"; }
  std::string description() const override {
    return "OpenCV DNN " CV_VERSION " (readNetFromONNX, default backend, CPU), in-process";
  }
  TargetAvailability availability() const override { return {true, "", ""}; }
  bool runs_in_this_process() const override { return true; }
  // Every nacre op but the quantization ones: OpenCV 4.6 fails on a DequantizeLinear of constant per-channel
  // weights ("inputs.size() == 1" in quantization_utils.cpp), which every nacre-quantized model has.
  std::vector<std::string> supported_op_types() const override {
    std::vector<std::string> ops;
    for (const std::string& op : nacre::supported_op_types())
      if (op != "QuantizeLinear" && op != "DequantizeLinear") ops.push_back(op);
    return ops;
  }
  std::vector<std::string> supported_precisions() const override { return {"float32"}; }
  std::unique_ptr<PreparedModel> prepare(const Graph& graph, int batch, int threads) override {
    return std::make_unique<OpenCvPreparedModel>(graph, threads);
  }
};

}  // namespace

std::unique_ptr<Target> make_opencv_target() { return std::make_unique<OpenCvTarget>(); }

}  // namespace nacre
