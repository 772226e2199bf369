// A progress line on stderr (bar, rate, ETA), drawn only when stderr is a terminal and at
// most ten times a second, so that it costs nothing in pipelines and CI logs.
#pragma once

#include <chrono>
#include <cstdint>

namespace campaign {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(std::uint64_t done, std::uint64_t total);
  void finish();  // clears the line

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace campaign
