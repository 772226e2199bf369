// The processes a command runs in: one, or the ranks of an MPI job (docs/cluster.md).
// MPI is optional (cmake -DCAMPAIGN_MPI=ON, Debian's libopenmpi-dev); only cluster.cpp
// includes <mpi.h>. A binary built with it starts MPI only when an MPI launcher
// (mpirun, srun) started the process, so it runs alone as any other build does.
#pragma once

#include <cstdint>
#include <string>

namespace campaign::cluster {

bool built_with_mpi();
// Call first in main: starts MPI when an MPI launcher started this process (InputError
// when it did but the binary has no MPI, so that N copies do not each run the study).
void start(int& argc, char**& argv);
void stop();  // ends MPI, where it was started; safe to call twice
int rank();   // 0 in a single process
int ranks();  // 1 in a single process

// Tasks 0 .. tasks-1 handed out on demand: each rank calls next() until it returns
// `tasks` or more, so a rank that finishes early takes more. Rank 0 hands them out from a
// thread of its own while it runs tasks too. Every rank makes one, collectively.
class TaskCounter {
 public:
  explicit TaskCounter(std::uint64_t tasks);
  ~TaskCounter();  // rank 0: waits until every rank has been told there are none left
  TaskCounter(const TaskCounter&) = delete;
  TaskCounter& operator=(const TaskCounter&) = delete;
  std::uint64_t next();

 private:
  struct Impl;
  Impl* impl_;
};

void barrier();
std::uint64_t broadcast(std::uint64_t value);  // rank 0's value, on every rank

// Every rank of a study says, once, whether it got to its run (collectively): true when
// all did. A rank that fails before calls it from its error path (settle_failure), so no
// rank waits for one that has given up. Ranks whose command ends before the agreement
// all fail the same way (bad input, refused options).
bool agree(bool ok);
void settle_failure();  // agree(false), unless this rank has agreed already (no-op alone)
// After the agreement: whether rank 0 got to its run (so a failure of this rank alone
// would go unsaid unless this rank says it).
bool rank_zero_ok();
// Ends every rank of the job with `status` (one rank failed; the others cannot finish).
[[noreturn]] void abort(int status);

}  // namespace campaign::cluster
