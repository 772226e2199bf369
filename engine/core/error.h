// Typed errors. The library never exits; `main` catches these and prints one line. The
// exit statuses are documented in docs/errors.md.
#pragma once

#include <stdexcept>
#include <string>

namespace campaign {

// Bad user input: the command line, scenario files, --set overrides, edge lists, partner
// tables, an output path the rules refuse, a run too large for the memory available.
// The message is the whole line the user sees, already naming the file, line, key and
// what is allowed. Exit status 2: nothing was attempted.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Failure of the machine or the file system (cannot create or write the output, HDF5
// error, out of memory). Exit status 1.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An allocation failed (the memory estimate was wrong, or --force overrode it) while the
// engine was doing `during` ("building the graph"): the front end adds the estimate.
class OutOfMemory : public IoError {
 public:
  explicit OutOfMemory(std::string during, std::string detail = "")
      : IoError("out of memory while " + during + (detail.empty() ? "" : ": " + detail)),
        during_(std::move(during)),
        detail_(std::move(detail)) {}
  const std::string& during() const { return during_; }
  const std::string& detail() const { return detail_; }  // e.g. "a size is beyond ..."

 private:
  std::string during_, detail_;
};

// The user asked the command to stop (Ctrl-C, SIGTERM); nothing was written under the
// final name. Exit status 128 + the signal's number (130, 143).
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal, std::string during = "", std::string outcome = "no results written")
      : std::runtime_error("interrupted"), signal_(signal), during_(std::move(during)), outcome_(std::move(outcome)) {}
  int signal() const { return signal_; }
  // What was under way ("building the graph"), when the catcher knew it.
  const std::string& during() const { return during_; }
  // What became of the results ("no results written", or what a sweep kept).
  const std::string& outcome() const { return outcome_; }

 private:
  int signal_;
  std::string during_;
  std::string outcome_;
};

}  // namespace campaign
