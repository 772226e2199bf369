#include "graph/edge_list_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/error.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

class EdgeListLoader : public testing::TempDirTest {
 protected:
  std::string write_gz(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    gzFile file = gzopen(path.c_str(), "wb");
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
    EXPECT_EQ(gzclose(file), Z_OK);
    return path.string();
  }

  // The InputError message of loading `path`, or "" when it loads.
  static std::string error_of(const std::string& path) {
    try {
      load_edge_list(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

};

// Comments (# and %), blank and indented lines, CRLF, commas, tabs, sparse ids up to
// 2^63, duplicates in both orientations, a self-loop, trailing weight and timestamp
// columns, and no newline at the end.
const std::string MESSY =
    "# SNAP header\n"
    "% matrix-market style comment\n"
    "\n"
    "5 70\n"
    "70\t5\n"
    "  5 , 1000000000000\r\n"
    "1000000000000,9223372036854775808,0.25\n"
    "70 70\n"
    "   \t\n"
    "5 70 1234567890\n"
    "9223372036854775808\t70\t3";

void expect_messy(const LoadedGraph& loaded) {
  EXPECT_EQ(loaded.original_ids,
            (std::vector<std::uint64_t>{5, 70, 1000000000000ull, 9223372036854775808ull}));
  const CsrGraph& g = loaded.graph;
  EXPECT_EQ(g.num_nodes(), 4u);
  EXPECT_EQ(g.num_edges(), 4u);
  EXPECT_TRUE(g.has_edge(0, 1));
  EXPECT_TRUE(g.has_edge(0, 2));
  EXPECT_TRUE(g.has_edge(2, 3));
  EXPECT_TRUE(g.has_edge(3, 1));
  EXPECT_FALSE(g.has_edge(1, 2));
  EXPECT_EQ(loaded.report.edges_in, 7u);
  EXPECT_EQ(loaded.report.self_loops_dropped, 1u);
  EXPECT_EQ(loaded.report.duplicates_dropped, 2u);
  EXPECT_EQ(loaded.lines, 11u);
}

TEST_F(EdgeListLoader, ParsesMessyText) { expect_messy(load_edge_list(write("messy.txt", MESSY))); }

TEST_F(EdgeListLoader, ReadsGzip) { expect_messy(load_edge_list(write_gz("messy.txt.gz", MESSY))); }

TEST_F(EdgeListLoader, DenseIdsKeepTheirOrder) {
  const LoadedGraph loaded = load_edge_list(write("dense.edges", "2 0\n0 1\n3 1\n"));
  EXPECT_EQ(loaded.original_ids, (std::vector<std::uint64_t>{0, 1, 2, 3}));
  EXPECT_EQ(loaded.graph.offsets(), (std::vector<ArcIndex>{0, 2, 4, 5, 6}));
  EXPECT_EQ(loaded.graph.targets(), (std::vector<NodeId>{1, 2, 0, 3, 0, 1}));
}

TEST_F(EdgeListLoader, IdOnlyInSelfLoopsIsNotANode) {
  const LoadedGraph loaded = load_edge_list(write("loops.edges", "1 2\n3 3\n2 1\n3 3\n"));
  EXPECT_EQ(loaded.original_ids, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(loaded.graph.num_edges(), 1u);
  EXPECT_EQ(loaded.report.edges_in, 4u);
  EXPECT_EQ(loaded.report.self_loops_dropped, 2u);
  EXPECT_EQ(loaded.report.duplicates_dropped, 1u);
  const std::string only_loops = write("only_loops.edges", "4 4\n");
  EXPECT_EQ(error_of(only_loops), only_loops + ": edge list has no edges");
}

TEST_F(EdgeListLoader, MalformedLineNamesFileLineAndText) {
  const std::string path = write("bad.edges", "# c\n1 2\n\n3 x\n4 5\n");
  EXPECT_EQ(error_of(path), path + ":4: expected two non-negative integer node ids, got '3 x'");
  const char* bad_lines[] = {"-1 2", "7",   "1 2x", "12x 3",
                             "1,,2", "a b", "1 -2", "99999999999999999999 1"};
  for (const char* line : bad_lines) {
    const std::string p = write("bad_line.edges", std::string("0 1\n") + line + "\r\n");
    EXPECT_EQ(error_of(p),
              p + ":2: expected two non-negative integer node ids, got '" + line + "'");
  }
  const std::string long_text = "1 " + std::string(200, 'z');
  const std::string p = write("long.edges", long_text + "\n");
  EXPECT_EQ(error_of(p), p + ":1: expected two non-negative integer node ids, got '" +
                             long_text.substr(0, 60) + "…'");
  // Control characters and bytes that are not UTF-8 are escaped: the message stays one line.
  const std::string q = write("binary.edges", std::string("0 1\n\x01\x02\xff\r\x1b[2J\n"));
  EXPECT_EQ(error_of(q), q + ":2: expected two non-negative integer node ids, got '\\x01\\x02\\xFF\\r\\x1B[2J'");
}

// Matrix Market: a 5 x 5 pattern matrix, symmetric (the lower triangle), with comments,
// a diagonal entry, CRLF and an isolated person (5); its people are rows 1..5.
TEST_F(EdgeListLoader, ReadsMatrixMarketWithItsIsolatedPeople) {
  const std::string text =
      "%%MatrixMarket matrix coordinate pattern symmetric\n"
      "% a comment\n"
      "5 5 5\r\n"
      "2 1\n"
      "3 1\n"
      "3 2\r\n"
      "4 4\n"
      "4 3\n";
  const LoadedGraph g = load_edge_list(write("triangle.mtx", text));
  EXPECT_EQ(g.graph.num_nodes(), 5u);
  EXPECT_EQ(g.graph.num_edges(), 4u);
  EXPECT_TRUE(g.graph.has_edge(0, 1));
  EXPECT_TRUE(g.graph.has_edge(2, 3));
  EXPECT_EQ(g.graph.degree(4), 0u);
  EXPECT_EQ(g.original_ids, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(g.report.self_loops_dropped, 1u);
  // The size line gives the estimate (entries, an edge each at most; rows, its people).
  EXPECT_EQ(estimate_edge_list_size(write("again.mtx", text)).edges, 5.0);
  EXPECT_EQ(estimate_edge_list_size(write("again.mtx", text)).people, 5.0);
  // general and real: both orientations of an edge, with values, count once; the same
  // graph read from gzip under a name that does not say so (detected by content).
  const std::string general =
      "%%MatrixMarket matrix coordinate real general\n"
      "5 5 9\n"
      "1 2 0.5\n2 1 0.5\n1 3 1e3\n3 1 -2\n2 3 7\n3 2 7\n4 3 1\n3 4 1\n4 4 9\n";
  for (const std::string& path : std::vector<std::string>{write("general.mtx", general).string(), write_gz("general.txt", general)}) {
    const LoadedGraph h = load_edge_list(path);
    EXPECT_EQ(h.graph.num_nodes(), 5u) << path;
    EXPECT_EQ(h.graph.num_edges(), 4u) << path;
    EXPECT_EQ(h.report.duplicates_dropped, 4u) << path;
    EXPECT_EQ(h.graph.degree(2), 3u) << path;
  }
  // A SNAP list gzipped under a plain name is read as the plain one.
  expect_messy(load_edge_list(write_gz("messy.edges", MESSY)));
}

// A follower network: "u v" says u follows v (word of mouth v -> u), or u talks to v.
TEST_F(EdgeListLoader, DirectedReadingsPointTheArcsTheWayWordOfMouthGoes) {
  const std::string path = write("follows.txt", "10 20\n10 30\n20 30\n10 20\n30 30\n20 10\n");
  const LoadedGraph follows = load_edge_list(path, ArcReading::follows);
  EXPECT_TRUE(follows.graph.directed());
  EXPECT_EQ(follows.graph.num_edges(), 4u);  // 10<-20 (twice), 10<-30, 20<-30, 20<-10
  EXPECT_TRUE(follows.graph.has_edge(1, 0));   // 20 talks to its follower 10
  EXPECT_TRUE(follows.graph.has_edge(2, 0));
  EXPECT_TRUE(follows.graph.has_edge(2, 1));
  EXPECT_TRUE(follows.graph.has_edge(0, 1));   // 10 talks to 20, who follows it
  EXPECT_FALSE(follows.graph.has_edge(0, 2));
  EXPECT_EQ(follows.report.duplicates_dropped, 1u);
  EXPECT_EQ(follows.report.self_loops_dropped, 1u);
  const LoadedGraph talks = load_edge_list(path, ArcReading::talks_to);
  EXPECT_TRUE(talks.graph.has_edge(0, 2));
  EXPECT_FALSE(talks.graph.has_edge(2, 0));
  const LoadedGraph plain = load_edge_list(path);
  EXPECT_FALSE(plain.graph.directed());
  EXPECT_EQ(plain.graph.num_edges(), 3u);
  // Matrix Market entries read the same way: (i, j) with i following j.
  const LoadedGraph mtx = load_edge_list(
      write("follows.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n2 3\n"),
      ArcReading::follows);
  EXPECT_TRUE(mtx.graph.has_edge(1, 0));
  EXPECT_TRUE(mtx.graph.has_edge(2, 1));
  EXPECT_EQ(mtx.graph.num_edges(), 2u);
  // A symmetric matrix keeps one triangle: read directed, each entry is both arcs.
  const LoadedGraph sym = load_edge_list(
      write("sym.mtx", "%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n"),
      ArcReading::follows);
  EXPECT_EQ(sym.graph.num_edges(), 4u);
  EXPECT_TRUE(sym.graph.has_edge(0, 1));
  EXPECT_TRUE(sym.graph.has_edge(1, 0));
  EXPECT_TRUE(sym.graph.has_edge(2, 1));
  EXPECT_TRUE(sym.graph.has_edge(1, 2));
}

TEST_F(EdgeListLoader, MatrixMarketItCannotReadIsRefusedByLine) {
  const auto refused = [&](const std::string& name, const std::string& text) {
    const std::string path = write(name, text);
    const std::string message = error_of(path);
    EXPECT_TRUE(message.starts_with(path + ":")) << message;
    return message.substr(path.size());
  };
  EXPECT_NE(refused("array.mtx", "%%MatrixMarket matrix array real general\n2 2\n1\n0\n0\n1\n")
                .find(":1: Matrix Market format 'array' (a dense array) is not a graph's"),
            std::string::npos);
  EXPECT_NE(refused("complex.mtx", "%%MatrixMarket matrix coordinate complex hermitian\n2 2 1\n2 1 1 0\n")
                .find("field 'complex' is not read"),
            std::string::npos);
  EXPECT_NE(refused("wide.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 3 1\n1 3\n")
                .find(":2: a 2 x 3 matrix; a graph's adjacency matrix is square"),
            std::string::npos);
  EXPECT_NE(refused("range.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n0 3\n")
                .find(":4: expected an entry 'i j [value]' with 1 <= i, j <= 3, got '0 3'"),
            std::string::npos);
  EXPECT_NE(refused("short.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 3\n1 2\n2 3\n")
                .find(": 2 entries, but the size line says 3"),
            std::string::npos);
  EXPECT_NE(refused("long.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 1\n1 2\n2 3\n")
                .find(":4: more entries than the 1 of the size line"),
            std::string::npos);
  EXPECT_NE(refused("size.mtx", "%%MatrixMarket matrix coordinate pattern general\nthree 3 1\n1 2\n")
                .find(":2: expected the Matrix Market size line 'rows columns entries'"),
            std::string::npos);
}

TEST_F(EdgeListLoader, MissingFileAndNoEdges) {
  const std::string missing = (dir_ / "nope.edges").string();
  EXPECT_EQ(error_of(missing), missing + ": cannot open edge list: No such file or directory");
  EXPECT_NE(error_of(write("empty.edges", "")), "");
  const std::string comments = write("comments.edges", "# nothing\n\n% here\n");
  EXPECT_EQ(error_of(comments), comments + ": edge list has no edges");
  EXPECT_NE(error_of(dir_.string()), "");  // a directory opens but cannot be read
}

// Lines cross the 4 MiB read chunk: 400000 lines of ~14 bytes each.
TEST_F(EdgeListLoader, LinesAcrossReadChunks) {
  std::string text;
  constexpr std::uint64_t n = 400000;
  for (std::uint64_t i = 0; i < n; ++i) {
    text += std::to_string(1000000 + i) + " " + std::to_string(1000000 + (i + 1) % n) + "\n";
  }
  ASSERT_GT(text.size(), std::size_t{4} << 20);
  const LoadedGraph loaded = load_edge_list(write("cycle.edges", text));
  EXPECT_EQ(loaded.graph.num_nodes(), n);
  EXPECT_EQ(loaded.graph.num_edges(), n);
  for (NodeId u = 0; u < n; ++u) ASSERT_EQ(loaded.graph.degree(u), 2u) << "node " << u;
  EXPECT_EQ(loaded.original_ids.front(), 1000000u);
}

// A gzip file cut anywhere before its end, or with a byte of its data or CRC changed, is
// refused: never loaded as a smaller (or wrong) graph. Every cut in the header and the
// trailer is tried, and every 7th byte of the compressed data between them.
TEST_F(EdgeListLoader, TruncatedOrCorruptGzipIsRefused) {
  std::string text;
  for (int i = 0; i < 600; ++i) text += std::to_string(i) + " " + std::to_string((i * 7 + 1) % 600) + "\n";
  const std::string whole = write_gz("whole.edges.gz", text);
  std::ifstream in(whole, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);
  const LoadedGraph reference = load_edge_list(whole);
  int truncated = 0;
  int tried = 0;
  for (std::size_t cut = 1; cut < bytes.size(); cut += (cut < 64 || cut + 64 > bytes.size()) ? 1 : 7) {
    ++tried;
    std::ofstream(dir_ / "cut.edges.gz", std::ios::binary) << bytes.substr(0, cut);
    const std::string message = error_of((dir_ / "cut.edges.gz").string());
    // Cut inside the 10-byte header, the file is not gzip: read as text, it is malformed.
    EXPECT_FALSE(message.empty()) << "cut at " << cut << " of " << bytes.size() << " loaded";
    truncated += message.find("truncated gzip") != std::string::npos;
  }
  EXPECT_GE(truncated, tried - 12);
  std::string corrupt = bytes;
  corrupt[corrupt.size() - 6] ^= 0x5A;  // in the CRC-32 of the trailer
  std::ofstream(dir_ / "crc.edges.gz", std::ios::binary) << corrupt;
  EXPECT_NE(error_of((dir_ / "crc.edges.gz").string()).find("corrupt gzip: incorrect data check at byte"),
            std::string::npos);
  EXPECT_EQ(load_edge_list(whole).graph.num_edges(), reference.graph.num_edges());
}

// The size estimate reads one MiB: exact for a small file, within a few percent of the
// truth for the large text and gzip lists below.
TEST_F(EdgeListLoader, SizeEstimateFromTheFirstMebibyte) {
  const std::string small = write("small.edges", "# c\n0 1\n\n1 2\n% c\n2 0\n");
  const EdgeListSize exact = estimate_edge_list_size(small);
  EXPECT_TRUE(exact.exact);
  EXPECT_EQ(exact.edges, 3.0);
  std::string text = "# a large list\n";
  for (int i = 0; i < 400'000; ++i) text += std::to_string(i) + "\t" + std::to_string(i * 13 % 400'000 + 1) + "\n";
  // A first MiB of comments only: the rest still counts, at 8 bytes a line (these lines
  // take 12-14 bytes, so the estimate errs high, the safe side for a memory guard).
  std::string commented(1'100'000 - 1, '#');
  commented += "\n" + text;
  for (const std::string& path : {write("large.edges", text).string(), write_gz("large.edges.gz", text),
                                  write("commented.edges", commented).string()}) {
    const EdgeListSize estimate = estimate_edge_list_size(path);
    EXPECT_FALSE(estimate.exact) << path;
    const bool header = path.find("commented") != std::string::npos;
    EXPECT_NEAR(estimate.edges, header ? 400'000 * 13.0 / 8 : 400'000, 0.12 * 400'000 * (header ? 13.0 / 8 : 1))
        << path;
  }
}

struct RealNetwork {
  const char* file;
  NodeId nodes;
  std::uint64_t edges;
};

TEST(RealNetworks, SnapFilesHaveThePublishedSizes) {
  const fs::path dir = CAMPAIGN_NETWORKS_DIR;
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no shared networks at " << dir;
  for (const RealNetwork& net : {RealNetwork{"ego-facebook.edges", 4039, 88234},
                                 RealNetwork{"email-eu-core.edges", 986, 16064},
                                 RealNetwork{"ca-grqc.edges", 5241, 14484}}) {
    const LoadedGraph loaded = load_edge_list((dir / net.file).string());
    EXPECT_EQ(loaded.graph.num_nodes(), net.nodes) << net.file;
    EXPECT_EQ(loaded.graph.num_edges(), net.edges) << net.file;
  }
  // email-Eu-core's lines are e-mails, sender then receiver: SNAP publishes 25,571
  // directed edges, 642 of them to oneself, over 986 people (as read here).
  const LoadedGraph mail = load_edge_list((dir / "email-eu-core.edges").string(), ArcReading::talks_to);
  EXPECT_TRUE(mail.graph.directed());
  EXPECT_EQ(mail.graph.num_nodes(), 986u);
  EXPECT_EQ(mail.report.edges_in, 25571u);
  EXPECT_EQ(mail.report.self_loops_dropped, 642u);
  EXPECT_EQ(mail.graph.num_edges(), 25571u - 642u);
}

}  // namespace
}  // namespace campaign
