#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace campaign {

SlowStepNotice::SlowStepNotice(bool enabled, std::string text, std::chrono::milliseconds delay) {
  if (!enabled || isatty(STDERR_FILENO) != 1) return;
  thread_ = std::thread([this, text = std::move(text), delay] {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, delay, [this] { return done_; })) return;
    do {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print(stderr, "\r\033[K{} ({:.0f} s)", text, seconds);
      std::fflush(stderr);
      shown_ = true;
    } while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; }));
  });
}

SlowStepNotice::~SlowStepNotice() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (shown_) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

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

void ProgressBar::update_study(std::size_t variants_done, std::size_t total, std::uint64_t replications_done,
                               std::size_t failures) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (variants_done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  if (variants_done < first_done_) first_done_ = variants_done;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(replications_done) / elapsed : 0.0;
  // The ETA from the variants this process finished (a resumed sweep's earlier ones cost
  // nothing now).
  const std::size_t done_here = variants_done - first_done_;
  const std::string eta =
      done_here == 0 ? std::string("--:--")
                     : [&] {
                         const auto s = static_cast<long>(elapsed * static_cast<double>(total - variants_done) /
                                                          static_cast<double>(done_here));
                         return fmt::format("{}:{:02d}", s / 60, s % 60);
                       }();
  constexpr int WIDTH = 30;
  const int filled = static_cast<int>(WIDTH * variants_done / total);
  fmt::print(stderr, "\r[{:=<{}}{:<{}}] {}/{} variants  {:.1f} replications/s  ETA {}{} ", "", filled, "",
             WIDTH - filled, variants_done, total, rate, eta,
             failures > 0 ? fmt::format("  {} failed", failures) : std::string());
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
