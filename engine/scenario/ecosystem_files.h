// The partner ecosystem's own files, read when the ecosystem and its plan are drawn (they
// can be large, so the resolved scenario names them instead of carrying their rows):
// cooperating pairs (partners.cooperation_file), followers (partners.followers_file) and
// the media calendar (media.calendar). A partner is named as in partners.names (set by
// partners.file), else by its index from 0. Every error is one InputError line naming
// "file:line" and the column.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "scenario/scenario.h"

namespace campaign {

// Header partner,partner: one cooperating pair a line; a partner paired with itself is an
// error, a pair listed twice (either way round) counts once.
std::vector<std::pair<NodeId, NodeId>> read_cooperation_file(const Scenario& scenario);

// Header partner,person: sorted by partner, then person; a pair listed twice counts once.
std::vector<std::pair<std::uint32_t, NodeId>> read_followers_file(const Scenario& scenario, NodeId num_people);

// Header step,owner,source,channel (optional column cost): one message a line, in any
// order. A firm message names source "firm" and leaves owner and channel empty; a
// partner's own message names only the source. Steps within the run; roles and the
// budget are checked where the ecosystem is known.
struct CalendarEntry {
  Step step = 0;
  bool firm = false;
  bool single = false;  // one partner's own message (owner = source = channel)
  std::uint32_t owner = 0, source = 0, channel = 0;
  bool has_cost = false;
  double cost = 0;
  std::string where;  // "file:line"
};
std::vector<CalendarEntry> read_calendar(const Scenario& scenario);

}  // namespace campaign
