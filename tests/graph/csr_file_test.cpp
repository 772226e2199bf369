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

TEST_F(CsrFile, UnwritableDestinationIsAnIoError) {
  EXPECT_THROW(write_csr((dir_ / "missing" / "g.csr").string(), complete_graph(3), {}), IoError);
}

}  // namespace
}  // namespace campaign
