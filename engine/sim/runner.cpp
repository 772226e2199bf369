#include "sim/runner.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <atomic>
#include <exception>

#include "core/error.h"
#include "core/interrupt.h"

namespace campaign {
namespace {

struct Block {
  std::uint64_t first = 0;
  std::vector<Trajectory> trajectories;
};

}  // namespace

std::uint32_t choose_block_size(std::uint64_t replications, int threads, std::size_t metrics,
                                std::uint32_t steps) {
  // Enough blocks to balance the threads (8 per thread), small enough to keep the
  // in-order stage's buffered trajectories small: at most 64 replications, and at most
  // BLOCK_BYTES of trajectories per block when steps are many.
  const std::uint64_t per_block = replications / (8ull * static_cast<std::uint64_t>(threads));
  const std::uint64_t trajectory_bytes = metrics * (steps + std::uint64_t{1}) * sizeof(double);
  const std::uint64_t fit = BLOCK_BYTES / std::max<std::uint64_t>(1, trajectory_bytes);
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(std::min(per_block, fit), 1, 64));
}


RunRecord run_replications(const Model& model, const RunOptions& options,
                           RunAccumulator& accumulator, ResultsWriter* trajectory_writer) {
  RunRecord record;
  record.replications = options.replications;
  record.threads = static_cast<int>(std::min<std::size_t>(
      tbb::this_task_arena::max_concurrency(),
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)));
  const std::size_t num_metrics = model.metric_names().size();
  record.block_size = options.block_size ? options.block_size
                                         : choose_block_size(options.replications, record.threads,
                                                             num_metrics, options.steps);

  // Kernels own O(people) scratch state; one per thread, reused across blocks. A kernel's
  // output never depends on what it simulated before, so reuse keeps results invariant.
  tbb::enumerable_thread_specific<std::unique_ptr<ReplicationKernel>> kernels(
      [&] { return model.make_kernel(); });

  const auto start = tbb::tick_count::now();
  std::uint64_t next_first = 0;
  std::uint64_t done = 0;
  bool cancelled = false;
  // A filter that throws would leave the blocks in flight undestroyed (oneTBB does not
  // destroy them when it cancels a pipeline): the first failure is kept instead, no new
  // block starts, those in flight pass through untouched, and it is rethrown at the end.
  std::exception_ptr failure;  // read once the pipeline is over
  std::atomic<bool> failed{false};
  const auto keep_failure = [&] {
    if (!failed.exchange(true)) failure = std::current_exception();  // the first one
  };
  tbb::parallel_pipeline(
      static_cast<std::size_t>(2 * record.threads),
      tbb::make_filter<void, Block>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> Block {
            if (next_first >= options.replications || failed.load(std::memory_order_relaxed) ||
                interrupt_requested()) {
              cancelled = next_first < options.replications;
              fc.stop();
              return {};
            }
            Block block;
            block.first = next_first;
            const std::uint64_t count =
                std::min<std::uint64_t>(record.block_size, options.replications - next_first);
            block.trajectories.assign(count, Trajectory(num_metrics, options.steps));
            next_first += count;
            return block;
          }) &
          tbb::make_filter<Block, Block>(
              tbb::filter_mode::parallel,
              [&](Block block) {
                if (failed.load(std::memory_order_relaxed)) return block;
                try {
                  auto& kernel = kernels.local();
                  for (std::size_t i = 0; i < block.trajectories.size(); ++i) {
                    kernel->simulate(static_cast<Replication>(block.first + i),
                                     block.trajectories[i]);
                  }
                } catch (...) {
                  keep_failure();
                }
                return block;
              }) &
          tbb::make_filter<Block, void>(tbb::filter_mode::serial_in_order, [&](const Block& block) {
            if (failed.load(std::memory_order_relaxed)) return;
            try {
              for (const auto& trajectory : block.trajectories) accumulator.add(trajectory);
              if (trajectory_writer != nullptr) {
                const auto write_start = tbb::tick_count::now();
                trajectory_writer->write_trajectories(block.first, block.trajectories);
                record.write_seconds += (tbb::tick_count::now() - write_start).seconds();
              }
              done += block.trajectories.size();
              if (options.progress) options.progress(done, options.replications);
            } catch (...) {
              keep_failure();
            }
          }));
  record.seconds = (tbb::tick_count::now() - start).seconds();
  if (failure) std::rethrow_exception(failure);
  if (cancelled) throw Interrupted(interrupt_signal());
  return record;
}

}  // namespace campaign
