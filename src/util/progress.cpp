#include "util/progress.h"

#include <unistd.h>

#include <cstdio>

namespace nacre {

std::string format_duration(double seconds) {
  char buffer[32];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
  } else {
    auto total = static_cast<int64_t>(seconds + 0.5);
    if (total >= 3600) {
      std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                    static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
    } else {
      std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(total / 60),
                    static_cast<long long>(total % 60));
    }
  }
  return buffer;
}

Progress::Progress(std::string label, int64_t total, std::string unit, bool enabled)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(enabled),
      interactive_(isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  if (!finished_) finish();
}

void Progress::update(int64_t done) {
  done_ = done;
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (interactive_) {
    if (now - last_draw_ < std::chrono::milliseconds(200)) return;
    last_draw_ = now;
    draw(false);
    return;
  }
  int tenth = total_ > 0 ? static_cast<int>(10 * done_ / total_) : 0;
  if (tenth > last_tenth_ && tenth < 10) {
    last_tenth_ = tenth;
    draw(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (enabled_) draw(true);
}

void Progress::draw(bool final_draw) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0;
  double fraction = total_ > 0 ? static_cast<double>(done_) / total_ : 1.0;
  std::string bar;
  if (interactive_) {
    const int width = 24;
    int filled = static_cast<int>(fraction * width);
    bar = "[" + std::string(filled, '=') + std::string(width - filled, ' ') + "] ";
  }
  std::string tail = final_draw ? "in " + format_duration(elapsed)
                                : "left " + (rate > 0 ? format_duration((total_ - done_) / rate) : "?");
  std::fprintf(stderr, "%s%s %s%3.0f%% %lld/%lld %s, %.1f/s, %s%s", interactive_ ? "\r" : "", label_.c_str(),
               bar.c_str(), 100 * fraction, static_cast<long long>(done_), static_cast<long long>(total_),
               unit_.c_str(), rate, tail.c_str(), interactive_ && !final_draw ? "\033[K" : "\n");
  std::fflush(stderr);
}

}  // namespace nacre
