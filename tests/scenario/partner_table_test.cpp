#include "scenario/partner_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

class PartnerTable : public testing::TempDirTest {
 protected:
  // Loads a campaign scenario whose partners.file holds `table`.
  LoadedScenario load(const std::string& table, const std::string& extra = "") {
    std::ofstream(dir_ / "partners.csv") << table;
    const fs::path scenario = dir_ / "s.toml";
    std::ofstream(scenario) << "[diffusion]\nmodel = \"campaign\"\n[partners]\nfile = \"partners.csv\"\n" << extra;
    return load_scenario_file(scenario.string());
  }
  std::string error_of(const std::string& table, const std::string& extra = "") {
    try {
      load(table, extra);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
  }
};

TEST_F(PartnerTable, FillsTheListsAndStandsAlone) {
  const Scenario s = load(
      "name,roles,reach,credibility,cost\n# comment\nradio, channel ,3000,0.6,120\n"
      "blogger,source+channel,800,0.8,50\r\n\nclub,owner,500,0.7,40\n").scenario;
  EXPECT_EQ(s.partners.count, 3u);
  EXPECT_EQ(s.partners.roles, (std::vector<std::string>{"channel", "source+channel", "owner"}));
  EXPECT_EQ(s.partners.reach, (std::vector<std::int64_t>{3000, 800, 500}));
  EXPECT_EQ(s.partners.credibilities, (std::vector<double>{0.6, 0.8, 0.7}));
  EXPECT_EQ(s.partners.costs, (std::vector<double>{120, 50, 40}));
  EXPECT_EQ(s.partners.file, "");  // the resolved scenario carries the values, not the file
  // As a spreadsheet saves it: a UTF-8 byte-order mark and CRLF line ends.
  const Scenario bom = load("\xEF\xBB\xBFname,roles,reach,credibility,cost\r\nclub,owner,500,0.7,40\r\n").scenario;
  EXPECT_EQ(bom.partners.count, 1u);
}

TEST_F(PartnerTable, BadTablesNameTheLineAndColumn) {
  const std::string header = "name,roles,reach,credibility,cost\n";
  EXPECT_NE(error_of("name,reach\n").find("partners.csv:1: expected the header"), std::string::npos);
  EXPECT_NE(error_of(header + "a,owner,10,0.5\n").find("partners.csv:2: expected 5 columns"), std::string::npos);
  EXPECT_NE(error_of(header + "a,boss,10,0.5,1\n").find("partners.csv:2: column roles = 'boss' is not allowed"),
            std::string::npos);
  EXPECT_NE(error_of(header + "a,owner,10,1.5,1\n").find("partners.csv:2: column credibility = '1.5' is not allowed; allowed: a number in 0 .. 1"),
            std::string::npos);
  EXPECT_NE(error_of(header + "a,owner,ten,0.5,1\n").find("column reach = 'ten'"), std::string::npos);
  EXPECT_NE(error_of("").find("partners.csv: the file is empty; expected the header name,roles,reach,credibility,cost"), std::string::npos);
  // from_chars reads "nan" and "inf": every number in the table must be finite.
  for (const char* row : {"a,owner,10,nan,1\n", "a,owner,10,NaN,1\n", "a,owner,10,0.5,inf\n", "a,owner,10,-nan,1\n"}) {
    EXPECT_NE(error_of(header + row).find("partners.csv:2: column"), std::string::npos) << row;
  }
  EXPECT_NE(error_of(header + "a,owner,10,0.5,1e13\n").find("column cost = '1e13' is not allowed"), std::string::npos);
  EXPECT_NE(error_of(header + "a,owner,10,0.5,1\n", "count = 3\n").find("partners.count is given, but partners.file"),
            std::string::npos);
}

TEST_F(PartnerTable, MissingFileIsOneLine) {
  const fs::path scenario = dir_ / "s.toml";
  std::ofstream(scenario) << "[partners]\nfile = \"nowhere.csv\"\n";
  try {
    load_scenario_file(scenario.string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere.csv: cannot read partner table named by partners.file: No such file"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace campaign
