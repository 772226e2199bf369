// Runs a scenario's replications in parallel and reproducibly.
//
// The unit of parallel work is a block of consecutive replications of one scenario.
// Blocks are simulated concurrently by oneTBB (a parallel_pipeline whose middle stage
// runs blocks and whose last stage is serial and in order), and their trajectories are
// fed to the accumulator and the writer in replication order. Each replication draws only
// from counter-based streams keyed by its own index, so the results are bit-identical at
// any thread count and any block size. Thread count is capped by the caller
// (tbb::global_control).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "io/results_writer.h"
#include "model/model.h"
#include "results/accumulator.h"

namespace campaign {

struct RunOptions {
  std::uint64_t replications = 0;
  std::uint32_t steps = 0;
  std::uint32_t block_size = 0;  // 0: chosen from the replications and threads
  // Called from the in-order stage after each block: (replications done, total).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (throws Interrupted)
};

// Execution record of a run.
struct RunRecord {
  std::uint64_t replications = 0;
  std::uint32_t block_size = 0;
  int threads = 0;
  double seconds = 0;        // wall time of the parallel run, writing trajectories included
  double write_seconds = 0;  // of which spent writing trajectories
};

// When `trajectory_writer` is given, every replication's trajectory is written to it.
RunRecord run_replications(const Model& model, const RunOptions& options,
                           RunAccumulator& accumulator, ResultsWriter* trajectory_writer);

}  // namespace campaign
