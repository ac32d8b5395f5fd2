"""The free-text section becomes a Section per distinct value, and back."""

import pytest

from tests.migration_steps import migrate_to, migration_running, migrations_restored  # noqa: F401

BEFORE = ("articles", "0002_archive_and_thanks")


@pytest.mark.usefixtures("migrations_restored")
def test_each_distinct_section_becomes_a_section_and_back():
    sections = migration_running("articles", "sections_from_text")
    old = migrate_to(BEFORE)
    OldArticle = old.get_model("articles", "Article")
    for slug, section in [("a", "Kyiv"), ("b", "Kyiv"), ("c", "Sport"), ("d", "sport")]:
        OldArticle.objects.create(slug=slug, title=slug, body="Text.", section=section)

    new = migrate_to(sections)
    Article = new.get_model("articles", "Article")
    by_article = {a.slug: (a.section.name, a.section.slug) for a in Article.objects.all()}
    assert by_article == {
        "a": ("Kyiv", "kyiv"),
        "b": ("Kyiv", "kyiv"),
        "c": ("Sport", "sport"),
        "d": ("sport", "sport-2"),
    }
    assert new.get_model("articles", "Section").objects.count() == 3

    back = migrate_to(BEFORE)
    restored = dict(back.get_model("articles", "Article").objects.values_list("slug", "section"))
    assert restored == {"a": "Kyiv", "b": "Kyiv", "c": "Sport", "d": "sport"}
