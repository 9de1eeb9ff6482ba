#include "io/onnx/external_data.h"

#include <filesystem>
#include <fstream>

#include "util/error.h"

namespace nacre {

namespace {

std::size_t parse_size_entry(const std::string& tensor_name, const std::string& key,
                             const std::string& text) {
  try {
    std::size_t consumed = 0;
    unsigned long long value = std::stoull(text, &consumed);
    if (consumed == text.size()) return static_cast<std::size_t>(value);
  } catch (const std::exception&) {
  }
  throw make_error("tensor '", tensor_name, "': external data ", key, " '", text, "' is not a byte count");
}

}  // namespace

std::vector<std::byte> read_external_data(const std::string& tensor_name,
                                          const std::map<std::string, std::string>& entries,
                                          const std::string& base_dir, std::size_t expected_bytes) {
  auto location = entries.find("location");
  if (location == entries.end() || location->second.empty()) {
    throw make_error("tensor '", tensor_name, "' is stored as external data but names no location");
  }
  std::filesystem::path file = std::filesystem::path(base_dir) / location->second;
  std::size_t offset =
      entries.count("offset") ? parse_size_entry(tensor_name, "offset", entries.at("offset")) : 0;
  std::size_t length = entries.count("length") ? parse_size_entry(tensor_name, "length", entries.at("length"))
                                               : expected_bytes;
  if (length != expected_bytes) {
    throw make_error("tensor '", tensor_name, "': external data length ", length, " in '", file.string(),
                     "' does not match its shape and type (", expected_bytes, " bytes)");
  }

  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw make_error("tensor '", tensor_name, "': external data file '", file.string(),
                     "' cannot be opened; keep it beside the model file");
  }
  std::error_code size_error;
  std::uintmax_t file_size = std::filesystem::file_size(file, size_error);
  if (size_error || file_size < offset + length) {
    throw make_error("tensor '", tensor_name, "': external data file '", file.string(), "' is too short (",
                     size_error ? 0 : file_size, " bytes, needs ", offset + length,
                     "); it may be truncated or belong to another model");
  }
  std::vector<std::byte> bytes(length);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(length));
  if (!in)
    throw make_error("tensor '", tensor_name, "': cannot read external data from '", file.string(), "'");
  return bytes;
}

}  // namespace nacre
