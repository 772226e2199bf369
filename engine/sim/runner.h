// Runs a scenario's replications in parallel and reproducibly.
//
// The unit of parallel work is a block of consecutive replications of one scenario.
// Blocks are simulated concurrently by oneTBB (a parallel_pipeline whose middle stage
// runs blocks and whose last stage is serial and in order), and their trajectories are
// fed to the accumulator and the writer in replication order. Each replication draws only
// from counter-based streams keyed by its own index, so the results are bit-identical at
// any thread count and any block size. Thread count is capped by the caller
// (tbb::global_control). An interrupt request (core/interrupt.h) stops the run within a
// step of each replication in flight and throws Interrupted.
#pragma once

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
};

// Execution record of a run.
struct RunRecord {
  std::uint64_t replications = 0;
  std::uint32_t block_size = 0;
  int threads = 0;
  double seconds = 0;        // wall time of the parallel run, writing trajectories included
  double write_seconds = 0;  // of which spent writing trajectories
};

// Trajectories of at most this many bytes per block (unless one alone is larger).
inline constexpr std::uint64_t BLOCK_BYTES = std::uint64_t{4} << 20;
// The replications per block when RunOptions::block_size is 0; the parallel pipeline
// holds at most 2 x threads blocks.
std::uint32_t choose_block_size(std::uint64_t replications, int threads, std::size_t metrics,
                                std::uint32_t steps);

// When `trajectory_writer` is given, every replication's trajectory is written to it.
RunRecord run_replications(const Model& model, const RunOptions& options,
                           RunAccumulator& accumulator, ResultsWriter* trajectory_writer);

}  // namespace campaign
