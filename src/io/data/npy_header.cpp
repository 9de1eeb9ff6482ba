#include "io/data/npy_header.h"

#include <cctype>
#include <utility>
#include <vector>

#include "util/error.h"

namespace nacre {
namespace {

const std::vector<std::pair<std::string, DataType>>& npy_descriptors() {
  // The first spelling of each type is the one numpy writes; the others are read too.
  static const std::vector<std::pair<std::string, DataType>> descriptors = {
      {"<f4", DataType::kFloat32}, {"<f8", DataType::kFloat64}, {"<i8", DataType::kInt64},
      {"<i4", DataType::kInt32},   {"|i1", DataType::kInt8},    {"|u1", DataType::kUInt8},
      {"|b1", DataType::kBool},    {"<i1", DataType::kInt8},    {"<u1", DataType::kUInt8},
      {"<b1", DataType::kBool},    {"=f4", DataType::kFloat32}, {"=f8", DataType::kFloat64},
      {"=i8", DataType::kInt64},   {"=i4", DataType::kInt32}};
  return descriptors;
}

DataType dtype_from_descriptor(const std::string& descr, const std::string& path) {
  for (const auto& [name, dtype] : npy_descriptors()) {
    if (name == descr) return dtype;
  }
  throw make_error(path, ": unsupported .npy dtype '", descr,
                   "'; nacre reads little-endian float32, float64, int64, int32, int8, uint8 and bool ",
                   "(save with e.g. array.astype(numpy.float32))");
}

std::string descriptor_of(DataType dtype) {
  for (const auto& [name, type] : npy_descriptors()) {
    if (type == dtype) return name;
  }
  throw make_error("no .npy descriptor for data type ", to_string(dtype));
}

// Reads the dict literal one token at a time; numpy's headers use only strings, booleans and int tuples.
class DictReader {
 public:
  DictReader(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  bool at_end_of_dict() {
    skip_space();
    return peek() == '}';
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string read_string() {
    skip_space();
    char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string::npos) fail("unterminated string");
    std::string value = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return value;
  }
  bool read_bool() {
    skip_space();
    for (bool value : {true, false}) {
      std::string word = value ? "True" : "False";
      if (text_.compare(pos_, word.size(), word) == 0) {
        pos_ += word.size();
        return value;
      }
    }
    fail("expected True or False");
  }
  Shape read_int_tuple() {
    Shape shape;
    expect('(');
    while (!accept(')')) {
      shape.push_back(read_int());
      if (!accept(',')) {
        expect(')');
        break;
      }
    }
    return shape;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw make_error(path_, ": malformed .npy header at character ", pos_, ": ", what, " in \"", text_, "\"");
  }

 private:
  int64_t read_int() {
    skip_space();
    size_t begin = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (begin == pos_) fail("expected a non-negative integer");
    accept('L');  // Python 2 wrote long integers as 3L
    return std::stoll(text_.substr(begin, pos_ - begin));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  const std::string& text_;
  const std::string& path_;
  size_t pos_ = 0;
};

std::string shape_literal(const Shape& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1) out += ",";
  return out + ")";
}

}  // namespace

NpyHeader parse_npy_header(const std::string& text, const std::string& path) {
  DictReader reader(text, path);
  NpyHeader header;
  bool has_descr = false, has_shape = false;
  reader.expect('{');
  while (!reader.at_end_of_dict()) {
    std::string key = reader.read_string();
    reader.expect(':');
    if (key == "descr") {
      header.dtype = dtype_from_descriptor(reader.read_string(), path);
      has_descr = true;
    } else if (key == "fortran_order") {
      if (reader.read_bool()) {
        throw make_error(path, ": Fortran-order .npy arrays are not supported; save a C-order array ",
                         "(numpy.save(path, numpy.ascontiguousarray(array)))");
      }
    } else if (key == "shape") {
      header.shape = reader.read_int_tuple();
      has_shape = true;
    } else {
      reader.fail("unknown key '" + key + "'");
    }
    if (!reader.accept(',')) break;
  }
  reader.expect('}');
  if (!has_descr || !has_shape) reader.fail("the header needs both 'descr' and 'shape'");
  return header;
}

std::string format_npy_header(DataType dtype, const Shape& shape, size_t preamble_size) {
  std::string dict = "{'descr': '" + descriptor_of(dtype) +
                     "', 'fortran_order': False, 'shape': " + shape_literal(shape) + ", }";
  size_t unpadded = preamble_size + dict.size() + 1;  // +1 for the final '\n'
  size_t padding = (64 - unpadded % 64) % 64;
  return dict + std::string(padding, ' ') + "\n";
}

}  // namespace nacre
