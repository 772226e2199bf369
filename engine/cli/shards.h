// Shards (docs/cluster.md): `run`, `sweep` and `compare` with `--shard I/N` run share I of
// the study's work units into a part file, and `campaign-sim merge PART... -o OUT.h5`
// joins the parts into the file the command run in one process writes, bit for bit.
//
// The merge runs the shards' command again (its arguments are in every part) with a
// hidden `--merge-from PART` per part: the front end plans the same study from the same
// files, checks it against the parts' manifest, and writes OUT from the parts' results
// instead of running anything. So a sweep's and a comparison's tables come from the one
// code that writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/study_file.h"

namespace campaign {

// The options the study front ends add: --shard (shown) and --merge-from (hidden).
po::options_description shard_option();
po::options_description merge_from_option();

// What they ask of a front end: nothing, a shard into its part file, or a merge.
struct ShardMode {
  std::optional<ShardRun> shard;
  std::vector<std::string> merge_parts;
  bool any() const { return shard.has_value() || !merge_parts.empty(); }
};
// `args`: the command's arguments as given (a shard keeps them for the merge).
ShardMode shard_mode(const po::variables_map& vm, const std::vector<std::string>& args);

// <stem>.shard-I-of-N.h5 beside OUT = <stem>.h5 (I zero-padded to N's digits).
std::string shard_part_path(const std::string& out, const ShardRun& shard);

// Fills a study file's options for the mode; `out_arg` is the command's -o (a shard
// writes its part beside it). Returns the path the command writes.
std::string apply_shard_mode(const ShardMode& mode, const std::string& out_arg, const std::vector<std::string>& inputs,
                             bool force, StudyFileOptions& options);

// What a shard or a merge prints when it is done.
void print_shard_or_merge(const ShardMode& mode, const StudyFileOptions& options, const StudyFileRun& done);

int merge_command(const std::vector<std::string>& args);

}  // namespace campaign
