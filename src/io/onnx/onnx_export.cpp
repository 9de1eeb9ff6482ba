#include "io/onnx/onnx_export.h"

#include <onnx/onnx_pb.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "io/onnx/onnx_data_type.h"
#include "util/error.h"

namespace nacre {

namespace {

constexpr int64_t kExportedIrVersion = 7;
constexpr int64_t kExportedOpset = 13;
constexpr int64_t kHardSwishOpset = 14;  // HardSwish exists from opset 14; our other ops are unchanged there

void fill_tensor_proto(const Tensor& tensor, const std::string& name, onnx::TensorProto* proto) {
  proto->set_name(name);
  proto->set_data_type(onnx_data_type(tensor.dtype()));
  for (int64_t dim : tensor.shape()) proto->add_dims(dim);
  if (tensor.byte_size() > 0) {
    proto->set_raw_data(reinterpret_cast<const char*>(tensor.raw()), tensor.byte_size());
  } else {
    proto->set_raw_data("");
  }
}

// Unknown dimensions get a symbolic name: "N" for the batch, "d<i>" for the others.
// Unknown dimensions of graph inputs get names (dimension 0 "N", the batch); elsewhere they stay unnamed:
// runtimes take equal names for equal sizes, which would be false for unrelated unknown dimensions.
void fill_value_info(const Value& value, onnx::ValueInfoProto* info, bool is_graph_input = false) {
  info->set_name(value.name);
  auto* tensor_type = info->mutable_type()->mutable_tensor_type();
  tensor_type->set_elem_type(onnx_data_type(value.dtype));
  if (!value.shape) return;
  auto* shape = tensor_type->mutable_shape();
  for (size_t i = 0; i < value.shape->size(); ++i) {
    int64_t dim = (*value.shape)[i];
    if (dim >= 0) {
      shape->add_dim()->set_dim_value(dim);
    } else {
      auto* unknown = shape->add_dim();
      if (is_graph_input) unknown->set_dim_param(i == 0 ? "N" : value.name + "_d" + std::to_string(i));
    }
  }
}

// The variant's alternative decides the ONNX attribute type.
struct AttributeWriter {
  onnx::AttributeProto* proto;
  void operator()(int64_t value) const {
    proto->set_type(onnx::AttributeProto::INT);
    proto->set_i(value);
  }
  void operator()(double value) const {
    proto->set_type(onnx::AttributeProto::FLOAT);
    proto->set_f(static_cast<float>(value));
  }
  void operator()(const std::string& value) const {
    proto->set_type(onnx::AttributeProto::STRING);
    proto->set_s(value);
  }
  void operator()(const std::vector<int64_t>& values) const {
    proto->set_type(onnx::AttributeProto::INTS);
    for (int64_t value : values) proto->add_ints(value);
  }
  void operator()(const std::vector<double>& values) const {
    proto->set_type(onnx::AttributeProto::FLOATS);
    for (double value : values) proto->add_floats(static_cast<float>(value));
  }
  void operator()(const Tensor& tensor) const {
    proto->set_type(onnx::AttributeProto::TENSOR);
    fill_tensor_proto(tensor, "", proto->mutable_t());
  }
  void operator()(const std::vector<std::string>& values) const {
    proto->set_type(onnx::AttributeProto::STRINGS);
    for (const std::string& value : values) proto->add_strings(value);
  }
};

void fill_node_proto(const Graph& graph, const Node& node, onnx::NodeProto* proto) {
  proto->set_name(node.name);
  proto->set_op_type(node.op_type);
  if (node.domain != "ai.onnx") proto->set_domain(node.domain);
  for (size_t i = 0; i < node.input_count(); ++i) {
    ValueId input = node.inputs[i];
    proto->add_input(input == kNoValue ? "" : graph.value(input).name);
  }
  for (ValueId output : node.outputs) proto->add_output(output == kNoValue ? "" : graph.value(output).name);
  for (const auto& [name, value] : node.attributes) {
    onnx::AttributeProto* attribute = proto->add_attribute();
    attribute->set_name(name);
    std::visit(AttributeWriter{attribute}, value);
  }
}

void fill_graph_proto(const Graph& graph, onnx::GraphProto* proto) {
  proto->set_name(graph.name);
  std::set<ValueId> declared;  // inputs and outputs already carry their type
  for (ValueId input : graph.inputs) {
    fill_value_info(graph.value(input), proto->add_input(), /*is_graph_input=*/true);
    declared.insert(input);
  }
  for (ValueId output : graph.outputs) {
    fill_value_info(graph.value(output), proto->add_output());
    declared.insert(output);
  }
  // Initializers nothing reads (left by rewrites) are not written: runtimes warn about them.
  std::set<ValueId> used(graph.outputs.begin(), graph.outputs.end());
  for (const Node& node : graph.nodes()) used.insert(node.inputs.begin(), node.inputs.end());
  for (size_t id = 0; id < graph.value_count(); ++id) {
    const Value& value = graph.value(static_cast<ValueId>(id));
    if (value.initializer) {
      if (!used.count(static_cast<ValueId>(id))) continue;
      fill_tensor_proto(*value.initializer, value.name, proto->add_initializer());
    } else if (value.shape && value.producer != kNoNode && !declared.count(static_cast<ValueId>(id))) {
      fill_value_info(value, proto->add_value_info());
    }
  }
  for (const Node& node : graph.nodes()) fill_node_proto(graph, node, proto->add_node());
}

void add_opset_imports(const Graph& graph, onnx::ModelProto* model) {
  bool uses_hard_swish = false;
  std::set<std::string> custom_domains;
  for (const Node& node : graph.nodes()) {
    if (node.op_type == "HardSwish") uses_hard_swish = true;
    if (!node.domain.empty() && node.domain != "ai.onnx") custom_domains.insert(node.domain);
  }
  auto* opset = model->add_opset_import();
  opset->set_domain("");
  opset->set_version(uses_hard_swish ? kHardSwishOpset : kExportedOpset);
  for (const std::string& domain : custom_domains) {
    auto* custom = model->add_opset_import();
    custom->set_domain(domain);
    custom->set_version(1);
  }
}

}  // namespace

std::string export_onnx_to_bytes(const Graph& graph) {
  onnx::ModelProto model;
  model.set_ir_version(kExportedIrVersion);
  model.set_producer_name("nacre");
  model.set_producer_version("0.1");
  add_opset_imports(graph, &model);
  fill_graph_proto(graph, model.mutable_graph());
  std::string bytes;
  if (!model.SerializeToString(&bytes)) {
    throw make_error("cannot serialise graph '", graph.name, "' to ONNX (", model.ByteSizeLong(),
                     " bytes; protobuf files are limited to 2 GiB)");
  }
  return bytes;
}

void export_onnx(const Graph& graph, const std::string& path) {
  std::filesystem::path target(path);
  std::filesystem::path folder = target.parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error)) {
    throw make_error("cannot write ONNX model '", path, "': folder '", folder.string(),
                     "' does not exist; create it first");
  }
  std::string bytes = export_onnx_to_bytes(graph);
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      throw make_error("cannot write ONNX model '", path, "': writing '", temporary,
                       "' failed (disk full or no "
                       "permission?)");
    }
  }
  std::filesystem::rename(temporary, target, error);
  if (error) {
    std::string reason = error.message();
    std::filesystem::remove(temporary, error);
    throw make_error("cannot write ONNX model '", path, "': renaming '", temporary, "' failed: ", reason);
  }
}

}  // namespace nacre
