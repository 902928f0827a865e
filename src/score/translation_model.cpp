#include "score/translation.hpp"

namespace neardup::detail {

// Fitted by tools/fit_translation_model.py; the same numbers, with the data and the command
// that produced them, are in fixtures/models/translation_model.json (a test keeps the two equal).
const TranslationModel& TranslationModel::fitted() {
  static const TranslationModel model{{3.938225, 3.360242, -0.073316, 0.130207, 0.010515, -0.182776}, -2.869901, 1.499468};
  return model;
}

}  // namespace neardup::detail
