"""Word and letter cues the language stage reads where lingua's n-grams cannot decide.

Written here from the standard languages (their dictionaries, orthographies and style guides), not
from any evaluation data: each list names forms that one variety writes and its close relatives
do not. Project licence (see enrich/data/SOURCES.md).

- FAMILY_CUES: close relatives lingua mixes up (Malay/Indonesian, Croatian/Bosnian/Serbian,
  Bokmål/Nynorsk/Danish): (members that write the words, weight, the words).
- FAMILY_ENDINGS: word endings that mark a member in the same way (Nynorsk adjectives in -leg,
  Croatian -kracija against Bosnian/Serbian -kratija, ...).
- ETHIOPIC_*, OROMO_WORDS: languages lingua has no model for (Amharic, Tigrinya, Oromo).
"""

from __future__ import annotations

# Malay writing takes in Indonesian forms (web and popular Malay are full of them) and Bosnian accepts
# Croatian ones, while the reverse hardly happens: a form that marks Malay or Bosnian/Serbian is strong
# evidence, and counts three times.
MARKED = 3
# Indonesian books, songs, films and sites fill Malay web writing, while Malaysian spellings (kerana, bahawa,
# sahaja, -iti) are all but absent from Indonesian: one of them outweighs several Indonesian forms.
MALAY_MARKED = 5

FAMILY_CUES: dict[str, list[tuple[tuple[str, ...], int, str]]] = {
    "malay": [
        # Malaysian spellings and words that Indonesian does not write
        (
            ("ms",),
            MALAY_MARKED,
            "kerana bahawa sahaja iaitu mahu selepas pelbagai sentiasa syarikat kenderaan universiti aktiviti kualiti"
            " kuantiti komuniti identiti kapasiti realiti fasiliti filem muzik muzium cuba setiausaha dijangka projek"
            " televisyen menerusi justeru tempoh kempen pertubuhan seramai sebarang perniagaan antarabangsa majlis"
            " tempatan sokongan menyokong tentera askar perlembagaan mesyuarat jawatan jawatankuasa peratus bilion"
            " trilion julai ogos disember lapan jawapan soalan maklumat kesihatan sihat rasmi inggeris sepanyol"
            " jepun itali pesakit basikal teksi berbanding manakala baharu memulakan dimulakan pentadbiran"
            " perkhidmatan pelancong pelancongan fizik matematik akhbar timbalan naib pengerusi parlimen diraja encik"
            " rosak kakitangan bekalan lebuh kerusi jiran matlamat peguam pelabur telefon bisnes"
            " pelaburan carian sekerja"
            " kemaskini dikemaskini pautan e-mel perisian laluan tetapan skrin kekunci tetikus cakera ubat ubat-ubatan"
            " cawangan belanjawan insurans sukan jurulatih penyokong kejohanan kemalangan hospital bomba"
            " pendakwaraya kes perancangan bajet skim kaedah pensyarah peperiksaan tadika rakan",
        ),
        # common in Malay, but Indonesian writes them too in other senses (boleh 'may', kerajaan 'kingdom')
        (
            ("ms",),
            1,
            "boleh kerajaan kereta semasa jabatan negeri wang doktor kedai bilik hantar menghantar dihantar berjaya"
            " mengikut mac perancis pengurusan ringgit saintis lelaki keperluan rangkaian cukai penyelidikan"
            " penyelidik bekas awam ramai semalam esok petang mangsa kilang isteri jun",
        ),
        # Indonesian spellings and words (Malay writing takes many of them in, hence the weights)
        (
            ("id",),
            1,
            "karena bahwa yaitu yakni mau uang berbagai senantiasa kendaraan universitas aktivitas kualitas kuantitas"
            " komunitas identitas kapasitas realitas fasilitas musik museum kantor coba gratis toko bisa banget nggak"
            " gak enggak aja sih dong kok udah gimana bikin kayak sekretaris proyek dokter mobil telepon televisi"
            " informasi bisnis persen miliar triliun maret juni juli agustus desember delapan internasional dukungan"
            " mendukung tentara konstitusi komite panitia pemilu kemarin pemerintah pemerintahan kebijakan lokal ujar"
            " ujarnya tuturnya silakan rupiah kabupaten kecamatan kelurahan provinsi bandara pariwisata wisatawan"
            " sepeda kamar pasien ilmuwan fisika matematika koran resmi inggris prancis spanyol jepang italia serikat"
            " perusahaan manajemen manajer pertanyaan jawaban pria kepolisian layanan pelayanan biaya periode"
            " kesehatan sehat rusak memulai dimulai terjadi terjadinya istri tetangga kebutuhan investasi unduh"
            " mengunduh diunduh jaringan obat pabrik pajak olahraga kejuaraan kecelakaan korban kasus perencanaan"
            " metode penelitian peneliti dosen rekan mantan besok sore",
        ),
    ],
    "bcs": [
        # the western lexicon: standard in Croatian, avoided in Bosnian and Serbian
        (
            ("hr",),
            1,
            "tko netko nitko točka točno tisuća tisuću tisuće tjedan tjedna tjedno tjednu obitelj obitelji"
            " povijest povijesti povijesni povijesne povjesničar povjesničari kemija kemijski kemijske suradnja"
            " suradnju suradnji suradnici sveučilište sveučilišta sveučilištu sveučilišni vlak vlaka kruh kava"
            " kazalište kazališta europa europe europi europu europske europski europska europskoj europsku europskog"
            " europskih europskim siječanj siječnja veljača veljače ožujak ožujka travanj travnja svibanj svibnja"
            " lipanj lipnja srpanj srpnja kolovoz kolovoza rujan rujna listopad listopada studeni studenoga prosinac"
            " prosinca tijekom uvjet uvjeti uvjeta uvjete uvjetima sudjelovanje sudjelovati sudjelovao sudjelovala"
            " sudjeluje sudjeluju redatelj redateljica redatelja glazba glazbe glazbeni glazbena glazbenik znanost"
            " znanosti znanstveni znanstvenik znanstvenici zrakoplov zrakoplova zrakoplovstvo zračna zračne zračnoj"
            " izvješće izvješća priopćenje priopćio priopćila tvrtka tvrtke tvrtki momčad momčadi prosvjed prosvjedi"
            " zastupnik zastupnici sabor sabora saboru veleposlanik veleposlanstvo gospodarstvo gospodarstva"
            " gospodarski gospodarske obrana obrane obrani obranu milijun milijuna milijune tvornica tvornice"
            " financijski financijske financijska sudionik sudionici izbornik španjolska španjolski španjolske"
            " talijanski talijanska talijanske tajnik tajnica ravnatelj ravnateljica glasnogovornik glasnogovornica"
            " nazočan nazočni nazočnost liječnik liječnika liječnici ljekarna putovnica mirovina mirovine kronika"
            " kronološki kronologija kaos kirurg kirurgija sustav sustava sustavu sustavi tisak izravno izravni izravan"
            " inozemstvo inozemni časnik časnika okoliš vjerojatno dionica dionice zemljopis",
        ),
        # written in Croatian and Bosnian, not in Serbian: ijekavian reflexes of old e, and ć where Serbian has št
        (
            ("hr", "bs"),
            1,
            "gdje ovdje poslije prije uvijek vrijeme lijepo lijep dijete djeca djece mjesto mjesta"
            " mjestu rijeka rijeke pjesma pjesme pjesmu cijena cijene sjedište predsjednik predsjednika predsjedniku"
            " predsjednica vijest vijesti svijet svijeta svijetu djevojka bijeli nedjelja nedjelje dio dijela dijelu"
            " također jučer mjesec mjeseca mjeseci mjesecu riječ riječi cijeli cijela cijelo cijelog sjever sjeverni"
            " sjeverno svjetski svjetske svjetskog vijeće vijeća zamjenik primjer primjera pjevač pjevačica dvije"
            " općina općine općini opći opća opće uopće nogomet nogometni nogometna nogometaš nogometaši švicarska"
            " švicarske",
        ),
        # the eastern lexicon: standard in Serbian, accepted in Bosnian, avoided in Croatian
        (
            ("bs", "sr"),
            MARKED,
            "ko neko niko šta takođe tačka tačno hiljada hiljadu hiljade sedmica sedmice sedmicu"
            " porodica porodice porodici porodicu hemija hemijski hemijske saradnja saradnju saradnji saradnici"
            " univerzitet univerziteta univerzitetu fudbal fudbalski fudbalska fudbaler voz voza kafa kafe pozorište"
            " pozorišta evropa evrope evropi evropu evropske evropski evropska evropskoj evropsku evropskog evropskih"
            " evropskim januar januara februar februara mart marta aprila maj maja juni juna jun juli jula jul avgust"
            " avgusta septembar septembra oktobar oktobra novembar novembra decembar decembra tokom uslov uslovi uslova"
            " uslove uslovima učešće učestvovati učestvovao učestvuje muzika muzike muzički nauka nauke naučni naučnik"
            " naučnici avion aviona aerodrom aerodroma izvještaj izvještaja firma preduzeće poslanik poslanici"
            " ambasador ambasada juče privreda privrede privredni odbrana odbrane odbrani odbranu milion miliona"
            " milione fabrika fabrike finansijski finansijske finansijska učesnik učesnici španija španski španske"
            " italijanski italijanska italijanske vazduh ostrvo ostrva sprat spratu sekretar sekretarka portparol"
            " hronika hronološki hronologija haos hor hirurg saobraćaj pasoš penzija penzije penzioner apoteka štampa"
            " štampe kancelarija oficir oficira inostranstvo inostrani sistem sistema sistemu sistemi obavještenje",
        ),
        # Bosnian: h kept or restored (lahko, kahva, historija), ć where Serbian has št, Bosnian month forms
        (
            ("bs",),
            MARKED,
            "historija historije historiji historijski historijske historičar historičari lahko mehko"
            " sahat kahva hljeb hljeba ljekar ljekari ljekara saopćenje saopćio saopćila saopćeno vjerovatno",
        ),
        # Serbian in Latin script: ekavian reflexes and št forms (lingua's Serbian is Cyrillic, which needs no
        # cue); forms that are also Slovene (mesto, vreme, reka, predsednik, leto, dve) are left out
        (
            ("sr",),
            1,
            "istorija istorije istoriji istorijski istoričar gde ovde posle uvek dete deca dece pesma pesme"
            " pesmu sedište devojka deo mesec meseca meseci verovatno pevač pevačica primer primera zamenik svetski"
            " svetske opština opštine opštini opšti uopšte saopštenje saopštio saopštila švajcarska švajcarske izveštaj"
            " izveštaja",
        ),
    ],
    "norwegian": [
        (
            ("nn",),
            1,
            "ikkje eg ein eit kva korleis kvifor kven kvar kvart noko nokon nokre berre dei deira dykk frå"
            " mykje sjølv heile fekk gjekk vart sidan enno òg hjå medan saman ho hennar vere vera seier gjer gjere"
            " fleire meir då sjå difor veke veker månad kyrkje byrja kome vore vorte ynskje skule kvarandre anna annan"
            " verda utan kjem heim eigen eigne eige framleis dessutan korkje døme dømes høyrer mogleg moglege",
        ),
        (
            ("nb",),
            1,
            "hennes sier gjør gjøre mer fikk gikk ble noe noen hva mye uke nå uten hverandre verden dere"
            " fortsatt dessuten ennå",
        ),
        (
            ("da",),
            1,
            "af hvad nu efter mig dig sig blev meget noget nogen nogle ud op mellem igen gennem uden fik gik"
            " siger gør gøre hendes uge købe spørgsmål mod os måske lidt sidste havde sagde blive blevet desuden",
        ),
        (
            ("nb", "da"),
            1,
            "ikke jeg hvem hvor hvordan hvorfor hver hvert hun de sammen være bare selv hele siden mens"
            " en et fra måned kirke kommer da hvis hvilke hvilken samme deres hos hjem egen egne eget",
        ),
        (
            ("nb", "nn"),
            1,
            "av etter meg deg seg ut opp mellom igjen gjennom kjøpe spørsmål mot oss kanskje litt siste hadde blitt",
        ),
    ],
}

# (endings, members that write them, weight); a word counts only when it is longer than the ending by three
# letters or more (`leg` alone is no adjective)
FAMILY_ENDINGS: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int]]] = {
    "norwegian": [
        (("leg", "lege", "legt"), ("nn",), 1),  # Nynorsk -leg adjectives (vanleg, mogleg)
        (("lig", "lige", "ligt"), ("nb", "da"), 1),  # Bokmål and Danish -lig (vanlig, mulig)
    ],
    "bcs": [
        (("kracija", "kracije", "kraciji", "kraciju"), ("hr",), 1),  # demokracija
        (("kratija", "kratije", "kratiji", "kratiju"), ("bs", "sr"), MARKED),  # demokratija
        # organizirati (Croatian, and Bosnian too) against organizovati (Serbian and Bosnian)
        (
            ("izirati", "izirao", "izirala", "izirali", "iziran", "izirana", "izirani", "izira", "iziraju"),
            ("hr", "bs"),
            1,
        ),
        (
            ("izovati", "izovao", "izovala", "izovali", "izovan", "izovana", "izovani", "izuje", "izuju"),
            ("bs", "sr"),
            MARKED,
        ),
    ],
    "malay": [
        # Malay -iti against Indonesian -itas (universiti/universitas, kualiti/kualitas, majoriti/mayoritas)
        (("iviti", "aliti", "iliti", "oriti", "uniti", "entiti", "asiti"), ("ms",), MALAY_MARKED),
        (("itas",), ("id",), 1),
    ],
}

# Amharic and Tigrinya share the Ethiopic script. Tigrinya writes /a/ after a glottal or pharyngeal with the
# fourth-order ኣ and ሓ where Amharic writes the first-order አ and ሐ; Tigrinya has the letters ቐ (qʰ) and
# ኸ (x) that Amharic lacks, Amharic's plural suffix -ኦች/-ዎች gives it ች, which Tigrinya hardly writes.
# Tigrinya's relative prefix is ዝ- where Amharic's prepositions are የ- (of, relative), በ- (in) and ለ- (for);
# Tigrinya's own ብ- and ን- are left out, as many Amharic words begin with those letters (ብዙ, ብቻ, ንጉሥ).
# Tigrinya nouns end in a vowel (ህዝቢ) where Amharic's end in a consonant (ሕዝብ). Each has its own
# function words.
ETHIOPIC_CUES = {
    "am": frozenset(
        "ነው ናቸው ነበር ናት ነበረ የነበረ እና ግን ይህ ይህን ይህም ያ እነዚህ ወደ ላይ ውስጥ ጋር አለ አሉ አላቸው ሆኖ ሆነ ሲሆን ማለት"  # noqa: SIM905
        " ተብሎ የሚል ወይም እስከ ድረስ በኋላ ከዚያ እንዲሁም ዘንድ መሆኑ ስለ እንደ ብቻ ደግሞ እሱ እሷ እኔ እኛ እነሱ አንድ ሁለት ሦስት ሶስት"
        " ብዙ ሁሉ ሁሉም ነገር ጊዜ ሰው ሰዎች".split()
    ),
    "ti": frozenset(
        "እዩ እያ እዮም እየ እዮ ኣብ ናይ ምስ ከም እዚ እዚኣ እዛ እዞም ነዚ እቲ እታ እቶም እተን ነቲ ነቶም ኣሎ ኣለዉ ኣሎዉ ነይሩ ነይሮም ኢሉ"  # noqa: SIM905
        " ኢላ ኢሎም ግን ግና ድማ ውን ከኣ ብዛዕባ ካብ ንምሕደራ ኣይ ሽዑ ሕጂ ብዙሕ ኩሉ ኩሎም ሓደ ክልተ ሰለስተ ኮይኑ ይኸውን ምዃኑ እምበር"
        " የለን".split()
    ),
}
# ኣ, ሓ, and the qʰ and x series (not ኾ, which Amharic writes in some words)
TIGRINYA_LETTERS = "ኣሓቐቑቒቓቔቕቖቘቚቛቜቝኸኹኺኻኼኽዀዂዃዄዅ"
AMHARIC_LETTERS = "አሐች"
TIGRINYA_PREFIXES = frozenset("ዝ")
AMHARIC_PREFIXES = frozenset("የበለ")

# Oromo (Qubee): frequent words no other language writes. Words that are common words elsewhere too are left
# out: kan, kun, bara, ani, dura, gara, godina, jira, qaba, ture (Danish, Swedish, Romanian, Spanish, Basque,
# Croatian, Somali), nama, lama, sana, mana (Malay/Indonesian), sun, isa, nu, haa, waa, torba, jala.
OROMO_WORDS = (
    "akka akkas akkasumas akkuma akkam akkamitti akkaataa keessatti keessaa keessa keessan irratti irraa irraan"
    " irra jalatti biratti biraa gidduu booda boodas duraa duratti waliin wajjin wajjiin osoo otoo yoo yommuu"
    " yeroo yeroon erga yookaan yookiin yokaan yokan ykn garuu malee immoo ammoo illee kanaaf kanaafuu kanaan"
    " kanneen kuni kunis sanaaf isaa isaan isaanii isaaniin isaatti ishee isheen ishii inni innis anaa nuti nuyi"
    " keenya keessan ta'e ta'u ta'a ta'uu ta'an ta'ee ta'uun ta'anii haata'u turan turte jiru jirti jiran jedhe"
    " jedhan jette jedhama jedhamu jedhamuun jedhu jechuun jechuu qabu qabdi qabna tokko tokkoffaa lammaffaa sadii"
    " sadaffaa afur jaha saddeet sagal kudhan digdama dhibba miliyoona waggaa guyyaa ji'a torbee har'a kaleessa"
    " ammas achitti asitti waa'ee maaltu eenyu eessa maaliif meeqa namni namoota namootaa lafti biyyaa biyyattii"
    " biyyoota mootummaa mootummaan uummata uummataa uummanni hojii hojiin hojjete hojjechuu barnoota barattoota"
    " manni magaalaa magaalaan naannoo godinaa aanaa oromoo oromiyaa afaan afaanii seenaa dhimma dhimmoota humna"
    " waraana bishaan hunda hundi hundaa hedduu baay'ee baayyee xiqqaa guddaa gaarii haaraa fakkeenyaaf sababni"
    " sababiin kaayyoo argama argamu argamti jiraata jiraatu godhe godhu godhame gochuu kennu kennuu fudhate dhufe"
    " dhufu beeku beekama beekamu fayyaa fi itti miti taate taatee danda'a danda'u danda'an danda'e danda'ama ofii"
    " ofiin bakka bakkaa maqaa maqaan addunyaa itoophiyaa dhaabbata dhaabbilee maatii ijoollee dubartoota dubartii"
    " dhiirota kutaa tajaajila fayyadama fayyadamu fayyadamuu jalqaba jalqabe jalqabu sirna aadaa amantaa qabeenya"
    " qonnaa bulchiinsa bulchiinsaa hoggansa paartii filannoo mirga mirgoota nagaa waldaa walii lakkoofsa baay'ina"
    " amajjii guraandhala bitootessa eebila caamsaa waxabajjii adoolessa hagayya fulbaana onkoloolessa sadaasa"
    " muddee biyya haala isin"
)
