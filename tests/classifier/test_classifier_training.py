"""Training data: what train() and read_labelled_csv() refuse, and how they say so."""

import pytest
from classifier_examples import HAM, QUICK, SPAM

from moderation.classifier import ClassifierError, TrainingDataError, read_labelled_csv, train


def test_it_refuses_to_train_on_one_class():
    with pytest.raises(TrainingDataError, match="only one class"):
        train("spam", SPAM, [1] * len(SPAM), config=QUICK)


@pytest.mark.parametrize(
    ("texts", "labels", "message"),
    [
        ([], [], "empty"),
        (["a", "b"], [1], "2 texts but 1 labels"),
        (["a", "b", "c", "d"], [0, 1, 2, 1], "0 or 1"),
        (["a", "b", "c"], [0, 1, 1], "at least 2 examples"),
    ],
)
def test_it_says_what_is_wrong_with_training_data(texts, labels, message):
    with pytest.raises(TrainingDataError, match=message):
        train("spam", texts, labels, config=QUICK)


def test_it_refuses_an_unknown_task():
    with pytest.raises(ClassifierError, match="unknown task"):
        train("weather", SPAM + HAM, [1] * len(SPAM) + [0] * len(HAM), config=QUICK)


def _csv(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_it_reads_a_labelled_csv(tmp_path):
    path = _csv(tmp_path, 'text,label,lang\n"Buy, now",spam,en\nГарна стаття,ham,uk\n')
    texts, labels = read_labelled_csv(path, text_col="text", label_col="label", positive="spam")
    assert (texts, labels) == (["Buy, now", "Гарна стаття"], [1, 0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("body,label\nhello,1\n", "missing column\\(s\\) 'text'; found 'body', 'label'"),
        ("text,label\nhello,1,extra\nbye,0\n", "line 2: more fields"),
        ("text,label\nhello\nbye,0\n", "line 2: fewer fields"),
        ("text,label\nhello,\nbye,0\n", "line 2: empty label"),
        ("text,label\nhello,1\nbye,1\n", "only one class"),
        ("text,label\nhello,1\nbye,0\nso,maybe\n", "one other value"),
        ("text,label\n", "no data rows"),
    ],
)
def test_it_says_what_is_wrong_with_a_csv(tmp_path, content, message):
    with pytest.raises(TrainingDataError, match=message):
        read_labelled_csv(_csv(tmp_path, content), text_col="text", label_col="label")


def test_it_refuses_a_csv_that_is_not_utf8(tmp_path):
    path = _csv(tmp_path, "text,label\nпривіт,1\nбувай,0\n", encoding="cp1251")
    with pytest.raises(TrainingDataError, match="not UTF-8"):
        read_labelled_csv(path, text_col="text", label_col="label")


@pytest.mark.parametrize(
    "content", ['text,label\n"unterminated,1\nbye,0\n', 'text,label\n"a"b,1\nbye,0\n']
)
def test_it_refuses_a_csv_with_stray_quotes(tmp_path, content):
    path = _csv(tmp_path, content)
    with pytest.raises(TrainingDataError, match="unparseable"):
        read_labelled_csv(path, text_col="text", label_col="label")


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(TrainingDataError, match="no such file"):
        read_labelled_csv(tmp_path / "nope.csv", text_col="text", label_col="label")
