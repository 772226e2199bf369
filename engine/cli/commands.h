// The subcommands of `campaign-sim`. Each takes its own arguments (after the command
// name) and returns the process exit status; errors propagate as typed exceptions.
#pragma once

#include <string>
#include <vector>

namespace campaign {

int run_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);  // cli/shards.cpp
int export_command(const std::vector<std::string>& args);
int inspect_command(const std::vector<std::string>& args);
int reference_command(const std::vector<std::string>& args);
int graph_command(const std::vector<std::string>& args);

}  // namespace campaign
