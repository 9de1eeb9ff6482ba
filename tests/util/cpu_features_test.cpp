// cpu_has_vnni against what the kernel reports for this CPU in /proc/cpuinfo.
#include "util/cpu_features.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace nacre {
namespace {

std::set<std::string> cpuinfo_flags() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::set<std::string> flags;
    for (std::string flag; words >> flag;) flags.insert(flag);
    return flags;
  }
  return {};
}

TEST(CpuFeatures, VnniAgreesWithTheKernelsFlags) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the flags checked are x86's";
#endif
  std::set<std::string> flags = cpuinfo_flags();
  if (flags.empty()) GTEST_SKIP() << "no /proc/cpuinfo flags here";
  ASSERT_TRUE(flags.count("sse2")) << "not the x86 flags list";
  EXPECT_EQ(cpu_has_vnni(), flags.count("avx512_vnni") + flags.count("avx_vnni") > 0);
}

}  // namespace
}  // namespace nacre
