// Shared by the latency tests: a fast protocol and a script written into a scratch folder.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "latency/measure_latency.h"

namespace nacre::testing {

// Few runs, short caps: these tests check behaviour, never speed.
inline LatencyRequest quick_request(int64_t batch = 1) {
  LatencyRequest request;
  request.batch = batch;
  request.threads = 1;
  request.protocol.warmup_runs = 1;
  request.protocol.min_runs = 6;
  request.protocol.max_runs = 8;
  request.protocol.max_seconds = 2;
  return request;
}

inline std::string write_script(const std::string& dir, const std::string& name, const std::string& text) {
  std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  chmod(path.c_str(), 0755);
  return path;
}

}  // namespace nacre::testing
