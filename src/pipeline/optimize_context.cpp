#include "pipeline/optimize_context.h"

#include <cstdio>

#include "util/available_cores.h"
#include "util/progress.h"

namespace nacre {

void OptimizeContext::announce(int stage, const std::string& name) const {
  std::fprintf(stderr, "[%d/8] %s (%s elapsed, %s of the budget left)\n", stage, name.c_str(),
               format_duration(elapsed_seconds()).c_str(),
               format_duration(std::max(0.0, seconds_left())).c_str());
}

int OptimizeContext::train_threads() const {
  if (options.train_threads > 0) return options.train_threads;
  return available_cores();
}

std::string file_name_for(const std::string& id) {
  std::string name = id;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  }
  return name;
}

}  // namespace nacre
