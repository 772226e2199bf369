// The process's answers to signals (cli/signals.h), in a child process each (death tests):
// the first stop signal is a request, a second ends the process at once with its
// temporary files removed, nothing ends it once the output is being committed, and a
// file-size limit or a closed pipe is an error to report, not a death.
#include "cli/signals.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "core/interrupt.h"
#include "io/output_file.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

class SignalsDeathTest : public testing::TempDirTest {
 protected:
  std::size_t files() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
};

TEST_F(SignalsDeathTest, TheFirstSignalIsARequestTheSecondEndsAtOnceAndCleansUp) {
  const std::string out = path("out.h5");
  EXPECT_EXIT(
      {
        install_signal_handlers();
        TempFile temp(out);
        std::raise(SIGINT);
        if (interrupt_signal() != SIGINT || !fs::exists(temp.path())) std::_Exit(97);
        std::raise(SIGTERM);  // the second: the process ends here
        std::_Exit(98);
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "interrupted again; stopped at once");
  EXPECT_EQ(files(), 0u) << "the temporary file was left behind";
}

TEST_F(SignalsDeathTest, OnceTheFinalCommitBeganSignalsEndNothing) {
  const std::string out = path("out.h5");
  EXPECT_EXIT(
      {
        install_signal_handlers();
        TempFile temp(out);
        std::raise(SIGINT);
        begin_final_commit();
        std::raise(SIGINT);
        std::raise(SIGTERM);
        temp.commit();
        std::_Exit(fs::exists(out) ? 0 : 96);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_TRUE(fs::exists(out));
}

TEST_F(SignalsDeathTest, FileSizeLimitAndClosedPipeDoNotKill) {
  EXPECT_EXIT(
      {
        install_signal_handlers();
        std::raise(SIGXFSZ);
        std::raise(SIGPIPE);
        std::_Exit(interrupt_requested() ? 95 : 0);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace campaign
