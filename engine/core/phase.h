// Running one phase of the work ("building the graph") so that what stops it says where:
// an unlabelled interrupt is labelled with the phase, and a failed allocation becomes
// OutOfMemory naming it, never the library's words.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include "core/error.h"

namespace campaign {

template <class Body>
auto in_labelled_phase(const std::string& phase, Body&& body) {
  try {
    return body();
  } catch (const Interrupted& e) {
    if (!e.during().empty()) throw;
    throw Interrupted(e.signal(), phase, e.outcome());
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(phase);
  } catch (const std::length_error&) {
    throw OutOfMemory(phase, "a size is beyond what this machine can allocate");
  }
}

}  // namespace campaign
