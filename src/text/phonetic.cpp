#include "text/phonetic.hpp"

#include <array>
#include <cstdint>

namespace neardup::detail {
namespace {

// Key letters for U+0900..U+097F; 0 = drop. Built once from the classes above.
constexpr std::array<char, 128> make_devanagari_keys() {
  std::array<char, 128> keys{};
  auto set = [&keys](char32_t cp, char key) { keys[cp - 0x900] = key; };
  set(0x902, 'n'); set(0x901, 'n'); set(0x900, 'n'); set(0x903, 'h');
  for (char32_t cp : {0x904, 0x905, 0x906, 0x93E, 0x972, 0x973}) set(cp, 'a');
  for (char32_t cp : {0x907, 0x908, 0x93F, 0x940}) set(cp, 'i');
  for (char32_t cp : {0x909, 0x90A, 0x941, 0x942, 0x976, 0x977}) set(cp, 'u');
  for (char32_t cp : {0x90B, 0x960, 0x943, 0x944, 0x90C, 0x961, 0x962, 0x963}) set(cp, 'r');
  for (char32_t cp : {0x90D, 0x90E, 0x90F, 0x910, 0x945, 0x946, 0x947, 0x948, 0x975}) set(cp, 'e');
  for (char32_t cp : {0x911, 0x912, 0x913, 0x914, 0x949, 0x94A, 0x94B, 0x94C, 0x974}) set(cp, 'o');
  for (char32_t cp : {0x915, 0x916, 0x917, 0x918, 0x958, 0x959, 0x95A, 0x97B}) set(cp, 'k');
  set(0x919, 'n');
  for (char32_t cp : {0x91A, 0x91B, 0x91C, 0x91D, 0x95B, 0x97C}) set(cp, 'c');
  set(0x91E, 'n');
  for (char32_t cp : {0x91F, 0x920, 0x921, 0x922, 0x924, 0x925, 0x926, 0x927, 0x95C, 0x95D, 0x97E})
    set(cp, 't');
  for (char32_t cp : {0x923, 0x928, 0x929}) set(cp, 'n');
  for (char32_t cp : {0x92A, 0x92B, 0x92C, 0x92D, 0x95E, 0x97F}) set(cp, 'p');
  set(0x92E, 'm');
  for (char32_t cp : {0x92F, 0x95F}) set(cp, 'y');
  for (char32_t cp : {0x930, 0x931}) set(cp, 'r');
  for (char32_t cp : {0x932, 0x933, 0x934}) set(cp, 'l');
  set(0x935, 'v');
  for (char32_t cp : {0x936, 0x937, 0x938}) set(cp, 's');
  set(0x939, 'h');
  return keys;
}
constexpr std::array<char, 128> devanagari_keys = make_devanagari_keys();

constexpr std::array<char, 26> latin_keys = {
    'a', 'p', 'k', 't', 'e', 'p', 'k', 'h', 'i', 'c', 'k', 'l', 'm',
    'n', 'o', 'p', 'k', 'r', 's', 't', 'u', 'v', 'v', 'k', 'i', 'c'};

bool is_vowel_key(char key) {
  return key == 'a' || key == 'i' || key == 'u' || key == 'e' || key == 'o';
}

// Decodes one UTF-8 code point; the pivot text is valid UTF-8.
char32_t next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  int extra = byte < 0x80 ? 0 : byte < 0xE0 ? 1 : byte < 0xF0 ? 2 : 3;
  char32_t cp = extra == 0 ? byte : byte & (0x3F >> extra);
  ++pos;
  for (; extra > 0 && pos < text.size(); --extra, ++pos)
    cp = (cp << 6) | (static_cast<unsigned char>(text[pos]) & 0x3F);
  return cp;
}

void skeleton_into(std::string_view key, std::string& out) {
  out.clear();
  for (char letter : key)
    if (!is_vowel_key(letter)) out.push_back(letter);
}

}  // namespace

std::size_t append_phonetic_key(std::string_view pivot_word, std::string& out) {
  const std::size_t start = out.size();
  char previous_latin = 0;
  for (std::size_t pos = 0; pos < pivot_word.size();) {
    const char32_t cp = next_code_point(pivot_word, pos);
    char key = 0;
    if (cp >= 0x900 && cp < 0x980) {
      key = devanagari_keys[cp - 0x900];
      previous_latin = 0;
    } else if (cp >= 'a' && cp <= 'z') {
      key = latin_keys[cp - 'a'];
      // English writes aspiration and some single sounds as consonant + h (sh, th, ph, kh).
      if (cp == 'h' && previous_latin != 0 && !is_vowel_key(previous_latin)) key = 0;
      if (cp == 'x') out.push_back('k'), key = 's';
      previous_latin = key ? key : previous_latin;
    } else if (cp >= '0' && cp <= '9') {
      key = static_cast<char>(cp);
      previous_latin = 0;
    }
    // Doubled letters (English "Kirby"/"Kirrby", geminates) are one sound.
    if (key != 0 && (out.size() == start || out.back() != key)) out.push_back(key);
  }
  // A nasal before a consonant takes the consonant's place (Trump/ट्रंप, Hindi anusvara/म्):
  // every such nasal is written n.
  for (std::size_t i = start; i + 1 < out.size(); ++i)
    if (out[i] == 'm' && !is_vowel_key(out[i + 1]) && !(out[i + 1] >= '0' && out[i + 1] <= '9')) out[i] = 'n';
  return out.size() - start;
}

std::string name_key(std::string_view key) {
  std::string buffer;
  return std::string(name_key(key, buffer));
}

std::string_view name_key(std::string_view key, std::string& buffer) {
  skeleton_into(key, buffer);
  return buffer.size() >= 3 ? std::string_view(buffer) : key;
}

std::string consonant_skeleton(std::string_view key) {
  std::string skeleton;
  skeleton_into(key, skeleton);
  return skeleton;
}

}  // namespace neardup::detail
