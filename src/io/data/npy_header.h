// The text header of a .npy file: parsing the Python dict literal numpy writes, and writing it numpy's way.
#pragma once

#include <string>

#include "ir/tensor.h"

namespace nacre {

struct NpyHeader {
  DataType dtype = DataType::kFloat32;
  Shape shape;
};

// Parses "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"; `path` is named in errors.
NpyHeader parse_npy_header(const std::string& text, const std::string& path);
// The dict literal numpy writes for this dtype and shape, padded with spaces and '\n' so that the data
// starts at a multiple of 64 bytes after a preamble of `preamble_size` bytes.
std::string format_npy_header(DataType dtype, const Shape& shape, size_t preamble_size);

}  // namespace nacre
