#include "scenario/partner_table.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"

namespace campaign {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  for (auto& field : fields) {
    const auto first = field.find_first_not_of(" \t");
    const auto last = field.find_last_not_of(" \t");
    field = first == std::string::npos ? "" : field.substr(first, last - first + 1);
  }
  return fields;
}

// A finite number in [lo, hi] (from_chars also reads "nan" and "inf": both refused).
template <class T>
T parse_number(const std::string& text, const std::string& where, const char* column, double lo,
               double hi) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(static_cast<double>(value)) || value < lo || value > hi) {
    throw InputError(fmt::format("{}: column {} = '{}' is not allowed; allowed: a number in {} .. {}",
                                 where, column, excerpt(text, 40), lo, hi));
  }
  return value;
}

}  // namespace

std::string load_partner_table(Scenario& s, const KeyOrigins& origins) {
  auto& p = s.partners;
  if (p.file.empty()) return "";
  for (const char* key : {"partners.count", "partners.roles", "partners.reach",
                          "partners.credibilities", "partners.costs"}) {
    if (origins.is_set(key)) {
      throw InputError(fmt::format("{}: {} is given, but partners.file already defines the partners; "
                                   "use one or the other",
                                   origins.where(key), key));
    }
  }
  std::filesystem::path path(p.file);
  if (path.is_relative()) path = std::filesystem::path(s.base_dir) / path;
  const std::string name = path.lexically_normal().string();
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec)) {
    throw InputError(fmt::format("{}: cannot read partner table named by partners.file: it is a "
                                 "directory",
                                 name));
  }
  std::ifstream in(name);
  if (!in) {
    throw_if_interrupted();  // a FIFO with no writer, left by Ctrl-C
    throw InputError(fmt::format("{}: cannot read partner table named by partners.file: {}", name,
                                 std::strerror(errno)));
  }
  p.roles.clear();
  p.reach.clear();
  p.credibilities.clear();
  p.costs.clear();
  std::string line;
  std::size_t number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a UTF-8 BOM (Excel)
    const auto fields = split_csv_line(line);
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (!fields[0].empty() && fields[0][0] == '#') continue;
    const std::string where = fmt::format("{}:{}", name, number);
    if (!header) {
      if (fields != std::vector<std::string>{"name", "roles", "reach", "credibility", "cost"}) {
        throw InputError(fmt::format("{}: expected the header name,roles,reach,credibility,cost", where));
      }
      header = true;
      continue;
    }
    if (p.roles.size() == MAX_PARTNERS) {
      throw InputError(fmt::format("{}: more than {} partners; allowed: 1 .. {} rows", where,
                                   MAX_PARTNERS, MAX_PARTNERS));
    }
    if (fields.size() != 5) {
      throw InputError(fmt::format("{}: expected 5 columns (name,roles,reach,credibility,cost), got {}",
                                   where, fields.size()));
    }
    if (parse_roles(fields[1]) == ROLES_INVALID) {
      throw InputError(fmt::format("{}: column roles = '{}' is not allowed; allowed: owner, source, "
                                   "channel joined by '+'",
                                   where, excerpt(fields[1], 40)));
    }
    p.roles.push_back(fields[1]);
    p.reach.push_back(parse_number<std::int64_t>(fields[2], where, "reach", 0, 2e9));
    p.credibilities.push_back(parse_number<double>(fields[3], where, "credibility", 0, 1));
    p.costs.push_back(parse_number<double>(fields[4], where, "cost", 0, 1e12));
  }
  if (!header) throw InputError(fmt::format("{}: partner table is empty", name));
  p.count = static_cast<std::uint32_t>(p.roles.size());
  // The resolved scenario carries the table's values, so it stands on its own.
  p.file.clear();
  return name;
}

}  // namespace campaign
