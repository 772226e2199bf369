// A request to stop, made asynchronously and polled by every loop that can run for long
// (graph generation and loading, the partner ecosystem, each step of a replication, the
// runner's blocks), so that Ctrl-C or SIGTERM ends a command within a fraction of a
// second wherever it is.
//
// This is the engine's one piece of process-wide mutable state, on purpose: a signal is
// delivered to the process, not to an object, and a handler may touch nothing but a
// lock-free atomic. The CLI's handlers (cli/signals.cpp) call request_interrupt(); the
// library only reads the request. Tests set and clear it directly.
//
//   for (std::uint64_t i = 0; i < n; ++i) {
//     if (i % 65536 == 0) throw_if_interrupted();
//     ...
//   }
#pragma once

#include <atomic>

namespace campaign {

namespace detail {
inline std::atomic<int> interrupt_signal{0};     // the first signal received, 0 if none
inline std::atomic<bool> final_commit{false};  // the command's output is being committed
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);
}  // namespace detail

// Async-signal-safe. Keeps the first signal: a SIGTERM after a SIGINT still exits 130.
inline void request_interrupt(int signal) noexcept {
  int none = 0;
  detail::interrupt_signal.compare_exchange_strong(none, signal, std::memory_order_relaxed);
}
inline int interrupt_signal() noexcept {
  return detail::interrupt_signal.load(std::memory_order_relaxed);
}
inline bool interrupt_requested() noexcept { return interrupt_signal() != 0; }

// Throws Interrupted(signal) when a stop was requested.
void throw_if_interrupted();

// Called by the command just before it commits its output: from then on a signal is
// only recorded (the output lands whole and the command reports success), and a second
// signal no longer ends the process at once. Async-signal-safe to read.
inline void begin_final_commit() noexcept {
  detail::final_commit.store(true, std::memory_order_seq_cst);
}
inline bool final_commit_begun() noexcept {
  return detail::final_commit.load(std::memory_order_seq_cst);
}

// For tests: forget any request and any commit.
inline void reset_interrupt_state() noexcept {
  detail::interrupt_signal.store(0);
  detail::final_commit.store(false);
}

}  // namespace campaign
