#include "scenario/ecosystem_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/error.h"
#include "core/text.h"
#include "scenario/csv_table.h"

namespace campaign {
namespace {

// Partner references in a file: names when the partners have them, else indices.
class PartnerRefs {
 public:
  explicit PartnerRefs(const PartnerSettings& p) : count_(p.count) {
    index_.reserve(p.names.size());
    for (std::uint32_t i = 0; i < p.names.size(); ++i) index_.emplace(p.names[i], i);
  }
  std::uint32_t operator()(const std::string& field, const std::string& where, const char* column) const {
    if (!index_.empty()) {
      const auto it = index_.find(field);
      if (it == index_.end()) {
        throw InputError(fmt::format("{}: column {} = '{}' is not a partner; allowed: a name in partners.file",
                                     where, column, excerpt(field, 40)));
      }
      return it->second;
    }
    if (count_ == 0) throw InputError(fmt::format("{}: column {}: there are no partners (partners.count = 0)", where, column));
    return static_cast<std::uint32_t>(parse_integer(field, where, column, 0, count_ - std::int64_t{1}));
  }

 private:
  std::uint32_t count_;
  std::unordered_map<std::string, std::uint32_t> index_;
};

void expect_columns(const std::vector<std::string>& fields, std::size_t n, const std::string& where,
                    const char* header) {
  if (fields.size() != n) {
    throw InputError(fmt::format("{}: expected {} columns ({}), got {}", where, n, header, fields.size()));
  }
}

}  // namespace

std::vector<std::pair<NodeId, NodeId>> read_cooperation_file(const Scenario& s) {
  CsvTable table(resolve_path(s, s.partners.cooperation_file), "cooperation named by partners.cooperation_file");
  table.expect_header({{"partner", "partner"}});
  const PartnerRefs partner(s.partners);
  std::vector<std::pair<NodeId, NodeId>> pairs;
  while (const auto* row = table.next()) {
    const std::string where = table.where();
    expect_columns(*row, 2, where, "partner,partner");
    const std::uint32_t a = partner((*row)[0], where, "partner"), b = partner((*row)[1], where, "partner");
    if (a == b) {
      throw InputError(fmt::format("{}: partner '{}' is paired with itself; a pair is two partners", where,
                                   excerpt((*row)[0], 40)));
    }
    pairs.emplace_back(a, b);
  }
  return pairs;
}

std::vector<std::pair<std::uint32_t, NodeId>> read_followers_file(const Scenario& s, NodeId num_people) {
  CsvTable table(resolve_path(s, s.partners.followers_file), "followers named by partners.followers_file");
  table.expect_header({{"partner", "person"}});
  const PartnerRefs partner(s.partners);
  std::vector<std::pair<std::uint32_t, NodeId>> pairs;
  while (const auto* row = table.next()) {
    const std::string where = table.where();
    expect_columns(*row, 2, where, "partner,person");
    const std::uint32_t who = partner((*row)[0], where, "partner");
    if (num_people == 0) throw InputError(fmt::format("{}: column person: the audience is empty", where));
    pairs.emplace_back(who, static_cast<NodeId>(parse_integer((*row)[1], where, "person", 0, num_people - std::int64_t{1})));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

std::vector<CalendarEntry> read_calendar(const Scenario& s) {
  CsvTable table(resolve_path(s, s.media.calendar), "media calendar named by media.calendar");
  const bool costs = table.expect_header({{"step", "owner", "source", "channel"},
                                          {"step", "owner", "source", "channel", "cost"}}) == 1;
  const PartnerRefs partner(s.partners);
  const char* header = costs ? "step,owner,source,channel,cost" : "step,owner,source,channel";
  std::vector<CalendarEntry> entries;
  while (const auto* row = table.next()) {
    const auto& f = *row;
    CalendarEntry e;
    e.where = table.where();
    if (entries.size() == MAX_PLAN_MESSAGES) {
      throw InputError(fmt::format("{}: more than {} messages; a plan holds at most that many", e.where,
                                   MAX_PLAN_MESSAGES));
    }
    expect_columns(f, costs ? 5 : 4, e.where, header);
    e.step = static_cast<Step>(parse_integer(f[0], e.where, "step", 0, s.run.steps));
    if (f[2] == "firm") {
      if (!f[1].empty() || !f[3].empty()) {
        throw InputError(fmt::format("{}: a firm message (source firm) leaves owner and channel empty; got owner '{}', "
                                     "channel '{}'",
                                     e.where, excerpt(f[1], 40), excerpt(f[3], 40)));
      }
      e.firm = true;
    } else if (f[1].empty() && f[3].empty()) {
      e.single = true;
      e.owner = e.source = e.channel = partner(f[2], e.where, "source");
    } else {
      e.owner = partner(f[1], e.where, "owner");
      e.source = partner(f[2], e.where, "source");
      e.channel = partner(f[3], e.where, "channel");
      if (e.owner == e.source || e.source == e.channel || e.owner == e.channel) {
        throw InputError(fmt::format("{}: owner, source and channel must be three different partners", e.where));
      }
    }
    if (costs && !f[4].empty()) {
      e.has_cost = true;
      e.cost = parse_real(f[4], e.where, "cost", 0, 1e12);
    }
    entries.push_back(std::move(e));
  }
  if (entries.empty()) throw InputError(fmt::format("{}: the calendar lists no message", table.path()));
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.step < b.step; });
  return entries;
}

}  // namespace campaign
