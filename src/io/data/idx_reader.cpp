#include "io/data/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>

#include "util/error.h"

namespace nacre {
namespace {

// gzopen/gzread read gzipped and plain files alike.
class GzFile {
 public:
  explicit GzFile(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    if (!file_) throw make_error("cannot open IDX file ", path, ": no such file or not readable");
    gzbuffer(file_, 1 << 20);
  }
  ~GzFile() { gzclose(file_); }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;

  // Reads exactly `size` bytes; `what` names the part in the error for a short file.
  void read(void* out, size_t size, const char* what) {
    char* cursor = static_cast<char*>(out);
    size_t remaining = size;
    while (remaining > 0) {
      unsigned chunk = static_cast<unsigned>(std::min<size_t>(remaining, 1u << 30));
      int count = gzread(file_, cursor, chunk);
      if (count <= 0) {
        int code = 0;
        const char* message = gzerror(file_, &code);
        throw make_error(path_, ": truncated or corrupt IDX file: ", size - remaining, " of ", size,
                         " bytes of ", what, " read", code < 0 ? std::string(" (") + message + ")" : "",
                         "; download the file again");
      }
      cursor += count;
      remaining -= static_cast<size_t>(count);
    }
  }

  uint32_t read_big_endian_u32(const char* what) {
    unsigned char bytes[4];
    read(bytes, 4, what);
    return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  gzFile file_;
};

std::string hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%08x", value);
  return text;
}

// Reads the magic number and dimensions; throws unless the file holds unsigned bytes of `rank` dimensions.
std::vector<int64_t> read_idx_dimensions(GzFile& file, uint32_t rank) {
  uint32_t magic = file.read_big_endian_u32("the header");
  uint32_t expected = 0x0800 | rank;
  if (magic != expected) {
    throw make_error(file.path(), ": not an unsigned-byte IDX file of rank ", rank, " (magic number ",
                     hex(magic), ", expected ", hex(expected), ")");
  }
  std::vector<int64_t> dims;
  for (uint32_t i = 0; i < rank; ++i) dims.push_back(file.read_big_endian_u32("the header"));
  return dims;
}

}  // namespace

Tensor read_idx_images(const std::string& path) {
  GzFile file(path);
  std::vector<int64_t> dims = read_idx_dimensions(file, 3);
  Tensor images(DataType::kUInt8, {dims[0], 1, dims[1], dims[2]});
  file.read(images.mutable_raw(), images.byte_size(), "image data");
  return images;
}

std::vector<int64_t> read_idx_labels(const std::string& path) {
  GzFile file(path);
  std::vector<int64_t> dims = read_idx_dimensions(file, 1);
  std::vector<uint8_t> bytes(static_cast<size_t>(dims[0]));
  file.read(bytes.data(), bytes.size(), "label data");
  return std::vector<int64_t>(bytes.begin(), bytes.end());
}

}  // namespace nacre
