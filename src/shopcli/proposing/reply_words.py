"""The words a client answers a proposal with, per language: the reply reader's vocabulary.

Every entry is matched case-insensitively. An entry with spaces is a phrase (its words in a
row); an entry ending in `*` is a stem (any word that starts with it, for languages that
inflect: `odrzuc*` is odrzucam, odrzucamy, odrzucone …). Chinese entries are found inside
runs of characters written without spaces.

What each kind of word means to the reader (replies.py):

- approve, reject, change: the instruction words. Without an item they refuse the reply.
- plain: everyday ways to say "I take it" (take, want, biorę, беру, 要) — an approval of the
  items next to them; a sentence with no item that holds one is only prose when it does not
  point at an item with a pronoun ("we'll take them" refuses).
- yes: yes and ok, approvals next to items, harmless alone ("Yes, lovely!").
- praise: great, perfect, tetszik — approvals only next to item numbers or item names.
- polite: please, kiitos, proszę — an approval only when nothing else in the clause says
  what to do ("1 and 3, please").
- neg: a negation. With an approval word it makes a rejection ("2 ei käy", "2 не нужно");
  alone next to an item it is a rejection ("not 2", "2: no").
- all / both: every item still awaiting a decision (both: exactly two must be awaiting).
- exc / exc_post: an exception, before or after its items ("all except 2", "2 kivételével").
- but: a contrast; it starts a new clause ("1 and 3, but 2 no"). After "all" it is "except".
- and / or: between item references ("1 and 3"); "or" is a choice and refuses.
- doubt: the client is undecided or makes a condition (maybe, if, otherwise): refuses.
- too: "3 too", "a 3-ast is": a sentence of items and this word takes the one decision of
  the sentence before it.
- count: cardinal numbers in words (two, kettő, два): "the first two" is not an item number,
  so next to items or instructions they refuse.
- cue: words that ask for something other than the item as proposed (size, colour,
  instead, only): an approval that carries one refuses (it may be a change request).
- pronoun: it, that one … : a sentence with no item that uses one with an instruction or a
  negation refuses (which item is "it"?).
- item / filler / courtesy: words that carry no decision (item, number, the; thanks).
- size / unit / month: a number next to them is a size, an amount or a date, never an item.
- ordinal / nominal: words for "the second one" (second, második, второй, 第二) and the
  nominal numerals (kakkonen, dwójka, kettes) per item number.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Kinds whose words decide something: used to check notes and sentences without items.
INSTRUCTIONS = ("approve", "reject", "change", "plain")

# fmt: off
EN: dict[str, Any] = {
    "approve": ["approve", "approved", "approves", "approving", "accept", "accepted",
                "accepting", "confirm", "confirmed", "confirming"],
    "plain": ["take", "i'll take", "we'll take", "buy", "order", "get", "keep", "want",
              "need", "go with", "go ahead with", "go for", "let's do", "include", "proceed with",
              "please buy", "please order", "please get"],
    "yes": ["yes", "yep", "yeah", "yup", "ok", "okay", "sure", "agreed", "fine"],
    "praise": ["good", "great", "perfect", "lovely", "love", "loves", "like", "likes", "nice",
               "wonderful", "excellent", "brilliant", "awesome", "fantastic", "super",
               "beautiful", "cute", "amazing", "happy", "looks good", "sounds good", "spot on",
               "ideal", "fab", "gorgeous"],
    "polite": ["please", "would like", "i'd like", "we'd like",
               "i would like", "we would like", "id like"],
    "reject": ["reject", "rejected", "rejects", "rejecting", "decline", "declined", "declining",
               "skip", "skipped", "drop", "remove", "cancel", "pass on", "no thanks",
               "no thank you", "leave out", "not needed", "no need for", "forget", "scrap"],
    "change": ["change", "changed", "swap", "exchange", "replace", "modify", "adjust"],
    "neg": ["not", "no", "don't", "dont", "doesn't", "doesnt", "isn't", "isnt", "aren't",
            "arent", "won't", "wont", "wouldn't", "wouldnt", "never", "nope", "nah", "do not",
            "does not", "will not", "would not", "can't", "cannot", "can not", "shouldn't",
            "neither", "nor", "none"],
    "all": ["all", "everything", "the rest", "the others", "all others", "all the others",
            "everything else", "all the rest", "all of them", "the remaining", "every item",
            "all items", "all the items", "all other items", "the other items", "others",
            "the remaining ones", "the remaining items", "them all", "all of these",
            "all of those", "these all", "all the items"],
    "both": ["both", "both of them"],
    "exc": ["except", "except for", "excluding", "apart from", "other than", "save for",
            "minus", "without", "aside from", "bar"],
    "exc_post": [],
    "but": ["but", "however", "though", "although", "whereas", "while", "yet"],
    "and": ["and", "plus", "as well as", "and also", "also"],
    "or": ["or"],
    "doubt": ["maybe", "perhaps", "not sure", "unsure", "undecided", "later",
              "not yet", "hold", "hold off", "on hold", "if", "unless", "whether", "might",
              "possibly", "thinking", "think about", "consider", "considering", "otherwise",
              "let you know", "get back", "tbd", "probably"],
    "cue": ["size", "sizes", "colour", "color", "colours", "colors", "instead", "different",
            "another", "other", "smaller", "bigger", "larger", "cheaper", "longer", "shorter",
            "lighter", "darker", "version", "model", "only", "just the", "exchange for",
            "rather", "prefer", "alternative", "red", "blue", "green", "black", "white", "grey",
            "gray", "pink", "yellow", "brown", "navy", "beige", "purple", "orange", "silver",
            "gold", "cream", "teal"],
    "count": ["two", "three", "four", "five", "six", "couple", "both of"],
    "too": ["too", "as well", "also"],
    "pronoun": ["it", "that", "this", "these", "those", "them", "that one", "this one",
                "those ones", "these ones", "the one"],
    "item": ["item", "items", "number", "numbers", "no.", "nr", "nr.", "product", "products",
             "gift", "gifts", "option", "options", "choice", "choices", "one", "ones", "idea",
             "ideas", "suggestion", "suggestions", "pick", "picks", "present", "presents"],
    "filler": ["i", "we", "you", "he", "she", "they", "me", "us", "my", "our", "his", "her",
               "their", "the", "a", "an", "to", "for", "with", "of", "on", "about", "as", "is",
               "are", "was", "be", "i'm", "i'll", "we'll", "i'd", "we'd", "it's", "that's",
               "will", "would", "can", "could", "do", "does", "just", "too", "so", "then",
               "definitely", "certainly", "really", "very", "much", "well", "let's", "lets",
               "looks", "look", "seems", "seem", "sounds", "sound",
               "go", "ahead", "from", "list", "here", "there", "also", "all good", "ones"],
    "courtesy": ["thanks", "thank you", "cheers", "many thanks", "thanks a lot", "thx", "ty",
                 "good morning", "good afternoon", "good evening"],
    "size": ["size", "sz", "eu", "age", "aged"],
    "unit": ["cm", "mm", "m", "kg", "g", "ml", "l", "%", "pcs", "pc", "pieces", "piece", "x",
             "years", "year", "yrs", "yo", "eur", "euro", "euros", "usd", "gbp", "pln", "huf",
             "rub", "uah", "cny", "rmb", "dollars", "pounds", "am", "pm", "h", "min", "pack",
             "packs", "pairs", "pair", "kids", "children", "days", "weeks"],
    "month": ["jan", "january", "feb", "february", "mar", "march", "apr", "april", "may",
              "jun", "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct",
              "october", "nov", "november", "dec", "december"],
    "ordinal": {1: ["first", "1st"], 2: ["second", "2nd"], 3: ["third", "3rd"],
                4: ["fourth", "4th"], 5: ["fifth", "5th"], 6: ["sixth", "6th"],
                7: ["seventh", "7th"], 8: ["eighth", "8th"], 9: ["ninth", "9th"],
                10: ["tenth", "10th"]},
    "nominal": {},
    "example": "example",
}

FI: dict[str, Any] = {
    "approve": ["hyväks*", "hyvaks*"],
    "plain": ["otan", "otetaan", "otamme", "ota", "ottaisin", "haluan", "haluamme", "halua",
              "haluaisin", "ostetaan", "osta", "ostakaa", "tilaa", "tilataan", "tilatkaa",
              "mennään", "pidetään", "tarvitaan", "tarvitsen", "tarvitsee", "käy", "käyvät",
              "tilata", "ostaa", "voi tilata", "voi ostaa", "voit tilata", "voit ostaa",
              "saa tilata", "saa ostaa", "saa olla",
              "sopii", "sopivat", "kelpaa", "kelpaavat", "mukaan"],
    "yes": ["kyllä", "joo", "juu", "ok", "okei", "selvä", "jep"],
    "praise": ["hyvä", "hyvät", "hyviä", "hyvää", "hieno*", "loistav*", "täydelli*", "ihana",
               "ihanat", "ihania", "ihanaa", "kiva", "kivat", "kivoja", "kivaa", "mahtav*",
               "pidän", "tykkään", "tykkää", "upea", "upeat", "upeita", "upeaa", "nappivalinta",
               "passeli", "sopiva", "sopivat", "näyttää hyvältä", "kelpaa"],
    "polite": ["kiitos", "kiitti", "ole hyvä", "olkaa hyvä"],
    "reject": ["hylk*", "hylät*", "hylättä*", "poista", "poistetaan", "poistakaa", "jätä pois",
               "jätetään pois", "jätä", "jätetään", "ei kiitos", "pois", "ohita", "peru",
               "perutaan", "karsi", "karsitaan"],
    "change": ["muuta", "muutos", "muutoksia", "muutan", "muutetaan", "muuttaa", "muuttakaa",
               "vaihda", "vaihdetaan", "vaihto", "vaihtaa", "vaihtakaa", "vaihdos"],
    "neg": ["ei", "en", "et", "emme", "ette", "eivät", "älä", "älkää", "eikä", "enkä", "eli ei"],
    "all": ["kaikki", "kaiken", "kaikkia", "kaikista", "loput", "muut", "kaikki muut",
            "muut kaikki", "muita", "muut tuotteet", "kaikki tuotteet", "kaikki loput"],
    "both": ["molemmat", "kummatkin", "molempia"],
    "exc": ["paitsi", "muut kuin", "ilman"],
    "exc_post": ["lukuun ottamatta", "pois lukien"],
    "but": ["mutta", "vaan", "kuitenkin", "sen sijaan", "taas", "tosin"],
    "and": ["ja", "sekä", "plus", "myös", "kuin myös"],
    "or": ["tai", "vai"],
    "doubt": ["ehkä", "en tiedä", "en ole varma", "mietin", "mietitään", "mietin vielä",
              "harkitsen", "harkitaan", "vielä", "myöhemmin", "odota", "odotetaan", "jos",
              "mikäli", "katsotaan", "voisiko", "voisitko", "muuten", "kenties", "saattaa",
              "palaan"],
    "cue": ["koko", "koon", "kokoa", "koossa", "kokoinen", "väri", "värin", "väriä", "värinen",
            "sijaan", "toinen", "toisen", "toista", "eri", "erilainen", "pienempi", "isompi",
            "suurempi", "halvempi", "vain", "pelkkä", "malli", "mallin", "mallia", "pikemmin",
            "mieluummin", "punai*", "sinis*", "sinine*", "vihre*", "musta", "mustaa", "mustan*",
            "valkoi*", "valkea*", "harmaa*", "pinkki*", "keltai*", "ruskea*", "violet*", "orans*",
            "liila*", "turkoo*", "beige*"],
    "count": ["kaksi", "kaksi ensimmäistä", "kolme", "neljä", "viisi", "pari"],
    "too": ["myös", "kans"],
    "pronoun": ["se", "sitä", "sen", "tämä", "tätä", "tämän", "tuo", "tuota", "niitä", "ne",
                "nämä", "noita", "näitä"],
    "item": ["tuote", "tuotteet", "tuotteen", "tuotetta", "tuotteita", "tuotteista", "numero",
             "numerot", "numeron", "nro", "kohta", "kohdat", "kohdan", "kohtaa", "lahja",
             "lahjat", "lahjaa", "vaihtoehto", "vaihtoehdot", "ehdotus", "ehdotukset"],
    "filler": ["ei muuta", "ei muuta kuin", "no", "minä", "mä", "me", "on", "ovat", "olisi",
               "olisivat", "ihan", "aivan", "sitten",
               "niin", "nyt", "sinne", "tuo", "kanssa", "osalta", "kohdalla", "puolesta",
               "meille", "minulle", "mulle", "kyseinen", "oikein"],
    "courtesy": ["kiitos", "kiitti", "kiitoksia", "kiitos paljon", "hyvää päivää",
                 "hyvää huomenta", "hyvää iltaa"],
    "size": ["koko", "koon", "kokoa", "koossa"],
    "unit": ["kpl", "e", "€", "euroa", "eur", "vuotta", "v", "cm", "kg", "klo", "päivää",
             "viikkoa", "kertaa", "paria"],
    "month": ["tammikuu*", "helmikuu*", "maaliskuu*", "huhtikuu*", "toukokuu*", "kesäkuu*",
              "heinäkuu*", "elokuu*", "syyskuu*", "lokakuu*", "marraskuu*", "joulukuu*"],
    "ordinal": {1: ["ensimmäi*"], 3: ["kolmas", "kolmannen", "kolmatta"],
                4: ["neljäs", "neljännen", "neljättä"], 5: ["viides", "viidennen", "viidettä"],
                6: ["kuudes", "kuudennen", "kuudetta"]},
    "nominal": {1: ["ykkö*"], 2: ["kakko*"], 3: ["kolmo*"], 4: ["nelo*"], 5: ["vito*"],
                6: ["kuto*"], 7: ["seiska", "seiskan", "seiskaa"], 10: ["kymppi", "kympin"]},
    "example": "esimerkki",
}

PL: dict[str, Any] = {
    "approve": ["zatwierdz*", "zatwierdź", "akcept*", "zaakcept*", "zgoda", "zgadzam"],
    "plain": ["biorę", "biore", "bierzemy", "bierz", "weź", "weźmy", "poproszę", "poprosze",
              "kupić", "zamówić",
              "chcę", "chce", "chcemy", "kupuję", "kupuje", "kup", "kupujemy", "kupmy",
              "zamawiam", "zamów", "zamawiamy", "potrzebuję", "potrzebujemy", "pasuje",
              "pasują", "może być", "wchodzi", "wchodzą", "zostaje", "zostają", "zostawiamy",
              "przyjmuję", "przyjmuje"],
    "yes": ["tak", "ok", "okej", "oczywiście", "jasne"],
    "praise": ["dobrze", "dobry", "dobre", "dobra", "super", "świetny", "świetne", "świetna",
               "świetnie", "idealny", "idealne", "idealna", "podoba", "podobają", "fajne",
               "fajny", "fajna", "piękne", "piękny", "piękna", "ekstra", "spoko", "cudowne",
               "cudowny", "rewelacja", "rewelacyjne", "trafione", "trafiony"],
    "polite": ["proszę", "prosze"],
    "reject": ["odrzuc*", "odrzuć", "rezygn*", "usuń", "usun*", "anuluj*", "pomijam", "pomiń",
               "skreśl*", "wykreśl*", "odpada", "odpadają", "nie dziękuję"],
    "change": ["zmiana", "zmiany", "zmień", "zmien*", "zamień", "zamienić", "zamieńmy",
               "wymień", "wymienić", "wymiana", "zmieniam", "zmienić"],
    "neg": ["nie", "ani", "żaden", "żadne", "żadnego", "nigdy"],
    "all": ["wszystko", "wszystkie", "wszystkich", "resztę", "reszta", "pozostałe",
            "pozostałych", "pozostałe pozycje", "całą resztę", "cała reszta", "całość",
            "wszystkie pozostałe", "resztę też", "wszystko inne"],
    "both": ["oba", "obie", "obydwa", "obydwie", "obu"],
    "exc": ["oprócz", "poza", "z wyjątkiem", "za wyjątkiem", "prócz", "bez", "wyjąwszy"],
    "exc_post": [],
    "but": ["ale", "lecz", "jednak", "natomiast", "a", "tylko że", "zaś"],
    "and": ["i", "oraz", "a także", "plus", "także"],
    "or": ["lub", "albo", "czy"],
    "doubt": ["może", "nie wiem", "nie jestem pewna", "nie jestem pewien", "zastanawiam*",
              "zastanowię", "zastanowie", "pomyślę", "pomysle", "jeszcze", "później", "pozniej",
              "poczekaj", "poczekajmy", "jeśli", "jeżeli", "jesli", "chyba", "ewentualnie",
              "w przeciwnym razie", "inaczej", "dam znać", "odezwę"],
    "cue": ["rozmiar*", "kolor*", "zamiast", "inny", "inna", "inne", "innym", "innego", "innej",
            "mniejsz*", "większ*", "tańsz*", "tylko", "wersj*", "model*", "wolał*", "wolę",
            "czerwon*", "niebiesk*", "zielon*", "czarn*", "biał*", "szar*", "różow*", "żółt*",
            "brązow*", "granatow*", "fiolet*", "pomarańcz*", "beżow*"],
    "count": ["dwa", "dwie", "trzy", "cztery", "pięć", "parę", "kilka"],
    "too": ["też", "także", "również"],
    "pronoun": ["to", "tego", "ten", "tę", "ta", "je", "ich", "tamten", "tamto", "tamtą", "go"],
    "item": ["pozycja", "pozycje", "pozycję", "pozycji", "pozycją", "nr", "nr.", "numer",
             "numery", "numerem", "numeru", "punkt", "punkty", "punktu", "produkt", "produkty",
             "produktu", "prezent", "prezenty", "propozycja", "propozycje", "propozycję",
             "propozycji", "opcja", "opcje", "opcję", "rzecz", "rzeczy"],
    "filler": ["ja", "my", "jest", "są", "na", "do", "za", "się", "mi", "nam", "by", "bym",
               "byśmy", "też", "to", "tym", "też", "już", "także", "jak", "najbardziej",
               "bardzo", "no", "więc", "zdecydowanie", "oczywiście", "ze", "z", "dla"],
    "courtesy": ["dziękuję", "dzięki", "dziekuje", "dziękujemy", "pozdrawiam", "dzień dobry",
                 "dobry wieczór", "miłego dnia"],
    "size": ["rozmiar*", "r.", "roz."],
    "unit": ["zł", "zl", "pln", "szt", "szt.", "sztuki", "sztuk", "lat", "latka", "cm", "kg",
             "eur", "euro", "%", "dni", "tygodnie"],
    "month": ["stycznia", "styczeń", "lutego", "luty", "marca", "marzec", "kwietnia", "kwiecień",
              "maja", "maj", "czerwca", "czerwiec", "lipca", "lipiec", "sierpnia", "sierpień",
              "września", "wrzesień", "października", "październik", "listopada", "listopad",
              "grudnia", "grudzień"],
    "ordinal": {1: ["pierwsz*"], 2: ["drugi", "druga", "drugie", "drugą", "drugiego", "drugiej"],
                3: ["trzeci*"], 4: ["czwart*"],
                5: ["piąty", "piąta", "piąte", "piątą", "piątego", "piątej"],
                6: ["szóst*"]},
    "nominal": {1: ["jedynk*"], 2: ["dwójk*", "dwojk*"], 3: ["trójk*", "trojk*"],
                4: ["czwórk*", "czwork*"], 5: ["piątk*", "piatk*"], 6: ["szóstk*", "szostk*"],
                7: ["siódemk*", "siodemk*"], 8: ["ósemk*", "osemk*"]},
    "example": "przykład",
}

HU: dict[str, Any] = {
    "approve": ["elfogad*", "jóváhagy*", "jovahagy*"],
    "plain": ["kérem", "kérjük", "kérném", "kérnénk", "kérek", "megveszem", "megvesszük",
              "vedd meg", "vegye meg", "rendeld meg", "rendelje meg", "mehet", "mehetnek",
              "maradhat", "maradhatnak", "legyen", "kell", "kellene", "szeretném",
              "szeretnénk", "viszem", "visszük", "megfelel", "megfelelnek", "jöhet", "jöhetnek",
              "maradjon", "maradjanak"],
    "yes": ["igen", "ok", "oké", "oke", "rendben", "persze"],
    "praise": ["jó", "jók", "szuper", "tökéletes", "tökéletesek", "remek", "remekek",
               "nagyszerű", "tetszik", "tetszenek", "szép", "szépek", "klassz", "csodás",
               "kiváló", "pompás", "telitalálat"],
    "polite": ["kérlek", "kérem szépen", "legyen szíves", "legyél szíves"],
    "reject": ["elutasít*", "elutasit*", "elvetem", "töröld", "törölje", "töröljük", "töröl*",
               "kihagyjuk", "hagyd ki", "hagyja ki", "kihagy*", "mégse", "nem kérem",
               "nem köszönöm"],
    "change": ["módosít*", "modosit*", "csere", "cseréld", "cserélje", "cserél*", "változtas*",
               "kicserél*"],
    "neg": ["nem", "ne", "sem", "nincs", "se"],
    "all": ["mind", "mindet", "mindent", "összeset", "az összes", "összes", "a többit",
            "a többi", "többit", "többi", "a maradékot", "maradék", "az összeset",
            "minden mást", "a többit is", "mindegyiket", "mindegyik"],
    "both": ["mindkettőt", "mindkettő", "mindkét", "mindkettőt"],
    "exc": ["kivéve"],
    "exc_post": ["kivételével", "kivéve"],
    "but": ["de", "viszont", "azonban", "ellenben", "hanem", "ám"],
    "and": ["és", "es", "meg", "valamint", "plusz", "illetve"],
    "or": ["vagy", "avagy"],
    "doubt": ["talán", "nem tudom", "nem vagyok biztos", "gondolkodom", "gondolkodunk",
              "még", "később", "kesobb", "várj", "várjunk", "ha", "esetleg", "majd", "lehet",
              "különben", "egyébként", "visszajelzek"],
    "cue": ["méret*", "szín*", "helyett", "másik", "más", "kisebb*", "nagyobb*", "olcsóbb*",
            "csak", "modell*", "inkább", "piros*", "kék*", "zöld*", "fekete*", "fehér*",
            "szürke*", "rózsaszín*", "sárga*", "barna*", "lila*", "narancs*", "bézs*",
            "sötétkék*"],
    "count": ["kettő", "két", "kettőt", "három", "hármat", "négy", "négyet", "öt", "ötöt", "pár"],
    "too": ["is"],
    "pronoun": ["azt", "ez", "ezt", "azokat", "ezeket", "őket"],
    "item": ["tétel", "tételt", "tételeket", "tételek", "tételből", "termék", "terméket",
             "termékek", "számú", "szám", "számot", "sz.", "ajándék", "ajándékot", "ötlet",
             "ötletet", "javaslat", "javaslatot", "pont", "pontot"],
    "filler": ["no", "a", "az", "egy", "én", "mi", "is", "nekem", "nekünk", "lesz", "van",
               "vannak", "pedig", "szintén", "akkor", "hát", "nagyon", "mindenképp", "mindenképpen",
               "tehát", "szóval", "már"],
    "courtesy": ["köszönöm", "köszi", "köszönjük", "köszönet", "kösz", "üdv", "üdvözlettel",
                 "jó napot", "jó reggelt", "jó estét", "szép napot"],
    "size": ["méret*", "mér."],
    "unit": ["ft", "huf", "forint", "db", "darab", "éves", "év", "cm", "kg", "eur", "euró",
             "%", "nap", "hét", "órakor"],
    "month": ["január*", "február*", "március*", "április*", "május*", "június*", "július*",
              "augusztus*", "szeptember*", "október*", "november*", "december*", "jan",
              "febr", "márc", "ápr", "máj", "jún", "júl", "aug", "szept", "okt", "nov", "dec"],
    "ordinal": {1: ["első", "elsőt", "elsőre"], 2: ["másodi*"], 3: ["harmadi*"],
                4: ["negyedi*"], 5: ["ötödi*"], 6: ["hatodi*"]},
    "nominal": {2: ["kettes*"], 3: ["hármas*"], 4: ["négyes*"], 5: ["ötös*"], 6: ["hatos*"]},
    "example": "példa",
}

RU: dict[str, Any] = {
    "approve": ["одобр*", "согласна", "согласен", "согласны", "принимаю", "принимаем",
                "подтвержд*"],
    "plain": ["беру", "берём", "берем", "возьму", "возьмём", "возьмем", "берите", "бери",
              "купите", "покупаем", "покупайте", "заказывайте", "закажите", "заказываем",
              "нужно", "нужен", "нужна", "нужны", "надо", "хочу", "хотим", "оставляем",
              "оставьте", "оставляю", "подходит", "подходят", "годится", "годятся"],
    "yes": ["да", "ок", "ok", "окей", "конечно", "ладно"],
    "praise": ["хорош*", "отличн*", "супер", "прекрасн*", "идеальн*", "нравится", "нравятся",
               "класс", "классн*", "подойдёт", "подойдет", "пойдёт", "пойдет", "замечательн*",
               "чудесн*", "здорово"],
    "polite": ["пожалуйста"],
    "reject": ["отклон*", "отказ*", "убрать", "уберите", "убираем", "убираю", "удалите",
               "удалить", "исключите", "исключить", "пропустите", "пропускаем", "не берём",
               "не берем", "нет спасибо", "отменить", "отмените"],
    "change": ["измен*", "помен*", "замен*", "поменяйте"],
    "neg": ["не", "нет", "ни", "никак"],
    "all": ["все", "всё", "со всем", "со всеми", "всем", "остальные", "остальное", "остальных",
            "все остальные",
            "всё остальное", "всех", "всё прочее", "прочее"],
    "both": ["оба", "обе", "обоих"],
    "exc": ["кроме", "за исключением", "без", "помимо"],
    "exc_post": [],
    "but": ["но", "однако", "а", "зато", "хотя", "только вот"],
    "and": ["и", "а также", "также", "плюс", "ещё и"],
    "or": ["или", "либо"],
    "doubt": ["может", "может быть", "возможно", "подумаю", "думаю", "не знаю", "не уверена",
              "не уверен", "ещё", "еще", "позже", "подождите", "подождём", "если", "пока",
              "иначе", "в противном случае", "наверное", "сообщу"],
    "cue": ["размер*", "цвет*", "вместо", "другой", "другую", "другое", "другие", "другого",
            "меньше", "больше", "дешевле", "только", "модел*", "лучше", "красн*", "синий",
            "синюю", "синее", "синего", "синяя", "зелён*", "зелен*", "чёрн*", "черн*", "белый",
            "белую", "белое", "белого", "белая", "серый", "серую", "серое", "серого", "серая",
            "розов*", "жёлт*", "желт*", "коричнев*", "фиолетов*", "оранжев*", "бежев*",
            "голуб*"],
    "count": ["два", "две", "три", "четыре", "пять", "пару", "несколько"],
    "too": ["тоже", "также"],
    "pronoun": ["это", "этот", "эту", "его", "её", "ее", "их", "то", "тот", "ту", "эти", "те"],
    "item": ["товар", "товары", "товара", "пункт", "пункты", "пункта", "позиция", "позицию",
             "позиции", "позиций", "номер", "номера", "№", "вариант", "варианты", "подарок",
             "подарки", "предложение"],
    "filler": ["со", "я", "мы", "на", "по", "для", "мне", "нам", "будет", "тоже", "также", "вот",
               "тогда", "очень", "точно", "обязательно", "уже", "с", "из", "то"],
    "courtesy": ["спасибо", "благодарю", "спасибо большое", "большое спасибо", "добрый день",
                 "доброе утро", "добрый вечер", "всего доброго"],
    "size": ["размер*", "р."],
    "unit": ["руб", "руб.", "рублей", "₽", "шт", "шт.", "штук", "штуки", "лет", "года", "год",
             "см", "кг", "евро", "eur", "%", "дней", "недели"],
    "month": ["январ*", "феврал*", "март*", "апрел*", "мая", "май", "июн*", "июл*", "август*",
              "сентябр*", "октябр*", "ноябр*", "декабр*", "янв", "фев", "мар", "апр", "авг",
              "сен", "окт", "ноя", "дек"],
    "ordinal": {1: ["первый", "первую", "первое", "первого", "первая", "первой"],
                2: ["второй", "вторую", "второе", "второго", "вторая"],
                3: ["третий", "третью", "третье", "третьего", "третья", "третьей"],
                4: ["четвёрт*", "четверт*"],
                5: ["пятый", "пятую", "пятое", "пятого", "пятая", "пятой"],
                6: ["шестой", "шестую", "шестое", "шестого", "шестая"]},
    "nominal": {},
    "example": "пример",
}

UK: dict[str, Any] = {
    "approve": ["схвал*", "погодж*", "згодна", "згоден", "згодні", "приймаю", "приймаємо",
                "підтверджую"],
    "plain": ["беру", "беремо", "візьму", "візьмемо", "беріть", "купуйте", "купіть",
              "замовляйте", "замовте", "треба", "потрібно", "потрібен", "потрібна", "потрібні",
              "хочу", "хочемо", "залишаємо", "залиште", "підходить", "підходять", "годиться"],
    "yes": ["так", "ок", "ok", "окей", "звісно", "гаразд"],
    "praise": ["добре", "чудов*", "супер", "ідеальн*", "подобається", "подобаються", "класн*",
               "гарн*", "підійде", "відмінн*", "прекрасн*"],
    "polite": ["будь ласка"],
    "reject": ["відхил*", "відмов*", "прибрати", "приберіть", "прибираємо", "видаліть",
               "видалити", "пропустіть", "пропускаємо", "не беремо", "ні дякую",
               "скасуйте", "скасувати"],
    "change": ["змін*", "помін*", "замін*"],
    "neg": ["не", "ні", "ані"],
    "all": ["всі", "усі", "все", "усе", "решту", "решта", "інші", "інших", "всі інші",
            "усі інші", "все інше", "усе інше", "всіх"],
    "both": ["обидва", "обидві", "обох"],
    "exc": ["крім", "окрім", "за винятком", "без", "опріч"],
    "exc_post": [],
    "but": ["але", "проте", "однак", "а", "зате", "хоча"],
    "and": ["і", "й", "та", "а також", "також", "плюс"],
    "or": ["або", "чи"],
    "doubt": ["можливо", "може", "подумаю", "думаю", "не знаю", "не впевнена", "не впевнений",
              "ще", "пізніше", "зачекайте", "зачекаємо", "якщо", "поки", "інакше", "мабуть",
              "повідомлю"],
    "cue": ["розмір*", "колір", "кольор*", "замість", "інший", "іншу", "інше", "іншого",
            "менш*", "більш*", "дешевш*", "тільки", "лише", "модел*", "краще", "червон*",
            "синій", "синю", "синє", "синього", "синя", "зелен*", "чорн*", "білий", "білу",
            "біле", "білого", "біла", "сірий", "сіру", "сіре", "сірого", "сіра", "рожев*",
            "жовт*", "коричнев*", "фіолетов*", "помаранчев*", "бежев*", "блакитн*"],
    "count": ["два", "дві", "три", "чотири", "п'ять", "пару", "кілька"],
    "too": ["теж", "також"],
    "pronoun": ["це", "цей", "цю", "його", "її", "їх", "те", "той", "ту", "ці", "ті"],
    "item": ["товар", "товари", "товару", "пункт", "пункти", "пункту", "позиція", "позицію",
             "позиції", "номер", "номери", "№", "варіант", "варіанти", "подарунок",
             "подарунки", "пропозиція"],
    "filler": ["я", "ми", "на", "для", "мені", "нам", "буде", "теж", "також", "ось", "тоді",
               "дуже", "точно", "обов'язково", "вже", "з", "із"],
    "courtesy": ["дякую", "дякуємо", "спасибі", "щиро дякую", "добрий день", "доброго дня",
                 "добрий вечір", "доброго ранку"],
    "size": ["розмір*", "р."],
    "unit": ["грн", "грн.", "₴", "шт", "шт.", "штук", "штуки", "років", "роки", "рік", "см",
             "кг", "євро", "eur", "%", "днів", "тижні"],
    "month": ["січня", "січень", "лютого", "лютий", "березня", "березень", "квітня", "квітень",
              "травня", "травень", "червня", "червень", "липня", "липень", "серпня", "серпень",
              "вересня", "вересень", "жовтня", "жовтень", "листопада", "листопад", "грудня",
              "грудень"],
    "ordinal": {1: ["перший", "першу", "перше", "першого", "перша", "першої"],
                2: ["другий", "другу", "другого", "друге"],
                3: ["третій", "третю", "третє", "третього", "третя", "третьої"],
                4: ["четверт*"],
                5: ["п'ятий", "п'яту", "п'яте", "п'ятого", "п'ята"],
                6: ["шостий", "шосту", "шосте", "шостого", "шоста"]},
    "nominal": {},
    "example": "приклад",
}

# Chinese is written without spaces: these entries are found inside runs of characters,
# the longest first ("不要" before "要").
ZH: dict[str, Any] = {
    "approve": ["同意", "批准", "确认", "接受", "通过", "同意购买"],
    "plain": ["要", "就要", "买", "购买", "订", "留着", "保留", "需要", "想要", "可以买", "拿",
              "选", "选择"],
    "yes": ["是的", "是", "可以", "行", "好的", "好", "嗯", "没问题", "ok", "OK"],
    "praise": ["很好", "不错", "喜欢", "满意", "挺好", "完美", "棒", "合适", "很棒", "漂亮"],
    "polite": ["请"],
    "reject": ["拒绝", "不要", "不用", "不需要", "不同意", "取消", "去掉", "删掉", "删除", "算了",
               "不买", "不用了", "免了", "不必"],
    "change": ["修改", "更改", "更换", "换", "改", "换成", "改成", "调换", "换一个"],
    "neg": ["不", "没", "别", "没有", "不是"],
    "all": ["全部", "所有", "都", "全都", "其他", "其余", "剩下的", "其它", "其他的", "剩下",
            "其余的", "别的"],
    "both": ["两个都", "两件都"],
    "exc": ["除了", "除"],
    "exc_post": ["以外", "之外", "外"],
    "but": ["但是", "但", "不过", "可是", "然而", "而"],
    "and": ["和", "与", "及", "跟", "还有", "以及", "加上"],
    "or": ["或", "或者", "还是"],
    "doubt": ["也许", "可能", "考虑", "想想", "再说", "还没", "等等", "不确定", "不知道", "如果",
              "吗", "再看看", "以后", "否则", "要是", "暂时"],
    "cue": ["码", "尺寸", "尺码", "颜色", "色", "小一", "大一", "便宜", "只", "型号", "款式",
            "换成"],
    "count": ["两", "两个", "三个", "四个", "几个"],
    "too": ["也"],
    "pronoun": ["这个", "那个", "它", "它们", "这些", "那些", "这", "那"],
    "item": ["号", "个", "件", "项", "款", "商品", "礼物", "选项", "第"],
    "filler": ["能不能", "可不可以", "能否", "我", "我们", "的", "了", "吧", "呢", "啊", "也", "就",
               "一下", "给", "对",
               "这边", "那边", "先"],
    "courtesy": ["谢谢", "感谢", "多谢", "谢谢你", "辛苦了", "你好", "您好", "早上好", "晚上好"],
    "size": ["尺码", "码"],
    "unit": ["元", "块", "岁", "码", "个月", "天", "%", "欧元", "美元", "点", "点钟"],
    "month": ["月", "日"],
    "ordinal": {1: ["第一"], 2: ["第二"], 3: ["第三"], 4: ["第四"], 5: ["第五"], 6: ["第六"],
                7: ["第七"], 8: ["第八"], 9: ["第九"], 10: ["第十"]},
    "nominal": {},
    "example": "示例",
}

# fmt: on

TABLES: dict[str, dict[str, Any]] = {
    "en": EN,
    "fi": FI,
    "pl": PL,
    "hu": HU,
    "ru": RU,
    "uk": UK,
    "zh": ZH,
}

# The words documents and answer links use, per language: always read back as meant.
ANSWER_WORDS: dict[str, dict[str, str]] = {
    "en": {"approve": "approve", "reject": "reject", "change": "change", "all": "all"},
    "fi": {"approve": "hyväksyn", "reject": "hylkään", "change": "muuta", "all": "kaikki"},
    "pl": {"approve": "akceptuję", "reject": "odrzucam", "change": "zmiana", "all": "wszystko"},
    "hu": {"approve": "elfogadom", "reject": "elutasítom", "change": "módosítás", "all": "mindet"},
    "ru": {"approve": "одобряю", "reject": "отклоняю", "change": "изменить", "all": "все"},
    "uk": {"approve": "схвалюю", "reject": "відхиляю", "change": "змінити", "all": "всі"},
    "zh": {"approve": "同意", "reject": "拒绝", "change": "修改", "all": "全部"},
}

# Kinds whose entries are plain word lists (the rest are ordinals, nominals, the label).
LIST_KINDS = (
    "approve", "plain", "yes", "praise", "polite", "reject", "change", "neg", "all", "both",
    "exc", "exc_post", "but", "and", "or", "doubt", "count", "too", "cue", "pronoun", "item",
    "filler",
    "courtesy", "size", "unit", "month",
)  # fmt: skip
# When one word is listed under two kinds, the first of these wins (a "no." is an item
# number marker before it is a negation; "muuta" is a change before anything else).
PRIORITY = (
    "reject", "change", "approve", "exc_post", "exc", "both", "all", "doubt", "neg", "plain",
    "yes", "polite", "praise", "but", "or", "too", "and", "count", "item", "cue", "pronoun",
    "courtesy",
    "size", "unit", "month", "filler",
)  # fmt: skip


def is_cjk(text: str) -> bool:
    """Whether a character (or the first of a string) is a CJK ideograph."""
    if not text:
        return False
    code = ord(text[0])
    return 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


class Lexicon:
    """The words of the client's language and English, ready to look up.

    `words` maps a single word to its kind (and item number for ordinals); `stems` are
    checked longest first; `phrases` are keyed by their first word; `cjk` entries are found
    inside unspaced Chinese text.
    """

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.words: dict[str, tuple[str, Any]] = {}
        self.stems: list[tuple[str, str, Any]] = []
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, Any]]] = {}
        self.cjk: dict[str, tuple[str, Any]] = {}
        self.examples: set[str] = set()
        for language in languages:
            table = TABLES[language]
            entries: list[tuple[str, str, Any]] = []
            for kind in LIST_KINDS:
                entries.extend((entry, kind, None) for entry in table[kind])
            for kind in ("ordinal", "nominal"):
                for number, forms in table[kind].items():
                    entries.extend((form, kind, number) for form in forms)
            rank = {kind: position for position, kind in enumerate(PRIORITY)}
            rank["ordinal"] = rank["nominal"] = -1  # "first", "kakkonen": always a number
            entries.sort(key=lambda entry: rank[entry[1]])
            for entry, kind, value in entries:
                self._add(entry.casefold(), kind, value)
            self.examples.add(table["example"].casefold())
        # Words next to which a number is a measure, whatever else they mean ("size" is
        # also a change cue): checked apart from the kinds above.
        self.measures: dict[str, tuple[set[str], tuple[str, ...]]] = {}
        for kind in ("size", "unit", "month"):
            forms = [e.casefold() for language in languages for e in TABLES[language][kind]]
            words = {e for e in forms if not e.endswith("*")}
            stems = tuple(e[:-1] for e in forms if e.endswith("*"))
            self.measures[kind] = (words, stems)
        self.stems.sort(key=lambda stem: -len(stem[0]))
        for options in self.phrases.values():
            options.sort(key=lambda phrase: -len(phrase[0]))
        self.cjk_longest = max((len(word) for word in self.cjk), default=0)

    def _add(self, entry: str, kind: str, value: Any) -> None:
        if is_cjk(entry):
            self.cjk.setdefault(entry, (kind, value))
            return
        if entry.endswith("*"):
            stem = entry[:-1]
            if not any(known == stem for known, _, _ in self.stems):
                self.stems.append((stem, kind, value))
            return
        parts = tuple(entry.split())
        if len(parts) > 1:
            options = self.phrases.setdefault(parts[0], [])
            if not any(words == parts for words, _, _ in options):
                options.append((parts, kind, value))
            return
        self.words.setdefault(entry, (kind, value))

    def word(self, word: str) -> tuple[str, Any] | None:
        """The kind of one (case-folded) word, or None for a word the reader does not know."""
        found = self.words.get(word)
        if found is not None:
            return found
        for stem, kind, value in self.stems:
            if word.startswith(stem):
                return kind, value
        return None

    def is_measure(self, kind: str, word: str) -> bool:
        """Whether a word is a size, unit or month word (kind), next to which a number is a
        measure and not an item."""
        words, stems = self.measures[kind]
        word = word.casefold()
        return word in words or word.startswith(stems) if stems else word in words

    def phrase(self, words: list[str], start: int) -> tuple[int, str, Any] | None:
        """The longest phrase starting at words[start]: (how many words, kind, value)."""
        for parts, kind, value in self.phrases.get(words[start], ()):
            size = len(parts)
            if tuple(words[start : start + size]) == parts:
                return size, kind, value
        return None


@cache
def lexicon(language: str | None) -> Lexicon:
    """The client's language and English (always accepted); unknown languages read English."""
    code = (language or "en").lower()
    languages = ("en",) if code == "en" or code not in TABLES else (code, "en")
    return Lexicon(languages)


def answer_words(language: str | None) -> dict[str, str]:
    """The words a document shows for approve, reject, change and all, in this language."""
    return ANSWER_WORDS.get((language or "en").lower(), ANSWER_WORDS["en"])


def example_label(language: str | None) -> str:
    """The word "Example" in the client's language, as documents label their examples."""
    table = TABLES.get((language or "en").lower(), EN)
    word = table["example"]
    return word[:1].upper() + word[1:]


@cache
def example_labels() -> frozenset[str]:
    """The word "example" in every language: a line that starts with it is never an answer."""
    return frozenset(table["example"].casefold() for table in TABLES.values())


def answer_line(language: str | None, action: str, numbers: list[int] | None) -> str:
    """One answer in the client's language, as documents and answer links write it.

    `numbers` None means all items: "hyväksyn kaikki". A reply that holds only such lines is
    always understood (tests/test_replies.py checks every language).
    """
    words = answer_words(language)
    code = (language or "en").lower()
    listed = words["all"] if numbers is None else _listed(numbers, code)
    if code == "zh":
        return f"{words[action]}{listed}"
    return f"{words[action]} {listed}"


def _listed(numbers: list[int], language: str) -> str:
    return ("、" if language == "zh" else ", ").join(str(n) for n in numbers)
