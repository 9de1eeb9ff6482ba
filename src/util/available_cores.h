// How many threads "all cores" means here.
#pragma once

#include <algorithm>
#include <thread>

namespace nacre {

// The hardware's concurrency, at least 1 (the standard allows 0 for "unknown").
inline int available_cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace nacre
