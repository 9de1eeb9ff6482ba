#include "io/data/npy.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "test_paths.h"

namespace nacre {
namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

template <typename T>
void expect_round_trip(const std::string& dir, Shape shape, std::vector<T> values) {
  SCOPED_TRACE(to_string(data_type_of<T>()) + " " + to_string(shape));
  std::string path = dir + "/" + to_string(data_type_of<T>()) + ".npy";
  write_npy(path, Tensor::from_vector<T>(shape, values));
  EXPECT_EQ(read_bytes(path).find('\n') + 1, 128u) << "header padded to 64-byte alignment";
  Tensor back = read_npy(path);
  EXPECT_EQ(back.dtype(), data_type_of<T>());
  EXPECT_EQ(back.shape(), shape);
  EXPECT_EQ(back.to_vector<T>(), values);
}

TEST(Npy, RoundTripsEveryDataType) {
  std::string dir = testing::scratch_dir("Npy.RoundTripsEveryDataType");
  expect_round_trip<float>(dir, {2, 3}, {1.5f, -2.0f, 0.0f, 3.25f, 1e-8f, -1e8f});
  expect_round_trip<double>(dir, {3}, {1.0 / 3.0, -2.5, 1e300});
  expect_round_trip<int64_t>(dir, {1, 2, 1}, {-(int64_t{1} << 40), 7});
  expect_round_trip<int32_t>(dir, {2}, {-5, 1 << 30});
  expect_round_trip<int8_t>(dir, {4}, {-128, -1, 0, 127});
  expect_round_trip<uint8_t>(dir, {2, 2}, {0, 1, 200, 255});
  expect_round_trip<bool>(dir, {3}, {true, false, true});
}

TEST(Npy, RoundTripsScalarAndEmptyShapes) {
  std::string dir = testing::scratch_dir("Npy.RoundTripsScalarAndEmptyShapes");
  write_npy(dir + "/scalar.npy", Tensor::scalar<float>(4.5f));
  Tensor scalar = read_npy(dir + "/scalar.npy");
  EXPECT_EQ(scalar.shape(), Shape{});
  EXPECT_EQ(scalar.to_vector<float>(), std::vector<float>{4.5f});
  write_npy(dir + "/empty.npy", Tensor(DataType::kInt64, {0, 3}));
  EXPECT_EQ(read_npy(dir + "/empty.npy").shape(), (Shape{0, 3}));
}

TEST(Npy, ReadsAKnownVersion1File) {
  // numpy.save of numpy.array([1, -2], dtype='<i4'), byte for byte.
  std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
  header += std::string(118 - header.size() - 1, ' ') + "\n";
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + std::string("\x76\x00", 2) + header +
                     std::string("\x01\x00\x00\x00\xfe\xff\xff\xff", 8);
  std::string dir = testing::scratch_dir("Npy.ReadsAKnownVersion1File");
  write_bytes(dir + "/known.npy", file);
  Tensor tensor = read_npy(dir + "/known.npy");
  EXPECT_EQ(tensor.shape(), Shape{2});
  EXPECT_EQ(tensor.to_vector<int32_t>(), (std::vector<int32_t>{1, -2}));
  write_npy(dir + "/ours.npy", tensor);
  EXPECT_EQ(read_bytes(dir + "/ours.npy"), file);
}

// Files written by numpy itself, in every supported dtype and format version.
TEST(Npy, ReadsFilesWrittenByNumpyAndWritesTheSameBytes) {
  std::string dir = testing::scratch_dir("Npy.ReadsFilesWrittenByNumpy");
  std::string script = dir + "/make.py";
  std::ofstream(script) << R"(import sys, numpy as np
from numpy.lib import format as f
d = sys.argv[1]
a = np.arange(24).reshape(2, 3, 4)
for name in ['float32', 'float64', 'int64', 'int32', 'int8', 'uint8', 'bool']:
    np.save(d + '/' + name + '.npy', (a - 5).astype(name) if name != 'bool' else a % 3 == 0)
for v in [(2, 0), (3, 0)]:
    with open(d + '/v%d.npy' % v[0], 'wb') as out:
        f.write_array(out, np.array([[0.5, -1.5]], dtype='<f4'), version=v)
np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype='<f4')))
np.save(d + '/float16.npy', np.ones(2, dtype='<f2'))
np.save(d + '/big_endian.npy', np.ones(2, dtype='>i4'))
)";
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + dir).c_str()), 0);

  std::vector<int64_t> expected_ints;
  for (int64_t i = 0; i < 24; ++i) expected_ints.push_back(i - 5);
  for (std::string name : {"float32", "float64", "int64", "int32", "int8", "uint8"}) {
    SCOPED_TRACE(name);
    Tensor tensor = read_npy(dir + "/" + name + ".npy");
    EXPECT_EQ(tensor.dtype(), data_type_from_string(name));
    EXPECT_EQ(tensor.shape(), (Shape{2, 3, 4}));
    std::vector<int64_t> values = tensor.as_int64s();
    if (name == "uint8") {
      for (int64_t& value : values) value -= value > 200 ? 256 : 0;  // -5..-1 wrapped around in uint8
    }
    EXPECT_EQ(values, expected_ints);
    write_npy(dir + "/ours.npy", tensor);
    EXPECT_EQ(read_bytes(dir + "/ours.npy"), read_bytes(dir + "/" + name + ".npy"));
  }
  Tensor flags = read_npy(dir + "/bool.npy");
  EXPECT_EQ(flags.dtype(), DataType::kBool);
  EXPECT_EQ(flags.as_int64s()[3], 1);
  EXPECT_EQ(flags.as_int64s()[4], 0);
  write_npy(dir + "/ours.npy", flags);
  EXPECT_EQ(read_bytes(dir + "/ours.npy"), read_bytes(dir + "/bool.npy"));

  for (std::string version : {"v2", "v3"}) {
    Tensor tensor = read_npy(dir + "/" + version + ".npy");
    EXPECT_EQ(tensor.shape(), (Shape{1, 2})) << version;
    EXPECT_EQ(tensor.to_vector<float>(), (std::vector<float>{0.5f, -1.5f})) << version;
  }
  EXPECT_THROW(read_npy(dir + "/fortran.npy"), Error);
  EXPECT_THROW(read_npy(dir + "/float16.npy"), Error);
  EXPECT_THROW(read_npy(dir + "/big_endian.npy"), Error);
}

void expect_error_containing(const std::string& path, const std::string& text) {
  try {
    read_npy(path);
    ADD_FAILURE() << "no error reading " << path;
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(text), std::string::npos) << error.what();
  }
}

TEST(Npy, RejectsBadFilesWithClearErrors) {
  std::string dir = testing::scratch_dir("Npy.RejectsBadFiles");
  write_npy(dir + "/good.npy", Tensor::from_vector<float>({4}, {1, 2, 3, 4}));
  std::string good = read_bytes(dir + "/good.npy");
  write_bytes(dir + "/truncated_data.npy", good.substr(0, good.size() - 1));
  write_bytes(dir + "/truncated_header.npy", good.substr(0, 40));
  write_bytes(dir + "/bad_magic.npy", "PK\x03\x04 this is a zip file");
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  write_bytes(dir + "/fortran.npy", fortran);

  expect_error_containing(dir + "/truncated_data.npy", "truncated");
  expect_error_containing(dir + "/truncated_header.npy", "truncated");
  expect_error_containing(dir + "/bad_magic.npy", "not a .npy file");
  expect_error_containing(dir + "/fortran.npy", "Fortran");
  expect_error_containing(dir + "/missing.npy", "cannot open");
  EXPECT_THROW(write_npy(dir + "/no/such/folder/x.npy", Tensor::scalar<float>(1.0f)), Error);
}

}  // namespace
}  // namespace nacre
