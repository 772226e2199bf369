// What the subcommands share: option parsing, the thread count, and running a phase so
// that an interrupt or a failed allocation becomes one line naming the phase.
#pragma once

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/phase.h"
#include "sim/footprint.h"

namespace campaign {

namespace po = boost::program_options;

inline constexpr unsigned MAX_THREADS = 4096;

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional);

// A subcommand's options and its one positional argument (stored in `value`): the
// variables, or nothing when --help was asked (the options and `help_footer` printed).
// `hidden`: more options, not shown by --help.
std::optional<po::variables_map> parse_command(const std::vector<std::string>& args,
                                               const po::options_description& options, const char* positional,
                                               std::string& value, const std::string& help_footer = "",
                                               const po::options_description* hidden = nullptr);

// "0" (every core) .. MAX_THREADS; InputError otherwise.
unsigned parse_threads(const std::string& text);
unsigned threads_in_use(unsigned requested);

// " (estimated peak 1.2 GB, 8.0 GB available from cgroup memory.max; --dry-run shows ...)"
std::string estimate_note(double peak, const MemoryLimit& limit);

// Runs one phase of a command. An interrupt is told what it interrupted; an allocation
// that fails (the estimate was wrong, or --force overrode it) becomes one line saying
// where, with the estimate, instead of the library's words.
template <class Body>
auto in_phase(const std::string& phase, const std::string& estimate, Body&& body) {
  try {
    return in_labelled_phase(phase, body);
  } catch (const OutOfMemory& e) {
    throw IoError(fmt::format("out of memory while {}{}{}", e.during(),
                              e.detail().empty() ? "" : ": " + e.detail(), estimate));
  }
}

}  // namespace campaign
