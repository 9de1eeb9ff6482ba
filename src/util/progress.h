// A progress display for long work on stderr: a bar with rate and time left on a terminal, and a line
// every tenth of the way when stderr is a log file, so CI logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace nacre {

class Progress {
 public:
  Progress(std::string label, int64_t total, std::string unit = "items", bool enabled = true);
  ~Progress();  // finishes the line if finish() was not called

  void update(int64_t done);
  void set_total(int64_t total) { total_ = total; }  // when the total becomes known late
  void advance(int64_t count = 1) { update(done_ + count); }
  void finish();

 private:
  void draw(bool final_draw);

  std::string label_, unit_;
  int64_t total_, done_ = 0;
  bool enabled_, interactive_, finished_ = false;
  int last_tenth_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

std::string format_duration(double seconds);  // "1:05:09", "4:32", "12.3s"

}  // namespace nacre
