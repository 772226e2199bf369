#include "scenario/partner_table.h"

#include <fmt/format.h>

#include <unordered_map>

#include "core/error.h"
#include "core/text.h"
#include "scenario/csv_table.h"

namespace campaign {

std::string load_partner_table(Scenario& s, const KeyOrigins& origins) {
  auto& p = s.partners;
  if (p.file.empty()) return "";
  for (const char* key : {"partners.count", "partners.names", "partners.roles", "partners.reach",
                          "partners.credibilities", "partners.costs"}) {
    if (origins.is_set(key)) {
      throw InputError(fmt::format("{}: {} is given, but partners.file already defines the partners; "
                                   "use one or the other",
                                   origins.where(key), key));
    }
  }
  const std::string name = resolve_path(s, p.file);
  CsvTable table(name, "partner table named by partners.file");
  table.expect_header({{"name", "roles", "reach", "credibility", "cost"}});
  p.names.clear();
  p.roles.clear();
  p.reach.clear();
  p.credibilities.clear();
  p.costs.clear();
  std::unordered_map<std::string, std::size_t> first_line;  // name -> its line
  while (const auto* row = table.next()) {
    const auto& fields = *row;
    const std::string where = table.where();
    if (p.roles.size() == MAX_PARTNERS) {
      throw InputError(fmt::format("{}: more than {} partners; allowed: 1 .. {} rows", where,
                                   MAX_PARTNERS, MAX_PARTNERS));
    }
    if (fields.size() != 5) {
      throw InputError(fmt::format("{}: expected 5 columns (name,roles,reach,credibility,cost), got {}",
                                   where, fields.size()));
    }
    if (fields[0].empty()) throw InputError(fmt::format("{}: column name is empty; every partner needs a name", where));
    if (const auto [it, fresh] = first_line.emplace(fields[0], first_line.size() + 1); !fresh) {
      throw InputError(fmt::format("{}: column name = '{}' is the name of partner {} already; names must be "
                                   "distinct",
                                   where, excerpt(fields[0], 40), it->second));
    }
    if (parse_roles(fields[1]) == ROLES_INVALID) {
      throw InputError(fmt::format("{}: column roles = '{}' is not allowed; allowed: owner, source, "
                                   "channel joined by '+'",
                                   where, excerpt(fields[1], 40)));
    }
    p.names.push_back(fields[0]);
    p.roles.push_back(fields[1]);
    p.reach.push_back(parse_integer(fields[2], where, "reach", 0, 2'000'000'000));
    p.credibilities.push_back(parse_real(fields[3], where, "credibility", 0, 1));
    p.costs.push_back(parse_real(fields[4], where, "cost", 0, 1e12));
  }
  p.count = static_cast<std::uint32_t>(p.roles.size());
  // The resolved scenario carries the table's values, so it stands on its own.
  p.file.clear();
  return name;
}

}  // namespace campaign
