#include "io/hdf5_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
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

TEST_F(Hdf5File, StackedTablesReadTableAfterTable) {
  const std::vector<double> a0 = ramp(5, 1.5), b0 = ramp(5, -3.0), a1 = ramp(5, 10.0),
                            b1 = ramp(5, 20.0), a2 = ramp(5, -7.0), b2 = ramp(5, 0.25);
  const std::vector<std::string> two = {"a", "b"};
  {
    File f = File::create(path("stacked.h5"));
    f.write_tables("s", two, std::vector<std::span<const double>>{a0, b0, a1, b1, a2, b2});
    f.write_tables("empty", two, std::vector<std::span<const double>>{{}, {}});
    const std::vector<double> four(4, 1.0);
    EXPECT_THROW(
        f.write_tables("ragged", two, std::vector<std::span<const double>>{a0, b0, a1, four}),
        std::invalid_argument);
    EXPECT_THROW(f.write_tables("partial", two, std::vector<std::span<const double>>{a0, b0, a1}),
                 std::invalid_argument);
    f.close();
  }
  File f = File::open_read_only(path("stacked.h5"));
  EXPECT_EQ(f.member_names(), (std::vector<std::string>{"empty", "s"}));  // nothing half-made
  EXPECT_EQ(f.table_columns("s"), two);
  std::vector<double> a = a0, b = b0;
  a.insert(a.end(), a1.begin(), a1.end());
  a.insert(a.end(), a2.begin(), a2.end());
  b.insert(b.end(), b1.begin(), b1.end());
  b.insert(b.end(), b2.begin(), b2.end());
  EXPECT_EQ(f.read_column("s", "a"), a);
  EXPECT_EQ(f.read_column("s", "b"), b);
  EXPECT_FALSE(f.layout("s").chunked);
  EXPECT_TRUE(f.read_column("empty", "a").empty());
}

TEST_F(Hdf5File, MatrixWrittenInBands) {
  const std::uint64_t rows = 150, columns = 11;  // bands of 64 rows: 64, 64 and 22
  std::vector<double> expected(rows * columns);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<double>(i) * 0.5;
  const auto band_values = [&](std::uint64_t first, std::uint64_t count) {
    return std::span<const double>(expected).subspan(first * columns, count * columns);
  };
  {
    File f = File::create(path("m.h5"));
    MatrixWriter w = f.create_matrix("m", rows, columns);
    ASSERT_EQ(w.band_rows(), 64u);
    // Bands are encoded on any thread and stored in any order.
    std::vector<EncodedBand> bands(3);
    std::vector<std::thread> threads;
    for (std::uint64_t b = 0; b < 3; ++b) {
      threads.emplace_back([&, b] {
        bands[b] =
            w.encode_band(64 * b, band_values(64 * b, std::min<std::uint64_t>(64, rows - 64 * b)));
      });
    }
    for (std::thread& t : threads) t.join();
    for (std::uint64_t b = 3; b-- > 0;) w.write_band(bands[b]);
    EXPECT_THROW((void)w.encode_band(1, band_values(1, 64)), std::invalid_argument);  // unaligned
    EXPECT_THROW((void)w.encode_band(0, band_values(0, 63)), std::invalid_argument);  // short
    EXPECT_THROW((void)w.encode_band(128, band_values(128, 21)), std::invalid_argument);
    EXPECT_THROW((void)w.encode_band(192, band_values(0, 1)),
                 std::invalid_argument);  // past the end
    EXPECT_THROW((void)w.encode_band(0, std::span<const double>(expected).first(5)),
                 std::invalid_argument);
    // One row is over 1 MiB: a band is one row, in three chunks of columns, the last one
    // partly past the edge.
    MatrixWriter wide = f.create_matrix("wide", 3, 300000);
    ASSERT_EQ(wide.band_rows(), 1u);
    for (std::uint64_t r = 0; r < 3; ++r) {
      const std::vector<double> row = ramp(300000, static_cast<double>(r) + 1.0);
      const EncodedBand band = wide.encode_band(r, row);
      EXPECT_EQ(band.chunks.size(), 3u);
      wide.write_band(band);
    }
    f.create_matrix("unwritten", 3, 4);
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
  for (std::uint64_t r = 0; r < 3; ++r) {
    const std::vector<double> row(
        wide.values.begin() + static_cast<std::ptrdiff_t>(r * 300000),
        wide.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * 300000));
    EXPECT_EQ(row, ramp(300000, static_cast<double>(r) + 1.0)) << "row " << r;
  }
  EXPECT_EQ(f.read_matrix("unwritten").values, std::vector<double>(12, 0.0));  // fill value
  EXPECT_EQ(f.read_matrix("none").rows, 0u);
  EXPECT_THROW((void)f.read_column("m", "x"), IoError);  // a matrix is not a table
}

TEST_F(Hdf5File, IncompressibleBandIsStoredShuffledOnly) {
  // Random bit patterns do not deflate: the chunk is stored shuffled, with deflate marked
  // as skipped, as HDF5 does with its optional filter; any reader still decodes it.
  const std::uint64_t rows = 64, columns = 100;
  std::vector<double> noise(rows * columns);
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  for (double& value : noise) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    const std::uint64_t bits = state ^ (state >> 29);
    std::memcpy(&value, &bits, sizeof value);
  }
  {
    File f = File::create(path("n.h5"));
    MatrixWriter w = f.create_matrix("noise", rows, columns);
    const EncodedBand band = w.encode_band(0, noise);
    ASSERT_EQ(band.chunks.size(), 1u);
    EXPECT_EQ(band.chunks[0].skipped_filters, 1u << 1);
    EXPECT_EQ(band.chunks[0].bytes.size(), rows * columns * sizeof(double));
    w.write_band(band);
    MatrixWriter smooth = f.create_matrix("smooth", rows, columns);
    const EncodedBand deflated = smooth.encode_band(0, ramp(rows * columns, 1.0));
    EXPECT_EQ(deflated.chunks[0].skipped_filters, 0u);
    EXPECT_LT(deflated.chunks[0].bytes.size(), rows * columns * sizeof(double) / 2);
    smooth.write_band(deflated);
    f.close();
  }
  File f = File::open_read_only(path("n.h5"));
  const Matrix m = f.read_matrix("noise");
  ASSERT_EQ(m.values.size(), noise.size());
  EXPECT_EQ(std::memcmp(m.values.data(), noise.data(), noise.size() * sizeof(double)), 0);
  EXPECT_EQ(f.read_matrix("smooth").values, ramp(rows * columns, 1.0));
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

TEST_F(Hdf5File, FullDiskReasonIsTheSystemsOneLine) {
  // /dev/full accepts the file but fails every write with ENOSPC. HDF5 describes the
  // failed write over two lines of times, buffers and offsets; the error gives the
  // system's message. (tests/python/test_output_errors.py runs the CLI into a full file.)
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  std::string message;
  try {
    File f = File::create("/dev/full");
    Group g = f.create_group("g");
    const std::vector<std::string> columns = {"a", "b", "c"};
    const std::vector<double> values(3000, 1.5);  // 72 kB, contiguous: written at once
    g.write_table("t", columns, std::vector<std::span<const double>>{values, values, values});
    f.close();
  } catch (const IoError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST_F(Hdf5File, ErrorsOnAnotherThreadPrintNothing) {
  // Thread-safe HDF5 keeps the error-printing switch per thread; the runner writes
  // trajectory blocks from worker threads.
  File f = File::create(path("t.h5"));
  MatrixWriter w = f.create_matrix("m", 4, 2);
  const EncodedBand band = w.encode_band(0, std::vector<double>(8, 1.0));
  f.close();  // the dataset is gone: writing fails inside HDF5
  std::string message;
  ::testing::internal::CaptureStderr();
  std::thread([&] {
    try {
      w.write_band(band);
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
  MatrixWriter w = g.create_matrix("m", 2, 2);
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
