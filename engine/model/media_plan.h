// The media plan: the messages the budget buys, each from the firm alone or a triad of
// cooperating partners (owner, source, channel), staged over the communication cycle
// (announce, event, echo). Drawn once per run from the master seed (stream `media`,
// replication slot 0) and shared by all replications.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/types.h"
#include "model/ecosystem.h"
#include "scenario/scenario.h"

namespace campaign {

// One message of the media plan and the people its stages reach.
struct Message {
  Step start = 0;
  bool solo = true;  // the firm alone, or partners: a triad (or, in a calendar, one partner: owner = source = channel)
  std::uint32_t owner = 0, source = 0, channel = 0;  // partner ids (source = firm id when solo)
  double cost = 0;
  double credibility = 0;         // of the source
  std::vector<NodeId> audience;   // union of the engaged followers, sorted
};

struct StageEvent {
  std::uint32_t message;
  std::uint8_t stage;  // 0 announce, 1 event, 2 echo
  double strength;
};

class MediaPlan {
 public:
  MediaPlan(const Scenario& scenario, const Ecosystem& ecosystem);
  const std::vector<Message>& messages() const { return messages_; }
  // Stage events that fall in step t (empty past the plan).
  std::span<const StageEvent> events_at(Step t) const;
  std::uint32_t distinct_triads() const { return distinct_triads_; }

 private:
  std::vector<Message> messages_;
  std::vector<std::vector<StageEvent>> events_;  // by step
  std::uint32_t distinct_triads_ = 0;
};

}  // namespace campaign
