#include "graph/csr_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/error.h"
#include "core/interrupt.h"
#include "io/output_file.h"

namespace campaign {
namespace {

constexpr char MAGIC[8] = {'C', 'S', 'I', 'M', 'C', 'S', 'R', '1'};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

template <class T>
void read_exact(std::FILE* f, T* data, std::size_t count, const std::string& path) {
  constexpr std::size_t PIECE = (std::size_t{64} << 20) / sizeof(T);
  for (std::size_t done = 0; done < count; done += PIECE) {
    throw_if_interrupted();
    const std::size_t n = std::min(PIECE, count - done);
    if (std::fread(data + done, sizeof(T), n, f) != n) {
      throw InputError(path + ": binary CSR file is truncated");
    }
  }
}

// In pieces of at most 64 MiB, so that an interrupt is answered between them.
template <class T>
void write_exact(std::FILE* f, const T* data, std::size_t count, const std::string& path) {
  constexpr std::size_t PIECE = (std::size_t{64} << 20) / sizeof(T);
  for (std::size_t done = 0; done < count; done += PIECE) {
    throw_if_interrupted();
    const std::size_t n = std::min(PIECE, count - done);
    if (std::fwrite(data + done, sizeof(T), n, f) != n) {
      throw IoError("cannot write '" + path + "': " + std::strerror(errno));
    }
  }
}

// Runs `body(file)` on a temporary file beside `path` and renames it to `path`; on any
// failure (or an interrupt) the temporary file is removed and `path` is untouched.
template <class Body>
void write_atomically(const std::string& path, Body&& body) {
  TempFile temp(path);
  {
    File f(std::fopen(temp.path().c_str(), "wb"));
    if (!f) throw IoError("cannot create '" + path + "': " + std::strerror(errno));
    body(f.get());
    if (std::fflush(f.get()) != 0) throw IoError("cannot write '" + path + "': " + std::strerror(errno));
  }
  throw_if_interrupted();
  temp.commit();
}

}  // namespace

bool is_csr_file(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  char head[8] = {};
  return f && std::fread(head, 1, 8, f.get()) == 8 && std::memcmp(head, MAGIC, 8) == 0;
}

void write_csr(const std::string& path, const CsrGraph& graph,
               const std::vector<std::uint64_t>& original_ids) {
  write_atomically(path, [&](std::FILE* f) {
    const std::uint64_t header[3] = {graph.num_nodes(), graph.num_arcs(),
                                     (original_ids.empty() ? 0u : 1u) | (graph.directed() ? 2u : 0u)};
    write_exact(f, MAGIC, 8, path);
    write_exact(f, header, 3, path);
    write_exact(f, graph.offsets().data(), graph.offsets().size(), path);
    write_exact(f, graph.targets().data(), graph.targets().size(), path);
    write_exact(f, original_ids.data(), original_ids.size(), path);
  });
}

void stream_edge_list(std::FILE* out, const std::string& name, const CsrGraph& graph,
                      const std::vector<std::uint64_t>& original_ids) {
  std::string buffer;
  buffer.reserve(std::size_t{1} << 22);
  char number[24];
  auto append = [&](std::uint64_t id) {
    buffer.append(number, std::to_chars(number, number + sizeof number, id).ptr);
  };
  for (NodeId u = 0; u < graph.num_nodes(); ++u) {
    for (NodeId v : graph.neighbors(u)) {
      if (!graph.directed() && v < u) continue;  // an undirected edge once
      append(original_ids.empty() ? u : original_ids[u]);
      buffer += ' ';
      append(original_ids.empty() ? v : original_ids[v]);
      buffer += '\n';
    }
    if (buffer.size() >= (std::size_t{1} << 22)) {
      write_exact(out, buffer.data(), buffer.size(), name);
      buffer.clear();
    }
  }
  write_exact(out, buffer.data(), buffer.size(), name);
  if (std::fflush(out) != 0) throw IoError("cannot write '" + name + "': " + std::strerror(errno));
}

void write_edge_list(const std::string& path, const CsrGraph& graph,
                     const std::vector<std::uint64_t>& original_ids) {
  write_atomically(path, [&](std::FILE* f) { stream_edge_list(f, path, graph, original_ids); });
}

CsrHeader read_csr_header(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw InputError(path + ": cannot open graph file: " + std::strerror(errno));
  char magic[8] = {};
  read_exact(f.get(), magic, 8, path);
  if (std::memcmp(magic, MAGIC, 8) != 0) throw InputError(path + ": not a binary CSR file");
  std::uint64_t header[3] = {};
  read_exact(f.get(), header, 3, path);
  std::fseek(f.get(), 0, SEEK_END);
  const auto size = static_cast<std::uint64_t>(std::ftell(f.get()));
  const auto [nodes, arcs, flags] = header;
  const bool has_ids = (flags & 1) != 0;
  // Every size is checked against the file's length before anything is multiplied, so a
  // damaged header (2^62 arcs, say) cannot wrap the arithmetic or ask for memory.
  const std::uint64_t payload = size >= 32 ? size - 32 : 0;
  const bool sizes_fit = flags <= 3 && nodes < 0xFFFF'FFFFull && nodes + 1 <= payload / 8 &&
                         arcs <= payload / 4;
  if (!sizes_fit || 8 * (nodes + 1) + 4 * arcs + (has_ids ? 8 * nodes : 0) != payload) {
    throw InputError(fmt::format("{}: binary CSR file is damaged: its header claims {} people and "
                                 "{} arcs, which do not match its length of {} bytes",
                                 path, nodes, arcs, size));
  }
  if (nodes == 0) throw InputError(path + ": binary CSR file has no people");
  return {nodes, arcs, has_ids, (flags & 2) != 0};
}

LoadedGraph read_csr(const std::string& path) {
  const auto [nodes, arcs, has_ids, directed] = read_csr_header(path);
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw InputError(path + ": cannot open graph file: " + std::strerror(errno));
  std::fseek(f.get(), 32, SEEK_SET);
  std::vector<ArcIndex> offsets(nodes + 1);
  std::vector<NodeId> targets(arcs);
  LoadedGraph loaded;
  read_exact(f.get(), offsets.data(), offsets.size(), path);
  read_exact(f.get(), targets.data(), targets.size(), path);
  if (has_ids) {
    loaded.original_ids.resize(nodes);
    read_exact(f.get(), loaded.original_ids.data(), nodes, path);
  }
  // Enough checking that no later access can go out of bounds.
  bool ok = offsets.front() == 0 && offsets.back() == arcs;
  for (std::uint64_t u = 0; ok && u < nodes; ++u) ok = offsets[u] <= offsets[u + 1];
  for (std::uint64_t i = 0; ok && i < arcs; ++i) ok = targets[i] < nodes;
  if (!ok) throw InputError(path + ": binary CSR file is damaged (offsets or targets out of range)");
  loaded.graph = CsrGraph(std::move(offsets), std::move(targets), directed);
  loaded.report.edges_in = loaded.graph.num_edges();
  return loaded;
}

void check_graph_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    throw InputError(path + ": cannot read graph file: it is a directory");
  }
  // A FIFO or a device would block on opening and could be read only once, where a
  // graph file is read twice (its size, then its edges).
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw InputError(path + ": cannot read graph file: it is not a regular file (a FIFO, a device "
                            "or a socket); save the edge list to a file first");
  }
}

LoadedGraph load_graph_file(const std::string& path, ArcReading reading) {
  check_graph_path(path);
  if (!is_csr_file(path)) return load_edge_list(path, reading);
  LoadedGraph loaded = read_csr(path);
  const bool directed = reading != ArcReading::undirected;
  if (loaded.graph.directed() != directed) {
    throw InputError(fmt::format("{}: the binary CSR file holds a{} graph, and graph.directed is {}; convert the "
                                 "edge list again{}",
                                 path, loaded.graph.directed() ? " directed" : "n undirected",
                                 directed ? "true" : "false",
                                 directed ? " with --directed" : " without --directed"));
  }
  return loaded;
}

}  // namespace campaign
