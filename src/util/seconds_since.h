// Seconds of a steady clock since `start`: the one way the code times its own work.
#pragma once

#include <chrono>

namespace nacre {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace nacre
