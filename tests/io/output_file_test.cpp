#include "io/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

class OutputFile : public testing::TempDirTest {
 protected:
  std::string refusal(const std::string& out, OutputFormat format, const std::vector<std::string>& inputs,
                      bool force = false) {
    try {
      checked_output_path(out, format, inputs, force);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  std::size_t files() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
};

TEST_F(OutputFile, AnInputIsNeverAnOutputWhateverItsName) {
  const std::string input = write("s.toml", "[run]\n").string();
  fs::create_hard_link(input, dir_ / "hard.h5");
  fs::create_symlink("s.toml", dir_ / "soft.h5");
  for (const std::string& out : {input, path("hard.h5"), path("soft.h5"), path("./sub/../s.toml")}) {
    if (out.find("sub") != std::string::npos) fs::create_directory(dir_ / "sub");
    EXPECT_NE(refusal(out, OutputFormat::hdf5, {input}, true).find("is the input file"), std::string::npos) << out;
  }
  EXPECT_EQ(refusal(path("new.h5"), OutputFormat::hdf5, {input}), "");
}

TEST_F(OutputFile, OnlyRegularFilesAreReplaced) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  EXPECT_NE(refusal(path("fifo"), OutputFormat::hdf5, {}).find("is a FIFO"), std::string::npos);
  EXPECT_NE(refusal(dir_.string(), OutputFormat::hdf5, {}).find("is a directory"), std::string::npos);
  // The last line of defence, for a caller that skipped the check: no temporary file, no rename.
  EXPECT_THROW(TempFile{path("fifo")}, IoError);
  EXPECT_EQ(files(), 1u);
}

// A copy of /dev/null (never the device itself) made with mknod, which needs root.
TEST_F(OutputFile, ACharacterDeviceIsNeverReplaced) {
  if (::mknod(path("null").c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "mknod needs root: the device case runs as root (as CI does)";
  }
  EXPECT_NE(refusal(path("null"), OutputFormat::hdf5, {}, true).find("is a character device"), std::string::npos);
  EXPECT_THROW(TempFile{path("null")}, IoError);
  struct stat info {};
  ASSERT_EQ(::lstat(path("null").c_str(), &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode));
  EXPECT_EQ(files(), 1u);
}

TEST_F(OutputFile, NamesAndExtensions) {
  EXPECT_NE(refusal("-", OutputFormat::edge_list, {}).find("cannot be written to standard output"), std::string::npos);
  EXPECT_NE(refusal("--set", OutputFormat::hdf5, {}).find("looks like an option"), std::string::npos);
  EXPECT_NE(refusal("", OutputFormat::hdf5, {}).find("empty"), std::string::npos);
  EXPECT_NE(refusal(path("r.csv"), OutputFormat::hdf5, {}).find("allowed: .h5, .hdf5, .he5, .hdf (or none)"), std::string::npos);
  EXPECT_EQ(refusal(path("r.csv"), OutputFormat::hdf5, {}, true), "");
  EXPECT_EQ(refusal(path("R.H5"), OutputFormat::hdf5, {}), "");
  EXPECT_EQ(refusal(path("results"), OutputFormat::hdf5, {}), "");
  EXPECT_NE(refusal(path("g.edges"), OutputFormat::csr, {}).find("does not fit a binary CSR graph"), std::string::npos);
  EXPECT_NE(refusal(path("g.edges.gz"), OutputFormat::edge_list, {}).find("'.gz'"), std::string::npos);
  EXPECT_EQ(refusal(path("g.txt"), OutputFormat::edge_list, {}), "");
}

TEST_F(OutputFile, ASymbolicLinkIsFollowed) {
  fs::create_symlink("a.h5", dir_ / "link.h5");
  fs::create_symlink("link.h5", dir_ / "link2.h5");
  EXPECT_EQ(checked_output_path(path("link2.h5"), OutputFormat::hdf5, {}, false), path("a.h5"));
  fs::create_symlink("loop.h5", dir_ / "loop.h5");
  EXPECT_THROW(checked_output_path(path("loop.h5"), OutputFormat::hdf5, {}, false), InputError);
}

// Two temporary files for one output in one process (one pid) have different names; each
// is removed unless committed; a commit replaces the output in one rename.
TEST_F(OutputFile, TemporaryFilesAreUniqueAndCleanedUp) {
  const std::string out = path("out.h5");
  std::ofstream(out) << "old";
  {
    TempFile a(out), b(out);
    EXPECT_NE(a.path(), b.path());
    EXPECT_TRUE(fs::exists(a.path()) && fs::exists(b.path()));
    std::ofstream(a.path()) << "new";
    a.commit();
    EXPECT_FALSE(fs::exists(a.path()));
  }
  EXPECT_EQ(files(), 1u);
  std::ifstream in(out);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "new");
  EXPECT_THROW(TempFile{path("missing/out.h5")}, IoError);
}

TEST_F(OutputFile, RemoveTempFilesNowRemovesWhatIsPending) {
  TempFile pending(path("out.h5"));
  ASSERT_TRUE(fs::exists(pending.path()));
  remove_temp_files_now();
  EXPECT_FALSE(fs::exists(pending.path()));
}

}  // namespace
}  // namespace campaign
