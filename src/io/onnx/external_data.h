// Reads a tensor's bytes stored outside the model file (ONNX external data: location, offset, length).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace nacre {

// `entries` are the tensor's external_data key/value pairs; `location` is relative to `base_dir` (the model's
// folder). Throws Error naming the tensor and the file when it is missing, too short or the entries are bad.
std::vector<std::byte> read_external_data(const std::string& tensor_name,
                                          const std::map<std::string, std::string>& entries,
                                          const std::string& base_dir, std::size_t expected_bytes);

}  // namespace nacre
