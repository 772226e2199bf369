// campaign-sim: dispatches to a subcommand and turns errors into one line and an exit
// status (2: bad input or usage, 1: I/O or internal failure, 130: interrupted).
#include <boost/program_options/errors.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/error.h"
#include "core/version.h"

namespace {

constexpr const char* USAGE =
    "campaign-sim — Monte Carlo simulation of marketing campaigns on social graphs\n"
    "\n"
    "Usage:\n"
    "  campaign-sim run SCENARIO.toml -o OUT.h5 [options]   run a scenario (see run --help)\n"
    "  campaign-sim reference                              print the scenario key reference\n"
    "  campaign-sim graph convert EDGES[.gz] OUT.csr       cache an edge list as binary CSR\n"
    "  campaign-sim graph info FILE                        size and degrees of a graph file\n"
    "  campaign-sim graph generate SCENARIO.toml OUT       save a scenario's graph (.csr or text)\n"
    "  campaign-sim --help | --version\n";

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
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
      fmt::print("campaign-sim {}\n", campaign::ENGINE_VERSION);
      return 0;
    }
    if (command == "run") return campaign::run_command(rest);
    if (command == "reference") return campaign::reference_command(rest);
    if (command == "graph") return campaign::graph_command(rest);
    fmt::print(stderr, "campaign-sim: unknown command '{}'; commands: run, reference, graph (see --help)\n",
               command);
    return 2;
  } catch (const campaign::InputError& e) {
    fmt::print(stderr, "campaign-sim: {}\n", e.what());
    return 2;
  } catch (const boost::program_options::error& e) {
    fmt::print(stderr, "campaign-sim: {} (see campaign-sim {} --help)\n", e.what(), args[0]);
    return 2;
  } catch (const campaign::Interrupted&) {
    fmt::print(stderr, "campaign-sim: interrupted; no results written\n");
    return 130;
  } catch (const std::exception& e) {
    fmt::print(stderr, "campaign-sim: error: {}\n", e.what());
    return 1;
  }
}
