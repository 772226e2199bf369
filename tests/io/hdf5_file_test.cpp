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

TEST_F(Hdf5File, VectorsSmallContiguousLargeChunkedCompressed) {
  const std::vector<double> small = ramp(10, 1.5);
  const std::vector<double> boundary = ramp(4096, -0.5);
  const std::vector<double> large = ramp(200000, 3.0);
  {
    File f = File::create(path("v.h5"));
    Group g = f.create_group("data");
    g.write_vector("small", small);
    g.write_vector("boundary", boundary);
    g.write_vector("large", large);
    g.write_vector("empty", std::vector<double>{});
    f.close();
  }
  File f = File::open_read_only(path("v.h5"));
  Group g = f.open_group("data");
  EXPECT_EQ(g.read_vector("small"), small);
  EXPECT_EQ(g.read_vector("boundary"), boundary);
  EXPECT_EQ(g.read_vector("large"), large);
  EXPECT_TRUE(g.read_vector("empty").empty());
  EXPECT_EQ(g.member_names(), (std::vector<std::string>{"boundary", "empty", "large", "small"}));

  const DatasetLayout s = g.layout("small");
  EXPECT_FALSE(s.chunked);
  EXPECT_EQ(s.deflate_level, -1);
  EXPECT_FALSE(s.shuffle);
  EXPECT_FALSE(g.layout("boundary").chunked);
  const DatasetLayout l = g.layout("large");
  EXPECT_TRUE(l.chunked);
  EXPECT_EQ(l.chunk, (std::vector<std::uint64_t>{131072}));  // 1 MiB of doubles
  EXPECT_EQ(l.deflate_level, 1);
  EXPECT_TRUE(l.shuffle);
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
  EXPECT_THROW(f.read_vector("m"), IoError);
}

TEST_F(Hdf5File, ErrorsNameTheObjectAndPrintNothing) {
  File f = File::create(path("e.h5"));
  Group a = f.create_group("a");
  a.create_group("b");
  a.write_vector("v", std::vector<double>{1.0});
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
    a.write_vector("v", std::vector<double>{2.0});
    FAIL() << "duplicate dataset was created";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'/a/v'"), std::string::npos) << e.what();
  }
  try {
    (void)a.read_vector("missing");
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
