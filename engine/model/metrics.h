// The models' metrics, defined once: name, unit, kind and meaning. The kernels index
// trajectories by the constants below, the results file lists the names in this order,
// and the metrics tables of docs/hdf5-layout.md are generated from these (`campaign-sim
// reference --metrics`, checked by a test).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace campaign {

enum class MetricKind {
  per_step,    // counted during step t
  cumulative,  // counted from step 0; never decreases (profit excepted)
  current,     // a count at the end of step t
  flag,        // 0 or 1
  ratio,       // a derived final: a ratio of two finals, per replication
};
std::string_view name_of(MetricKind kind);

// Which way a metric's final is better, for comparisons (`compare`): more customers,
// fewer leads lost; `neither` for counts that are not a goal (messages sent, people
// talking now).
enum class Better { higher, lower, neither };
std::string_view name_of(Better better);

struct MetricInfo {
  std::string_view name;
  std::string_view unit;
  MetricKind kind;
  std::string_view meaning;
  Better better = Better::neither;
  // A ratio: its numerator and denominator metrics (the ratio of their means is
  // reported beside the mean of the per-replication ratios).
  std::string_view numerator = {}, denominator = {};
};

// The diffusion models' metrics (independent cascade, network Bass), in this order.
inline constexpr std::array<MetricInfo, 3> DIFFUSION_METRICS{{
    {"newly_adopted", "people", MetricKind::per_step,
     "people who adopted during step `t` (at index 0: the seeds)"},
    {"total_adopted", "people", MetricKind::cumulative,
     "cumulative adopters after step `t` (at index 0: the number of seeds)", Better::higher},
    {"active", "people", MetricKind::current,
     "people able to transmit after step `t`: for the independent cascade, those who adopted in step `t` "
     "(each gets one chance per contact); for network Bass, all adopters"},
}};

// The campaign model's metrics, in this order. The first three keep the diffusion
// models' meaning, with "adopted" read as "interested".
inline constexpr std::array<MetricInfo, 29> CAMPAIGN_METRICS{{
    {"newly_adopted", "people", MetricKind::per_step,
     "people interested for the first time during step `t` (index 0: the seeds)"},
    {"total_adopted", "people", MetricKind::cumulative,
     "people ever interested (a person who forgot and was won again counts once)", Better::higher},
    {"active", "people", MetricKind::current,
     "people who will talk in step `t + 1`: advocates, detractors, and people within their interest talk's lifetime who have neither forgotten nor bought (interested people and leads, also leads lost without buying). A purchase ends interest talk, so each person counts once"},
    {"aware", "people", MetricKind::cumulative,
     "people ever aware of the product: reached by a message or interested (\"contacts gained\")", Better::higher},
    {"interested", "people", MetricKind::current,
     "interested now and not yet leads (includes the word-of-mouth audience, who never become leads)"},
    {"leads", "leads", MetricKind::cumulative,
     "own leads plus agency leads bought (before handoffs)", Better::higher},
    {"leads_queued", "leads", MetricKind::current,
     "leads waiting for sales at the end of step `t`", Better::lower},
    {"leads_lost_capacity", "leads", MetricKind::cumulative,
     "waited past `funnel.patience` without being processed", Better::lower},
    {"leads_lost_stock", "leads", MetricKind::cumulative,
     "processed while the stock was empty", Better::lower},
    {"leads_lost_handoff", "leads", MetricKind::cumulative,
     "agency leads lost between contractors", Better::lower},
    {"leads_not_converted", "leads", MetricKind::cumulative,
     "processed, in stock, did not buy", Better::lower},
    {"customers", "people", MetricKind::cumulative,
     "first purchases (own and agency customers)", Better::higher},
    {"repeat_purchases", "purchases", MetricKind::cumulative,
     "purchases after the first, by satisfied own customers", Better::higher},
    {"repeats_lost_stock", "purchases", MetricKind::cumulative,
     "repeat purchases wanted while out of stock: not made, no revenue", Better::lower},
    {"lost_support", "people", MetricKind::cumulative,
     "customers dissatisfied because support had no slot for them", Better::lower},
    {"lost_quality", "people", MetricKind::cumulative,
     "customers dissatisfied by the product", Better::lower},
    {"advocates", "people", MetricKind::current,
     "satisfied customers still talking", Better::higher},
    {"detractors", "people", MetricKind::current,
     "dissatisfied customers still talking", Better::lower},
    {"messages", "messages", MetricKind::cumulative,
     "media messages started"},
    {"exposures", "exposures", MetricKind::cumulative,
     "people reached by a message's stage (a person reached by three stages counts three times)"},
    {"sources_forgotten", "exposures", MetricKind::cumulative,
     "exposures to a source the person did not remember while already remembering four: the least seen of them is forgotten, and its wear-out starts again if it comes back (the memory holds four sources a person)"},
    {"wom_transmissions", "contacts", MetricKind::cumulative,
     "successful word-of-mouth contacts (convincing, or putting off, a neighbour)"},
    {"agency_leads", "leads", MetricKind::cumulative,
     "leads bought by the agency"},
    {"revenue", "money", MetricKind::cumulative,
     "first and repeat purchases × price", Better::higher},
    {"marketing_cost", "money", MetricKind::cumulative,
     "messages, broadcast advertising, agency leads", Better::lower},
    {"cost", "money", MetricKind::cumulative,
     "marketing cost + fixed costs + cost of goods sold", Better::lower},
    {"profit", "money", MetricKind::cumulative,
     "`revenue − cost` (negative while costs lead)", Better::higher},
    {"partner_commitments", "partners", MetricKind::cumulative,
     "distinct partners engaged by the messages started so far (the same in every replication)"},
    {"agency_refused", "0 or 1", MetricKind::flag,
     "1 at every step if the agency refused the client (`funnel.quality < agency.quality_threshold`)", Better::lower},
}};

// The campaign's derived finals: per-replication ratios of its finals at the last step,
// stored after the metrics' columns of `finals` (no series, no trajectories).
inline constexpr std::array<MetricInfo, 3> CAMPAIGN_DERIVED{{
    {"cpl", "money per lead", MetricKind::ratio, "`marketing_cost / leads`", Better::lower, "marketing_cost", "leads"},
    {"cac", "money per customer", MetricKind::ratio, "`marketing_cost / customers` (first purchases)", Better::lower, "marketing_cost", "customers"},
    {"roi", "ratio", MetricKind::ratio, "`(revenue − cost) / cost` = `profit / cost`", Better::higher, "profit", "cost"},
}};

// The index of `name` in `table`; in a constant expression, an unknown name does not
// compile.
consteval std::size_t metric_index(std::span<const MetricInfo> table, std::string_view name) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].name == name) return i;
  }
  throw "no metric of that name";  // not a constant expression: a compile error
}

// A metric or derived final of the campaign model (`campaign`) or of the diffusion
// models, by name; nullptr when there is none.
const MetricInfo* find_metric(bool campaign, std::string_view name);

// The names of a table, as the results file lists them.
std::vector<std::string> metric_names_of(std::span<const MetricInfo> table);

// The metrics tables of docs/hdf5-layout.md, as Markdown.
std::string metrics_reference_markdown();

}  // namespace campaign
