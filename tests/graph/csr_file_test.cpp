#include "graph/csr_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "graph/generators.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

using CsrFile = testing::TempDirTest;

TEST_F(CsrFile, RoundTripIsExactWithAndWithoutOriginalIds) {
  const CsrGraph g = erdos_renyi(3000, 0.004, 9);
  std::vector<std::uint64_t> ids(g.num_nodes());
  for (NodeId u = 0; u < g.num_nodes(); ++u) ids[u] = 1000000007ull * u;
  for (const bool with_ids : {true, false}) {
    const std::string path = (dir_ / "g.csr").string();
    write_csr(path, g, with_ids ? ids : std::vector<std::uint64_t>{});
    ASSERT_TRUE(is_csr_file(path));
    const LoadedGraph back = load_graph_file(path);
    EXPECT_EQ(back.graph.offsets(), g.offsets());
    EXPECT_EQ(back.graph.targets(), g.targets());
    EXPECT_EQ(back.original_ids, with_ids ? ids : std::vector<std::uint64_t>{});
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);  // no temp left
}

// A directed graph's CSR file keeps its direction (flag bit 1); asking for the other
// direction is refused, naming the file.
TEST_F(CsrFile, DirectedGraphsKeepTheirArcs) {
  const std::string text = write("arcs.txt", "1 2\n2 3\n3 1\n1 3\n").string();
  const LoadedGraph arcs = load_graph_file(text, ArcReading::talks_to);
  const std::string csr = (dir_ / "arcs.csr").string();
  write_csr(csr, arcs.graph, arcs.original_ids);
  EXPECT_TRUE(read_csr_header(csr).directed);
  const LoadedGraph back = load_graph_file(csr, ArcReading::follows);  // a CSR file holds talk arcs
  EXPECT_TRUE(back.graph.directed());
  EXPECT_EQ(back.graph.offsets(), arcs.graph.offsets());
  EXPECT_EQ(back.graph.targets(), arcs.graph.targets());
  EXPECT_EQ(back.original_ids, arcs.original_ids);
  try {
    load_graph_file(csr);
    ADD_FAILURE() << "an undirected reading of a directed CSR file was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("holds a directed graph, and graph.directed is false"), std::string::npos)
        << e.what();
  }
  const std::string undirected = (dir_ / "plain.csr").string();
  const LoadedGraph plain = load_graph_file(text);
  write_csr(undirected, plain.graph, plain.original_ids);
  EXPECT_FALSE(read_csr_header(undirected).directed);
  EXPECT_THROW(load_graph_file(undirected, ArcReading::follows), InputError);
}

TEST_F(CsrFile, TextEdgeListsAreStillReadAsText) {
  std::ofstream(dir_ / "e.txt") << "# net\n5 7\n7 9\n";
  EXPECT_FALSE(is_csr_file((dir_ / "e.txt").string()));
  const LoadedGraph g = load_graph_file((dir_ / "e.txt").string());
  EXPECT_EQ(g.graph.num_nodes(), 3u);
  EXPECT_EQ(g.graph.num_edges(), 2u);
}

TEST_F(CsrFile, DamagedFilesAreInputErrors) {
  const std::string path = (dir_ / "g.csr").string();
  write_csr(path, erdos_renyi(200, 0.05, 1), {});
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 4);  // truncated
  EXPECT_THROW(read_csr(path), InputError);
  write_csr(path, erdos_renyi(200, 0.05, 1), {});
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 4));
    const std::uint32_t bad = 5000;  // a target beyond the 200 people
    f.write(reinterpret_cast<const char*>(&bad), 4);
  }
  try {
    read_csr(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
  }
}

// A header that lies is refused from the header and the file's length alone, before any
// allocation: sizes that overflow 64-bit arithmetic (2^62 arcs times 4 bytes wraps to 0),
// counts beyond the file, and a file with no people.
TEST_F(CsrFile, HeadersAreCheckedAgainstTheFileLength) {
  const auto write_header = [&](std::uint64_t nodes, std::uint64_t arcs, std::uint64_t ids,
                                std::uint64_t payload) {
    const std::string path = (dir_ / "h.csr").string();
    std::ofstream f(path, std::ios::binary);
    f.write("CSIMCSR1", 8);
    for (const std::uint64_t x : {nodes, arcs, ids}) f.write(reinterpret_cast<const char*>(&x), 8);
    f << std::string(payload, '\0');
    return path;
  };
  const auto message = [](const std::string& path) {
    try {
      read_csr_header(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // 2^62 arcs: 8 (n + 1) + 4 arcs wraps to the length of a file of one person.
  EXPECT_NE(message(write_header(0, std::uint64_t{1} << 62, 0, 8)).find("do not match its length"), std::string::npos);
  EXPECT_NE(message(write_header(std::uint64_t{1} << 61, 0, 0, 16)).find("do not match its length"), std::string::npos);
  EXPECT_NE(message(write_header(3, 4, 4, 8 * 4 + 16)).find("damaged"), std::string::npos);  // an unknown flag bit
  EXPECT_NE(message(write_header(0, 0, 0, 8)).find("has no people"), std::string::npos);
  EXPECT_THROW(read_csr(write_header(0, 0, 0, 8)), InputError);
  const CsrHeader ok = read_csr_header(write_header(3, 4, 1, 8 * 4 + 16 + 24));
  EXPECT_EQ(ok.nodes, 3u);
  EXPECT_EQ(ok.arcs, 4u);
  EXPECT_TRUE(ok.has_original_ids);
}

TEST_F(CsrFile, UnwritableDestinationIsAnIoError) {
  EXPECT_THROW(write_csr((dir_ / "missing" / "g.csr").string(), complete_graph(3), {}), IoError);
}

}  // namespace
}  // namespace campaign
