#include "score/translation.hpp"

namespace neardup::detail {

// Fitted by tools/fit_translation_model.py; the same numbers, with the data and the command
// that produced them, are in fixtures/models/translation_model.json (a test keeps the two equal).
const PairModel& PairModel::translation() {
  static const PairModel model{{3.49819, 3.189926, 0.102562, 0.215279, 0.117229, -0.066683, 0.0, 0.0}, -2.908876, 2.16658};
  return model;
}

// Fitted by tools/fit_translation_model.py on same-story candidates; the same numbers are in
// fixtures/models/same_story_model.json.
const PairModel& PairModel::same_story() {
  static const PairModel model{{2.400133, 1.09733, 0.754124, 1.091616, -0.335983, 0.690097, 0.070445, -2.402489}, -4.001545, -0.148607};
  return model;
}

}  // namespace neardup::detail
