#include "model/metrics.h"

#include <fmt/format.h>

namespace campaign {

std::string_view name_of(MetricKind kind) {
  switch (kind) {
    case MetricKind::per_step: return "per step";
    case MetricKind::cumulative: return "cumulative";
    case MetricKind::current: return "current";
    case MetricKind::flag: return "flag";
    case MetricKind::ratio: return "ratio";
  }
  return "?";
}

std::string_view name_of(Better better) {
  switch (better) {
    case Better::higher: return "higher";
    case Better::lower: return "lower";
    case Better::neither: return "";
  }
  return "?";
}

const MetricInfo* find_metric(bool campaign, std::string_view name) {
  const auto in = [&](std::span<const MetricInfo> table) -> const MetricInfo* {
    for (const MetricInfo& m : table) {
      if (m.name == name) return &m;
    }
    return nullptr;
  };
  if (!campaign) return in(DIFFUSION_METRICS);
  const MetricInfo* found = in(CAMPAIGN_METRICS);
  return found ? found : in(CAMPAIGN_DERIVED);
}

std::vector<std::string> metric_names_of(std::span<const MetricInfo> table) {
  std::vector<std::string> names;
  for (const MetricInfo& m : table) names.emplace_back(m.name);
  return names;
}

namespace {

std::string markdown_table(std::span<const MetricInfo> table, std::string_view first_column,
                           std::string_view meaning_header, bool with_kind) {
  std::string out = fmt::format("| {} | unit |{} better | {} |\n|---|---|{}---|---|\n", first_column,
                                with_kind ? " kind |" : "", meaning_header, with_kind ? "---|" : "");
  for (const MetricInfo& m : table) {
    out += fmt::format("| `{}` | {} |{} {} | {} |\n", m.name, m.unit,
                       with_kind ? fmt::format(" {} |", name_of(m.kind)) : "", name_of(m.better), m.meaning);
  }
  return out;
}

}  // namespace

std::string metrics_reference_markdown() {
  std::string out;
  out += "### Diffusion models\n\n";
  out += markdown_table(DIFFUSION_METRICS, "metric", "meaning after step `t`", true);
  out += "\n### Campaign model\n\n";
  out += markdown_table(CAMPAIGN_METRICS, "metric", "meaning after step `t`", true);
  out += "\n### Derived finals (campaign model)\n\n";
  out += markdown_table(CAMPAIGN_DERIVED, "`finals` column", "definition", false);
  return out;
}

}  // namespace campaign
