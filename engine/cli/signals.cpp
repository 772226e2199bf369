#include "cli/signals.h"

#include <unistd.h>

#include <csignal>

#include "core/interrupt.h"
#include "io/output_file.h"

namespace campaign {
namespace {

extern "C" void on_stop_signal(int signal) {
  const bool first = !interrupt_requested();
  request_interrupt(signal);
  if (first || final_commit_begun()) return;
  // Only async-signal-safe calls from here: unlink(2), write(2), _exit(2).
  remove_temp_files_now();
  static const char message[] = "campaign-sim: interrupted again; stopped at once, no results written\n";
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  ::_exit(128 + signal);
}

}  // namespace

void install_signal_handlers() {
  struct sigaction stop {};
  stop.sa_handler = on_stop_signal;
  sigemptyset(&stop.sa_mask);
  // No SA_RESTART: a call blocked on an input (opening a FIFO that no one writes, reading
  // a pipe) returns EINTR and the command stops, instead of waiting on; loops poll the
  // request. A read or write that fails this way is reported as the interruption (main).
  stop.sa_flags = 0;
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &stop, nullptr);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  for (const int signal : {SIGXFSZ, SIGPIPE}) sigaction(signal, &ignore, nullptr);
}

}  // namespace campaign
