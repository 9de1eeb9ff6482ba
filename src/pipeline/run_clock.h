// The time a run has spent, over every process that worked on it. A `nacre optimize` stopped at any moment
// and rerun goes on from where its clock stopped, so --time-budget bounds the whole run, not each attempt.
// The clock lives in a file of the run's folder, rewritten every few seconds by a background thread and once
// more when the clock is destroyed: a process killed outright loses at most the last interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace nacre {

class RunClock {
 public:
  // Reads the time spent by earlier processes from `record_path` when it is there. Throws Error when the file
  // is there but is not a clock record (a run folder edited by hand): a budget must not silently restart.
  explicit RunClock(std::string record_path, double write_every_seconds = 5);
  ~RunClock();
  RunClock(const RunClock&) = delete;
  RunClock& operator=(const RunClock&) = delete;

  double elapsed_seconds() const;                            // by earlier processes and this one
  double seconds_before() const { return seconds_before_; }  // by earlier processes
  bool resumed() const { return processes_before_ > 0; }

  // Time by stage, earlier processes included; the stage in progress counts up to now.
  void start_stage(const std::string& stage);
  void stop_stage();
  std::map<std::string, double> stage_seconds() const;

  void write() const;  // the record as of now (also done by the thread and at destruction)

 private:
  void keep_writing(double every_seconds);

  std::string record_path_;
  double seconds_before_ = 0;
  int processes_before_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

  mutable std::mutex mutex_;  // guards what follows, shared with the writing thread
  std::map<std::string, double> stage_seconds_;
  std::string current_stage_;
  std::chrono::steady_clock::time_point current_stage_start_;
  bool stopping_ = false;
  std::condition_variable stop_signal_;
  std::thread writer_;
};

}  // namespace nacre
