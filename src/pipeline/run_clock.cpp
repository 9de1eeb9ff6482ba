#include "pipeline/run_clock.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pipeline/run_directory.h"
#include "util/error.h"
#include "util/seconds_since.h"

namespace nacre {

RunClock::RunClock(std::string record_path, double write_every_seconds)
    : record_path_(std::move(record_path)) {
  if (std::filesystem::exists(record_path_)) {
    try {
      std::ifstream file(record_path_);
      nlohmann::json record = nlohmann::json::parse(file);
      seconds_before_ = record.at("seconds").get<double>();
      processes_before_ = record.at("processes").get<int>();
      stage_seconds_ = record.at("stage_seconds").get<std::map<std::string, double>>();
    } catch (const nlohmann::json::exception& error) {
      throw make_error(record_path_, " is not a run clock (", error.what(),
                       "): the time this run already spent is unknown; restore the file or start a new run");
    }
  }
  write();
  writer_ = std::thread([this, write_every_seconds] { keep_writing(write_every_seconds); });
}

RunClock::~RunClock() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  writer_.join();
  try {
    write();
  } catch (const std::exception&) {
    // A destructor must not throw; the thread's last write stands.
  }
}

double RunClock::elapsed_seconds() const { return seconds_before_ + seconds_since(start_); }

void RunClock::start_stage(const std::string& stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  current_stage_ = stage;
  current_stage_start_ = std::chrono::steady_clock::now();
}

void RunClock::stop_stage() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_stage_.empty()) return;
  stage_seconds_[current_stage_] += seconds_since(current_stage_start_);
  current_stage_.clear();
}

std::map<std::string, double> RunClock::stage_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, double> seconds = stage_seconds_;
  if (!current_stage_.empty()) seconds[current_stage_] += seconds_since(current_stage_start_);
  return seconds;
}

void RunClock::write() const {
  nlohmann::json record = {{"seconds", elapsed_seconds()},
                           {"processes", processes_before_ + 1},
                           {"stage_seconds", stage_seconds()}};
  write_file_atomically(record_path_, record.dump(2) + "\n");
}

void RunClock::keep_writing(double every_seconds) {
  auto interval = std::chrono::duration<double>(every_seconds);
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_signal_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    try {
      write();
    } catch (const std::exception&) {
      // A full disk stops the record from advancing; the run itself goes on and meets the error elsewhere.
    }
    lock.lock();
  }
}

}  // namespace nacre
