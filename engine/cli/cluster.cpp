#include "cli/cluster.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.h"

#ifdef CAMPAIGN_WITH_MPI
#include <mpi.h>
#endif

namespace campaign::cluster {
namespace {

// What MPI launchers put in a rank's environment: Open MPI's mpirun, and Slurm's srun
// (PMIx or PMI-2).
int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS"}) {
    if (const char* value = std::getenv(name)) {
      if (std::string_view(name) == "SLURM_NTASKS" && std::getenv("PMIX_RANK") == nullptr &&
          std::getenv("PMI_RANK") == nullptr) {
        continue;  // a batch script's environment, not a rank's
      }
      return std::atoi(value);
    }
  }
  return std::getenv("PMIX_RANK") != nullptr || std::getenv("PMI_RANK") != nullptr ? 2 : 0;
}

int the_rank = 0, the_ranks = 1;
bool agreed = false, zero_ok = true;

}  // namespace

#ifdef CAMPAIGN_WITH_MPI

namespace {
constexpr int ASK = 1, ANSWER = 2;
bool started = false;  // MPI_Init_thread was called

// Open MPI's blocking calls poll, and a polling thread takes a core from the simulation:
// requests are waited for by testing them a millisecond apart instead.
void wait_for(MPI_Request& request, MPI_Status* status = MPI_STATUS_IGNORE) {
  int done = 0;
  for (MPI_Test(&request, &done, status); !done; MPI_Test(&request, &done, status)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}
}

bool built_with_mpi() { return true; }

void start(int& argc, char**& argv) {
  if (launched_ranks() == 0) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
  started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &the_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &the_ranks);
  if (provided < MPI_THREAD_SERIALIZED && the_ranks > 1) {
    if (the_rank == 0) fmt::print(stderr, "campaign-sim: the MPI library gives no thread support (MPI_THREAD_SERIALIZED)\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

void stop() {
  int finalized = 0;
  if (started && (MPI_Finalized(&finalized), !finalized)) MPI_Finalize();
}

struct TaskCounter::Impl {
  std::uint64_t tasks;
  std::atomic<std::uint64_t> handed{0};
  std::thread server;  // rank 0 of several
};

TaskCounter::TaskCounter(std::uint64_t tasks) : impl_(new Impl{tasks, {}, {}}) {
  if (the_rank != 0 || the_ranks == 1) return;
  impl_->server = std::thread([impl = impl_] {
    int told = 0;  // ranks told that no task is left
    while (told < the_ranks - 1) {
      int ask = 0;
      MPI_Status status;
      MPI_Request request;
      MPI_Irecv(&ask, 1, MPI_INT, MPI_ANY_SOURCE, ASK, MPI_COMM_WORLD, &request);
      wait_for(request, &status);
      const auto task = static_cast<unsigned long long>(impl->handed.fetch_add(1));
      MPI_Send(&task, 1, MPI_UNSIGNED_LONG_LONG, status.MPI_SOURCE, ANSWER, MPI_COMM_WORLD);
      if (task >= impl->tasks) ++told;
    }
  });
}

TaskCounter::~TaskCounter() {
  if (impl_->server.joinable()) impl_->server.join();
  delete impl_;
}

std::uint64_t TaskCounter::next() {
  if (the_rank == 0) return impl_->handed.fetch_add(1);
  int ask = 0;
  unsigned long long task = 0;
  MPI_Send(&ask, 1, MPI_INT, 0, ASK, MPI_COMM_WORLD);
  MPI_Request request;
  MPI_Irecv(&task, 1, MPI_UNSIGNED_LONG_LONG, 0, ANSWER, MPI_COMM_WORLD, &request);
  wait_for(request);
  return task;
}

void barrier() {
  if (!started) return;
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);  // a rank done early waits without taking a core
  wait_for(request);
}

std::uint64_t broadcast(std::uint64_t value) {
  if (!started) return value;
  auto v = static_cast<unsigned long long>(value);
  MPI_Bcast(&v, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  return v;
}

bool agree(bool ok) {
  agreed = true;
  if (!started || the_ranks == 1) return ok;
  int mine[2] = {ok ? 1 : 0, the_rank == 0 ? (ok ? 1 : 0) : 1}, all[2] = {0, 0};
  MPI_Request request;
  MPI_Iallreduce(mine, all, 2, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &request);
  wait_for(request);
  zero_ok = all[1] == 1;
  return all[0] == 1;
}

void abort(int status) {
  if (started) MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

#else  // one process

bool agree(bool ok) {
  agreed = true;
  return ok;
}

bool built_with_mpi() { return false; }

void start(int&, char**&) {
  if (const int ranks = launched_ranks(); ranks > 1) {
    throw InputError(fmt::format("started as one of {} MPI ranks, but this campaign-sim is built without MPI: "
                                 "build it with cmake -DCAMPAIGN_MPI=ON (docs/cluster.md), or run it alone",
                                 ranks));
  }
}

void stop() {}

struct TaskCounter::Impl {
  std::uint64_t tasks, handed = 0;
};

TaskCounter::TaskCounter(std::uint64_t tasks) : impl_(new Impl{tasks}) {}
TaskCounter::~TaskCounter() { delete impl_; }
std::uint64_t TaskCounter::next() { return impl_->handed++; }
void barrier() {}
std::uint64_t broadcast(std::uint64_t value) { return value; }
void abort(int status) { std::_Exit(status); }

#endif

int rank() { return the_rank; }
int ranks() { return the_ranks; }

void settle_failure() {
  if (!agreed && the_ranks > 1) agree(false);
}

bool rank_zero_ok() { return zero_ok; }

}  // namespace campaign::cluster
