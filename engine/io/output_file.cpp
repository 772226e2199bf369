#include "io/output_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/text.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

std::string shown(const std::string& path) { return fmt::format("'{}'", excerpt_path(path, 80)); }

const std::vector<std::string>& extensions(OutputFormat format) {
  static const std::vector<std::string> hdf5 = {".h5", ".hdf5", ".he5", ".hdf"};
  static const std::vector<std::string> csr = {".csr"};
  static const std::vector<std::string> edge_list = {".edges", ".edgelist", ".el", ".txt", ".dat"};
  static const std::vector<std::string> csv = {".csv"};
  switch (format) {
    case OutputFormat::csv: return csv;
    case OutputFormat::hdf5: return hdf5;
    case OutputFormat::csr: return csr;
    case OutputFormat::edge_list: return edge_list;
  }
  return hdf5;
}

const char* format_name(OutputFormat format) {
  switch (format) {
    case OutputFormat::hdf5: return "an HDF5 results file";
    case OutputFormat::csr: return "a binary CSR graph";
    case OutputFormat::edge_list: return "a plain-text edge list";
    case OutputFormat::csv: return "a CSV table";
  }
  return "";
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Follows symbolic links (at most 40, as the kernel does) to the path they name, which
// need not exist yet.
std::string follow_links(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current;
    std::array<char, PATH_MAX> target{};
    const ssize_t n = ::readlink(current.c_str(), target.data(), target.size() - 1);
    if (n < 0) return current;
    fs::path next(std::string(target.data(), static_cast<std::size_t>(n)));
    if (next.is_relative()) next = fs::path(current).parent_path() / next;
    current = next.lexically_normal().string();
  }
  throw InputError(fmt::format("output {}: too many levels of symbolic links", shown(path)));
}

// The registry of temporary files for remove_temp_files_now(): fixed slots a signal
// handler can read. A slot is FREE, being FILLED by its owner, or LIVE.
enum SlotState : int { FREE = 0, FILLED = 1, LIVE = 2 };
constexpr int SLOTS = 16;
struct Slot {
  std::atomic<int> state{FREE};
  char path[PATH_MAX + 1] = {};
};
Slot registry[SLOTS];

int register_temp(const std::string& path) {
  if (path.size() > PATH_MAX) return -1;  // too long to register: still removed by RAII
  for (int i = 0; i < SLOTS; ++i) {
    int expected = FREE;
    if (registry[i].state.compare_exchange_strong(expected, FILLED)) {
      std::memcpy(registry[i].path, path.c_str(), path.size() + 1);
      registry[i].state.store(LIVE);
      return i;
    }
  }
  return -1;
}

void unregister_temp(int slot) {
  if (slot >= 0) registry[slot].state.store(FREE);
}

// 64 random bits for the temporary file's name, from the kernel (or, where getrandom
// fails, the clock and an address: uniqueness is enforced by O_EXCL in any case).
std::uint64_t random_tag() {
  std::uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
    bits = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           reinterpret_cast<std::uintptr_t>(&bits);
  }
  return bits;
}

}  // namespace

std::string allowed_extensions(OutputFormat format) {
  std::string text;
  for (const auto& ext : extensions(format)) {
    if (!text.empty()) text += ", ";
    text += ext;
  }
  return text;
}

std::string checked_output_path(const std::string& path, OutputFormat format,
                                const std::vector<std::string>& inputs, bool force) {
  if (path.empty()) throw InputError("the output file name is empty");
  if (path == "-") {
    throw InputError(fmt::format("output '-': {} cannot be written to standard output; name a file",
                                 format_name(format)));
  }
  if (path[0] == '-') {
    throw InputError(fmt::format("output {} looks like an option, not a file name (write ./{} to "
                                 "mean a file of that name)",
                                 shown(path), excerpt(path, 60)));
  }
  const std::string target = follow_links(path);
  struct stat out {};
  if (::stat(target.c_str(), &out) == 0) {
    if (!S_ISREG(out.st_mode)) {
      throw InputError(fmt::format("output {} is {}; only a regular file can be written or replaced",
                                   shown(path), kind_of(out.st_mode)));
    }
    for (const std::string& input : inputs) {
      struct stat in {};
      if (!input.empty() && ::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev &&
          in.st_ino == out.st_ino) {
        throw InputError(fmt::format("output {} is the input file {}; writing it would destroy "
                                     "the input: name another output",
                                     shown(path), shown(input)));
      }
    }
  }
  if (!force) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto& allowed = extensions(format);
    if (!ext.empty() && std::find(allowed.begin(), allowed.end(), ext) == allowed.end()) {
      throw InputError(fmt::format("output {}: the extension '{}' does not fit {}; allowed: {} "
                                   "(or none); --force writes it anyway",
                                   shown(path), excerpt(ext, 20), format_name(format),
                                   allowed_extensions(format)));
    }
  }
  return target;
}

namespace {

// The last line of defence, for callers that skipped checked_output_path(): rename(2)
// would replace a device node (as root) or fail late on a directory.
void refuse_non_regular(const std::string& final_path) {
  struct stat info {};
  if (::lstat(final_path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISLNK(info.st_mode)) {
    throw IoError(fmt::format("cannot write output file {}: it is {}, not replaced",
                              shown(final_path), kind_of(info.st_mode)));
  }
}

}  // namespace

TempFile::TempFile(std::string final_path) : final_path_(std::move(final_path)) {
  refuse_non_regular(final_path_);
  for (int attempt = 0;; ++attempt) {
    path_ = fmt::format("{}.tmp-{}-{:016x}", final_path_, ::getpid(), random_tag());
    // Registered before it exists, so no moment leaves a file a handler would not remove.
    slot_ = register_temp(path_);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    const int error = errno;
    unregister_temp(slot_);
    slot_ = -1;
    if (error == EEXIST && attempt < 8) continue;  // another writer's name: draw again
    const fs::path parent = fs::path(final_path_).parent_path();
    std::error_code ignored;
    const std::string reason =
        error == ENOENT && !parent.empty() && !fs::is_directory(parent, ignored)
            ? fmt::format("directory {} does not exist", shown(parent.string()))
            : std::strerror(error);
    throw IoError(fmt::format("cannot create output file {}: {}", shown(final_path_), reason));
  }
}

TempFile::~TempFile() {
  if (!committed_) std::remove(path_.c_str());  // best effort; a destructor must not throw
  unregister_temp(slot_);
}

void TempFile::commit() {
  if (committed_) return;
  refuse_non_regular(final_path_);
  if (std::rename(path_.c_str(), final_path_.c_str()) != 0) {
    const int error = errno;
    std::remove(path_.c_str());
    committed_ = true;  // nothing left to remove
    throw IoError(fmt::format("cannot write output file {}: renaming the finished temporary file "
                              "failed: {}",
                              shown(final_path_), std::strerror(error)));
  }
  committed_ = true;
  unregister_temp(slot_);
  slot_ = -1;
}

void remove_temp_files_now() noexcept {
  for (Slot& slot : registry) {
    if (slot.state.load() == LIVE) ::unlink(slot.path);
  }
}

}  // namespace campaign
