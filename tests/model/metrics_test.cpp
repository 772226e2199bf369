#include "model/metrics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "model/campaign.h"
#include "model/model.h"

namespace campaign {
namespace {

TEST(Metrics, NamesAreUniqueAndEveryRowIsFilledIn) {
  for (std::span<const MetricInfo> table :
       {std::span<const MetricInfo>(DIFFUSION_METRICS), std::span<const MetricInfo>(CAMPAIGN_METRICS),
        std::span<const MetricInfo>(CAMPAIGN_DERIVED)}) {
    std::set<std::string_view> names;
    for (const MetricInfo& m : table) {
      EXPECT_TRUE(names.insert(m.name).second) << m.name << " twice";
      EXPECT_FALSE(m.unit.empty()) << m.name;
      EXPECT_FALSE(m.meaning.empty()) << m.name;
      EXPECT_EQ(m.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos) << m.name;
    }
  }
  // The campaign reduces to the diffusion models: its first metrics are theirs.
  for (std::size_t i = 0; i < DIFFUSION_METRICS.size(); ++i) {
    EXPECT_EQ(CAMPAIGN_METRICS[i].name, DIFFUSION_METRICS[i].name);
  }
}

TEST(Metrics, TheModelsListTheTablesNames) {
  ASSERT_EQ(campaign_metric_names().size(), CAMPAIGN_METRICS.size());
  for (std::size_t i = 0; i < CAMPAIGN_METRICS.size(); ++i) {
    EXPECT_EQ(campaign_metric_names()[i], CAMPAIGN_METRICS[i].name);
  }
  EXPECT_EQ(campaign_metric_names()[CM_PROFIT], "profit");
  EXPECT_EQ(campaign_metric_names()[CM_AGENCY_REFUSED], "agency_refused");
  EXPECT_EQ(diffusion_metric_names()[TOTAL_ADOPTED], "total_adopted");
}

TEST(Metrics, DocsTablesAreGeneratedFromTheDefinition) {
  std::ifstream in(std::string(CAMPAIGN_SOURCE_DIR) + "/docs/hdf5-layout.md");
  ASSERT_TRUE(in) << "docs/hdf5-layout.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- generated: campaign-sim reference --metrics -->\n";
  const std::string end = "<!-- end of generated -->";
  const auto a = doc.find(begin);
  const auto b = doc.find(end);
  ASSERT_NE(a, std::string::npos) << "the generated block's start marker is missing";
  ASSERT_NE(b, std::string::npos) << "the generated block's end marker is missing";
  EXPECT_EQ(doc.substr(a + begin.size(), b - a - begin.size()), metrics_reference_markdown())
      << "regenerate the block between the markers: build/campaign-sim reference --metrics";
}

}  // namespace
}  // namespace campaign
