from moderation.admin.highlight import explanation_features, highlight_comment
from tests.desk.factories import SPAM_EXPLANATION


def test_it_marks_the_words_behind_the_scores():
    html = highlight_comment("Best Casino bonus at http://x", SPAM_EXPLANATION)
    assert '<mark class="desk-mark desk-mark-spam"' in html
    assert ">Casino</mark>" in html
    assert ">http</mark>" in html


def test_it_matches_words_whole_and_fragments_anywhere():
    html = highlight_comment(
        "casinos and a casino", {"spam": [{"feature": 'word "casino"', "weight": 1}]}
    )
    assert html.count("<mark") == 1 and html.startswith("casinos and a <mark")
    html = highlight_comment("xhttpx", {"spam": [{"feature": 'fragment "http"', "weight": 1}]})
    assert html.count("<mark") == 1


def test_it_escapes_reader_text_everywhere():
    body = '<script>alert("casino")</script> casino'
    explanation = {"spam": [{"feature": 'word "casino"', "weight": 1.0}]}
    html = highlight_comment(body, explanation)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<mark") == 2


def test_it_escapes_a_feature_that_holds_markup():
    explanation = {"spam": [{"feature": 'fragment "<b>"', "weight": 1.0}]}
    html = highlight_comment("a <b> tag", explanation)
    assert "<b>" not in html.replace("<mark", "")
    assert "&lt;b&gt;</mark>" in html


def test_it_leaves_features_against_the_flag_unmarked():
    html = highlight_comment("the bridge", SPAM_EXPLANATION)
    assert "<mark" not in html


def test_it_marks_an_overlap_once_for_the_stronger_feature():
    explanation = {
        "spam": [{"feature": 'word "free money"', "weight": 2.0}],
        "spoiler": [{"feature": 'word "money"', "weight": 1.0}],
    }
    html = highlight_comment("get free  money now", explanation)
    assert html.count("<mark") == 1 and "desk-mark-spam" in html


def test_it_tolerates_a_malformed_explanation():
    assert highlight_comment("text", None) == "text"
    assert highlight_comment("text", {"spam": "nope", "x": [1, {"feature": 3}]}) == "text"
    assert explanation_features({"spam": [{"feature": "many links", "weight": "x"}]}) == []


def test_it_marks_links_and_shortened_tokens_but_not_request_signals():
    explanation = {
        "spam": [
            {"feature": 'link "http://casino.example/bonus"', "weight": 1.2},
            {"feature": 'word "supercalifragilisticexpialidocious…"', "weight": 0.5},
            {"feature": 'referrer "example"', "weight": 0.8},
            {"feature": 'user agent "curl"', "weight": 0.8},
        ]
    }
    body = "See http://casino.example/bonus and supercalifragilisticexpialidociousness curl"
    html = highlight_comment(body, explanation)
    assert ">http://casino.example/bonus</mark>" in html
    assert ">supercalifragilisticexpialidocious</mark>ness" in html
    assert html.count("<mark") == 2
