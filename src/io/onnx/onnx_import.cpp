#include "io/onnx/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "io/onnx/canonicalize_opset.h"
#include "io/onnx/external_data.h"
#include "io/onnx/onnx_data_type.h"
#include "ir/op_registry.h"
#include "util/error.h"

namespace nacre {

namespace {

bool is_default_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

std::string read_model_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error("the file does not exist");
  if (std::filesystem::is_directory(path, error)) throw Error("it is a directory, not an ONNX file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("the file cannot be opened for reading");
  std::ostringstream contents;
  contents << in.rdbuf();
  if (!in && !in.eof()) throw Error("the file cannot be read");
  return contents.str();
}

onnx::ModelProto parse_model(const std::string& bytes) {
  if (bytes.empty()) throw Error("the file is empty");
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    throw Error(
        "it is not a valid ONNX file (protobuf parsing failed: the file is truncated, corrupt or not ONNX)");
  }
  if (!model.has_graph()) throw Error("it holds no graph (not an ONNX model, or a corrupt one)");
  return model;
}

int64_t default_domain_opset(const onnx::ModelProto& model) {
  for (const auto& opset : model.opset_import()) {
    if (is_default_domain(opset.domain())) return opset.version();
  }
  throw Error("it declares no opset for the default ONNX domain (opset_import is missing)");
}

// One error listing every node nacre cannot run, so the user sees the whole problem at once.
void check_supported_ops(const onnx::GraphProto& graph) {
  std::vector<std::string> unsupported;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    std::string name = node.name().empty() ? "#" + std::to_string(i) : node.name();
    if (!is_default_domain(node.domain())) {
      unsupported.push_back(node.domain() + "." + node.op_type() + " (node '" + name + "', custom domain)");
    } else if (!is_supported_op(node.op_type())) {
      unsupported.push_back(node.op_type() + " (node '" + name + "')");
    }
  }
  if (unsupported.empty()) return;
  std::ostringstream message;
  message << "it uses " << unsupported.size() << " node(s) that nacre does not support: ";
  for (size_t i = 0; i < unsupported.size(); ++i) message << (i ? ", " : "") << unsupported[i];
  message << ". nacre supports: ";
  const auto& supported = supported_op_types();
  for (size_t i = 0; i < supported.size(); ++i) message << (i ? ", " : "") << supported[i];
  message << ". Re-export the model so that it uses only these ops (e.g. replace or remove those layers).";
  throw Error(message.str());
}

template <typename Source, typename Target>
void copy_converted(const Source& values, Target* out) {
  for (int i = 0; i < values.size(); ++i) out[i] = static_cast<Target>(values.Get(i));
}

// The typed repeated fields (float_data, int32_data, ...) that hold a tensor when raw_data is absent.
std::vector<std::byte> typed_field_bytes(const onnx::TensorProto& proto, DataType dtype, int64_t count) {
  int64_t stored = 0;
  switch (dtype) {
    case DataType::kFloat32:
      stored = proto.float_data_size();
      break;
    case DataType::kFloat64:
      stored = proto.double_data_size();
      break;
    case DataType::kInt64:
      stored = proto.int64_data_size();
      break;
    default:
      stored = proto.int32_data_size();
      break;  // int32, int8, uint8 and bool are all stored as int32
  }
  if (stored != count) {
    throw make_error("tensor '", proto.name(), "' holds ", stored, " values but its shape needs ", count);
  }
  std::vector<std::byte> bytes(static_cast<size_t>(count) * element_size(dtype));
  void* out = bytes.data();
  switch (dtype) {
    case DataType::kFloat32:
      copy_converted(proto.float_data(), static_cast<float*>(out));
      break;
    case DataType::kFloat64:
      copy_converted(proto.double_data(), static_cast<double*>(out));
      break;
    case DataType::kInt64:
      copy_converted(proto.int64_data(), static_cast<int64_t*>(out));
      break;
    case DataType::kInt32:
      copy_converted(proto.int32_data(), static_cast<int32_t*>(out));
      break;
    case DataType::kInt8:
      copy_converted(proto.int32_data(), static_cast<int8_t*>(out));
      break;
    case DataType::kUInt8:
      copy_converted(proto.int32_data(), static_cast<uint8_t*>(out));
      break;
    case DataType::kBool:
      copy_converted(proto.int32_data(), static_cast<bool*>(out));
      break;
  }
  return bytes;
}

Tensor tensor_from_proto(const onnx::TensorProto& proto, const std::string& base_dir) {
  DataType dtype = data_type_from_onnx(proto.data_type(), "tensor '" + proto.name() + "'");
  Shape shape(proto.dims().begin(), proto.dims().end());
  if (!is_static(shape)) throw make_error("tensor '", proto.name(), "' has a negative dimension");
  int64_t count = element_count(shape);
  size_t expected_bytes = static_cast<size_t>(count) * element_size(dtype);

  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    std::map<std::string, std::string> entries;
    for (const auto& entry : proto.external_data()) entries[entry.key()] = entry.value();
    return Tensor(dtype, shape, read_external_data(proto.name(), entries, base_dir, expected_bytes));
  }
  if (proto.has_raw_data()) {
    const std::string& raw = proto.raw_data();
    if (raw.size() != expected_bytes) {
      throw make_error("tensor '", proto.name(), "' has ", raw.size(), " bytes of data but its shape ",
                       to_string(shape), " and type ", to_string(dtype), " need ", expected_bytes);
    }
    const std::byte* begin = reinterpret_cast<const std::byte*>(raw.data());
    return Tensor(dtype, shape, std::vector<std::byte>(begin, begin + raw.size()));
  }
  return Tensor(dtype, shape, typed_field_bytes(proto, dtype, count));
}

onnx::AttributeProto::AttributeType attribute_type(const onnx::AttributeProto& attribute) {
  if (attribute.type() != onnx::AttributeProto::UNDEFINED) return attribute.type();
  // Very old exporters leave the type out; the field that is set tells it.
  if (attribute.has_f()) return onnx::AttributeProto::FLOAT;
  if (attribute.has_i()) return onnx::AttributeProto::INT;
  if (attribute.has_s()) return onnx::AttributeProto::STRING;
  if (attribute.has_t()) return onnx::AttributeProto::TENSOR;
  if (attribute.floats_size()) return onnx::AttributeProto::FLOATS;
  if (attribute.ints_size()) return onnx::AttributeProto::INTS;
  if (attribute.strings_size()) return onnx::AttributeProto::STRINGS;
  return onnx::AttributeProto::UNDEFINED;
}

AttributeValue attribute_from_proto(const onnx::AttributeProto& attribute,
                                    const std::string& node_description, const std::string& base_dir) {
  switch (attribute_type(attribute)) {
    case onnx::AttributeProto::FLOAT:
      return static_cast<double>(attribute.f());
    case onnx::AttributeProto::INT:
      return static_cast<int64_t>(attribute.i());
    case onnx::AttributeProto::STRING:
      return attribute.s();
    case onnx::AttributeProto::TENSOR:
      return tensor_from_proto(attribute.t(), base_dir);
    case onnx::AttributeProto::FLOATS:
      return std::vector<double>(attribute.floats().begin(), attribute.floats().end());
    case onnx::AttributeProto::INTS:
      return std::vector<int64_t>(attribute.ints().begin(), attribute.ints().end());
    case onnx::AttributeProto::STRINGS:
      return std::vector<std::string>(attribute.strings().begin(), attribute.strings().end());
    default:
      break;
  }
  throw make_error(node_description, ": attribute '", attribute.name(), "' has type ",
                   onnx::AttributeProto_AttributeType_Name(attribute_type(attribute)),
                   ", which nacre does not support");
}

std::string describe(const onnx::NodeProto& node) {
  return "node '" + node.name() + "' (" + node.op_type() + ")";
}

// A Constant node's value, from whichever of its value attributes is set.
Tensor constant_value(const onnx::NodeProto& node, const std::string& base_dir) {
  for (const auto& attribute : node.attribute()) {
    const std::string& name = attribute.name();
    if (name == "value") return tensor_from_proto(attribute.t(), base_dir);
    if (name == "value_float") return Tensor::scalar<float>(attribute.f());
    if (name == "value_int") return Tensor::scalar<int64_t>(attribute.i());
    if (name == "value_floats") {
      std::vector<float> values(attribute.floats().begin(), attribute.floats().end());
      return Tensor::from_vector<float>({static_cast<int64_t>(values.size())}, values);
    }
    if (name == "value_ints") {
      std::vector<int64_t> values(attribute.ints().begin(), attribute.ints().end());
      return Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values);
    }
    throw make_error(describe(node), ": constant attribute '", name,
                     "' is not supported (only numeric tensors)");
  }
  throw make_error(describe(node), ": Constant node without a value");
}

struct DeclaredType {
  DataType dtype = DataType::kFloat32;
  std::optional<Shape> shape;  // absent when the model states no shape
};

DeclaredType declared_type(const onnx::ValueInfoProto& info) {
  if (!info.type().has_tensor_type()) {
    throw make_error("value '", info.name(), "' is not a tensor (sequences and maps are not supported)");
  }
  const auto& tensor_type = info.type().tensor_type();
  DeclaredType declared;
  declared.dtype = data_type_from_onnx(tensor_type.elem_type(), "value '" + info.name() + "'");
  if (tensor_type.has_shape()) {
    Shape shape;
    for (const auto& dim : tensor_type.shape().dim())
      shape.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    declared.shape = shape;
  }
  return declared;
}

// Builds the IR graph from a parsed model; one method per part of the GraphProto.
class GraphImporter {
 public:
  GraphImporter(const onnx::GraphProto& proto, std::string base_dir)
      : proto_(proto), base_dir_(std::move(base_dir)) {}

  Graph run(int64_t opset, const ImportOptions& options) {
    graph_.name = proto_.name().empty() ? "graph" : proto_.name();
    add_initializers();
    add_inputs(options);
    add_constants_and_node_outputs();
    add_nodes();
    add_outputs(options);
    canonicalize_to_opset13(graph_, opset, declared_ranks());
    graph_.topological_sort();
    return std::move(graph_);
  }

 private:
  void add_initializers() {
    for (const auto& initializer : proto_.initializer()) {
      if (initializer.name().empty()) throw Error("an initializer has no name");
      define(initializer.name(), "initializer");
      graph_.add_initializer(initializer.name(), tensor_from_proto(initializer, base_dir_));
    }
  }

  // IR version 3 models list initializers among the inputs too; those are weights, not runtime inputs.
  void add_inputs(const ImportOptions& options) {
    for (const auto& input : proto_.input()) {
      if (graph_.find_value(input.name()) != kNoValue &&
          graph_.is_constant(graph_.find_value(input.name()))) {
        continue;
      }
      define(input.name(), "graph input");
      DeclaredType declared = declared_type(input);
      ValueId id = graph_.add_input(input.name(), declared.dtype, {});
      graph_.value(id).shape = declared.shape;
    }
    if (graph_.inputs.empty()) throw Error("the graph has no inputs (every input is an initializer)");
    if (options.input_shape) override_first_input_shape(*options.input_shape);
  }

  void override_first_input_shape(const Shape& shape) {
    Value& input = graph_.value(graph_.inputs.front());
    if (input.shape && input.shape->size() != shape.size()) {
      throw make_error("the requested input shape ", to_string(shape), " has rank ", shape.size(),
                       " but input '", input.name, "' has rank ", input.shape->size(), " (",
                       to_string(*input.shape), "); give a shape of rank ", input.shape->size());
    }
    input.shape = shape;
  }

  void add_constants_and_node_outputs() {
    for (const auto& node : proto_.node()) {
      if (node.op_type() == "Constant" && is_default_domain(node.domain())) {
        if (node.output_size() != 1) throw make_error(describe(node), ": a Constant has exactly one output");
        define(node.output(0), describe(node));
        graph_.add_initializer(node.output(0), constant_value(node, base_dir_));
        continue;
      }
      for (const std::string& output : node.output()) {
        if (output.empty()) continue;  // an omitted optional output
        define(output, describe(node));
        Value value;
        value.name = output;
        graph_.add_value(std::move(value));
      }
    }
  }

  void add_nodes() {
    std::set<std::string> node_names;
    for (int index = 0; index < proto_.node_size(); ++index) {
      const onnx::NodeProto& proto_node = proto_.node(index);
      if (proto_node.op_type() == "Constant") continue;
      Node node;
      node.op_type = proto_node.op_type();
      node.name = proto_node.name();
      if (node.name.empty() || node_names.count(node.name))
        node.name = node.op_type + "_" + std::to_string(index);
      while (node_names.count(node.name)) node.name += "_";
      node_names.insert(node.name);
      std::string where = "node '" + node.name + "' (" + node.op_type + ")";
      for (const std::string& input : proto_node.input()) node.inputs.push_back(resolve(input, where));
      node.outputs = outputs_of(proto_node);
      for (const auto& attribute : proto_node.attribute()) {
        node.attributes[attribute.name()] = attribute_from_proto(attribute, where, base_dir_);
      }
      graph_.add_node(std::move(node));
    }
  }

  // Trailing omitted outputs are dropped; an omitted one in the middle gets a fresh value nobody reads.
  std::vector<ValueId> outputs_of(const onnx::NodeProto& node) {
    int count = node.output_size();
    while (count > 0 && node.output(count - 1).empty()) --count;
    std::vector<ValueId> outputs;
    for (int i = 0; i < count; ++i) {
      if (!node.output(i).empty()) {
        outputs.push_back(graph_.find_value(node.output(i)));
        continue;
      }
      Value unused;
      unused.name = graph_.unique_name(node.op_type() + "_unused_output");
      outputs.push_back(graph_.add_value(std::move(unused)));
    }
    return outputs;
  }

  void add_outputs(const ImportOptions& options) {
    for (const auto& output : proto_.output()) {
      ValueId id = resolve(output.name(), "graph output");
      graph_.outputs.push_back(id);
      Value& value = graph_.value(id);
      if (value.initializer || std::count(graph_.inputs.begin(), graph_.inputs.end(), id)) continue;
      DeclaredType declared = declared_type(output);
      value.dtype = declared.dtype;
      // A changed input shape makes the declared output shapes stale; shape inference recomputes them.
      if (!options.input_shape) value.shape = declared.shape;
    }
    if (graph_.outputs.empty()) throw Error("the graph has no outputs");
  }

  std::map<std::string, int64_t> declared_ranks() const {
    std::map<std::string, int64_t> ranks;
    for (const auto* infos : {&proto_.value_info(), &proto_.output()}) {
      for (const auto& info : *infos) {
        if (info.type().has_tensor_type() && info.type().tensor_type().has_shape()) {
          ranks[info.name()] = info.type().tensor_type().shape().dim_size();
        }
      }
    }
    return ranks;
  }

  ValueId resolve(const std::string& name, const std::string& where) const {
    if (name.empty()) return kNoValue;  // an omitted optional input
    ValueId id = graph_.find_value(name);
    if (id == kNoValue) {
      throw make_error(where, " uses value '", name, "', which no node, input or initializer defines");
    }
    return id;
  }

  void define(const std::string& name, const std::string& definer) {
    if (graph_.find_value(name) != kNoValue) {
      throw make_error("value '", name, "' is defined twice (again by ", definer, ")");
    }
  }

  const onnx::GraphProto& proto_;
  std::string base_dir_;
  Graph graph_;
};

Graph import_model_bytes(const std::string& bytes, const std::string& base_dir,
                         const ImportOptions& options) {
  onnx::ModelProto model = parse_model(bytes);
  int64_t opset = default_domain_opset(model);
  check_supported_ops(model.graph());
  return GraphImporter(model.graph(), base_dir).run(opset, options);
}

std::string model_directory(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

Graph import_onnx(const std::string& path, const ImportOptions& options) {
  try {
    return import_model_bytes(read_model_file(path), model_directory(path), options);
  } catch (const std::exception& error) {
    throw make_error("cannot import ONNX model '", path, "': ", error.what());
  }
}

Graph import_onnx_from_bytes(const std::string& bytes, const std::string& base_dir,
                             const ImportOptions& options) {
  try {
    return import_model_bytes(bytes, base_dir, options);
  } catch (const std::exception& error) {
    throw make_error("cannot import ONNX model from memory: ", error.what());
  }
}

}  // namespace nacre
