// RedactSecrets on the French, Italian, Spanish, Czech and Portuguese lists:
// for each language a support ticket in ordinary prose, dense with that
// list's words, comes back unchanged, and a 12-word phrase of that list is
// redacted, accented or not, in any case, composed or decomposed.

#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "redaction/secret_redactor.h"

namespace sentinel::redaction {
namespace {

using ::std::string_literals::operator""s;

std::string Str(absl::string_view view) {
  return std::string(view.data(), view.size());
}

// Redacts `text` and checks that a second pass changes nothing.
Redaction Redact(absl::string_view text) {
  Redaction result = RedactSecrets(text);
  const Redaction again = RedactSecrets(result.text);
  EXPECT_EQ(again.count, 0) << "second pass found a secret";
  EXPECT_EQ(again.text, result.text) << "second pass changed the text";
  return result;
}

void ExpectKept(absl::string_view text) {
  const Redaction result = Redact(text);
  EXPECT_EQ(result.text, Str(text));
  EXPECT_EQ(result.count, 0);
}

void ExpectPhraseRedacted(absl::string_view phrase) {
  const Redaction result = Redact("seed: \""s + Str(phrase) + "\" ok?");
  EXPECT_EQ(result.text, "seed: \"[REDACTED:bip39_mnemonic]\" ok?")
      << Str(phrase);
  EXPECT_EQ(result.count, 1) << Str(phrase);
}

// 63 words, 13 on the French list (affiche, erreur, envoyer, adresse,
// système, numéro, valable, journal, choisir, simple, rapide, donner,
// pratique).
TEST(SecretRedactorLanguagesTest, KeepsFrenchProse) {
  ExpectKept(
      "Bonjour, je vous \xC3\xA9"
      "cris car mon compte affiche une erreur "
      "depuis hier. J'ai voulu envoyer une somme vers une nouvelle adresse, "
      "mais le syst\xC3\xA8me a bloqu\xC3\xA9 l'op\xC3\xA9ration et le "
      "num\xC3\xA9ro de ma carte n'est plus valable. Pouvez-vous "
      "v\xC3\xA9rifier le journal des connexions, choisir une solution simple "
      "et rapide, puis me donner une r\xC3\xA9ponse exacte ? Merci pour votre "
      "aide pratique.");
}

// 64 words, 14 on the Italian list.
TEST(SecretRedactorLanguagesTest, KeepsItalianProse) {
  ExpectKept(
      "Buongiorno, vi scrivo perch\xC3\xA9 il mio conto mostra un problema da "
      "ieri. Ho provato a fare un prelievo verso un nuovo indirizzo, ma la "
      "pagina ha dato un errore e il codice di verifica non era pi\xC3\xB9 "
      "valido. Potete controllare il registro degli accessi, cercare il caso "
      "nel vostro archivio e darmi una risposta prima di venerd\xC3\xAC? "
      "Grazie per il supporto e la fiducia.");
}

// 63 words, 15 on the Spanish list.
TEST(SecretRedactorLanguagesTest, KeepsSpanishProse) {
  ExpectKept(
      "Hola, les escribo porque mi cuenta muestra un mensaje de error desde "
      "ayer. Quise enviar una cantidad a una nueva direcci\xC3\xB3n, pero el "
      "sistema bloque\xC3\xB3 la operaci\xC3\xB3n y la clave de acceso ya no "
      "es v\xC3\xA1lida. \xC2\xBFPueden revisar la lista de accesos, buscar el "
      "problema en su archivo y darme una respuesta lo antes posible? Muchas "
      "gracias por la ayuda y el tiempo.");
}

// 51 words, 8 on the Czech list.
TEST(SecretRedactorLanguagesTest, KeepsCzechProse) {
  ExpectKept(
      "Dobr\xC3\xBD den, p\xC3\xAD\xC5\xA1u v\xC3\xA1m, proto\xC5\xBE"
      "e "
      "m\xC5\xAFj \xC3\xBA\xC4\x8D"
      "et od v\xC4\x8D"
      "erej\xC5\xA1ka "
      "ukazuje chybu. Cht\xC4\x9Bl jsem poslat pen\xC3\xADze na novou adresu, "
      "ale syst\xC3\xA9m operaci zastavil a heslo u\xC5\xBE nefunguje. "
      "M\xC5\xAF\xC5\xBE"
      "ete pros\xC3\xADm nejprve zkontrolovat seznam "
      "p\xC5\x99ihl\xC3\xA1\xC5\xA1"
      "en\xC3\xAD, obsah m\xC3\xA9 "
      "zpr\xC3\xA1vy a datum posledn\xC3\xAD zm\xC4\x9Bny? Nikdy jsem nikomu "
      "sv\xC3\xA9 heslo ne\xC5\x99"
      "ekl. D\xC4\x9Bkuji za pomoc a ochranu "
      "\xC3\xBA\xC4\x8Dtu.");
}

// 63 words, 9 on the Portuguese list.
TEST(SecretRedactorLanguagesTest, KeepsPortugueseProse) {
  ExpectKept(
      "Ol\xC3\xA1, escrevo porque a minha conta mostra uma mensagem de erro "
      "desde ontem. Tentei enviar um valor para um novo endere\xC3\xA7o, mas "
      "o sistema bloqueou a opera\xC3\xA7\xC3\xA3o e a chave de acesso deixou "
      "de funcionar. Podem verificar a lista de entradas, procurar o problema "
      "no vosso arquivo e dar-me uma resposta o mais cedo poss\xC3\xADvel? "
      "Muito obrigado pela ajuda e pelo cuidado.");
}

// A French phrase as typed (composed accents), without accents, in capitals,
// and with decomposed accents (e + U+0301 COMBINING ACUTE ACCENT).
TEST(SecretRedactorLanguagesTest, RedactsFrenchPhraseWithOrWithoutAccents) {
  ExpectPhraseRedacted(
      "fossile fl\xC3\xA8"
      "che \xC3\xA9luder v\xC3\xA9hicule adoucir "
      "\xC3\xA9mulsion aspect besace hibou d\xC3\xA9grafer duperie aimable");
  ExpectPhraseRedacted(
      "fossile fleche eluder vehicule adoucir emulsion aspect besace hibou "
      "degrafer duperie aimable");
  ExpectPhraseRedacted(
      "FOSSILE FL\xC3\x88"
      "CHE \xC3\x89LUDER V\xC3\x89HICULE ADOUCIR "
      "\xC3\x89MULSION ASPECT BESACE HIBOU D\xC3\x89GRAFER DUPERIE AIMABLE");
  ExpectPhraseRedacted(
      "fossile fle\xCC\x80"
      "che e\xCC\x81luder ve\xCC\x81hicule adoucir "
      "e\xCC\x81mulsion aspect besace hibou de\xCC\x81grafer duperie aimable");
}

TEST(SecretRedactorLanguagesTest, RedactsItalianPhrase) {
  ExpectPhraseRedacted(
      "tricheco sospiro spada tornare ripulire limatura macabro pensare viola "
      "catrame svista pimpante");
}

// Spanish with accents and ñ, without them, and in capitals.
TEST(SecretRedactorLanguagesTest, RedactsSpanishPhraseWithOrWithoutAccents) {
  ExpectPhraseRedacted(
      "pezu\xC3\xB1"
      "a avaro j\xC3\xBApiter ciudad sesi\xC3\xB3n monto "
      "alfiler cuarto voto enredo bah\xC3\xAD"
      "a rinc\xC3\xB3n");
  ExpectPhraseRedacted(
      "pezuna avaro jupiter ciudad sesion monto alfiler cuarto voto enredo "
      "bahia rincon");
  ExpectPhraseRedacted(
      "PEZU\xC3\x91"
      "A AVARO J\xC3\x9APITER CIUDAD SESI\xC3\x93N MONTO "
      "ALFILER CUARTO VOTO ENREDO BAH\xC3\x8D"
      "A RINC\xC3\x93N");
}

// The Czech list has no diacritics; diacritics typed anyway fold away.
TEST(SecretRedactorLanguagesTest, RedactsCzechPhrase) {
  ExpectPhraseRedacted(
      "orbital kemp hubnout pusa zajatec velitel slavnost znamenat spustit "
      "zamyslet dusno souviset");
  ExpectPhraseRedacted(
      "orbit\xC3\xA1l kemp hubnout pusa zajatec velitel slavnost znamenat "
      "spustit zamyslet dusno souviset");
}

TEST(SecretRedactorLanguagesTest, RedactsPortuguesePhrase) {
  ExpectPhraseRedacted(
      "gracejo tabuada zangado banquete argola tupi acomodar cabelo ingerir "
      "tolerar brochura vaqueiro");
}

// A misspelt word is tolerated in every language, accents and all.
TEST(SecretRedactorLanguagesTest, RedactsMisspeltPhraseInAnyLanguage) {
  ExpectPhraseRedacted(
      "pezu\xC3\xB1"
      "a avaro j\xC3\xBApiter ciudda sesi\xC3\xB3n monto "
      "alfiler cuarto voto enredo bah\xC3\xAD"
      "a rinc\xC3\xB3n");
  ExpectPhraseRedacted(
      "fossile fl\xC3\xA8"
      "che \xC3\xA9luder v\xC3\xA9hicul adoucir "
      "\xC3\xA9mulsion aspect besace hibou d\xC3\xA9grafer duperie aimable");
}

}  // namespace
}  // namespace sentinel::redaction
