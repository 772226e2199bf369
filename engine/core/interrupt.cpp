#include "core/interrupt.h"

#include "core/error.h"

namespace campaign {

void throw_if_interrupted() {
  if (const int signal = interrupt_signal()) throw Interrupted(signal);
}

}  // namespace campaign
