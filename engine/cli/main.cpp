// campaign-sim: dispatches to a subcommand and turns errors into one line and an exit
// status (docs/errors.md): 2 bad input or usage (nothing was attempted), 1 the machine or
// the file system failed (the output could not be written, out of memory), 128 + the
// signal when interrupted (130 Ctrl-C, 143 SIGTERM).
#include <boost/program_options/errors.hpp>
#include <fmt/format.h>

#include <algorithm>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/cluster.h"
#include "cli/commands.h"
#include "cli/signals.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "core/version.h"

namespace {

constexpr const char* USAGE =
    "campaign-sim — Monte Carlo simulation of marketing campaigns on social graphs\n"
    "\n"
    "Usage:\n"
    "  campaign-sim run SCENARIO.toml -o OUT.h5 [options]   run a scenario (see run --help)\n"
    "  campaign-sim run SCENARIO.toml --dry-run            what it would build and need\n"
    "  campaign-sim sweep SCENARIO.toml -o OUT.h5 --vary KEY=SPEC...\n"
    "                                                      run a design of variants (sweep --help)\n"
    "  campaign-sim compare A.toml B.toml... -o OUT.h5     compare strategies (compare --help)\n"
    "  campaign-sim merge PART.h5... -o OUT.h5             join the parts of run/sweep/compare --shard I/N\n"
    "  campaign-sim export RESULTS.h5 [--table T] [-o F]   a results table as CSV\n"
    "  campaign-sim inspect RESULTS.h5 [--json]            what a results file holds\n"
    "  campaign-sim reference [--metrics]                  print the scenario key (or metrics) reference\n"
    "  campaign-sim graph convert EDGES[.gz] OUT.csr       cache an edge list as binary CSR\n"
    "  campaign-sim graph info FILE                        size and degrees of a graph file\n"
    "  campaign-sim graph generate SCENARIO.toml OUT       save a scenario's graph (.csr or text)\n"
    "  campaign-sim --help | --version\n"
    "\n"
    "Every subcommand takes --help. Exit status: 0 done, 2 bad input (nothing attempted),\n"
    "1 the output could not be written or memory ran out, 3 some variants of a sweep failed,\n"
    "130/143 interrupted.\n";

// One line on stderr of at most 300 characters, whatever the message holds.
// Under MPI every rank meets the same bad input, and rank 0 says it; another rank says
// what failed on it alone (rank 0 having got to its run), naming itself.
void say(const std::string& message) {
  namespace cluster = campaign::cluster;
  cluster::settle_failure();  // first: no rank may wait for this one
  if (message.empty() || (cluster::rank() != 0 && !cluster::rank_zero_ok())) return;  // said by another rank
  const std::string prefix = cluster::rank() == 0 ? "campaign-sim: "
                                                    : fmt::format("campaign-sim: rank {} of {}: ", cluster::rank(),
                                                                  cluster::ranks());
  fmt::print(stderr, "{}{}\n", prefix, campaign::one_line(message, 300 - std::min<std::size_t>(prefix.size(), 100)));
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

}  // namespace

// An error that follows an interrupt request (an open or a read that returned EINTR, a
// write cut short) is the interruption's doing: report that, not the error.
int interrupted_status() {
  const int signal = campaign::interrupt_signal();
  if (signal == 0 || campaign::final_commit_begun()) return 0;
  say(fmt::format("interrupted by {}; no results written", signal_name(signal)));
  return 128 + signal;
}

int dispatch(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    campaign::cluster::start(argc, argv);
    if (args.empty()) {
      std::fputs(USAGE, stderr);
      return 2;
    }
    const std::string& command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
      std::fputs(USAGE, stdout);
      return 0;
    }
    if (command == "--version" || command == "-V") {
      fmt::print("campaign-sim {}{}\n", campaign::ENGINE_VERSION,
                 campaign::cluster::built_with_mpi() ? " (with MPI)" : "");
      return 0;
    }
    if (campaign::cluster::ranks() > 1 && command != "run" && command != "sweep" && command != "compare") {
      throw campaign::InputError(fmt::format("under an MPI launcher only run, sweep and compare run (their work "
                                             "shared by the ranks); run `campaign-sim {}` alone",
                                             campaign::excerpt(command, 40)));
    }
    if (command == "run") return campaign::run_command(rest);
    if (command == "sweep") return campaign::sweep_command(rest);
    if (command == "compare") return campaign::compare_command(rest);
    if (command == "merge") return campaign::merge_command(rest);
    if (command == "export") return campaign::export_command(rest);
    if (command == "inspect") return campaign::inspect_command(rest);
    if (command == "reference") return campaign::reference_command(rest);
    if (command == "graph") return campaign::graph_command(rest);
    say(fmt::format("unknown command '{}'; commands: run, sweep, compare, merge, export, inspect, reference, graph (see --help)",
                    campaign::excerpt(command, 40)));
    return 2;
  } catch (const campaign::InputError& e) {
    if (const int status = interrupted_status()) return status;
    say(e.what());
    return 2;
  } catch (const boost::program_options::error& e) {
    say(fmt::format("{} (see campaign-sim {} --help)", e.what(), args[0]));
    return 2;
  } catch (const campaign::Interrupted& e) {
    say(fmt::format("interrupted by {}{}; {}", signal_name(e.signal()),
                    e.during().empty() ? "" : " while " + e.during(), e.outcome()));
    return 128 + e.signal();
  } catch (const std::bad_alloc&) {
    if (const int status = interrupted_status()) return status;
    say("out of memory (see campaign-sim run --dry-run for what a run needs)");
    return 1;
  } catch (const std::length_error&) {
    if (const int status = interrupted_status()) return status;
    say("out of memory: a size is beyond what this machine can allocate (see campaign-sim run "
        "--dry-run for what a run needs)");
    return 1;
  } catch (const std::exception& e) {
    if (const int status = interrupted_status()) return status;
    say(fmt::format("error: {}", e.what()));
    return 1;
  }
}

int main(int argc, char** argv) {
  // Before anything can create a file: the handlers that remove it on a signal.
  campaign::install_signal_handlers();
  // A log file shows each line as it is printed, not in 4 kB lumps.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int status = dispatch(argc, argv);
  campaign::cluster::stop();
  return status;
}
