// A progress line on stderr (bar, rate, ETA), drawn only when stderr is a terminal and at
// most ten times a second, so that it costs nothing in pipelines and CI logs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace campaign {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  bool enabled() const { return enabled_; }
  void update(std::uint64_t done, std::uint64_t total);  // replications of one run
  // A sweep: variants done of total, the replication rate, the sweep's ETA, failures.
  void update_study(std::size_t variants_done, std::size_t total, std::uint64_t replications_done,
                    std::size_t failures);
  void finish();  // clears the line

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::size_t first_done_ = static_cast<std::size_t>(-1);  // variants done at the first update
};

// A line on stderr for a set-up step that may take long (drawing a large partner
// ecosystem): shown only on a terminal and only once the step has run for `delay`, with
// the seconds so far, and cleared when the notice is destroyed.
class SlowStepNotice {
 public:
  SlowStepNotice(bool enabled, std::string text, std::chrono::milliseconds delay = std::chrono::milliseconds(1500));
  ~SlowStepNotice();
  SlowStepNotice(const SlowStepNotice&) = delete;
  SlowStepNotice& operator=(const SlowStepNotice&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false, shown_ = false;
  std::thread thread_;
};

}  // namespace campaign
