// Reads the partner table named by partners.file: a CSV file with the header
//   name,roles,reach,credibility,cost
// and one partner per line (roles as "owner+source+channel"; '#' starts a comment line).
// It fills partners.count, roles, reach, credibilities and costs, which must then not be
// given in the scenario as well. Errors name "file:line" and the column.
#pragma once

#include "scenario/scenario_loader.h"

namespace campaign {

// Returns the table's path ("" when partners.file is empty).
std::string load_partner_table(Scenario& scenario, const KeyOrigins& origins);

}  // namespace campaign
