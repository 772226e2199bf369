// Typed errors. The library never exits; `main` catches these and prints one line.
#pragma once

#include <stdexcept>
#include <string>

namespace campaign {

// Bad user input: scenario files, --set overrides, edge lists. The message is the whole
// line the user sees, already naming the file, line, key and what is allowed.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Failure of the machine or the file system (cannot write the output, HDF5 error).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user asked the run to stop (Ctrl-C); nothing was written under the final name.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

}  // namespace campaign
