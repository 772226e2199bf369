// Where a sweep's results live while it runs, and the file they end in.
//
// A finished variant is durable at once: it is written as a small results file of its
// own, `<OUT>.parts/<id>-<content key>.h5` (the layout of a one-scenario run file),
// under a temporary name that is renamed into place once complete. `kill -9` at any
// moment therefore loses at most the variants in flight, and OUT itself is never open
// for writing until the end (HDF5 1.10 has no journal). When every variant is done, the
// parts are merged, in id order, into OUT (written to a temporary name and renamed, as
// every results file) with the /sweep tables, and the folder is removed.
//
// The folder also holds the study's manifest (what the sweep is: engine version,
// scenario, design, replication policy, input files), which `--resume` compares with
// the command it is given, and a lock file: two sweeps never write the same folder.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "experiment/study.h"
#include "io/results_writer.h"

namespace campaign {

// The study's description, as TOML text: compared field by field on --resume.
std::string study_manifest(const Study& study, const std::string& design_spec);

// What changed between two manifests (the first field that differs, said for a user),
// or nothing; `grow_ok`: a sobol or random design may grow its samples (the first N
// points of a design do not depend on the total), and a shrunk one is said so.
std::optional<std::string> manifest_change(const std::string& before, const std::string& now, bool grow_ok);

// InputError naming the first field in which `before` (the interrupted sweep's) and
// `now` differ; a sobol or random design may grow its number of samples where `grow_ok`.
void check_resumable(const std::string& before, const std::string& now, const std::string& where,
                     bool grow_ok = true);

// Finished variants' results by content key: a whole variant's group (/scenarios/<name>)
// in a file, or its pieces (/pieces/<name>) in files, in replication order.
struct StoredResults {
  std::map<std::string, std::string> whole;
  std::map<std::string, std::vector<std::string>> pieces;
  bool has(const std::string& key) const { return whole.count(key) > 0 || pieces.count(key) > 0; }
};
// IoError naming the file when it cannot be read; std::logic_error when `stored` lacks it.
VariantResult read_stored(const StoredResults& stored, const StudyVariant& variant);

class PartStore {
 public:
  explicit PartStore(std::string out_path);  // the folder is <out_path>.parts
  ~PartStore();
  PartStore(const PartStore&) = delete;
  PartStore& operator=(const PartStore&) = delete;

  const std::string& folder() const { return folder_; }
  bool exists() const;
  // Creates the folder if needed and takes its lock (InputError when another process
  // holds it); removes temporary files that a killed process left.
  void open();
  std::optional<std::string> manifest() const;
  // The variants the manifest's study has (its `samples`), if a manifest can be read.
  std::optional<std::uint64_t> planned_variants() const;
  void write_manifest(const std::string& manifest);
  // Finished variants' parts: content key -> file.
  std::map<std::string, std::string> finished() const;
  // A shard's finished pieces of variants (their share of the replications): key -> file.
  std::map<std::string, std::string> finished_pieces() const;
  void remove_parts();  // every part, the manifest (for --overwrite)
  void write(const VariantResult& result);
  void write_piece(const VariantPiece& piece);
  void remove_folder();  // after the merge: the parts, the manifest, the lock, the folder

 private:
  std::string out_path_, folder_;
  int lock_fd_ = -1;
};

enum class VariantStatus { pending, done, failed };

struct StudyOutcome {
  std::vector<VariantStatus> status;       // per variant
  std::vector<std::uint64_t> replications;  // used, per variant
  std::vector<std::string> messages;       // of the failed ones
  std::vector<bool> target_reached;        // adaptive: false when max_replications stopped it
};

// Writes OUT: every finished variant's group in id order, read from its part (or, when
// resuming a finished sweep, from the previous OUT), then /sweep/design, /sweep/table
// and /sweep/failures. Variants finished by an earlier process (replications 0 in
// `outcome`) get their replications and target_reached from their results. The caller
// removes the folder once this returns.
// What a front end adds to the file: it sees every finished variant's results (in id
// order) and writes its own tables before the file is committed.
struct StudyFileExtras {
  std::function<void(std::size_t variant, const VariantResult& result)> result;
  std::function<void(ResultsWriter& writer)> tables;
};

void write_study_file(const Study& study, StudyOutcome& outcome, const std::string& manifest,
                      const StoredResults& stored, const std::optional<std::string>& previous_out,
                      const std::string& out_path, const StudyFileExtras& extras = {});

// A shard's part file (docs/cluster.md): the share's finished variants, whole ones as
// scenario groups and the others as pieces, its failures and `record`.
void write_shard_file(const Study& study, const StudyShare& share, const StudyOutcome& outcome,
                      const StoredResults& stored, ShardRecord record, const std::string& out_path);

// The finished variants of a complete sweep file: content key -> scenario name; its
// manifest in `manifest`. Empty when the file is not a sweep file.
std::map<std::string, std::string> finished_in_file(const std::string& path, std::string& manifest);

}  // namespace campaign
