#include "text/language.hpp"

#include <gtest/gtest.h>

#include "support/corpus.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "text/normalise.hpp"

namespace neardup::detail {
namespace {


std::string detect(std::string_view text) { return detect_language(text, profile_scripts(text)); }

TEST(TextLanguage, ScriptAloneDecides) {
  EXPECT_EQ(detect("યુક્રેન યુદ્ધમાં પહેલીવાર રશિયાએ ખુલ્લેઆમ બીજા દેશની મદદ માંગી"), "guj_Gujr");
  EXPECT_EQ(detect("ਪੰਜਾਬ ਸਰਕਾਰ ਨੇ ਅੱਜ ਨਵੀਂ ਨੀਤੀ ਦਾ ਐਲਾਨ ਕੀਤਾ"), "pan_Guru");
  EXPECT_EQ(detect("ଓଡ଼ିଶା ସରକାର ନୂଆ ଯୋଜନା ଘୋଷଣା କରିଛନ୍ତି"), "ory_Orya");
  EXPECT_EQ(detect("தமிழ்நாடு அரசு புதிய திட்டத்தை அறிவித்தது"), "tam_Taml");
  EXPECT_EQ(detect("తెలంగాణ ప్రభుత్వం కొత్త పథకాన్ని ప్రకటించింది"), "tel_Telu");
  EXPECT_EQ(detect("ಕರ್ನಾಟಕ ಸರ್ಕಾರ ಹೊಸ ಯೋಜನೆಯನ್ನು ಘೋಷಿಸಿದೆ"), "kan_Knda");
  EXPECT_EQ(detect("കേരള സർക്കാർ പുതിയ പദ്ധതി പ്രഖ്യാപിച്ചു"), "mal_Mlym");
  EXPECT_EQ(detect("ශ්‍රී ලංකා රජය නව සැලැස්මක් ප්‍රකාශ කළේය"), "sin_Sinh");
  EXPECT_EQ(detect("Η κυβέρνηση ανακοίνωσε νέο σχέδιο"), "ell_Grek");
  EXPECT_EQ(detect("정부는 새로운 계획을 발표했다"), "kor_Hang");
  EXPECT_EQ(detect("รัฐบาลประกาศแผนใหม่"), "tha_Thai");
  EXPECT_EQ(detect("政府宣布了新的计划"), "zho_Hani");
  EXPECT_EQ(detect("政府は新しい計画を発表した"), "jpn_Jpan");
  EXPECT_EQ(detect("12345 !!"), "und_Zyyy");
  EXPECT_EQ(detect(""), "und_Zyyy");
}

TEST(TextLanguage, Cld2DecidesWithinAScript) {
  EXPECT_EQ(detect("रूस का रक्षा मंत्रालय यूक्रेन में युद्ध के लिए हथियारों की कमी से जूझ रहा है और अब उसने "
                   "उत्तर कोरिया से गोला बारूद खरीदने का फैसला किया है"),
            "hin_Deva");
  EXPECT_EQ(detect("रशियाचे संरक्षण मंत्रालय युक्रेनमधील युद्धासाठी शस्त्रास्त्रांच्या कमतरतेचा सामना करत आहे आणि "
                   "आता त्यांनी उत्तर कोरियाकडून दारूगोळा खरेदी करण्याचा निर्णय घेतला आहे"),
            "mar_Deva");
  EXPECT_EQ(detect("The Ministry of Defence said on Tuesday that the army would buy new equipment."),
            "eng_Latn");
  EXPECT_EQ(detect("Le ministère de la Défense a annoncé mardi que l'armée achèterait du nouveau matériel."),
            "fra_Latn");
  EXPECT_EQ(detect("Министерство обороны России заявило во вторник, что армия закупит новое оборудование."),
            "rus_Cyrl");
  EXPECT_EQ(detect("روس کی وزارت دفاع نے منگل کو کہا کہ فوج نیا سامان خریدے گی اور اس کے لیے بجٹ میں اضافہ کیا جائے گا"),
            "urd_Arab");
}

// CLD2 knows Serbian best in Latin letters; a Cyrillic text is asked about folded to Latin.
TEST(TextLanguage, SerbianInEitherScript) {
  EXPECT_EQ(detect("Ministarka je rekla da vlada planira da promeni zakon, i da će građani moći da glasaju o tome "
                   "sledeće nedelje. Poslanici svih stranaka brinu se što će tako možda da izgube podršku birača."),
            "srp_Latn");
  EXPECT_EQ(detect("Министарка је рекла да влада планира да промени закон, и да ће грађани моћи да гласају о томе "
                   "следеће недеље. Посланици свих странака брину се што ће тако можда да изгубе подршку бирача."),
            "srp_Cyrl");
  EXPECT_EQ(detect("Владата на Република Македонија денеска донесе нов закон за заштита на животната средина. "
                   "Според министерката, законот ќе стапи во сила на почетокот од следната година."),
            "mkd_Cyrl");
}

TEST(TextLanguage, SindhiByItsOwnLetters) {
  EXPECT_EQ(detect("سنڌ حڪومت نئين منصوبي جو اعلان ڪيو آهي ۽ ان لاءِ بجيٽ ۾ واڌارو ڪيو ويندو"), "snd_Arab");
}

TEST(TextLanguage, DevDataAccuracy) {
  if (testing::dev_documents().empty()) GTEST_SKIP() << "dev data not found at " << testing::dev_dir();
  std::size_t total = 0, correct = 0;
  std::map<std::string, std::size_t> confusion;
  for (const auto& document : testing::dev_documents()) {
    // Language is detected on the normalised text, as the pipeline does.
    const std::string found = detect(normalise(document.text));
    ++total;
    if (found == document.lang) {
      ++correct;
    } else {
      ++confusion[document.lang + " -> " + found];
    }
  }
  ASSERT_GT(total, 1000u);
  const double accuracy = static_cast<double>(correct) / static_cast<double>(total);
  std::ostringstream errors;
  for (const auto& [pair, n] : confusion) errors << "  " << pair << ": " << n << "\n";
  std::cout << "language accuracy on " << total << " dev docs: " << accuracy << "\n" << errors.str();
  EXPECT_GE(accuracy, 0.98) << errors.str();
}

}  // namespace
}  // namespace neardup::detail
