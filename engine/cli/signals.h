// How the process answers signals. Installed first thing in main, before any file is
// created, so no temporary file can exist without a handler that removes it.
//
// - SIGINT, SIGTERM, SIGHUP: the first asks every long loop to stop (core/interrupt.h);
//   the command then removes its temporary file, says what was interrupted and exits
//   128 + the signal (130, 143, 129). A second one while the command is still working
//   ends the process at once, after removing the temporary files (io/output_file.h).
//   Once the output is being committed, signals are only recorded: the file lands whole
//   and the command succeeds. System calls are not restarted after a handler, so a
//   command blocked on an input (a FIFO with no writer) stops too.
// - SIGXFSZ (a file-size limit): ignored, so the write fails with EFBIG and the command
//   reports it in one line with exit status 1 instead of dying of the signal.
// - SIGPIPE (standard output closed, `| head`): ignored likewise; the failed write ends
//   the command with exit status 1 and its temporary file removed.
#pragma once

namespace campaign {

void install_signal_handlers();

}  // namespace campaign
