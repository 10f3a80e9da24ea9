"""Topic names: phrases of their own titles, sayable, distinct."""

import numpy as np

from analysis.topics.phrases import (
    THEME_NAMES,
    TOPIC_NAMES,
    NameRule,
    folded,
    group_names,
    joined_names,
    phrase_counts,
    phrases_of,
    title_phrases,
)

TITLES = [
    # topic 0: a mining story
    "Izin Tambang Nikel Raja Ampat Dicabut Pemerintah",
    "Warga Tolak Tambang Nikel Raja Ampat",
    "Tambang Nikel Raja Ampat Disorot Aktivis Lingkungan",
    "Menteri Tinjau Tambang Nikel di Papua Barat Daya",
    # topic 1: floods
    "Banjir Rendam Ratusan Rumah Warga",
    "Banjir Bandang Terjang Desa, Warga Mengungsi",
    "Korban Banjir Bandang Butuh Air Bersih",
    "Gak Nyangka, Banjir Bandang Datang Lagi",
    # topic 2: nothing shared between its titles
    "Resep Sambal Matah Khas Bali",
    "Cara Merawat Sepatu Kulit",
    # unassigned
    "Tambang Nikel Raja Ampat Jadi Sorotan",
]
TOPICS = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, -1])


def test_title_phrases_skip_stop_words_at_the_edges_and_chat_words_anywhere():
    phrases = title_phrases("Gak Nyangka, Banjir Bandang di Kota Batu Meluas")
    assert "banjir bandang" in phrases
    assert phrases["banjir bandang"] == "Banjir Bandang"
    assert not any(p.startswith("gak") for p in phrases)
    assert not any(p.startswith("di ") or p.endswith(" di") for p in phrases)
    assert "banjir bandang di kota batu" in phrases  # a stop word inside is fine
    assert "banjir bandang di kota" not in phrases  # a kind of place ends no name
    assert "temuan pelanggaran" in title_phrases("Temuan Pelanggaran di Kecamatan")
    assert "temuan pelanggaran di kecamatan" not in title_phrases("Temuan Pelanggaran di Kecamatan")
    assert all(2 <= len(p.split()) <= 6 for p in phrases)


def test_title_phrases_keep_years_but_not_other_trailing_numbers():
    assert "sea games 2019" in title_phrases("Jadwal SEA Games 2019 Dirilis")
    assert not any(p.endswith(" 5") for p in title_phrases("Bahaya Diet Ketat 5 Hari"))
    assert not any(p.startswith("5") for p in title_phrases("5 Fakta Gunung Bromo"))


def names_of(
    titles: list[str],
    groups: np.ndarray,
    weights: np.ndarray,
    keywords: list[list[str]],
    fallbacks: list[str],
    rule: NameRule = TOPIC_NAMES,
) -> list[str]:
    counted = phrase_counts(phrases_of(titles), np.asarray(groups), np.asarray(weights, float))
    return group_names(counted, keywords, fallbacks, rule)


def test_group_names_are_phrases_of_their_own_titles():
    weights = np.ones(len(TITLES))
    keywords = [["tambang", "nikel", "raja"], ["banjir", "bandang"], ["sambal", "sepatu"]]
    names = names_of(TITLES, TOPICS, weights, keywords, ["t0", "t1", "t2"])
    assert names[0] == "Tambang Nikel Raja Ampat"
    assert names[1] == "Banjir Bandang"
    assert names[2] == "t2"  # no phrase stands in two of its titles: the fallback


def test_group_names_are_distinct_and_the_larger_group_chooses_first():
    titles = [
        "Harga Emas Naik Lagi",
        "Harga Emas Turun",
        "Harga Emas Stabil",
        "Harga Emas Hari Ini",
    ]
    names = names_of(titles, np.array([0, 0, 1, 1]), np.ones(4), [["emas"], ["emas"]], ["a", "b"])
    assert names[0] == "Harga Emas"
    assert names[1] != "Harga Emas"


def test_typical_titles_weigh_more():
    titles = ["Sidang Kasus Korupsi Timah", "Sidang Kasus Korupsi Timah", "Vonis Mantan Direktur"]
    titles += ["Vonis Mantan Direktur"]
    weights = np.array([0.1, 0.1, 1.0, 1.0])
    keywords = [["sidang", "vonis"]]
    names = names_of(titles, np.zeros(4, dtype=int), weights, keywords, ["x"])
    assert names == ["Vonis Mantan Direktur"]


def test_a_topic_of_many_stories_keeps_its_keywords_rather_than_one_story_s_phrase():
    titles = ["Pencuri Celana Ditangkap", "Pencuri Celana Beraksi Lagi"]
    titles += [f"Kasus Nomor {i} Di Kecamatan {chr(65 + i)}{chr(75 + i)}" for i in range(60)]
    names = names_of(titles, np.zeros(len(titles), dtype=int), np.ones(len(titles)), [[]], ["k"])
    assert names == ["k"]  # "Pencuri Celana" stands in 2 of 62 titles: under MIN_SHARE


def test_a_phrase_that_holds_none_of_the_topic_s_keywords_names_nothing():
    titles = ["Viral di Media Sosial, Bahaya Kolesterol", "Viral di Media Sosial, Gejala Stroke"]
    titles += ["Dokter Ungkap Gejala Stroke", "Dokter Jelaskan Bahaya Kolesterol"]
    groups, weights = np.zeros(len(titles), dtype=int), np.ones(len(titles))
    names = names_of(titles, groups, weights, [["stroke", "kolesterol"]], ["k"])
    assert names[0] != "Media Sosial"
    assert "stroke" in names[0].lower() or "kolesterol" in names[0].lower()
    only_social = titles[:2]
    names = names_of(only_social, groups[:2], weights[:2], [["dokter"]], ["k"])
    assert names == ["k"]


def test_a_theme_s_name_must_stand_in_more_of_its_titles_than_a_topic_s():
    titles = [f"Tambang Nikel Raja Ampat Hari {i}" for i in range(3)]
    titles += [f"Kabar {chr(65 + i)}{chr(75 + i)} Terbaru" for i in range(47)]  # 3 of 50: 6%
    groups, weights = np.zeros(len(titles), dtype=int), np.ones(len(titles))
    keywords = [["tambang", "nikel"]]
    as_topic = names_of(titles, groups, weights, keywords, ["k"])
    as_theme = names_of(titles, groups, weights, keywords, ["k"], THEME_NAMES)
    assert as_topic == ["Tambang Nikel Raja Ampat"] and as_theme == ["k"]


def test_a_theme_is_named_by_a_phrase_that_recurs_across_its_topics():
    """Four topics of one theme: "Liga Champions" stands in 3 of its 100 titles, one in each of
    three topics; "Real Madrid" in 6, all in one topic. Under 8% each, only the phrase spread over
    three topics names the theme; in one topic alone it does not."""
    filler = [f"Kabar {chr(65 + i % 26)}{chr(75 + i // 26)} Terbaru" for i in range(91)]
    titles = ["Liga Champions Malam Ini", "Jadwal Liga Champions", "Liga Champions Dimulai"]
    titles += [f"Real Madrid Menang {i}" for i in range(6)] + filler
    topics = np.array([0, 1, 2] + [3] * 6 + [i % 4 for i in range(91)])
    counted = phrase_counts(phrases_of(titles), topics, np.ones(len(titles)))
    theme = folded(counted, np.zeros(4, dtype=int))
    keywords = [["liga", "madrid"]]
    assert group_names(theme, keywords, ["k"], THEME_NAMES) == ["Liga Champions"]
    assert theme.parts[0]["liga champions"] == 3 and theme.counts[0]["real madrid"] == 6
    in_one = folded(counted, np.array([0, 0, 0, 0]))
    in_one.parts[0]["liga champions"] = 1  # as if one topic held all three titles
    assert group_names(in_one, keywords, ["k"], THEME_NAMES) == ["k"]


def test_a_phrase_in_fewer_of_a_theme_s_titles_names_it_when_more_of_its_topics_hold_it():
    """ "Pilpres 2019" in 6 of 250 titles (2.4%), one in each of six topics, names the theme; the
    same six titles spread over five topics do not (2.4% needs six topics, 3% three)."""
    filler = [f"Kabar {chr(65 + i % 26)}{chr(75 + i // 26)} Terbaru" for i in range(244)]
    stories = ["Debat", "Kampanye", "Survei", "Saksi", "Hasil", "Jadwal"]
    titles = [f"{story} Pilpres 2019" for story in stories] + filler
    keywords = [["pilpres"]]

    def theme_name(topic_of_phrase: list[int]) -> list[str]:
        topics = np.array(topic_of_phrase + [i % 6 for i in range(244)])
        counted = phrase_counts(phrases_of(titles), topics, np.ones(len(titles)))
        return group_names(folded(counted, np.zeros(6, dtype=int)), keywords, ["k"], THEME_NAMES)

    assert theme_name([0, 1, 2, 3, 4, 5]) == ["Pilpres 2019"]
    assert theme_name([0, 1, 2, 3, 4, 4]) == ["k"]


def test_a_theme_without_a_phrase_of_its_own_is_called_after_two_of_its_named_topics():
    """Theme 0 holds four topics ranked 3 > 2 > 1 > 0: the best named ones that share no word
    ("Harga Emas" is passed over for sharing "Emas" with "Emas Antam"); theme 1's only named
    topic of two does not name it; theme 2, one topic, is its name."""
    names = [
        "Harga Emas",
        "k1 · k2",
        "Emas Antam",
        "Nilai Tukar Rupiah",
        "Siswa SD",
        "k3 · k4",
        "Banjir",
    ]
    named = [True, False, True, True, True, False, True]
    rank = np.array([2.0, 9.0, 3.0, 1.0, 5.0, 6.0, 1.0])
    parent = np.array([0, 0, 0, 0, 1, 1, 2])
    joined = joined_names(names, named, rank, parent, 3)
    assert joined == ["Emas Antam & Nilai Tukar Rupiah", None, "Banjir"]


def test_a_joined_theme_name_keeps_within_six_words():
    names = ["Kapal Pemuda ke Anambas", "Donald Trump Jr Kembali", "Tentara Israel"]
    joined = joined_names(names, [True] * 3, np.array([3.0, 2.0, 1.0]), np.zeros(3, int), 1)
    assert joined == ["Kapal Pemuda ke Anambas & Tentara Israel"]


def test_a_name_with_an_apostrophe_matches_keywords_split_at_it():
    titles = ["Elektabilitas Ma'ruf Amin Naik", "Ma’ruf Amin Kunjungi Pesantren"]
    titles += ["TKN Sebut Ma'ruf Amin Unggul", "Debat Cawapres Digelar Malam Ini"]
    groups, weights = np.zeros(len(titles), dtype=int), np.ones(len(titles))
    names = names_of(titles, groups, weights, [["ruf", "ma ruf", "tkn"]], ["ruf · ma ruf · tkn"])
    assert names == ["Ma'ruf Amin"]  # both apostrophes count as one name, the commoner spelling


def test_a_topic_whose_keywords_are_its_template_s_is_named_by_a_phrase_its_titles_own():
    """Fact-checks written to one template: their keywords are the template's words, their titles
    tell the story; a phrase as common elsewhere names nothing."""
    story = [f"Klaim Tom Lembong Ditangkap {word}" for word in ("Hoaks", "Keliru", "Menyesatkan")]
    others = [f"Unggahan {chr(65 + i)}{chr(66 + i)}{chr(67 + i)}" for i in range(17)]
    weather = [
        f"Cuaca {chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{i // 676} Cerah" for i in range(1000)
    ]
    titles = story + others + weather
    groups = np.array([0] * 20 + [1] * 1000)
    keywords = [["arsip kanal", "thumbnail"], ["cuaca"]]
    names = names_of(titles, groups, np.ones(len(titles)), keywords, ["k0", "k1"])
    assert "Tom Lembong" in names[0]
    everywhere = [f"Klaim Tom Lembong Ditangkap {title}" for title in weather[:300]] + weather[300:]
    names = names_of(story + others + everywhere, groups, np.ones(1020), keywords, ["k0", "k1"])
    assert names[0] == "k0"  # 3 of its 20 titles, 303 of all 1,020: not its own
