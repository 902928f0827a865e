// The same text in two scripts of one language: the fold (text/fold.hpp) against ICU, and the
// pipeline on copies that ICU itself makes (Serbian-Latin/BGN of Serbian Cyrillic documents,
// Simplified-Traditional of Chinese ones), which must be found as duplicates and removed.
#include "text/fold.hpp"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "neardup/evaluate.hpp"
#include "neardup/ingest.hpp"
#include "neardup/pipeline.hpp"
#include "shingle/features.hpp"
#include "text/language.hpp"
#include "text/normalise.hpp"
#include "text/transliterate.hpp"

namespace neardup::detail {
namespace {

constexpr ScriptFold serbian{CyrillicFold::serbian, false};
constexpr ScriptFold han{CyrillicFold::none, true};

const std::string serbian_text =
    "Министарка је рекла да влада планира да промени закон, и да ће грађани моћи да гласају о томе следеће недеље.\n"
    "Посланици свих странака брину се што ће тако можда да изгубе подршку бирача, па траже да се расправа одложи.\n"
    "Одборници градске скупштине су саопштили да желе да се уведе нова линија аутобуса.\n"
    "Председник општине је изјавио да ће се радови завршити до лета и да неће бити потребно да се затварају улице у центру града.\n"
    "Љубазни грађани Ниша и Новог Сада већ су почели да одвајају отпад, а џиновски контејнери постављени су у центру.\n";

const std::string russian_text =
    "Правительство объявило о новой программе поддержки малого бизнеса.\n"
    "По словам министра, программа начнёт действовать в следующем году и охватит все крупные города.\n"
    "Эксперты считают, что для её реализации потребуется больше денег и лучшее взаимодействие с регионами.\n"
    "Жители уже начали подавать заявки, а первые гранты будут выплачены весной.\n";

const std::string chinese_text =
    "政府今天宣布了一项新的环境保护法律。\n"
    "据部长介绍，这项法律将于明年年初生效，并将覆盖所有大城市。\n"
    "专家警告说，实施这项法律需要更多的资金以及与地方政府更好的合作。\n"
    "许多市民已经开始对垃圾进行分类，广场上也摆放了新的回收箱。\n"
    "反对派认为，这项法律通过得太快，公众讨论并不充分，实施的日期还不清楚。\n";

const std::string english_text =
    "The government announced a new law on environmental protection today.\n"
    "According to the minister, the law will take effect early next year and will cover all large cities.\n"
    "Experts warn that putting it into practice will need more money and better cooperation with local councils.\n";

std::string icu(std::string_view text, const char* id) { return transliterate_icu(text, id); }

std::string nfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out;
  icu::Normalizer2::getNFCInstance(status)->normalize(icu::UnicodeString::fromUTF8(text), status).toUTF8String(out);
  return out;
}

// ICU's Serbian-Latin/BGN composed (it writes ć as c and a combining acute), as Latin text is.
std::string serbian_latin_nfc(std::string_view text) { return nfc(icu(text, "Serbian-Latin/BGN")); }

std::vector<std::uint64_t> shingles(const std::string& text) {
  return prepare_shingles(text, normalised_lines(text), {}, 3).word_shingles.hashes;
}

Document document(std::string id, std::string text) { return {std::move(id), std::move(text), "", "", "", 0, {}}; }

TEST(ScriptFold, ChoosesByTheLettersOfTheDocument) {
  EXPECT_EQ(choose_fold(serbian_text).cyrillic, CyrillicFold::serbian);
  EXPECT_EQ(choose_fold(russian_text).cyrillic, CyrillicFold::none);
  EXPECT_EQ(choose_fold("Владата на Македонија ќе донесе нов закон, рече Ѓорѓи.").cyrillic, CyrillicFold::none);
  EXPECT_EQ(choose_fold("Ўзбекистон ҳукумати янги қонун қабул қилди. Ёшлар ғалаба қилди.").cyrillic, CyrillicFold::uzbek);
  EXPECT_EQ(choose_fold("Азәрбајҹан һөкумәти јени гануну гәбул етди.").cyrillic, CyrillicFold::azerbaijani);
  EXPECT_TRUE(choose_fold(chinese_text).han);
  EXPECT_FALSE(choose_fold(chinese_text).cyrillic != CyrillicFold::none);
  EXPECT_FALSE(choose_fold("政府は新しい計画を発表した").han);  // Japanese: kana
  EXPECT_FALSE(choose_fold(english_text).active());
  EXPECT_FALSE(choose_fold("").active());
}

// Every Cyrillic letter, alone and in the words of a text, against ICU's Serbian-Latin/BGN.
TEST(ScriptFold, SerbianTableIsIcusSerbianLatin) {
  for (char32_t c = 0x0400; c <= 0x04FF; ++c) {
    icu::UnicodeString one(static_cast<UChar32>(c));
    std::string utf8;
    one.toUTF8String(utf8);
    const std::string text = normalise("а" + utf8 + "б");
    EXPECT_EQ(fold_scripts(text, serbian), fold_scripts_icu(text, serbian)) << "U+" << std::hex << static_cast<std::uint32_t>(c);
  }
  for (const std::string& text : {serbian_text, russian_text, std::string("З́ора и с́утра, ЉУБАВ и Џеп, ѐ ѝ, а́ је стари naziv 12")}) {
    const std::string normalised = normalise(text);
    EXPECT_EQ(fold_scripts(normalised, serbian), fold_scripts_icu(normalised, serbian)) << text;
  }
  EXPECT_EQ(fold_scripts(normalise("Љубазни џиновски грађани Ђурђевдана"), serbian), "ljubazni džinovski građani đurđevdana");
  // Montenegrin з́ and с́ come out composed, as normalised Latin text is.
  EXPECT_EQ(fold_scripts(normalise("с́утра з́ора"), serbian), normalise("\u015Butra \u017Aora"));
  // As written, for language identification: case kept, and the digraphs cased as ICU cases them.
  for (const std::string& text : {serbian_text, russian_text, std::string("ЉУБАВ Љубав Љ. ЉЉу ЏЕП Џеп Њ-ега Љя Љ́у ЂУРЂЕВДАН")})
    EXPECT_EQ(fold_cyrillic_as_written(text, CyrillicFold::serbian), serbian_latin_nfc(text)) << text;
  std::string untouched = "kept";
  EXPECT_FALSE(fold_scripts("latin only, 42", serbian, untouched));
  EXPECT_EQ(untouched, "kept");
}

// Random text of Cyrillic letters, combining marks, Han and CJK punctuation: every fold gives
// normalised text, and the Serbian table gives ICU's bytes.
TEST(ScriptFold, RandomTextFoldsToNormalisedText) {
  std::mt19937 engine(7);
  const auto random = [&engine] { return static_cast<std::uint32_t>(engine()); };
  const auto put = [](std::string& text, char32_t c) { icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(text); };
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (std::uint32_t k = random() % 40; k > 0; --k) {
      switch (random() % 7) {
        case 0: text.push_back(static_cast<char>('a' + random() % 26)); break;
        case 1: text.push_back(' '); break;
        case 2:
        case 3: put(text, char32_t{0x0400} + random() % 0x130); break;
        case 4: put(text, char32_t{0x0300} + random() % 0x70); break;
        case 5: put(text, char32_t{0x4E00} + random() % 0x5200); break;
        default: put(text, random() % 2 ? char32_t{0x300C} + random() % 4 : char32_t{0x2018} + random() % 8); break;
      }
    }
    EXPECT_EQ(nfc(fold_cyrillic_as_written(text, CyrillicFold::serbian)), serbian_latin_nfc(text)) << text;
    const std::string normalised = normalise(text);
    for (const CyrillicFold cyrillic : {CyrillicFold::none, CyrillicFold::serbian, CyrillicFold::uzbek, CyrillicFold::azerbaijani})
      for (const bool han_too : {false, true}) {
        const ScriptFold fold{cyrillic, han_too};
        const std::string folded = fold_scripts(normalised, fold);
        EXPECT_EQ(normalise(folded), folded) << normalised;
        if (cyrillic == CyrillicFold::serbian && !han_too) {
          EXPECT_EQ(folded, fold_scripts_icu(normalised, fold)) << normalised;
        }
      }
  }
}

TEST(ScriptFold, UzbekAndAzerbaijaniToTheirLatinAlphabets) {
  const std::string uzbek = "Ўзбекистон ҳукумати янги қонун қабул қилди. Ёшлар ғалаба қилди ва шаҳарда байрам бўлди.";
  const std::string uzbek_latin = "O\u02BBzbekiston hukumati yangi qonun qabul qildi. Yoshlar g\u02BBalaba qildi va shaharda bayram bo\u02BBldi.";
  EXPECT_EQ(fold_scripts(normalise(uzbek), choose_fold(uzbek)), normalise(uzbek_latin));
  const std::string azerbaijani = "Азәрбајҹан һөкумәти јени гануну гәбул етди. Бу ганун ҝәләҹәк илдән гүввәјә минәҹәк.";
  const std::string azerbaijani_latin = "Azərbaycan hökuməti yeni qanunu qəbul etdi. Bu qanun gələcək ildən qüvvəyə minəcək.";
  EXPECT_EQ(fold_scripts(normalise(azerbaijani), choose_fold(azerbaijani)), normalise(azerbaijani_latin));
  EXPECT_EQ(shingles(uzbek), shingles(uzbek_latin));
  EXPECT_EQ(shingles(azerbaijani), shingles(azerbaijani_latin));
}

TEST(ScriptFold, HanVariantsFoldAlike) {
  const std::string traditional = icu(chinese_text, "Simplified-Traditional");
  ASSERT_NE(traditional, chinese_text);
  EXPECT_EQ(fold_scripts(normalise(traditional), han), fold_scripts(normalise(chinese_text), han));
  // The fold is ICU's Traditional-Simplified, character by character.
  EXPECT_EQ(fold_scripts(normalise("國際機場「開放」"), han), "国际机场“开放”");
  EXPECT_EQ(fold_scripts("螢", han), "萤");
  EXPECT_EQ(fold_scripts("沈", han), fold_scripts("沉", han));  // ICU's two directions disagree here
  EXPECT_EQ(fold_scripts("萤", han), "萤");
  EXPECT_EQ(shingles(traditional), shingles(chinese_text));
}

// Words without a phonetic key (Han, Hangul, kana, Thai) are compared by their characters, so
// every sentence of such a text has features, alike in either Chinese script, and none of them
// meets a text in another script.
TEST(ScriptFold, KeylessScriptsAreComparedByCharacters) {
  auto grams_of = [](const std::string& text) {
    const PreparedDocument prepared = prepare(document("d", text), normalised_lines(text), {}, 3);
    std::vector<std::vector<std::uint64_t>> by_sentence;
    for (const auto& sentence : prepared.sentences) by_sentence.push_back(sentence.grams);
    return by_sentence;
  };
  const auto simplified = grams_of(chinese_text);
  ASSERT_EQ(simplified.size(), 5u);
  for (const auto& grams : simplified) EXPECT_GE(grams.size(), 5u);
  EXPECT_EQ(grams_of(icu(chinese_text, "Simplified-Traditional")), simplified);
  const auto korean = grams_of("정부는 오늘 새로운 환경 보호법을 발표했다.\n전문가들은 더 많은 예산이 필요하다고 경고했다.\n");
  ASSERT_EQ(korean.size(), 2u);
  EXPECT_FALSE(korean[0].empty());
  std::set<std::uint64_t> chinese_grams, english_grams;
  for (const auto& grams : simplified) chinese_grams.insert(grams.begin(), grams.end());
  for (const auto& grams : grams_of(english_text)) english_grams.insert(grams.begin(), grams.end());
  for (std::uint64_t gram : english_grams) EXPECT_EQ(chinese_grams.count(gram), 0u);
}

TEST(ScriptFold, CopiesInTheOtherScriptAreDuplicates) {
  std::vector<Document> documents = {
      document("sr", serbian_text), document("ru", russian_text), document("zh", chinese_text), document("en", english_text),
      document("sr-latn", icu(serbian_text, "Serbian-Latin/BGN")), document("zh-hant", icu(chinese_text, "Simplified-Traditional")),
      document("ru-bgn", icu(russian_text, "Serbian-Latin/BGN"))};
  const Analysis analysis = analyse(documents);
  std::map<std::pair<std::string, std::string>, Relation> found;
  for (const Pair& pair : analysis.pairs) found[{analysis.documents[pair.a].id, analysis.documents[pair.b].id}] = pair.relation;
  EXPECT_EQ(found.at({"sr", "sr-latn"}), Relation::exact_duplicate);
  EXPECT_EQ(found.at({"zh", "zh-hant"}), Relation::exact_duplicate);
  for (const auto& [ids, relation] : found) {
    const bool copy = relation == Relation::exact_duplicate || relation == Relation::near_duplicate;
    const bool expected = (ids.first == "sr" && ids.second == "sr-latn") || (ids.first == "zh" && ids.second == "zh-hant");
    if (copy) {
      EXPECT_TRUE(expected) << ids.first << " ~ " << ids.second;
    }
  }
  EXPECT_EQ(analysis.info[4].lang, "srp_Latn");
  EXPECT_EQ(analysis.info[0].lang, "srp_Cyrl");
  EXPECT_EQ(analysis.info[4].script, "Latn");
  const DedupResult dedup = deduplicate(analysis, KeepPolicy::first);
  std::set<std::string> removed;
  for (const Removal& removal : dedup.removed) removed.insert(analysis.documents[removal.removed].id);
  EXPECT_EQ(removed, (std::set<std::string>{"sr-latn", "zh-hant"}));
}

// ---------------------------------------------------------------------------------------------
// On the dev corpus of several versions per language.

const std::string world_dir = std::string(NEARDUP_SHARED_DIR) + "/data/ntrex-world-dev";

struct World {
  std::vector<Document> documents;
  Truth truth;
};

const World& world() {
  static const World data = [] {
    World w;
    if (!std::filesystem::exists(world_dir + "/docs.jsonl")) return w;
    w.documents = read_inputs({world_dir + "/docs.jsonl"}, {}).documents;
    w.truth = read_truth(world_dir + "/truth.tsv");
    return w;
  }();
  return data;
}

std::vector<const Document*> of_language(const std::string& lang) {
  std::vector<const Document*> result;
  for (const Document& d : world().documents)
    if (world().truth.at(d.id).lang == lang) result.push_back(&d);
  return result;
}

#define SKIP_WITHOUT_WORLD()                                                                                    \
  if (world().documents.empty()) GTEST_SKIP() << "dev data not found at " << world_dir << " (../shared is absent)"

TEST(ScriptFoldDev, SerbianTableIsIcuOnEveryCyrillicDocument) {
  SKIP_WITHOUT_WORLD();
  std::size_t checked = 0;
  for (const char* lang : {"srp_Cyrl", "rus_Cyrl", "ukr_Cyrl", "bul_Cyrl", "mkd_Cyrl"})
    for (const Document* d : of_language(lang)) {
      const std::string normalised = normalise(d->text);
      EXPECT_EQ(fold_scripts(normalised, serbian), fold_scripts_icu(normalised, serbian)) << d->id;
      EXPECT_EQ(fold_cyrillic_as_written(d->text, CyrillicFold::serbian), serbian_latin_nfc(d->text)) << d->id;
      ++checked;
    }
  EXPECT_EQ(checked, 310u);
  for (const Document* d : of_language("srp_Cyrl")) EXPECT_EQ(choose_fold(d->text).cyrillic, CyrillicFold::serbian) << d->id;
  for (const char* lang : {"rus_Cyrl", "ukr_Cyrl", "bul_Cyrl"})
    for (const Document* d : of_language(lang)) EXPECT_EQ(choose_fold(d->text).cyrillic, CyrillicFold::none) << d->id;
}

// The Han classes against ICU's Traditional-Simplified on real Traditional text: equal but for
// the characters ICU maps by context.
TEST(ScriptFoldDev, HanFoldIsIcuTraditionalSimplifiedNearlyEverywhere) {
  SKIP_WITHOUT_WORLD();
  std::size_t characters = 0, different = 0;
  for (const Document* d : of_language("zho_Hant")) {
    const std::string normalised = normalise(d->text);
    const icu::UnicodeString ours = icu::UnicodeString::fromUTF8(fold_scripts(normalised, han));
    const icu::UnicodeString reference = icu::UnicodeString::fromUTF8(fold_scripts_icu(normalised, han));
    ASSERT_EQ(ours.length(), reference.length()) << d->id;
    for (int32_t i = 0; i < ours.length(); ++i) different += ours[i] != reference[i];
    characters += static_cast<std::size_t>(ours.length());
  }
  std::cout << "[ han fold ] " << different << " of " << characters << " characters differ from ICU's Traditional-Simplified\n";
  EXPECT_LT(different * 500, characters);  // under 0.2%
}

TEST(ScriptFoldDev, SerbianIsNamedSerbianInEitherScript) {
  SKIP_WITHOUT_WORLD();
  for (const char* lang : {"srp_Cyrl", "srp_Latn"}) {
    std::size_t correct = 0, total = 0;
    std::map<std::string, std::size_t> found;
    for (const Document* d : of_language(lang)) {
      const std::string detected = detect_language(d->text, profile_scripts(d->text));
      ++found[detected];
      correct += detected == lang;
      ++total;
    }
    std::ostringstream confusion;
    for (const auto& [code, n] : found) confusion << " " << code << ":" << n;
    std::cout << "[ language ] " << lang << confusion.str() << "\n";
    EXPECT_GE(correct * 100, total * 95) << lang << confusion.str();
  }
}

// Every ICU copy of a Serbian Cyrillic or Simplified Chinese document, added to the whole corpus,
// is an exact or near-duplicate of its original and is removed by dedup; no copy, and no Serbian
// form of a Russian document, is made a duplicate of another story's document.
TEST(ScriptFoldDev, IcuCopiesAreFoundAndRemoved) {
  SKIP_WITHOUT_WORLD();
  std::vector<Document> documents = world().documents;
  std::map<std::string, std::string> story;  // id -> story, for the copies too
  for (const Document& d : documents) story[d.id] = world().truth.at(d.id).story;
  struct Kind {
    const char* lang;
    const char* transliterator;
    std::size_t copies = 0, found = 0, removed = 0;
  };
  std::vector<Kind> kinds = {{"srp_Cyrl", "Serbian-Latin/BGN"}, {"zho_Hans", "Simplified-Traditional"}, {"rus_Cyrl", "Serbian-Latin/BGN"}};
  std::map<std::string, std::pair<std::size_t, std::string>> copies;  // copy id -> kind, original id
  for (std::size_t k = 0; k < kinds.size(); ++k)
    for (const Document* d : of_language(kinds[k].lang)) {
      Document copy = document(d->id + ".copy", icu(d->text, kinds[k].transliterator));
      ASSERT_NE(copy.text, d->text) << d->id;
      story[copy.id] = story.at(d->id);
      copies[copy.id] = {k, d->id};
      documents.push_back(std::move(copy));
      ++kinds[k].copies;
    }
  const Analysis analysis = analyse(std::move(documents));
  const auto& docs = analysis.documents;
  for (const Pair& pair : analysis.pairs) {
    if (pair.relation != Relation::exact_duplicate && pair.relation != Relation::near_duplicate) continue;
    const std::string& a = docs[pair.a].id;
    const std::string& b = docs[pair.b].id;
    EXPECT_EQ(story.at(a), story.at(b)) << a << " ~ " << b << " " << relation_name(pair.relation);
    for (const auto& [copy, original] : {std::pair(a, b), std::pair(b, a)}) {
      const auto it = copies.find(copy);
      if (it != copies.end() && it->second.second == original) ++kinds[it->second.first].found;
    }
  }
  // A Serbian copy in Latin letters is named Serbian as its original is.
  std::size_t serbian_copies = 0, named_serbian = 0;
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const auto it = copies.find(docs[d].id);
    if (it == copies.end() || it->second.first != 0) continue;
    ++serbian_copies;
    named_serbian += analysis.info[d].lang == "srp_Latn";
  }
  std::cout << "[ copies ] named srp_Latn: " << named_serbian << "/" << serbian_copies << "\n";
  EXPECT_GE(named_serbian * 100, serbian_copies * 95);
  const DedupResult dedup = deduplicate(analysis, KeepPolicy::first);
  for (const Removal& removal : dedup.removed) {
    const auto it = copies.find(docs[removal.removed].id);
    if (it != copies.end() && story.at(docs[removal.duplicate_of].id) == story.at(it->second.second)) ++kinds[it->second.first].removed;
  }
  for (const Kind& kind : kinds)
    std::cout << "[ copies ] " << kind.transliterator << " of " << kind.lang << ": found " << kind.found << "/" << kind.copies
              << ", removed " << kind.removed << "/" << kind.copies << "\n";
  for (const Kind& kind : {kinds[0], kinds[1]}) {
    EXPECT_EQ(kind.found, kind.copies) << kind.lang;
    EXPECT_EQ(kind.removed, kind.copies) << kind.lang;
  }
}

}  // namespace
}  // namespace neardup::detail
