#include "io/data/npy.h"

#include <cstring>
#include <fstream>
#include <iterator>

#include "io/data/npy_header.h"
#include "util/error.h"

namespace nacre {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

std::vector<char> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw make_error("cannot open .npy file ", path, ": no such file or not readable");
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

uint32_t read_little_endian(const char* bytes, size_t count) {
  uint32_t value = 0;
  for (size_t i = 0; i < count; ++i)
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  return value;
}

// Returns the header text and sets `data_offset` to where the array bytes start.
std::string read_header_text(const std::vector<char>& file, const std::string& path, size_t& data_offset) {
  if (file.size() < kMagicSize + 2 || std::memcmp(file.data(), kMagic, kMagicSize) != 0) {
    throw make_error(path, ": not a .npy file (it does not start with \\x93NUMPY)");
  }
  int major = static_cast<uint8_t>(file[6]);
  if (major < 1 || major > 3) {
    throw make_error(path, ": .npy format version ", major, ".", static_cast<int>(file[7]),
                     " is not supported (nacre reads 1.0, 2.0 and 3.0)");
  }
  size_t length_size = major == 1 ? 2 : 4;
  size_t header_start = kMagicSize + 2 + length_size;
  if (file.size() < header_start) throw make_error(path, ": truncated .npy file (no header length)");
  size_t header_size = read_little_endian(file.data() + kMagicSize + 2, length_size);
  if (file.size() < header_start + header_size) {
    throw make_error(path, ": truncated .npy file (header of ", header_size, " bytes, file has ", file.size(),
                     " bytes)");
  }
  data_offset = header_start + header_size;
  return std::string(file.data() + header_start, header_size);
}

void write_all(std::ofstream& out, const void* data, size_t size, const std::string& path) {
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw make_error("cannot write .npy file ", path, " (disk full or not writable?)");
}

}  // namespace

Tensor read_npy(const std::string& path) {
  std::vector<char> file = read_file_bytes(path);
  size_t data_offset = 0;
  NpyHeader header = parse_npy_header(read_header_text(file, path, data_offset), path);
  size_t data_size = static_cast<size_t>(element_count(header.shape)) * element_size(header.dtype);
  if (file.size() - data_offset < data_size) {
    throw make_error(path, ": truncated .npy file: shape ", to_string(header.shape), " of ",
                     to_string(header.dtype), " needs ", data_size, " bytes of data, the file has ",
                     file.size() - data_offset);
  }
  std::vector<std::byte> bytes(data_size);
  if (data_size > 0) std::memcpy(bytes.data(), file.data() + data_offset, data_size);
  if (header.dtype == DataType::kBool) {
    for (std::byte& b : bytes) b = b != std::byte{0} ? std::byte{1} : std::byte{0};  // a bool is 0 or 1
  }
  return Tensor(header.dtype, header.shape, std::move(bytes));
}

void write_npy(const std::string& path, const Tensor& tensor) {
  if (tensor.empty()) throw make_error("cannot write ", path, ": the tensor holds no data");
  std::string header = format_npy_header(tensor.dtype(), tensor.shape(), kMagicSize + 4);
  char version[2] = {1, 0};
  if (header.size() > 0xffff) {  // numpy switches to version 2.0 (4-byte length) for such headers
    header = format_npy_header(tensor.dtype(), tensor.shape(), kMagicSize + 6);
    version[0] = 2;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw make_error("cannot create .npy file ", path, " (does its folder exist and is it writable?)");
  write_all(out, kMagic, kMagicSize, path);
  write_all(out, version, 2, path);
  uint32_t size = static_cast<uint32_t>(header.size());
  char length[4] = {static_cast<char>(size & 0xff), static_cast<char>((size >> 8) & 0xff),
                    static_cast<char>((size >> 16) & 0xff), static_cast<char>((size >> 24) & 0xff)};
  write_all(out, length, version[0] == 1 ? 2 : 4, path);
  write_all(out, header.data(), header.size(), path);
  write_all(out, tensor.raw(), tensor.byte_size(), path);
}

}  // namespace nacre
