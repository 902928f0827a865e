#include "score/translation.hpp"

namespace neardup::detail {

// Fitted by tools/fit_translation_model.py; the same numbers, with the data and the command
// that produced them, are in fixtures/models/translation_model.json (a test keeps the two equal).
const TranslationModel& TranslationModel::fitted() {
  static const TranslationModel model{{3.49819, 3.189926, 0.102562, 0.215279, 0.117229, -0.066683}, -2.908876, 2.16658};
  return model;
}

}  // namespace neardup::detail
