// Helpers shared by the ONNX tests: small hand-built ONNX models, op histograms, tensor comparison.
#pragma once

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre::testing {

inline std::map<std::string, int> op_histogram(const Graph& graph) {
  std::map<std::string, int> histogram;
  for (const Node& node : graph.nodes()) ++histogram[node.op_type];
  return histogram;
}

// max |actual - expected| relative to the largest |expected| (so values near zero do not dominate).
inline double max_relative_error(const Tensor& actual, const Tensor& expected) {
  std::vector<double> a = actual.as_doubles(), b = expected.as_doubles();
  if (a.size() != b.size()) return INFINITY;
  double scale = 1e-12, error = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    scale = std::max(scale, std::abs(b[i]));
    error = std::max(error, std::abs(a[i] - b[i]));
  }
  return error / scale;
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A minimal builder for hand-made ONNX models in the tests.
class OnnxModelBuilder {
 public:
  explicit OnnxModelBuilder(int64_t opset) {
    model_.set_ir_version(7);
    auto* import = model_.add_opset_import();
    import->set_domain("");
    import->set_version(opset);
    graph()->set_name("test_graph");
  }

  onnx::GraphProto* graph() { return model_.mutable_graph(); }
  onnx::ModelProto& model() { return model_; }

  // dims: -1 for a symbolic dimension; no_shape leaves the shape out.
  void input(const std::string& name, const std::vector<int64_t>& dims,
             int elem_type = onnx::TensorProto::FLOAT) {
    fill_info(graph()->add_input(), name, dims, elem_type);
  }
  void output(const std::string& name, const std::vector<int64_t>& dims,
              int elem_type = onnx::TensorProto::FLOAT) {
    fill_info(graph()->add_output(), name, dims, elem_type);
  }
  void output_without_shape(const std::string& name) {
    auto* info = graph()->add_output();
    info->set_name(name);
    info->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }

  onnx::NodeProto* node(const std::string& op_type, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "") {
    auto* node = graph()->add_node();
    node->set_op_type(op_type);
    node->set_name(name);
    for (const auto& input : inputs) node->add_input(input);
    for (const auto& output : outputs) node->add_output(output);
    return node;
  }

  onnx::TensorProto* float_initializer(const std::string& name, const std::vector<int64_t>& dims,
                                       const std::vector<float>& values) {
    auto* tensor = graph()->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t dim : dims) tensor->add_dims(dim);
    tensor->set_raw_data(
        std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
    return tensor;
  }

  onnx::TensorProto* int64_initializer(const std::string& name, const std::vector<int64_t>& values) {
    auto* tensor = graph()->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::INT64);
    tensor->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t value : values) tensor->add_int64_data(value);
    return tensor;
  }

  std::string bytes() const { return model_.SerializeAsString(); }

 private:
  static void fill_info(onnx::ValueInfoProto* info, const std::string& name, const std::vector<int64_t>& dims,
                        int elem_type) {
    info->set_name(name);
    auto* tensor_type = info->mutable_type()->mutable_tensor_type();
    tensor_type->set_elem_type(elem_type);
    auto* shape = tensor_type->mutable_shape();
    for (int64_t dim : dims) {
      if (dim >= 0) {
        shape->add_dim()->set_dim_value(dim);
      } else {
        shape->add_dim()->set_dim_param("batch");
      }
    }
  }

  onnx::ModelProto model_;
};

inline void set_ints(onnx::NodeProto* node, const std::string& name, const std::vector<int64_t>& values) {
  auto* attribute = node->add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto::INTS);
  for (int64_t value : values) attribute->add_ints(value);
}

inline void set_int(onnx::NodeProto* node, const std::string& name, int64_t value) {
  auto* attribute = node->add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto::INT);
  attribute->set_i(value);
}

inline void set_float(onnx::NodeProto* node, const std::string& name, float value) {
  auto* attribute = node->add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto::FLOAT);
  attribute->set_f(value);
}

}  // namespace nacre::testing
