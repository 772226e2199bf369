#include "io/hdf5_file.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "support/temp_dir.h"

namespace campaign::h5 {
namespace {

namespace fs = std::filesystem;

using Hdf5File = campaign::testing::TempDirTest;

std::vector<double> ramp(std::size_t n, double scale) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * static_cast<double>(i) + 0.25;
  return v;
}

TEST_F(Hdf5File, AttributesRoundTrip) {
  const std::string toml = "[run]\nname = \"Ünïcødé ✓\"\nreplications = 50\n";
  {
    File f = File::create(path("a.h5"));
    f.set_attribute("text", toml);
    f.set_attribute("empty", std::string());
    f.set_attribute("signed", std::int64_t{-42});
    f.set_attribute("unsigned", std::uint64_t{18446744073709551615u});
    f.set_attribute("real", 0.1);
    f.set_attribute("real", 2.5);  // replacing is allowed
    Group g = f.create_group("g");
    g.set_attribute("note", std::string("in a group"));
    f.close();
  }
  File f = File::open_read_only(path("a.h5"));
  EXPECT_EQ(f.read_string_attribute("text"), toml);
  EXPECT_EQ(f.read_string_attribute("empty"), "");
  EXPECT_EQ(f.read_int_attribute("signed"), -42);
  EXPECT_EQ(f.read_uint_attribute("unsigned"), 18446744073709551615u);
  EXPECT_EQ(f.read_double_attribute("real"), 2.5);
  EXPECT_EQ(f.attribute_names(),
            (std::vector<std::string>{"empty", "real", "signed", "text", "unsigned"}));
  EXPECT_EQ(f.open_group("g").read_string_attribute("note"), "in a group");
  EXPECT_EQ(f.open_group("g").path(), "/g");
  EXPECT_THROW(f.read_string_attribute("signed"), IoError);
}

// A one-column and a two-column table of `rows` rows.
void write_tables(Group& g, const std::string& name, std::size_t rows) {
  const std::vector<double> a = ramp(rows, 1.5), b = ramp(rows, -3.0);
  const std::vector<std::string> one = {"x"}, two = {"a", "b"};
  const std::vector<std::span<const double>> a_only = {a}, both = {a, b};
  g.write_table(name + "_1", one, a_only);
  g.write_table(name + "_2", two, both);
}

TEST_F(Hdf5File, TablesShortContiguousLongChunkedCompressed) {
  // 4096 rows is the last contiguous length; 100,000 rows of 2 columns are 2 chunks of
  // 65,536 (1 MiB) records, the second one partial.
  const std::vector<std::size_t> lengths = {0, 10, 4096, 100000};
  {
    File f = File::create(path("t.h5"));
    Group g = f.create_group("data");
    for (std::size_t rows : lengths) write_tables(g, "rows" + std::to_string(rows), rows);
    f.close();
  }
  File f = File::open_read_only(path("t.h5"));
  Group g = f.open_group("data");
  for (std::size_t rows : lengths) {
    const std::string name = "rows" + std::to_string(rows);
    EXPECT_EQ(g.table_columns(name + "_1"), (std::vector<std::string>{"x"}));
    EXPECT_EQ(g.table_columns(name + "_2"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(g.read_column(name + "_1", "x"), ramp(rows, 1.5)) << name;
    EXPECT_EQ(g.read_column(name + "_2", "a"), ramp(rows, 1.5)) << name;
    EXPECT_EQ(g.read_column(name + "_2", "b"), ramp(rows, -3.0)) << name;
    EXPECT_EQ(g.layout(name + "_2").chunked, rows > 4096) << name;
  }
  const DatasetLayout s = g.layout("rows10_2");
  EXPECT_EQ(s.deflate_level, -1);
  EXPECT_FALSE(s.shuffle);
  const DatasetLayout l = g.layout("rows100000_2");
  EXPECT_EQ(l.chunk, (std::vector<std::uint64_t>{65536}));  // 1 MiB of 16-byte records
  EXPECT_EQ(l.deflate_level, 1);
  EXPECT_TRUE(l.shuffle);
  EXPECT_EQ(g.layout("rows100000_1").chunk, (std::vector<std::uint64_t>{100000}));  // < 1 MiB
  EXPECT_THROW((void)g.read_column("rows10_2", "c"), IoError);
}

TEST_F(Hdf5File, TableColumnsMustMatch) {
  File f = File::create(path("bad.h5"));
  const std::vector<double> three(3, 1.0), four(4, 1.0);
  const std::vector<std::string> two = {"a", "b"}, same = {"a", "a"}, blank = {"a", ""};
  EXPECT_THROW(f.write_table("lengths", two, std::vector<std::span<const double>>{three, four}),
               std::invalid_argument);
  EXPECT_THROW(f.write_table("count", two, std::vector<std::span<const double>>{three}),
               std::invalid_argument);
  EXPECT_THROW(f.write_table("repeated", same, std::vector<std::span<const double>>{three, three}),
               std::invalid_argument);
  EXPECT_THROW(f.write_table("blank", blank, std::vector<std::span<const double>>{three, three}),
               std::invalid_argument);
  EXPECT_THROW(f.write_table("none", {}, {}), std::invalid_argument);
  EXPECT_TRUE(f.member_names().empty());  // nothing half-made
}

TEST_F(Hdf5File, MatrixWrittenInUnalignedBlocks) {
  const std::uint64_t rows = 150, columns = 11;
  std::vector<double> expected(rows * columns);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<double>(i) * 0.5;
  {
    File f = File::create(path("m.h5"));
    RowWriter w = f.create_matrix("m", rows, columns);
    // Blocks of 7 rows cross the 64-row chunk boundaries; written out of order.
    std::vector<std::uint64_t> starts;
    for (std::uint64_t r = 0; r < rows; r += 7) starts.push_back(r);
    std::reverse(starts.begin(), starts.end());
    for (std::uint64_t r : starts) {
      const std::uint64_t n = std::min<std::uint64_t>(7, rows - r);
      w.write_rows(r, std::span<const double>(expected).subspan(r * columns, n * columns));
    }
    EXPECT_THROW(w.write_rows(rows - 1, std::span<const double>(expected).first(2 * columns)),
                 std::invalid_argument);
    EXPECT_THROW(w.write_rows(0, std::span<const double>(expected).first(5)),
                 std::invalid_argument);
    f.create_matrix("wide", 3, 300000);  // one row is over 1 MiB: chunk is capped
    f.create_matrix("none", 0, 11);
    f.close();
  }
  File f = File::open_read_only(path("m.h5"));
  const Matrix m = f.read_matrix("m");
  EXPECT_EQ(m.rows, rows);
  EXPECT_EQ(m.columns, columns);
  EXPECT_EQ(m.values, expected);
  const DatasetLayout l = f.layout("m");
  EXPECT_TRUE(l.chunked);
  EXPECT_EQ(l.chunk, (std::vector<std::uint64_t>{64, 11}));
  EXPECT_EQ(l.deflate_level, 1);
  EXPECT_TRUE(l.shuffle);
  EXPECT_EQ(f.layout("wide").chunk, (std::vector<std::uint64_t>{1, 131072}));
  const Matrix wide = f.read_matrix("wide");
  EXPECT_EQ(wide.values, std::vector<double>(3 * 300000, 0.0));  // unwritten fill value
  EXPECT_EQ(f.read_matrix("none").rows, 0u);
  EXPECT_THROW((void)f.read_column("m", "x"), IoError);  // a matrix is not a table
}

TEST_F(Hdf5File, ErrorsNameTheObjectAndPrintNothing) {
  File f = File::create(path("e.h5"));
  Group a = f.create_group("a");
  a.create_group("b");
  const std::vector<std::string> column = {"x"};
  const std::vector<double> one(1, 1.0);
  a.write_table("v", column, std::vector<std::span<const double>>{one});
  ::testing::internal::CaptureStderr();
  try {
    a.create_group("b");
    FAIL() << "duplicate group was created";
  } catch (const IoError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'/a/b'"), std::string::npos) << what;
    EXPECT_NE(what.find("e.h5"), std::string::npos) << what;
    EXPECT_NE(what.find("already exists"), std::string::npos) << what;
  }
  try {
    a.write_table("v", column, std::vector<std::span<const double>>{one});
    FAIL() << "duplicate dataset was created";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'/a/v'"), std::string::npos) << e.what();
  }
  try {
    (void)a.read_column("missing", "x");
    FAIL() << "read a missing dataset";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'/a/missing'"), std::string::npos) << e.what();
  }
  try {
    (void)a.read_string_attribute("nope");
    FAIL() << "read a missing attribute";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/a@nope"), std::string::npos) << e.what();
  }
  EXPECT_THROW(File::create(path("no/such/dir/x.h5")), IoError);
  EXPECT_THROW(File::open_read_only(path("absent.h5")), IoError);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_FALSE(a.exists("missing"));
  EXPECT_TRUE(a.exists("b"));
}

TEST_F(Hdf5File, ErrorsOnAnotherThreadPrintNothing) {
  // Thread-safe HDF5 keeps the error-printing switch per thread; the runner writes
  // trajectory blocks from worker threads.
  File f = File::create(path("t.h5"));
  RowWriter w = f.create_matrix("m", 4, 2);
  f.close();  // the dataset is gone: writing fails inside HDF5
  const std::vector<double> row = {1.0, 2.0};
  std::string message;
  ::testing::internal::CaptureStderr();
  std::thread([&] {
    try {
      w.write_rows(0, row);
    } catch (const IoError& e) {
      message = e.what();
    }
  }).join();
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_NE(message.find("cannot"), std::string::npos) << message;
}

TEST_F(Hdf5File, CloseIsFinalAndStrong) {
  File f = File::create(path("c.h5"));
  Group g = f.create_group("g");
  RowWriter w = g.create_matrix("m", 2, 2);
  // Closing the file closes the objects still open in it, so the file is complete on disk.
  f.close();
  EXPECT_THROW(f.set_attribute("x", 1.0), IoError);
  EXPECT_THROW(g.set_attribute("x", 1.0), IoError);
  File r = File::open_read_only(path("c.h5"));
  EXPECT_EQ(r.open_group("g").read_matrix("m").rows, 2u);
  File moved = std::move(r);
  EXPECT_TRUE(moved.exists("g"));
}

}  // namespace
}  // namespace campaign::h5
