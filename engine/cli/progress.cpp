#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace campaign {

ProgressBar::ProgressBar(bool enabled)
    : enabled_(enabled && isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  constexpr int WIDTH = 30;
  const int filled = static_cast<int>(WIDTH * done / total);
  fmt::print(stderr, "\r[{:=<{}}{:<{}}] {}/{} replications  {:.1f}/s  ETA {}:{:02d} ", "", filled,
             "", WIDTH - filled, done, total, rate, static_cast<int>(eta) / 60,
             static_cast<int>(eta) % 60);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) {
    fmt::print(stderr, "\r{:<90}\r", "");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace campaign
